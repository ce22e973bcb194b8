"""Web forms for finding and adding children and recording, ending and approving placements.

The forms check that each answer is present and well formed; the business rules (dates in
order, codes valid for the date, postcodes known) are the service's, whose `InvalidInput`
is put back onto the fields with `add_problems`.
"""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
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
    ValidationError,
)
from wtforms.widgets import HiddenInput

from notify.geography.postcode import PostcodeError, normalise_postcode
from notify.placements.service import REASON_MAX_LENGTH, ChildDetails, PlacementDetails
from notify.placements.withdrawal import WITHDRAWAL_REASON_MISSING
from notify.validation import CASE_REFERENCE_LENGTH, nhs_number_problem
from notify.web.forms import GovDateField, Problem, StripWhitespaceForm, options, text_field

POSTCODE_HINT = "For example, WR5 2NP"


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


def _optional_text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class CaseReferenceForm(StripWhitespaceForm):
    # The child's version when the form was shown: saving over someone else's change fails.
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    case_reference = text_field(
        "Case reference",
        max_length=CASE_REFERENCE_LENGTH,
        required="Enter the case reference",
        description="The child's reference in the case management system",
    )
    submit = SubmitField("Save case reference", widget=GovSubmitInput())


class SearchForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        "Case reference or name",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message="Search for 100 characters or fewer")],
    )


class ChildForm(StripWhitespaceForm):
    case_reference = text_field(
        "Case reference",
        max_length=40,
        required="Enter the case reference",
        description="The child's reference in the case management system",
    )
    given_name = text_field("First name", max_length=100, required="Enter the child's first name")
    family_name = text_field("Last name", max_length=100, required="Enter the child's last name")
    also_known_as = text_field("Also known as (optional)", max_length=200)
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
        description="10 digits, like 943 476 5919",
        validators=[Optional(), Problem(nhs_number_problem)],
    )
    ethnicity = StringField(
        "Ethnicity (optional)",
        widget=GovTextInput(),
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
        description="For example, missing episodes or exploitation: these go in the notices",
        validators=[Optional(), Length(max=2000, message="Risks must be 2000 characters or fewer")],
    )
    submit = SubmitField("Add child", widget=GovSubmitInput())

    def validate_social_worker_id(self, field: SelectField) -> None:
        # Only someone offered (choices are set by the view): a tampered post naming nobody,
        # or a number too big for the column, must not reach the database.
        offered = {getattr(choice, "value", None) for choice in field.choices or []}
        if field.data and field.data not in offered:
            raise ValidationError("Choose a social worker from the list")

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
            social_worker_id=int(social_worker) if social_worker else None,
        )


def shown_postcode(postcode: str | None) -> str:
    """The postcode as the service holds it ("HR1 2HX"), or as typed if it is not one."""
    try:
        return normalise_postcode(postcode)
    except PostcodeError:
        return postcode or ""


class MoveForm(StripWhitespaceForm):
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
    # declared in the order of the page, which the error summary follows
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
    carer_name = StringField(
        "Carer or establishment name",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the carer's or establishment's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    urn = text_field(
        "Ofsted URN (optional)",
        max_length=10,
        description="The unique reference number of a registered provider, like SC123456",
    )
    address_line_1 = text_field(
        "Address line 1", max_length=200, required="Enter the first line of the address"
    )
    address_line_2 = text_field("Address line 2 (optional)", max_length=200)
    town = text_field("Town or city", max_length=100, required="Enter the town or city")
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
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
        validators=[
            Optional(),
            Length(max=30, message="Telephone must be 30 characters or fewer"),
            Regexp(r"^[0-9 +()-]+$", message="Enter a telephone number, like 01905 765 432"),
        ],
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
            postcode=shown_postcode(self.postcode.data),
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


class EndForm(StripWhitespaceForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    end_date = GovDateField("End date", description="For example, 30 9 2025")
    end_reason = SelectField(
        "Reason the placement ended",
        widget=GovSelect(),
        validate_choice=False,
        description="The 903 reason episode ceased (REC)",
        validators=[InputRequired("Choose the reason the placement ended")],
    )
    destination = text_field(
        "Where the child went",
        max_length=200,
        required="Enter where the child went, or 'not known'",
        description="For example, home to mother in Redditch, or not known",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ApprovalForm(StripWhitespaceForm):
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
        description="Why you made this decision, or what must happen next",
        validators=[Optional(), Length(max=2000, message="Note must be 2000 characters or fewer")],
    )
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class ConfirmForm(StripWhitespaceForm):
    """The button that carries out a checked plan (a form of its own for the CSRF token)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ConfirmWithReasonForm(ConfirmForm):
    """Confirming a plan whose notices will be late, or whose end could not be notified in
    advance (reg 14(4)): the service requires the reason then, and the notices carry it."""

    reason = TextAreaField(
        "Why could notice not be given in time?",
        widget=GovTextArea(),
        description="This goes on the notices, for the people they are sent to",
        validators=[
            Optional(),
            Length(
                max=REASON_MAX_LENGTH,
                message=f"Give the reason in at most {REASON_MAX_LENGTH} characters",
            ),
        ],
    )


class WithdrawForm(StripWhitespaceForm):
    """Withdrawing a planned placement: why it will not happen goes on the withdrawal notices."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reason = TextAreaField(
        "Why will the placement not happen?",
        widget=GovTextArea(),
        description="This goes on the withdrawal notices, for the people they are sent to",
        validators=[
            InputRequired(WITHDRAWAL_REASON_MISSING),
            Length(
                max=REASON_MAX_LENGTH,
                message=f"Give the reason in at most {REASON_MAX_LENGTH} characters",
            ),
        ],
    )
    submit = SubmitField("Withdraw the placement", widget=GovSubmitInput())
