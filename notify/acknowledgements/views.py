"""SQA's acknowledgement pages: record an acknowledgement that came by phone, email or letter,
reopen one recorded in error, send a reminder now. The recipient's pages are in `link`.
"""

from datetime import date, datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from models import Notification
from models.base import utcnow
from models.enums import CHASE_EVENTS, AckVia, Role
from models.enums import NotificationStatus as Status
from models.notifications import notice_reference
from notify import audit
from notify.acknowledgements.forms import RecordForm, ReopenForm
from notify.auth import roles_required, safe_next
from notify.calendar import UK, today_uk, uk_date
from notify.extensions import db
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
from notify.transaction import transaction

bp = Blueprint("acknowledgements", __name__)

# Who records and reopens acknowledgements by hand (admins hold every role).
RECORD_ROLES = (Role.SQA_OFFICER, Role.MANAGER)
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
                with transaction() as session:
                    acknowledge_notification(
                        session,
                        notification.id,
                        via=AckVia.MANUAL,
                        name=form.name.data or "",
                        email=form.email.data or None,
                        note=form.stored_note(),
                        user=current_user,
                        at=at,
                    )
            except CannotAcknowledge:
                db.session.refresh(notification)
            else:
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
            with transaction() as session:
                reopen_acknowledgement(
                    session, notification.id, user=current_user, reason=form.reason.data or ""
                )
        except CannotReopen:
            db.session.refresh(notification)
        else:
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
    try:
        with transaction() as session:
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
            audit.record(
                "send_reminder",
                "notification",
                notification_id,
                reminder_id=reminder.id,
                chase_number=reminder.chase_number,
                child_id=reminder.child_id,
            )
    except NotificationNotFound:
        abort(404)
    except CannotRemind as exc:
        flash(str(exc))
        original = db.session.get(Notification, notification_id)
        return redirect(_page_of_button(original.child_id if original else None))
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
