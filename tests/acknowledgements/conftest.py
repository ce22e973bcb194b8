"""Notices that have been sent, ready to acknowledge; and the mail fixtures of the delivery
tests (a loopback SMTP sink, and the guard against mail a test did not expect)."""

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Notification
from models.base import utcnow
from models.enums import Event
from models.enums import NotificationStatus as Status
from notify import create_app
from notify.config import for_testing
from notify.extensions import limiter
from notify.notifications import outbox
from tests.notifications.conftest import mail_guard, smtp_sink  # noqa: F401 (fixtures)
from tests.notifications.helpers import give_every_body_an_address, placed_child_notices

HEREFORDSHIRE = "E06000019"  # where the child is placed: the area authority told
NOTTINGHAMSHIRE = "E10000024"  # an authority told nothing
GIVEN, FAMILY = "Florentyna", "Quist"  # names no page or answer may show the recipient


def sent_notice(session: Session, *, sent_at: datetime | None = None) -> Notification:
    """One of our children placed in Herefordshire, and the notice to Herefordshire sent."""
    give_every_body_an_address(session)
    notices = placed_child_notices(session, "HR1 1AA", given_name=GIVEN, family_name=FAMILY)
    notice = next(n for n in notices if n.recipient_code == HEREFORDSHIRE)
    mark_sent(session, notice, sent_at or utcnow() - timedelta(days=1))
    return notice


def mark_sent(session: Session, notice: Notification, at: datetime) -> None:
    """Move a pending notice on as the delivery worker does when the relay accepts it."""
    outbox.change_status(session, notice.id, Status.SENDING, claimed_by="test")
    outbox.change_status(
        session,
        notice.id,
        Status.SENT,
        claimed_by=None,
        sent_at=at,
        next_attempt_at=None,
        acknowledge_by=at.date() + timedelta(days=7),
    )
    session.commit()
    session.refresh(notice)


def reminder_of(session: Session, notice: Notification) -> Notification:
    """The first reminder chasing `notice`, as the chaser writes it."""
    reminder = Notification(
        child_id=notice.child_id,
        placement_id=notice.placement_id,
        event=Event.REMINDER,
        recipient_kind=notice.recipient_kind,
        recipient_role=notice.recipient_role,
        recipient_code=notice.recipient_code,
        recipient_name=notice.recipient_name,
        address=notice.address,
        send_by=date.today(),
        reminder_of_id=notice.id,
        chase_number=1,
    )
    session.add(reminder)
    session.commit()
    return reminder


def audit_count(session: Session, action: str | None = None) -> int:
    statement = select(func.count()).select_from(AuditEvent)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return session.scalar(statement) or 0


def audit_events(session: Session, subject_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == "notification", AuditEvent.subject_id == str(subject_id)
            )
            .order_by(AuditEvent.id)
        )
    )


class _SignedLongAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 91 * 24 * 3600  # ACKNOWLEDGE_LINK_DAYS is 90


def token_signed(secret: str, value: object, *, long_ago: bool = False) -> str:
    """A token made as ours are, with `secret`, optionally 91 days ago."""
    signer = _SignedLongAgo if long_ago else TimestampSigner
    return URLSafeTimedSerializer(secret, salt="acknowledge", signer=signer).dumps(value)


@pytest.fixture
def strict_app(app: Flask, db_session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app as it runs for real: CSRF checked and the link's POST rate-limited. Same
    database and the same rolled-back transaction as `app`."""
    # The limiter is one object for every app in the process: put it back as it was.
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    strict = create_app(
        {
            **for_testing(app.config["SQLALCHEMY_DATABASE_URI"]),
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": True,
        }
    )
    limiter.reset()
    yield strict
    limiter.reset()
