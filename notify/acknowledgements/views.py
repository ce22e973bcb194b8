"""Acknowledgement pages: the recipient's, opened from the link in the email (no sign-in: the
signed, expiring token is the credential), and SQA's, to record an acknowledgement that came
by phone, email or letter, or to reopen one recorded in error.

Opening the link changes nothing (mail scanners follow links); only its form's POST does.
"""

from datetime import date, datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from models import Authority, Notification
from models.base import utcnow
from models.enums import CHASE_EVENTS, AckVia, Role
from models.enums import NotificationStatus as Status
from models.notifications import notice_reference
from notify import audit
from notify.acknowledgements.forms import AcknowledgeForm, ReadForm, RecordForm, ReopenForm
from notify.acknowledgements.notice import full_notice
from notify.auth import roles_required, safe_next
from notify.calendar import UK, today_uk, uk_date
from notify.extensions import db, limiter
from notify.labels import event_title
from notify.notifications.acknowledge import (
    CannotAcknowledge,
    CannotReopen,
    about,
    acknowledge_notification,
    acknowledged_on,
    original_of,
    reopen_acknowledgement,
)
from notify.notifications.chasing import CannotRemind, send_reminder_now
from notify.notifications.outbox import NotificationNotFound
from notify.notifications.tokens import InvalidAcknowledgeToken, read_acknowledge_token

bp = Blueprint("acknowledgements", __name__)

# Who records and reopens acknowledgements by hand (admins hold every role).
RECORD_ROLES = (Role.SQA_OFFICER, Role.MANAGER)
LINK_ENDPOINT = "acknowledgements.link"
VIA_WORDS = {
    AckVia.LINK: "by the emailed link",
    AckVia.API: "through the API",
    AckVia.MANUAL: "recorded by hand",
}


@bp.app_template_filter("uk_datetime")
def uk_datetime(value: datetime | None) -> str:
    """The time in the UK, as GOV.UK writes it: 5 March 2026 at 2:05pm."""
    if value is None:
        return ""
    local = value.astimezone(UK)
    clock = f"{local:%I:%M}".lstrip("0") + ("am" if local.hour < 12 else "pm")
    return f"{local.day} {local:%B %Y} at {clock}"


@bp.app_template_filter("uk_date")
def uk_date_filter(value: datetime) -> date:
    """The UK date of a timestamp: the day a notice was sent, as its recipient saw it."""
    return uk_date(value)


@bp.app_template_filter("acknowledged_via")
def acknowledged_via(value: str | None) -> str:
    return VIA_WORDS.get(AckVia(value), value) if value in set(AckVia) else (value or "")


@bp.app_template_global()
def may_record_acknowledgements() -> bool:
    """Whether the person signed in may record or reopen acknowledgements by hand."""
    return current_user.is_authenticated and (
        current_user.role in RECORD_ROLES or current_user.role == Role.ADMIN
    )


# --- By link ----------------------------------------------------------------------------------


@bp.route("/acknowledge/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def link(token: str) -> Any:
    found = _by_token(token)
    if isinstance(found, Response):
        return found
    named, notification = found
    form = AcknowledgeForm()
    if notification.status == Status.SENT and form.validate_on_submit():
        try:
            notification = acknowledge_notification(
                db.session(),
                named,  # a reminder's id is recorded as the way it came
                via=AckVia.LINK,
                name=form.name.data or "",
                email=form.email.data or None,
                note=form.note.data or None,
            )
        except CannotAcknowledge:
            db.session.rollback()  # it changed since it was read: show what it is now
            db.session.refresh(notification)
        else:
            db.session.commit()
            return _private(_link_page("confirmed.html", notification))
    return _link_state(notification, form)


def _by_token(token: str) -> tuple[int, Notification] | Response:
    """The id a link names and the notification to acknowledge (for a reminder's link, the
    one it chases), or the page saying why the link cannot be used."""
    max_age = timedelta(days=int(current_app.config["ACKNOWLEDGE_LINK_DAYS"]))
    try:
        notification_id = read_acknowledge_token(token, max_age)
    except InvalidAcknowledgeToken as exc:
        if exc.expired:
            return _problem("expired", 410)
        return _problem("invalid", 404)
    try:
        return notification_id, original_of(db.session(), notification_id)
    except NotificationNotFound:
        return _problem("invalid", 404)


def _problem(problem: str, status: int) -> Response:
    return _private(
        render_template(
            "views/acknowledgements/link_problem.html",
            problem=problem,
            link_days=current_app.config["ACKNOWLEDGE_LINK_DAYS"],
        ),
        status,
    )


def _link_state(
    notification: Notification,
    form: AcknowledgeForm | None,
    status: int = 200,
    *,
    read_form: ReadForm | None = None,
) -> Response:
    if notification.status == Status.ACKNOWLEDGED:
        return _private(_link_page("already.html", notification))
    if notification.status == Status.CANCELLED:
        return _private(_link_page("link_problem.html", notification, problem="withdrawn"), 410)
    if notification.status != Status.SENT:
        # sent by mail but not yet recorded as sent (a moment's race), or in a state no
        # link should be out for: nothing can be confirmed now
        return _private(_link_page("link_problem.html", notification, problem="not_sent"), 409)
    return _private(
        _link_page(
            "link.html",
            notification,
            form=form or AcknowledgeForm(formdata=None),
            read_form=read_form or ReadForm(formdata=None),
            **_reading(notification),
        ),
        status,
    )


def _reading(notification: Notification) -> dict[str, Any]:
    """The full notice, for a browser that has confirmed the address it was sent to (each
    showing audited); otherwise nothing of it."""
    from notify.acknowledgements.reading import audit_view, confirmed_reader

    reader = confirmed_reader(notification)
    if reader is None:
        return {"reader": None, "sections": ()}
    audit_view("notice_view", notification, reader)
    db.session.commit()
    return {"reader": reader, "sections": full_notice(db.session(), notification)}


def _link_page(template: str, notification: Notification, **context: Any) -> str:
    """Enough to recognise the notice and nothing more: no name, birth date or address."""
    subject = about(notification)
    return render_template(
        f"views/acknowledgements/{template}",
        notification=notification,
        title=_title(notification),
        initials=subject.initials,
        case_reference=subject.case_reference,
        placing_authority=_authority_name(subject.placing_authority_code),
        sender=_authority_name(current_app.config["HOME_AUTHORITY"]),
        **context,
    )


def _authority_name(code: str) -> str:
    authority = db.session.get(Authority, code)
    return authority.name if authority else code


def _private(body: str | Response, status: int = 200) -> Response:
    response = make_response(body, status)
    # The token in the address is the credential: keep the page out of caches and indexes,
    # and the address out of Referer headers to other sites (same-origin keeps it for the
    # form's own POST, which CSRF checks over HTTPS).
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> Any:
    """A form kept open past its session (or posted without one): ask again, keeping the
    answers, rather than an error page."""
    if request.endpoint == LINK_ENDPOINT:
        found = _by_token((request.view_args or {}).get("token", ""))
        if isinstance(found, Response):
            return found
        _, notification = found
        form = AcknowledgeForm()  # the answers as posted, shown again
        form.name.errors = [
            "Your session had expired: check your answers and select Confirm receipt again"
        ]
        return _link_state(notification, form, 400)
    return render_template(
        "errors/error.html",
        status=400,
        description="This form had been open too long. Go back, reload the page and try again.",
    ), 400


# --- Recorded by hand ------------------------------------------------------------------------


@bp.route("/notifications/<int:notification_id>/acknowledgement", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def record(notification_id: int) -> Any:
    notification = _notification_or_404(notification_id)
    form = RecordForm()
    if request.method == "GET":
        form.on.data = today_uk()  # most are recorded the day they come in
    status = 200
    if notification.status == Status.SENT and form.validate_on_submit():
        try:
            at = acknowledged_on(form.on.required_data, notification.sent_at, utcnow())
        except ValueError as exc:
            form.on.errors = [*form.on.errors, str(exc)]
        else:
            try:
                acknowledge_notification(
                    db.session(),
                    notification.id,
                    via=AckVia.MANUAL,
                    name=form.name.data or "",
                    email=form.email.data or None,
                    note=form.stored_note(),
                    user=current_user,
                    at=at,
                )
            except CannotAcknowledge:
                db.session.rollback()
                db.session.refresh(notification)
            else:
                db.session.commit()
                flash(f"Acknowledgement of notice {notification.reference} recorded", "success")
                return redirect(_back(notification))
    if request.method == "POST" and notification.status != Status.SENT:
        status = 409
    return render_template(
        "views/acknowledgements/record.html",
        form=form,
        notification=notification,
        back=_back(notification),
        **_summary(notification),
    ), status


@bp.route("/notifications/<int:notification_id>/reopen", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def reopen(notification_id: int) -> Any:
    notification = _notification_or_404(notification_id)
    form = ReopenForm()
    status = 200
    if notification.status == Status.ACKNOWLEDGED and form.validate_on_submit():
        try:
            reopen_acknowledgement(
                db.session(), notification.id, user=current_user, reason=form.reason.data or ""
            )
        except CannotReopen:
            db.session.rollback()
            db.session.refresh(notification)
        else:
            db.session.commit()
            flash(
                f"Notice {notification.reference} is waiting for acknowledgement again", "success"
            )
            return redirect(_back(notification))
    if request.method == "POST" and notification.status != Status.ACKNOWLEDGED:
        status = 409
    return render_template(
        "views/acknowledgements/reopen.html",
        form=form,
        notification=notification,
        back=_back(notification),
        **_summary(notification),
    ), status


def _notification_or_404(notification_id: int) -> Notification:
    try:
        return original_of(db.session(), notification_id)
    except NotificationNotFound:
        abort(404)


def _summary(notification: Notification) -> dict[str, Any]:
    return {
        "title": _title(notification),
        "child": notification.child,
        "about": about(notification),
        "chases": CHASE_EVENTS,
    }


def _title(notification: Notification) -> str:
    return event_title(notification.event)


def _back(notification: Notification) -> str:
    """The page the form was opened from (same site only), else the child's page at the
    notice's placement (the dashboard, for a notice about no one child)."""
    fallback = (
        url_for("dashboard.index")
        if notification.child_id is None
        else url_for(
            "placements.child_page",
            child_id=notification.child_id,
            _anchor=f"placement-{notification.placement_id}",
        )
    )
    return safe_next(request.args.get("next"), fallback)


# --- "send a reminder now" (the dashboard and the child's page) ---------------------------


CHASE_ROLES = (Role.SQA_OFFICER, Role.MANAGER)  # and admins, who hold every role


@bp.post("/notifications/<int:notification_id>/reminder")
@roles_required(*CHASE_ROLES)
def remind(notification_id: int) -> Any:
    session = db.session()
    try:
        reminder = send_reminder_now(
            session,
            notification_id,
            user=current_user,
            today=today_uk(),
            limit=int(current_app.config["REMINDER_LIMIT"]),
            min_interval=timedelta(
                minutes=int(current_app.config["REMINDER_MIN_INTERVAL_MINUTES"])
            ),
        )
    except NotificationNotFound:
        abort(404)
    except CannotRemind as exc:
        session.rollback()
        flash(str(exc))
        original = session.get(Notification, notification_id)
        return redirect(_page_of_button(original.child_id if original else None))
    audit.record(
        "send_reminder",
        "notification",
        notification_id,
        reminder_id=reminder.id,
        chase_number=reminder.chase_number,
        child_id=reminder.child_id,
    )
    session.commit()
    flash(
        f"A reminder of notice {notice_reference(notification_id)} will be sent to "
        f"{reminder.recipient_name}",
        "success",
    )
    return redirect(_page_of_button(reminder.child_id))


def _page_of_button(child_id: int | None = None) -> str:
    """The page the button was on (same site only), else the child's page."""
    fallback = (
        url_for("pages.home")
        if child_id is None
        else url_for("placements.child_page", child_id=child_id)
    )
    return safe_next(request.form.get("next") or request.args.get("next"), fallback)
