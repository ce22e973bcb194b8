"""Working days on the England and Wales and the Scottish bank-holiday calendars."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from models.enums import Division
from notify.calendar import (
    CalendarRangeError,
    WorkingDays,
    calendars_from_csv,
    load_bank_holidays_csv,
)
from tests.unit.bank_holidays import calendars, write_csv

EW = Division.ENGLAND_AND_WALES
SCO = Division.SCOTLAND
D = date.fromisoformat

# The shipped seed file, or the shared source it is built from when the seed is not there.
FULL_FILES = [
    Path(__file__).resolve().parents[2] / "seeds" / "bank_holidays.csv",
    Path("/work/shared/data/calendar/uk_bank_holidays_2012_2028.csv"),
]


@pytest.fixture(scope="module")
def cal(tmp_path_factory: pytest.TempPathFactory) -> dict[Division, WorkingDays]:
    return calendars(tmp_path_factory.mktemp("holidays"))


@pytest.mark.parametrize(
    ("division", "day", "working", "why"),
    [
        (EW, "2026-06-05", True, "an ordinary Friday"),
        (EW, "2026-06-06", False, "a Saturday"),
        (EW, "2026-06-07", False, "a Sunday"),
        (EW, "2026-12-25", False, "Christmas Day"),
        (EW, "2026-12-28", False, "Boxing Day's substitute: the 26th is a Saturday"),
        (EW, "2027-12-27", False, "Christmas Day's substitute: the 25th is a Saturday"),
        (EW, "2027-12-28", False, "Boxing Day's substitute: the 26th is a Sunday"),
        (EW, "2027-12-29", True, "the first working day after Christmas 2027"),
        (EW, "2026-04-03", False, "Good Friday"),
        (EW, "2026-04-06", False, "Easter Monday"),
        (SCO, "2026-04-03", False, "Good Friday in Scotland too"),
        (SCO, "2026-04-06", True, "Easter Monday is no Scottish bank holiday"),
        (EW, "2026-01-02", True, "2 January is a working day in England and Wales"),
        (SCO, "2026-01-02", False, "2 January is a Scottish bank holiday"),
        (SCO, "2027-01-04", False, "2 January's Scottish substitute: the 2nd is a Saturday"),
        (EW, "2027-01-04", True, "no such substitute in England and Wales"),
        (SCO, "2026-11-30", False, "St Andrew's Day"),
        (SCO, "2025-12-01", False, "St Andrew's Day's substitute: the 30th is a Sunday"),
        (EW, "2025-12-01", True, "St Andrew's Day is Scottish only"),
        (SCO, "2026-08-03", False, "Scotland's summer holiday is the first Monday of August"),
        (EW, "2026-08-03", True, "England's is the last"),
        (EW, "2026-08-31", False, "the summer bank holiday in England and Wales"),
    ],
)
def test_working_day_is_a_weekday_that_is_not_a_bank_holiday(cal, division, day, working, why):
    assert cal[division].is_working_day(D(day)) is working, why


@pytest.mark.parametrize(
    ("division", "start", "n", "expected", "why"),
    [
        (EW, "2026-06-05", 1, "2026-06-08", "Friday + 1 skips the weekend"),
        (EW, "2026-06-06", 1, "2026-06-08", "from a Saturday the next working day is Monday"),
        (EW, "2026-06-06", 0, "2026-06-06", "adding nothing leaves even a Saturday alone"),
        (EW, "2026-12-24", 1, "2026-12-29", "over Christmas and Boxing Day's substitute"),
        (EW, "2027-12-24", 1, "2027-12-29", "over both Christmas substitutes"),
        (EW, "2026-04-02", 5, "2026-04-13", "over Good Friday and Easter Monday"),
        (SCO, "2026-04-02", 5, "2026-04-10", "over Good Friday only in Scotland"),
        (EW, "2025-12-31", 1, "2026-01-02", "across the year: 1 January only"),
        (SCO, "2025-12-31", 1, "2026-01-05", "across the year: 1 and 2 January in Scotland"),
        (SCO, "2026-11-27", 1, "2026-12-01", "over St Andrew's Day"),
        (EW, "2026-12-18", 10, "2027-01-06", "ten working days across Christmas and New Year"),
        (EW, "2026-06-08", -1, "2026-06-05", "Monday - 1 is the Friday before"),
        (EW, "2026-06-06", -1, "2026-06-05", "Saturday - 1 is the Friday before"),
        (EW, "2026-12-29", -1, "2026-12-24", "backwards over Christmas"),
        (SCO, "2026-01-05", -1, "2025-12-31", "backwards over 1 and 2 January"),
    ],
)
def test_adding_working_days(cal, division, start, n, expected, why):
    assert cal[division].add(D(start), n) == D(expected), why


@pytest.mark.parametrize(
    ("division", "a", "b", "expected"),
    [
        (EW, "2026-06-05", "2026-06-05", 0),
        (EW, "2026-06-05", "2026-06-07", 0),
        (EW, "2026-06-05", "2026-06-08", 1),
        (EW, "2025-12-19", "2026-01-09", 12),
        (SCO, "2025-12-19", "2026-01-09", 11),
        (EW, "2026-01-09", "2025-12-19", -12),
        # 2024 has 262 weekdays, less 1 January itself and 7 more holidays; 2025-2027
        # have 261 weekdays and 8 weekday holidays each.
        (EW, "2024-01-01", "2027-12-31", 254 + 253 + 253 + 253),
    ],
)
def test_counting_working_days_after_a_up_to_and_including_b(cal, division, a, b, expected):
    assert cal[division].count(D(a), D(b)) == expected


def _days(first: date, last: date, step: int = 1):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=step)


@pytest.mark.parametrize("division", [EW, SCO])
def test_count_agrees_with_stepping_one_day_at_a_time(cal, division):
    working = cal[division]
    for a in _days(D("2024-01-01"), D("2027-10-31"), step=5):
        stepped = 0
        for k in range(1, 60):
            b = a + timedelta(days=k)
            stepped += working.is_working_day(b)
            assert working.count(a, b) == stepped, (a, b)
            assert working.count(b, a) == -stepped, (b, a)


@pytest.mark.parametrize("division", [EW, SCO])
def test_adding_n_working_days_then_counting_gives_n(cal, division):
    working = cal[division]
    for day in _days(D("2024-02-01"), D("2027-11-30"), step=3):
        for n in range(0, 16):
            assert working.count(day, working.add(day, n)) == n, (day, n)
        if working.is_working_day(day):
            for n in range(-15, 0):
                assert working.count(day, working.add(day, n)) == n, (day, n)


def test_on_or_after_rolls_a_holiday_forward_and_keeps_a_working_day(cal):
    assert cal[EW].on_or_after(D("2026-12-25")) == D("2026-12-29")
    assert cal[EW].on_or_after(D("2026-12-29")) == D("2026-12-29")


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("is_working_day", (D("2028-01-04"),)),
        ("is_working_day", (D("2023-12-29"),)),
        ("add", (D("2027-12-30"), 2)),
        ("add", (D("2024-01-02"), -2)),
        ("add", (D("2028-03-01"), 0)),
        ("count", (D("2027-12-01"), D("2028-01-05"))),
        ("count", (D("2028-01-05"), D("2027-12-01"))),
    ],
)
def test_dates_beyond_the_loaded_years_raise_rather_than_count_as_holiday_free(cal, call, args):
    with pytest.raises(CalendarRangeError, match="outside the bank holidays loaded for"):
        getattr(cal[EW], call)(*args)


def test_loader_reads_each_division_and_skips_northern_ireland(tmp_path):
    holidays = load_bank_holidays_csv(write_csv(tmp_path))
    assert set(holidays) == {EW, SCO}
    assert len(holidays[EW]) == 32
    assert len(holidays[SCO]) == 36
    assert D("2026-01-02") in holidays[SCO]
    assert D("2026-01-02") not in holidays[EW]
    assert all(d != D("2026-03-17") for days in holidays.values() for d in days)


def test_loader_rejects_a_file_without_the_expected_columns(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("region,day\nengland-and-wales,2026-01-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        load_bank_holidays_csv(path)


def test_loader_names_the_line_of_a_bad_date(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "division,date,title\nscotland,2026-01-01,New Year\nscotland,02/01/2026,2nd\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="line 3"):
        load_bank_holidays_csv(path)


def test_calendar_needs_to_know_which_years_it_covers():
    with pytest.raises(ValueError, match="which years"):
        WorkingDays([])
    assert WorkingDays([], first_year=2030, last_year=2030).is_working_day(D("2030-01-01"))


def test_calendar_rejects_holidays_outside_the_years_it_claims_to_cover():
    with pytest.raises(ValueError, match="outside the years covered"):
        WorkingDays([D("2031-01-01")], first_year=2030, last_year=2030)


def test_the_full_bank_holiday_file_runs_from_2012_to_2028_and_no_further():
    path = next((p for p in FULL_FILES if p.exists()), None)
    if path is None:
        pytest.skip("neither seeds/bank_holidays.csv nor the shared source file is present")
    full = calendars_from_csv(path)
    assert (full[EW].first_year, full[EW].last_year) == (2012, 2028)
    assert (full[SCO].first_year, full[SCO].last_year) == (2012, 2028)
    assert not full[EW].is_working_day(D("2028-12-26"))
    assert not full[EW].is_working_day(D("2022-09-19")), "the Queen's state funeral"
    with pytest.raises(CalendarRangeError):
        full[EW].add(D("2028-12-29"), 2)
