"""Notices in flight when a body ends (DOMAIN.md §9): the successor takes on the duties.

- Notices not yet sent (pending, waiting for an address, failed) move to the successor, with
  their clock unchanged (send-by and acknowledge-by stay).
- Notices sent and not acknowledged stay acknowledgeable by the predecessor's link; their
  reminders go to the successor (`carry_to_successor`, called by the chaser).
- What was sent to an abolished body since its end date is listed (`sent_to_ended_bodies`)
  for a person to send again to the successor (`resend_to_successor`).

Where a body was split, the successor is the one the notice's postcode (the placement's, or
the child's home for the home health body) resolves to on the succession's day.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Authority, Child, HealthBody, Notification, Placement
from models.enums import NotificationStatus as Status
from models.enums import RecipientKind, RecipientRole
from models.reference import Succession
from notify.calendar import UK
from notify.geography.postcode import PostcodeError
from notify.geography.store import geography_index, resolve_postcode
from notify.notifications.outbox import change_status, enqueue

logger = logging.getLogger(__name__)

UNSENT = (Status.PENDING, Status.NEEDS_ADDRESS, Status.FAILED)
_ABOUT = ("recipient_kind", "recipient_code", "recipient_role", "child_id", "placement_id")


@dataclass(frozen=True)
class Successor:
    code: str
    name: str
    address: str | None


@dataclass
class TransferResult:
    moved: int = 0
    undecided: list[int] = field(default_factory=list)  # a split the postcode does not settle


def successor_for(session: Session, notification: Notification, on: date) -> Successor | None:
    """The body that has this notice's recipient's duties on `on`, if its recipient has
    ended by then (None while it exists, or when a split leaves it to a person)."""
    if notification.recipient_kind not in (RecipientKind.HEALTH_BODY, RecipientKind.AUTHORITY):
        return None
    index = geography_index(session)
    code = notification.recipient_code
    if code is None or not index.body_ended(code, on):
        return None
    for _ in range(10):  # a chain of successions (a recode, then a merger)
        successions = index.successors(code, on)
        if not successions:
            break
        if len(successions) == 1 or all(s.kind != "part" for s in successions):
            code = successions[0].to_code
            continue
        chosen = _by_postcode(session, notification, {s.to_code for s in successions}, on)
        if chosen is None:
            return None
        code = chosen
    return _successor(session, notification.recipient_kind, code)


def transfer_notices(session: Session, on: date) -> TransferResult:
    """Move every unsent notice addressed to a body that has ended by `on` to its successor."""
    ended = select(Succession.from_code).where(Succession.effective <= on)
    rows = session.scalars(
        select(Notification)
        .where(
            Notification.status.in_(UNSENT),
            Notification.recipient_kind.in_((RecipientKind.HEALTH_BODY, RecipientKind.AUTHORITY)),
            or_(
                Notification.recipient_code.in_(ended),
                Notification.recipient_code.in_(_ended_by_date(on)),
            ),
        )
        .order_by(Notification.id)
        .with_for_update()
    ).all()
    result = TransferResult()
    for notification in rows:
        successor = successor_for(session, notification, on)
        if successor is None:
            result.undecided.append(notification.id)
            continue
        notification.recipient_code = successor.code
        notification.recipient_name = successor.name
        notification.address = successor.address
        result.moved += 1
        # a notice with no address now waits for one; one that gained an address is due
        if notification.status == Status.PENDING and not successor.address:
            change_status(session, notification.id, Status.NEEDS_ADDRESS)
        elif notification.status == Status.NEEDS_ADDRESS and successor.address:
            change_status(session, notification.id, Status.PENDING)
    session.flush()
    if result.moved or result.undecided:
        logger.info(
            "Moved %d unsent notices to successor bodies (%d left for a person)",
            result.moved,
            len(result.undecided),
            extra={"on": on.isoformat()},
        )
    return result


def carry_to_successor(session: Session, columns: dict[str, Any], on: date) -> dict[str, Any]:
    """The columns of a reminder (for outbox.enqueue) of a notice to a body that has since
    ended, addressed to its successor."""
    about = Notification(  # transient: only read by successor_for
        **{k: columns.get(k) for k in _ABOUT}
    )
    successor = successor_for(session, about, on)
    if successor is None:
        return columns
    return {
        **columns,
        "recipient_code": successor.code,
        "recipient_name": successor.name,
        "address": successor.address,
    }


@dataclass(frozen=True)
class SentToEnded:
    notification: Notification
    ended_on: date  # the body's first day without it
    successor: Successor | None


def sent_to_ended_bodies(session: Session, on: date) -> list[SentToEnded]:
    """Notices sent to a body on or after the day it ended (it was no longer there to read
    them), oldest first, each with the successor to send it to."""
    firsts = {
        code: first
        for code, first in session.execute(
            select(Succession.from_code, Succession.effective).where(Succession.effective <= on)
        )
    }
    for code, last in session.execute(
        select(HealthBody.code, HealthBody.valid_to).where(HealthBody.valid_to < on)
    ):
        if last is not None:  # the query's filter, for the type checker
            firsts.setdefault(code, last + timedelta(days=1))
    if not firsts:
        return []
    rows = session.scalars(
        select(Notification)
        .where(
            Notification.recipient_kind.in_((RecipientKind.HEALTH_BODY, RecipientKind.AUTHORITY)),
            Notification.recipient_code.in_(list(firsts)),
            Notification.sent_at.is_not(None),
            Notification.status.in_((Status.SENT, Status.ACKNOWLEDGED)),
        )
        .order_by(Notification.sent_at, Notification.id)
    ).all()
    return [
        SentToEnded(n, firsts[n.recipient_code], successor_for(session, n, on))
        for n in rows
        if n.recipient_code is not None
        and n.sent_at is not None
        and n.sent_at.astimezone(UK).date() >= firsts[n.recipient_code]
    ]


def resend_to_successor(session: Session, notification_id: int, on: date) -> Notification:
    """Write a copy of a notice sent to an abolished body, addressed to its successor, due at
    once; the original stays as it was (and acknowledgeable)."""
    original = session.get(Notification, notification_id)
    if original is None:
        raise LookupError(f"There is no notification {notification_id}")
    successor = successor_for(session, original, on)
    if successor is None:
        raise ValueError(
            f"Notification {notification_id}: its recipient still exists, or was split and "
            "its postcode does not say which successor covers it; choose one in the directory"
        )
    copy = enqueue(
        session,
        child_id=original.child_id,
        placement_id=original.placement_id,
        event=original.event,
        recipient_kind=original.recipient_kind,
        recipient_role=original.recipient_role,
        recipient_code=successor.code,
        recipient_name=successor.name,
        address=successor.address,
        channel=original.channel,
        send_by=on,
        acknowledge_by=original.acknowledge_by,
    )
    session.flush()
    return copy


# --- helpers -------------------------------------------------------------------------------


def _ended_by_date(on: date):  # type: ignore[no-untyped-def]
    return (
        select(HealthBody.code)
        .where(HealthBody.valid_to < on)
        .union(select(Authority.code).where(Authority.valid_to < on))
    )


def _successor(session: Session, kind: str, code: str) -> Successor | None:
    body: HealthBody | Authority | None = (
        session.get(HealthBody, code)
        if kind == RecipientKind.HEALTH_BODY
        else session.get(Authority, code)
    )
    if body is None:
        return None
    address = body.notification_email if body.active else None
    return Successor(body.code, body.name, address)


def _by_postcode(
    session: Session, notification: Notification, choices: set[str], on: date
) -> str | None:
    postcode = None
    if notification.recipient_role == RecipientRole.HOME_HEALTH_BODY:
        child = session.get(Child, notification.child_id) if notification.child_id else None
        postcode = child.home_postcode if child else None
    elif notification.placement_id is not None:
        placement = session.get(Placement, notification.placement_id)
        postcode = placement.postcode if placement else None
    if not postcode:
        return None
    try:
        location = resolve_postcode(session, postcode, on)
    except PostcodeError:
        return None
    if notification.recipient_kind == RecipientKind.AUTHORITY:
        return location.authority_code if location.authority_code in choices else None
    found = {hb.code for hb in location.health_bodies} & choices
    return found.pop() if len(found) == 1 else None
