"""The triage pages: the queue, a notice, and accepting, querying and rejecting it on the web,
with the roles that may do each and the audit trail of every decision."""

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Child, Notification
from tests.support.builders import BIRMINGHAM, create_inbound_notice, create_partner_teams
from tests.support.requests import expect_status, sign_in


def _audit(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_queue_lists_received_and_queried_notices_oldest_first(
    db_session: Session, client: FlaskClient
) -> None:
    now = datetime.now(UTC)
    newer = create_inbound_notice(db_session, received_at=now - timedelta(hours=3))
    older = create_inbound_notice(
        db_session,
        received_at=now - timedelta(days=4),
        status="queried",
        child={"placing_authority_child_id": "C-9", "given_name": "Tom", "family_name": "Ash"},
        placement={"address": {"town": "Malvern", "postcode": "WR14 1AA"}},
    )
    create_inbound_notice(db_session, status="accepted", reference="BCC-DONE")
    create_inbound_notice(db_session, status="rejected", reference="BCC-NO")
    sign_in(client, db_session, "business_support")

    body = expect_status(client.get("/inbound"), 200).get_data(as_text=True)

    assert body.index(older.reference) < body.index(newer.reference)
    assert "BCC-DONE" not in body and "BCC-NO" not in body
    assert "2 notices to triage: 1 received, 1 queried" in body
    assert "TA<span" in body and "Their id C-9" in body and "Their id C-55501" in body
    assert "Malvern" in body and "WR14 1AA" in body
    assert "4 days ago" in body and "3 hours ago" in body
    assert "Birmingham" in body and "Placement start" in body
    assert "Queried" in body and "Received" in body


def test_a_notice_page_shows_everything_in_the_notice(
    db_session: Session, client: FlaskClient
) -> None:
    notice = create_inbound_notice(db_session)
    sign_in(client, db_session, "business_support")

    body = expect_status(client.get(f"/inbound/{notice.id}"), 200).get_data(as_text=True)

    for shown in (
        "Keira Whitlock",
        "C-55501",
        "943 476 5919" if "943 476 5919" in body else "9434765919",
        "C2:",
        "U6:",
        "Pat and Lee Carer",
        "14 Orchard Way, Worcester, WR1 2NA",
        "Herefordshire and Worcestershire",
        "Dana Social, dana.social@birmingham.example, 0121 496 0001",
        "0121 496 0999",
        "Northwick Primary, URN 116789",
        "Barbourne Surgery, ODS code M81001",
        "Missing twice in the last six months",
        "This child is not on the register yet",
        "Accept this notice",
        "The notice exactly as received",
    ):
        assert shown in body, shown
    assert _audit(db_session, "view")[0].subject_type == "inbound_notice"


def test_accepting_on_the_web_adds_the_child_and_opens_their_page(
    db_session: Session, client: FlaskClient
) -> None:
    create_partner_teams(db_session)
    notice = create_inbound_notice(db_session)
    user = sign_in(client, db_session, "business_support")
    confirm = expect_status(client.get(f"/inbound/{notice.id}/accept"), 200).get_data(as_text=True)
    assert (
        "Adds the child to the register" in confirm and "Accept and add to the register" in confirm
    )
    assert "14 Orchard Way, Worcester, WR1 2NA" in confirm
    assert (
        db_session.scalars(select(Child).where(Child.case_reference == "C-55501")).first() is None
    )

    response = client.post(f"/inbound/{notice.id}/accept", follow_redirects=True)
    assert response.status_code == 200

    child = db_session.scalars(select(Child).where(Child.case_reference == "C-55501")).one()
    assert response.request.path == f"/children/{child.id}"
    body = response.get_data(as_text=True)
    assert f"Notice {notice.reference} accepted: added to the register" in body
    assert "Looked after by Birmingham" in body
    assert "Record a move" not in body and "End this placement" not in body
    assert "In our area, placed by Birmingham" in body
    assert "Dana Social, dana.social@birmingham.example, 0121 496 0001" in body
    assert "Their id for the child C-55501" in body and notice.reference in body
    assert "Home postcode" in body and "Not known" in body
    (event,) = _audit(db_session, "accept")
    assert (event.user_id, event.subject_type, event.subject_id) == (
        user.id,
        "inbound_notice",
        str(notice.id),
    )
    assert event.detail["child_id"] == child.id and len(event.detail["notifications"]) == 2
    assert notice.decided_by_id == user.id


def test_a_notice_that_cannot_be_accepted_shows_why(
    db_session: Session, client: FlaskClient
) -> None:
    notice = create_inbound_notice(db_session, placement={"address": {"postcode": "B1 1BB"}})
    sign_in(client, db_session, "business_support")

    response = client.post(f"/inbound/{notice.id}/accept")

    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "This notice cannot be accepted as it stands" in body
    assert "B1 1BB is in Birmingham, not in our area" in body
    assert _audit(db_session, "accept") == []


def test_querying_on_the_web_sends_the_question_and_keeps_the_notice_queued(
    db_session: Session, client: FlaskClient
) -> None:
    notice = create_inbound_notice(db_session)
    sign_in(client, db_session, "business_support")

    form = expect_status(client.get(f"/inbound/{notice.id}/query"), 200).get_data(as_text=True)
    empty = client.post(f"/inbound/{notice.id}/query", data={"question": " "})
    assert empty.status_code == 200
    sent = client.post(
        f"/inbound/{notice.id}/query",
        data={"question": "Please send the GP."},
        follow_redirects=True,
    )
    assert sent.status_code == 200

    assert "Dana Social (dana.social@birmingham.example)" in form
    assert "Enter what is missing from the notice" in empty.get_data(as_text=True)
    assert sent.request.path == "/inbound"
    body = sent.get_data(as_text=True)
    assert "Query sent about notice" in body and notice.reference in body
    query = db_session.scalars(select(Notification).where(Notification.event == "query")).one()
    assert (query.address, query.inbound_notice_id) == ("dana.social@birmingham.example", notice.id)
    assert notice.status == "queried" and notice.decision_note == "Please send the GP."
    (event,) = _audit(db_session, "query")
    assert event.detail == {"notification_id": query.id}


def test_rejecting_on_the_web_stores_the_reason(db_session: Session, client: FlaskClient) -> None:
    notice = create_inbound_notice(db_session)
    sign_in(client, db_session, "business_support")

    missing = client.post(f"/inbound/{notice.id}/reject", data={"reason": "other"})
    assert missing.status_code == 200
    done = client.post(
        f"/inbound/{notice.id}/reject",
        data={"reason": "duplicate", "detail": "Same as BCC-2026-000101"},
        follow_redirects=True,
    )
    assert done.status_code == 200

    assert "Say why the notice is rejected" in missing.get_data(as_text=True)
    assert done.request.path == "/inbound"
    assert notice.status == "rejected"
    assert (
        notice.decision_note == "A duplicate of a notice we already have: Same as BCC-2026-000101"
    )
    (event,) = _audit(db_session, "reject")
    assert event.detail == {"reason": "duplicate"}


def test_deciding_a_decided_notice_says_so_and_changes_nothing(
    db_session: Session, client: FlaskClient
) -> None:
    notice = create_inbound_notice(db_session, status="rejected")
    sign_in(client, db_session, "business_support")

    response = client.post(f"/inbound/{notice.id}/accept", follow_redirects=True)

    assert response.status_code == 200
    assert "was rejected" in response.get_data(as_text=True)
    assert notice.status == "rejected"
    assert (
        db_session.scalars(
            select(Child).where(Child.responsible_authority_code == BIRMINGHAM)
        ).all()
        == []
    )


@pytest.mark.parametrize(
    ("role", "view", "decide"),
    [
        ("business_support", 200, True),
        ("admin", 200, True),
        ("manager", 200, False),
        ("social_worker", 403, False),
        ("sqa_officer", 403, False),
    ],
)
def test_who_may_see_and_decide_notices(
    db_session: Session, client: FlaskClient, role: str, view: int, decide: bool
) -> None:
    notice = create_inbound_notice(db_session)
    sign_in(client, db_session, role)

    assert client.get("/inbound").status_code == view
    page = client.get(f"/inbound/{notice.id}")
    assert page.status_code == view
    assert ("Accept this notice" in page.get_data(as_text=True)) is decide
    assert client.get(f"/inbound/{notice.id}/query").status_code == (200 if decide else 403)
    assert client.get(f"/inbound/{notice.id}/accept").status_code == (200 if decide else 403)
    for path in ("query", "reject", "accept"):  # accept last: it decides the notice
        status = client.post(f"/inbound/{notice.id}/{path}", data={}).status_code
        assert (status != 403) is decide, path


def test_signed_out_people_are_sent_to_sign_in(db_session: Session, client: FlaskClient) -> None:
    response = client.get("/inbound")

    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
