"""The JSON shapes of the case-management API (API.md): what it accepts and what it answers.

Input schemas load into the service's dataclasses. Besides types and lengths they run the
pure checks (code lists, NHS number, date of birth) so that one request reports every
problem at once; the service repeats them and adds those that need the database.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_dump,
    validate,
    validates,
    validates_schema,
)

from models import Child, Notification, Placement
from models.enums import RecipientKind, RecipientRole
from notify.calendar import today_uk
from notify.placements.people_schemas import NewPersonSchema, person_details
from notify.placements.service import REASON_MAX_LENGTH, ChildDetails, PlacementDetails
from notify.placements.withdrawal import WITHDRAWAL_REASON_MISSING
from notify.validation import date_of_birth_problem, nhs_number_problem
from notify.web.fields import CodeNameSchema, IsoDate, RecipientSchema, Text, code_problem


def _required_text(max_length: int, what: str) -> Text:
    return Text(
        required=True,
        validate=validate.Length(
            min=1, max=max_length, error=f"Enter {what} (at most {{max}} characters)"
        ),
    )


def _optional_text(max_length: int, *, multiline: bool = False) -> Text:
    return Text(
        multiline=multiline,
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=max_length, error="At most {max} characters"),
    )


def _code_problems(list_name: str, code: Any, on: Any, message: str) -> list[str]:
    problem = code_problem(list_name, code, on, message)
    return [problem] if problem else []


# --- children ---------------------------------------------------------------------------


class EhcPlanSchema(Schema):
    maintained_by = Text(
        required=True,
        validate=validate.Length(min=1, max=9, error="Enter an ONS code, like E10000034"),
        metadata={
            "description": "ONS code of the authority maintaining the plan",
            "example": "E10000034",
        },
    )


class ChildInSchema(Schema):
    """A child we look after, as our case-management system knows them."""

    case_reference = _required_text(40, "the case reference")
    given_name = _required_text(100, "the given name")
    family_name = _required_text(100, "the family name")
    also_known_as = _optional_text(200)
    date_of_birth = IsoDate(required=True)
    sex = Text(
        required=True, validate=validate.OneOf(["M", "F", "U"], error="Sex must be M, F or U")
    )
    ethnicity = _optional_text(4)
    nhs_number = Text(load_default=None, allow_none=True, metadata={"example": "9434765919"})
    legal_status = Text(required=True, metadata={"description": "903 LS code", "example": "C2"})
    uasc = fields.Boolean(load_default=False)
    disability = fields.Boolean(load_default=False)
    child_protection_plan = fields.Boolean(load_default=False)
    ehc_plan = fields.Nested(EhcPlanSchema, load_default=None, allow_none=True)
    home_postcode = _required_text(10, "the home postcode")
    police_flag = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Tell the local police of placements "
            "(a risk of going missing or of exploitation)"
        },
    )
    risks = _optional_text(4000, multiline=True)

    @validates("date_of_birth")
    def _date_of_birth(self, value: date, data_key: str) -> None:
        if problem := date_of_birth_problem(value, today_uk()):
            raise ValidationError(problem)

    @validates("nhs_number")
    def _nhs_number(self, value: str | None, data_key: str) -> None:
        if value is not None and (problem := nhs_number_problem(value)):
            raise ValidationError(problem)

    @validates("legal_status")
    def _legal_status(self, value: str, data_key: str) -> None:
        if problems := _code_problems(
            "LS", value, today_uk(), "Choose a legal status from the 903 list"
        ):
            raise ValidationError(problems)

    @post_load
    def _details(self, data: dict[str, Any], **kwargs: Any) -> ChildDetails:
        ehc_plan = data.pop("ehc_plan")
        return ChildDetails(
            **data, ehc_plan_maintained_by=ehc_plan["maintained_by"] if ehc_plan else None
        )


class ChildQuerySchema(Schema):
    case_reference = Text(metadata={"description": "Our case reference for the child"})


# --- placements -------------------------------------------------------------------------


class AddressSchema(Schema):
    line_1 = _required_text(200, "the first line of the address")
    line_2 = _optional_text(200)
    town = _optional_text(100)
    postcode = _required_text(10, "the postcode")


@dataclass(frozen=True)
class PlacementRequest:
    details: PlacementDetails
    version: int | None


@dataclass(frozen=True)
class EndRequest:
    end_date: date
    end_reason: str
    destination: str | None
    version: int | None
    not_practicable_reason: str | None = None


def _version_field() -> fields.Integer:
    return fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={
            "description": "The child's `version` as last read: the request is refused "
            "with 409 if the record has changed since. Leave out to skip the check."
        },
    )


class PlacementInSchema(Schema):
    """A new placement; a move ends the current one the day before this starts unless
    `previous_end_date` says otherwise."""

    start_date = IsoDate(required=True)
    end_date = IsoDate(
        load_default=None,
        allow_none=True,
        metadata={"description": "When this placement ends, if already known"},
    )
    placement_type = Text(
        required=True, metadata={"description": "903 PLACE code", "example": "U6"}
    )
    provider = Text(
        required=True, metadata={"description": "903 PLACE_PROVIDER code", "example": "PR4"}
    )
    carer_name = _optional_text(200)
    urn = _optional_text(10)
    emergency = fields.Boolean(load_default=False)
    address = fields.Nested(AddressSchema, required=True)
    telephone = _optional_text(30)
    reason_for_change = Text(
        load_default=None, allow_none=True, metadata={"description": "903 REASON_PLACE_CHANGE code"}
    )
    end_reason = Text(
        load_default=None,
        allow_none=True,
        metadata={"description": "Always null here: end a placement with …/end"},
    )
    health_body_code = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=9),
        metadata={
            "description": "Where the placement's district is split "
            "between health bodies, the ONS code of the one it is in"
        },
    )
    previous_end_date = IsoDate(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "When the current placement ends, if not the day before this one starts"
        },
    )
    carer = fields.Nested(
        NewPersonSchema,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The person with whom the child is placed (for a home, its "
            "registered person): told of the placement's end"
        },
    )
    new_gp = fields.Nested(
        NewPersonSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "The GP the child will register with, where that changes"},
    )
    school = fields.Nested(
        NewPersonSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "The school or education provider, where that changes"},
    )
    late_reason = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=REASON_MAX_LENGTH, error="At most {max} characters"),
        metadata={
            "description": "Why the notices will be late (any due before today), or, on a "
            "move recorded on or after the current placement's end, why its end could not "
            "be notified first (reg 14(4)). Required then; carried on the late notices."
        },
    )
    version = _version_field()

    @validates("end_reason")
    def _end_reason(self, value: str | None, data_key: str) -> None:
        if value is not None:
            raise ValidationError(
                "A new placement has no end reason: end a placement with "
                "POST /api/v1/children/{id}/placements/{placement_id}/end"
            )

    @validates_schema(skip_on_field_errors=False)
    def _codes(self, data: dict[str, Any], **kwargs: Any) -> None:
        on = data.get("start_date")
        problems = {
            "placement_type": _code_problems(
                "PLACE",
                data.get("placement_type"),
                on,
                "Choose a placement type from the 903 list",
            ),
            "provider": _code_problems(
                "PLACE_PROVIDER",
                data.get("provider"),
                on,
                "Choose a placement provider (PR0 to PR5)",
            ),
            "reason_for_change": _code_problems(
                "REASON_PLACE_CHANGE",
                data.get("reason_for_change"),
                on,
                "Choose a reason for the change from the 903 list",
            ),
        }
        if problems := {k: v for k, v in problems.items() if v}:
            raise ValidationError(problems)

    @post_load
    def _request(self, data: dict[str, Any], **kwargs: Any) -> PlacementRequest:
        address = data.pop("address")
        version = data.pop("version")
        data.pop("end_reason")
        new_people: dict[str, Any] = {
            name: person_details(data.pop(name), role) if data[name] else data.pop(name)
            for name, role in (
                ("carer", RecipientRole.CARER),
                ("new_gp", RecipientRole.GP),
                ("school", RecipientRole.SCHOOL),
            )
        }
        details = PlacementDetails(
            **data,
            **new_people,
            address_line_1=address["line_1"],
            address_line_2=address["line_2"],
            town=address["town"],
            postcode=address["postcode"],
        )
        return PlacementRequest(details, version)


class EndInSchema(Schema):
    end_date = IsoDate(required=True)
    end_reason = Text(required=True, metadata={"description": "903 REC code", "example": "E4A"})
    destination = _optional_text(200)
    not_practicable_reason = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=REASON_MAX_LENGTH, error="At most {max} characters"),
        metadata={
            "description": "Required when the end is recorded on or after its date: why "
            "notice could not be given before the placement ended (reg 14(4)). Carried on "
            "the end notices, which are then due 10 working days after the end."
        },
    )
    version = _version_field()

    @validates_schema(skip_on_field_errors=False)
    def _codes(self, data: dict[str, Any], **kwargs: Any) -> None:
        if problems := _code_problems(
            "REC",
            data.get("end_reason"),
            data.get("end_date"),
            "Choose a reason the placement ended from the 903 list",
        ):
            raise ValidationError({"end_reason": problems})

    @post_load
    def _request(self, data: dict[str, Any], **kwargs: Any) -> EndRequest:
        return EndRequest(**data)


@dataclass(frozen=True)
class WithdrawRequest:
    reason: str | None
    version: int | None


class WithdrawInSchema(Schema):
    reason = Text(
        required=True,
        allow_none=True,  # blank: refused by the service, with the same message
        validate=validate.Length(max=REASON_MAX_LENGTH, error="At most {max} characters"),
        error_messages={"required": WITHDRAWAL_REASON_MISSING},
        metadata={
            "description": "Why the placement will not happen: carried on the withdrawal "
            "notices to everyone already sent a notice of it",
            "example": "The foster carers withdrew their offer",
        },
    )
    version = _version_field()

    @post_load
    def _request(self, data: dict[str, Any], **kwargs: Any) -> WithdrawRequest:
        return WithdrawRequest(**data)


# --- answers ----------------------------------------------------------------------------


class HealthBodyCodeSchema(CodeNameSchema):
    ods_code = fields.String(
        allow_none=True, metadata={"description": "NHS ODS code (ICBs in England)"}
    )


class NotificationSchema(Schema):
    id = fields.String(required=True)
    event = fields.String(required=True)
    status = fields.String(required=True)
    send_by = fields.Date(required=True)
    recipient = fields.Nested(RecipientSchema, required=True)
    placement_id = fields.String(required=True)
    acknowledge_by = fields.Date(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    late_reason = fields.String(
        allow_none=True,
        metadata={"description": "Why the notice is late: it was due before it was recorded"},
    )

    @pre_dump
    def _from_model(self, n: Notification, **kwargs: Any) -> dict[str, Any]:
        named_by_code = n.recipient_kind in {RecipientKind.AUTHORITY, RecipientKind.HEALTH_BODY}
        return {
            "id": str(n.id),
            "event": n.event,
            "status": n.status,
            "send_by": n.send_by,
            "recipient": {
                "kind": n.recipient_kind,
                "role": n.recipient_role,
                # Other kinds hold our internal contact ids, which mean nothing outside.
                "code": n.recipient_code if named_by_code else None,
                "name": n.recipient_name,
                "email": n.address,
            },
            "placement_id": str(n.placement_id),
            "acknowledge_by": n.acknowledge_by,
            "sent_at": n.sent_at,
            "acknowledged_at": n.acknowledged_at,
            "late_reason": n.late_reason,
        }


class PlacementSchema(Schema):
    id = fields.String(required=True)
    child_id = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True)
    placement_type = fields.String(required=True)
    provider = fields.String(required=True)
    carer_name = fields.String(allow_none=True)
    urn = fields.String(allow_none=True)
    emergency = fields.Boolean(required=True)
    address = fields.Nested(AddressSchema, required=True)
    telephone = fields.String(allow_none=True)
    reason_for_change = fields.String(allow_none=True)
    end_reason = fields.String(allow_none=True)
    destination = fields.String(allow_none=True)
    not_practicable_reason = fields.String(
        allow_none=True,
        metadata={"description": "Reg 14(4): why notice of the end could not be given before it"},
    )
    withdrawn_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "When the planned placement was withdrawn: it will not happen"},
    )
    withdrawn_reason = fields.String(allow_none=True)
    host_authority = fields.Nested(CodeNameSchema, required=True)
    host_health_body = fields.Nested(HealthBodyCodeSchema, allow_none=True)
    location = fields.String(required=True, metadata={"enum": ["IN", "OUT"]})
    distance_miles = fields.Float(
        allow_none=True, metadata={"description": "Straight line from home, 1 dp"}
    )
    at_a_distance = fields.Boolean(required=True)
    adjoining = fields.Boolean(required=True)

    @pre_dump
    def _from_model(self, p: Placement, **kwargs: Any) -> dict[str, Any]:
        return placement_body(p)


def placement_body(p: Placement) -> dict[str, Any]:
    host, health = p.host_authority, p.host_health_body
    return {
        "id": str(p.id),
        "child_id": str(p.child_id),
        "start_date": p.start_date,
        "end_date": p.end_date,
        "placement_type": p.placement_type,
        "provider": p.provider,
        "carer_name": p.carer_name,
        "urn": p.urn,
        "emergency": p.emergency,
        "address": {
            "line_1": p.address_line_1,
            "line_2": p.address_line_2,
            "town": p.town,
            "postcode": p.postcode,
        },
        "telephone": p.telephone,
        "reason_for_change": p.reason_for_change,
        "end_reason": p.end_reason,
        "destination": p.destination,
        "not_practicable_reason": p.end_not_practicable_reason,
        "withdrawn_at": p.withdrawn_at,
        "withdrawn_reason": p.withdrawn_reason,
        "host_authority": {"code": host.code, "name": host.name},
        "host_health_body": (
            {"code": health.code, "name": health.name, "ods_code": health.ods_code}
            if health
            else None
        ),
        "location": p.location,
        "distance_miles": p.distance_miles,
        "at_a_distance": p.at_a_distance,
        "adjoining": p.adjoining,
    }


@dataclass(frozen=True)
class PlacementChange:
    """A placement just recorded or ended, with the notifications that caused."""

    placement: Placement
    notifications: list[Notification]


class PlacementChangeSchema(PlacementSchema):
    notifications = fields.List(fields.Nested(NotificationSchema), required=True)

    @pre_dump
    def _from_model(self, change: PlacementChange, **kwargs: Any) -> dict[str, Any]:
        return {**placement_body(change.placement), "notifications": change.notifications}


class ChildSchema(Schema):
    id = fields.String(required=True)
    case_reference = fields.String(required=True)
    responsible_authority = fields.String(required=True, metadata={"description": "ONS code"})
    given_name = fields.String(required=True)
    family_name = fields.String(required=True)
    also_known_as = fields.String(allow_none=True)
    date_of_birth = fields.Date(required=True)
    sex = fields.String(required=True)
    ethnicity = fields.String(allow_none=True)
    nhs_number = fields.String(allow_none=True)
    legal_status = fields.String(required=True)
    uasc = fields.Boolean(required=True)
    disability = fields.Boolean(required=True)
    child_protection_plan = fields.Boolean(required=True)
    ehc_plan = fields.Nested(EhcPlanSchema, allow_none=True)
    home_postcode = fields.String(required=True)
    police_flag = fields.Boolean(required=True)
    risks = fields.String(allow_none=True)
    version = fields.Integer(
        required=True,
        metadata={
            "description": "Send back as `version` when changing a placement to detect a conflict"
        },
    )
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    placements = fields.List(fields.Nested(PlacementSchema), required=True)

    @pre_dump
    def _from_model(self, c: Child, **kwargs: Any) -> dict[str, Any]:
        names = (
            "case_reference",
            "given_name",
            "family_name",
            "also_known_as",
            "date_of_birth",
            "sex",
            "ethnicity",
            "nhs_number",
            "legal_status",
            "uasc",
            "disability",
            "child_protection_plan",
            "home_postcode",
            "police_flag",
            "risks",
            "version",
            "created_at",
            "updated_at",
            "placements",
        )
        return {
            **{name: getattr(c, name) for name in names},
            "id": str(c.id),
            "responsible_authority": c.responsible_authority_code,
            "ehc_plan": {"maintained_by": c.ehc_plan_maintained_by}
            if c.ehc_plan_maintained_by
            else None,
        }
