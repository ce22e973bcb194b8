"""The JSON shapes of inbound notices (API.md, "Inbound notices"): what another authority
posts, the list's filters, and the stored notice it reads back.

Loading reports every problem at once, by dotted field path: field checks in each nested
schema, then the checks across fields (dates, codes for a date, the kind of notice) and the
one that needs the reference tables (is the placement in our area) in the notice's own
schema, on whatever parts of the body did load.
"""

import re
from datetime import date
from typing import Any

from flask import current_app
from marshmallow import Schema, ValidationError, fields, pre_dump, validate, validates_schema

from models import InboundNotice
from models.enums import NOTICE_TYPES, InboundStatus
from notify.calendar import today_uk
from notify.extensions import db
from notify.geography.postcode import PostcodeError, normalise_postcode
from notify.inbound.service import area_problem
from notify.validation import email_problem, nhs_number_problem, placement_date_problem
from notify.web.fields import IsoDate, Text, code_problem

NAME_LENGTH = 100
RISKS_LENGTH = 4000
REFERENCE_LENGTH = 100
OLDEST_CHILD_YEARS = 25
# Letters, digits and a little punctuation: a reference appears in URLs, file names and
# emails at both ends, where anything else needs escaping.
REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
ONS_CODE = re.compile(r"[EWSN][0-9]{8}")
TELEPHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,28}")
URN = re.compile(r"[A-Za-z]{0,2}[0-9]{6,8}")
ODS_CODE = re.compile(r"[A-Za-z0-9]{3,10}")
UNKNOWN = "Unknown field: remove it (the notice's fields are listed at /api/v1/openapi.json)."


class StrictSchema(Schema):
    """Refuses fields it does not know, saying so."""

    error_messages = {"unknown": UNKNOWN}


def _text(max_length: int, *, required: bool = False, what: str = "a value") -> Text:
    if required:
        return Text(
            required=True,
            validate=validate.Length(
                min=1, max=max_length, error=f"Enter {what} (at most {{max}} characters)."
            ),
        )
    return Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=max_length, error="At most {max} characters."),
    )


def _pattern(pattern: re.Pattern[str], message: str) -> validate.Regexp:
    # fullmatch semantics: anchored at both ends
    return validate.Regexp(re.compile(rf"(?:{pattern.pattern})\Z"), error=message)


def _check(problem: Any) -> Any:
    """A marshmallow validator from one of the shared checks in notify.validation."""

    def validator(value: Any) -> None:
        if value is not None and (message := problem(value)):
            raise ValidationError(message.rstrip(".") + ".")

    return validator


class Postcode(Text):
    """A UK postcode, written back in its "OUT IN" form."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_postcode(text)
        except PostcodeError as exc:
            raise ValidationError(exc.message + ".") from exc


class NhsNumber(Text):
    """An NHS number, kept as its 10 digits whether or not it was sent spaced."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.replace(" ", "") if text else text


def _ons_code(*, required: bool, description: str) -> Text:
    check = _pattern(ONS_CODE, "Enter an ONS code, like E10000034.")
    metadata = {"description": description, "example": "E10000024"}
    if required:
        return Text(required=True, validate=check, metadata=metadata)
    return Text(load_default=None, allow_none=True, validate=check, metadata=metadata)


def _email(*, required: bool) -> Text:
    if required:
        return Text(required=True, validate=_check(email_problem))
    return Text(load_default=None, allow_none=True, validate=_check(email_problem))


def _telephone() -> Text:
    return Text(
        load_default=None,
        allow_none=True,
        validate=_pattern(TELEPHONE, "Enter a telephone number, like 01905 765432."),
    )


def _flag() -> fields.Boolean:
    return fields.Boolean(load_default=False)


# --- what another authority posts -------------------------------------------------------


class InboundEhcPlanSchema(StrictSchema):
    maintained_by = _ons_code(
        required=True, description="ONS code of the authority maintaining the plan"
    )


class InboundChildSchema(StrictSchema):
    placing_authority_child_id = _text(50, required=True, what="your own identifier for the child")
    given_name = _text(NAME_LENGTH, required=True, what="the given name")
    family_name = _text(NAME_LENGTH, required=True, what="the family name")
    also_known_as = _text(NAME_LENGTH)
    date_of_birth = IsoDate(required=True)
    sex = Text(
        required=True, validate=validate.OneOf(["M", "F", "U"], error="Sex must be M, F or U.")
    )
    nhs_number = NhsNumber(
        load_default=None,
        allow_none=True,
        validate=_check(nhs_number_problem),
        metadata={"description": "10 digits with a valid check digit", "example": "9434765919"},
    )
    legal_status = Text(required=True, metadata={"description": "903 LS code", "example": "C2"})
    uasc = _flag()
    disability = _flag()
    child_protection_plan = _flag()
    ehc_plan = fields.Nested(InboundEhcPlanSchema, load_default=None, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def _date_of_birth(self, data: dict[str, Any], **kwargs: Any) -> None:
        born = data.get("date_of_birth")
        if born is None:
            return
        today = today_uk()
        if born > today:
            raise ValidationError("Date of birth must be in the past.", "date_of_birth")
        if born < _years_before(today, OLDEST_CHILD_YEARS):
            raise ValidationError(
                f"Date of birth must be within the last {OLDEST_CHILD_YEARS} years.",
                "date_of_birth",
            )


class InboundAddressSchema(StrictSchema):
    line_1 = _text(200, required=True, what="the first line of the address")
    line_2 = _text(200)
    town = _text(100)
    postcode = Postcode(required=True, metadata={"example": "WR1 2AB"})


class InboundPlacementSchema(StrictSchema):
    start_date = IsoDate(required=True, metadata={"description": "For an address change, the move"})
    end_date = IsoDate(
        load_default=None,
        allow_none=True,
        metadata={"description": "Required for placement_end"},
    )
    placement_type = Text(
        required=True, metadata={"description": "903 PLACE code", "example": "U6"}
    )
    provider = Text(
        required=True, metadata={"description": "903 PLACE_PROVIDER code", "example": "PR4"}
    )
    carer_name = _text(200)
    urn = Text(
        load_default=None,
        allow_none=True,
        validate=_pattern(URN, "Enter the Ofsted URN, like SC123456 or 2500123."),
        metadata={"description": "Ofsted unique reference number"},
    )
    emergency = _flag()
    address = fields.Nested(InboundAddressSchema, required=True)
    telephone = _telephone()
    reason_for_change = Text(
        load_default=None,
        allow_none=True,
        metadata={"description": "903 REASON_PLACE_CHANGE code, for a move"},
    )
    end_reason = Text(
        load_default=None,
        allow_none=True,
        metadata={"description": "903 REC code: required for placement_end, else null"},
    )
    destination = _text(200)

    @validates_schema(skip_on_field_errors=False)
    def _dates_and_codes(self, data: dict[str, Any], **kwargs: Any) -> None:
        today = today_uk()
        start, end = data.get("start_date"), data.get("end_date")
        problems: dict[str, list[str]] = {}
        if start is not None and (problem := placement_date_problem(start, today)):
            problems["start_date"] = [problem + "."]
        if end is not None:
            if problem := placement_date_problem(end, today, "End date"):
                problems["end_date"] = [problem + "."]
            elif start is not None and end < start:
                problems["end_date"] = ["End date must be on or after the start date."]
        for name, list_name, on, message in (
            ("placement_type", "PLACE", start, "Choose a placement type from the 903 list"),
            ("provider", "PLACE_PROVIDER", start, "Choose a placement provider (PR0 to PR5)"),
            ("reason_for_change", "REASON_PLACE_CHANGE", start, "Choose a 903 reason for change"),
            ("end_reason", "REC", end, "Choose a reason the placement ended from the 903 list"),
        ):
            if problem := code_problem(list_name, data.get(name), on, message):
                problems.setdefault(name, []).append(problem)
        if problems:
            raise ValidationError(problems)


class InboundContactSchema(StrictSchema):
    name = _text(NAME_LENGTH, required=True, what="the name")
    email = _email(required=False)
    phone = _telephone()


class InboundSocialWorkerSchema(InboundContactSchema):
    email = _email(required=True)


class InboundContactsSchema(StrictSchema):
    social_worker = fields.Nested(InboundSocialWorkerSchema, required=True)
    iro = fields.Nested(InboundContactSchema, load_default=None, allow_none=True)
    out_of_hours_phone = _telephone()


class InboundSchoolSchema(StrictSchema):
    name = _text(200, required=True, what="the school's name")
    urn = Text(
        load_default=None,
        allow_none=True,
        validate=_pattern(URN, "Enter the school's URN, like 116000."),
    )


class InboundGpSchema(StrictSchema):
    practice_name = _text(200, required=True, what="the practice's name")
    ods_code = Text(
        load_default=None,
        allow_none=True,
        validate=_pattern(ODS_CODE, "Enter the practice's ODS code, like M81001."),
    )


class InboundNoticeInSchema(StrictSchema):
    """A notice of a child placed in our area: a start, a change of address, or an end."""

    reference = Text(
        required=True,
        validate=[
            validate.Length(
                min=1,
                max=REFERENCE_LENGTH,
                error=f"Enter your reference for the notice (at most {REFERENCE_LENGTH} "
                "characters).",
            ),
            _pattern(
                REFERENCE, "Use letters, digits and . _ / - only, starting with a letter or digit."
            ),
        ],
        metadata={
            "description": "Yours, unique among your notices: a retry with the same body is safe",
            "example": "NOTTS-2026-000123",
        },
    )
    notice_type = Text(
        required=True,
        validate=validate.OneOf(
            [t.value for t in NOTICE_TYPES],
            error="Notice type must be placement_start, address_change or placement_end.",
        ),
    )
    placing_authority = _ons_code(
        required=True, description="Your authority's ONS code: the key's own"
    )
    child = fields.Nested(InboundChildSchema, required=True)
    placement = fields.Nested(InboundPlacementSchema, required=True)
    previous_address = fields.Nested(InboundAddressSchema, load_default=None, allow_none=True)
    contacts = fields.Nested(InboundContactsSchema, required=True)
    school = fields.Nested(InboundSchoolSchema, load_default=None, allow_none=True)
    gp = fields.Nested(InboundGpSchema, load_default=None, allow_none=True)
    risks = Text(
        multiline=True,
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=RISKS_LENGTH, error="At most {max} characters."),
        metadata={"description": "Risks and vulnerabilities (missing history, exploitation)"},
    )

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _across_fields(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        # Nested parts that failed still carry the fields that loaded (marshmallow keeps
        # them), so these checks run on what they can and every problem is found at once.
        child = data.get("child") or {}
        placement = data.get("placement") or {}
        notice_type = data.get("notice_type")
        born, start = child.get("date_of_birth"), placement.get("start_date")
        end = placement.get("end_date")
        problems: dict[str, list[str]] = {}
        if born is not None and start is not None and start < born:
            problems["placement.start_date"] = [
                "Start date must be on or after the child's date of birth."
            ]
        if notice_type == "placement_end":
            # Only what was left out is missing: a value sent but refused says so itself.
            sent = original.get("placement") if isinstance(original, dict) else None
            if isinstance(sent, dict) and _blank(sent.get("end_date")):
                problems["placement.end_date"] = ["Enter the end date of the placement."]
            if isinstance(sent, dict) and _blank(sent.get("end_reason")):
                problems["placement.end_reason"] = ["Enter the 903 reason the placement ended."]
        elif notice_type is not None and placement.get("end_reason") is not None:
            problems["placement.end_reason"] = ["Only a placement_end notice has an end reason."]
        effective = end if notice_type == "placement_end" and end is not None else start
        if problem := code_problem(
            "LS", child.get("legal_status"), effective, "Choose a legal status from the 903 list"
        ):
            problems["child.legal_status"] = [problem]
        postcode = (placement.get("address") or {}).get("postcode")
        if postcode is not None and (problem := _in_our_area(postcode)):
            problems["placement.address.postcode"] = [problem]
        if problems:
            raise ValidationError(_nest(problems))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _in_our_area(postcode: str) -> str | None:
    return area_problem(db.session(), postcode, current_app.config["HOME_AUTHORITY"])


def _nest(problems: dict[str, list[str]]) -> dict[str, Any]:
    """{"a.b": [...]} → {"a": {"b": [...]}}, the shape marshmallow merges with field errors."""
    nested: dict[str, Any] = {}
    for path, messages in problems.items():
        *parents, leaf = path.split(".")
        node = nested
        for name in parents:
            node = node.setdefault(name, {})
        node[leaf] = messages
    return nested


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class InboundNoticeQuerySchema(Schema):
    since = fields.AwareDateTime(
        load_default=None,
        metadata={
            "description": "Only notices received or decided at or after this time "
            "(ISO 8601 with offset)"
        },
    )


# --- what we answer ---------------------------------------------------------------------


class InboundDecisionSchema(Schema):
    at = fields.DateTime(required=True)
    by = fields.String(allow_none=True, metadata={"description": "Who decided (name only)"})
    note = fields.String(
        allow_none=True,
        metadata={"description": "The reason for a rejection, or what a query asks of you"},
    )


class InboundNoticeSchema(Schema):
    """A notice as stored, for the authority that posted it."""

    id = fields.String(required=True)
    reference = fields.String(required=True)
    notice_type = fields.String(required=True, metadata={"enum": [t.value for t in NOTICE_TYPES]})
    status = fields.String(required=True, metadata={"enum": [s.value for s in InboundStatus]})
    received_at = fields.DateTime(required=True)
    placing_authority = fields.String(required=True, metadata={"description": "ONS code"})
    child = fields.Dict(required=True, metadata={"description": "As posted (normalised)"})
    placement = fields.Dict(required=True, metadata={"description": "As posted (normalised)"})
    previous_address = fields.Dict(allow_none=True)
    contacts = fields.Dict(required=True)
    school = fields.Dict(allow_none=True)
    gp = fields.Dict(allow_none=True)
    risks = fields.String(allow_none=True)
    decision = fields.Nested(
        InboundDecisionSchema,
        allow_none=True,
        metadata={"description": "Once accepted, queried or rejected: when, by whom, and why"},
    )

    @pre_dump
    def _from_model(self, notice: InboundNotice, **kwargs: Any) -> dict[str, Any]:
        payload = notice.payload
        decided = notice.decided_at is not None
        return {
            "id": str(notice.id),
            "reference": notice.reference,
            "notice_type": notice.notice_type,
            "status": notice.status,
            "received_at": notice.received_at,
            "placing_authority": notice.placing_authority_code,
            **{
                name: payload.get(name)
                for name in ("child", "placement", "previous_address", "contacts", "school", "gp")
            },
            "risks": payload.get("risks"),
            "decision": {
                "at": notice.decided_at,
                "by": notice.decided_by.name if notice.decided_by is not None else None,
                "note": notice.decision_note,
            }
            if decided
            else None,
        }
