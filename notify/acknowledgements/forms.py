"""Web forms: the recipient's confirmation (by link), the record made by hand, a reopening."""

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from notify.placements.forms import GovDateField, options

NAME_LENGTH = 200  # the columns' widths
EMAIL_LENGTH = 254
NOTE_LENGTH = 2000
HOW = {
    "phone": "By phone",
    "email": "By email",
    "letter": "By letter",
    "in_person": "In person",
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]


def _name(label: str, error: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            DataRequired(error),  # after stripping: blank is not a name
            Length(max=NAME_LENGTH, message=f"Name must be {NAME_LENGTH} characters or fewer"),
        ],
    )


def _email(label: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            Optional(),
            Length(
                max=EMAIL_LENGTH,
                message=f"Email address must be {EMAIL_LENGTH} characters or fewer",
            ),
            Email("Enter an email address in the correct format, like name@example.gov.uk"),
        ],
    )


def _note(label: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=STRIP,
        description=description,
        validators=[
            Optional(),
            Length(max=NOTE_LENGTH, message=f"Note must be {NOTE_LENGTH} characters or fewer"),
        ],
    )


class AcknowledgeForm(FlaskForm):
    """What the recipient gives when confirming receipt from the emailed link."""

    name = _name("Your name", "Enter your name")
    email = _email("Your email address (optional)")
    note = _note("Note (optional)", "For example, who in your team is dealing with it")
    submit = SubmitField("Confirm receipt", widget=GovSubmitInput())


class RecordForm(FlaskForm):
    """An acknowledgement that reached us some other way, recorded by SQA."""

    name = _name("Who acknowledged it", "Enter the name of the person who acknowledged it")
    email = _email("Their email address (optional)")
    on = GovDateField("Date it was acknowledged", description="For example, 27 3 2026")
    how = RadioField(
        "How did they acknowledge it?",
        widget=GovRadioInput(),
        choices=options(HOW.items()),
        validators=[InputRequired("Choose how they acknowledged it")],
    )
    note = _note("Note (optional)", "For example, what they said")
    submit = SubmitField("Record acknowledgement", widget=GovSubmitInput())

    def stored_note(self) -> str:
        """How it came, then the note, as one note (the record has no column for how)."""
        how = HOW[self.how.data or ""]
        return f"{how}: {self.note.data}" if self.note.data else how


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        "Why are you reopening it?",
        widget=GovTextArea(),
        filters=STRIP,
        description="For example, recorded against the wrong notice",
        validators=[
            DataRequired("Enter why you are reopening it"),
            Length(max=NOTE_LENGTH, message=f"Reason must be {NOTE_LENGTH} characters or fewer"),
        ],
    )
    submit = SubmitField("Reopen", widget=GovSubmitInput())
