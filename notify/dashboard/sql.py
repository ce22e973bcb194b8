"""Two SQL expressions the engines spell differently: a timestamp's date in the UK, and the days
between two timestamps. Each compiles to plain SQL, so aggregates stay in the database."""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Date, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from notify.calendar import UK


def uk_midnight(day: date) -> datetime:
    """The UTC instant at which `day` starts in the UK."""
    return datetime.combine(day, time(0), tzinfo=UK).astimezone(UTC)


class uk_date(FunctionElement[date]):  # noqa: N801 (reads as the SQL function it stands for)
    """The date in the UK at a UTC timestamp (British Summer Time applied)."""

    type = Date()
    name = "uk_date"
    inherit_cache = True


class elapsed_days(FunctionElement[float]):  # noqa: N801
    """Days (with a fraction) from the first timestamp to the second."""

    type = Float()
    name = "elapsed_days"
    inherit_cache = True


@compiles(uk_date, "postgresql")
def _uk_date_postgresql(element: uk_date, compiler: SQLCompiler, **kw: Any) -> str:
    (ts,) = list(element.clauses)
    return f"CAST(timezone('Europe/London', {compiler.process(ts, **kw)}) AS DATE)"


@compiles(uk_date)
def _uk_date_sqlite(element: uk_date, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite has no time zones. BST runs from 01:00 UTC on the last Sunday of March to 01:00
    # UTC on the last Sunday of October: the Sunday before 1 April (or 1 November) is the
    # first Sunday on or after it, less a week.
    (ts,) = list(element.clauses)
    t = compiler.process(ts, **kw)
    year = f"strftime('%Y', {t})"
    starts = f"datetime({year} || '-04-01', 'weekday 0', '-7 days', '+1 hour')"
    ends = f"datetime({year} || '-11-01', 'weekday 0', '-7 days', '+1 hour')"
    return (
        f"(CASE WHEN {t} >= {starts} AND {t} < {ends} THEN date({t}, '+1 hour') ELSE date({t}) END)"
    )


@compiles(elapsed_days, "postgresql")
def _elapsed_days_postgresql(element: elapsed_days, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"


@compiles(elapsed_days)
def _elapsed_days_sqlite(element: elapsed_days, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({end}) - julianday({start}))"
