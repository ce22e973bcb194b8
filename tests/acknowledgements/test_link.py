"""The emailed link: a page that changes nothing, whose form acknowledges the notice."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models import Notification
from models.enums import NotificationStatus as Status
from notify.notifications import outbox
from notify.notifications.tokens import acknowledge_token
from tests.support.builders import (
    FAMILY,
    GIVEN,
    HEREFORDSHIRE,
    create_reminder,
    create_sent_notice,
    give_every_body_an_address,
    placed_child_notices,
    token_signed,
)
from tests.support.queries import audit_count, audit_events
from tests.support.requests import expect_status

CONFIRM = {"name": "Pat Duty", "email": "pat.duty@herefordshire.example", "note": "On it"}


def _link(notice: Notification) -> str:
    return f"/acknowledge/{acknowledge_token(notice.id)}"


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_opening_the_link_shows_what_the_notice_is_and_nothing_that_identifies_the_child(
    client: FlaskClient, db_session: Session
) -> None:
    notice = create_sent_notice(db_session)
    child = notice.child

    page = _text(expect_status(client.get(_link(notice)), 200))

    for shown in (
        "Confirm you have received this notice",
        "Placement start",
        f"PN-{notice.id}",
        f"{child.initials}, case reference {child.case_reference}",
        "Worcestershire",
        notice.recipient_name,
        "Your name",
    ):
        assert shown in page
    placement = notice.placement
    for hidden in (GIVEN, FAMILY, placement.postcode, placement.address_line_1):
        assert hidden not in page
    assert str(child.date_of_birth.year) not in page


def test_opening_the_link_changes_nothing_and_audits_nothing(
    client: FlaskClient, db_session: Session
) -> None:
    notice = create_sent_notice(db_session)
    before = audit_count(db_session)

    response = client.get(_link(notice))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "same-origin"
    db_session.refresh(notice)
    assert notice.status == Status.SENT and notice.acknowledged_at is None
    assert audit_count(db_session) == before


def test_confirming_on_the_page_acknowledges_the_notice_by_link(
    client: FlaskClient, db_session: Session
) -> None:
    notice = create_sent_notice(db_session)

    response = client.post(_link(notice), data=CONFIRM)

    assert response.status_code == 200
    assert "Receipt confirmed" in _text(response)
    db_session.refresh(notice)
    assert notice.status == Status.ACKNOWLEDGED
    assert notice.acknowledged_at is not None and notice.acknowledged_at >= notice.sent_at
    assert (
        notice.acknowledged_via,
        notice.acknowledged_by_name,
        notice.acknowledged_by_email,
        notice.acknowledgement_note,
    ) == ("link", "Pat Duty", "pat.duty@herefordshire.example", "On it")
    [event] = audit_events(db_session, notice.id)
    assert (event.action, event.detail, event.user_id) == ("acknowledge", {"via": "link"}, None)


def test_confirming_again_changes_nothing_and_says_who_confirmed_first(
    client: FlaskClient, db_session: Session
) -> None:
    notice = create_sent_notice(db_session)
    assert client.post(_link(notice), data=CONFIRM).status_code == 200
    db_session.refresh(notice)
    first = notice.acknowledged_at

    again = client.post(_link(notice), data={"name": "Someone Else"})
    assert again.status_code == 200
    opened = client.get(_link(notice))
    assert opened.status_code == 200

    for response in (again, opened):
        assert response.status_code == 200
        assert "already been acknowledged" in _text(response)
        assert "Pat Duty acknowledged it on" in _text(response)
        assert "Your name" not in _text(response)
    db_session.refresh(notice)
    assert (notice.acknowledged_by_name, notice.acknowledged_at) == ("Pat Duty", first)
    assert len(audit_events(db_session, notice.id)) == 1


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": ""}, "Enter your name"),
        ({"name": "   "}, "Enter your name"),
        ({"name": "x" * 201}, "Name must be 200 characters or fewer"),
        (
            {"name": "Pat", "email": "not an address"},
            "Enter an email address in the correct format",
        ),
        ({"name": "Pat", "note": "x" * 2001}, "Note must be 2000 characters or fewer"),
    ],
)
def test_a_confirmation_with_a_problem_says_what_to_fix_and_acknowledges_nothing(
    client: FlaskClient, db_session: Session, form: dict[str, str], message: str
) -> None:
    notice = create_sent_notice(db_session)

    response = client.post(_link(notice), data=form)

    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page and message in page
    db_session.refresh(notice)
    assert notice.status == Status.SENT


def _tampered(app: Flask, notice: Notification) -> str:
    token = acknowledge_token(notice.id)
    # a different notification id in the payload, with the original signature
    payload, rest = token.split(".", 1)
    other = acknowledge_token(notice.id + 1).split(".", 1)[0]
    assert other != payload
    return f"{other}.{rest}"


@pytest.mark.parametrize(
    ("make_token", "status", "heading"),
    [
        (
            lambda app, n: token_signed(app.config["SECRET_KEY"], n.id, long_ago=True),
            410,
            "This link has expired",
        ),
        (_tampered, 404, "This link is not valid"),
        (lambda app, n: token_signed("another service's key", n.id), 404, "This link is not valid"),
        (lambda app, n: acknowledge_token(10**9), 404, "This link is not valid"),
        (lambda app, n: token_signed(app.config["SECRET_KEY"], "1"), 404, "This link is not valid"),
        (lambda app, n: "not-a-token", 404, "This link is not valid"),
    ],
    ids=[
        "expired",
        "tampered",
        "signed-with-another-key",
        "no-such-notice",
        "not-an-id",
        "garbage",
    ],
)
def test_a_link_that_is_not_good_shows_a_clear_page_and_changes_nothing(
    app: Flask, client: FlaskClient, db_session: Session, make_token, status: int, heading: str
) -> None:
    notice = create_sent_notice(db_session)
    link = f"/acknowledge/{make_token(app, notice)}"

    for response in (client.get(link), client.post(link, data=CONFIRM)):
        assert response.status_code == status
        assert heading in _text(response)
        assert response.headers["Cache-Control"] == "no-store"
    db_session.refresh(notice)
    assert notice.status == Status.SENT
    assert audit_events(db_session, notice.id) == []


def test_a_reminders_link_acknowledges_the_notice_it_chases(
    client: FlaskClient, db_session: Session
) -> None:
    notice = create_sent_notice(db_session)
    reminder = create_reminder(db_session, notice)

    response = client.post(_link(reminder), data=CONFIRM)

    assert response.status_code == 200
    db_session.refresh(notice)
    db_session.refresh(reminder)
    assert notice.status == Status.ACKNOWLEDGED
    assert reminder.status == Status.PENDING
    [event] = audit_events(db_session, notice.id)
    assert event.detail == {"via": "link", "through": reminder.id}


@pytest.mark.parametrize(
    ("status", "code", "heading"),
    [
        (Status.PENDING, 409, "cannot be confirmed yet"),
        (Status.CANCELLED, 410, "This notice was withdrawn"),
    ],
)
def test_a_link_to_a_notice_not_sent_confirms_nothing(
    client: FlaskClient, db_session: Session, status: Status, code: int, heading: str
) -> None:
    give_every_body_an_address(db_session)
    notice = next(
        n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code == HEREFORDSHIRE
    )
    if status != Status.PENDING:
        outbox.change_status(db_session, notice.id, status)
    db_session.commit()

    for response in (client.get(_link(notice)), client.post(_link(notice), data=CONFIRM)):
        assert response.status_code == code
        assert heading in _text(response)
    db_session.refresh(notice)
    assert notice.status == status


def _csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_a_visitor_with_no_session_can_confirm_with_the_token_the_page_gave_them(
    strict_app: Flask, db_session: Session
) -> None:
    notice = create_sent_notice(db_session)
    visitor = strict_app.test_client()

    page = visitor.get(_link(notice))
    response = visitor.post(_link(notice), data={**CONFIRM, "csrf_token": _csrf_token(_text(page))})

    assert response.status_code == 200, _text(response)
    db_session.refresh(notice)
    assert notice.status == Status.ACKNOWLEDGED


def test_a_confirmation_without_the_pages_token_is_asked_again_and_acknowledges_nothing(
    strict_app: Flask, db_session: Session
) -> None:
    notice = create_sent_notice(db_session)

    response = strict_app.test_client().post(_link(notice), data=CONFIRM)

    assert response.status_code == 400
    page = _text(response)
    assert "Your session had expired" in page
    assert 'value="Pat Duty"' in page  # the answers are kept
    db_session.refresh(notice)
    assert notice.status == Status.SENT


def test_confirmations_from_one_address_are_limited_to_ten_a_minute(
    strict_app: Flask, db_session: Session
) -> None:
    notice = create_sent_notice(db_session)
    visitor = strict_app.test_client()
    token = _csrf_token(_text(visitor.get(_link(notice))))

    answers = [
        visitor.post(_link(notice), data={"name": "", "csrf_token": token}).status_code
        for _ in range(11)
    ]

    assert answers == [200] * 10 + [429]
    assert visitor.get(_link(notice)).status_code == 200  # reading is not limited
