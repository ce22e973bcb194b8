"""Web forms: the recipient's confirmation (by link), the record made by hand, a reopening."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from notify.web.forms import (
    NOTE_LENGTH,
    GovDateField,
    StripWhitespaceForm,
    email_field,
    name_field,
    note_field,
    options,
)

HOW = {
    "phone": "By phone",
    "email": "By email",
    "letter": "By letter",
    "in_person": "In person",
}


class AcknowledgeForm(StripWhitespaceForm):
    """What the recipient gives when confirming receipt from the emailed link."""

    name = name_field("Your name", "Enter your name")
    email = email_field("Your email address (optional)")
    note = note_field("Note (optional)", "For example, who in your team is dealing with it")
    submit = SubmitField("Confirm receipt", widget=GovSubmitInput())


class ReadForm(StripWhitespaceForm):
    """The address the notice was sent to, asked before it is shown."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="The address the email with this link was sent to",
        validators=[
            DataRequired("Enter the email address the notice was sent to"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    submit = SubmitField("Read the notice", widget=GovSubmitInput())


class RecordForm(StripWhitespaceForm):
    """An acknowledgement that reached us some other way, recorded by SQA."""

    name = name_field("Who acknowledged it", "Enter the name of the person who acknowledged it")
    email = email_field("Their email address (optional)")
    on = GovDateField("Date it was acknowledged", description="For example, 27 3 2026")
    how = RadioField(
        "How did they acknowledge it?",
        widget=GovRadioInput(),
        choices=options(HOW.items()),
        validators=[InputRequired("Choose how they acknowledged it")],
    )
    note = note_field("Note (optional)", "For example, what they said")
    submit = SubmitField("Record acknowledgement", widget=GovSubmitInput())

    def stored_note(self) -> str:
        """How it came, then the note, as one note (the record has no column for how)."""
        how = HOW[self.how.data or ""]
        return f"{how}: {self.note.data}" if self.note.data else how


class ReopenForm(StripWhitespaceForm):
    reason = TextAreaField(
        "Why are you reopening it?",
        widget=GovTextArea(),
        description="For example, recorded against the wrong notice",
        validators=[
            DataRequired("Enter why you are reopening it"),
            Length(max=NOTE_LENGTH, message=f"Reason must be {NOTE_LENGTH} characters or fewer"),
        ],
    )
    submit = SubmitField("Reopen", widget=GovSubmitInput())
