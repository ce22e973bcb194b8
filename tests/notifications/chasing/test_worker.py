"""The worker chases once a working day, from CHASE_HOUR UK time, then sends what it wrote."""

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from notify.notifications.channels.email import EmailChannel
from notify.notifications.delivery import DeliverySettings
from notify.notifications.worker import Worker
from tests.support.builders import CHASE_SETTINGS, create_sent_notice, due_since
from tests.support.mail import mail_to
from tests.support.queries import chases_of
from tests.support.smtp import SmtpSink


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def channel(app: Flask, smtp_sink: SmtpSink) -> Iterator[EmailChannel]:
    with EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        yield channel


def _worker(session: Session, channel: EmailChannel, clock: Clock) -> Worker:
    return Worker(
        session,
        channel,
        DeliverySettings(),
        poll_seconds=0.05,
        chase_settings=CHASE_SETTINGS,
        chase_hour=7,
        clock=clock,
    )


@pytest.mark.parametrize(
    ("now", "chases"),
    [
        (datetime(2026, 12, 21, 6, 59, tzinfo=UTC), False),  # Monday, before 7 (GMT)
        (datetime(2026, 12, 21, 7, 0, tzinfo=UTC), True),
        (datetime(2026, 12, 21, 16, 0, tzinfo=UTC), True),  # first poll of the day, late
        (datetime(2026, 12, 19, 9, 0, tzinfo=UTC), False),  # Saturday
        (datetime(2026, 12, 28, 9, 0, tzinfo=UTC), False),  # Boxing Day (substitute)
        (datetime(2026, 6, 15, 6, 30, tzinfo=UTC), True),  # 07:30 in the UK (BST)
        (datetime(2026, 6, 15, 5, 59, tzinfo=UTC), False),  # 06:59 in the UK (BST)
    ],
)
def test_the_worker_chases_from_the_chase_hour_uk_time_on_working_days(
    db_session: Session, channel: EmailChannel, now: datetime, chases: bool
) -> None:
    worker = _worker(db_session, channel, Clock(now))

    assert (worker.chase_if_due() is not None) is chases


def test_the_worker_chases_once_a_day_and_again_the_next_working_day(
    db_session: Session, channel: EmailChannel
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 11))
    clock = Clock(datetime(2026, 12, 21, 7, 5, tzinfo=UTC))  # d = 6
    worker = _worker(db_session, channel, clock)

    first = worker.chase_if_due()
    clock.now = datetime(2026, 12, 21, 7, 6, tzinfo=UTC)
    second = worker.chase_if_due()
    clock.now = datetime(2026, 12, 22, 7, 0, tzinfo=UTC)  # d = 7: nothing new is due
    third = worker.chase_if_due()

    assert first is not None and first.reminders >= 1
    assert second is None
    assert third is not None and third.written == 0
    assert [(e, n) for e, n, _ in chases_of(db_session, notice)] == [("reminder", 2)]


def test_a_worker_started_after_the_chase_hour_chases_then_sends_the_reminder_at_once(
    db_session: Session, channel: EmailChannel, smtp_sink: SmtpSink
) -> None:
    notice_id = create_sent_notice(db_session, date(2026, 12, 18)).id
    due_since(db_session, datetime(2100, 1, 1, tzinfo=UTC))  # the placement's other notices wait
    db_session.commit()
    worker = _worker(db_session, channel, Clock(datetime(2026, 12, 21, 7, 30, tzinfo=UTC)))
    smtp_sink.on_accept = lambda _: worker.stop()
    timeout = threading.Timer(20, worker.stop)
    timeout.start()
    try:
        done = worker.run(install_signal_handlers=False)
    finally:
        timeout.cancel()

    assert done.sent == 1
    [message] = smtp_sink.messages()
    assert str(message.message["Subject"]).startswith("Reminder: ")
    assert chases_of(db_session, notice_id) == [("reminder", 1, "sent")]
