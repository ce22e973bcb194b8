"""The Imports page: upload an extract, read its change report, confirm or discard it.

Views parse the form, call one service function, commit once, and render or redirect.
"""

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from models import CaseSystemImport
from models.enums import ChangeKind, ImportStatus, Role
from notify import audit
from notify.auth import roles_required
from notify.calendar import today_uk
from notify.extensions import db
from notify.imports.extract import ExtractError, read_extract, text_file
from notify.imports.forms import ConfirmForm, DiscardForm, UploadForm
from notify.imports.service import (
    MANAGER_ROLES,
    Report,
    confirm_import,
    discard_import,
    stage_import,
)
from notify.problems import InvalidInput
from notify.transaction import transaction

bp = Blueprint("imports", __name__, url_prefix="/imports")
ROLES = (Role.SQA_OFFICER, Role.MANAGER)
UPLOAD_LIMIT = 64 * 1024 * 1024  # a large authority's extract; other forms keep the app's limit
KIND_LABELS = {
    ChangeKind.NEW_CHILD: "New child",
    ChangeKind.START: "Start",
    ChangeKind.MOVE: "Move",
    ChangeKind.END: "End",
    ChangeKind.CORRECTION: "Correction: look into it",
    ChangeKind.VANISHED: "Vanished: ask a person",
}
STATUS_LABELS = {
    ImportStatus.SEEDED: "Seeded (first import, nobody notified)",
    ImportStatus.AWAITING_CONFIRMATION: "Awaiting confirmation",
    ImportStatus.HELD_FOR_MANAGER: "Held for a manager",
    ImportStatus.CONFIRMED: "Confirmed",
    ImportStatus.DISCARDED: "Discarded",
}


@bp.before_request
def _allow_large_uploads() -> None:
    if request.endpoint == "imports.upload":
        request.max_content_length = UPLOAD_LIMIT


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS}


def _import_or_404(import_id: int) -> CaseSystemImport:
    record = db.session.get(CaseSystemImport, import_id)
    if record is None:
        abort(404)
    return record


@bp.get("")
@roles_required(*ROLES)
def index(form: UploadForm | None = None) -> Any:
    imports = db.session.scalars(
        select(CaseSystemImport).order_by(CaseSystemImport.id.desc()).limit(100)
    ).all()
    with transaction(keep_loaded=True):
        audit.record("view_imports", "case_system_import", None)
    return render_template("views/imports/list.html", imports=imports, form=form or UploadForm())


@bp.post("")
@roles_required(*ROLES)
def upload() -> Any:
    form = UploadForm()
    if not form.validate_on_submit():
        return index(form), 400
    try:
        files = [
            text_file(f.data.filename or f.name, f.data.read())
            for f in (form.header, form.episodes, form.mapping)
            if f.data
        ]
        extract = read_extract(files)
    except (ExtractError, UnicodeDecodeError) as exc:
        form.episodes.errors = [*form.episodes.errors, _unreadable(exc)]
        return index(form), 400
    with transaction() as session:
        record = stage_import(
            session,
            extract,
            responsible_authority_code=str(current_app.config["HOME_AUTHORITY"]),
            source=", ".join(f.name for f in files),
            actor_id=current_user.id,
            hold_above=int(current_app.config.get("CMS_IMPORT_HOLD_ABOVE", 50)),
        )
        audit.record("stage_import", "case_system_import", record.id, status=record.status)
    return redirect(url_for("imports.show", import_id=record.id))


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "The files must be CSV saved as UTF-8"
    return str(exc)


@bp.get("/<int:import_id>")
@roles_required(*ROLES)
def show(import_id: int) -> Any:
    record = _import_or_404(import_id)
    with transaction(keep_loaded=True):
        audit.record("view_import", "case_system_import", record.id)
    return render_template(
        "views/imports/show.html",
        record=record,
        report=Report.from_json(record.report),
        confirm_form=ConfirmForm(),
        discard_form=DiscardForm(),
        may_confirm=record.status != ImportStatus.HELD_FOR_MANAGER
        or current_user.role in MANAGER_ROLES,
    )


@bp.post("/<int:import_id>/confirm")
@roles_required(*ROLES)
def confirm(import_id: int) -> Any:
    record = _import_or_404(import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        with transaction() as session:
            outcome = confirm_import(
                session,
                record,
                responsible_authority_code=str(current_app.config["HOME_AUTHORITY"]),
                actor=current_user._get_current_object(),
                today=today_uk(),
            )
            audit.record(
                "confirm_import",
                "case_system_import",
                record.id,
                **{k: v for k, v in outcome.items() if k != "skipped"},
            )
    except InvalidInput as exc:
        flash(exc.messages)
        return redirect(url_for("imports.show", import_id=import_id))
    flash(f"Applied {outcome['applied']} changes; {outcome['notifications']} notices written.")
    return redirect(url_for("imports.show", import_id=import_id))


@bp.post("/<int:import_id>/discard")
@roles_required(*ROLES)
def discard(import_id: int) -> Any:
    record = _import_or_404(import_id)
    if not DiscardForm().validate_on_submit():
        abort(400)
    try:
        with transaction() as session:
            discard_import(session, record, actor=current_user._get_current_object())
            audit.record("discard_import", "case_system_import", record.id)
    except InvalidInput as exc:
        flash(exc.messages)
        return redirect(url_for("imports.show", import_id=import_id))
    return redirect(url_for("imports.show", import_id=import_id))
