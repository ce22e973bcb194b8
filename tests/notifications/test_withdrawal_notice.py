"""What a withdrawal notice says: that the planned placement of the child, from its date, in
its area, will not happen, and why (DOMAIN.md §1 and §4); no name without a secure domain."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Authority, Notification
from models.base import utcnow
from models.enums import Event, RecipientRole
from notify.notifications.rendering.batch import render_notification
from notify.notifications.rendering.message import long_date
from notify.placements.withdrawal import withdraw_placement
from tests.support.builders import (
    HEREFORDSHIRE,
    TODAY,
    create_child,
    create_placement,
    give_every_body_an_address,
    mark_sent,
)

REASON = "The foster carers withdrew their offer"


def _withdrawal_notice(session: Session, secure: bool) -> tuple[Notification, str]:
    give_every_body_an_address(session)
    session.get(Authority, HEREFORDSHIRE).secure_email = secure  # type: ignore[union-attr]
    child = create_child(session, given_name="Evangeline", family_name="Pemberton-Hughes")
    placement = create_placement(session, child, "HR1 1AA", town="Hereford")
    area = session.scalars(
        select(Notification).where(
            Notification.placement_id == placement.id,
            Notification.recipient_role == RecipientRole.AREA_AUTHORITY,
        )
    ).one()
    mark_sent(session, area, utcnow())
    recorded = withdraw_placement(
        session,
        child,
        placement,
        reason=REASON,
        expected_version=child.version,
        actor_id=None,
        today=TODAY,
    )
    session.flush()
    [notice] = recorded.notifications
    assert notice.event == Event.PLACEMENT_WITHDRAWN
    return notice, long_date(placement.start_date)


def test_a_secure_recipient_reads_which_placement_will_not_happen_and_why(
    db_session: Session,
) -> None:
    notice, start = _withdrawal_notice(db_session, secure=True)

    message = render_notification(db_session, notice.id)

    assert message.subject.startswith("Placement withdrawn: EP (")
    for part in (message.text, message.html):
        assert (
            f"The planned placement of Evangeline Pemberton-Hughes from {start} in Hereford, "
            "HR1 will not happen" in part
        )
        assert REASON in part
        assert f"PN-{notice.id}" in part


def test_anyone_else_reads_only_that_a_placement_was_withdrawn(db_session: Session) -> None:
    notice, _ = _withdrawal_notice(db_session, secure=False)

    message = render_notification(db_session, notice.id)

    assert message.subject.startswith("Placement withdrawn: EP (")
    for part in (message.text, message.html):
        assert "placement withdrawn" in part
        assert f"PN-{notice.id}" in part
        for private in ("Evangeline", "Pemberton", "HR1 1AA", REASON):
            assert private not in part
