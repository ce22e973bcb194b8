"""The child's people through the API (API.md "The child's people"): list, record, change and
end them. The same service functions as the web pages; every call audited."""

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from models import Child, Contact
from notify import audit
from notify.apikit import api_transaction, fail, require_scope
from notify.calendar import today_uk
from notify.extensions import db
from notify.placements.api import SCOPE, own_child
from notify.placements.people import PersonDetails, change_person, end_person, record_person
from notify.placements.people_schemas import (
    PersonInSchema,
    PersonPatchSchema,
    PersonSchema,
    person_changes,
)
from notify.web.converters import row_id

# Where the service names a field differently from the API body.
PERSON_PATHS = {
    "address_line_1": "address.line_1",
    "address_line_2": "address.line_2",
    "town": "address.town",
    "postcode": "address.postcode",
    "withhold_reason": "withhold.reason",
    "withhold_decided_by": "withhold.decided_by",
    "withhold_decided_on": "withhold.decided_on",
}

blp = Blueprint(
    "people_api",
    __name__,
    url_prefix="/api/v1/children",
    description="The child's people: the recipients of reg 13(2), kept current with history.",
)


@blp.route("/<child_id>/contacts")
class People(MethodView):
    @require_scope(SCOPE)
    @blp.response(200, PersonSchema(many=True))
    def get(self, child_id: str) -> list[Contact]:
        """The child's people, current first, then those ended (history is kept)"""
        child = own_child(child_id)
        people = sorted(child.contacts, key=lambda c: (not c.active, c.id))
        with api_transaction():
            audit.record("api_people_view", "child", child.id)
        return people

    @require_scope(SCOPE)
    @blp.arguments(PersonInSchema)
    @blp.response(201, PersonSchema)
    def post(self, details: PersonDetails, child_id: str) -> Any:
        """Record one of the child's people"""
        child = own_child(child_id)
        with api_transaction(PERSON_PATHS) as session:
            person = record_person(session, child, details, today_uk())
            audit.record(
                "api_person_record",
                "child",
                child.id,
                contact_id=person.id,
                role=person.role,
                withheld=person.withheld,
            )
        location = url_for("people_api.Person", child_id=str(child.id), contact_id=str(person.id))
        return person, 201, {"Location": location}


@blp.route("/<child_id>/contacts/<contact_id>")
class Person(MethodView):
    @require_scope(SCOPE)
    @blp.response(200, PersonSchema)
    def get(self, child_id: str, contact_id: str) -> Contact:
        """One of the child's people"""
        child = own_child(child_id)
        person = _person_of(child, contact_id)
        with api_transaction():
            audit.record("api_person_view", "child", child.id, contact_id=person.id)
        return person

    @require_scope(SCOPE)
    @blp.arguments(PersonPatchSchema)
    @blp.response(200, PersonSchema)
    def patch(self, body: dict[str, Any], child_id: str, contact_id: str) -> Contact:
        """Change some of a person's details (only the fields given)"""
        child = own_child(child_id)
        person = _person_of(child, contact_id)
        with api_transaction(PERSON_PATHS) as session:
            changed = change_person(session, person, person_changes(body), today_uk())
            audit.record(
                "api_person_change", "child", child.id, contact_id=person.id, changed=changed
            )
        return person

    @require_scope(SCOPE)
    @blp.response(200, PersonSchema)
    def delete(self, child_id: str, contact_id: str) -> Contact:
        """End a person from today: kept in the history, told of nothing more"""
        child = own_child(child_id)
        person = _person_of(child, contact_id)
        with api_transaction() as session:
            if end_person(session, person, today_uk()):
                audit.record("api_person_end", "child", child.id, contact_id=person.id)
        return person


def _person_of(child: Child, contact_id: str) -> Contact:
    number = row_id(contact_id)
    person = db.session.get(Contact, number) if number is not None else None
    if person is None or person.child_id != child.id:
        fail(404, "This child has no contact with that id.")
    return person
