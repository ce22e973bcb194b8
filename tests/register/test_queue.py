"""Business support's queue: search, "assigned to me", and the overdue marker."""

from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models import InboundNotice
from models.enums import Division
from notify.notifications.calendars import working_day_calendars
from notify.register.queries import (
    QueueFilters,
    queue_counts,
    triage_overdue_before,
    triage_queue,
)
from tests.support.builders import create_inbound_notice
from tests.support.requests import expect_status, sign_in


# More than TRIAGE_WITHIN_WORKING_DAYS (2) working days waiting is overdue. Bank holidays in
# England and Wales: Friday 25 and Monday 28 December 2026 (Boxing Day substitute).
@pytest.mark.parametrize(
    ("today", "received", "overdue"),
    [
        (date(2026, 12, 9), datetime(2026, 12, 7, 9, 0), False),  # Wed: Mon is 2 days back
        (date(2026, 12, 9), datetime(2026, 12, 4, 16, 0), True),  # received the Friday before
        (date(2026, 12, 7), datetime(2026, 12, 3, 10, 0), False),  # Mon: Thu is 2 back
        (date(2026, 12, 7), datetime(2026, 12, 2, 23, 59), True),  # Wednesday night
        (date(2026, 12, 29), datetime(2026, 12, 23, 8, 0), False),  # holidays do not count
        (date(2026, 12, 29), datetime(2026, 12, 22, 17, 0), True),
    ],
)
def test_a_notice_waiting_more_than_two_working_days_is_overdue(
    db_session: Session, today: date, received: datetime, overdue: bool
) -> None:
    calendar = working_day_calendars(db_session)[Division.ENGLAND_AND_WALES]
    received_utc = received.replace(tzinfo=UTC)  # winter: UK time is UTC
    assert (received_utc < triage_overdue_before(calendar, today, 2)) is overdue


def _three_notices(db_session: Session) -> tuple[InboundNotice, InboundNotice, InboundNotice]:
    now = datetime.now(UTC)
    old = create_inbound_notice(
        db_session,
        reference="BCC-OLD",
        received_at=now - timedelta(days=10),
        child={"placing_authority_child_id": "C-1", "given_name": "Tom", "family_name": "Ash"},
    )
    new = create_inbound_notice(
        db_session,
        reference="BCC-NEW",
        received_at=now - timedelta(hours=1),
        child={"placing_authority_child_id": "C-2", "given_name": "Ann", "family_name": "Oak"},
    )
    queried = create_inbound_notice(
        db_session,
        reference="BCC-QUERIED",
        status="queried",
        received_at=now - timedelta(days=1),
        child={"placing_authority_child_id": "C-3", "given_name": "Sue", "family_name": "Ash"},
    )
    create_inbound_notice(db_session, reference="BCC-DONE", status="accepted")
    return old, new, queried


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ash", {"BCC-OLD", "BCC-QUERIED"}),  # family name, either case
        ("tom ash", {"BCC-OLD"}),  # every word must match
        ("C-2", {"BCC-NEW"}),  # their id for the child
        ("bcc-q", {"BCC-QUERIED"}),  # their reference
        ("birmingham", {"BCC-OLD", "BCC-NEW", "BCC-QUERIED"}),  # the placing authority
        ("done", set()),  # decided notices are not on the queue
        ("100%", set()),  # wildcards are literal
    ],
)
def test_the_queue_search_finds_open_notices_by_reference_name_id_or_authority(
    db_session: Session, q: str, expected: set[str]
) -> None:
    _three_notices(db_session)
    page = triage_queue(db_session, 1, QueueFilters(q=q))
    assert {r.notice.reference for r in page.rows} == expected
    assert page.total == len(expected)


def test_assigned_to_me_shows_only_the_notices_i_have_taken_on(
    db_session: Session, client: FlaskClient
) -> None:
    old, new, _ = _three_notices(db_session)
    me = sign_in(client, db_session, "business_support")

    response = client.post(f"/inbound/{old.id}/assignment", data={"action": "take"})
    assert response.status_code == 302
    db_session.refresh(old)
    assert old.assigned_to_id == me.id

    mine = expect_status(client.get("/inbound?show=mine"), 200).text
    assert "BCC-OLD" in mine and "BCC-NEW" not in mine
    assert "1 notice matches, assigned to you" in mine

    counts = queue_counts(db_session, me.id, datetime.now(UTC) - timedelta(days=5))
    assert counts == {"received": 2, "queried": 1, "overdue": 1, "mine": 1, "unassigned": 2}

    expect_status(client.post(f"/inbound/{old.id}/assignment", data={"action": "release"}), 302)
    db_session.refresh(old)
    assert old.assigned_to_id is None


def test_the_queue_marks_a_notice_waiting_too_long_as_overdue(
    db_session: Session, client: FlaskClient
) -> None:
    _three_notices(db_session)
    sign_in(client, db_session, "business_support")
    html = expect_status(client.get("/inbound"), 200).text
    row_old = html[html.index("BCC-OLD") : html.index("BCC-QUERIED")]
    row_new = html[html.index("BCC-NEW") :]
    assert "Overdue" in row_old
    assert "Overdue" not in row_new.split("</tr>")[0]
    assert "1 overdue" in html


def test_a_decided_notice_cannot_be_assigned(db_session: Session, client: FlaskClient) -> None:
    done = create_inbound_notice(db_session, reference="BCC-DONE", status="accepted")
    sign_in(client, db_session, "business_support")
    response = client.post(f"/inbound/{done.id}/assignment", data={"action": "take"})
    assert response.status_code == 302
    db_session.refresh(done)
    assert done.assigned_to_id is None


def test_a_manager_may_look_at_the_queue_but_not_take_a_notice(
    db_session: Session, client: FlaskClient
) -> None:
    old, _, _ = _three_notices(db_session)
    sign_in(client, db_session, "manager")
    assert client.get("/inbound?q=ash").status_code == 200
    assert client.post(f"/inbound/{old.id}/assignment", data={"action": "take"}).status_code == 403


def test_an_accepted_notice_links_to_the_childs_record_as_a_link_not_as_text(
    db_session: Session, client: FlaskClient
) -> None:
    from tests.support.builders import create_partner_teams

    create_partner_teams(db_session)
    notice = create_inbound_notice(db_session)
    db_session.commit()
    sign_in(client, db_session, "business_support")
    assert client.post(f"/inbound/{notice.id}/accept").status_code == 302

    page = expect_status(client.get(f"/inbound/{notice.id}"), 200).text
    db_session.refresh(notice)
    assert f'<a class="govuk-link" href="/children/{notice.child_id}">' in page
    assert "&lt;a" not in page
