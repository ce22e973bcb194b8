"""Our own partners' notices are not chased (issue 9's decision): telling our virtual school
and looked-after children's health team of a child placed here is our courtesy, not a notice
the regulations make us give, so neither they nor our managers are chased about it. A notice
to the area authority in the same state is: the positive control."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from models.enums import RecipientKind, RecipientRole
from notify.notifications.chasing import CannotRemind, chase, send_reminder_now
from tests.notifications.chasing.test_service import NOW
from tests.support.builders import (
    CHASE_SETTINGS,
    create_sent_notice,
    create_sqa_managers,
    create_user,
)
from tests.support.queries import chases_of


@pytest.mark.parametrize("role", [RecipientRole.VIRTUAL_SCHOOL, RecipientRole.LAC_HEALTH_TEAM])
def test_a_notice_to_our_own_partner_is_not_chased_while_the_area_authoritys_is(
    db_session: Session, role: RecipientRole
) -> None:
    create_sqa_managers(db_session)
    statutory = create_sent_notice(db_session, date(2026, 12, 18))
    partner = create_sent_notice(db_session, date(2026, 12, 18), directory=False)
    partner.recipient_kind, partner.recipient_role = RecipientKind.INTERNAL, role
    db_session.flush()

    chase(db_session, date(2027, 1, 7), CHASE_SETTINGS, now=NOW)

    assert chases_of(db_session, partner) == []
    assert chases_of(db_session, statutory) != []


def test_the_reminder_button_refuses_a_partner_notice(db_session: Session) -> None:
    partner = create_sent_notice(db_session, date(2026, 12, 18))
    partner.recipient_kind = RecipientKind.INTERNAL
    partner.recipient_role = RecipientRole.VIRTUAL_SCHOOL
    db_session.flush()

    with pytest.raises(CannotRemind):
        send_reminder_now(
            db_session,
            partner.id,
            user=create_user(db_session, "sqa_officer"),
            today=date(2027, 1, 7),
        )
    assert chases_of(db_session, partner) == []
