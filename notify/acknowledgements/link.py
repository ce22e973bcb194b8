"""The recipient's pages, opened from the link in the email: no sign-in, the signed, expiring
token is the credential. Opening the link changes nothing (mail scanners follow links); only
its forms' POSTs do.

To read the notice the recipient confirms the address it was sent to (the pattern GOV.UK
Notify uses for files sent by email), then reads the full notice, prints it or downloads it
as a PDF, and confirms receipt under it. A wrong address is refused, limited and logged;
every view is audited with the address confirmed and where it came from. The confirmation
lasts for the browser's session only.
"""

import logging
from datetime import timedelta
from typing import Any

from flask import (
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError

from models import Authority, Notification
from models.enums import AckVia
from models.enums import NotificationStatus as Status
from models.notifications import notice_reference
from notify import audit
from notify.acknowledgements.forms import AcknowledgeForm, ReadForm
from notify.acknowledgements.notice import full_notice, notice_pdf, same_address
from notify.acknowledgements.views import bp
from notify.calendar import today_uk
from notify.extensions import db, limiter
from notify.labels import event_title
from notify.notifications.acknowledge import (
    CannotAcknowledge,
    about,
    acknowledge_notification,
    original_of,
)
from notify.notifications.outbox import NotificationNotFound
from notify.notifications.tokens import InvalidAcknowledgeToken, read_acknowledge_token
from notify.transaction import transaction

logger = logging.getLogger(__name__)

LINK_ENDPOINT = "acknowledgements.link"
PUBLIC_ENDPOINTS = (LINK_ENDPOINT, "acknowledgements.read", "acknowledgements.notice_pdf_download")
_SESSION_KEY = "notices_read"
# Enough for a person mistyping; too few to guess an address.
READ_LIMIT = "5 per minute;20 per hour"


# --- The link ----------------------------------------------------------------------------------


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
            with transaction() as session:
                notification = acknowledge_notification(
                    session,
                    named,  # a reminder's id is recorded as the way it came
                    via=AckVia.LINK,
                    name=form.name.data or "",
                    email=form.email.data or None,
                    note=form.note.data or None,
                )
        except CannotAcknowledge:
            db.session.refresh(notification)  # it changed since it was read: show it as it is
        else:
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
    reader = confirmed_reader(notification)
    if reader is None:
        return {"reader": None, "sections": ()}
    with transaction(keep_loaded=True):
        audit_view("notice_view", notification, reader)
    return {"reader": reader, "sections": full_notice(db.session(), notification)}


def _link_page(template: str, notification: Notification, **context: Any) -> str:
    """Enough to recognise the notice and nothing more: no name, birth date or address."""
    subject = about(notification)
    return render_template(
        f"views/acknowledgements/{template}",
        notification=notification,
        title=event_title(notification.event),
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


# --- Reading the notice ------------------------------------------------------------------


def confirmed_reader(notification: Notification) -> str | None:
    """The address this browser confirmed for this notice, if any."""
    reader = (session.get(_SESSION_KEY) or {}).get(str(notification.id))
    return reader if reader and same_address(reader, notification.address) else None


def _remember(notification: Notification, address: str) -> None:
    readers = dict(session.get(_SESSION_KEY) or {})
    readers[str(notification.id)] = address.strip().lower()
    session[_SESSION_KEY] = readers


def audit_view(action: str, notification: Notification, reader: str) -> None:
    """Who read it (the address confirmed); the audit row keeps when and from where."""
    audit.record(
        action,
        "notification",
        notification.id,
        reader=reader,
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
        with transaction(keep_loaded=True):
            audit.record("notice_read_refused", "notification", notification.id)
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
        event_title(notification.event),
        notice_reference(notification.id),
        sender,
        full_notice(db.session(), notification),
        today_uk(),
    )
    with transaction(keep_loaded=True):
        audit_view("notice_pdf", notification, reader)
    response = _private(Response(body, mimetype="application/pdf"))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="notice-{notice_reference(notification.id)}.pdf"'
    )
    return response
