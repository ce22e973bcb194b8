"""The dashboard's "send a reminder now" button."""

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from models import Notification
from models.enums import Role
from notify import audit
from notify.auth import roles_required, safe_next
from notify.chasing.service import UK, CannotRemind, send_reminder_now
from notify.extensions import db
from notify.notifications.outbox import NotificationNotFound

bp = Blueprint("chasing", __name__)

CHASE_ROLES = (Role.SQA_OFFICER, Role.MANAGER)  # and admins, who hold every role


@bp.post("/notifications/<int:notification_id>/reminder")
@roles_required(*CHASE_ROLES)
def remind(notification_id: int) -> Any:
    session = db.session()
    try:
        reminder = send_reminder_now(
            session, notification_id, user=current_user, today=datetime.now(UK).date()
        )
    except NotificationNotFound:
        abort(404)
    except CannotRemind as exc:
        session.rollback()
        flash(str(exc))
        original = session.get(Notification, notification_id)
        return redirect(_back(original.child_id if original else None))
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
        f"A reminder of notice PN-{notification_id} will be sent to {reminder.recipient_name}",
        "success",
    )
    return redirect(_back(reminder.child_id))


def _back(child_id: int | None = None) -> str:
    """The page the button was on (same site only), else the child's page."""
    fallback = (
        url_for("pages.home")
        if child_id is None
        else url_for("placements.child_page", child_id=child_id)
    )
    return safe_next(request.form.get("next") or request.args.get("next"), fallback)
