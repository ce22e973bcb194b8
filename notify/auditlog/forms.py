from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import Length, Optional

from notify.auditlog.queries import TrailFilters
from notify.web.forms import GovDateField, StripWhitespaceForm, options


class TrailFilterForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    person = SelectField("Person", widget=GovSelect(), default="")
    case_reference = StringField(
        "Child's case reference",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=40, message="A case reference is 40 characters or fewer"),
        ],
    )
    on_or_after = GovDateField("From", required=False, description="For example, 1 11 2026")
    on_or_before = GovDateField("To", required=False, description="For example, 30 11 2026")
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def __init__(self, formdata: Any, people: list[tuple[str, str]]) -> None:
        super().__init__(formdata)
        self.person.choices = options(people, "Anyone")

    def validate_person(self, field: SelectField) -> None:
        if field.data and not field.data.isdigit():
            raise ValidationError("Choose a person from the list")

    def validate_on_or_before(self, field: GovDateField) -> None:
        if field.data and self.on_or_after.data and field.data < self.on_or_after.data:
            raise ValidationError("‘To’ must be the same as or after ‘From’")

    def filters(self) -> TrailFilters:
        """The filters chosen; an answer that failed validation is left out."""

        def good(field: Any) -> Any:
            return None if field.errors or not field.data else field.data

        person = good(self.person)
        return TrailFilters(
            user_id=int(person) if person else None,
            case_reference=good(self.case_reference),
            on_or_after=good(self.on_or_after),
            on_or_before=good(self.on_or_before),
        )
