"""The chase list's filters: a GET form of GOV.UK selects and date inputs."""

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField, ValidationError

from models.enums import STATUTORY_EVENTS
from notify.dashboard.queries import ChaseFilters, Choices
from notify.labels import EVENT_TITLES
from notify.web.forms import GovDateField, StripWhitespaceForm, options

ANY = "Any"


class ChaseFilterForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    host_authority = SelectField("Placed in (authority)", widget=GovSelect(), default="")
    health_body = SelectField("Placed in (health body area)", widget=GovSelect(), default="")
    team = SelectField("Team", widget=GovSelect(), default="")
    social_worker = SelectField("Social worker", widget=GovSelect(), default="")
    event = SelectField("Notice", widget=GovSelect(), default="")
    sent_from = GovDateField(
        "Sent on or after", required=False, description="For example, 1 4 2026"
    )
    sent_to = GovDateField(
        "Sent on or before", required=False, description="For example, 30 6 2026"
    )

    def __init__(self, formdata: Any, choices: Choices) -> None:
        super().__init__(formdata)
        self.host_authority.choices = options(choices.authorities, ANY)
        self.health_body.choices = options(choices.health_bodies, ANY)
        self.team.choices = options(((t, t) for t in choices.teams), ANY)
        self.social_worker.choices = options(((str(i), n) for i, n in choices.social_workers), ANY)
        self.event.choices = options(((e.value, EVENT_TITLES[e]) for e in STATUTORY_EVENTS), ANY)

    def validate_sent_to(self, field: GovDateField) -> None:
        if field.data and self.sent_from.data and field.data < self.sent_from.data:
            raise ValidationError(
                "‘Sent on or before’ must be the same as or after ‘Sent on or after’"
            )

    def filters(self) -> ChaseFilters:
        """The filters chosen; an answer that failed validation is left out."""

        def good(field: Any) -> Any:
            return None if field.errors else (field.data or None)

        worker = good(self.social_worker)
        return ChaseFilters(
            host_authority=good(self.host_authority),
            health_body=good(self.health_body),
            team=good(self.team),
            social_worker_id=int(worker) if worker and worker.isdigit() else None,
            event=good(self.event),
            sent_from=good(self.sent_from),
            sent_to=good(self.sent_to),
        )
