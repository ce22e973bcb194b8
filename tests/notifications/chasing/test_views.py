"""The "send a reminder now" button: who may press it, what it writes, where it goes back to."""

from datetime import date

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from models import AuditEvent, Notification
from models.enums import Event
from models.enums import NotificationStatus as Status
from notify.notifications import outbox
from tests.support.builders import create_sent_notice
from tests.support.queries import chases_of
from tests.support.requests import expect_status, sign_in


def _remind(client: FlaskClient, notification_id: int, **form: str) -> TestResponse:
    return client.post(f"/notifications/{notification_id}/reminder", data=form)


def test_the_route_is_named_chasing_remind(app: Flask) -> None:
    with app.test_request_context():
        assert url_for("acknowledgements.remind", notification_id=7) == "/notifications/7/reminder"


@pytest.mark.parametrize("role", ["sqa_officer", "manager", "admin"])
def test_sqa_officers_managers_and_admins_send_a_reminder_now_and_it_is_audited(
    client: FlaskClient, db_session: Session, role: str
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    user = sign_in(client, db_session, role)
    back = f"/children/{notice.child_id}"

    response = _remind(client, notice.id, next=back)

    assert response.status_code == 302
    assert response.headers["Location"] == back
    assert chases_of(db_session, notice) == [("reminder", 1, Status.PENDING)]
    reminder = db_session.scalars(
        select(Notification).where(Notification.reminder_of_id == notice.id)
    ).one()
    audit = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "send_reminder", AuditEvent.subject_id == str(notice.id)
        )
    ).one()
    assert (audit.user_id, audit.subject_type) == (user.id, "notification")
    assert audit.detail == {
        "reminder_id": reminder.id,
        "chase_number": 1,
        "child_id": notice.child_id,
    }
    page = client.get(back)
    assert page.status_code == 200
    assert f"A reminder of notice PN-{notice.id} will be sent to" in page.get_data(as_text=True)


@pytest.mark.parametrize("role", ["social_worker", "business_support"])
def test_other_roles_may_not_send_a_reminder(
    client: FlaskClient, db_session: Session, role: str
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    sign_in(client, db_session, role)

    assert _remind(client, notice.id).status_code == 403
    assert chases_of(db_session, notice) == []


def test_signed_out_people_are_sent_to_sign_in(client: FlaskClient, db_session: Session) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))

    response = _remind(client, notice.id)

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert chases_of(db_session, notice) == []


def test_an_acknowledged_notice_is_not_reminded_and_the_person_is_told_why(
    client: FlaskClient, db_session: Session
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    outbox.change_status(db_session, notice.id, Status.ACKNOWLEDGED, acknowledged_via="manual")
    sign_in(client, db_session, "sqa_officer")

    response = _remind(client, notice.id)

    assert response.headers["Location"] == f"/children/{notice.child_id}"
    assert chases_of(db_session, notice) == []
    page = expect_status(client.get(response.headers["Location"]), 200).get_data(as_text=True)
    assert f"Notice PN-{notice.id} is acknowledged" in page


def test_a_reminder_of_a_reminder_is_refused(client: FlaskClient, db_session: Session) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    notice.event = Event.REMINDER
    db_session.commit()
    sign_in(client, db_session, "sqa_officer")
    rows_before = _notification_rows(db_session)

    response = _remind(client, notice.id)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/children/{notice.child_id}"
    assert chases_of(db_session, notice) == []
    assert _notification_rows(db_session) == rows_before
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Only a placement notice we gave can be chased with a reminder" in page.get_data(
        as_text=True
    )
    assert "will be sent to" not in page.get_data(as_text=True)


def _notification_rows(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Notification)) or 0


def test_an_unknown_notification_is_not_found(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, "sqa_officer")
    assert _remind(client, 987654321).status_code == 404


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_it_goes_back_only_to_a_page_of_this_service(
    client: FlaskClient, db_session: Session, target: str
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    sign_in(client, db_session, "sqa_officer")

    response = _remind(client, notice.id, next=target)

    # not there, but to the child's page, as with no `next` at all
    assert response.headers["Location"] == f"/children/{notice.child_id}"
