"""Web forms for API keys: a new key, and the confirmation that revokes one."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Regexp

from notify.apikeys.service import API_SCOPES
from notify.web.forms import StripWhitespaceForm, options

SCOPE_LABELS = {
    "inbound:write": "inbound:write – post notices of children placed in our area",
    "notifications:read": "notifications:read – read the notifications we sent them",
    "notifications:ack": "notifications:ack – acknowledge the notifications we sent them",
    "placements:write": "placements:write – our own case-management integration",
}


class NewKeyForm(StripWhitespaceForm):
    name = StringField(
        "What the key is for",
        widget=GovTextInput(),
        description="For example, Nottinghamshire Mosaic integration",
        validators=[
            InputRequired("Enter what the key is for"),
            Length(max=200, message="At most 200 characters"),
        ],
    )
    authority_code = StringField(
        "Authority's ONS code",
        widget=GovTextInput(),
        filters=[lambda value: value.upper() if value else value],
        description="The authority whose system will use the key, like E10000024",
        validators=[
            InputRequired("Enter the authority's ONS code"),
            Regexp(r"^[EWSN][0-9]{8}$", message="Enter an ONS code, like E10000024"),
        ],
    )
    scopes = SelectMultipleField(
        "What the key may do",
        widget=GovCheckboxesInput(),
        choices=options((scope, SCOPE_LABELS[scope]) for scope in API_SCOPES),
        description="Select all that apply",
        validators=[InputRequired("Choose at least one thing the key may do")],
    )
    submit = SubmitField("Create key", widget=GovSubmitInput())


class RevokeForm(StripWhitespaceForm):
    submit = SubmitField("Revoke key", widget=GovSubmitInput())
