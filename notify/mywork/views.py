"""The social worker's home page (`/my-work`) and each of its lists."""

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user

from models.enums import Role
from notify import audit
from notify.auth import roles_required
from notify.calendar import today_uk
from notify.extensions import db
from notify.mywork.queries import (
    NEED_TITLES,
    Need,
    caseload,
    count_my_work,
    needing_action,
)
from notify.transaction import transaction

bp = Blueprint("mywork", __name__, url_prefix="/my-work")

ROLES = (Role.SOCIAL_WORKER, Role.MANAGER)


@bp.get("")
@roles_required(*ROLES)
def index() -> Any:
    today = today_uk()
    children = caseload(db.session(), current_user.id, today)
    with transaction(keep_loaded=True):
        audit.list_shown("caseload", (c.child_id for c in children))
    return render_template(
        "views/mywork/index.html",
        counts=count_my_work(db.session(), current_user.id, today),
        children=children,
        titles=NEED_TITLES,
        today=today,
    )


@bp.get("/<need>")
@roles_required(*ROLES)
def need_list(need: str) -> Any:
    try:
        kind = Need(need)
    except ValueError:
        abort(404)
    today = today_uk()
    rows = needing_action(db.session(), current_user.id, kind, today)
    with transaction(keep_loaded=True):
        audit.list_shown(f"my_work_{kind.value}", (r.child_id for r in rows))
    return render_template(
        "views/mywork/need.html", need=kind, title=NEED_TITLES[kind], rows=rows, today=today
    )
