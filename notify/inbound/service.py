"""Receiving notices other authorities post about children they place in our area.

The notice is stored as it arrived (the raw text), as it parsed (a digest of its canonical
form, for idempotency) and as we understood it (the validated payload). Business support
triages it afterwards (notify/register).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import ApiClient, Authority, InboundNotice
from models.enums import InboundStatus
from notify.geography.postcode import PostcodeError
from notify.geography.store import resolve_postcode

POSTCODE_PATH = "placement.address.postcode"


class NoticeProblems(ValueError):
    """The notice cannot be taken; `fields` holds every problem by dotted field path."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in fields.values() for m in ms))
        self.fields = fields


class WrongAuthority(PermissionError):
    """The notice says it comes from an authority other than the key's."""


class ReferenceConflict(ValueError):
    """The reference was used before, by the same authority, for a different body."""

    def __init__(self, notice: InboundNotice) -> None:
        super().__init__(f"Reference {notice.reference} was used for a different notice")
        self.notice = notice


@dataclass(frozen=True)
class Received:
    """The stored notice, and whether this request created it (False: a safe retry)."""

    notice: InboundNotice
    created: bool


def body_digest(parsed: Any) -> str:
    """SHA-256 of a parsed JSON body in canonical form: sorted keys, no whitespace."""
    # ASCII escapes keep the digest defined for any string JSON can carry (even half a
    # surrogate pair), and make it independent of how the sender escaped characters.
    canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def area_problem(session: Session, postcode: str, home_authority: str) -> str | None:
    """Why a placement at `postcode` is not one for us to be told of, or None."""
    try:
        location = resolve_postcode(session, postcode)
    except PostcodeError as exc:
        return exc.message
    if location.authority_code == home_authority:
        return None
    home = session.get(Authority, home_authority)
    ours = home.name if home is not None else home_authority
    if location.authority_code is None:
        where = "Northern Ireland"
    else:
        where = f"{location.authority_name} ({location.authority_code})"
    return (
        f"{location.postcode} is in {where}, not in {ours}: send this notice to the "
        "authority where the child lives."
    )


def receive_notice(
    session: Session,
    client: ApiClient,
    raw_body: str,
    payload: dict[str, Any],
    now: datetime,
    *,
    home_authority: str,
) -> Received:
    """Store a validated notice from `client`, or return the one already stored under its
    reference if the body is the same; the caller commits."""
    if payload["placing_authority"] != client.authority_code:
        raise WrongAuthority(
            f"This key acts for {client.authority_code}; it cannot post a notice "
            f"for {payload['placing_authority']}."
        )
    postcode = payload["placement"]["address"]["postcode"]
    if problem := area_problem(session, postcode, home_authority):
        raise NoticeProblems({POSTCODE_PATH: [problem]})
    digest = body_digest(json.loads(raw_body))
    notice = InboundNotice(
        reference=payload["reference"],
        placing_authority_code=client.authority_code,
        notice_type=payload["notice_type"],
        status=InboundStatus.RECEIVED,
        raw_body=raw_body,
        body_digest=digest,
        payload=_jsonable(payload),
        api_client_id=client.id,
        received_at=now,
    )
    # Insert first and let the unique constraint find a retry: two identical requests
    # racing each other then take the same path as a retry after the first succeeded, on
    # SQLite and PostgreSQL alike (the second waits for the first's commit, then fails).
    try:
        with session.begin_nested():
            session.add(notice)
    except IntegrityError:
        existing = session.scalar(
            select(InboundNotice).where(
                InboundNotice.placing_authority_code == client.authority_code,
                InboundNotice.reference == payload["reference"],
            )
        )
        if existing is None:  # the constraint that failed was another: not ours to hide
            raise
        if existing.body_digest != digest:
            raise ReferenceConflict(existing) from None
        return Received(existing, created=False)
    return Received(notice, created=True)


def get_notice(session: Session, authority_code: str, notice_id: int) -> InboundNotice | None:
    """One notice, if `authority_code` posted it."""
    notice = session.get(InboundNotice, notice_id)
    if notice is None or notice.placing_authority_code != authority_code:
        return None
    return notice


def notices_of(authority_code: str, since: datetime | None = None) -> Select[Any]:
    """The notices an authority posted, oldest first; with `since`, those received or
    decided at or after it (a poller learns of decisions as well as of new notices)."""
    statement = select(InboundNotice).where(InboundNotice.placing_authority_code == authority_code)
    if since is not None:
        statement = statement.where(
            or_(InboundNotice.received_at >= since, InboundNotice.decided_at >= since)
        )
    return statement.order_by(InboundNotice.id)


def _jsonable(value: Any) -> Any:
    """The loaded payload as JSON values: dates written YYYY-MM-DD."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
