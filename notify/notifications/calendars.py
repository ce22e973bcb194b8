"""Working-day calendars from the bank holidays in the database."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import BankHoliday
from models.enums import Division
from notify.calendar import WorkingDays

_cache: dict[tuple[str, int], dict[Division, WorkingDays]] = {}


def division_of_nation(nation: str) -> Division:
    return Division.SCOTLAND if nation == "scotland" else Division.ENGLAND_AND_WALES


def working_day_calendars(session: Session) -> dict[Division, WorkingDays]:
    """One calendar per division, read once per database and number of holidays."""
    count = session.scalar(select(func.count()).select_from(BankHoliday)) or 0
    key = (str(session.get_bind().engine.url), count)
    if key not in _cache:
        by_division: dict[Division, set[date]] = {d: set() for d in Division}
        for division, day in session.execute(select(BankHoliday.division, BankHoliday.day)):
            by_division[Division(division)].add(day)
        _cache[key] = {d: WorkingDays(days) for d, days in by_division.items()}
    return _cache[key]
