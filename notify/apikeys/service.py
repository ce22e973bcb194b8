"""API keys: made for one authority and shown once (only a hash is kept), found by the key a
caller presents, listed and revoked."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ApiClient, Authority


class KeyRefused(ValueError):
    """A key that may not be made as asked (unknown authority, unknown scopes, or a scope
    another authority may not hold); `field` is the answer at fault."""

    def __init__(self, message: str, field: str = "authority_code") -> None:
        super().__init__(message)
        self.field = field


class UnknownKey(LookupError):
    """No key has the prefix given."""


@dataclass(frozen=True)
class KeyRow:
    """A key as an administrator sees it: never the key itself, nor its hash."""

    prefix: str
    name: str
    authority_code: str
    authority_name: str
    scopes: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def list_api_keys(session: Session) -> list[KeyRow]:
    """Every key, live ones first, newest first within each."""
    rows = session.execute(
        select(ApiClient, Authority.name)
        .join(Authority, Authority.code == ApiClient.authority_code)
        .order_by(ApiClient.revoked_at.is_not(None), ApiClient.created_at.desc(), ApiClient.id)
    ).all()
    return [
        KeyRow(
            prefix=client.key_prefix,
            name=client.name,
            authority_code=client.authority_code,
            authority_name=name,
            scopes=tuple(sorted(client.scope_set)),
            created_at=client.created_at,
            last_used_at=client.last_used_at,
            revoked_at=client.revoked_at,
        )
        for client, name in rows
    ]


def revoke_api_key(session: Session, prefix: str, now: datetime) -> tuple[ApiClient, bool]:
    """Revoke the key with `prefix` from `now` on; returns it and whether this call revoked
    it (False: it already was). The caller commits."""
    client = session.scalar(
        select(ApiClient).where(ApiClient.key_prefix == prefix.strip()).with_for_update()
    )
    if client is None:
        raise UnknownKey(f"No API key has the prefix {prefix.strip()!r}")
    if client.revoked_at is not None:
        return client, False
    client.revoked_at = now
    return client, True


API_SCOPES = ("inbound:write", "notifications:read", "notifications:ack", "placements:write")
# Scopes that act as us (placements:write records our children, and so sends statutory notices
# under our name): only a key of our own authority may hold them.
OWN_AUTHORITY_SCOPES = frozenset({"placements:write"})


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewKey:
    client: ApiClient
    key: str


def create_api_key(
    session: Session, *, authority_code: str, scopes: list[str], name: str, home_authority: str
) -> NewKey:
    """Make a key for one authority; only its hash is kept, so it is shown once.
    `home_authority` is ours: only its keys may act as us (OWN_AUTHORITY_SCOPES)."""
    authority = session.get(Authority, authority_code)
    if authority is None:
        raise KeyRefused(f"No authority has the code {authority_code!r}")
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown or not scopes:
        raise KeyRefused(f"Scopes must be among: {', '.join(API_SCOPES)}", "scopes")
    ours_only = sorted(OWN_AUTHORITY_SCOPES & set(scopes))
    if ours_only and authority_code != home_authority:
        raise KeyRefused(
            f"{', '.join(ours_only)} is for our own case-management system only: a key for "
            f"{authority.name} may not have it",
            "scopes",
        )
    prefix = "pn_" + secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    client = ApiClient(
        name=name,
        authority_code=authority_code,
        key_prefix=prefix,
        key_hash=_digest(key),
        scopes=" ".join(sorted(set(scopes))),
    )
    session.add(client)
    return NewKey(client, key)


def find_api_client(session: Session, key: str) -> ApiClient | None:
    prefix, _, _ = key.partition(".")
    client = session.scalar(select(ApiClient).where(ApiClient.key_prefix == prefix))
    if client is None or client.revoked_at is not None:
        return None
    if not secrets.compare_digest(client.key_hash, _digest(key)):
        return None
    return client
