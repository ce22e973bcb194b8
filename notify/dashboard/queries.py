"""What the SQA dashboard shows, each panel one or two aggregate statements.

Every count, percentage and median is worked out by the database (GROUP BY, window
functions); Python only receives the handful of rows a panel shows. What was sent over the
year is read from `notice_counts` (monthly totals the database keeps as notices change); what
is awaited or overdue now, from the notices themselves through a partial index. Functions
take the session and `today` (the UK date), so tests can fix the date.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from models import (
    Approval,
    Authority,
    Child,
    HealthBody,
    NoticeCount,
    Notification,
    Placement,
    User,
)
from models.enums import (
    STATUTORY_EVENTS,
    ApprovalLevel,
    NotificationStatus,
    RecipientKind,
    Role,
)
from notify import codes
from notify.calendar import CalendarRangeError, WorkingDays
from notify.calendar import uk_date as uk_day  # uk_date is the SQL expression here
from notify.dashboard.sql import uk_date, uk_midnight

# The statutory notices (reg 13 and 14). SQA alerts are our own; reminders and escalations
# chase a notice and are not themselves acknowledged.
TREND_MONTHS = 12
CHASE_PAGE_SIZE = 25

N = Notification
C = NoticeCount


def _statutory() -> ColumnElement[bool]:
    return N.event.in_([e.value for e in STATUTORY_EVENTS])


def _awaiting() -> ColumnElement[bool]:
    """Statutory notices sent and not acknowledged: the predicate of the partial index
    ix_notifications_awaiting, its values written out so the planners match the two."""
    return and_(
        N.status == literal_column(f"'{NotificationStatus.SENT.value}'"),
        N.event.in_([literal_column(f"'{e.value}'") for e in STATUTORY_EVENTS]),
    )


def _overdue(today: date) -> ColumnElement[bool]:
    return and_(_awaiting(), N.acknowledge_by < today)


def _current_out_of_area(home_code: str, today: date) -> ColumnElement[bool]:
    """Our children's placements outside our area that have started and not ended."""
    return and_(
        Child.responsible_authority_code == home_code,
        Placement.location == "OUT",
        Placement.current_on(today),
    )


def quarter_start(today: date) -> date:
    """The first day of the quarter holding `today` (calendar and financial quarters share
    their boundaries)."""
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def _month_start(day: date, back: int = 0) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


# --- headline counts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Headlines:
    placed_out_of_area: int
    awaiting_acknowledgement: int
    overdue: int
    failed: int
    needs_address: int
    sent_late_this_quarter: int
    awaiting_approval: int
    quarter_start: date

    @property
    def failed_or_needs_address(self) -> int:
        return self.failed + self.needs_address


def _needs_approval(home_code: str) -> ColumnElement[bool]:
    """Reg 11 in SQL, as `rules.approvals_required` decides it: an out-of-area placement needs
    approval unless with a connected person or one of our own foster carers; at a distance
    from the director, otherwise from a nominated officer."""
    required_level = case(
        (Placement.at_a_distance, literal(ApprovalLevel.DIRECTOR.value)),
        else_=literal(ApprovalLevel.NOMINATED_OFFICER.value),
    )
    approved = exists().where(
        Approval.placement_id == Placement.id,
        Approval.level == required_level,
        Approval.decision == "approved",
    )
    return and_(
        Child.responsible_authority_code == home_code,
        Placement.location == "OUT",
        Placement.end_date.is_(None),
        Placement.withdrawn_at.is_(None),
        Placement.placement_type.not_in(sorted(codes.CONNECTED_PERSON_PLACEMENTS)),
        not_(
            and_(
                Placement.placement_type.in_(sorted(codes.OTHER_FOSTER_PLACEMENTS)),
                Placement.provider == codes.OWN_PROVISION,
            )
        ),
        not_(approved),
    )


def headline_counts(session: Session, home_code: str, today: date) -> Headlines:
    """The dashboard's headline numbers, in one statement of scalar subqueries."""
    quarter = quarter_start(today)

    def count_notifications(*where: ColumnElement[bool]) -> Select[Any]:
        return select(func.count()).select_from(N).where(*where)

    def count_placements(where: ColumnElement[bool]) -> Select[Any]:
        return select(func.count(func.distinct(Placement.child_id))).join(Child).where(where)

    # Sent late this quarter: the months' totals, less any sent after today (none, unless
    # `today` is in the past), an empty range of the sent_at index.
    next_month = _month_start(today, -1)
    late_in_months = (
        select(func.coalesce(func.sum(C.sent_late), 0))
        .where(C.month >= quarter, C.month < next_month)
        .scalar_subquery()
    )
    late_after_today = count_notifications(
        _statutory(),
        N.sent_at >= uk_midnight(today + timedelta(days=1)),
        N.sent_at < uk_midnight(next_month),
        uk_date(N.sent_at) > N.send_by,
    ).scalar_subquery()
    statement = select(
        count_placements(_current_out_of_area(home_code, today)).scalar_subquery(),
        count_notifications(_awaiting()).scalar_subquery(),
        count_notifications(_overdue(today)).scalar_subquery(),
        count_notifications(N.status == NotificationStatus.FAILED).scalar_subquery(),
        count_notifications(N.status == NotificationStatus.NEEDS_ADDRESS).scalar_subquery(),
        late_in_months - late_after_today,
        select(func.count())
        .select_from(Placement)
        .join(Child)
        .where(_needs_approval(home_code))
        .scalar_subquery(),
    )
    placed, awaiting, overdue, failed, needs_address, late, approval = (
        int(v or 0) for v in session.execute(statement).one()
    )
    return Headlines(
        placed_out_of_area=placed,
        awaiting_acknowledgement=awaiting,
        overdue=overdue,
        failed=failed,
        needs_address=needs_address,
        sent_late_this_quarter=late,
        awaiting_approval=approval,
        quarter_start=quarter,
    )


# --- the chase list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChaseFilters:
    host_authority: str | None = None
    health_body: str | None = None
    team: str | None = None
    social_worker_id: int | None = None
    event: str | None = None
    sent_from: date | None = None
    sent_to: date | None = None

    def as_args(self) -> dict[str, str | list[str]]:
        """The filters as the chase list's query string (for links, pages and the export);
        a date is its three boxes, day, month and year, under one name."""
        args: dict[str, str | list[str] | None] = {
            "host_authority": self.host_authority,
            "health_body": self.health_body,
            "team": self.team,
            "social_worker": str(self.social_worker_id) if self.social_worker_id else None,
            "event": self.event,
        }
        for name, value in (("sent_from", self.sent_from), ("sent_to", self.sent_to)):
            if value:
                args[name] = [str(value.day), str(value.month), str(value.year)]
        return {k: v for k, v in args.items() if v}

    @property
    def any(self) -> bool:
        return bool(self.as_args())


@dataclass(frozen=True)
class ChaseRow:
    notification_id: int
    child_id: int
    initials: str
    case_reference: str
    event: str
    recipient_kind: str
    recipient_code: str | None
    recipient_name: str
    recipient_role: str
    sent_at: datetime | None
    sent_on: date | None  # the UK date it was sent
    acknowledge_by: date
    days_overdue: int
    working_days: bool  # whether days_overdue counts working days (else calendar days)
    reminders_sent: int
    last_reminded_on: date | None
    escalated_at: datetime | None
    host_authority_name: str | None
    social_worker_name: str | None
    team: str | None
    # DOMAIN.md §3: sent after its send-by date; the reason, when given on recording it
    sent_late: bool = False
    late_reason: str | None = None


@dataclass(frozen=True)
class ChasePage:
    rows: list[ChaseRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


SocialWorker = aliased(User)
HostAuthority = aliased(Authority)


def _chase_where(today: date, filters: ChaseFilters) -> list[ColumnElement[bool]]:
    where = [_overdue(today)]
    if filters.host_authority:
        where.append(Placement.host_authority_code == filters.host_authority)
    if filters.health_body:
        where.append(Placement.host_health_body_code == filters.health_body)
    if filters.team:
        where.append(SocialWorker.team == filters.team)
    if filters.social_worker_id:
        where.append(Child.social_worker_id == filters.social_worker_id)
    if filters.event:
        where.append(N.event == filters.event)
    if filters.sent_from:
        where.append(N.sent_at >= uk_midnight(filters.sent_from))
    if filters.sent_to:
        where.append(N.sent_at < uk_midnight(filters.sent_to + timedelta(days=1)))
    return where


def _chase_select(today: date, filters: ChaseFilters) -> Select:
    # only the initials leave the database, never the names
    initials = func.upper(
        func.substr(Child.given_name, 1, 1, type_=String)
        + func.substr(Child.family_name, 1, 1, type_=String)
    )
    return (
        select(
            N.id,
            Child.id,
            initials,
            Child.case_reference,
            N.event,
            N.recipient_kind,
            N.recipient_code,
            N.recipient_name,
            N.recipient_role,
            N.sent_at,
            N.acknowledge_by,
            N.reminders_sent,
            N.last_reminded_on,
            N.escalated_at,
            HostAuthority.name,
            SocialWorker.name,
            SocialWorker.team,
            N.send_by,
            N.late_reason,
        )
        .select_from(N)
        .join(Child, Child.id == N.child_id)
        .join(Placement, Placement.id == N.placement_id)
        .outerjoin(HostAuthority, HostAuthority.code == Placement.host_authority_code)
        .outerjoin(SocialWorker, SocialWorker.id == Child.social_worker_id)
        .where(*_chase_where(today, filters))
    )


def _chase_row(row: tuple, today: date, calendar: WorkingDays | None) -> ChaseRow:
    (nid, child_id, initials, ref, event, kind, code, name, role, sent_at, ack_by) = row[:11]
    reminders, reminded_on, escalated_at, host, worker, team, send_by, late_reason = row[11:]
    try:
        days = calendar.count(ack_by, today) if calendar else None
    except CalendarRangeError:
        days = None
    sent_on = uk_day(sent_at) if sent_at else None
    return ChaseRow(
        notification_id=nid,
        child_id=child_id,
        initials=initials or "",
        case_reference=ref,
        event=event,
        recipient_kind=kind,
        recipient_code=code,
        recipient_name=name,
        recipient_role=role,
        sent_at=sent_at,
        sent_on=sent_on,
        acknowledge_by=ack_by,
        days_overdue=days if days is not None else (today - ack_by).days,
        working_days=days is not None,
        reminders_sent=reminders or 0,
        last_reminded_on=reminded_on,
        escalated_at=escalated_at,
        host_authority_name=host,
        social_worker_name=worker,
        team=team,
        sent_late=sent_on is not None and sent_on > send_by,
        late_reason=late_reason,
    )


def chase_list(
    session: Session,
    today: date,
    filters: ChaseFilters,
    calendar: WorkingDays | None,
    page: int = 1,
    per_page: int = CHASE_PAGE_SIZE,
) -> ChasePage:
    """Overdue statutory notices, the longest overdue first: one page of them and the total.

    Days overdue are working days in `calendar` (England and Wales), else calendar days.
    """
    base = _chase_select(today, filters)
    if filters.host_authority or filters.health_body or filters.team or filters.social_worker_id:
        counted = select(func.count()).select_from(base.subquery())
    else:
        # The inner joins only require a child and a placement (foreign keys): counted from
        # the index alone, without joining every overdue notice to its child
        counted = (
            select(func.count())
            .select_from(N)
            .where(
                *_chase_where(today, filters),
                N.child_id.is_not(None),
                N.placement_id.is_not(None),
            )
        )
    total = session.scalar(counted) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = session.execute(
        base.order_by(N.acknowledge_by, N.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return ChasePage([_chase_row(tuple(r), today, calendar) for r in rows], total, page, per_page)


def chase_rows_for_export(
    session: Session, today: date, filters: ChaseFilters, calendar: WorkingDays | None
) -> Iterator[ChaseRow]:
    """Every overdue notice the filters select, in chase-list order, streamed."""
    result = session.execute(
        _chase_select(today, filters).order_by(N.acknowledge_by, N.id),
        execution_options={"yield_per": 500},
    )
    for row in result:
        yield _chase_row(tuple(row), today, calendar)


@dataclass(frozen=True)
class Choices:
    authorities: list[tuple[str, str]]
    health_bodies: list[tuple[str, str]]
    teams: list[str]
    social_workers: list[tuple[int, str]]


def filter_choices(session: Session) -> Choices:
    """The options of the chase list's filters: reference lists and our people, never a scan
    of the notifications."""
    authorities = session.execute(
        select(Authority.code, Authority.name).where(Authority.active).order_by(Authority.name)
    ).all()
    bodies = session.execute(
        select(HealthBody.code, HealthBody.name).where(HealthBody.active).order_by(HealthBody.name)
    ).all()
    people = session.execute(
        select(User.id, User.name, User.team)
        .where(User.role.in_([Role.SOCIAL_WORKER, Role.MANAGER]), User.active)
        .order_by(User.name)
    ).all()
    return Choices(
        authorities=[(c, n) for c, n in authorities],
        health_bodies=[(c, n) for c, n in bodies],
        teams=sorted({t for _, _, t in people if t}),
        social_workers=[(i, n) for i, n, _ in people],
    )


# --- by authority ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorityRow:
    code: str
    name: str
    children: int
    sent: int
    due: int  # sent, and acknowledged or past their acknowledge-by date
    acknowledged_in_time: int
    overdue: int
    median_days: float | None

    @property
    def in_time_percent(self) -> float | None:
        return 100.0 * self.acknowledged_in_time / self.due if self.due else None


# Days to acknowledge are counted in tenths of a day (the dashboard shows one decimal place).
BUCKETS_PER_DAY = 10


def _median_from_histogram(histogram: CTE, key: str) -> Subquery:
    """Per `key`, the median days to acknowledge, read off a histogram of (key, tenths,
    count) rows by running totals: the bucket holding the middle notice (or the middle two).

    The histogram comes from the monthly totals, which count notices per tenth of a day
    (no sort of every notice); the windows run over that distribution, a few hundred rows.
    Exact to a tenth of a day; percentile_cont would be exact but PostgreSQL has it and
    SQLite does not.
    """
    h = histogram
    running = (
        select(
            h.c[key].label("key"),
            h.c.tenths,
            func.sum(h.c.n)
            .over(partition_by=h.c[key], order_by=h.c.tenths, rows=(None, 0))
            .label("upto"),
            # an integer, so that // halves it as a whole number on PostgreSQL too
            cast(func.sum(h.c.n).over(partition_by=h.c[key]), Integer).label("total"),
        )
        .where(h.c.tenths.is_not(None))
        .subquery()
    )
    lower = func.min(case((running.c.upto >= (running.c.total + 1) // 2, running.c.tenths)))
    upper = func.min(case((running.c.upto >= (running.c.total + 2) // 2, running.c.tenths)))
    return (
        select(running.c.key, ((lower + upper) / (2.0 * BUCKETS_PER_DAY)).label("median"))
        .group_by(running.c.key)
        .subquery()
    )


def _histogram(key: InstrumentedAttribute[Any], *where: ColumnElement[bool], name: str) -> CTE:
    """Per `key` and tenths of a day to acknowledge (NULL: not acknowledged), from the monthly
    totals: the notices sent, those acknowledged, and those acknowledged in time."""
    return (
        select(
            key.label("key"),
            case((C.acknowledged, C.tenths)).label("tenths"),
            func.sum(C.notices).label("n"),
            func.sum(case((C.acknowledged, C.notices), else_=0)).label("acknowledged"),
            func.sum(C.in_time).label("in_time"),
        )
        .where(*where, C.notices != 0)
        .group_by(key, C.acknowledged, C.tenths)
        .cte(name)
    )


def _totals(histogram: CTE) -> Subquery:
    h = histogram
    return (
        select(
            h.c.key,
            func.sum(h.c.n).label("sent"),
            func.sum(h.c.acknowledged).label("acknowledged"),
            func.sum(h.c.in_time).label("in_time"),
        )
        .group_by(h.c.key)
        .subquery()
    )


def by_authority(session: Session, home_code: str, today: date) -> list[AuthorityRow]:
    """For each other authority: our children placed there now, and how it has answered the
    notices sent to it over the last twelve months. Worst answerers first."""
    first_month = _month_start(today, TREND_MONTHS - 1)
    since = uk_midnight(first_month)
    children = (
        select(
            Placement.host_authority_code.label("code"),
            func.count(func.distinct(Placement.child_id)).label("children"),
        )
        .join(Child)
        .where(_current_out_of_area(home_code, today))
        .group_by(Placement.host_authority_code)
        .subquery()
    )
    # the year's notices to each authority, and the distribution of days to acknowledge them
    histogram = _histogram(
        C.authority_code,
        C.month >= first_month,
        C.authority_code != "",
        C.authority_code != home_code,
        name="authority_histogram",
    )
    medians = _median_from_histogram(histogram, "key")
    sent = _totals(histogram)
    # Overdue now, and of those the ones sent this year: a notice is due once acknowledged
    # or overdue (sent and past its acknowledge-by date).
    overdue = (
        select(
            N.recipient_code.label("code"),
            func.count().label("overdue"),
            func.sum(case((N.sent_at >= since, 1), else_=0)).label("overdue_this_year"),
        )
        .where(
            N.recipient_kind == RecipientKind.AUTHORITY,
            N.recipient_code != home_code,
            _overdue(today),
        )
        .group_by(N.recipient_code)
        .subquery()
    )
    statement = (
        select(
            Authority.code,
            Authority.name,
            func.coalesce(children.c.children, 0),
            func.coalesce(sent.c.sent, 0),
            func.coalesce(sent.c.acknowledged, 0) + func.coalesce(overdue.c.overdue_this_year, 0),
            func.coalesce(sent.c.in_time, 0),
            func.coalesce(overdue.c.overdue, 0),
            medians.c.median,
        )
        .outerjoin(children, children.c.code == Authority.code)
        .outerjoin(sent, sent.c.key == Authority.code)
        .outerjoin(overdue, overdue.c.code == Authority.code)
        .outerjoin(medians, medians.c.key == Authority.code)
        .where(
            Authority.code != home_code,
            or_(
                children.c.children.is_not(None),
                sent.c.sent.is_not(None),
                overdue.c.overdue.is_not(None),
            ),
        )
    )
    found = [
        AuthorityRow(
            code=code,
            name=name,
            children=int(kids),
            sent=int(n_sent),
            due=int(n_due),
            acknowledged_in_time=int(n_in_time),
            overdue=int(n_overdue),
            median_days=None if median is None else float(median),
        )
        for code, name, kids, n_sent, n_due, n_in_time, n_overdue, median in session.execute(
            statement
        )
    ]
    return sorted(found, key=_worst_first)


# Fewer notices than this in a year say little about how an authority answers.
TELLING_NOTICES = 3


def _worst_first(row: AuthorityRow) -> tuple:
    """Overdue now first; then, among those sent enough notices to tell, the lowest share
    acknowledged in time; then the rest by how many of our children are there."""
    percent = row.in_time_percent
    telling = percent is not None and row.due >= TELLING_NOTICES
    return (-row.overdue, not telling, percent if telling else 0.0, -row.children, row.name)


# --- trends ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthTrend:
    month: date
    sent: int
    on_time: int  # acknowledged by the acknowledge-by date
    late: int  # acknowledged after it
    overdue: int  # not acknowledged, past it
    awaiting: int  # not acknowledged, not yet due (or no longer chased: failed, cancelled)
    median_days: float | None

    @property
    def acknowledged(self) -> int:
        return self.on_time + self.late


def monthly_trends(session: Session, today: date, months: int = TREND_MONTHS) -> list[MonthTrend]:
    """Statutory notices sent in each of the last `months` months (this one included, UK
    time), what became of them, and the median days to acknowledge them."""
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    bounds = [uk_midnight(s) for s in [*starts, _month_start(today, -1)]]
    histogram = _histogram(C.month, C.month >= starts[0], C.month <= starts[-1], name="months")
    medians = _median_from_histogram(histogram, "key")
    totals = _totals(histogram)
    # Overdue now, by the month sent: the month from the instant, index-friendly, no time
    # zone work; grouped through a subquery, as PostgreSQL will not match a GROUP BY holding
    # parameters. A month with a notice overdue has a total, so a left join finds them all.
    month = case(
        *(
            (N.sent_at < bound, literal(start, Date))
            for start, bound in zip(starts[:-1], bounds[1:-1], strict=True)
        ),
        else_=literal(starts[-1], Date),
    )
    overdue_notices = (
        select(month.label("m"))
        .where(_overdue(today), N.sent_at >= bounds[0], N.sent_at < bounds[-1])
        .subquery()
    )
    overdue = (
        select(overdue_notices.c.m, func.count().label("overdue"))
        .group_by(overdue_notices.c.m)
        .subquery()
    )
    counts = (
        select(
            totals.c.key,
            totals.c.sent,
            totals.c.in_time,
            totals.c.acknowledged - totals.c.in_time,
            func.coalesce(overdue.c.overdue, 0),
            medians.c.median,
        )
        .outerjoin(medians, medians.c.key == totals.c.key)
        .outerjoin(overdue, overdue.c.m == totals.c.key)
    )
    found = {
        m: (int(n_sent), int(on), int(late), int(over), median)
        for m, n_sent, on, late, over, median in session.execute(counts)
    }
    trends = []
    for start in starts:
        sent, on, late, over, median = found.get(start, (0, 0, 0, 0, None))
        trends.append(
            MonthTrend(
                month=start,
                sent=sent,
                on_time=on,
                late=late,
                overdue=over,
                awaiting=sent - on - late - over,
                median_days=None if median is None else float(median),
            )
        )
    return trends
