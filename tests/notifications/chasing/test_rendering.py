"""What a reminder and an escalation say, and that a reminder arrives like any notice."""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Notification
from models.enums import Event
from notify.notifications import outbox
from notify.notifications.channels.email import EmailChannel
from notify.notifications.chasing import chase
from notify.notifications.delivery import DeliverySettings, dispatch_once
from notify.notifications.rendering.batch import render_notification
from notify.notifications.tokens import read_acknowledge_token
from tests.support.builders import CHASE_SETTINGS, create_sent_notice, create_sqa_managers, later
from tests.support.mail import mail_to
from tests.support.smtp import SmtpSink

NAMES = {"given_name": "Philippa", "family_name": "Quist-Ramsbottom"}
LINK = re.compile(r"http://notify\.test/acknowledge/([A-Za-z0-9_.-]+)")


def _chase_of(session: Session, notice: Notification, event: Event) -> Notification:
    return session.scalars(
        select(Notification).where(
            Notification.reminder_of_id == notice.id, Notification.event == event
        )
    ).one()


def _acknowledges(text: str) -> int:
    """The notification the acknowledgement link in `text` is for."""
    found = LINK.search(text)
    assert found, text
    return read_acknowledge_token(found.group(1), timedelta(days=1))


def test_a_reminder_says_it_is_one_how_late_and_links_to_the_notice_it_chases(
    db_session: Session,
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18), sent_on=date(2026, 12, 11), **NAMES)
    chase(db_session, date(2026, 12, 30), CHASE_SETTINGS)  # 6 working days overdue
    reminder = _chase_of(db_session, notice, Event.REMINDER)
    original = render_notification(db_session, notice.id)

    message = render_notification(db_session, reminder.id)

    assert message.subject == f"Reminder: {original.subject}"
    assert message.message_id == f"<notification-{reminder.id}@placement-notify>"
    assert message.to == notice.address
    for body in (message.text, message.html):
        assert "6 working days overdue" in body
        assert "11 December 2026" in body  # when it was sent
        assert f"PN-{notice.id}" in body
        assert _acknowledges(body) == notice.id
        # not on a secure domain: no names, only the reference and the link
        assert "Philippa" not in body and "Quist" not in body


def test_a_reminder_to_a_secure_domain_repeats_the_notice_in_full(db_session: Session) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18), secure=True, **NAMES)
    chase(db_session, date(2026, 12, 21), CHASE_SETTINGS)
    reminder = _chase_of(db_session, notice, Event.REMINDER)

    message = render_notification(db_session, reminder.id)

    assert "1 working day overdue" in message.text
    assert "Name: Philippa Quist-Ramsbottom" in message.text
    assert "THE PLACEMENT" in message.text
    assert _acknowledges(message.text) == notice.id


def test_an_escalation_lists_the_notice_for_the_sqa_managers_with_the_childs_page(
    db_session: Session,
) -> None:
    create_sqa_managers(db_session)
    notice = create_sent_notice(db_session, date(2026, 12, 18), sent_on=date(2026, 12, 11), **NAMES)
    chase(db_session, date(2027, 1, 6), CHASE_SETTINGS)  # 10 working days overdue
    escalation = _chase_of(db_session, notice, Event.ESCALATION)
    child = notice.child

    message = render_notification(db_session, escalation.id)

    assert message.to == "sqa.managers@worcs.example"
    assert message.subject == (
        f"Not acknowledged: placement start notice for {child.initials} ({child.case_reference})"
    )
    text = message.text
    for line in (
        f"Child: {child.initials} (case reference {child.case_reference})",
        f"Notice: Placement start (PN-{notice.id})",
        f"Sent to: {notice.recipient_name}",
        "Sent on: 11 December 2026",
        "Acknowledge by: 18 December 2026",
        "Working days overdue: 10",
        "Reminders sent: 1",  # the latest due (reminder 2) written, the first skipped
        f"http://notify.test/children/{child.id}",
    ):
        assert line in text
    assert f'href="http://notify.test/children/{child.id}"' in message.html
    assert "/acknowledge/" not in text + message.html
    for body in (text, message.html):
        assert "Philippa" not in body and "Quist" not in body


@pytest.fixture
def channel(app: Flask, smtp_sink: SmtpSink) -> Iterator[EmailChannel]:
    with EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        yield channel


def test_a_reminder_is_delivered_by_the_outbox_like_a_notice(
    db_session: Session, channel: EmailChannel, smtp_sink: SmtpSink
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    chase(db_session, date(2026, 12, 21), CHASE_SETTINGS, now=datetime.now(UTC))
    reminder = _chase_of(db_session, notice, Event.REMINDER)

    dispatch_once(db_session, channel, later(), settings=DeliverySettings())

    received = [m for m in smtp_sink.messages() if m.message_id == reminder.message_id]
    assert len(received) == 1
    assert str(received[0].message["Subject"]).startswith("Reminder: Placement start: ")
    assert received[0].rcpt_tos == (notice.address,)
    assert _acknowledges(received[0].body("plain")) == notice.id
    db_session.refresh(reminder)
    assert reminder.status == "sent"
    # the original still waits for its acknowledgement
    db_session.refresh(notice)
    assert notice.status == "sent"
    assert outbox.lock(db_session, [notice.id]) == {notice.id: "sent"}
