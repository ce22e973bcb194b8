"""The web form for one of the child's people. The form checks presence and shape; the
service (notify.placements.people) checks the rest, put back with `add_problems`."""

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from models import Contact
from models.enums import RecipientRole
from notify.placements.people import PersonDetails, PostalAddress, WithholdDecision
from notify.web.forms import GovDateField, StripWhitespaceForm, email_field, options

ROLE_CHOICES = options(
    [
        (RecipientRole.PARENT.value, "Parent"),
        (RecipientRole.CONTACT_ORDER_HOLDER.value, "Person allowed contact (s34 or s8 order)"),
        (RecipientRole.CARER.value, "Carer now (the person the child lives with)"),
        (RecipientRole.CHILD.value, "The child"),
        (RecipientRole.GP.value, "GP"),
        (RecipientRole.SCHOOL.value, "School or education provider"),
        (RecipientRole.IRO.value, "Independent reviewing officer"),
        (RecipientRole.POLICE.value, "Local police"),
        (RecipientRole.OTHER.value, "Someone else (recorded, not told)"),
    ],
    "Choose…",
)


def _text(label: str, max_length: int, *, required: str | None = None) -> StringField:
    first = InputRequired(required) if required else Optional()
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            first,
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
    )


class PersonForm(StripWhitespaceForm):
    role = SelectField(
        "Who they are to the child",
        widget=GovSelect(),
        choices=ROLE_CHOICES,
        validators=[InputRequired("Choose who they are to the child")],
    )
    name = _text("Name", 200, required="Enter their name")
    organisation = _text("Organisation (optional)", 200)
    email = email_field("Email address (optional)")
    phone = _text("Telephone (optional)", 30)
    address_line_1 = _text("Address line 1 (optional)", 200)
    address_line_2 = _text("Address line 2 (optional)", 200)
    town = _text("Town or city (optional)", 100)
    postcode = _text("Postcode (optional)", 10)
    withhold = BooleanField(
        "Do not tell this person: telling them would put the child at risk of significant "
        "harm (reg 13(3))",
        widget=GovCheckboxInput(),
    )
    withhold_reason = TextAreaField(
        "Why telling them would put the child at risk",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=4000, message="At most 4000 characters")],
    )
    withhold_decided_by = _text("Who decided", 200)
    withhold_decided_on = GovDateField("Date of the decision", required=False)
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.withhold.data:
            # the decision is recorded in full, or not at all
            for field, message in (
                (self.withhold_reason, "Enter why telling them would put the child at risk"),
                (self.withhold_decided_by, "Enter who decided"),
                (self.withhold_decided_on, "Enter the date of the decision"),
            ):
                if not field.data and not field.errors:
                    field.errors = [*field.errors, message]
                    valid = False
        return valid

    def to_details(self) -> PersonDetails:
        address = None
        if self.address_line_1.data or self.postcode.data:
            address = PostalAddress(
                line_1=self.address_line_1.data or "",
                line_2=self.address_line_2.data or None,
                town=self.town.data or None,
                postcode=self.postcode.data or "",
            )
        withhold = None
        if self.withhold.data:
            withhold = WithholdDecision(
                reason=self.withhold_reason.data,
                decided_by=self.withhold_decided_by.data,
                decided_on=self.withhold_decided_on.required_data,
            )
        return PersonDetails(
            role=self.role.data,
            name=self.name.data,
            organisation=self.organisation.data or None,
            email=self.email.data or None,
            phone=self.phone.data or None,
            address=address,
            withhold=withhold,
        )

    @classmethod
    def of(cls, person: Contact) -> "PersonForm":
        return cls(
            data={
                "role": person.role,
                "name": person.name,
                "organisation": person.organisation,
                "email": person.email,
                "phone": person.phone,
                "address_line_1": person.address_line_1,
                "address_line_2": person.address_line_2,
                "town": person.town,
                "postcode": person.postcode,
                "withhold": person.withheld,
                "withhold_reason": person.withhold_reason,
                "withhold_decided_by": person.withhold_decided_by,
                "withhold_decided_on": person.withhold_decided_on,
            }
        )


class EndPersonForm(StripWhitespaceForm):
    submit = SubmitField(
        "Yes, they are no longer one of the child’s people", widget=GovSubmitInput()
    )
