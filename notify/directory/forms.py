"""Web forms for the directory: search, an authority's or health body's addresses, a contact.

The forms check that answers are present and well formed; the service checks them again
(with the same functions) and owns the rules that need the database.
"""

from typing import Any

from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from notify.directory.service import ContactDetails, api_endpoint_problem, contact_roles
from notify.validation import email_problem
from notify.web.forms import Problem, StripWhitespaceForm, options, text_field


def _endpoint_problem(value: str) -> str | None:
    allowed = bool(current_app.config.get("FEDERATION_ALLOW_LOOPBACK"))
    return api_endpoint_problem(value, allow_loopback=allowed)


class DirectorySearchForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        "Name or code",
        widget=GovTextInput(),
        description="For example, Worcestershire, E10000034, 885 or QGH",
        validators=[Optional(), Length(max=100, message="Search for 100 characters or fewer")],
    )


class EntryForm(StripWhitespaceForm):
    notification_email = StringField(
        "Notification email address",
        widget=GovTextInput(),
        description="The shared inbox that receives placement notices, like "
        "placements@council.gov.uk. Leave it blank if you do not know it yet: notices wait "
        "until you add it.",
        validators=[Optional(), Problem(email_problem)],
    )
    secure_email = BooleanField(
        "Secure email domain (send the full notice)", widget=GovCheckboxInput()
    )
    api_endpoint = StringField(
        "API endpoint (optional)",
        widget=GovTextInput(),
        description="Only if this authority runs Placement Notify too: the https address of "
        "its API, like https://placements.example.gov.uk/api/v1",
        validators=[Optional(), Problem(_endpoint_problem)],
    )
    api_key = PasswordField(
        "API key it issued us (optional)",
        widget=GovPasswordInput(),
        description="The key this authority's Placement Notify gave us, with the inbound:write "
        "scope. Notices to it are then posted to its API instead of emailed. Leave blank to "
        "keep the key already saved; clear the API endpoint to remove both.",
        validators=[Optional(), Length(max=200, message="API key must be 200 characters or fewer")],
    )
    active = BooleanField("Active", widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())


class ContactForm(StripWhitespaceForm):
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        validate_choice=False,  # the service says which roles are allowed
        validators=[InputRequired("Choose the contact's role")],
    )
    name = StringField(
        "Name of the person or team",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the name of the person or team"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    organisation = text_field(
        "Team or service (optional)",
        max_length=200,
        description="For example, Looked After Children's Health Service",
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="Notices to this contact are sent here",
        validators=[
            InputRequired("Enter an email address: notices to this contact are sent to it"),
            Problem(email_problem),
        ],
    )
    phone = StringField(
        "Telephone (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=30, message="Telephone must be 30 characters or fewer"),
            Regexp(r"^[0-9 +()-]+$", message="Enter a telephone number, like 01905 765 432"),
        ],
    )
    submit = SubmitField("Save contact", widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = options(contact_roles())

    def to_details(self) -> ContactDetails:
        return ContactDetails(
            role=self.role.data or "",
            name=self.name.data or "",
            email=self.email.data or "",
            organisation=self.organisation.data or None,
            phone=self.phone.data or None,
        )


class ContactActiveForm(StripWhitespaceForm):
    """The button that deactivates or reactivates a contact (a form for its CSRF token)."""

    submit = SubmitField("Deactivate contact", widget=GovSubmitInput())
