"""Secure mail domains (DCB1596, the secure email standard): a directory setting. A recipient
whose address is on one (or on a subdomain of one) gets the full notice in the email; anyone
else gets a link to read it after confirming their address. nhs.net is secure from the first
migration; an administrator adds a council's accredited domains."""

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import SecureDomain
from notify.problems import InvalidInput

_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def domain_of(address: str | None) -> str:
    return (address or "").rpartition("@")[2].strip().lower().rstrip(".")


def is_secure_address(address: str | None, domains: Iterable[str]) -> bool:
    """Whether the address is on one of `domains` or a subdomain of one."""
    domain = domain_of(address)
    if not domain:
        return False
    return any(domain == d or domain.endswith(f".{d}") for d in domains)


def secure_domains(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(select(SecureDomain.domain)))


def add_secure_domain(session: Session, text: str, user_id: int | None) -> SecureDomain:
    """Mark a domain secure (an accredited council's, say). No commit: the caller's."""
    domain = text.strip().lower().lstrip("@").rstrip(".")
    if not _DOMAIN.fullmatch(domain):
        raise InvalidInput({"domain": ["Enter a mail domain, like worcestershire.gov.uk"]})
    if session.get(SecureDomain, domain) is not None:
        raise InvalidInput({"domain": [f"{domain} is already marked secure"]})
    row = SecureDomain(domain=domain, added_by_id=user_id)
    session.add(row)
    session.flush()
    return row


def remove_secure_domain(session: Session, domain: str) -> bool:
    row = session.get(SecureDomain, domain)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
