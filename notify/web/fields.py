"""The API's shared field types and shapes: trimmed text, strict dates, 903 code checks."""

import re
from datetime import date
from typing import Any

from marshmallow import Schema, fields, validate

from models.enums import RecipientKind
from notify import codes
from notify.validation import CONTROL_CHARACTERS, LINE_BREAKS

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Wide enough for any real record, narrow enough that date arithmetic cannot overflow.
DATE_RANGE = validate.Range(
    min=date(1900, 1, 1), max=date(2099, 12, 31), error="Enter a date between 1900 and 2099"
)


class Text(fields.String):
    """A string, trimmed, without control characters; empty means null where null is allowed.
    One line unless `multiline` (a note, the risks): no line break or tab inside it."""

    default_error_messages = {
        "control": "Remove control characters.",
        "line_break": "Write this on one line: remove the line break or tab.",
        "unicode": "Remove characters that are not valid Unicode.",
    }

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if CONTROL_CHARACTERS.search(text):
            raise self.make_error("control")
        if not self.multiline and LINE_BREAKS.search(text):
            raise self.make_error("line_break")
        try:
            # JSON may escape half a surrogate pair ("\ud800"); no database can store one.
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise self.make_error("unicode") from exc
        if not text and self.allow_none:
            return None
        return text

    def _validate(self, value: Any) -> None:
        if value is not None:  # blank optional text, now null: nothing left to check
            super()._validate(value)


class IsoDate(fields.Date):
    """A date written YYYY-MM-DD, and only so (Python would also accept 20120430)."""

    default_error_messages = {
        "invalid": "Not a valid date: write it as YYYY-MM-DD, like 2026-04-30.",
    }

    def __init__(self, **kwargs: Any):
        super().__init__(validate=DATE_RANGE, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def code_problem(list_name: str, code: Any, on: Any, message: str) -> str | None:
    """Why `code` is not in the 903 list for the collection year of `on`, or None."""
    if not isinstance(code, str):
        return None  # missing or mistyped: the field itself says so
    if codes.is_valid(list_name, code, on=on if isinstance(on, date) else None):
        return None
    if isinstance(on, date):
        return f"{message} for {codes.collection_year(on)}."
    return f"{message}."


class CodeNameSchema(Schema):
    code = fields.String(required=True, metadata={"description": "ONS code"})
    name = fields.String(required=True)


class RecipientSchema(Schema):
    kind = fields.String(required=True, metadata={"enum": [k.value for k in RecipientKind]})
    role = fields.String(required=True)
    code = fields.String(
        allow_none=True, metadata={"description": "ONS code, for authorities and health bodies"}
    )
    name = fields.String(required=True)
    email = fields.String(allow_none=True)
