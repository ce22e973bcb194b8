"""Withdrawing a planned placement that will not happen (DOMAIN.md §1, API.md).

Only a placement that has not started, and is the child's latest, can be withdrawn: its
notices not yet sent are cancelled; everyone already sent one gets a withdrawal notice; the
placement the planned move would have ended is open again. The withdrawn placement is kept,
marked withdrawn, and is never current again. Like the other service functions, these add
to the session and leave the commit to the caller.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Child, Notification, Placement
from models.base import utcnow
from models.enums import CHASE_EVENTS, Division, Event, NotificationStatus, RecipientRole
from notify import codes
from notify.calendar import CalendarRangeError
from notify.notifications import outbox
from notify.notifications.calendars import working_day_calendars
from notify.notifications.recipients import directory_address
from notify.placements.service import REASON_MAX_LENGTH, Recorded, check_version
from notify.problems import Conflict, InvalidInput

# DOMAIN.md §1: a withdrawal is notified as soon as it is recorded (1 working day).
WITHDRAWAL_NOTICE_WORKING_DAYS = 1
WITHDRAWAL_REASON_MISSING = "Say why the placement will not happen"
# Whoever was sent one of these has been told of the placement.
_TOLD = (NotificationStatus.SENT, NotificationStatus.ACKNOWLEDGED)
# The people a planned move brings in or sends away, with the placement.
_MOVING_ROLES = (RecipientRole.GP, RecipientRole.SCHOOL)


class CannotWithdraw(Conflict):
    """The placement is not one that can be withdrawn (it has started, or is not the latest)."""


@dataclass(frozen=True)
class WithdrawalPlan:
    """What withdrawing a placement will do: shown to the person before they confirm."""

    placement: Placement
    # the placement the planned move ended, reopened by the withdrawal
    reopened: Placement | None
    # one notice per recipient already told of the placement (or of the move's end notice)
    told: tuple[Notification, ...]
    # notices not yet sent, to be cancelled
    unsent: tuple[Notification, ...]


def withdrawable_placement(child: Child, today: date) -> Placement | None:
    """The placement of the child that can be withdrawn, if any: the latest, not started."""
    standing = [p for p in child.placements if not p.withdrawn]
    latest = max(standing, key=lambda p: p.start_date) if standing else None
    return latest if latest is not None and latest.start_date > today else None


def plan_withdrawal(
    session: Session, child: Child, placement: Placement, today: date
) -> WithdrawalPlan:
    """Work out, without writing anything, what withdrawing `placement` will do."""
    if placement.withdrawn:
        raise CannotWithdraw("This placement has already been withdrawn")
    if placement.start_date <= today:
        raise CannotWithdraw(
            f"This placement started on {placement.start_date:%-d %B %Y}: a placement can "
            "only be withdrawn before it starts; end it or correct it instead"
        )
    standing = [p for p in child.placements if not p.withdrawn]
    if max(standing, key=lambda p: p.start_date) is not placement:
        raise CannotWithdraw(
            "A later placement is recorded for this child: withdraw that one first"
        )
    earlier = [p for p in standing if p.start_date < placement.start_date]
    previous = max(earlier, key=lambda p: p.start_date) if earlier else None
    reopened = previous if previous is not None and _ended_by_move(previous, placement) else None
    notices = _notices_of(session, placement, reopened)
    told: dict[tuple[str, str], Notification] = {}
    for n in notices:
        if n.status in _TOLD:
            told.setdefault((n.recipient_kind, n.recipient_code or n.recipient_role), n)
    unsent = tuple(n for n in notices if n.status in outbox.UNSENT)
    return WithdrawalPlan(placement, reopened, tuple(told.values()), unsent)


def withdraw_placement(
    session: Session,
    child: Child,
    placement: Placement,
    *,
    reason: str | None,
    expected_version: int,
    actor_id: int | None,
    today: date,
) -> Recorded:
    """Withdraw a planned placement before it starts, in the caller's transaction: returns
    it with the withdrawal notices written."""
    check_version(child, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": [WITHDRAWAL_REASON_MISSING]})
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            {"reason": [f"Give the reason in at most {REASON_MAX_LENGTH} characters"]}
        )
    plan = plan_withdrawal(session, child, placement, today)
    try:
        send_by = working_day_calendars(session)[Division.ENGLAND_AND_WALES].add(
            today, WITHDRAWAL_NOTICE_WORKING_DAYS
        )
    except CalendarRangeError as exc:
        raise InvalidInput({"reason": [f"We cannot count working days from today: {exc}"]}) from exc
    outbox.cancel_for_placement(session, placement.id)
    if plan.reopened is not None:
        _reopen(session, plan.reopened)
    _undo_people(child, placement, plan.reopened)
    placement.withdrawn_at = utcnow()
    placement.withdrawn_reason = reason
    placement.withdrawn_by_id = actor_id
    child.updated_at = utcnow()  # bumps the child's version: a concurrent change now conflicts
    notifications = [
        outbox.enqueue(
            session,
            child=child,
            placement=placement,
            event=Event.PLACEMENT_WITHDRAWN,
            recipient_kind=n.recipient_kind,
            recipient_role=n.recipient_role,
            recipient_code=n.recipient_code,
            recipient_name=n.recipient_name,
            # where the directory sends to now, else where the notice went
            address=directory_address(session, n.recipient_kind, n.recipient_code) or n.address,
            send_by=send_by,
        )
        for n in plan.told
    ]
    session.flush()
    return Recorded(placement, notifications)


def _ended_by_move(previous: Placement, placement: Placement) -> bool:
    """Whether recording `placement` ended `previous` (a move ends it with REC X1, on the
    day before the new start or, as the 903 return records it, on that day)."""
    return (
        previous.end_date is not None
        and previous.end_reason == codes.REC_NEW_EPISODE_SAME_DAY
        and 0 <= (placement.start_date - previous.end_date).days <= 1
    )


def _notices_of(
    session: Session, placement: Placement, reopened: Placement | None
) -> list[Notification]:
    """The notices about the planned placement: its own, and the end notices the move wrote
    for the placement it ended. Chases repeat a notice, and are not a notice of their own."""
    about = Notification.placement_id == placement.id
    if reopened is not None:
        about = about | (
            (Notification.placement_id == reopened.id) & (Notification.event == Event.PLACEMENT_END)
        )
    return list(
        session.scalars(
            select(Notification)
            .where(about, Notification.event.not_in([e.value for e in CHASE_EVENTS]))
            .order_by(Notification.id)
        )
    )


def _reopen(session: Session, previous: Placement) -> None:
    """The placement the move ended goes on: open again, its end notices not yet sent
    cancelled."""
    previous.end_date = None
    previous.end_reason = None
    previous.destination = None
    previous.end_not_practicable_reason = None
    outbox.cancel_for_placement(session, previous.id, events=(Event.PLACEMENT_END,))


def _undo_people(child: Child, placement: Placement, reopened: Placement | None) -> None:
    """The people the planned move changed go back: its new carer, GP and school are not the
    child's; the carer, GP and school it replaced are again."""
    start = placement.start_date
    for person in child.contacts:
        brought = person.placement_id == placement.id or person.role in _MOVING_ROLES
        if person.active and person.started_on == start and brought:
            person.active = False
            person.ended_on = start  # never, in the end
            person.updated_at = utcnow()
            continue
        sent_away = person.role in _MOVING_ROLES or (
            reopened is not None
            and person.role == RecipientRole.CARER
            and person.placement_id == reopened.id
        )
        if not person.active and person.ended_on == start and sent_away:
            person.active = True
            person.ended_on = None
            person.updated_at = utcnow()
