"""Notices about no one child of ours: a query on another authority's notice, and a
reconciliation listing the children it placed here. Both are acknowledged like any other,
by link and through the API, and say whom they are about without a name."""

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Notification
from models.base import utcnow
from models.enums import NotificationStatus as Status
from notify.notifications.tokens import acknowledge_token
from notify.register.service import accept_notice, query_notice, reconcile
from tests.support.builders import (
    BIRMINGHAM,
    HOME,
    TODAY,
    bearer,
    create_api_client,
    create_inbound_notice,
    give_addresses,
    mark_sent,
)

READ_AND_ACK = ("notifications:read", "notifications:ack")


def _reconciliation(session: Session) -> Notification:
    give_addresses(session, BIRMINGHAM)
    notice = create_inbound_notice(
        session, placing_authority=BIRMINGHAM, child={"placing_authority_child_id": "B-7"}
    )
    accept_notice(session, notice.id, home_authority_code=HOME, user_id=None, today=TODAY)
    reconcile(session, home_authority_code=HOME, today=TODAY)
    request = session.scalars(
        select(Notification).where(Notification.event == "reconciliation")
    ).one()
    mark_sent(session, request, utcnow() - timedelta(hours=2))
    return request


def _query(session: Session) -> Notification:
    notice = create_inbound_notice(
        session,
        placing_authority=BIRMINGHAM,
        child={"placing_authority_child_id": "B-8", "given_name": "Zia", "family_name": "Moss"},
    )
    query_notice(
        session, notice.id, question="Which school will she attend?", user_id=None, today=TODAY
    )
    question = session.scalars(select(Notification).where(Notification.event == "query")).one()
    mark_sent(session, question, utcnow() - timedelta(hours=2))
    return question


def test_a_reconciliation_is_acknowledged_by_its_link(
    client: FlaskClient, db_session: Session
) -> None:
    request = _reconciliation(db_session)
    link = f"/acknowledge/{acknowledge_token(request.id)}"

    page = client.get(link)
    assert page.status_code == 200
    assert "Several children" in page.text

    done = client.post(link, data={"name": "Dee Duty"})

    assert done.status_code == 200
    db_session.refresh(request)
    assert (request.status, request.acknowledged_by_name) == (Status.ACKNOWLEDGED, "Dee Duty")


def test_a_query_names_the_child_by_initials_and_their_own_id_only(
    client: FlaskClient, db_session: Session
) -> None:
    question = _query(db_session)

    page = client.get(f"/acknowledge/{acknowledge_token(question.id)}")

    assert page.status_code == 200
    assert "ZM, case reference B-8" in page.text
    assert "Zia" not in page.text and "Moss" not in page.text


def test_the_api_lists_a_reconciliation_with_no_child_and_acknowledges_it(
    client: FlaskClient, db_session: Session
) -> None:
    request = _reconciliation(db_session)
    key = create_api_client(db_session, authority=BIRMINGHAM, scopes=READ_AND_ACK)

    listed = client.get(
        "/api/v1/notifications?status=awaiting_acknowledgement", headers=bearer(key)
    )
    acknowledged = client.post(
        f"/api/v1/notifications/{request.id}/acknowledgement",
        json={"name": "Dee Duty"},
        headers=bearer(key),
    )

    assert listed.status_code == 200
    (item,) = [n for n in listed.get_json() if n["id"] == str(request.id)]
    assert item["child"] is None
    assert item["placing_authority"]["code"] == BIRMINGHAM
    assert acknowledged.status_code == 200
    assert acknowledged.get_json()["status"] == "acknowledged"
