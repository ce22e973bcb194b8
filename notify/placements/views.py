"""The social worker's pages: find and add a child, the child's page, record a move or the
end of a placement (each through a check-your-answers page), and reg 11 approvals.

Views parse the form, call one service function, commit once, and render. A journey's
answers wait in the Flask session between the form and the check page, with the child's
version as first read, so a change made by someone else meanwhile shows as a conflict.
"""

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import Authority, Child, HealthBody, Notification, Placement, User
from models.enums import ApprovalLevel, NotificationStatus, Role
from notify import audit, codes
from notify.auth import roles_required
from notify.calendar import today_uk
from notify.extensions import db
from notify.geography.postcode import PostcodeError
from notify.geography.store import resolve_postcode
from notify.placements.forms import (
    PLEASE_CHOOSE,
    ApprovalForm,
    CaseReferenceForm,
    ChildForm,
    ConfirmWithReasonForm,
    EndForm,
    MoveForm,
    SearchForm,
    WithdrawForm,
    shown_postcode,
)
from notify.placements.queries import (
    active_authorities,
    allocatable_workers,
    authority_names,
    inbound_notices_of,
    notifications_by_placement,
    search_children,
)
from notify.placements.service import (
    PlacementDetails,
    Plan,
    approvals_required,
    change_case_reference,
    end_placement,
    plan_end,
    plan_placement,
    reason_question,
    record_approval,
    record_child,
    record_placement,
)
from notify.placements.withdrawal import (
    CannotWithdraw,
    plan_withdrawal,
    withdraw_placement,
    withdrawable_placement,
)
from notify.problems import Conflict, InvalidInput
from notify.transaction import transaction
from notify.web.forms import add_problems, options

bp = Blueprint("placements", __name__, url_prefix="/children")

# Who may change a record; everyone signed in may read one. Admins hold every role.
RECORD_ROLES = (Role.SOCIAL_WORKER, Role.MANAGER)
APPROVE_ROLES = (Role.MANAGER,)
SEARCH_LIMIT = 50
CHILD_FIELD_ALIASES = {"ehc_plan.maintained_by": "ehc_plan_maintained_by"}
CONFLICT_MESSAGE = (
    "Someone else changed this child’s record since you started. Nothing has been saved."
)


def _db() -> Session:
    """The request's session, as the service functions take it."""
    return db.session()


def _home_authority() -> str:
    return str(current_app.config["HOME_AUTHORITY"])


def _may(roles: tuple[str, ...]) -> bool:
    return current_user.role in roles or current_user.role == Role.ADMIN


def _child_or_404(child_id: int) -> Child:
    child = db.session.get(Child, child_id)
    if child is None:
        abort(404)
    return child


def _our_child_or_404(child_id: int) -> Child:
    """Only the responsible authority records a child's placements here; another
    authority's children reach the host register through their notices."""
    child = _child_or_404(child_id)
    if child.responsible_authority_code != _home_authority():
        abort(404)
    return child


def _placement_or_404(child: Child, placement_id: int) -> Placement:
    placement = db.session.get(Placement, placement_id)
    if placement is None or placement.child_id != child.id:
        abort(404)
    return placement


# --- Find and add a child ---------------------------------------------------------------------


@bp.get("")
def find_child() -> Any:
    form = SearchForm(request.args)
    results = None
    query = (form.q.data or "") if form.validate() else ""
    authorities: dict[str, str] = {}
    if query:
        results = search_children(_db(), query, SEARCH_LIMIT)
        authorities = authority_names(_db(), (c.responsible_authority_code for c in results))
        with transaction(keep_loaded=True):
            audit.list_shown("child_search", (c.id for c in results), query=query)
    return render_template(
        "views/placements/find_child.html",
        form=form,
        query=query,
        results=results,
        authorities=authorities,
        limit=SEARCH_LIMIT,
        home=_home_authority(),
        may_record=_may(RECORD_ROLES),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def add_child() -> Any:
    today = today_uk()
    form = ChildForm()
    form.legal_status.choices = options(codes.choices("LS", on=today), PLEASE_CHOOSE)
    form.ehc_plan_maintained_by.choices = options(active_authorities(_db()), "No EHC plan")
    form.social_worker_id.choices = options(
        allocatable_workers(_db(), RECORD_ROLES), "Not allocated"
    )
    if request.method == "GET" and current_user.role == Role.SOCIAL_WORKER:
        form.social_worker_id.data = str(current_user.id)
    if form.validate_on_submit():
        try:
            with transaction():
                child = record_child(_db(), form.to_details(), _home_authority(), today)
                audit.record("create", "child", child.id)
        except InvalidInput as exc:
            add_problems(form, exc.fields, CHILD_FIELD_ALIASES)
        else:
            flash(f"Child {child.case_reference} added", "success")
            return redirect(url_for(".child_page", child_id=child.id))
    return render_template("views/placements/add_child.html", form=form)


@bp.route("/<int:child_id>/case-reference", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def change_reference(child_id: int) -> Any:
    """Correct a case reference mistyped, or copied with a line break from another system."""
    child = _our_child_or_404(child_id)
    form = CaseReferenceForm()
    if request.method == "GET":
        form.version.data, form.case_reference.data = child.version, child.case_reference
    if form.validate_on_submit():
        try:
            with transaction() as session:
                old = change_case_reference(
                    session, child, form.case_reference.data or "", form.version.data or 0
                )
                audit.record("change_case_reference", "child", child.id, old=old)
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        except (Conflict, StaleDataError):
            flash("Someone else changed this child's record: check it, then try again", "error")
            return redirect(url_for(".child_page", child_id=child_id))
        else:
            flash(f"Case reference changed to {child.case_reference}", "success")
            return redirect(url_for(".child_page", child_id=child.id))
    return render_template("views/placements/case_reference.html", form=form, child=child)


# --- The child's page -------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalStatus:
    level: str
    reason: str
    preconditions: tuple[str, ...]
    decision: str | None  # None: not yet decided


@dataclass(frozen=True)
class PlacementRecord:
    placement: Placement
    notifications: list[Notification]
    approvals: list[ApprovalStatus]

    @property
    def approvals_outstanding(self) -> list[ApprovalStatus]:
        return [a for a in self.approvals if a.decision is None]


@bp.get("/<int:child_id>")
def child_page(child_id: int) -> Any:
    child = _child_or_404(child_id)
    ours = child.responsible_authority_code == _home_authority()
    notifications = notifications_by_placement(_db(), child)
    records = [
        PlacementRecord(p, notifications[p.id], _approval_statuses(child, p) if ours else [])
        for p in reversed(child.placements)
    ]
    with transaction(keep_loaded=True):
        audit.record("view", "child", child.id)
    return render_template(
        "views/placements/child.html",
        child=child,
        ours=ours,
        records=records,
        current=child.current_placement,
        responsible=db.session.get(Authority, child.responsible_authority_code),
        social_worker=(
            db.session.get(User, child.social_worker_id) if child.social_worker_id else None
        ),
        ehc_authority=(
            db.session.get(Authority, child.ehc_plan_maintained_by)
            if child.ehc_plan_maintained_by
            else None
        ),
        may_record=ours and _may(RECORD_ROLES),
        may_approve=ours and _may(APPROVE_ROLES),
        withdrawable=withdrawable_placement(child, today_uk()) if ours else None,
        today=today_uk(),
        # another authority's child: the notices it sent us, newest first
        inbound=[] if ours else inbound_notices_of(_db(), child),
    )


def _approval_statuses(child: Child, placement: Placement) -> list[ApprovalStatus]:
    """The reg 11 approvals this placement needs, each with the decision recorded, if any."""
    decided = {a.level: a.decision for a in placement.approvals}
    return [
        ApprovalStatus(
            str(r.level), r.reason, tuple(str(p) for p in r.preconditions), decided.get(r.level)
        )
        for r in approvals_required(_db(), placement)
    ]


# --- Record a move (or a first placement) -----------------------------------------------------


def _move_key(child_id: int) -> str:
    return f"move-draft:{child_id}"


# The web form does not record reg 13(3) decisions, so a draft never holds one.
_NOT_IN_DRAFT = {"withholding"}


def _details_to_session(details: PlacementDetails) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in fields(details):
        if f.name in _NOT_IN_DRAFT:
            continue
        value = getattr(details, f.name)
        values[f.name] = value.isoformat() if isinstance(value, date) else value
    return values


_DATE_FIELDS = {f.name for f in fields(PlacementDetails) if "date" in f.name}


def _details_from_session(values: dict[str, Any]) -> PlacementDetails:
    parsed: dict[str, Any] = {
        k: date.fromisoformat(v) if k in _DATE_FIELDS and v else v for k, v in values.items()
    }
    return PlacementDetails(**parsed)


def _move_form(child: Child, draft: dict[str, Any] | None, today: date) -> MoveForm:
    if request.method == "POST":
        form = MoveForm()
    elif draft is not None:
        values = _details_from_session(draft["values"])
        form = MoveForm(
            data={
                **{
                    f.name: getattr(values, f.name)
                    for f in fields(values)
                    if f.name not in _NOT_IN_DRAFT
                },
                "version": draft["version"] or child.version,
            }
        )
    else:
        form = MoveForm(data={"version": child.version})
    if child.current_placement is None:
        form.drop_move_fields()
    else:
        form.reason_for_change.choices = options(
            codes.choices("REASON_PLACE_CHANGE", on=today), PLEASE_CHOOSE
        )
    on = form.start_date.data or today
    form.placement_type.choices = options(codes.choices("PLACE", on=on), PLEASE_CHOOSE)
    form.provider.choices = options(codes.choices("PLACE_PROVIDER", on=on), PLEASE_CHOOSE)
    _offer_health_bodies(form)
    return form


def _offer_health_bodies(form: MoveForm) -> None:
    """Ask which health body covers the address only where the postcode's district is split."""
    form.health_body_code.choices = []
    if not form.postcode.data:
        return
    try:
        placed = resolve_postcode(_db(), form.postcode.data)
    except PostcodeError:
        return
    if placed.split:
        form.health_body_code.choices = options((hb.code, hb.name) for hb in placed.health_bodies)


def _normalise_postcode(form: MoveForm) -> None:
    form.postcode.data = shown_postcode(form.postcode.data)


def _check_postcode_too(form: MoveForm) -> None:
    """When other answers are wrong, still say whether the postcode is: every error at once."""
    if form.postcode.errors or not form.postcode.data:
        return
    try:
        placed = resolve_postcode(_db(), form.postcode.data)
    except PostcodeError as exc:
        form.postcode.errors = [*form.postcode.errors, exc.message]
        return
    form.postcode.data = placed.postcode  # shown as the service will hold it: "HR1 2HX"
    _offer_health_bodies(form)


@bp.route("/<int:child_id>/move", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def record_move(child_id: int) -> Any:
    child = _our_child_or_404(child_id)
    today = today_uk()
    key = _move_key(child.id)
    if request.method == "GET" and not request.args.get("change"):
        session.pop(key, None)  # a fresh start, not a change from the check page
    form = _move_form(child, session.get(key), today)
    if form.validate_on_submit():
        details = form.to_details()
        try:
            plan_placement(_db(), child, details, today)
        except InvalidInput as exc:
            problems = dict(exc.fields)
            if not form.health_body_code.data:
                # a split district: a question for the person to answer, not their mistake
                problems.pop("health_body_code", None)
            add_problems(form, problems)
            _normalise_postcode(form)
            _offer_health_bodies(form)
        else:
            session[key] = {"version": form.version.data, "values": _details_to_session(details)}
            return redirect(url_for(".check_move", child_id=child.id))
    elif request.method == "POST":
        _check_postcode_too(form)
    return render_template(
        "views/placements/move.html", form=form, child=child, current=child.current_placement
    )


@bp.route("/<int:child_id>/move/check", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def check_move(child_id: int) -> Any:
    child = _our_child_or_404(child_id)
    today = today_uk()
    key = _move_key(child.id)
    draft = session.get(key)
    if draft is None and request.method == "POST":
        return _nothing_to_confirm(child)
    if draft is None or draft["version"] is None:
        return redirect(url_for(".record_move", child_id=child.id, change=1 if draft else None))
    details = _details_from_session(draft["values"])
    confirm = ConfirmWithReasonForm()
    if confirm.validate_on_submit():
        is_move = child.current_placement is not None
        try:
            with transaction():
                recorded = record_placement(
                    _db(),
                    child,
                    replace(details, late_reason=confirm.reason.data or None),
                    expected_version=draft["version"],
                    actor_id=current_user.id,
                    today=today,
                )
                audit.record(
                    "record_placement", "placement", recorded.placement.id, child_id=child.id
                )
        except (Conflict, StaleDataError):
            return _move_conflict(child, key, draft)
        except InvalidInput as exc:
            if set(exc.fields) != {"late_reason"}:
                # The facts moved between check and confirm (a new day, a changed directory).
                return _move_form_with_problems(child, draft, exc, today)
            add_problems(confirm, {"reason": exc.fields["late_reason"]})
        else:
            session.pop(key, None)
            flash(
                f"{'Move' if is_move else 'Placement'} recorded: "
                f"{_will_be_sent([n.status for n in recorded.notifications])}",
                "success",
            )
            return redirect(url_for(".child_page", child_id=child.id))
    if child.version != draft["version"]:
        return _move_conflict(child, key, draft)
    try:
        plan = plan_placement(_db(), child, details, today)
    except InvalidInput as exc:
        return _move_form_with_problems(child, draft, exc, today)
    return render_template(
        "views/placements/check_move.html",
        child=child,
        plan=plan,
        details=details,
        confirm=confirm,
        form=confirm,  # for the error summary
        reason_question=reason_question(plan) if plan.asks_reason else None,
        **_plan_names(plan),
    )


def _will_be_sent(statuses: list[str]) -> str:
    """What the person is told: only notices with an address will be sent; the others wait."""
    waiting = sum(1 for s in statuses if s == NotificationStatus.NEEDS_ADDRESS)
    # those withheld under reg 13(3) are listed, never sent
    sent = sum(
        1
        for s in statuses
        if s not in (NotificationStatus.NEEDS_ADDRESS, NotificationStatus.WITHHELD)
    )
    text = f"{_notices(sent)} will be sent"
    if waiting:
        text += f"; {_notices(waiting)} {'waits' if waiting == 1 else 'wait'} for an address"
    return text


def _notices(count: int) -> str:
    return f"{count} {'notice' if count == 1 else 'notices'}"


NOTHING_TO_CONFIRM = (
    "Nothing was saved from that page. These answers were already confirmed, perhaps in "
    "another tab or window, or they were started too long ago to keep. This is what the "
    "child's record holds now: check it before recording anything again."
)


def _nothing_to_confirm(child: Child) -> Any:
    """A confirm with no answers waiting (a second tab, an expired session): say so."""
    flash(NOTHING_TO_CONFIRM, "info")
    return redirect(url_for(".child_page", child_id=child.id))


def _move_conflict(child: Child, key: str, draft: dict[str, Any]) -> Any:
    # Keep the answers but forget the version: starting again reads the record afresh.
    session[key] = {**draft, "version": None}
    return render_template(
        "views/placements/conflict.html",
        child=child,
        message=CONFLICT_MESSAGE,
        again=url_for(".record_move", child_id=child.id, change=1),
        what="record the move",
    ), 409


def _move_form_with_problems(
    child: Child, draft: dict[str, Any], exc: InvalidInput, today: date
) -> Any:
    form = _move_form(child, draft, today)
    add_problems(form, exc.fields)
    return render_template(
        "views/placements/move.html", form=form, child=child, current=child.current_placement
    )


def _plan_names(plan: Plan) -> dict[str, Any]:
    """Names of the authorities and health bodies a plan refers to by code."""
    location = plan.placement_location
    return {
        "host": db.session.get(Authority, location.authority_code) if location else None,
        "host_health_body": (
            db.session.get(HealthBody, plan.host_health_body_code)
            if plan.host_health_body_code
            else None
        ),
        "split_district": bool(location and location.split),
        "approval_areas": {
            a.area_authority_code: db.session.get(Authority, a.area_authority_code)
            for a in plan.approvals
        },
    }


# --- End a placement --------------------------------------------------------------------------


def _end_key(placement_id: int) -> str:
    return f"end-draft:{placement_id}"


def _end_form(child: Child, draft: dict[str, Any] | None, today: date) -> EndForm:
    if request.method == "POST":
        form = EndForm()
    elif draft is not None:
        form = EndForm(
            data={
                "version": draft["version"] or child.version,
                "end_date": date.fromisoformat(draft["end_date"]),
                "end_reason": draft["end_reason"],
                "destination": draft["destination"],
            }
        )
    else:
        form = EndForm(data={"version": child.version})
    form.end_reason.choices = options(
        codes.choices("REC", on=form.end_date.data or today), PLEASE_CHOOSE
    )
    return form


@bp.route("/<int:child_id>/placements/<int:placement_id>/end", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def record_end(child_id: int, placement_id: int) -> Any:
    child = _our_child_or_404(child_id)
    placement = _placement_or_404(child, placement_id)
    today = today_uk()
    key = _end_key(placement.id)
    if request.method == "GET" and not request.args.get("change"):
        session.pop(key, None)
    form = _end_form(child, session.get(key), today)
    if form.validate_on_submit():
        end_date = form.end_date.required_data
        try:
            plan_end(_db(), child, placement, end_date, form.end_reason.data or "", today)
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        else:
            session[key] = {
                "version": form.version.data,
                "end_date": end_date.isoformat(),
                "end_reason": form.end_reason.data,
                "destination": form.destination.data,
            }
            return redirect(url_for(".check_end", child_id=child.id, placement_id=placement.id))
    return render_template("views/placements/end.html", form=form, child=child, placement=placement)


@bp.route("/<int:child_id>/placements/<int:placement_id>/end/check", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def check_end(child_id: int, placement_id: int) -> Any:
    child = _our_child_or_404(child_id)
    placement = _placement_or_404(child, placement_id)
    today = today_uk()
    key = _end_key(placement.id)
    draft = session.get(key)
    if draft is None and request.method == "POST":
        return _nothing_to_confirm(child)
    if draft is None or draft["version"] is None:
        return redirect(
            url_for(
                ".record_end",
                child_id=child.id,
                placement_id=placement.id,
                change=1 if draft else None,
            )
        )
    end_date = date.fromisoformat(draft["end_date"])
    confirm = ConfirmWithReasonForm()
    if confirm.validate_on_submit():
        try:
            with transaction():
                recorded = end_placement(
                    _db(),
                    child,
                    placement,
                    end_date=end_date,
                    end_reason=draft["end_reason"],
                    destination=draft["destination"],
                    expected_version=draft["version"],
                    today=today,
                    not_practicable_reason=confirm.reason.data or None,
                )
                audit.record("end_placement", "placement", placement.id, child_id=child.id)
        except (Conflict, StaleDataError):
            return _end_conflict(child, placement, key, draft)
        except InvalidInput as exc:
            if set(exc.fields) != {"not_practicable_reason"}:
                form = _end_form(child, draft, today)
                add_problems(form, exc.fields)
                return render_template(
                    "views/placements/end.html", form=form, child=child, placement=placement
                )
            add_problems(confirm, {"reason": exc.fields["not_practicable_reason"]})
        else:
            session.pop(key, None)
            flash(
                f"Placement ended: {_will_be_sent([n.status for n in recorded.notifications])}",
                "success",
            )
            return redirect(url_for(".child_page", child_id=child.id))
    if child.version != draft["version"]:
        return _end_conflict(child, placement, key, draft)
    try:
        plan = plan_end(_db(), child, placement, end_date, draft["end_reason"], today)
    except InvalidInput as exc:
        form = _end_form(child, draft, today)
        add_problems(form, exc.fields)
        return render_template(
            "views/placements/end.html", form=form, child=child, placement=placement
        )
    return render_template(
        "views/placements/check_end.html",
        child=child,
        placement=placement,
        plan=plan,
        draft=draft,
        end_date=end_date,
        confirm=confirm,
        form=confirm,  # for the error summary
        reason_question=reason_question(plan) if plan.asks_reason else None,
    )


def _end_conflict(child: Child, placement: Placement, key: str, draft: dict[str, Any]) -> Any:
    session[key] = {**draft, "version": None}
    return render_template(
        "views/placements/conflict.html",
        child=child,
        message=CONFLICT_MESSAGE,
        again=url_for(".record_end", child_id=child.id, placement_id=placement.id, change=1),
        what="end the placement",
    ), 409


# --- Withdraw a planned placement -------------------------------------------------------------


@bp.route("/<int:child_id>/placements/<int:placement_id>/withdraw", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def withdraw(child_id: int, placement_id: int) -> Any:
    child = _our_child_or_404(child_id)
    placement = _placement_or_404(child, placement_id)
    today = today_uk()
    form = (
        WithdrawForm()
        if request.method == "POST"
        else WithdrawForm(data={"version": child.version})
    )
    if form.validate_on_submit():
        try:
            with transaction():
                recorded = withdraw_placement(
                    _db(),
                    child,
                    placement,
                    reason=form.reason.data,
                    expected_version=form.version.data or 0,
                    actor_id=current_user.id,
                    today=today,
                )
                db.session.flush()
                audit.record(
                    "withdraw_placement",
                    "placement",
                    placement.id,
                    child_id=child.id,
                    notification_ids=[n.id for n in recorded.notifications],
                )
        except CannotWithdraw as exc:
            flash(f"{exc}.", "info")
            return redirect(url_for(".child_page", child_id=child.id))
        except (Conflict, StaleDataError):
            return render_template(
                "views/placements/conflict.html",
                child=child,
                message=CONFLICT_MESSAGE,
                again=url_for(".withdraw", child_id=child.id, placement_id=placement.id),
                what="withdraw the placement",
            ), 409
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        else:
            sent = len(recorded.notifications)
            flash(
                "Placement withdrawn: "
                + (
                    f"{_notices(sent)} of the withdrawal will be sent"
                    if sent
                    else "no one had been sent a notice of it"
                ),
                "success",
            )
            return redirect(url_for(".child_page", child_id=child.id))
    try:
        plan = plan_withdrawal(_db(), child, placement, today)
    except CannotWithdraw as exc:
        flash(f"{exc}.", "info")
        return redirect(url_for(".child_page", child_id=child.id))
    return render_template(
        "views/placements/withdraw.html", form=form, child=child, placement=placement, plan=plan
    )


# --- Reg 11 approvals -------------------------------------------------------------------------


@bp.route("/<int:child_id>/placements/<int:placement_id>/approval/<level>", methods=["GET", "POST"])
@roles_required(*APPROVE_ROLES)
def approve(child_id: int, placement_id: int, level: str) -> Any:
    child = _our_child_or_404(child_id)
    placement = _placement_or_404(child, placement_id)
    if level not in {lvl.value for lvl in ApprovalLevel}:
        abort(404)
    status = next((s for s in _approval_statuses(child, placement) if s.level == level), None)
    if status is None:
        abort(404)  # this placement needs no decision at that level
    form = ApprovalForm(data={"level": level})
    if status.decision is None and form.validate_on_submit():
        try:
            with transaction():
                approval = record_approval(
                    _db(),
                    placement,
                    level=level,
                    decision=form.decision.data or "",
                    approver_id=current_user.id,
                    area_authority_consulted=bool(form.area_authority_consulted.data),
                    care_plan_sent=bool(form.care_plan_sent.data),
                    note=form.note.data or None,
                )
                db.session.flush()
                audit.record(
                    "record_approval",
                    "placement",
                    placement.id,
                    approval_id=approval.id,
                    level=level,
                    decision=approval.decision,
                )
        except InvalidInput as exc:
            add_problems(form, exc.fields, {"level": "decision"})
        else:
            flash(f"Decision recorded: placement {approval.decision}", "success")
            return redirect(url_for(".child_page", child_id=child.id))
    return render_template(
        "views/placements/approval.html", form=form, child=child, placement=placement, status=status
    )
