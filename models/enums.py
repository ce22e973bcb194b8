"""The one vocabulary: statuses, event types, recipient kinds and roles.

The database enforces each with a CHECK constraint built from these lists.
"""

from enum import StrEnum


class Role(StrEnum):
    SOCIAL_WORKER = "social_worker"
    SQA_OFFICER = "sqa_officer"
    BUSINESS_SUPPORT = "business_support"
    MANAGER = "manager"
    ADMIN = "admin"


class Event(StrEnum):
    PLACEMENT_START = "placement_start"
    ADDRESS_CHANGE = "address_change"
    PLACEMENT_END = "placement_end"
    SQA_ALERT = "sqa_alert"
    # chasing an unacknowledged notification: a reminder to its recipient, or an escalation
    # to our SQA managers; each a notification of its own, pointing at the one it chases
    REMINDER = "reminder"
    ESCALATION = "escalation"
    # inbound: asking a placing authority for what its notice lacks; asking it to confirm
    # the children we believe it still has placed here
    QUERY = "query"
    RECONCILIATION = "reconciliation"


# The events another authority may notify us of (API.md: notice_type).
NOTICE_TYPES = (Event.PLACEMENT_START, Event.ADDRESS_CHANGE, Event.PLACEMENT_END)


class RecipientKind(StrEnum):
    AUTHORITY = "authority"
    HEALTH_BODY = "health_body"
    CONTACT = "contact"
    INTERNAL = "internal"


class RecipientRole(StrEnum):
    """Why a recipient is told: the class of recipient in DOMAIN.md §1."""

    AREA_AUTHORITY = "area_authority"
    PREVIOUS_AREA_AUTHORITY = "previous_area_authority"
    HOME_HEALTH_BODY = "home_health_body"
    PLACEMENT_HEALTH_BODY = "placement_health_body"
    GP = "gp"
    NEW_GP = "new_gp"
    SCHOOL = "school"
    IRO = "iro"
    POLICE = "police"
    SQA = "sqa"
    SQA_MANAGER = "sqa_manager"
    VIRTUAL_SCHOOL = "virtual_school"
    LAC_HEALTH_TEAM = "lac_health_team"
    SOCIAL_WORKER = "social_worker"
    CHILD = "child"
    PARENT = "parent"
    CONTACT_ORDER_HOLDER = "contact_order_holder"
    PREVIOUS_CARER = "previous_carer"
    CARER = "carer"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    NEEDS_ADDRESS = "needs_address"
    SENDING = "sending"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"
    CANCELLED = "cancelled"


class InboundStatus(StrEnum):
    """Where an inbound notice is on the business-support triage queue."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    QUERIED = "queried"
    REJECTED = "rejected"


class Channel(StrEnum):
    EMAIL = "email"
    API = "api"
    INTERNAL = "internal"


class AckVia(StrEnum):
    LINK = "link"
    API = "api"
    MANUAL = "manual"


class ApprovalLevel(StrEnum):
    NOMINATED_OFFICER = "nominated_officer"
    DIRECTOR = "director"


class Division(StrEnum):
    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"


AUTHORITY_KINDS = (
    "county",
    "unitary",
    "metropolitan_district",
    "london_borough",
    "city_of_london",
    "welsh_council",
    "scottish_council",
)
HEALTH_BODY_KINDS = ("icb", "lhb", "hb")
NATIONS = ("england", "wales", "scotland")
DIVISIONS = tuple(d.value for d in Division)


def check_in(column: str, values: "tuple[str, ...] | type[StrEnum]") -> str:
    """SQL for a CHECK constraint that keeps `column` within `values`."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
