"""The audit trail page. Reading the trail is itself audited (with the filters used)."""

from typing import Any

from flask import Blueprint, render_template, request, url_for

from models.enums import Role
from notify import audit
from notify.auditlog.forms import TrailFilterForm
from notify.auditlog.queries import PER_PAGE, people, trail_page
from notify.auth import roles_required
from notify.extensions import db
from notify.transaction import transaction
from notify.web.pagination import pagination

bp = Blueprint("auditlog", __name__, url_prefix="/audit")

ROLES = (Role.MANAGER,)  # and administrators, who hold every role


def _filter_form() -> TrailFilterForm:
    form = TrailFilterForm(request.args, people(db.session()))
    if request.args:
        form.validate()
    return form


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@bp.get("")
@roles_required(*ROLES)
def index() -> Any:
    form = _filter_form()
    filters = form.filters()
    page = trail_page(db.session(), filters, _page_number())
    args: dict[str, Any] = filters.as_args()
    with transaction():
        audit.record("view_audit_trail", "audit_trail", None, page=page.page, **args)
    return render_template(
        "views/auditlog/index.html",
        form=form,
        filters=filters,
        trail=page,
        per_page=PER_PAGE,
        pagination=pagination(
            page.page,
            page.pages,
            lambda n: url_for(".index", **args, page=n if n > 1 else None),
            "Audit trail pages",
        ),
    )
