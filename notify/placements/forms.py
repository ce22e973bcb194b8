"""Web forms for finding and adding children and recording, ending and approving placements.

The forms check that each answer is present and well formed; the business rules (dates in
order, codes valid for the date, postcodes known) are the service's, whose `InvalidInput`
is put back onto the fields with `add_problems`.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from notify.placements.service import ChildDetails, PlacementDetails
from notify.validation import nhs_number_problem

POSTCODE_HINT = "For example, WR5 2NP"


def options(pairs: Iterable[tuple[str, str]], prompt: str | None = None) -> list[SelectChoice]:
    """Choices for a select or radios, with an empty first option when `prompt` is given."""
    first = [SelectChoice("", prompt)] if prompt is not None else []
    return first + [SelectChoice(value, label) for value, label in pairs]


CHILD_FLAGS = options(
    [
        ("uasc", "Unaccompanied asylum-seeking child"),
        ("disability", "Has a disability"),
        ("child_protection_plan", "Has a child protection plan"),
        ("police_flag", "Missing or exploitation risk: tell the local police of each placement"),
    ]
)
SEX_CHOICES = options([("F", "Female"), ("M", "Male"), ("U", "Unknown or indeterminate")])
PLEASE_CHOOSE = "Choose…"


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


def _optional_text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        "Case reference or name",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[Optional(), Length(max=100, message="Search for 100 characters or fewer")],
    )


class ChildForm(FlaskForm):
    case_reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        filters=STRIP,
        description="The child's reference in the case management system",
        validators=[
            InputRequired("Enter the case reference"),
            Length(max=40, message="Case reference must be 40 characters or fewer"),
        ],
    )
    given_name = StringField(
        "First name",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            InputRequired("Enter the child's first name"),
            Length(max=100, message="First name must be 100 characters or fewer"),
        ],
    )
    family_name = StringField(
        "Last name",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            InputRequired("Enter the child's last name"),
            Length(max=100, message="Last name must be 100 characters or fewer"),
        ],
    )
    also_known_as = StringField(
        "Also known as (optional)",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            Optional(),
            Length(max=200, message="Also known as must be 200 characters or fewer"),
        ],
    )
    date_of_birth = GovDateField("Date of birth", description="For example, 27 3 2012")
    sex = RadioField(
        "Sex",
        widget=GovRadioInput(),
        choices=SEX_CHOICES,
        validators=[InputRequired("Select the child's sex")],
    )
    legal_status = SelectField(
        "Legal status",
        widget=GovSelect(),
        validate_choice=False,
        description="The 903 legal status (LS) in force now",
        validators=[InputRequired("Choose the child's legal status")],
    )
    home_postcode = StringField(
        "Home postcode",
        widget=GovTextInput(),
        filters=STRIP,
        description=(
            "Where the child lived before being looked after: distances and the home "
            "health body are worked out from it"
        ),
        validators=[
            InputRequired("Enter the child's home postcode"),
            Length(max=8, message="Enter a real postcode, like WR5 2NP"),
        ],
    )
    nhs_number = StringField(
        "NHS number (optional)",
        widget=GovTextInput(),
        filters=STRIP,
        description="10 digits, like 943 476 5919",
        validators=[Optional(), Problem(nhs_number_problem)],
    )
    ethnicity = StringField(
        "Ethnicity (optional)",
        widget=GovTextInput(),
        filters=STRIP,
        description="The 903 ethnicity code, like WBRI",
        validators=[
            Optional(),
            Length(max=4, message="Ethnicity must be a 903 code of up to 4 characters"),
        ],
    )
    flags = SelectMultipleField(
        "About the child",
        widget=GovCheckboxesInput(),
        choices=CHILD_FLAGS,
        description="Select all that apply",
    )
    ehc_plan_maintained_by = SelectField(
        "EHC plan maintained by (optional)",
        widget=GovSelect(),
        validate_choice=False,
        description="The authority maintaining the child's education, health and care plan",
    )
    social_worker_id = SelectField("Social worker", widget=GovSelect(), validate_choice=False)
    risks = TextAreaField(
        "Risks and vulnerabilities (optional)",
        widget=GovTextArea(),
        filters=STRIP,
        description="For example, missing episodes or exploitation: these go in the notices",
        validators=[Optional(), Length(max=2000, message="Risks must be 2000 characters or fewer")],
    )
    submit = SubmitField("Add child", widget=GovSubmitInput())

    def to_details(self) -> ChildDetails:
        flags = set(self.flags.data or [])
        social_worker = self.social_worker_id.data
        return ChildDetails(
            case_reference=self.case_reference.data or "",
            given_name=self.given_name.data or "",
            family_name=self.family_name.data or "",
            date_of_birth=self.date_of_birth.required_data,
            sex=self.sex.data or "",
            legal_status=self.legal_status.data or "",
            home_postcode=self.home_postcode.data or "",
            also_known_as=_optional_text(self.also_known_as.data),
            ethnicity=_optional_text(self.ethnicity.data),
            nhs_number=_optional_text(self.nhs_number.data),
            uasc="uasc" in flags,
            disability="disability" in flags,
            child_protection_plan="child_protection_plan" in flags,
            ehc_plan_maintained_by=_optional_text(self.ehc_plan_maintained_by.data),
            police_flag="police_flag" in flags,
            risks=_optional_text(self.risks.data),
            social_worker_id=int(social_worker)
            if social_worker and social_worker.isdigit()
            else None,
        )


class MoveForm(FlaskForm):
    # The child's version when the form was first shown: confirming fails with a conflict
    # if anyone changed the record since.
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    start_date = GovDateField("Start date", description="For example, 14 9 2025")
    emergency = BooleanField("This is an emergency placement", widget=GovCheckboxInput())
    placement_type = SelectField(
        "Placement type",
        widget=GovSelect(),
        validate_choice=False,
        description="The 903 placement type (PLACE) for the start date",
        validators=[InputRequired("Choose the placement type")],
    )
    provider = SelectField(
        "Placement provider",
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired("Choose the placement provider")],
    )
    carer_name = StringField(
        "Carer or establishment name",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            InputRequired("Enter the carer's or establishment's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    urn = StringField(
        "Ofsted URN (optional)",
        widget=GovTextInput(),
        filters=STRIP,
        description="The unique reference number of a registered provider, like SC123456",
        validators=[
            Optional(),
            Length(max=10, message="Ofsted URN must be 10 characters or fewer"),
        ],
    )
    address_line_1 = StringField(
        "Address line 1",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            InputRequired("Enter the first line of the address"),
            Length(max=200, message="Address line 1 must be 200 characters or fewer"),
        ],
    )
    address_line_2 = StringField(
        "Address line 2 (optional)",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            Optional(),
            Length(max=200, message="Address line 2 must be 200 characters or fewer"),
        ],
    )
    town = StringField(
        "Town or city",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            InputRequired("Enter the town or city"),
            Length(max=100, message="Town or city must be 100 characters or fewer"),
        ],
    )
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        filters=STRIP,
        description=POSTCODE_HINT,
        validators=[
            InputRequired("Enter the postcode of the placement"),
            Length(max=8, message="Enter a real postcode, like WR5 2NP"),
        ],
    )
    health_body_code = RadioField(
        "Health body where the child is placed",
        widget=GovRadioInput(),
        choices=[],
        validate_choice=False,
        description="This postcode's district is split between health bodies: choose the one "
        "that covers the address",
    )
    telephone = StringField(
        "Telephone (optional)",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            Optional(),
            Length(max=30, message="Telephone must be 30 characters or fewer"),
            Regexp(r"^[0-9 +()-]+$", message="Enter a telephone number, like 01905 765 432"),
        ],
    )
    reason_for_change = SelectField(
        "Reason for the change",
        widget=GovSelect(),
        validate_choice=False,
        description="The 903 reason for the placement change",
        validators=[InputRequired("Choose the reason for the change")],
    )
    previous_end_date = GovDateField(
        "End date of the current placement (optional)",
        required=False,
        description="Leave blank if it ends the day before the new placement starts",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def drop_move_fields(self) -> None:
        """A first placement has no current placement to end and no reason for a change."""
        del self.reason_for_change
        del self.previous_end_date

    def to_details(self) -> PlacementDetails:
        reason = self.reason_for_change.data if "reason_for_change" in self else None
        previous_end = self.previous_end_date.data if "previous_end_date" in self else None
        return PlacementDetails(
            start_date=self.start_date.required_data,
            placement_type=self.placement_type.data or "",
            provider=self.provider.data or "",
            address_line_1=self.address_line_1.data or "",
            postcode=self.postcode.data or "",
            address_line_2=_optional_text(self.address_line_2.data),
            town=_optional_text(self.town.data),
            carer_name=_optional_text(self.carer_name.data),
            urn=_optional_text(self.urn.data),
            telephone=_optional_text(self.telephone.data),
            emergency=bool(self.emergency.data),
            reason_for_change=_optional_text(reason),
            health_body_code=_optional_text(self.health_body_code.data),
            previous_end_date=previous_end,
        )


class EndForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    end_date = GovDateField("End date", description="For example, 30 9 2025")
    end_reason = SelectField(
        "Reason the placement ended",
        widget=GovSelect(),
        validate_choice=False,
        description="The 903 reason episode ceased (REC)",
        validators=[InputRequired("Choose the reason the placement ended")],
    )
    destination = StringField(
        "Where the child went",
        widget=GovTextInput(),
        filters=STRIP,
        description="For example, home to mother in Redditch, or not known",
        validators=[
            InputRequired("Enter where the child went, or 'not known'"),
            Length(max=200, message="Where the child went must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ApprovalForm(FlaskForm):
    level = HiddenField()
    decision = RadioField(
        "Decision",
        widget=GovRadioInput(),
        choices=options(
            [("approved", "Approve the placement"), ("refused", "Refuse the placement")]
        ),
        validators=[InputRequired("Choose whether you approve the placement")],
    )
    area_authority_consulted = BooleanField(
        "The area authority has been consulted", widget=GovCheckboxInput()
    )
    care_plan_sent = BooleanField(
        "The area authority has been sent the care plan", widget=GovCheckboxInput()
    )
    note = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        filters=STRIP,
        description="Why you made this decision, or what must happen next",
        validators=[Optional(), Length(max=2000, message="Note must be 2000 characters or fewer")],
    )
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """The button that carries out a checked plan (a form of its own for the CSRF token)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


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
