"""Builders for the chasing tests: a notice sent some time ago and not yet acknowledged."""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Contact, Notification, User
from models.enums import Event
from models.enums import NotificationStatus as Status
from notify.chasing.service import ChaseSettings
from notify.notifications import outbox
from tests.builders import HOME
from tests.notifications.helpers import (
    EDINBURGH,
    HEREFORDSHIRE,
    give_every_body_an_address,
    placed_child_notices,
)

SETTINGS = ChaseSettings(reminder_every=5, escalate_after=10, reminder_limit=3, home_authority=HOME)
# Where each recipient is, for a placement there: its area authority gets the notice chased.
POSTCODES = {HEREFORDSHIRE: "HR1 1AA", EDINBURGH: "EH1 1AD"}


def sent_notice(
    session: Session,
    acknowledge_by: date,
    recipient: str = HEREFORDSHIRE,
    *,
    sent_on: date | None = None,
    secure: bool = False,
    directory: bool = True,
    **child: Any,
) -> Notification:
    """A child placed where `recipient` is the area authority, and that authority's start
    notice sent (by the outbox, as delivery does) and due to be acknowledged by then.
    `directory=False` leaves the directory's addresses alone (a database other tests share)."""
    if directory:
        give_every_body_an_address(session, secure=secure)
    notices = placed_child_notices(session, POSTCODES[recipient], **child)
    notice = next(
        n for n in notices if n.recipient_code == recipient and n.event == Event.PLACEMENT_START
    )
    if not directory:
        outbox.change_status(
            session, notice.id, Status.PENDING, address=f"placements@{recipient.lower()}.example"
        )
    sent_at = datetime.combine(sent_on or acknowledge_by, time(10), tzinfo=UTC)
    outbox.change_status(session, notice.id, Status.SENDING, claimed_by="test")
    outbox.change_status(
        session,
        notice.id,
        Status.SENT,
        sent_at=sent_at,
        acknowledge_by=acknowledge_by,
        claimed_by=None,
        next_attempt_at=None,
    )
    session.refresh(notice)
    return notice


def chases_of(session: Session, notice: Notification | int) -> list[tuple[str, int | None, str]]:
    """(event, chase number, status) of each reminder and escalation of `notice`."""
    notice_id = notice if isinstance(notice, int) else notice.id
    rows = session.execute(
        select(Notification.event, Notification.chase_number, Notification.status)
        .where(Notification.reminder_of_id == notice_id)
        .order_by(Notification.event.desc(), Notification.chase_number)
    )
    return [(event, number, status) for event, number, status in rows]


def add_sqa_managers(session: Session, email: str | None = "sqa.managers@worcs.example") -> Contact:
    """Our SQA managers' inbox, a contact of our own authority."""
    contact = Contact(authority_code=HOME, role="sqa_manager", name="SQA managers", email=email)
    session.add(contact)
    session.flush()
    return contact


def a_user(session: Session, role: str) -> User:
    """Someone signed in with `role` (no password: the service tests do not sign in)."""
    user = User(
        email=f"{role}.{session.scalar(select(func.count()).select_from(User))}@worcs.example",
        name=f"Sam {role.title()}",
        role=role,
        password_hash="x",
    )
    session.add(user)
    session.flush()
    return user
