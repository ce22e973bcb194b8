"""Working days: Monday to Friday, less the bank holidays of one calendar division.

Pure: no Flask, no database. Build a `WorkingDays` from one division's bank holidays
(England and Wales, or Scotland) and ask it to count or add working days.

Conventions, chosen so that `count(d, add(d, n)) == n` for every n >= 0:

- `add(d, n)` with n > 0 is the n-th working day *after* d; with n < 0 the |n|-th working
  day *before* d; with n == 0 it is d itself, working day or not (use `on_or_after` to
  roll a date forward to a working day).
- `count(a, b)` is the number of working days after a up to and including b, and
  `count(b, a) == -count(a, b)`. So a deadline `due` is overdue by `count(due, today)`
  working days when that is positive, and has `-count(due, today)` left otherwise.

The bank-holiday data covers a fixed range of years. A date outside it raises
`CalendarRangeError`: an unknown year is never treated as one without holidays.
"""

import csv
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from models.enums import Division

UK = ZoneInfo("Europe/London")  # the zone of every date a person sees or a deadline counts in
_ONE_DAY = timedelta(days=1)


def today_uk() -> date:
    """Today in the UK: the one "today" for deadlines, forms and reports."""
    return datetime.now(UK).date()


def uk_date(moment: datetime) -> date:
    """The UK date of an aware timestamp (the day a notice was sent, as its recipient saw it)."""
    return moment.astimezone(UK).date()


class CalendarRangeError(ValueError):
    """A date falls outside the years the loaded bank holidays cover."""


class WorkingDays:
    """Working-day arithmetic over one division's bank holidays."""

    def __init__(
        self,
        holidays: Iterable[date],
        *,
        first_year: int | None = None,
        last_year: int | None = None,
        division: Division | None = None,
    ) -> None:
        days = sorted(set(holidays))
        if not days and (first_year is None or last_year is None):
            raise ValueError("no bank holidays given: say which years they cover")
        self.first_year = days[0].year if first_year is None else first_year
        self.last_year = days[-1].year if last_year is None else last_year
        self.division = division
        if self.first_year > self.last_year:
            raise ValueError(f"first_year {self.first_year} is after last_year {self.last_year}")
        stray = [d for d in days if not self.first_year <= d.year <= self.last_year]
        if stray:
            raise ValueError(f"bank holiday {stray[0]} lies outside the years covered")
        self._holidays = frozenset(days)
        # Only holidays on weekdays change a count; kept sorted for bisecting.
        self._weekday_holidays = tuple(d for d in days if d.weekday() < 5)

    def __repr__(self) -> str:
        name = self.division.value if self.division else "unnamed"
        return f"<WorkingDays {name} {self.first_year}-{self.last_year}>"

    def covers(self, d: date) -> bool:
        """Whether `d` lies within the years the bank holidays cover."""
        return self.first_year <= d.year <= self.last_year

    def is_working_day(self, d: date) -> bool:
        """A weekday that is not a bank holiday."""
        self._check(d)
        return d.weekday() < 5 and d not in self._holidays

    def add(self, d: date, n: int) -> date:
        """The n-th working day after d (before d if n < 0); d itself if n == 0."""
        self._check(d)
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def on_or_after(self, d: date) -> date:
        """d if it is a working day, else the next working day."""
        return d if self.is_working_day(d) else self.add(d, 1)

    def count(self, a: date, b: date) -> int:
        """Working days after a up to and including b; negative when b is before a."""
        self._check(a)
        self._check(b)
        if b < a:
            return -self.count(b, a)
        weekdays = _weekdays_up_to(b) - _weekdays_up_to(a)
        holidays = bisect_right(self._weekday_holidays, b) - bisect_right(self._weekday_holidays, a)
        return weekdays - holidays

    def _check(self, d: date) -> None:
        if not self.covers(d):
            name = f" for {self.division.value}" if self.division else ""
            raise CalendarRangeError(
                f"{d.isoformat()} is outside the bank holidays loaded{name} "
                f"({self.first_year}-{self.last_year}); load a newer bank-holiday file"
            )


def _weekdays_up_to(d: date) -> int:
    """Weekdays from 1 January of year 1 (a Monday) up to and including d."""
    weeks, extra = divmod(d.toordinal(), 7)
    return weeks * 5 + min(extra, 5)


def load_bank_holidays_csv(path: str | Path) -> dict[Division, frozenset[date]]:
    """Bank holidays by division from a CSV with columns division,date,title.

    Rows for divisions this service does not use (northern-ireland) are skipped.
    """
    found: dict[Division, set[date]] = {division: set() for division in Division}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"division", "date", "title"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            try:
                division = Division(row["division"].strip())
            except ValueError:
                continue
            try:
                found[division].add(date.fromisoformat(row["date"].strip()))
            except ValueError as error:
                raise ValueError(f"{path}, line {line}: bad date {row['date']!r}") from error
    return {division: frozenset(days) for division, days in found.items() if days}


def calendars_from_csv(path: str | Path) -> dict[Division, WorkingDays]:
    """A `WorkingDays` for each division found in a bank-holiday CSV."""
    return {
        division: WorkingDays(days, division=division)
        for division, days in load_bank_holidays_csv(path).items()
    }
