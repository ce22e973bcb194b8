"""The audit trail, filtered: newest first, a page at a time."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from models import AuditChild, AuditEvent, Child, User
from notify.calendar import UK

PER_PAGE = 50
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class TrailFilters:
    user_id: int | None = None
    case_reference: str | None = None
    on_or_after: date | None = None
    on_or_before: date | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in vars(self).values())

    def as_args(self) -> dict[str, str | list[str]]:
        """The filters as the page's query string (for its pages and its export); a date is
        its three boxes, day, month and year, under one name."""
        args: dict[str, str | list[str]] = {}
        if self.user_id is not None:
            args["person"] = str(self.user_id)
        if self.case_reference:
            args["case_reference"] = self.case_reference
        for name in ("on_or_after", "on_or_before"):
            day: date | None = getattr(self, name)
            if day is not None:
                args[name] = [str(day.day), str(day.month), str(day.year)]
        return args


@dataclass(frozen=True)
class TrailRow:
    event: AuditEvent
    who: str  # a person's name, an API key, or "No one signed in"


@dataclass(frozen=True)
class TrailPage:
    rows: list[TrailRow]
    total: int
    page: int
    child_found: bool  # False when a case reference was given that no child has

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def _statement(session: Session, filters: TrailFilters) -> tuple[Select[AuditEvent, str], bool]:
    statement = (
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .options(selectinload(AuditEvent.children))  # one query for every row's children
    )
    found = True
    if filters.user_id is not None:
        statement = statement.where(AuditEvent.user_id == filters.user_id)
    if filters.case_reference:
        child_id = session.scalar(
            select(Child.id).where(
                func.upper(Child.case_reference) == filters.case_reference.upper()
            )
        )
        found = child_id is not None
        statement = statement.where(
            AuditEvent.id.in_(
                select(AuditChild.audit_event_id).where(AuditChild.child_id == child_id)
            )
        )
    if filters.on_or_after:
        statement = statement.where(AuditEvent.at >= _start_of(filters.on_or_after))
    if filters.on_or_before:
        statement = statement.where(AuditEvent.at < _start_of(filters.on_or_before + timedelta(1)))
    return statement, found


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the UK: the trail is read in UK days."""
    return datetime.combine(day, time(), tzinfo=UK)


def _who(event: AuditEvent, name: str | None) -> str:
    if name:
        return name
    if event.api_key_prefix:
        return f"API key {event.api_key_prefix}"
    return "No one signed in"


def trail_page(session: Session, filters: TrailFilters, page: int) -> TrailPage:
    statement, found = _statement(session, filters)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = min(page, max(1, -(-total // PER_PAGE)))
    rows = session.execute(
        statement.order_by(AuditEvent.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    ).all()
    return TrailPage([TrailRow(e, _who(e, n)) for e, n in rows], total, page, found)


def trail_export(session: Session, filters: TrailFilters) -> Iterator[TrailRow]:
    statement, _ = _statement(session, filters)
    for event, name in session.execute(
        statement.order_by(AuditEvent.id.desc()).limit(EXPORT_LIMIT)
    ):
        yield TrailRow(event, _who(event, name))


def people(session: Session) -> list[tuple[str, str]]:
    """(id, "name (email)") of everyone who has an account, by name."""
    return [
        (str(u.id), f"{u.name} ({u.email})")
        for u in session.scalars(select(User).order_by(User.name, User.id))
    ]
