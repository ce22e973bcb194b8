"""The "send a reminder" button's guards: the limit of reminders (REMINDER_LIMIT, DOMAIN.md
§3: a reminder sent by hand counts towards it) and no second reminder to the same recipient
within REMINDER_MIN_INTERVAL_MINUTES (a double click, or two officers at once)."""

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import Notification
from models.enums import Event
from tests.support.builders import create_sent_notice
from tests.support.requests import expect_status, sign_in


def _reminders(session: Session, notice_id: int) -> int:
    session.expire_all()
    return (
        session.scalar(
            select(func.count()).where(
                Notification.reminder_of_id == notice_id, Notification.event == Event.REMINDER
            )
        )
        or 0
    )


def _age_reminders(session: Session, notice_id: int, by: timedelta) -> None:
    """Move the reminders already written back in time, as if sent `by` ago."""
    rows = session.scalars(select(Notification).where(Notification.reminder_of_id == notice_id))
    for row in rows:
        session.execute(
            update(Notification)
            .where(Notification.id == row.id)
            .values(created_at=row.created_at - by)
        )
    session.commit()


def test_a_second_reminder_to_the_same_recipient_within_the_hour_is_refused(
    client: FlaskClient, db_session: Session
) -> None:
    notice = create_sent_notice(db_session, date(2026, 11, 2))
    sign_in(client, db_session, "sqa_officer")
    back = f"/children/{notice.child_id}"

    expect_status(client.post(f"/notifications/{notice.id}/reminder", data={"next": back}), 302)
    expect_status(client.post(f"/notifications/{notice.id}/reminder", data={"next": back}), 302)

    assert _reminders(db_session, notice.id) == 1
    page = expect_status(client.get(back), 200).get_data(as_text=True)
    assert "wait 60 minutes between reminders to the same recipient" in page


def test_a_reminder_an_hour_after_the_last_is_sent(
    client: FlaskClient, db_session: Session
) -> None:
    notice = create_sent_notice(db_session, date(2026, 11, 2))
    sign_in(client, db_session, "sqa_officer")
    expect_status(client.post(f"/notifications/{notice.id}/reminder"), 302)
    _age_reminders(db_session, notice.id, timedelta(minutes=61))

    expect_status(client.post(f"/notifications/{notice.id}/reminder"), 302)

    assert _reminders(db_session, notice.id) == 2


@pytest.mark.parametrize(("limit", "pressed", "written"), [(3, 4, 3), (1, 2, 1), (2, 2, 2)])
def test_the_button_sends_no_reminder_past_the_limit(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    limit: int,
    pressed: int,
    written: int,
) -> None:
    notice = create_sent_notice(db_session, date(2026, 11, 2))
    sign_in(client, db_session, "sqa_officer")
    app.config["REMINDER_LIMIT"] = limit
    try:
        for _ in range(pressed):
            expect_status(client.post(f"/notifications/{notice.id}/reminder"), 302)
            _age_reminders(db_session, notice.id, timedelta(hours=2))
    finally:
        app.config["REMINDER_LIMIT"] = 3
    assert _reminders(db_session, notice.id) == written
    if pressed > written:
        page = expect_status(client.get(f"/children/{notice.child_id}"), 200).get_data(as_text=True)
        assert f"has had {limit} reminders, the limit" in page
