"""Delivery: claim, render, send over real SMTP, record each attempt, and move the status on."""

import random
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Authority, DeliveryAttempt, Notification
from models.base import utcnow
from models.enums import NotificationStatus as Status
from notify.notifications import outbox
from notify.notifications.channels.email import EmailChannel
from notify.notifications.delivery import DeliverySettings, dispatch_once, retry_delay
from tests.support.builders import (
    EDINBURGH,
    FRIDAY_BEFORE_ST_ANDREWS,
    HEREFORDSHIRE,
    HW_ICB,
    due_since,
    give_every_body_an_address,
    later,
    placed_child_notices,
)
from tests.support.mail import mail_to
from tests.support.smtp import SmtpSink

SETTINGS = DeliverySettings(retry_base=timedelta(minutes=1), retry_cap=timedelta(hours=24))


def _attempts(session: Session, notification: Notification) -> list[tuple[str, str | None]]:
    return [
        (a.outcome, a.error)
        for a in session.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.notification_id == notification.id)
            .order_by(DeliveryAttempt.id)
        )
    ]


@pytest.fixture
def channel(app: Flask, smtp_sink: SmtpSink) -> Iterator[EmailChannel]:
    with EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        yield channel


def test_each_due_notification_is_sent_once_and_recorded_as_sent(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    notices = placed_child_notices(db_session, "HR1 1AA")
    pending = [n for n in notices if n.status == Status.PENDING]
    waiting = [n for n in notices if n.status == Status.NEEDS_ADDRESS]
    now = later()

    done = dispatch_once(db_session, channel, now, settings=SETTINGS)

    assert (done.sent, done.retrying, done.failed) == (len(pending), 0, 0)
    assert sorted(smtp_sink.message_ids()) == sorted(n.message_id for n in pending)
    for notification in pending:
        db_session.refresh(notification)
        assert (notification.status, notification.sent_at, notification.attempts) == (
            Status.SENT,
            now,
            1,
        )
        assert notification.claimed_by is None and notification.next_attempt_at is None
        assert _attempts(db_session, notification) == [("sent", None)]
    for notification in waiting:
        db_session.refresh(notification)
        assert notification.status == Status.NEEDS_ADDRESS
    assert dispatch_once(db_session, channel, now).claimed == 0
    assert len(smtp_sink.messages()) == len(pending)


def test_each_message_goes_to_its_recipients_address_and_subject_names_no_child(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    placed_child_notices(db_session, "HR1 1AA", given_name="Florentyna", family_name="Quist")
    dispatch_once(db_session, channel, later(), settings=SETTINGS)
    received = {m.rcpt_tos[0]: m for m in smtp_sink.messages()}
    assert set(received) == {
        f"notifications@{HEREFORDSHIRE.lower()}.example",
        f"notifications@{HW_ICB.lower()}.example",
    }
    for message in received.values():
        assert "FQ (" in message.message["Subject"]
        assert "Florentyna" not in message.message["Subject"]
        assert "Quist" not in message.message["Subject"]


@pytest.mark.parametrize(
    ("recipient", "acknowledge_by"),
    [
        (EDINBURGH, date(2026, 12, 7)),  # Scotland: St Andrew's Day is a bank holiday
        ("S08000024", date(2026, 12, 7)),  # NHS Lothian, a Scottish health board
        (HW_ICB, date(2026, 12, 4)),  # England: Monday 30 November is a working day
    ],
)
def test_acknowledge_by_counts_working_days_where_the_recipient_works(
    channel: EmailChannel,
    db_session: Session,
    smtp_sink: SmtpSink,
    recipient: str,
    acknowledge_by: date,
) -> None:
    give_every_body_an_address(db_session)
    notices = placed_child_notices(db_session, "EH1 1AD")
    due_since(db_session, FRIDAY_BEFORE_ST_ANDREWS - timedelta(hours=1))

    dispatch_once(db_session, channel, FRIDAY_BEFORE_ST_ANDREWS)

    notification = next(n for n in notices if n.recipient_code == recipient)
    db_session.refresh(notification)
    assert notification.status == Status.SENT
    assert notification.acknowledge_by == acknowledge_by


def test_working_days_are_counted_from_the_day_in_the_uk_not_in_utc(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session, "HR1 1AA")[0]
    # 23:30 UTC on Thursday 30 July 2026 is 00:30 on Friday 31 July in London (BST)
    just_after_midnight = FRIDAY_BEFORE_ST_ANDREWS.replace(month=7, day=30, hour=23, minute=30)
    due_since(db_session, just_after_midnight - timedelta(hours=1))
    dispatch_once(db_session, channel, just_after_midnight)
    db_session.refresh(notification)
    assert notification.acknowledge_by == date(2026, 8, 7)  # Friday + 5 working days


def test_a_transient_failure_is_retried_later_with_backoff_and_the_attempt_recorded(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session, "HR1 1AA")[0]
    smtp_sink.refuse[notification.address or ""] = "451 4.7.1 Greylisted, try again later"
    now = later()

    done = dispatch_once(db_session, channel, now, settings=SETTINGS)

    assert done.retrying == 1
    db_session.refresh(notification)
    assert (notification.status, notification.attempts, notification.claimed_by) == (
        Status.PENDING,
        1,
        None,
    )
    assert notification.next_attempt_at is not None
    assert now + timedelta(seconds=30) <= notification.next_attempt_at <= now + timedelta(minutes=1)
    assert "451" in (notification.last_error or "")
    assert _attempts(db_session, notification) == [("transient", notification.last_error)]
    # Not due again until the backoff has passed, then it goes.
    assert dispatch_once(db_session, channel, now, settings=SETTINGS).claimed == 0
    del smtp_sink.refuse[notification.address or ""]
    done = dispatch_once(db_session, channel, now + timedelta(minutes=1), settings=SETTINGS)
    assert done.sent == 1
    db_session.refresh(notification)
    assert (notification.status, notification.attempts, notification.last_error) == (
        Status.SENT,
        2,
        None,
    )


def test_a_permanent_failure_marks_it_failed_with_the_reason_until_resent_to_a_fixed_address(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    notification = next(
        n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code == HEREFORDSHIRE
    )
    smtp_sink.refuse[notification.address or ""] = "550 5.1.1 No such mailbox"
    now = later()

    assert dispatch_once(db_session, channel, now, settings=SETTINGS).failed == 1

    db_session.refresh(notification)
    assert notification.status == Status.FAILED
    assert notification.last_error == "SMTP 550 5.1.1 No such mailbox"
    assert notification.next_attempt_at is None
    assert dispatch_once(db_session, channel, now + timedelta(days=2)).claimed == 0

    authority = db_session.get(Authority, HEREFORDSHIRE)
    assert authority is not None
    authority.notification_email = "children.placements@herefordshire.example"
    outbox.resend(db_session, notification.id, now)
    done = dispatch_once(db_session, channel, now, settings=SETTINGS)

    assert done.sent == 1
    db_session.refresh(notification)
    assert notification.status == Status.SENT
    (arrived,) = [m for m in smtp_sink.messages() if m.message_id == notification.message_id]
    assert arrived.rcpt_tos == ("children.placements@herefordshire.example",)
    assert [outcome for outcome, _ in _attempts(db_session, notification)] == [
        "permanent",
        "sent",
    ]


def test_a_notification_failing_transiently_for_too_long_fails_and_a_resend_starts_afresh(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session, "HR1 1AA")[0]
    smtp_sink.refuse[notification.address or ""] = "421 4.3.2 Mailbox busy"
    settings = DeliverySettings(
        retry_base=timedelta(hours=1), retry_cap=timedelta(hours=8), give_up_after=timedelta(days=1)
    )
    start = later()

    def retry_until_it_stops(start: datetime) -> list[str]:
        outcomes = []
        now = start
        for _ in range(20):
            done = dispatch_once(db_session, channel, now, settings=settings)
            outcomes.append("retrying" if done.retrying else "failed" if done.failed else "-")
            db_session.refresh(notification)
            if notification.status == Status.FAILED:
                break
            assert notification.next_attempt_at is not None
            now = notification.next_attempt_at
        return outcomes

    outcomes = retry_until_it_stops(start)

    assert outcomes[-1] == "failed" and set(outcomes[:-1]) == {"retrying"}
    assert len(outcomes) >= 4  # 1 h, 2 h, 4 h, then 8 h at most between attempts
    assert notification.last_error is not None
    hours = re.match(r"Not delivered in (\d+) hours", notification.last_error)
    assert hours is not None and 24 <= int(hours.group(1)) <= 32  # a day, plus one last delay
    assert notification.last_error.endswith("the last error: SMTP 421 4.3.2 Mailbox busy")
    assert f"({len(outcomes)} attempts)" in notification.last_error
    # Resent by a person: the clock starts again from the next attempt, not the first ever.
    later_start = start + timedelta(days=3)
    outbox.resend(db_session, notification.id, later_start)
    again = retry_until_it_stops(later_start)
    assert again[-1] == "failed" and len(again) >= 4
    del smtp_sink.refuse[notification.address or ""]


def test_a_notification_waiting_for_an_address_goes_once_the_directory_has_one(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    notices = placed_child_notices(db_session, "HR1 1AA")  # no addresses anywhere yet
    assert dispatch_once(db_session, channel, later()).claimed == 0

    give_every_body_an_address(db_session)
    outbox.address_added(db_session, "authority", HEREFORDSHIRE)
    done = dispatch_once(db_session, channel, later(), settings=SETTINGS)

    assert done.sent == 1
    herefordshire = next(n for n in notices if n.recipient_code == HEREFORDSHIRE)
    assert smtp_sink.message_ids() == [herefordshire.message_id]


def test_a_notice_that_cannot_be_rendered_fails_with_the_reason_and_the_rest_still_go(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    broken, fine = [n for n in placed_child_notices(db_session) if n.status == Status.PENDING]
    db_session.execute(
        update(Notification).where(Notification.id == broken.id).values(address=None)
    )

    done = dispatch_once(db_session, channel, later(), settings=SETTINGS)

    assert (done.sent, done.failed) == (1, 1)
    db_session.refresh(broken)
    assert broken.status == Status.FAILED
    assert "Could not render the notice" in (broken.last_error or "")
    assert smtp_sink.message_ids() == [fine.message_id]


def test_a_worker_told_to_stop_finishes_the_message_in_hand_and_hands_back_the_rest(
    channel: EmailChannel, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    for _ in range(3):
        placed_child_notices(db_session, "HR1 1AA")
    asked = []

    def stop() -> bool:
        asked.append(True)
        return len(asked) > 2  # after two messages

    done = dispatch_once(db_session, channel, later(), settings=SETTINGS, stop=stop)

    assert (done.sent, done.released) == (2, 4)
    assert len(smtp_sink.messages()) == 2
    statuses = db_session.scalars(
        select(Notification.status).where(Notification.claimed_by.is_not(None))
    ).all()
    assert statuses == []  # nothing left claimed


@pytest.mark.parametrize(
    ("attempt", "at_least", "at_most"),
    [
        (1, timedelta(seconds=30), timedelta(minutes=1)),
        (2, timedelta(minutes=1), timedelta(minutes=2)),
        (5, timedelta(minutes=8), timedelta(minutes=16)),
        (11, timedelta(hours=8, minutes=32), timedelta(hours=17, minutes=4)),
        (12, timedelta(hours=12), timedelta(hours=24)),  # the cap
        (60, timedelta(hours=12), timedelta(hours=24)),
    ],
)
def test_retries_back_off_exponentially_with_jitter_up_to_a_day(
    attempt: int, at_least: timedelta, at_most: timedelta
) -> None:
    delays = {
        retry_delay(attempt, timedelta(minutes=1), timedelta(hours=24), random.Random(seed))
        for seed in range(50)
    }
    assert all(at_least <= delay <= at_most for delay in delays)
    assert len(delays) > 40  # jittered: no two workers retry in step


def test_settings_come_from_the_configuration_with_defaults() -> None:
    settings = DeliverySettings.from_config(
        {
            "DELIVERY_LEASE_SECONDS": "90",
            "DELIVERY_BATCH_SIZE": 7,
            "ACKNOWLEDGE_WITHIN_WORKING_DAYS": 3,
        }
    )
    assert (settings.lease, settings.batch_size, settings.acknowledge_within) == (
        timedelta(seconds=90),
        7,
        3,
    )
    assert settings.retry_cap == timedelta(hours=24)
    assert settings.give_up_after == timedelta(hours=72)
    assert DeliverySettings.from_config({"DELIVERY_GIVE_UP_HOURS": 6}).give_up_after == timedelta(
        hours=6
    )
    assert utcnow()  # the module's clock is timezone-aware UTC
