"""The shared form kit: a base form that trims every answer, GOV.UK date input, field
factories, and `add_problems`, which puts a service's `InvalidInput` onto the fields."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextArea, GovTextInput
from wtforms import Field, FieldList, PasswordField, SelectChoice, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from notify.validation import characters_problem

NAME_LENGTH = 200  # the columns' widths
EMAIL_LENGTH = 254
NOTE_LENGTH = 2000


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class StripWhitespaceForm(FlaskForm):
    """Every form's base: text answers are trimmed before they are validated, and refused
    (naming the field) if they hold a control character, or a line break or tab outside a
    text area."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            # A password is exactly what was typed; FieldList takes no filters.
            trims = not issubclass(unbound_field.field_class, (PasswordField, FieldList))
            filters = [_strip] if trims else []
            filters += unbound_field.kwargs.get("filters", [])
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        extra = {name: list(checks) for name, checks in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField) and not isinstance(field, PasswordField):
                extra.setdefault(name, []).append(_allowed_characters)
        return bool(super().validate(extra))


def _allowed_characters(form: Any, field: Field) -> None:
    if isinstance(field.data, str):
        name = str(field.label.text).removesuffix(" (optional)")
        multiline = isinstance(field, TextAreaField)
        if problem := characters_problem(field.data, name, multiline=multiline):
            raise ValidationError(problem)


def options(pairs: Iterable[tuple[str, str]], prompt: str | None = None) -> list[SelectChoice]:
    """Choices for a select or radios, with an empty first option when `prompt` is given."""
    first = [SelectChoice("", prompt)] if prompt is not None else []
    return first + [SelectChoice(value, label) for value, label in pairs]


class DateInput(GovDateInput):
    """The GOV.UK date input, grouped under the field's name so that the field's own id, which
    the error summary links to, is the day box (the first a person should correct)."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        params["id"] = field.name
        return params


class GovDateField(Field):
    """A GOV.UK date input (day, month, year) holding a `date`, with the Design System's
    error messages."""

    widget = DateInput()
    data: date | None

    def __init__(self, label: str, required: bool = True, **kwargs: Any) -> None:
        validators = [InputRequired(f"Enter the {label[0].lower()}{label[1:]}")] if required else []
        super().__init__(label, validators=validators, **kwargs)
        self.id: str = f"{self.id}-day"

    def process_formdata(self, valuelist: list[str]) -> None:
        # The widget unpacks exactly three parts, even for a tampered or partial post.
        parts = [(v or "").strip() for v in [*valuelist, "", "", ""][:3]]
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        label = str(self.label.text)
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise ValueError(f"{label} must include a {' and a '.join(missing)}")
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValueError(f"{label} must be a real date")
        if len(year) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{label} must be a real date") from None

    @property
    def required_data(self) -> date:
        """The date of a field that has passed validation as required."""
        if self.data is None:
            raise ValueError(f"{self.name} has no date: validate the form first")
        return self.data

    def pre_validate(self, form: Any) -> None:
        # A field that failed to parse must not also say "Enter the ...".
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        return " ".join(self.raw_data) if self.raw_data else ""


class Problem:
    """A validator from one of the shared checks in notify.validation (None: no problem)."""

    def __init__(self, check: Callable[[str], str | None]) -> None:
        self.check = check

    def __call__(self, form: Any, field: Field) -> None:
        if field.data and (problem := self.check(field.data)):
            raise ValidationError(problem)


def text_field(
    label: str, *, max_length: int, required: str | None = None, description: str | None = None
) -> StringField:
    """A GOV.UK text input of at most `max_length` characters; `required` is the message for
    an empty answer (none: optional, and the label should say so)."""
    name = label.removesuffix(" (optional)")
    return StringField(
        label,
        widget=GovTextInput(),
        description=description,
        validators=[
            InputRequired(required) if required else Optional(),
            Length(max=max_length, message=f"{name} must be {max_length} characters or fewer"),
        ],
    )


def name_field(label: str, error: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            DataRequired(error),  # after trimming: blank is not a name
            Length(max=NAME_LENGTH, message=f"Name must be {NAME_LENGTH} characters or fewer"),
        ],
    )


def email_field(label: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(
                max=EMAIL_LENGTH,
                message=f"Email address must be {EMAIL_LENGTH} characters or fewer",
            ),
            Email("Enter an email address in the correct format, like name@example.gov.uk"),
        ],
    )


def note_field(label: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=description,
        validators=[
            Optional(),
            Length(max=NOTE_LENGTH, message=f"Note must be {NOTE_LENGTH} characters or fewer"),
        ],
    )


def add_problems(
    form: FlaskForm, problems: Mapping[str, Sequence[str]], aliases: Mapping[str, str] | None = None
) -> None:
    """Show the service's `InvalidInput` on the form's fields, for the error summary.

    A problem with no matching field goes on the first field, so it is never lost.
    """
    aliases = aliases or {}
    first = next(f for f in form if f.type not in {"CSRFTokenField", "IntegerField", "HiddenField"})
    for key, messages in problems.items():
        name = aliases.get(key, key)
        field = form[name] if name in form else first  # noqa: SIM401 (a Form has no get)
        field.errors = [*field.errors, *messages]
