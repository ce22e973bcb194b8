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
    # a recorded placement that will not happen, to everyone already sent a notice of it
    PLACEMENT_WITHDRAWN = "placement_withdrawn"
    SQA_ALERT = "sqa_alert"
    # chasing an unacknowledged notification: a reminder to its recipient, or an escalation
    # to our SQA managers; each a notification of its own, pointing at the one it chases
    REMINDER = "reminder"
    ESCALATION = "escalation"
    # inbound: asking a placing authority for what its notice lacks; asking it to confirm
    # the children we believe it still has placed here
    QUERY = "query"
    RECONCILIATION = "reconciliation"


# The statutory events (regs 13 and 14): what the chaser chases and the dashboard counts, and
# the events another authority may notify us of (API.md: notice_type).
STATUTORY_EVENTS = (Event.PLACEMENT_START, Event.ADDRESS_CHANGE, Event.PLACEMENT_END)
NOTICE_TYPES = STATUTORY_EVENTS
# A withdrawal is not chased: it asks nothing of its recipient but to stand down, and the
# chaser, the overdue counts and the acknowledgement lists keep to STATUTORY_EVENTS.
# Notifications about another notification.
CHASE_EVENTS = frozenset({Event.REMINDER, Event.ESCALATION})


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
    # one of the child's people with no reg 13 class (a relative, a youth worker): recorded,
    # never told
    OTHER = "other"


# Our own partners, told of every child placed into our area (DOMAIN.md §1), in the order
# they are written to.
PARTNER_ROLES = (RecipientRole.VIRTUAL_SCHOOL, RecipientRole.LAC_HEALTH_TEAM)


class NotificationStatus(StrEnum):
    PENDING = "pending"
    NEEDS_ADDRESS = "needs_address"
    SENDING = "sending"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"
    CANCELLED = "cancelled"
    # reg 13(3): listed, with who decided and why, and never sent
    WITHHELD = "withheld"


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
SUCCESSION_BODIES = ("authority", "health_body")
SUCCESSION_KINDS = ("whole", "part", "recode")
NATIONS = ("england", "wales", "scotland")
DIVISIONS = tuple(d.value for d in Division)


def check_in(column: str, values: "tuple[str, ...] | type[StrEnum]") -> str:
    """SQL for a CHECK constraint that keeps `column` within `values`."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class ImportStatus(StrEnum):
    """Where a case-system extract is: its report waits for a person, then is confirmed."""

    SEEDED = "seeded"  # the first extract: children and placements recorded, nothing sent
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    HELD_FOR_MANAGER = "held_for_manager"  # more changes than CMS_IMPORT_HOLD_ABOVE
    CONFIRMED = "confirmed"
    DISCARDED = "discarded"


class ChangeKind(StrEnum):
    """What an extract says happened to one of our children, against what we hold."""

    NEW_CHILD = "new_child"
    START = "start"
    MOVE = "move"
    END = "end"
    CORRECTION = "correction"  # a changed postcode with no new episode
    VANISHED = "vanished"  # a placement we hold that the extract no longer shows


class SessionEnd(StrEnum):
    """Why a signed-in session stopped working (web_sessions.end_reason)."""

    SIGNED_OUT = "signed_out"
    # an administrator's "sign this person out everywhere"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
    # signing in starts a session under a new id; the one before it ends
    ROTATED = "rotated"
    IDLE = "idle"
    EXPIRED = "expired"
