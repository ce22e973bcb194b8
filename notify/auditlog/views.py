"""The audit trail page. Reading the trail is itself audited (with the filters used)."""

import io
import json
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from models.enums import Role
from notify import audit
from notify.auditlog.forms import TrailFilterForm
from notify.auditlog.queries import EXPORT_LIMIT, PER_PAGE, people, trail_export, trail_page
from notify.auth import roles_required
from notify.calendar import UK
from notify.csv_writer import CsvWriter
from notify.extensions import db
from notify.transaction import transaction
from notify.web.pagination import page_number, pagination

bp = Blueprint("auditlog", __name__, url_prefix="/audit")

ROLES = (Role.MANAGER,)  # and administrators, who hold every role


def _filter_form() -> TrailFilterForm:
    form = TrailFilterForm(request.args, people(db.session()))
    if request.args:
        form.validate()
    return form


@bp.get("")
@roles_required(*ROLES)
def index() -> Any:
    form = _filter_form()
    filters = form.filters()
    page = trail_page(db.session(), filters, page_number())
    args: dict[str, Any] = filters.as_args()
    with transaction(keep_loaded=True):
        audit.record("view_audit_trail", "audit_trail", None, page=page.page, **args)
    return render_template(
        "views/auditlog/index.html",
        form=form,
        filters=filters,
        trail=page,
        per_page=PER_PAGE,
        export_limit=EXPORT_LIMIT,
        pagination=pagination(
            page.page,
            page.pages,
            lambda n: url_for(".index", **args, page=n if n > 1 else None),
            "Audit trail pages",
        ),
    )


CSV_COLUMNS = (
    "When (UK time)",
    "Who",
    "API key",
    "Action",
    "Subject",
    "Subject id",
    "Children",
    "Client address",
    "Browser",
    "Detail",
)


@bp.get("/export.csv")
@roles_required(*ROLES)
def export() -> Any:
    """The filtered trail as CSV (newest first, at most EXPORT_LIMIT rows), for an
    information-governance request; written whole before it is sent."""
    filters = _filter_form().filters()
    args: dict[str, Any] = filters.as_args()
    buffer = io.StringIO()
    writer = CsvWriter(buffer, CSV_COLUMNS)
    with transaction() as session:
        audit.record("export_audit_trail", "audit_trail", None, **args)
        for row in trail_export(session, filters):
            e = row.event
            writer.writerow(
                (
                    e.at.astimezone(UK).isoformat(timespec="seconds"),
                    row.who,
                    e.api_key_prefix or "",
                    e.action,
                    e.subject_type,
                    e.subject_id or "",
                    " ".join(str(c.child_id) for c in e.children),
                    e.remote_address or "",
                    e.user_agent or "",
                    json.dumps(e.detail, sort_keys=True) if e.detail else "",
                )
            )
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
