"""The monthly totals the dashboard reads (notice_counts) stay equal to a count of the notices
themselves, worked out here in Python, through every way a notice changes: written, sent,
acknowledged (by hand, dated in the past), reopened, readdressed and deleted."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import NoticeCount, Notification
from models.enums import AckVia
from models.enums import NotificationStatus as Status
from notify.dashboard.sql import UK
from notify.notifications import outbox
from notify.notifications.acknowledge import acknowledge_notification, reopen_acknowledgement
from tests.support.builders import LEEDS, World, at, create_world

STATUTORY = {"placement_start", "address_change", "placement_end"}
Key = tuple[date, str, bool, int]


def _recount(session: Session) -> dict[Key, tuple[int, int, int]]:
    totals: Counter[tuple[Key, str]] = Counter()
    for n in session.scalars(select(Notification)):
        if n.sent_at is None or n.event not in STATUTORY:
            continue
        sent_on = n.sent_at.astimezone(UK).date()
        acked = n.acknowledged_at is not None
        key = (
            sent_on.replace(day=1),
            n.recipient_code or "" if n.recipient_kind == "authority" else "",
            acked,
            round((n.acknowledged_at - n.sent_at).total_seconds() / 8640) if acked else 0,
        )
        totals[key, "notices"] += 1
        if (
            acked
            and n.acknowledge_by
            and n.acknowledged_at.astimezone(UK).date() <= n.acknowledge_by
        ):
            totals[key, "in_time"] += 1
        if sent_on > n.send_by:
            totals[key, "sent_late"] += 1
    keys = {key for key, _ in totals}
    return {k: (totals[k, "notices"], totals[k, "in_time"], totals[k, "sent_late"]) for k in keys}


def _kept(session: Session) -> dict[Key, tuple[int, int, int]]:
    session.flush()
    return {
        (c.month, c.authority_code, bool(c.acknowledged), c.tenths): (
            c.notices,
            c.in_time,
            c.sent_late,
        )
        for c in session.scalars(select(NoticeCount))
        if (c.notices, c.in_time, c.sent_late) != (0, 0, 0)
    }


def _change_every_way(session: Session, world: World) -> None:
    n = world.notices
    # acknowledged now; acknowledged by hand, dated last week; reopened
    acknowledge_notification(session, n["n1"].id, via=AckVia.LINK, name="Pat")
    acknowledge_notification(
        session, n["n4"].id, via=AckVia.MANUAL, name="Sam", at=at(2026, 3, 13, 12)
    )
    reopen_acknowledgement(session, n["n5"].id, user=None, reason="recorded in error")
    # waiting for an address, then sent: it counts from the month it went
    outbox.change_status(session, n["n9"].id, Status.PENDING, address="a@leeds.example")
    outbox.change_status(session, n["n9"].id, Status.SENDING)
    outbox.change_status(
        session,
        n["n9"].id,
        Status.SENT,
        sent_at=datetime(2026, 3, 14, 23, 30, tzinfo=UTC),
        acknowledge_by=date(2026, 3, 23),
    )
    # moved to another authority's row, and one deleted
    n["n6"].recipient_code = LEEDS
    session.delete(n["n7"])
    session.flush()


def test_the_totals_match_a_count_of_the_notices_as_they_change(db_session):
    world = create_world(db_session)
    assert _kept(db_session) == _recount(db_session) != {}

    _change_every_way(db_session, world)
    assert _kept(db_session) == _recount(db_session)


@pytest.mark.postgres
def test_the_totals_match_a_count_of_the_notices_on_postgresql(pg_session):
    world = create_world(pg_session)
    assert _kept(pg_session) == _recount(pg_session) != {}

    _change_every_way(pg_session, world)
    assert _kept(pg_session) == _recount(pg_session)
