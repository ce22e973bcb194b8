"""The "sent to a body that had ended" page: what was sent to an abolished body since its
end date (1 April 2026 for the 13 ICB codes that ended), with "send to the successor"."""

import re
from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Notification
from models.enums import NotificationStatus as Status
from notify.notifications.outbox import change_status
from tests.support.builders import create_child, create_placement, give_addresses
from tests.support.requests import expect_status, sign_in

PAGE = "/geography/sent-to-ended-bodies"
SUFFOLK_AND_NE_ESSEX, NORFOLK_AND_SUFFOLK = "E54000023", "E54000068"


def notice_sent_to_an_abolished_icb(session: Session) -> Notification:
    """A notice about a placement in Ipswich, sent on 1 June 2026 to Suffolk and North East
    Essex ICB, which ended on 31 March 2026 (as a system that still routed by 2024 did)."""
    give_addresses(session, NORFOLK_AND_SUFFOLK, SUFFOLK_AND_NE_ESSEX)
    placement = create_placement(session, create_child(session), "IP1 1AA")
    notice = session.scalars(
        select(Notification).where(
            Notification.placement_id == placement.id,
            Notification.recipient_code == NORFOLK_AND_SUFFOLK,
        )
    ).one()
    notice.recipient_code = SUFFOLK_AND_NE_ESSEX
    notice.recipient_name = "NHS Suffolk and North East Essex Integrated Care Board"
    change_status(session, notice.id, Status.SENDING)
    change_status(session, notice.id, Status.SENT, sent_at=datetime(2026, 6, 1, 9, tzinfo=UTC))
    session.commit()
    return notice


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_page_lists_notices_sent_to_an_ended_body_and_sends_one_to_its_successor(
    client: FlaskClient, db_session: Session
) -> None:
    notice = notice_sent_to_an_abolished_icb(db_session)
    sign_in(client, db_session, "sqa_officer")

    page = client.get(PAGE)
    assert page.status_code == 200
    shown = words(page)
    assert f"PN-{notice.id}" in shown
    assert f"NHS Norfolk and Suffolk Integrated Care Board ({NORFOLK_AND_SUFFOLK})" in shown
    assert "1 April 2026" in shown

    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    sent = client.post(PAGE, data={"csrf_token": token[1], "notification_id": str(notice.id)})
    assert sent.status_code == 302

    copy = db_session.scalars(
        select(Notification).where(
            Notification.placement_id == notice.placement_id,
            Notification.recipient_code == NORFOLK_AND_SUFFOLK,
        )
    ).one()
    assert (copy.status, copy.event, copy.address) == (
        Status.PENDING,
        notice.event,
        f"placements@{NORFOLK_AND_SUFFOLK.lower()}.example",
    )
    assert db_session.get(Notification, notice.id).status == Status.SENT
    assert db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "resend_to_successor")
    ).one().subject_id == str(notice.id)


def test_the_page_is_for_sqa_and_administrators_only(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "social_worker")
    assert client.get(PAGE).status_code == 403


def test_a_resend_of_a_notice_not_on_the_list_is_refused(
    client: FlaskClient, db_session: Session
) -> None:
    notice = notice_sent_to_an_abolished_icb(db_session)
    sign_in(client, db_session, "admin")
    assert client.post(PAGE, data={"notification_id": "999999"}).status_code == 404
    assert client.post(PAGE, data={"notification_id": "one"}).status_code == 404
    assert client.post(PAGE, data={"notification_id": "all"}).status_code == 302
    copies = db_session.scalars(
        select(Notification).where(
            Notification.placement_id == notice.placement_id,
            Notification.recipient_code == NORFOLK_AND_SUFFOLK,
        )
    ).all()
    assert len(copies) == 1  # "send all": the one listed


def test_about_the_data_lists_our_adjoining_authorities(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "social_worker")
    shown = words(expect_status(client.get("/about-the-data"), 200))
    assert "Authorities adjoining ours" in shown
    for name in ("Herefordshire (E06000019)", "Solihull (E08000029)"):
        assert name in shown
    assert "Devon" not in shown
