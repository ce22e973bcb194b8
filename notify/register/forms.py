"""The triage decisions and the register's filters, as GOV.UK form components.

The forms check each answer is present and well formed; whether a decision may be made is
the service's rule (`InvalidInput`, `CannotDecide`).
"""

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from notify import codes
from notify.register.queries import AGE_BANDS, STATUSES, Choices, RegisterFilters
from notify.register.service import DETAIL_MAX, QUESTION_MAX, REJECTION_REASONS
from notify.web.forms import GovDateField, StripWhitespaceForm, options

ANY = "Any"


class QueueSearchForm(StripWhitespaceForm):
    """The triage queue's search, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(
        "Search the queue",
        widget=GovTextInput(),
        description="Their reference, the child’s name or their id, or the placing authority",
        validators=[Optional(), Length(max=100, message="Search for 100 characters or fewer")],
    )
    show = RadioField(
        "Show",
        widget=GovRadioInput(),
        choices=options([("", "All notices waiting"), ("mine", "Assigned to me")]),
        default="",
        validators=[Optional()],
    )


class AssignForm(StripWhitespaceForm):
    action = RadioField(choices=options([("take", "Assign to me"), ("release", "Unassign")]))


class AcceptForm(StripWhitespaceForm):
    submit = SubmitField("Accept and add to the register", widget=GovSubmitInput())


class QueryForm(StripWhitespaceForm):
    question = TextAreaField(
        "What is missing or needs checking",
        widget=GovTextArea(),
        description=(
            "This goes to the placing authority by email. Use the child’s initials and their "
            "id, not the child’s name."
        ),
        validators=[
            InputRequired("Enter what is missing from the notice"),
            Length(max=QUESTION_MAX, message=f"Keep it to {QUESTION_MAX} characters or fewer"),
        ],
    )
    submit = SubmitField("Send the query", widget=GovSubmitInput())


class RejectForm(StripWhitespaceForm):
    reason = RadioField(
        "Why are you rejecting this notice?",
        widget=GovRadioInput(),
        choices=options(REJECTION_REASONS.items()),
        validators=[InputRequired("Choose why the notice is rejected")],
    )
    detail = TextAreaField(
        "More detail",
        widget=GovTextArea(),
        description="Required for ‘Other’. The placing authority reads this.",
        validators=[
            Optional(),
            Length(max=DETAIL_MAX, message=f"Keep it to {DETAIL_MAX} characters or fewer"),
        ],
    )
    submit = SubmitField("Reject the notice", widget=GovSubmitInput())

    def validate_detail(self, field: TextAreaField) -> None:
        if self.reason.data == "other" and not field.data:
            raise ValidationError("Say why the notice is rejected")


class ReconcileForm(StripWhitespaceForm):
    submit = SubmitField("Ask placing authorities to confirm", widget=GovSubmitInput())


class RegisterFilterForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    placing_authority = SelectField("Placing authority", widget=GovSelect(), default="")
    placement_type = SelectField("Placement type", widget=GovSelect(), default="")
    age_band = SelectField("Age", widget=GovSelect(), default="")
    status = SelectField(
        "Placement",
        widget=GovSelect(),
        default="current",
        choices=options(STATUSES.items()),
    )
    started_from = GovDateField(
        "Started on or after", required=False, description="For example, 1 4 2024"
    )
    started_to = GovDateField(
        "Started on or before", required=False, description="For example, 31 3 2025"
    )
    no_news = BooleanField(
        "No news for 12 months (no notice accepted in the last 12 months)",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def __init__(self, formdata: Any, choices: Choices) -> None:
        super().__init__(formdata)
        self.placing_authority.choices = options(choices.authorities, ANY)
        self.placement_type.choices = options(
            ((t, f"{t}: {_short('PLACE', t)}") for t in choices.placement_types), ANY
        )
        self.age_band.choices = options(((k, v[0]) for k, v in AGE_BANDS.items()), ANY)

    def validate_started_to(self, field: GovDateField) -> None:
        if field.data and self.started_from.data and field.data < self.started_from.data:
            raise ValidationError(
                "‘Started on or before’ must be the same as or after ‘Started on or after’"
            )

    def filters(self) -> RegisterFilters:
        """The filters chosen; an answer that failed validation is left out."""

        def good(field: Any) -> Any:
            return None if field.errors else (field.data or None)

        status = good(self.status)
        return RegisterFilters(
            placing_authority=good(self.placing_authority),
            placement_type=good(self.placement_type),
            age_band=good(self.age_band),
            started_from=good(self.started_from),
            started_to=good(self.started_to),
            no_news=bool(good(self.no_news)),
            status=status if status in STATUSES else "current",
        )


def _short(list_name: str, code: str) -> str:
    try:
        text = codes.describe(list_name, code)
    except codes.UnknownCode:
        return code
    return text if len(text) <= 60 else f"{text[:57].rstrip()}…"
