"""The two engine-specific expressions give the same answers on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from models.base import UTCDateTime
from notify.dashboard.sql import elapsed_days, uk_date, uk_midnight

# (UTC instant, its date in the UK): either side of the clocks changing in 2026
# (forward at 01:00 UTC on 29 March, back at 01:00 UTC on 25 October).
INSTANTS = [
    (datetime(2026, 1, 15, 23, 59, tzinfo=UTC), date(2026, 1, 15)),
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), date(2026, 3, 29)),
    (datetime(2026, 3, 29, 23, 0, tzinfo=UTC), date(2026, 3, 30)),
    (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 28)),
    (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), date(2026, 7, 1)),
    (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    (datetime(2026, 10, 25, 0, 59, tzinfo=UTC), date(2026, 10, 25)),
    (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    (datetime(2024, 3, 31, 1, 0, tzinfo=UTC), date(2024, 3, 31)),  # 31 March a Sunday
    (datetime(2024, 3, 31, 23, 0, tzinfo=UTC), date(2024, 4, 1)),
]


def _uk_dates(session: Session) -> list[date]:
    found = []
    for instant, _ in INSTANTS:
        value = session.scalar(select(uk_date(literal(instant, UTCDateTime()))))
        found.append(value if isinstance(value, date) else date.fromisoformat(value))
    return found


def test_uk_date_applies_british_summer_time_on_sqlite(db_session):
    assert _uk_dates(db_session) == [uk for _, uk in INSTANTS]


@pytest.mark.postgres
def test_uk_date_applies_british_summer_time_on_postgresql(pg_session):
    assert _uk_dates(pg_session) == [uk for _, uk in INSTANTS]


def _days(session: Session) -> float:
    start = literal(datetime(2026, 3, 28, 12, tzinfo=UTC), UTCDateTime())
    end = literal(datetime(2026, 3, 30, 6, tzinfo=UTC), UTCDateTime())
    return float(session.scalar(select(elapsed_days(start, end))))


def test_elapsed_days_counts_days_and_fractions_on_sqlite(db_session):
    assert _days(db_session) == pytest.approx(1.75)


@pytest.mark.postgres
def test_elapsed_days_counts_days_and_fractions_on_postgresql(pg_session):
    assert _days(pg_session) == pytest.approx(1.75)


@pytest.mark.parametrize(
    ("day", "instant"),
    [
        (date(2026, 1, 1), datetime(2026, 1, 1, 0, 0, tzinfo=UTC)),
        (date(2026, 4, 1), datetime(2026, 3, 31, 23, 0, tzinfo=UTC)),
    ],
)
def test_uk_midnight_is_the_utc_instant_the_day_starts(day, instant):
    assert uk_midnight(day) == instant
