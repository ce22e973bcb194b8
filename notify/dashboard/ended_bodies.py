"""What was sent to a body after it ended, and "send to the successor" (DOMAIN.md §9)."""

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from models.enums import Role
from notify import audit
from notify.auth import roles_required
from notify.calendar import today_uk
from notify.extensions import db
from notify.notifications.successions import resend_to_successor, sent_to_ended_bodies
from notify.transaction import transaction

bp = Blueprint("geography", __name__, url_prefix="/geography")
ROLES = (Role.SQA_OFFICER, Role.ADMIN)


class ResendForm(FlaskForm):
    """Only the CSRF token: which notice (or all) comes from the button pressed."""


def _today() -> date:
    return today_uk()


@bp.get("/sent-to-ended-bodies")
@roles_required(*ROLES)
def sent_to_ended() -> Any:
    with transaction() as session:
        rows = sent_to_ended_bodies(session, _today())
        audit.record("view_sent_to_ended_bodies", "notification", None, count=len(rows))
    return render_template(
        "views/geography/sent_to_ended.html", rows=rows, form=ResendForm(), today=_today()
    )


@bp.post("/sent-to-ended-bodies")
@roles_required(*ROLES)
def resend() -> Any:
    if not ResendForm().validate_on_submit():
        abort(400)
    today = _today()
    listed = {s.notification.id: s for s in sent_to_ended_bodies(db.session(), today)}
    chosen = request.form.get("notification_id", "")
    if chosen == "all":
        ids = [i for i, s in listed.items() if s.successor is not None]
    elif chosen.isdigit() and int(chosen) in listed:
        ids = [int(chosen)]
    else:
        abort(404)
    copies = []
    with transaction() as session:
        for notification_id in ids:
            try:
                copy = resend_to_successor(session, notification_id, today)
            except ValueError as exc:
                flash(str(exc), "info")
                continue
            audit.record(
                "resend_to_successor", "notification", notification_id, copy=copy.id,
                to=copy.recipient_code,
            )  # fmt: skip
            copies.append(copy)
    if copies:
        flash(f"{len(copies)} notice(s) written to the successor body, to go now.", "success")
    return redirect(url_for(".sent_to_ended"))
