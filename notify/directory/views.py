"""The administrator's directory: authorities and health bodies with their notification
addresses, and the named contacts at each.

Views parse the form, call one service function, commit once, and render or redirect.
"""

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
from sqlalchemy.orm import Session

from models import Contact
from models.enums import RecipientKind, Role
from notify import audit
from notify.auth import roles_required
from notify.directory.forms import ContactActiveForm, ContactForm, DirectorySearchForm, EntryForm
from notify.directory.service import (
    KINDS,
    Entry,
    EntryNotFound,
    belongs_to,
    contact_roles,
    contacts_of,
    get_entry,
    list_entries,
    set_contact_active,
    update_directory_contact,
    update_directory_entry,
    waiting_for_address,
)
from notify.directory.service import add_directory_contact as add_contact_to_entry
from notify.extensions import db
from notify.labels import role_title
from notify.problems import InvalidInput
from notify.transaction import transaction
from notify.web.forms import add_problems

bp = Blueprint("directory", __name__, url_prefix="/directory")

# The URL's word for each kind of entry.
SECTIONS = {"authorities": RecipientKind.AUTHORITY, "health-bodies": RecipientKind.HEALTH_BODY}
SECTION_OF = {kind: section for section, kind in SECTIONS.items()}
# The contact page holds two forms; the prefix keeps their fields' ids apart.
ACTIVE_PREFIX = "state"


@bp.context_processor
def _template_helpers() -> dict[str, Any]:
    return {"role_label": role_title, "section_of": SECTION_OF}


def _db() -> Session:
    """The request's session, as the service functions take it."""
    return db.session()


def _kind_or_404(section: str) -> RecipientKind:
    kind = SECTIONS.get(section)
    if kind is None:
        abort(404)
    return kind


def _entry_or_404(section: str, code: str) -> tuple[RecipientKind, Entry]:
    kind = _kind_or_404(section)
    try:
        return kind, get_entry(_db(), kind, code)
    except EntryNotFound:
        abort(404)


def _contact_or_404(kind: str, entry: Entry, contact_id: int) -> Contact:
    contact = db.session.get(Contact, contact_id)
    if contact is None or not belongs_to(contact, kind, entry.code):
        abort(404)
    return contact


def _notices(count: int) -> str:
    return f"{count} {'notification' if count == 1 else 'notifications'}"


def _released_message(count: int) -> str:
    if not count:
        return ""
    verb = "was" if count == 1 else "were"
    return f" {_notices(count)} that {verb} waiting for an address will now be sent."


@bp.get("")
@roles_required(Role.ADMIN)
def index() -> Any:
    form = DirectorySearchForm(request.args)
    query = (form.q.data or "") if form.validate() else ""
    waiting_only = request.args.get("waiting") == "1"
    sections = {kind: list_entries(_db(), kind, query, waiting_only) for kind in KINDS}
    return render_template(
        "views/directory/list.html",
        form=form,
        query=query,
        waiting_only=waiting_only,
        authorities=sections[RecipientKind.AUTHORITY],
        health_bodies=sections[RecipientKind.HEALTH_BODY],
    )


@bp.get("/<section>/<code>")
@roles_required(Role.ADMIN)
def entry(section: str, code: str) -> Any:
    kind, entry_ = _entry_or_404(section, code)
    return render_template(
        "views/directory/entry.html",
        kind=kind,
        section=section,
        entry=entry_,
        waiting=waiting_for_address(_db(), kind, entry_.code),
        contacts=contacts_of(_db(), kind, entry_.code),
        may_add_contacts=bool(contact_roles()),
    )


@bp.route("/<section>/<code>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_entry(section: str, code: str) -> Any:
    kind, entry_ = _entry_or_404(section, code)
    form = EntryForm(obj=entry_)
    if kind != RecipientKind.AUTHORITY:
        del form.api_endpoint
        del form.api_key
    if form.validate_on_submit():
        try:
            with transaction() as session:
                update = update_directory_entry(
                    session,
                    kind,
                    entry_.code,
                    notification_email=form.notification_email.data,
                    secure_email=bool(form.secure_email.data),
                    active=bool(form.active.data),
                    api_endpoint=form.api_endpoint.data if "api_endpoint" in form else None,
                    api_key=form.api_key.data if "api_key" in form else None,
                    secret_key=current_app.config["SECRET_KEY"],
                    allow_loopback=current_app.config["FEDERATION_ALLOW_LOOPBACK"],
                )
                if update.changed:
                    audit.record(
                        "update",
                        kind.value,
                        entry_.code,
                        changes=_audited(update.changes),
                        released=update.released,
                    )
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        else:
            flash(f"{entry_.name} saved.{_released_message(update.released)}", "success")
            return redirect(url_for(".entry", section=section, code=entry_.code))
    return render_template(
        "views/directory/edit_entry.html",
        form=form,
        kind=kind,
        section=section,
        entry=entry_,
        waiting=waiting_for_address(_db(), kind, entry_.code),
    )


@bp.route("/<section>/<code>/contacts/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def add_contact(section: str, code: str) -> Any:
    kind, entry_ = _entry_or_404(section, code)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            with transaction() as session:
                contact = add_contact_to_entry(session, kind, entry_.code, form.to_details())
                audit.record("create", "contact", contact.id, owner=entry_.code, role=contact.role)
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        else:
            flash(f"Contact {contact.name} added", "success")
            return redirect(url_for(".entry", section=section, code=entry_.code))
    return render_template(
        "views/directory/contact.html", form=form, section=section, entry=entry_, contact=None
    )


@bp.route("/<section>/<code>/contacts/<int:contact_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_contact(section: str, code: str, contact_id: int) -> Any:
    kind, entry_ = _entry_or_404(section, code)
    contact = _contact_or_404(kind, entry_, contact_id)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            with transaction() as session:
                update = update_directory_contact(session, contact, form.to_details())
                released = update.released
                audit.record(
                    "update",
                    "contact",
                    contact.id,
                    owner=entry_.code,
                    changes=_audited(update.changes),
                    released=released,
                )
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        else:
            flash(f"Contact {contact.name} saved.{_released_message(released)}", "success")
            return redirect(url_for(".entry", section=section, code=entry_.code))
    active_form = ContactActiveForm(prefix=ACTIVE_PREFIX)
    if not contact.active:
        active_form.submit.label.text = "Reactivate contact"
    return render_template(
        "views/directory/contact.html",
        form=form,
        active_form=active_form,
        section=section,
        entry=entry_,
        contact=contact,
    )


@bp.post("/<section>/<code>/contacts/<int:contact_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_contact(section: str, code: str, contact_id: int) -> Any:
    return _set_active(section, code, contact_id, active=False)


@bp.post("/<section>/<code>/contacts/<int:contact_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_contact(section: str, code: str, contact_id: int) -> Any:
    return _set_active(section, code, contact_id, active=True)


def _set_active(section: str, code: str, contact_id: int, active: bool) -> Any:
    kind, entry_ = _entry_or_404(section, code)
    contact = _contact_or_404(kind, entry_, contact_id)
    if not ContactActiveForm(prefix=ACTIVE_PREFIX).validate_on_submit():
        abort(400)
    try:
        with transaction() as session:
            released = set_contact_active(session, contact, active)
            audit.record(
                "reactivate" if active else "deactivate", "contact", contact.id, owner=entry_.code
            )
    except InvalidInput as exc:
        for messages in exc.fields.values():
            flash(" ".join(messages), "error")
        return redirect(url_for(".edit_contact", section=section, code=code, contact_id=contact_id))
    done = "reactivated" if active else "deactivated"
    flash(f"Contact {contact.name} {done}.{_released_message(released)}", "success")
    return redirect(url_for(".entry", section=section, code=entry_.code))


def _audited(changes: dict[str, tuple[object, object]]) -> dict[str, dict[str, object]]:
    """Each change as the audit trail keeps it: from what, to what."""
    return {name: {"from": old, "to": new} for name, (old, new) in changes.items()}
