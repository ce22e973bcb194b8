"""Chasing notices nobody has acknowledged (DOMAIN.md §3): reminders to the recipient on a
working-day clock, and one escalation to our SQA managers.

Each reminder or escalation is a notification of its own (`pending`, or `needs_address`),
sent by the same outbox, worker and retries as a notice. The n-th reminder of a notification
exists once (UNIQUE(reminder_of_id, event, chase_number)): `chase` locks the notifications it
chases and writes each row in a savepoint, so running it twice, or on two machines at once,
writes nothing twice and fails nothing. Nothing here commits: the caller does.
"""

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from models import Contact, Notification, Placement, User
from models.base import utcnow
from models.enums import (
    PARTNER_ROLES,
    STATUTORY_EVENTS,
    Division,
    Event,
    RecipientKind,
    RecipientRole,
)
from models.enums import NotificationStatus as Status
from notify.calendar import UK, CalendarRangeError
from notify.notifications import outbox
from notify.notifications.calendars import working_day_calendars
from notify.notifications.recipients import our_team
from notify.notifications.rendering.directory import recipient_divisions
from notify.notifications.successions import carry_to_successor

logger = logging.getLogger(__name__)

# Only the statutory notices are chased: not reminders, escalations or our own SQA alerts.
SQA_MANAGERS = "SQA managers"  # the escalation's recipient while the directory has none
# Overdue notifications locked and chased per statement: bounded memory and lock lists.
_BATCH = 200


# Two reminders to one recipient closer than this are a double click or two people at once.
MIN_REMINDER_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class ChaseSettings:
    reminder_every: int = 5  # working days between reminders
    escalate_after: int = 10  # working days overdue
    reminder_limit: int = 3
    home_authority: str = "E10000034"  # whose SQA managers are told

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "ChaseSettings":
        """The settings from the app's configuration, with these defaults where unset."""
        defaults = cls()
        return cls(
            reminder_every=int(config.get("REMINDER_EVERY_WORKING_DAYS", defaults.reminder_every)),
            escalate_after=int(config.get("ESCALATE_AFTER_WORKING_DAYS", defaults.escalate_after)),
            reminder_limit=int(config.get("REMINDER_LIMIT", defaults.reminder_limit)),
            home_authority=str(config.get("HOME_AUTHORITY", defaults.home_authority)),
        )


@dataclass
class ChaseResult:
    """What one pass of `chase` wrote."""

    overdue: int = 0  # overdue notifications looked at
    reminders: int = 0
    escalations: int = 0
    awaiting_address: int = 0  # of the escalations: no SQA manager in the directory yet
    already_written: int = 0  # written meanwhile by another chaser: left alone
    no_calendar: int = 0  # no bank holidays loaded for the days to count: not chased

    @property
    def written(self) -> int:
        return self.reminders + self.escalations


class CannotRemind(ValueError):
    """A reminder asked for that cannot be sent: the notice is not one awaiting acknowledgement."""


def reminder_due(overdue_days: int, settings: ChaseSettings) -> int:
    """The number of the latest reminder due `overdue_days` working days past acknowledge-by
    (reminder k falls due at 1 + (k - 1) * every); 0 when none is."""
    if overdue_days < 1 or settings.reminder_limit < 1:
        return 0
    if settings.reminder_every < 1:
        return 1
    return min(settings.reminder_limit, 1 + (overdue_days - 1) // settings.reminder_every)


def escalation_due(overdue_days: int, settings: ChaseSettings) -> bool:
    return overdue_days >= max(settings.escalate_after, 1)


def chase(
    session: Session, today: date, settings: ChaseSettings, *, now: datetime | None = None
) -> ChaseResult:
    """One pass: write each reminder and escalation due `today` that is not written yet, and
    record it on the notification chased. A notification far overdue when first seen gets
    the latest reminder due, not every one it missed."""
    now = now or utcnow()
    calendars = working_day_calendars(session)
    if not calendars[Division.ENGLAND_AND_WALES].covers(today):
        # Every count today would fail: say so once rather than once a notification.
        raise CalendarRangeError(
            f"{today.isoformat()} is outside the bank holidays loaded; load a newer file"
        )
    result = ChaseResult()
    candidates = session.scalars(overdue_notifications(today, settings)).all()
    manager = our_team(session, settings.home_authority, RecipientRole.SQA_MANAGER)
    for batch in _batches(candidates, _BATCH):
        # Locked, and read afresh: a chaser that waited for another's lock sees what it
        # wrote (and a notice acknowledged meanwhile drops out).
        notifications = session.scalars(
            select(Notification)
            .where(Notification.id.in_(batch), _overdue(today, settings))
            .order_by(Notification.id)
            .with_for_update()
            .options(selectinload(Notification.child))
            .execution_options(populate_existing=True)
        ).all()
        divisions = recipient_divisions(session, notifications)
        for notification in notifications:
            result.overdue += 1
            try:
                overdue_days = calendars[divisions[notification.id]].count(
                    notification.acknowledge_by,  # type: ignore[arg-type]  # filtered not null
                    today,
                )
            except CalendarRangeError:
                result.no_calendar += 1
                continue
            _chase_one(session, notification, overdue_days, today, now, settings, manager, result)
    logger.info(
        "Chased %d overdue notifications: %d reminders, %d escalations (%d waiting for an "
        "address), %d already written",
        result.overdue,
        result.reminders,
        result.escalations,
        result.awaiting_address,
        result.already_written,
        extra={
            "chase_date": today.isoformat(),
            "overdue": result.overdue,
            "reminders": result.reminders,
            "escalations": result.escalations,
            "awaiting_address": result.awaiting_address,
            "already_written": result.already_written,
            "no_calendar": result.no_calendar,
        },
    )
    return result


def overdue_notifications(today: date, settings: ChaseSettings) -> Select[int]:
    """The ids of the notifications to chase `today`, in id order (the order rows are locked
    in, so two chasers cannot deadlock)."""
    return select(Notification.id).where(_overdue(today, settings)).order_by(Notification.id)


def _overdue(today: date, settings: ChaseSettings) -> ColumnElement[bool]:
    """Sent, not acknowledged, past acknowledge-by and not chased to the end: a range of the
    (status, acknowledge_by) index, the rest checked on the rows it finds."""
    return and_(
        Notification.status == Status.SENT,
        Notification.acknowledge_by < today,
        Notification.event.in_(STATUTORY_EVENTS),
        # what happened is statutory, but telling our own partners of a child placed here is
        # not a notice we give: they are not chased, nor are our managers told of them
        Notification.recipient_role.not_in(sorted(PARTNER_ROLES)),
        # a placement withdrawn will not happen: its recipients were told so, not chased
        not_(
            exists().where(
                Placement.id == Notification.placement_id, Placement.withdrawn_at.is_not(None)
            )
        ),
        or_(
            Notification.reminders_sent < settings.reminder_limit,
            Notification.escalated_at.is_(None),
        ),
    )


def _chase_one(
    session: Session,
    notification: Notification,
    overdue_days: int,
    today: date,
    now: datetime,
    settings: ChaseSettings,
    manager: Contact | None,
    result: ChaseResult,
) -> None:
    number = reminder_due(overdue_days, settings)
    if number > notification.reminders_sent:
        # a notice to a body that has since ended is chased at its successor
        reminder = carry_to_successor(session, _reminder(notification, number, today, now), today)
        if _write(session, reminder):
            result.reminders += 1
        else:
            result.already_written += 1
        # reminders_sent is how far along the schedule the notification is: a reminder
        # skipped because the notice was first seen late is not owed later
        notification.reminders_sent = number
        notification.last_reminded_on = today
    if notification.escalated_at is None and escalation_due(overdue_days, settings):
        escalation = _write(session, _escalation(notification, manager, today, now))
        if escalation is not None:
            result.escalations += 1
            if escalation.status == Status.NEEDS_ADDRESS:
                result.awaiting_address += 1
        else:
            result.already_written += 1
        notification.escalated_at = now


def send_reminder_now(
    session: Session,
    notification_id: int,
    *,
    user: User,
    today: date,
    now: datetime | None = None,
    limit: int = ChaseSettings.reminder_limit,
    min_interval: timedelta = MIN_REMINDER_INTERVAL,
) -> Notification:
    """A reminder of a sent, unacknowledged notice now, whatever the schedule (the next
    reminder number), within the limit of reminders and not within `min_interval` of another
    reminder to the same address. Raises NotificationNotFound or CannotRemind."""
    status = outbox.lock(session, [notification_id])[notification_id]
    original = session.get(Notification, notification_id, populate_existing=True)
    assert original is not None  # lock found it
    if original.event not in STATUTORY_EVENTS or original.recipient_role in PARTNER_ROLES:
        raise CannotRemind("Only a placement notice we gave can be chased with a reminder")
    if status != Status.SENT:
        raise CannotRemind(
            f"Notice {original.reference} is {status.value.replace('_', ' ')}: only a notice "
            "sent and not yet acknowledged can be chased"
        )
    written = session.scalar(
        select(func.max(Notification.chase_number)).where(
            Notification.reminder_of_id == notification_id,
            Notification.event == Event.REMINDER,
        )
    )
    number = max(original.reminders_sent, written or 0) + 1
    if number > limit:
        raise CannotRemind(
            f"Notice {original.reference} has had {number - 1} reminders, the limit: "
            "escalate it to an SQA manager or record an acknowledgement instead"
        )
    now = now or utcnow()
    recent = session.scalar(
        select(func.max(Notification.created_at)).where(
            Notification.event == Event.REMINDER,
            Notification.address == original.address,
            Notification.created_at > now - min_interval,
        )
    )
    if original.address and recent is not None:
        raise CannotRemind(
            f"{original.recipient_name} was sent a reminder at {recent.astimezone(UK):%H:%M}: "
            f"wait {_minutes(min_interval)} between reminders to the same recipient"
        )
    reminder = _write(
        session, carry_to_successor(session, _reminder(original, number, today, now), today)
    )
    if reminder is None:
        # the row is locked, so only a reminder written outside this service gets here
        raise CannotRemind("A reminder of this notice has just been written: try again")
    original.reminders_sent = number
    original.last_reminded_on = today
    session.flush()
    logger.info(
        "Reminder %s of notification %s asked for by user %s",
        reminder.id,
        notification_id,
        user.id,
        extra={
            "notification_id": notification_id,
            "reminder_id": reminder.id,
            "chase_number": number,
            "user_id": user.id,
        },
    )
    return reminder


def _minutes(interval: timedelta) -> str:
    minutes = int(interval.total_seconds() // 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _reminder(original: Notification, number: int, today: date, now: datetime) -> dict[str, Any]:
    """The `number`-th reminder, to the notice's own recipient at the address it went to."""
    return dict(
        child_id=original.child_id,
        placement_id=original.placement_id,
        event=Event.REMINDER,
        recipient_kind=original.recipient_kind,
        recipient_role=original.recipient_role,
        recipient_code=original.recipient_code,
        recipient_name=original.recipient_name,
        channel=original.channel,
        address=original.address,
        send_by=today,
        next_attempt_at=now,
        reminder_of_id=original.id,
        chase_number=number,
    )


def _escalation(
    original: Notification, manager: Contact | None, today: date, now: datetime
) -> dict[str, Any]:
    """The escalation to our SQA managers; it waits for an address (released by
    outbox.address_added) while the directory has none."""
    return dict(
        child_id=original.child_id,
        placement_id=original.placement_id,
        event=Event.ESCALATION,
        recipient_kind=RecipientKind.INTERNAL,
        recipient_role=RecipientRole.SQA_MANAGER,
        recipient_code=str(manager.id) if manager is not None else None,
        recipient_name=manager.name if manager is not None else SQA_MANAGERS,
        address=manager.email if manager is not None else None,
        send_by=today,
        next_attempt_at=now,
        reminder_of_id=original.id,
        chase_number=1,
    )


def _write(session: Session, columns: dict[str, Any]) -> Notification | None:
    """Enqueue a reminder or escalation in a savepoint; None (and nothing written) if it
    already exists."""
    try:
        with session.begin_nested():
            return outbox.enqueue(session, **columns)
    except IntegrityError:
        # UNIQUE(reminder_of_id, event, chase_number): another chaser wrote it first.
        # Any other broken constraint is a fault, not a race.
        existing = session.scalar(
            select(Notification.id).where(
                Notification.reminder_of_id == columns["reminder_of_id"],
                Notification.event == columns["event"],
                Notification.chase_number == columns["chase_number"],
            )
        )
        if existing is None:
            raise
        return None


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
