"""Reading the notice from the emailed link: the recipient confirms the address it was sent to
(the pattern GOV.UK Notify uses for files sent by email), then reads the full notice, prints
it or downloads it as a PDF, and confirms receipt under it.

A wrong address is refused, limited and logged; every view is audited with the address
confirmed and where it came from. The confirmation lasts for the browser's session only.
"""

import logging
from typing import Any

from flask import Response, current_app, flash, redirect, request, session, url_for

from models import Notification
from notify import audit
from notify.acknowledgements.forms import ReadForm
from notify.acknowledgements.notice import full_notice, notice_pdf, same_address
from notify.acknowledgements.views import (
    _authority_name,
    _by_token,
    _link_state,
    _private,
    _title,
    bp,
)
from notify.calendar import today_uk
from notify.extensions import db, limiter

logger = logging.getLogger(__name__)

READ_ENDPOINTS = ("acknowledgements.read", "acknowledgements.notice_pdf_download")
_SESSION_KEY = "notices_read"
# Enough for a person mistyping; too few to guess an address.
READ_LIMIT = "5 per minute;20 per hour"


def confirmed_reader(notification: Notification) -> str | None:
    """The address this browser confirmed for this notice, if any."""
    reader = (session.get(_SESSION_KEY) or {}).get(str(notification.id))
    return reader if reader and same_address(reader, notification.address) else None


def _remember(notification: Notification, address: str) -> None:
    readers = dict(session.get(_SESSION_KEY) or {})
    readers[str(notification.id)] = address.strip().lower()
    session[_SESSION_KEY] = readers


def audit_view(action: str, notification: Notification, reader: str) -> None:
    """Who read it (the address confirmed), when (the event's time), and from where."""
    audit.record(
        action,
        "notification",
        notification.id,
        reader=reader,
        remote_address=request.remote_addr,
        user_agent=(request.user_agent.string or "")[:200],
    )


@bp.post("/acknowledge/<token>/read")
@limiter.limit(READ_LIMIT)
def read(token: str) -> Any:
    found = _by_token(token)
    if isinstance(found, Response):
        return found
    _, notification = found
    form = ReadForm()
    if not form.validate_on_submit():
        return _link_state(notification, None, 400, read_form=form)
    if not same_address(form.email.data or "", notification.address):
        logger.warning(
            "Wrong address given to read notification %s",
            notification.id,
            extra={"notification_id": notification.id, "remote_address": request.remote_addr},
        )
        audit.record(
            "notice_read_refused",
            "notification",
            notification.id,
            remote_address=request.remote_addr,
        )
        db.session.commit()
        form.email.errors = [
            "That is not the address this notice was sent to: enter the address the email came to"
        ]
        return _link_state(notification, None, 403, read_form=form)
    _remember(notification, form.email.data or "")
    return redirect(url_for("acknowledgements.link", token=token), code=303)


@bp.get("/acknowledge/<token>/notice.pdf")
def notice_pdf_download(token: str) -> Any:
    found = _by_token(token)
    if isinstance(found, Response):
        return found
    _, notification = found
    reader = confirmed_reader(notification)
    if reader is None:
        flash("Confirm the address the notice was sent to before downloading it", "error")
        return redirect(url_for("acknowledgements.link", token=token))
    sender = _authority_name(current_app.config["HOME_AUTHORITY"])
    body = notice_pdf(
        _title(notification),
        f"PN-{notification.id}",
        sender,
        full_notice(db.session(), notification),
        today_uk(),
    )
    audit_view("notice_pdf", notification, reader)
    db.session.commit()
    response = _private(Response(body, mimetype="application/pdf"))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="notice-PN-{notification.id}.pdf"'
    )
    return response
