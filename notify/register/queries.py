"""What the triage queue and the host register show: counts, filters and pages worked out in
SQL, so a page reads 25 rows however many children the register holds."""

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from models import Authority, Child, Contact, InboundNotice, Notification, Placement, User
from models.enums import Event, InboundStatus, RecipientKind, RecipientRole
from notify.calendar import UK, WorkingDays
from notify.register.service import OPEN_STATUSES, placed_here_now, placing_child_id

PER_PAGE = 25
QUEUE_PER_PAGE = 50

# The DfE's age bands for children looked after, as (label, youngest, oldest).
AGE_BANDS: dict[str, tuple[str, int, int]] = {
    "under_1": ("Under 1", 0, 0),
    "1_4": ("1 to 4", 1, 4),
    "5_9": ("5 to 9", 5, 9),
    "10_15": ("10 to 15", 10, 15),
    "16_over": ("16 and over", 16, 200),
}
STATUSES = {"current": "Placed here now", "ended": "Placement here has ended", "all": "All"}


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- the triage queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What business support narrows the queue to: words to find (their reference, the
    child's names or their id, the placing authority), and only the notices assigned to
    `assigned_to` (a user id) when set."""

    q: str = ""
    assigned_to: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.q) or self.assigned_to is not None


@dataclass(frozen=True)
class QueueRow:
    notice: InboundNotice
    placing_authority: str
    assigned_to: str | None = None
    overdue: bool = False

    @property
    def child_id(self) -> str:
        return placing_child_id(self.notice)

    @property
    def initials(self) -> str:
        child = self.notice.payload.get("child") or {}
        given, family = child.get("given_name") or " ", child.get("family_name") or " "
        return f"{given[0]}{family[0]}".strip().upper()

    @property
    def address(self) -> dict[str, Any]:
        return (self.notice.payload.get("placement") or {}).get("address") or {}


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def triage_overdue_before(calendar: WorkingDays, today: date, within: int) -> datetime:
    """The instant (UTC) before which a notice received has waited more than `within` working
    days for a decision: the start, in the UK, of the `within`-th working day before today."""
    cutoff = calendar.add(today, -within)
    return datetime.combine(cutoff, time(0), tzinfo=UK).astimezone(UTC)


def _queue_where(filters: QueueFilters) -> list[Any]:
    where: list[Any] = [InboundNotice.status.in_(OPEN_STATUSES)]
    child = InboundNotice.payload["child"]
    for word in filters.q.split():
        where.append(
            or_(
                InboundNotice.reference.icontains(word, autoescape=True),
                Authority.name.icontains(word, autoescape=True),
                child["given_name"].as_string().icontains(word, autoescape=True),
                child["family_name"].as_string().icontains(word, autoescape=True),
                child["placing_authority_child_id"].as_string().icontains(word, autoescape=True),
            )
        )
    if filters.assigned_to is not None:
        where.append(InboundNotice.assigned_to_id == filters.assigned_to)
    return where


def triage_queue(
    session: Session,
    page: int = 1,
    filters: QueueFilters | None = None,
    overdue_before: datetime | None = None,
) -> Page:
    """Notices received or queried that match `filters`, oldest first; each marked overdue
    when received before `overdue_before` and who has taken it on. One statement."""
    filters = filters or QueueFilters()
    where = _queue_where(filters)
    overdue = (
        InboundNotice.received_at < overdue_before if overdue_before is not None else literal(False)
    )
    statement = (
        select(func.count().over(), InboundNotice, Authority.name, User.name, overdue)
        .join(Authority, Authority.code == InboundNotice.placing_authority_code)
        .outerjoin(User, User.id == InboundNotice.assigned_to_id)
        .where(*where)
        .order_by(InboundNotice.received_at, InboundNotice.id)
        .limit(QUEUE_PER_PAGE)
    )
    rows = session.execute(statement.offset((max(page, 1) - 1) * QUEUE_PER_PAGE)).all()
    if not rows and page > 1:  # past the last page: show the last
        total = session.scalar(
            select(func.count())
            .select_from(InboundNotice)
            .join(Authority, Authority.code == InboundNotice.placing_authority_code)
            .where(*where)
        )
        page = _clamp(page, total or 0, QUEUE_PER_PAGE)
        rows = session.execute(statement.offset((page - 1) * QUEUE_PER_PAGE)).all()
    total = rows[0][0] if rows else 0
    return Page(
        [QueueRow(n, name, assignee, bool(late)) for _, n, name, assignee, late in rows],
        total,
        max(page, 1) if rows else 1,
        QUEUE_PER_PAGE,
    )


def queue_counts(
    session: Session, user_id: int | None = None, overdue_before: datetime | None = None
) -> dict[str, int]:
    """The queue's counts in one statement: by status, overdue, assigned to `user_id`, and
    not yet assigned to anyone."""
    open_ = InboundNotice.status.in_(OPEN_STATUSES)

    def count(*where: Any) -> Any:
        return func.coalesce(func.sum(case((and_(*where), 1), else_=0)), 0)

    row = session.execute(
        select(
            count(InboundNotice.status == InboundStatus.RECEIVED),
            count(InboundNotice.status == InboundStatus.QUERIED),
            count(InboundNotice.received_at < overdue_before)
            if overdue_before is not None
            else literal(0),
            count(InboundNotice.assigned_to_id == user_id) if user_id is not None else literal(0),
            count(InboundNotice.assigned_to_id.is_(None)),
        ).where(open_)
    ).one()
    received, queried, overdue, mine, unassigned = (int(v or 0) for v in row)
    return {
        "received": received,
        "queried": queried,
        "overdue": overdue,
        "mine": mine,
        "unassigned": unassigned,
    }


def _clamp(page: int, total: int, per_page: int) -> int:
    return min(max(page, 1), max(1, -(-total // per_page)))


# --- the register --------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    placing_authority: str | None = None
    placement_type: str | None = None
    age_band: str | None = None
    started_from: date | None = None
    started_to: date | None = None
    no_news: bool = False
    status: str = "current"

    @property
    def any(self) -> bool:
        return self != RegisterFilters()

    def as_args(self) -> dict[str, str | list[str]]:
        """The filters as the register's query string (for links, pages and the export); a
        date is its three boxes, day, month and year, under one name."""
        args: dict[str, str | list[str]] = {}
        for name, value in asdict(self).items():
            if value in (None, False, "") or (name == "status" and value == "current"):
                continue
            if isinstance(value, date):
                args[name] = [str(value.day), str(value.month), str(value.year)]
            else:
                args[name] = "y" if value is True else str(value)
        return args


@dataclass(frozen=True)
class RegisterRow:
    child_id: int
    given_name: str
    family_name: str
    their_id: str
    date_of_birth: date
    placing_authority_code: str
    placing_authority: str
    placement_type: str
    start_date: date
    end_date: date | None
    town: str | None
    postcode: str
    last_news: datetime | None

    @property
    def initials(self) -> str:
        return f"{self.given_name[:1]}{self.family_name[:1]}".upper()


def _latest_here(home: str) -> Any:
    """Each hosted child's latest placement in our area (one row a child)."""
    ranked = (
        select(
            Placement.id.label("placement_id"),
            Placement.child_id.label("child_id"),
            func.row_number()
            .over(
                partition_by=Placement.child_id,
                order_by=(Placement.start_date.desc(), Placement.id.desc()),
            )
            .label("rank"),
        )
        .where(Placement.host_authority_code == home)
        .subquery()
    )
    return select(ranked.c.placement_id, ranked.c.child_id).where(ranked.c.rank == 1).subquery()


def _last_news() -> Any:
    """When a notice about each child was last accepted."""
    return (
        select(
            InboundNotice.child_id.label("child_id"),
            func.max(InboundNotice.decided_at).label("last_news"),
        )
        .where(InboundNotice.status == InboundStatus.ACCEPTED, InboundNotice.child_id.is_not(None))
        .group_by(InboundNotice.child_id)
        .subquery()
    )


def _register(
    home: str, today: date, filters: RegisterFilters, now: datetime
) -> Select[*tuple[Any, ...]]:
    latest, news = _latest_here(home), _last_news()
    statement: Select[*tuple[Any, ...]] = (
        select(
            Child.id,
            Child.given_name,
            Child.family_name,
            Child.case_reference,
            Child.date_of_birth,
            Child.responsible_authority_code,
            Authority.name,
            Placement.placement_type,
            Placement.start_date,
            Placement.end_date,
            Placement.town,
            Placement.postcode,
            news.c.last_news,
        )
        .select_from(Child)
        .join(latest, latest.c.child_id == Child.id)
        .join(Placement, Placement.id == latest.c.placement_id)
        .join(Authority, Authority.code == Child.responsible_authority_code)
        .outerjoin(news, news.c.child_id == Child.id)
        .where(Child.responsible_authority_code != home)
    )
    current = Placement.open_on(today)
    if filters.status == "current":
        statement = statement.where(current)
    elif filters.status == "ended":
        statement = statement.where(~current)
    if filters.placing_authority:
        statement = statement.where(Child.responsible_authority_code == filters.placing_authority)
    if filters.placement_type:
        statement = statement.where(Placement.placement_type == filters.placement_type)
    if filters.age_band in AGE_BANDS:
        _, youngest, oldest = AGE_BANDS[filters.age_band]
        # aged at least `youngest` and under `oldest + 1` today
        statement = statement.where(
            Child.date_of_birth <= years_before(today, youngest),
            Child.date_of_birth > years_before(today, oldest + 1),
        )
    if filters.started_from:
        statement = statement.where(Placement.start_date >= filters.started_from)
    if filters.started_to:
        statement = statement.where(Placement.start_date <= filters.started_to)
    if filters.no_news:
        year_ago = now - (now.date() - years_before(now.date(), 1))
        statement = statement.where(or_(news.c.last_news.is_(None), news.c.last_news < year_ago))
    return statement


_ORDER = ("name", "family_name", "given_name", "id")


def register_page(
    session: Session,
    home: str,
    today: date,
    filters: RegisterFilters,
    now: datetime,
    page: int = 1,
) -> Page:
    """One page of the register: children placed here by other authorities, by placing
    authority and name."""
    statement = _register(home, today, filters, now)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = _clamp(page, total, PER_PAGE)
    rows = session.execute(
        statement.order_by(Authority.name, Child.family_name, Child.given_name, Child.id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return Page([RegisterRow(*row) for row in rows], total, page, PER_PAGE)


@dataclass(frozen=True)
class RegisterSummary:
    children: int
    authorities: int


def register_summary(session: Session, home: str, today: date, now: datetime) -> RegisterSummary:
    """How many children other authorities have placed here now, and how many authorities."""
    current = _register(home, today, RegisterFilters(), now).subquery()
    children, authorities = session.execute(
        select(func.count(), func.count(func.distinct(current.c.responsible_authority_code)))
    ).one()
    return RegisterSummary(children or 0, authorities or 0)


@dataclass(frozen=True)
class Choices:
    authorities: list[tuple[str, str]]
    placement_types: list[str]


def filter_choices(session: Session, home: str) -> Choices:
    """The placing authorities and placement types the register holds."""
    hosted = and_(Child.responsible_authority_code != home, Placement.host_authority_code == home)
    authorities = session.execute(
        select(Authority.code, Authority.name)
        .where(
            Authority.code.in_(
                select(Child.responsible_authority_code).join(Placement).where(hosted)
            )
        )
        .order_by(Authority.name)
    ).all()
    types = session.scalars(
        select(Placement.placement_type)
        .join(Child)
        .where(hosted)
        .distinct()
        .order_by(Placement.placement_type)
    ).all()
    return Choices([(c, n) for c, n in authorities], list(types))


# --- the export ----------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "Placing authority",
    "Placing authority code",
    "Their child id",
    "Given name",
    "Family name",
    "Also known as",
    "Date of birth",
    "Sex",
    "NHS number",
    "Legal status",
    "Child protection plan",
    "Disability",
    "Unaccompanied asylum-seeking child",
    "Placement start",
    "Placement end",
    "End reason",
    "Placement type",
    "Provider",
    "Carer or establishment",
    "Address line 1",
    "Address line 2",
    "Town",
    "Postcode",
    "Social worker",
    "Social worker email",
    "Social worker phone",
    "IRO",
    "IRO email",
    "Last notice accepted",
)


def register_export(
    session: Session, home: str, today: date, filters: RegisterFilters, now: datetime
) -> Iterator[tuple[Any, ...]]:
    """Every placement here of the children the filters choose (DOMAIN.md §5), one row
    each, in the register's order."""
    chosen = _register(home, today, filters, now).with_only_columns(Child.id).subquery()
    worker, iro = aliased(Contact), aliased(Contact)
    news = _last_news()

    def contact(alias: Any, role: str) -> Any:
        return and_(alias.child_id == Child.id, alias.role == role, alias.active)

    statement = (
        select(
            Authority.name,
            Child.responsible_authority_code,
            Child.case_reference,
            Child.given_name,
            Child.family_name,
            Child.also_known_as,
            Child.date_of_birth,
            Child.sex,
            Child.nhs_number,
            Child.legal_status,
            Child.child_protection_plan,
            Child.disability,
            Child.uasc,
            Placement.start_date,
            Placement.end_date,
            Placement.end_reason,
            Placement.placement_type,
            Placement.provider,
            Placement.carer_name,
            Placement.address_line_1,
            Placement.address_line_2,
            Placement.town,
            Placement.postcode,
            worker.name,
            worker.email,
            worker.phone,
            iro.name,
            iro.email,
            news.c.last_news,
        )
        .select_from(Child)
        .join(chosen, chosen.c.id == Child.id)
        .join(
            Placement, and_(Placement.child_id == Child.id, Placement.host_authority_code == home)
        )
        .join(Authority, Authority.code == Child.responsible_authority_code)
        .outerjoin(worker, contact(worker, RecipientRole.SOCIAL_WORKER))
        .outerjoin(iro, contact(iro, RecipientRole.IRO))
        .outerjoin(news, news.c.child_id == Child.id)
        .order_by(
            Authority.name, Child.family_name, Child.given_name, Child.id, Placement.start_date
        )
    )
    for row in session.execute(statement):
        yield tuple(row)


def days_ago(then: datetime, now: datetime) -> str:
    """How long ago, as a person would say it: "3 hours ago", "yesterday", "12 days ago"."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    if seconds < 86400:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = (now - then) // timedelta(days=1)
    return "yesterday" if days == 1 else f"{days} days ago"


# --- reconciliation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ToAsk:
    """A placing authority that a reconciliation would ask, with how many of its children we
    hold as placed here now, and whether it has been asked today already."""

    code: str
    name: str
    children: int
    asked_today: bool


def reconciliation_preview(session: Session, home: str, today: date) -> list[ToAsk]:
    """Who `reconcile` would write to today, by name: what the confirmation page shows."""
    counts = session.execute(
        select(Authority.code, Authority.name, func.count(func.distinct(Child.id)))
        .select_from(Child)
        .join(Placement)
        .join(Authority, Authority.code == Child.responsible_authority_code)
        .where(placed_here_now(home, today), Child.responsible_authority_code != home)
        .group_by(Authority.code, Authority.name)
        .order_by(Authority.name)
    ).all()
    asked = set(
        session.scalars(
            select(Notification.recipient_code).where(
                Notification.event == Event.RECONCILIATION,
                Notification.recipient_kind == RecipientKind.AUTHORITY,
                Notification.send_by == today,
            )
        )
    )
    return [ToAsk(code, name, n, code in asked) for code, name, n in counts]
