"""Web forms for case-system imports: the upload, and the buttons that confirm or discard."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import SubmitField


class UploadForm(FlaskForm):
    header = FileField(
        "903 header file",
        widget=GovFileInput(),
        description="CSV with the columns CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
        validators=[FileRequired("Choose the 903 header file")],
    )
    episodes = FileField(
        "903 episodes file",
        widget=GovFileInput(),
        description="CSV with the columns CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
        "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
        validators=[FileRequired("Choose the 903 episodes file")],
    )
    mapping = FileField(
        "Mapping file (optional)",
        widget=GovFileInput(),
        description="CSV with the columns field,description,code, where the case system writes "
        "descriptions instead of 903 codes",
    )
    submit = SubmitField("Read the extract", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm these changes and send the notices", widget=GovSubmitInput())


class DiscardForm(FlaskForm):
    submit = SubmitField("Discard this import", widget=GovSubmitInput())
