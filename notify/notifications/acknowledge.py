"""Acknowledging a notification we sent (by its link, by the API, or recorded by hand), and
reopening one recorded in error.

An acknowledgement is always of the original notification: a reminder or an escalation
stands for the notification it chases. Nothing here commits: the caller owns the
transaction. Every change goes through `outbox.change_status`, under a row lock.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from models import InboundNotice, Notification, User
from models.base import utcnow
from models.enums import CHASE_EVENTS, AckVia
from models.enums import NotificationStatus as Status
from notify import audit
from notify.calendar import UK, uk_date
from notify.notifications import outbox
from notify.notifications.outbox import NotificationNotFound

# A reminder of a reminder is not made, but a chain is followed this far before giving up.
MAX_CHAIN = 10

__all__ = [
    "CannotAcknowledge",
    "CannotReopen",
    "NotificationNotFound",
    "acknowledge_notification",
    "acknowledged_on",
    "original_of",
    "reopen_acknowledgement",
]


class CannotAcknowledge(ValueError):
    """The notification has not been sent (or was withdrawn), so there is nothing to confirm."""


class CannotReopen(ValueError):
    """The notification is not acknowledged, so there is nothing to reopen."""


_NOT_YET = {
    Status.PENDING: "it has not been sent yet",
    Status.SENDING: "it is being sent at this moment",
    Status.NEEDS_ADDRESS: "it has not been sent: its recipient has no address",
    Status.FAILED: "sending it failed",
    Status.CANCELLED: "it was withdrawn before it was sent",
}


@dataclass(frozen=True)
class About:
    """Whom a notice is about, as far as its recipient may be told on a page or through the
    API: initials and a case reference, never a name."""

    initials: str
    case_reference: str
    placing_authority_code: str  # the authority that placed the child (or children)


def about(notification: Notification) -> About:
    """For a notice about one of our children or one hosted here, that child; for a query on
    an inbound notice, the child that notice named; for a reconciliation, the children the
    recipient placed here."""
    child = notification.child
    if child is not None:
        return About(child.initials, child.case_reference, child.responsible_authority_code)
    notice: InboundNotice | None = notification.inbound_notice
    if notice is not None:
        named = notice.payload.get("child") or {}
        initials = f"{named.get('given_name', '')[:1]}{named.get('family_name', '')[:1]}"
        return About(
            initials.upper() or "Not given",
            str(named.get("placing_authority_child_id") or notice.reference),
            notice.placing_authority_code,
        )
    return About("Several children", "listed in the email", notification.recipient_code or "")


def original_of(session: Session, notification_id: int) -> Notification:
    """The notification itself or, for a reminder or escalation, the one it chases."""
    notification = session.get(Notification, notification_id)
    for _ in range(MAX_CHAIN):
        if notification is None:
            break
        if notification.event not in CHASE_EVENTS or notification.reminder_of_id is None:
            return notification
        notification = session.get(Notification, notification.reminder_of_id)
    raise NotificationNotFound(f"There is no notification {notification_id}")


def acknowledge_notification(
    session: Session,
    notification_id: int,
    *,
    via: AckVia,
    name: str,
    email: str | None = None,
    note: str | None = None,
    user: User | None = None,
    at: datetime | None = None,
) -> Notification:
    """Record that a person confirmed receipt of a sent notification (or the one a reminder
    chases). Already acknowledged: returned unchanged. Not sent: CannotAcknowledge."""
    notification = original_of(session, notification_id)
    status = outbox.lock(session, [notification.id])[notification.id]
    if status == Status.ACKNOWLEDGED:
        return notification  # a second confirmation, or two at once: the first stands
    if status != Status.SENT:
        raise CannotAcknowledge(
            f"This notice cannot be acknowledged: {_NOT_YET.get(status, status.value)}."
        )
    at = at or utcnow()
    outbox.change_status(
        session,
        notification.id,
        Status.ACKNOWLEDGED,
        acknowledged_at=at,
        acknowledged_via=AckVia(via).value,
        acknowledged_by_name=name,
        acknowledged_by_email=email or None,
        acknowledgement_note=note or None,
    )
    detail: dict[str, Any] = {"via": AckVia(via).value}
    if notification.id != notification_id:
        detail["through"] = notification_id  # the reminder whose link was used
    if user is not None:
        detail["recorded_by"] = user.id
    audit.record("acknowledge", "notification", notification.id, **detail)
    session.refresh(notification)
    return notification


def reopen_acknowledgement(
    session: Session, notification_id: int, *, user: User | None, reason: str
) -> Notification:
    """Undo an acknowledgement recorded in error: the notification is sent and unacknowledged
    again (so it is chased again). The audit trail keeps what was undone and why."""
    notification = original_of(session, notification_id)
    status = outbox.lock(session, [notification.id])[notification.id]
    if status != Status.ACKNOWLEDGED:
        raise CannotReopen("This notice has not been acknowledged, so there is nothing to reopen.")
    undone = {
        "via": notification.acknowledged_via,
        "at": notification.acknowledged_at.isoformat() if notification.acknowledged_at else None,
    }
    outbox.change_status(
        session,
        notification.id,
        Status.SENT,
        acknowledged_at=None,
        acknowledged_via=None,
        acknowledged_by_name=None,
        acknowledged_by_email=None,
        acknowledgement_note=None,
    )
    audit.record(
        "reopen_acknowledgement",
        "notification",
        notification.id,
        reason=reason,
        undone=undone,
        **({"recorded_by": user.id} if user is not None else {}),
    )
    session.refresh(notification)
    return notification


def acknowledged_on(day: date, sent_at: datetime | None, now: datetime) -> datetime:
    """The time to record for an acknowledgement known only by its date (one received by
    phone or letter): midday in the UK, kept between the sending and now. ValueError if the
    date is in the future or before the notice was sent."""
    today = uk_date(now)
    if day > today:
        raise ValueError("The date it was acknowledged must be today or in the past")
    if sent_at is not None and day < uk_date(sent_at):
        sent = uk_date(sent_at)
        raise ValueError(
            f"The date it was acknowledged must be on or after the day it was sent "
            f"({sent.day} {sent:%B %Y})"
        )
    at = datetime.combine(day, time(12), tzinfo=UK).astimezone(UTC)
    if sent_at is not None:
        at = max(at, sent_at)
    return min(at, now)
