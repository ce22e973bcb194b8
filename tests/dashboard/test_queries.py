"""The dashboard's figures, against a small world counted by hand (tests/dashboard/fixtures.py)."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from notify.dashboard.queries import (
    ChaseFilters,
    by_authority,
    chase_list,
    headline_counts,
    monthly_trends,
    quarter_start,
)
from notify.notifications.calendars import working_day_calendars
from notify.placements.service import approvals_required
from tests.support.builders import (
    BIRMINGHAM,
    HOME,
    LEEDS,
    WORLD_TODAY,
    World,
    at,
    create_notification,
    create_world,
)


@pytest.fixture
def world(db_session: Session) -> World:
    return create_world(db_session)


def _calendar(session: Session):
    return working_day_calendars(session)["england-and-wales"]


def test_headline_counts_match_the_hand_count(db_session, world):
    headlines = headline_counts(db_session, HOME, WORLD_TODAY)

    assert headlines.placed_out_of_area == 4  # c1, c2, c3, c6 (c4 is in area, c5 ended)
    assert headlines.awaiting_acknowledgement == 4  # n1-n4 (not the reminder or the alert)
    assert headlines.overdue == 3  # n1, n2, n3
    assert (headlines.failed, headlines.needs_address) == (1, 2)
    assert headlines.failed_or_needs_address == 3
    assert headlines.sent_late_this_quarter == 1  # n11 (n13 was late last quarter)
    assert headlines.awaiting_approval == 2  # c2 (none), c6 (nominated officer, not director)
    assert headlines.quarter_start == date(2026, 1, 1)


def test_a_notice_sent_late_after_today_is_not_counted_this_quarter(db_session, world):
    # a day in the past, as in a test: this month's total also holds what was sent after it
    create_notification(
        db_session,
        world.children["c1"],
        world.placements["c1"],
        send_by=date(2026, 3, 17),
        sent_at=at(2026, 3, 20),
        acknowledge_by=date(2026, 3, 27),
    )
    assert headline_counts(db_session, HOME, WORLD_TODAY).sent_late_this_quarter == 1
    later = headline_counts(db_session, HOME, date(2026, 3, 20))
    assert later.sent_late_this_quarter == 2


def test_awaiting_approval_in_sql_agrees_with_the_rules_in_python(db_session, world):
    lacking = []
    for key, placement in world.placements.items():
        if placement.end_date is not None:
            continue
        approved = {a.level for a in placement.approvals if a.decision == "approved"}
        needed = {r.level for r in approvals_required(db_session, placement)}
        if needed - approved:
            lacking.append(key)
    assert sorted(lacking) == ["c2", "c6"]
    assert headline_counts(db_session, HOME, WORLD_TODAY).awaiting_approval == len(lacking)


@pytest.mark.parametrize(
    ("today", "first_day"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 3, 31), date(2026, 1, 1)),
        (date(2026, 4, 1), date(2026, 4, 1)),
        (date(2026, 11, 22), date(2026, 10, 1)),
    ],
)
def test_the_quarter_starts_on_the_first_of_january_april_july_or_october(today, first_day):
    assert quarter_start(today) == first_day


def test_the_chase_list_holds_overdue_notices_longest_overdue_first(db_session, world):
    page = chase_list(db_session, WORLD_TODAY, ChaseFilters(), _calendar(db_session))

    assert page.total == 3
    assert [r.notification_id for r in page.rows] == [
        world.notices[k].id for k in ("n2", "n1", "n3")
    ]
    assert [r.days_overdue for r in page.rows] == [25, 5, 2]
    assert all(r.working_days for r in page.rows)
    first = page.rows[0]
    assert (first.initials, first.case_reference) == ("CT", world.children["c2"].case_reference)
    assert (first.recipient_name, first.reminders_sent, first.escalated_at is not None) == (
        "Leeds",
        3,
        True,
    )
    assert first.host_authority_name == "Leeds"
    assert (first.social_worker_name, first.team) == ("Pat Worker", "North team")
    assert first.sent_on == date(2026, 2, 2)


def test_the_chase_list_marks_a_notice_sent_after_its_send_by_date_and_says_why(db_session, world):
    # DOMAIN.md §3: late when sent after its send-by date; n1 went on 2 March 2026
    late = world.notices["n1"]
    late.send_by = date(2026, 2, 27)
    late.late_reason = "Recorded after the move"
    db_session.flush()

    page = chase_list(db_session, WORLD_TODAY, ChaseFilters(), _calendar(db_session))

    marks = {r.notification_id: (r.sent_late, r.late_reason) for r in page.rows}
    assert marks[late.id] == (True, "Recorded after the move")
    assert marks[world.notices["n2"].id] == (False, None)  # sent on its send-by date


def test_without_a_calendar_days_overdue_are_calendar_days(db_session, world):
    page = chase_list(db_session, WORLD_TODAY, ChaseFilters(), None)
    assert [(r.days_overdue, r.working_days) for r in page.rows] == [
        (35, False),
        (7, False),
        (4, False),
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ChaseFilters(host_authority=LEEDS), ["n2", "n3"]),
        (ChaseFilters(host_authority=BIRMINGHAM), ["n1"]),
        (ChaseFilters(team="South team"), ["n3"]),
        (ChaseFilters(event="address_change"), ["n3"]),
        (ChaseFilters(sent_from=date(2026, 3, 1)), ["n1", "n3"]),
        (ChaseFilters(sent_to=date(2026, 3, 2)), ["n2", "n1"]),
        (ChaseFilters(sent_from=date(2026, 3, 3), sent_to=date(2026, 3, 5)), ["n3"]),
        (ChaseFilters(health_body="E54000055"), ["n1"]),  # Birmingham and Solihull ICB
        (ChaseFilters(host_authority=HOME), []),
    ],
)
def test_the_chase_list_filters(db_session, world, filters, expected):
    page = chase_list(db_session, WORLD_TODAY, filters, _calendar(db_session))
    assert [r.notification_id for r in page.rows] == [world.notices[k].id for k in expected]
    assert page.total == len(expected)


def test_the_chase_list_filters_by_social_worker(db_session, world):
    page = chase_list(
        db_session, WORLD_TODAY, ChaseFilters(social_worker_id=world.social_worker.id), None
    )
    assert [r.notification_id for r in page.rows] == [
        world.notices["n2"].id,
        world.notices["n1"].id,
    ]


def test_the_chase_list_pages_and_a_page_past_the_end_shows_the_last(db_session, world):
    calendar = _calendar(db_session)
    pages = [
        chase_list(db_session, WORLD_TODAY, ChaseFilters(), calendar, page=n, per_page=2)
        for n in (1, 2, 9)
    ]
    assert [[r.notification_id for r in p.rows] for p in pages] == [
        [world.notices["n2"].id, world.notices["n1"].id],
        [world.notices["n3"].id],
        [world.notices["n3"].id],
    ]
    assert [(p.page, p.pages, p.total) for p in pages] == [(1, 2, 3), (2, 2, 3), (2, 2, 3)]


def test_by_authority_rows_match_the_hand_count(db_session, world):
    rows = {r.code: r for r in by_authority(db_session, HOME, WORLD_TODAY)}

    assert set(rows) == {BIRMINGHAM, LEEDS}  # our own authority is not listed
    bham, leeds = rows[BIRMINGHAM], rows[LEEDS]
    # Birmingham: c1 placed now; n1, n4, n5, n6 sent in 12 months (n16 is older); n4 not due
    assert (bham.children, bham.sent, bham.due, bham.acknowledged_in_time) == (1, 4, 3, 1)
    assert bham.overdue == 1
    assert bham.median_days == pytest.approx(5.5)  # 2 and 9 days
    assert bham.in_time_percent == pytest.approx(100 / 3)
    # Leeds: c2, c3, c6; n2, n7, n11, n13; n7 and n11 in time; n13 late
    assert (leeds.children, leeds.sent, leeds.due, leeds.acknowledged_in_time) == (3, 4, 4, 2)
    assert leeds.overdue == 1
    assert leeds.median_days == pytest.approx(1.0)  # 1, 1 and 8 days


def test_by_authority_puts_the_worst_answerers_first(db_session, world):
    rows = by_authority(db_session, HOME, WORLD_TODAY)
    # both have one overdue; Birmingham answered 33% in time, Leeds 50%
    assert [r.code for r in rows] == [BIRMINGHAM, LEEDS]


def test_trends_count_each_month_by_its_uk_date(db_session, world):
    months = monthly_trends(db_session, WORLD_TODAY)

    assert [m.month for m in months] == [date(2025, m, 1) for m in range(4, 13)] + [
        date(2026, m, 1) for m in (1, 2, 3)
    ]
    by_month = {
        m.month.isoformat()[:7]: (m.sent, m.on_time, m.late, m.overdue, m.awaiting)
        for m in months
        if m.sent
    }
    assert by_month == {
        "2025-10": (1, 1, 0, 0, 0),  # n17: 23:30 UTC on 30 September is October in the UK
        "2025-12": (2, 1, 1, 0, 0),  # n7 in time, n13 late
        "2026-01": (2, 1, 1, 0, 0),  # n5, n6
        "2026-02": (2, 1, 0, 1, 0),  # n11 in time, n2 overdue
        "2026-03": (3, 0, 0, 2, 1),  # n1 and n3 overdue, n4 not yet due
    }
    medians = {m.month.isoformat()[:7]: m.median_days for m in months if m.sent}
    assert medians["2025-10"] == pytest.approx(0.4)  # 9.5 hours, to a tenth of a day
    assert medians["2025-12"] == pytest.approx(4.5)  # 1 and 8 days
    assert medians["2026-01"] == pytest.approx(5.5)
    assert medians["2026-02"] == pytest.approx(1.0)
    assert medians["2026-03"] is None


def test_an_empty_database_gives_zeros_not_errors(db_session):
    headlines = headline_counts(db_session, HOME, WORLD_TODAY)
    assert headlines.overdue == headlines.placed_out_of_area == 0
    assert by_authority(db_session, HOME, WORLD_TODAY) == []
    months = monthly_trends(db_session, WORLD_TODAY)
    assert len(months) == 12 and all(m.sent == 0 and m.median_days is None for m in months)
    assert chase_list(db_session, WORLD_TODAY, ChaseFilters(), None).total == 0


@pytest.mark.postgres
def test_postgresql_gives_the_same_figures(pg_session):
    world = create_world(pg_session)
    headlines = headline_counts(pg_session, HOME, WORLD_TODAY)
    assert (
        headlines.placed_out_of_area,
        headlines.awaiting_acknowledgement,
        headlines.overdue,
        headlines.failed_or_needs_address,
        headlines.sent_late_this_quarter,
        headlines.awaiting_approval,
    ) == (4, 4, 3, 3, 1, 2)
    page = chase_list(pg_session, WORLD_TODAY, ChaseFilters(), _calendar(pg_session))
    assert [r.notification_id for r in page.rows] == [
        world.notices[k].id for k in ("n2", "n1", "n3")
    ]
    rows = by_authority(pg_session, HOME, WORLD_TODAY)
    assert [(r.code, r.sent, r.due, r.acknowledged_in_time, r.median_days) for r in rows] == [
        (BIRMINGHAM, 4, 3, 1, 5.5),
        (LEEDS, 4, 4, 2, 1.0),
    ]
    months = {
        m.month.isoformat()[:7]: (m.sent, m.on_time, m.late, m.overdue)
        for m in monthly_trends(pg_session, WORLD_TODAY)
        if m.sent
    }
    assert months == {
        "2025-10": (1, 1, 0, 0),
        "2025-12": (2, 1, 1, 0),
        "2026-01": (2, 1, 1, 0),
        "2026-02": (2, 1, 0, 1),
        "2026-03": (3, 0, 0, 2),
    }
