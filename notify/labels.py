"""The titles people read for the vocabulary of models/enums.py (Jinja globals too)."""

from models.enums import Event, RecipientRole

EVENT_TITLES: dict[str, str] = {
    Event.PLACEMENT_START: "Placement start",
    Event.ADDRESS_CHANGE: "Change of address",
    Event.PLACEMENT_END: "Placement end",
    Event.PLACEMENT_WITHDRAWN: "Placement withdrawn",
    Event.SQA_ALERT: "Out-of-area placement",
    Event.REMINDER: "Reminder",
    Event.ESCALATION: "Not acknowledged",
    Event.QUERY: "Query",
    Event.RECONCILIATION: "Reconciliation",
}

ROLE_TITLES: dict[str, str] = {
    "designated_nurse": "Designated nurse for looked-after children",
    RecipientRole.LAC_HEALTH_TEAM: "Looked-after children's health team",
    RecipientRole.VIRTUAL_SCHOOL: "Virtual school",
    RecipientRole.SQA: "Safeguarding quality assurance (SQA) team",
    RecipientRole.SQA_MANAGER: "SQA managers",
    RecipientRole.AREA_AUTHORITY: "Area authority (where placed)",
    RecipientRole.PREVIOUS_AREA_AUTHORITY: "Area authority the child leaves",
    RecipientRole.HOME_HEALTH_BODY: "Health body where the child lives",
    RecipientRole.PLACEMENT_HEALTH_BODY: "Health body where placed",
    RecipientRole.GP: "GP",
    RecipientRole.NEW_GP: "New GP",
    RecipientRole.SCHOOL: "School or education provider",
    RecipientRole.IRO: "Independent reviewing officer",
    RecipientRole.POLICE: "Local police",
    RecipientRole.SOCIAL_WORKER: "Social worker",
    RecipientRole.CHILD: "The child",
    RecipientRole.PARENT: "Parent",
    RecipientRole.CONTACT_ORDER_HOLDER: "Holder of a contact order",
    RecipientRole.PREVIOUS_CARER: "Previous carer",
    RecipientRole.CARER: "Carer",
    RecipientRole.OTHER: "Someone else (recorded, not told)",
}

# ONS writes some names for sorting ("Herefordshire, County of"); people say "Herefordshire".
_ONS_SUFFIXES = (", County of", ", City of")


def place_name(ons_name: str) -> str:
    """The name people use for an authority or district whose ONS name is inverted."""
    for suffix in _ONS_SUFFIXES:
        if ons_name.endswith(suffix):
            return ons_name.removesuffix(suffix)
    return ons_name


SEX = {"M": "Male", "F": "Female", "U": "Not known or indeterminate"}


def event_title(event: str) -> str:
    return EVENT_TITLES.get(event) or event.replace("_", " ").capitalize()


def role_title(role: str) -> str:
    return ROLE_TITLES.get(role) or role.replace("_", " ").capitalize()
