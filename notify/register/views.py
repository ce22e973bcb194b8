"""Business support's pages: the triage queue of inbound notices, a notice and its three
decisions (accept, query, reject), and the host register with its export and reconciliation.

Views parse the form, call one service function, audit, commit once, and render.
"""

import io
from datetime import date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Authority, HealthBody, InboundNotice, Notification
from models.base import utcnow
from models.enums import Division, Event, InboundStatus, Role
from notify import audit
from notify.auth import roles_required
from notify.calendar import today_uk, uk_date
from notify.csv_writer import CsvWriter
from notify.extensions import db
from notify.geography.postcode import PostcodeError
from notify.geography.store import resolve_postcode
from notify.notifications.calendars import working_day_calendars
from notify.problems import InvalidInput
from notify.register.forms import (
    AcceptForm,
    AssignForm,
    QueryForm,
    QueueSearchForm,
    ReconcileForm,
    RegisterFilterForm,
    RejectForm,
)
from notify.register.queries import (
    AGE_BANDS,
    EXPORT_COLUMNS,
    Page,
    QueueFilters,
    age_on,
    days_ago,
    filter_choices,
    queue_counts,
    reconciliation_preview,
    register_export,
    register_page,
    register_summary,
    triage_overdue_before,
    triage_queue,
)
from notify.register.service import (
    CannotDecide,
    accept_notice,
    assign_notice,
    find_hosted_child,
    query_notice,
    reconcile,
    reject_notice,
)
from notify.transaction import transaction
from notify.web.forms import add_problems
from notify.web.pagination import page_number, pagination

bp = Blueprint("register", __name__)

# Business support triage and keep the register; managers may look; admins hold every role.
TRIAGE_VIEW_ROLES = (Role.BUSINESS_SUPPORT, Role.MANAGER)
TRIAGE_DECIDE_ROLES = (Role.BUSINESS_SUPPORT,)
REGISTER_ROLES = (Role.BUSINESS_SUPPORT, Role.MANAGER, Role.SQA_OFFICER)
RECONCILE_ROLES = (Role.BUSINESS_SUPPORT,)
STATUS_TAGS = {
    InboundStatus.RECEIVED: ("Received", "govuk-tag--blue"),
    InboundStatus.QUERIED: ("Queried", "govuk-tag--yellow"),
    InboundStatus.ACCEPTED: ("Accepted", "govuk-tag--green"),
    InboundStatus.REJECTED: ("Rejected", "govuk-tag--red"),
}


def _db() -> Session:
    return db.session()


def _now() -> datetime:
    return utcnow()


def _home() -> str:
    return str(current_app.config["HOME_AUTHORITY"])


def _may(roles: tuple[str, ...]) -> bool:
    return current_user.role in roles or current_user.role == Role.ADMIN


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "status_tags": STATUS_TAGS,
        "ago": lambda then: days_ago(then, _now()),
        "age_on": age_on,
    }


def _pagination(
    page: Page, endpoint: str, args: dict[str, Any], label: str
) -> dict[str, Any] | None:
    return pagination(
        page.page,
        page.pages,
        lambda n: url_for(endpoint, **args, page=n if n > 1 else None),
        label,
    )


# --- the triage queue ------------------------------------------------------------------------


def _overdue_before() -> datetime:
    """Notices received before this instant have waited more than TRIAGE_WITHIN_WORKING_DAYS
    working days for a decision."""
    return triage_overdue_before(
        working_day_calendars(_db())[Division.ENGLAND_AND_WALES],
        today_uk(),
        int(current_app.config["TRIAGE_WITHIN_WORKING_DAYS"]),
    )


@bp.get("/inbound")
@roles_required(*TRIAGE_VIEW_ROLES)
def queue() -> Any:
    form = QueueSearchForm(request.args)
    form.validate()
    mine = form.show.data == "mine"
    filters = QueueFilters(q=form.q.data or "", assigned_to=current_user.id if mine else None)
    overdue_before = _overdue_before()
    page = triage_queue(_db(), page_number(), filters, overdue_before)
    with transaction(keep_loaded=True):
        audit.list_shown(
            "triage_queue",
            (row.notice.child_id for row in page.rows),
            notice_ids=[row.notice.id for row in page.rows],
            query=filters.q or None,
            page=page.page,
        )
    args = {k: v for k, v in {"q": filters.q, "show": form.show.data}.items() if v}
    return render_template(
        "views/register/queue.html",
        queue=page,
        form=None,
        search_form=form,
        filters=filters,
        counts=queue_counts(_db(), current_user.id, overdue_before),
        triage_days=current_app.config["TRIAGE_WITHIN_WORKING_DAYS"],
        pagination=_pagination(page, "register.queue", args, "Inbound notice pages"),
    )


@bp.post("/inbound/<int:notice_id>/assignment")
@roles_required(*TRIAGE_DECIDE_ROLES)
def assign(notice_id: int) -> Any:
    found = _notice_or_404(notice_id)
    form = AssignForm()
    if not form.validate_on_submit():
        abort(400)
    to_me = form.action.data == "take"
    try:
        with transaction() as session:
            assign_notice(session, found.id, current_user.id if to_me else None)
            audit.record("assign" if to_me else "unassign", "inbound_notice", found.id)
    except CannotDecide as exc:
        flash(str(exc), "info")
        return redirect(url_for(".notice", notice_id=notice_id))
    flash(
        f"Notice {found.reference} is assigned to you"
        if to_me
        else f"Notice {found.reference} is back on the queue for anyone",
        "success",
    )
    return redirect(url_for(".notice", notice_id=notice_id))


def _notice_or_404(notice_id: int) -> InboundNotice:
    notice = db.session.get(InboundNotice, notice_id)
    if notice is None:
        abort(404)
    return notice


def _notice_page(notice: InboundNotice, status: int = 200, **context: Any) -> Any:
    payload = notice.payload
    address = ((payload.get("placement") or {}).get("address")) or {}
    placed_in = None
    if address.get("postcode"):
        try:
            placed_in = resolve_postcode(_db(), address["postcode"])
        except PostcodeError:
            placed_in = None
    health = None
    if placed_in is not None and placed_in.health_bodies:
        health = db.session.get(HealthBody, placed_in.health_bodies[0].code)
    ehc = ((payload.get("child") or {}).get("ehc_plan") or {}).get("maintained_by")
    queries = db.session.scalars(
        select(Notification)
        .where(Notification.inbound_notice_id == notice.id, Notification.event == Event.QUERY)
        .order_by(Notification.id)
    ).all()
    with transaction(keep_loaded=True):
        audit.record("view", "inbound_notice", notice.id)
    return render_template(
        "views/register/notice.html",
        notice=notice,
        payload=payload,
        placing=db.session.get(Authority, notice.placing_authority_code),
        ehc_authority=db.session.get(Authority, ehc) if ehc else None,
        match=find_hosted_child(_db(), notice),
        placed_in=placed_in,
        health_body=health,
        queries=queries,
        open=notice.status in (InboundStatus.RECEIVED, InboundStatus.QUERIED),
        may_decide=_may(TRIAGE_DECIDE_ROLES),
        today=today_uk(),
        **context,
    ), status


@bp.get("/inbound/<int:notice_id>")
@roles_required(*TRIAGE_VIEW_ROLES)
def notice(notice_id: int) -> Any:
    return _notice_page(_notice_or_404(notice_id))


def _accept_page(notice: InboundNotice, status: int = 200, form: AcceptForm | None = None) -> Any:
    return render_template(
        "views/register/accept.html",
        notice=notice,
        payload=notice.payload,
        placing=db.session.get(Authority, notice.placing_authority_code),
        match=find_hosted_child(_db(), notice),
        form=form or AcceptForm(),
    ), status


@bp.route("/inbound/<int:notice_id>/accept", methods=["GET", "POST"])
@roles_required(*TRIAGE_DECIDE_ROLES)
def accept(notice_id: int) -> Any:
    """GET: before accepting, what it will do, to which record and who will be told."""
    found = _notice_or_404(notice_id)
    if request.method == "GET":
        if found.status not in (InboundStatus.RECEIVED, InboundStatus.QUERIED):
            flash(f"Notice {found.reference} is {found.status}: it cannot be accepted now", "info")
            return redirect(url_for(".notice", notice_id=found.id))
        return _accept_page(found)
    form = AcceptForm()
    if not form.validate_on_submit():
        return _accept_page(found, 400, form)
    try:
        with transaction() as session:
            done = accept_notice(
                session,
                found.id,
                home_authority_code=_home(),
                user_id=current_user.id,
                today=today_uk(),
            )
            if not done.already_accepted:
                audit.record(
                    "accept",
                    "inbound_notice",
                    done.notice.id,
                    child_id=done.child.id,
                    placement_id=done.placement.id,
                    created_child=done.created_child,
                    notifications=[n.id for n in done.notifications],
                )
    except InvalidInput as exc:
        return _notice_page(_notice_or_404(notice_id), 422, problems=exc.fields)
    except CannotDecide as exc:
        flash(str(exc), "info")
        return redirect(url_for(".notice", notice_id=notice_id))
    if done.already_accepted:
        flash(f"Notice {done.notice.reference} had already been accepted", "info")
        return redirect(url_for("placements.child_page", child_id=done.child.id))
    what = "added to the register" if done.created_child else "register updated"
    flash(f"Notice {done.notice.reference} accepted: {what}", "success")
    return redirect(url_for("placements.child_page", child_id=done.child.id))


@bp.route("/inbound/<int:notice_id>/query", methods=["GET", "POST"])
@roles_required(*TRIAGE_DECIDE_ROLES)
def query(notice_id: int) -> Any:
    found = _notice_or_404(notice_id)
    form = QueryForm()
    if found.status != InboundStatus.RECEIVED:
        flash(f"Notice {found.reference} is {found.status}: it cannot be queried now", "info")
        return redirect(url_for(".notice", notice_id=found.id))
    if form.validate_on_submit():
        try:
            with transaction() as session:
                sent = query_notice(
                    session,
                    found.id,
                    question=form.question.data or "",
                    user_id=current_user.id,
                    today=today_uk(),
                )
                audit.record("query", "inbound_notice", found.id, notification_id=sent.id)
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        except CannotDecide as exc:
            flash(str(exc), "info")
            return redirect(url_for(".notice", notice_id=notice_id))
        else:
            flash(f"Query sent about notice {found.reference}: it stays on the queue", "success")
            return redirect(url_for(".queue"))
    return render_template(
        "views/register/query.html", form=form, notice=found, recipient=_query_recipient(found)
    )


def _query_recipient(notice: InboundNotice) -> str:
    worker = (notice.payload.get("contacts") or {}).get("social_worker") or {}
    if worker.get("email"):
        return f"{worker.get('name') or 'The social worker'} ({worker['email']})"
    authority = db.session.get(Authority, notice.placing_authority_code)
    name = authority.name if authority else notice.placing_authority_code
    if authority and authority.notification_email:
        return f"{name} ({authority.notification_email})"
    return f"{name} (no notification address yet: it waits until the directory has one)"


@bp.route("/inbound/<int:notice_id>/reject", methods=["GET", "POST"])
@roles_required(*TRIAGE_DECIDE_ROLES)
def reject(notice_id: int) -> Any:
    found = _notice_or_404(notice_id)
    form = RejectForm()
    if found.status not in (InboundStatus.RECEIVED, InboundStatus.QUERIED):
        flash(f"Notice {found.reference} is {found.status}: it cannot be rejected now", "info")
        return redirect(url_for(".notice", notice_id=found.id))
    if form.validate_on_submit():
        try:
            with transaction() as session:
                reject_notice(
                    session,
                    found.id,
                    reason=form.reason.data or "",
                    detail=form.detail.data,
                    user_id=current_user.id,
                )
                audit.record("reject", "inbound_notice", found.id, reason=form.reason.data)
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        except CannotDecide as exc:
            flash(str(exc), "info")
            return redirect(url_for(".notice", notice_id=notice_id))
        else:
            flash(f"Notice {found.reference} rejected", "success")
            return redirect(url_for(".queue"))
    return render_template("views/register/reject.html", form=form, notice=found)


# --- the register ----------------------------------------------------------------------------


def _filter_form() -> RegisterFilterForm:
    form = RegisterFilterForm(request.args, filter_choices(_db(), _home()))
    if request.args:
        form.validate()
    return form


@bp.get("/register")
@roles_required(*REGISTER_ROLES)
def register() -> Any:
    today, now = today_uk(), _now()
    form = _filter_form()
    filters = form.filters()
    page = register_page(_db(), _home(), today, filters, now, page_number())
    with transaction(keep_loaded=True):
        audit.list_shown(
            "host_register",
            (row.child_id for row in page.rows),
            page=page.page,
            **filters.as_args(),
        )
    return render_template(
        "views/register/register.html",
        form=form,
        filters=filters,
        register=page,
        summary=register_summary(_db(), _home(), today, now),
        pagination=_pagination(page, "register.register", filters.as_args(), "Register pages"),
        age_bands=AGE_BANDS,
        today=today,
        may_reconcile=_may(RECONCILE_ROLES),
    )


@bp.get("/register.csv")
@roles_required(*REGISTER_ROLES)
def register_csv() -> Any:
    """The filtered register as CSV, every placement here: for staff, so names and dates of
    birth are in it (never in a log)."""
    today, now = today_uk(), _now()
    filters = _filter_form().filters()
    # Written whole before it is sent: streaming would hold the transaction open.
    buffer = io.StringIO()
    writer = CsvWriter(buffer, EXPORT_COLUMNS)
    with transaction() as session:
        audit.record("export", "host_register", None, **filters.as_args())
        for row in register_export(session, _home(), today, filters, now):
            writer.writerow([_cell(v) for v in row])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="host-register-{today.isoformat()}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return uk_date(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


@bp.get("/register/reconcile")
@roles_required(*RECONCILE_ROLES)
def confirm_reconcile() -> Any:
    """Before emailing every placing authority: who will be asked, and about how many."""
    to_ask = reconciliation_preview(_db(), _home(), today_uk())
    return render_template(
        "views/register/reconcile.html",
        to_ask=[a for a in to_ask if not a.asked_today],
        asked_today=[a for a in to_ask if a.asked_today],
        form=ReconcileForm(),
    )


@bp.post("/register/reconcile")
@roles_required(*RECONCILE_ROLES)
def reconcile_register() -> Any:
    form = ReconcileForm()
    if not form.validate_on_submit():
        abort(400)
    with transaction() as session:
        done = reconcile(session, home_authority_code=_home(), today=today_uk())
        audit.record(
            "reconcile",
            "host_register",
            None,
            notifications=[n.id for n in done.written],
            already_today=list(done.already_today),
        )
    written = len(done.written)
    if written:
        flash(
            f"Reconciliation requests written to {written} placing "
            f"{'authority' if written == 1 else 'authorities'}",
            "success",
        )
    else:
        flash("Every placing authority has already been asked today: nothing new sent", "info")
    return redirect(url_for(".register"))
