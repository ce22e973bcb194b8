"""SQA records an acknowledgement that came by phone, email or letter, and reopens one
recorded in error; the child's page shows each notice's acknowledgement."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from models.enums import AckVia
from models.enums import NotificationStatus as Status
from notify.notifications.acknowledge import acknowledge_notification
from tests.support.builders import create_sent_notice
from tests.support.queries import audit_events
from tests.support.requests import expect_status, sign_in

UK = ZoneInfo("Europe/London")
TODAY = datetime.now(UK).date()


def _form(on: date | None = TODAY, **over: str) -> MultiDict[str, str]:
    """The form as a browser posts it: the date as day, month and year under one name."""
    answers = {
        "name": "Pat Duty",
        "email": "pat.duty@herefordshire.example",
        "how": "phone",
        "note": "Rang the duty desk",
        **over,
    }
    data = MultiDict(answers)
    for part in (on.day, on.month, on.year) if on else ("", "", ""):
        data.add("on", str(part))
    return data


def _post_record(
    client: FlaskClient, notification_id: int, on: date | None = TODAY, query: str = "", **over: str
):
    return client.post(
        f"/notifications/{notification_id}/acknowledgement{query}", data=_form(on, **over)
    )


def test_sqa_records_an_acknowledgement_received_by_phone(
    client: FlaskClient, db_session: Session
) -> None:
    officer = sign_in(client, db_session, "sqa_officer")
    notice = create_sent_notice(db_session, sent_at=datetime.now(UTC) - timedelta(days=3))
    on = TODAY - timedelta(days=1)

    response = _post_record(client, notice.id, on)

    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/children/{notice.child_id}#placement-{notice.placement_id}"
    )
    db_session.refresh(notice)
    assert notice.status == Status.ACKNOWLEDGED
    assert notice.acknowledged_via == "manual"
    assert notice.acknowledged_by_name == "Pat Duty"
    assert notice.acknowledgement_note == "By phone: Rang the duty desk"
    assert notice.acknowledged_at.astimezone(UK) == datetime(
        on.year, on.month, on.day, 12, tzinfo=UK
    )
    [event] = audit_events(db_session, notice.id)
    assert (event.action, event.user_id) == ("acknowledge", officer.id)
    assert event.detail == {"via": "manual", "recorded_by": officer.id}


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"name": ""}, "Enter the name of the person who acknowledged it"),
        ({"how": ""}, "Choose how they acknowledged it"),
        ({"email": "pat at example"}, "Enter an email address in the correct format"),
        ({"on": ""}, "Enter the date it was acknowledged"),
    ],
)
def test_a_record_with_a_missing_answer_says_what_to_fix(
    client: FlaskClient, db_session: Session, over: dict[str, str], message: str
) -> None:
    sign_in(client, db_session, "sqa_officer")
    notice = create_sent_notice(db_session)
    on = None if over.pop("on", None) == "" else TODAY

    response = _post_record(client, notice.id, on, **over)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db_session.refresh(notice)
    assert notice.status == Status.SENT


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY + timedelta(days=1), "must be today or in the past"),
        (TODAY - timedelta(days=10), "must be on or after the day it was sent"),
    ],
)
def test_the_date_of_an_acknowledgement_lies_between_sending_and_today(
    client: FlaskClient, db_session: Session, on: date, message: str
) -> None:
    sign_in(client, db_session, "sqa_officer")
    notice = create_sent_notice(db_session, sent_at=datetime.now(UTC) - timedelta(days=3))

    response = _post_record(client, notice.id, on)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db_session.refresh(notice)
    assert notice.status == Status.SENT


@pytest.mark.parametrize(
    ("next_", "expected"),
    [
        ("/dashboard?view=overdue", "/dashboard?view=overdue"),
        ("//evil.example/x", None),
        ("https://evil.example/x", None),
        ("/\\evil.example", None),
    ],
)
def test_after_recording_it_goes_back_to_a_local_next_page_only(
    client: FlaskClient, db_session: Session, next_: str, expected: str | None
) -> None:
    sign_in(client, db_session, "manager")
    notice = create_sent_notice(db_session)
    from urllib.parse import urlencode

    response = _post_record(client, notice.id, query="?" + urlencode({"next": next_}))

    assert response.status_code == 302
    assert response.headers["Location"] == (
        expected or f"/children/{notice.child_id}#placement-{notice.placement_id}"
    )


def test_a_notice_not_sent_cannot_be_recorded_as_acknowledged(
    client: FlaskClient, db_session: Session
) -> None:
    from tests.support.builders import (
        HEREFORDSHIRE,
        give_every_body_an_address,
        placed_child_notices,
    )

    sign_in(client, db_session, "sqa_officer")
    give_every_body_an_address(db_session)
    pending = next(
        n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code == HEREFORDSHIRE
    )
    db_session.commit()

    page = client.get(f"/notifications/{pending.id}/acknowledgement")
    assert page.status_code == 200
    posted = _post_record(client, pending.id)

    assert "has not been sent, so it cannot be acknowledged" in page.get_data(as_text=True)
    assert posted.status_code == 409
    db_session.refresh(pending)
    assert pending.status == Status.PENDING


def test_reopening_needs_a_reason_then_clears_the_acknowledgement_and_audits_it(
    client: FlaskClient, db_session: Session
) -> None:
    manager = sign_in(client, db_session, "manager")
    notice = create_sent_notice(db_session)
    acknowledge_notification(db_session, notice.id, via=AckVia.LINK, name="Pat Duty")
    db_session.commit()

    refused = client.post(f"/notifications/{notice.id}/reopen", data={"reason": "  "})
    assert refused.status_code == 200
    assert "Enter why you are reopening it" in refused.get_data(as_text=True)
    db_session.refresh(notice)
    assert notice.status == Status.ACKNOWLEDGED

    response = client.post(
        f"/notifications/{notice.id}/reopen?next=/children/{notice.child_id}",
        data={"reason": "Confirmed against the wrong notice"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/children/{notice.child_id}"
    db_session.refresh(notice)
    assert notice.status == Status.SENT
    assert (
        notice.acknowledged_at,
        notice.acknowledged_via,
        notice.acknowledged_by_name,
        notice.acknowledgement_note,
    ) == (None, None, None, None)
    reopened = audit_events(db_session, notice.id)[-1]
    assert (reopened.action, reopened.user_id) == ("reopen_acknowledgement", manager.id)
    assert reopened.detail["reason"] == "Confirmed against the wrong notice"
    assert reopened.detail["undone"]["via"] == "link"


def test_reopening_one_not_acknowledged_changes_nothing(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "admin")
    notice = create_sent_notice(db_session)

    response = client.post(f"/notifications/{notice.id}/reopen", data={"reason": "Oops"})

    assert response.status_code == 409
    assert "nothing to reopen" in response.get_data(as_text=True)
    assert audit_events(db_session, notice.id) == []


@pytest.mark.parametrize("role", ["social_worker", "business_support"])
def test_only_sqa_managers_and_admins_record_or_reopen(
    client: FlaskClient, db_session: Session, role: str
) -> None:
    sign_in(client, db_session, role)
    notice = create_sent_notice(db_session)

    for response in (
        client.get(f"/notifications/{notice.id}/acknowledgement"),
        _post_record(client, notice.id),
        client.get(f"/notifications/{notice.id}/reopen"),
        client.post(f"/notifications/{notice.id}/reopen", data={"reason": "x"}),
    ):
        assert response.status_code == 403
    db_session.refresh(notice)
    assert notice.status == Status.SENT


def test_someone_signed_out_is_sent_to_sign_in(client: FlaskClient, db_session: Session) -> None:
    notice = create_sent_notice(db_session)

    response = client.get(f"/notifications/{notice.id}/acknowledgement")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize(("role", "may_act"), [("sqa_officer", True), ("social_worker", False)])
def test_the_childs_page_shows_each_acknowledgement_and_the_actions_for_sqa(
    client: FlaskClient, db_session: Session, role: str, may_act: bool
) -> None:
    sign_in(client, db_session, role)
    notice = create_sent_notice(db_session)
    acknowledge_notification(db_session, notice.id, via=AckVia.API, name="Pat Duty")
    other = create_sent_notice(db_session)
    db_session.commit()

    acknowledged = expect_status(client.get(f"/children/{notice.child_id}"), 200).get_data(
        as_text=True
    )
    waiting = expect_status(client.get(f"/children/{other.child_id}"), 200).get_data(as_text=True)

    assert "by Pat Duty" in acknowledged and "Through the API" in acknowledged
    assert ("Reopen" in acknowledged) is may_act
    assert "Due by" in waiting
    assert ("Record acknowledgement" in waiting) is may_act


def test_the_record_form_starts_with_todays_date(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, "sqa_officer")
    notice = create_sent_notice(db_session, sent_at=datetime.now(UTC) - timedelta(days=3))

    page = expect_status(client.get(f"/notifications/{notice.id}/acknowledgement"), 200).get_data(
        as_text=True
    )

    for part, value in (("day", TODAY.day), ("month", TODAY.month), ("year", TODAY.year)):
        box = page.split(f'id="on-{part}"')[1].split(">")[0] if f'id="on-{part}"' in page else ""
        if not box:  # the day box carries the field's own id (notify/web/forms.py DateInput)
            box = page.split('id="on"')[1].split(">")[0]
        assert int(box.split('value="')[1].split('"')[0]) == value, part
