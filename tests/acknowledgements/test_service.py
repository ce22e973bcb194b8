"""The acknowledgement rules, called as the views and the API call them."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from models.enums import AckVia
from models.enums import NotificationStatus as Status
from notify.notifications.acknowledge import (
    CannotAcknowledge,
    CannotReopen,
    NotificationNotFound,
    acknowledge_notification,
    acknowledged_on,
    reopen_acknowledgement,
)
from tests.support.builders import (
    HEREFORDSHIRE,
    create_sent_notice,
    give_every_body_an_address,
    placed_child_notices,
)

SENT = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)  # a Monday afternoon
NOW = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "recorded"),
    [
        (date(2026, 3, 4), datetime(2026, 3, 4, 12, 0, tzinfo=UTC)),  # midday UK (GMT)
        (date(2026, 3, 2), SENT),  # the day it was sent: not before it was sent
        (date(2026, 3, 6), NOW),  # today, before midday: not in the future
    ],
)
def test_an_acknowledgement_known_by_its_date_is_recorded_at_midday_within_bounds(
    day: date, recorded: datetime
) -> None:
    assert acknowledged_on(day, SENT, NOW) == recorded


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 3, 7), "must be today or in the past"),
        (date(2026, 3, 1), r"on or after the day it was sent \(2 March 2026\)"),
    ],
)
def test_an_acknowledgement_date_outside_sending_and_today_is_refused(
    day: date, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        acknowledged_on(day, SENT, NOW)


def test_only_a_sent_notice_can_be_acknowledged(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    pending = next(
        n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code == HEREFORDSHIRE
    )
    with pytest.raises(CannotAcknowledge, match="has not been sent yet"):
        acknowledge_notification(db_session, pending.id, via=AckVia.API, name="Pat")
    assert pending.status == Status.PENDING


def test_acknowledging_an_acknowledged_notice_returns_it_unchanged(db_session: Session) -> None:
    notice = create_sent_notice(db_session)
    first = acknowledge_notification(db_session, notice.id, via=AckVia.LINK, name="Pat")
    at = first.acknowledged_at

    again = acknowledge_notification(db_session, notice.id, via=AckVia.API, name="Sam")

    assert (again.acknowledged_by_name, again.acknowledged_via, again.acknowledged_at) == (
        "Pat",
        "link",
        at,
    )


def test_reopening_needs_an_acknowledgement_and_a_notice(db_session: Session) -> None:
    notice = create_sent_notice(db_session)
    with pytest.raises(CannotReopen):
        reopen_acknowledgement(db_session, notice.id, user=None, reason="x")
    with pytest.raises(NotificationNotFound):
        reopen_acknowledgement(db_session, 10**9, user=None, reason="x")
    with pytest.raises(NotificationNotFound):
        acknowledge_notification(db_session, 10**9, via=AckVia.API, name="Pat")
