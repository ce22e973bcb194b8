"""The JSON shapes of the child's people (API.md "The child's people")."""

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, pre_dump, validate

from models import Contact
from models.enums import RecipientRole
from notify.calendar import today_uk
from notify.placements.people import (
    WITHHOLD_REFUSED,
    PersonDetails,
    PostalAddress,
    WithholdDecision,
)
from notify.web.fields import IsoDate, Text

# API names for the classes of person, where they differ from ours.
API_ROLES = {
    "child": RecipientRole.CHILD,
    "parent": RecipientRole.PARENT,
    "contact_holder": RecipientRole.CONTACT_ORDER_HOLDER,
    "carer": RecipientRole.CARER,
    "gp": RecipientRole.GP,
    "school": RecipientRole.SCHOOL,
    "iro": RecipientRole.IRO,
    "police": RecipientRole.POLICE,
    "other": RecipientRole.OTHER,
}
ROLE_NAMES = {role.value: name for name, role in API_ROLES.items()}
WITHHOLDABLE_API_ROLES = ("parent", "contact_holder", "carer")


def _text(max_length: int, *, required: bool = False, what: str = "") -> Text:
    if required:
        return Text(
            required=True,
            validate=validate.Length(
                min=1, max=max_length, error=f"Enter {what} (at most {{max}} characters)"
            ),
        )
    return Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=max_length, error="At most {max} characters"),
    )


class PostalAddressSchema(Schema):
    line_1 = _text(200, required=True, what="the first line of the address")
    line_2 = _text(200)
    town = _text(100)
    postcode = _text(10, required=True, what="the postcode")


class WithholdSchema(Schema):
    """A reg 13(3) decision: telling this person would put the child at risk of harm."""

    reason = _text(4000, required=True, what="why telling them would put the child at risk")
    decided_by = _text(200, required=True, what="who decided")
    decided_on = IsoDate(required=True)

    @post_load
    def _decision(self, data: dict[str, Any], **kwargs: Any) -> WithholdDecision:
        if data["decided_on"] > today_uk():
            raise ValidationError("The decision date must be today or in the past", "decided_on")
        return WithholdDecision(**data)


class _PersonFields(Schema):
    name = _text(200, required=True, what="the name")
    organisation = _text(200)
    email = Text(
        load_default=None,
        allow_none=True,
        validate=[
            validate.Length(max=254, error="At most {max} characters"),
            validate.Email(error="Enter an email address, like name@example.org"),
        ],
    )
    phone = _text(30)
    address = fields.Nested(PostalAddressSchema, load_default=None, allow_none=True)


class PersonInSchema(_PersonFields):
    """One of the child's people. With neither email nor address they are recorded, and
    their notices wait (`needs_address`) until one is added."""

    role = Text(
        required=True,
        validate=validate.OneOf(list(API_ROLES), error="Choose one of " + ", ".join(API_ROLES)),
    )
    withhold = fields.Nested(
        WithholdSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "Parents, contact holders and carers only (reg 13(3))"},
    )

    @post_load
    def _details(self, data: dict[str, Any], **kwargs: Any) -> PersonDetails:
        if data["withhold"] is not None and data["role"] not in WITHHOLDABLE_API_ROLES:
            raise ValidationError(WITHHOLD_REFUSED, "withhold")
        return person_details(data)


def _patch_text(max_length: int) -> Text:
    return Text(
        allow_none=True, validate=validate.Length(max=max_length, error="At most {max} characters")
    )


class PersonPatchSchema(Schema):
    """Changes to one of the child's people: only the fields given change; null clears."""

    role = Text(
        validate=validate.OneOf(list(API_ROLES), error="Choose one of " + ", ".join(API_ROLES))
    )
    name = Text(validate=validate.Length(min=1, max=200, error="Enter the name (at most {max})"))
    organisation = _patch_text(200)
    email = Text(
        allow_none=True,
        validate=[
            validate.Length(max=254, error="At most {max} characters"),
            validate.Email(error="Enter an email address, like name@example.org"),
        ],
    )
    phone = _patch_text(30)
    address = fields.Nested(PostalAddressSchema, allow_none=True)
    withhold = fields.Nested(WithholdSchema, allow_none=True)


def person_details(data: dict[str, Any], role: RecipientRole | None = None) -> PersonDetails:
    address = data.get("address")
    return PersonDetails(
        role=role or API_ROLES[data["role"]],
        name=data["name"],
        organisation=data.get("organisation"),
        email=data.get("email"),
        phone=data.get("phone"),
        address=PostalAddress(**address) if address else None,
        withhold=data.get("withhold"),
    )


def person_changes(data: dict[str, Any]) -> dict[str, Any]:
    """A PATCH body as the service's field changes."""
    changes: dict[str, Any] = {}
    for name in ("name", "organisation", "email", "phone"):
        if name in data:
            changes[name] = data[name]
    if "role" in data:
        changes["role"] = API_ROLES[data["role"]].value
    if "address" in data:
        address = data["address"] or {}
        for part in ("line_1", "line_2", "town", "postcode"):
            changes[f"address_{part}" if part.startswith("line") else part] = address.get(part)
    if "withhold" in data:
        decision: WithholdDecision | None = data["withhold"]
        changes["withhold_reason"] = decision.reason if decision else None
        changes["withhold_decided_by"] = decision.decided_by if decision else None
        changes["withhold_decided_on"] = decision.decided_on if decision else None
    return changes


class NewPersonSchema(_PersonFields):
    """A person who comes with a placement (its carer, a new GP, a new school)."""


class PersonSchema(Schema):
    id = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": list(API_ROLES)})
    name = fields.String(required=True)
    organisation = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.Nested(PostalAddressSchema, allow_none=True)
    withhold = fields.Nested(WithholdSchema, allow_none=True)
    placement_id = fields.String(
        allow_none=True, metadata={"description": "For a carer: the placement they care in"}
    )
    started_on = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    current = fields.Boolean(required=True)
    needs_address = fields.Boolean(
        required=True, metadata={"description": "No email: their notices wait for one"}
    )

    @pre_dump
    def _from_model(self, c: Contact, **kwargs: Any) -> dict[str, Any]:
        return person_body(c)


def person_body(c: Contact) -> dict[str, Any]:
    withhold: dict[str, Any] | None = None
    if c.withhold_reason is not None:
        withhold = {
            "reason": c.withhold_reason,
            "decided_by": c.withhold_decided_by,
            "decided_on": c.withhold_decided_on,
        }
    return {
        "id": str(c.id),
        "role": ROLE_NAMES.get(c.role, c.role),
        "name": c.name,
        "organisation": c.organisation,
        "email": c.email,
        "phone": c.phone,
        "address": {
            "line_1": c.address_line_1,
            "line_2": c.address_line_2,
            "town": c.town,
            "postcode": c.postcode,
        }
        if c.address_line_1
        else None,
        "withhold": withhold,
        "placement_id": str(c.placement_id) if c.placement_id else None,
        "started_on": c.started_on,
        "ended_on": c.ended_on,
        "current": c.active,
        "needs_address": not c.email,
    }
