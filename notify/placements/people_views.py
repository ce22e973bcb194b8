"""The social worker's pages for the child's people: list them (with their history), add one,
change one, end one. Thin: parse the form, call the service, audit, commit once."""

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError

from models import Child, Contact
from notify import audit
from notify.auth import roles_required
from notify.calendar import today_uk
from notify.extensions import db
from notify.placements.people import change_person, end_person, person_fields, record_person
from notify.placements.people_forms import EndPersonForm, PersonForm
from notify.placements.views import RECORD_ROLES, _may, _our_child_or_404, bp
from notify.problems import InvalidInput
from notify.transaction import transaction
from notify.web.forms import add_problems

# Where the service names a field differently from the form.
FORM_FIELDS = {
    "address.line_1": "address_line_1",
    "address.postcode": "postcode",
    "withhold": "withhold",
    "withhold.decided_on": "withhold_decided_on",
    "withhold.decided_by": "withhold_decided_by",
}


def _next_or(default: str) -> str:
    """Back to where the person was asked for (the check page), if that is one of ours."""
    target = request.args.get("next", "")
    if target.startswith("/children/") and "//" not in target and "\\" not in target:
        return target
    return default


def _person_or_404(child: Child, person_id: int) -> Contact:
    person = db.session.get(Contact, person_id)
    if person is None or person.child_id != child.id:
        abort(404)
    return person


@bp.get("/<int:child_id>/people")
def people_page(child_id: int) -> Any:
    child = _our_child_or_404(child_id)
    people = sorted(child.contacts, key=lambda c: (not c.active, c.role, c.id))
    with transaction(keep_loaded=True):
        audit.record("people_view", "child", child.id)
    return render_template(
        "views/placements/people.html",
        child=child,
        current=[c for c in people if c.active],
        former=[c for c in people if not c.active],
        may_record=_may(RECORD_ROLES),
    )


@bp.route("/<int:child_id>/people/new", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def add_person(child_id: int) -> Any:
    child = _our_child_or_404(child_id)
    form = PersonForm()
    if form.validate_on_submit():
        try:
            with transaction() as session:
                person = record_person(session, child, form.to_details(), today_uk())
                audit.record(
                    "person_record",
                    "child",
                    child.id,
                    contact_id=person.id,
                    role=person.role,
                    withheld=person.withheld,
                )
        except InvalidInput as exc:
            add_problems(form, exc.fields, FORM_FIELDS)
        else:
            flash(f"{person.name} added to the child’s people", "success")
            return redirect(_next_or(url_for(".people_page", child_id=child.id)))
    return render_template(
        "views/placements/person.html", child=child, form=form, person=None, next=_next_or("")
    )


@bp.route("/<int:child_id>/people/<int:person_id>", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def change_person_page(child_id: int, person_id: int) -> Any:
    child = _our_child_or_404(child_id)
    person = _person_or_404(child, person_id)
    form = PersonForm() if request.method == "POST" else PersonForm.of(person)
    if person.active and form.validate_on_submit():
        try:
            with transaction() as session:
                changed = change_person(
                    session, person, person_fields(form.to_details()), today_uk()
                )
                audit.record(
                    "person_change", "child", child.id, contact_id=person.id, changed=changed
                )
        except InvalidInput as exc:
            add_problems(form, exc.fields, FORM_FIELDS)
        except StaleDataError:
            flash("Someone else changed this record at the same moment: check it again", "error")
        else:
            flash(f"{person.name}’s details saved", "success")
            return redirect(_next_or(url_for(".people_page", child_id=child.id)))
    return render_template(
        "views/placements/person.html", child=child, form=form, person=person, next=_next_or("")
    )


@bp.route("/<int:child_id>/people/<int:person_id>/end", methods=["GET", "POST"])
@roles_required(*RECORD_ROLES)
def end_person_page(child_id: int, person_id: int) -> Any:
    child = _our_child_or_404(child_id)
    person = _person_or_404(child, person_id)
    form = EndPersonForm()
    if form.validate_on_submit():
        with transaction() as session:
            if end_person(session, person, today_uk()):
                audit.record("person_end", "child", child.id, contact_id=person.id)
        flash(f"{person.name} is no longer one of the child’s people", "success")
        return redirect(url_for(".people_page", child_id=child.id))
    return render_template(
        "views/placements/end_person.html", child=child, person=person, form=form
    )
