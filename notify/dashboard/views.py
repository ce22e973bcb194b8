"""The SQA dashboard: headline counts, the chase list, who answers and who does not, and the
trends; each panel also served alone as an HTML fragment, which dashboard.js fetches every
30 seconds. The page is complete without JavaScript.
"""

import io
from datetime import date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import Session

from models.enums import Division, RecipientKind, Role
from notify import audit
from notify.auth import roles_required
from notify.calendar import today_uk, uk_date
from notify.csv_writer import CsvWriter
from notify.dashboard import lists
from notify.dashboard.forms import ChaseFilterForm
from notify.dashboard.queries import (
    ChaseFilters,
    ChasePage,
    ChaseRow,
    by_authority,
    chase_list,
    chase_rows_for_export,
    filter_choices,
    headline_counts,
    monthly_trends,
)
from notify.extensions import db
from notify.labels import event_title
from notify.notifications.calendars import working_day_calendars
from notify.transaction import transaction
from notify.web import charts
from notify.web.pagination import page_number, pagination

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

DASHBOARD_ROLES = (Role.SQA_OFFICER, Role.MANAGER)
DASHBOARD_CHASE_ROWS = 6
AUTHORITY_ROWS = 12
REFRESH_SECONDS = 30
# Endpoints other features provide; until they are registered their actions are not offered.
REMIND_ENDPOINT = "acknowledgements.remind"
ACKNOWLEDGE_ENDPOINT = "acknowledgements.record"
DIRECTORY_SECTIONS = {
    RecipientKind.AUTHORITY: "authorities",
    RecipientKind.HEALTH_BODY: "health-bodies",
}
PANELS = ("headlines", "chase", "authorities", "trends")


def _db() -> Session:
    """The request's session, as the query functions take it."""
    return db.session()


def _within() -> int:
    """Acknowledge-by = sent + this many working days (a setting)."""
    return int(current_app.config["ACKNOWLEDGE_WITHIN_WORKING_DAYS"])


def _home_authority() -> str:
    return str(current_app.config["HOME_AUTHORITY"])


def _calendar() -> Any:
    return working_day_calendars(_db()).get(Division.ENGLAND_AND_WALES)


@bp.context_processor
def _template_helpers() -> dict[str, Any]:
    return {
        "chase_actions": _chase_actions,
        "refresh_seconds": REFRESH_SECONDS,
    }


def _chase_actions(row: ChaseRow, next_url: str) -> dict[str, str | None]:
    """The URLs of what can be done about one overdue notice (None: not offered here)."""
    found = current_app.view_functions

    def build(endpoint: str) -> str | None:
        if endpoint not in found:
            return None
        return url_for(endpoint, notification_id=row.notification_id, next=next_url)

    section = DIRECTORY_SECTIONS.get(RecipientKind(row.recipient_kind))
    fix = None
    # the directory is the administrators'; a link others could not open would only mislead
    if section and row.recipient_code and current_user.role == Role.ADMIN:
        fix = url_for("directory.entry", section=section, code=row.recipient_code)
    # at the limit only escalation is left: the button is not offered (and refused if sent)
    at_limit = row.reminders_sent >= int(current_app.config["REMINDER_LIMIT"])
    return {
        "remind": None if at_limit else build(REMIND_ENDPOINT),
        "acknowledge": build(ACKNOWLEDGE_ENDPOINT),
        "fix": fix,
    }


# --- the panels --------------------------------------------------------------------------------


def _headlines(today: date) -> dict[str, Any]:
    return {"headlines": headline_counts(_db(), _home_authority(), today)}


def _chase(today: date, filters: ChaseFilters, page: int, per_page: int) -> dict[str, Any]:
    return {
        "chase": chase_list(_db(), today, filters, _calendar(), page=page, per_page=per_page),
        "filters": filters,
    }


def _authorities(today: date) -> dict[str, Any]:
    rows = by_authority(_db(), _home_authority(), today)
    shown = rows[:AUTHORITY_ROWS]
    chart = charts.horizontal_bars(
        [
            charts.Bar(
                label=r.name,
                value=r.in_time_percent,
                text=(
                    f"{r.in_time_percent:.0f}% ({r.acknowledged_in_time} of {r.due})"
                    if r.in_time_percent is not None
                    else "nothing due yet"
                )
                + (f", {r.overdue} overdue" if r.overdue else ""),
                tone=charts.tone_for_percent(r.in_time_percent),
            )
            for r in shown
        ],
        title=f"Notices acknowledged within {_within()} working days, by authority",
        description="For each authority, the share of the notices sent to it in the last 12 "
        f"months that it acknowledged within {_within()} working days; those with notices "
        "overdue now "
        "first.",
    )
    return {"authorities": rows, "authorities_shown": shown, "authority_chart": chart}


def _trends(today: date) -> dict[str, Any]:
    months = monthly_trends(_db(), today)
    labels = [
        # the year under January, and under the first month unless January is next to it
        m.month.strftime("%b")
        + (f"\n{m.month.year}" if m.month.month == 1 or (i == 0 and m.month.month < 11) else "")
        for i, m in enumerate(months)
    ]
    outcomes = charts.columns(
        labels,
        [
            charts.Series(
                f"Within {_within()} working days", charts.GREEN, [m.on_time for m in months]
            ),
            charts.Series("Later", charts.LIGHT_BLUE, [m.late for m in months]),
            charts.Series("Overdue", charts.RED, [m.overdue for m in months]),
            charts.Series("Not yet due", charts.GREY, [m.awaiting for m in months]),
        ],
        title="Notices sent each month, and when they were acknowledged",
        width=460,
        description="Stacked columns, one a month for the last 12 months: notices acknowledged "
        f"within {_within()} working days, acknowledged later, overdue, and not yet due.",
    )
    medians = charts.columns(
        labels,
        [charts.Series("Median days", charts.BLUE, [m.median_days or 0 for m in months])],
        title="Median days to acknowledge, by month sent",
        description="One column a month for the last 12 months: the median number of days "
        "between sending a notice and its acknowledgement.",
        value_format="{:.1f}",
        width=460,
    )
    return {"months": months, "outcomes_chart": outcomes, "median_chart": medians}


def _render_panel(name: str, today: date) -> dict[str, Any]:
    match name:
        case "headlines":
            return _headlines(today)
        case "chase":
            return _chase(today, ChaseFilters(), 1, DASHBOARD_CHASE_ROWS)
        case "authorities":
            return _authorities(today)
        case "trends":
            return _trends(today)
    abort(404)


# --- pages -------------------------------------------------------------------------------------


@bp.get("")
@roles_required(*DASHBOARD_ROLES)
def index() -> Any:
    today = today_uk()
    context: dict[str, Any] = {"today": today, "next_url": url_for("dashboard.index")}
    for name in PANELS:
        context |= _render_panel(name, today)
    return render_template("views/dashboard/index.html", **context)


@bp.get("/panels/<name>")
@roles_required(*DASHBOARD_ROLES)
def panel(name: str) -> Any:
    """One panel of the dashboard as an HTML fragment, for the page's script to swap in."""
    if name not in PANELS:
        abort(404)
    today = today_uk()
    context = _render_panel(name, today)
    html = render_template(
        f"views/dashboard/_{name}.html", today=today, next_url=url_for("dashboard.index"), **context
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _filter_form() -> ChaseFilterForm:
    form = ChaseFilterForm(request.args, filter_choices(_db()))
    form.validate()
    return form


@bp.get("/chase-list")
@roles_required(*DASHBOARD_ROLES)
def chase() -> Any:
    today = today_uk()
    form = _filter_form()
    filters = form.filters()
    page: ChasePage = chase_list(_db(), today, filters, _calendar(), page=page_number())
    _audit_chase_page(page, filters)
    return render_template(
        "views/dashboard/chase_list.html",
        form=form,
        filters=filters,
        chase=page,
        today=today,
        next_url=request.full_path.rstrip("?"),
        pagination=pagination(
            page.page,
            page.pages,
            lambda n: url_for("dashboard.chase", **_page_args(filters, n)),
            "Chase list pages",
        ),
        refresh_url=url_for("dashboard.chase_table", **_page_args(filters, page.page)),
    )


def _audit_chase_page(page: ChasePage, filters: ChaseFilters) -> None:
    with transaction(keep_loaded=True):
        audit.list_shown(
            "chase_list", (r.child_id for r in page.rows), page=page.page, **filters.as_args()
        )


@bp.get("/chase-list/table")
@roles_required(*DASHBOARD_ROLES)
def chase_table() -> Any:
    """The chase list's table alone (same filters and page), for the page's script."""
    today = today_uk()
    filters = _filter_form().filters()
    page = chase_list(_db(), today, filters, _calendar(), page=page_number())
    _audit_chase_page(page, filters)
    next_url = url_for("dashboard.chase", **_page_args(filters, page.page))
    html = render_template(
        "views/dashboard/_chase_table.html",
        chase=page,
        today=today,
        next_url=next_url,
        filters=filters,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_args(filters: ChaseFilters, page: int) -> dict[str, Any]:
    return {**filters.as_args(), "page": page if page > 1 else None}


CSV_COLUMNS = (
    "Case reference",
    "Child's initials",
    "Notice",
    "Recipient",
    "Recipient type",
    "Recipient code",
    "Sent on",
    "Acknowledge by",
    "Days overdue",
    "Days counted",
    "Reminders sent",
    "Last reminded on",
    "Escalated on",
    "Placed in",
    "Social worker",
    "Team",
)


@bp.get("/chase-list.csv")
@roles_required(*DASHBOARD_ROLES)
def chase_csv() -> Any:
    """The whole filtered chase list as CSV: identifiers and dates, no names or dates of birth."""
    today = today_uk()
    filters = _filter_form().filters()
    # Written whole before it is sent: streaming would hold the transaction (on SQLite, the
    # database's write lock) open for as long as the download takes.
    buffer = io.StringIO()
    writer = CsvWriter(buffer, CSV_COLUMNS)
    with transaction() as session:
        audit.record(
            "export", "chase_list", None, **{k: str(v) for k, v in filters.as_args().items()}
        )
        for r in chase_rows_for_export(session, today, filters, _calendar()):
            writer.writerow(
                (
                    r.case_reference,
                    r.initials,
                    event_title(r.event),
                    r.recipient_name,
                    r.recipient_kind.replace("_", " "),
                    r.recipient_code or "",
                    r.sent_on.isoformat() if r.sent_on else "",
                    r.acknowledge_by.isoformat(),
                    r.days_overdue,
                    "working days" if r.working_days else "calendar days",
                    r.reminders_sent,
                    r.last_reminded_on.isoformat() if r.last_reminded_on else "",
                    _uk_day(r.escalated_at),
                    r.host_authority_name or "",
                    r.social_worker_name or "",
                    r.team or "",
                )
            )
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="chase-list-{today.isoformat()}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _uk_day(at: datetime | None) -> str:
    return uk_date(at).isoformat() if at else ""


# --- the lists behind the headline counts ------------------------------------------------------


@bp.get("/notices/<kind>")
@roles_required(*DASHBOARD_ROLES)
def notices(kind: str) -> Any:
    try:
        which = lists.NoticeList(kind)
    except ValueError:
        abort(404)
    total, rows = lists.notice_list(_db(), which, today_uk())
    with transaction(keep_loaded=True):
        audit.list_shown(f"notices_{which.value}", (r.child_id for r in rows))
    return render_template(
        "views/dashboard/notices.html",
        title=lists.NOTICE_TITLES[which],
        total=total,
        rows=rows,
        limit=lists.LIST_LIMIT,
    )


@bp.get("/placements/<kind>")
@roles_required(*DASHBOARD_ROLES)
def placements(kind: str) -> Any:
    try:
        which = lists.PlacementList(kind)
    except ValueError:
        abort(404)
    total, rows = lists.placement_list(_db(), which, _home_authority(), today_uk())
    with transaction(keep_loaded=True):
        audit.list_shown(f"placements_{which.value}", (r.child_id for r in rows))
    return render_template(
        "views/dashboard/placements.html",
        title=lists.PLACEMENT_TITLES[which],
        total=total,
        rows=rows,
        limit=lists.LIST_LIMIT,
    )
