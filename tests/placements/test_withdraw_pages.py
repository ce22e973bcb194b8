"""The withdraw page: offered on the child's page for a planned placement only, warning who
has already been sent a notice and will be sent a withdrawal; withdrawing is audited."""

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Notification
from models.base import utcnow
from models.enums import Event, NotificationStatus, RecipientRole
from tests.placements.test_views import text
from tests.support.builders import (
    HEREFORD,
    TODAY,
    create_child,
    create_placement,
    give_every_body_an_address,
    mark_sent,
)
from tests.support.requests import expect_status, sign_in

REASON = "The foster carers withdrew their offer"


def _planned_move(session: Session):
    give_every_body_an_address(session)
    child = create_child(session, placed_at="WR5 3AA")
    current = child.current_placement
    move = create_placement(session, child, HEREFORD, carer_name="Pat and Lee Carer")
    area = session.scalars(
        select(Notification).where(
            Notification.placement_id == move.id,
            Notification.recipient_role == RecipientRole.AREA_AUTHORITY,
        )
    ).one()
    mark_sent(session, area, utcnow())
    session.commit()
    return child, current, move


def test_the_childs_page_offers_to_withdraw_a_planned_placement_only(
    client: FlaskClient, db_session: Session
) -> None:
    child, current, move = _planned_move(db_session)
    sign_in(client, db_session)

    page = text(expect_status(client.get(f"/children/{child.id}"), 200))

    assert page.count("Withdraw this planned placement") == 1
    assert f"/children/{child.id}/placements/{move.id}/withdraw" in expect_status(
        client.get(f"/children/{child.id}"), 200
    ).get_data(as_text=True)
    # the placement under way cannot be withdrawn: the page sends the person back, saying why
    refused = client.get(f"/children/{child.id}/placements/{current.id}/withdraw")
    assert refused.status_code == 302
    back = text(expect_status(client.get(refused.headers["Location"]), 200))
    assert "only be withdrawn before it starts" in back


def test_the_withdraw_page_lists_who_has_been_told_and_will_get_a_withdrawal(
    client: FlaskClient, db_session: Session
) -> None:
    child, _, move = _planned_move(db_session)
    sign_in(client, db_session)

    page = text(
        expect_status(client.get(f"/children/{child.id}/placements/{move.id}/withdraw"), 200)
    )

    assert (
        "1 recipient has already been sent a notice of this placement and will be sent a "
        "withdrawal notice" in page
    )
    assert "Herefordshire" in page and "Area authority (where placed)" in page
    assert "not yet sent will be cancelled" in page
    assert "The child stays where they are" in page


def test_withdrawing_needs_a_reason_then_withdraws_and_audits(
    client: FlaskClient, db_session: Session
) -> None:
    child, current, move = _planned_move(db_session)
    user = sign_in(client, db_session)
    url = f"/children/{child.id}/placements/{move.id}/withdraw"

    refused = expect_status(
        client.post(url, data={"version": str(child.version), "reason": " "}), 200
    )
    assert "Say why the placement will not happen" in text(refused)
    db_session.expire_all()
    assert move.withdrawn_at is None

    done = expect_status(
        client.post(url, data={"version": str(child.version), "reason": REASON}), 302
    )
    page = text(expect_status(client.get(done.headers["Location"]), 200))

    assert "Placement withdrawn: 1 notice of the withdrawal will be sent" in page
    assert "Why it was withdrawn " + REASON in page
    assert "Withdraw this planned placement" not in page
    db_session.expire_all()
    assert move.withdrawn_by_id == user.id and move.withdrawn_reason == REASON
    assert current.end_date is None
    withdrawals = db_session.scalars(
        select(Notification).where(Notification.event == Event.PLACEMENT_WITHDRAWN)
    ).all()
    assert [(n.recipient_role, n.status) for n in withdrawals] == [
        (RecipientRole.AREA_AUTHORITY, NotificationStatus.PENDING)
    ]
    audited = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "withdraw_placement")
    ).all()
    assert [(a.subject_id, a.user_id) for a in audited] == [(str(move.id), user.id)]


def test_a_withdrawal_from_a_stale_page_is_a_conflict(
    client: FlaskClient, db_session: Session
) -> None:
    child, _, move = _planned_move(db_session)
    sign_in(client, db_session)

    response = client.post(
        f"/children/{child.id}/placements/{move.id}/withdraw",
        data={"version": str(child.version - 1), "reason": REASON},
    )

    assert response.status_code == 409
    db_session.expire_all()
    assert move.withdrawn_at is None
    assert TODAY < move.start_date <= TODAY + timedelta(days=7)
