"""What one message says: the `Notice` read from the database, and `render`, which makes it
into a subject, plain text and HTML from templates/emails/."""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app

from models.enums import Division, Event
from models.notifications import notice_reference
from notify.labels import EVENT_TITLES
from notify.notifications.channels.base import OutgoingMessage
from notify.notifications.tokens import acknowledge_url, child_url

Rows = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Section:
    heading: str
    rows: Rows


@dataclass(frozen=True)
class Chased:
    """For a reminder or an escalation: the notification it chases."""

    notification_id: int
    event: Event
    recipient_name: str
    sent_on: date | None
    acknowledge_by: date | None
    # working days past acknowledge-by on the day the reminder or escalation was written,
    # in the original recipient's division; None without bank holidays for those days
    overdue_days: int | None
    reminders_sent: int  # reminders written to date (an escalation lists them)
    child_id: int

    @property
    def reference(self) -> str:
        return notice_reference(self.notification_id)

    @property
    def title(self) -> str:
        return EVENT_TITLES[self.event]


@dataclass(frozen=True)
class Query:
    """For a query: the inbound notice it is about and what we ask."""

    notice_reference: str
    notice_event: Event
    received_on: date
    question: str
    host: str  # our authority, asking
    rows: Rows  # the notice as we read it (names only for a secure domain)

    @property
    def notice_title(self) -> str:
        return EVENT_TITLES[self.notice_event]


@dataclass(frozen=True)
class ReconciledChild:
    initials: str
    child_id: str  # the placing authority's own id
    start_date: date
    place: str  # town and postcode district; the full postcode for a secure domain
    name: str | None = None  # secure domains only
    date_of_birth: date | None = None  # secure domains only


@dataclass(frozen=True)
class Reconciliation:
    """For a reconciliation: the children we believe the recipient still has placed here."""

    host: str
    children: tuple[ReconciledChild, ...]


@dataclass(frozen=True)
class Notice:
    """Everything one message needs, read from the database beforehand."""

    notification_id: int
    event: Event
    address: str
    message_id: str
    recipient_name: str
    case_reference: str
    initials: str
    placing_authority: str
    secure: bool
    division: Division  # whose bank holidays count for its acknowledgement
    sections: tuple[Section, ...] = field(default=())
    chased: Chased | None = None  # reminders and escalations only
    query: Query | None = None  # queries only
    reconciliation: Reconciliation | None = None  # reconciliations only
    # for our own partners: what they need of the placement, with no name in it
    summary: Rows = field(default=())
    child_id: int | None = None

    @property
    def reference(self) -> str:
        return notice_reference(self.notification_id)

    @property
    def title(self) -> str:
        return EVENT_TITLES[self.event]

    @property
    def subject(self) -> str:
        """Event, the child's initials and case reference, and the placing authority: never
        the child's name, which mail systems show and log everywhere."""
        about = f"{self.initials} ({self.case_reference})"
        if self.query is not None:
            return (
                f"Query about your {self.query.notice_title.lower()} notice "
                f"{self.query.notice_reference}: {about}"
            )
        if self.reconciliation is not None:
            count = len(self.reconciliation.children)
            return (
                f"Please confirm: {count} {'child' if count == 1 else 'children'} placed in "
                f"{self.reconciliation.host} by {self.recipient_name}"
            )
        if self.chased is None:
            return f"{self.title}: {about} from {self.placing_authority}"
        if self.event == Event.REMINDER:
            # "Reminder: " and the subject of the notice it chases
            return f"Reminder: {self.chased.title}: {about} from {self.placing_authority}"
        return f"{self.title}: {self.chased.title.lower()} notice for {about}"


def render(notice: Notice) -> OutgoingMessage:
    """The message for one notice, from templates/emails/ (in an app context)."""
    template, link = "notice", acknowledge_url(notice.notification_id)
    if notice.chased is not None and notice.event == Event.REMINDER:
        # acknowledging the reminder means acknowledging the notice it chases
        template, link = "reminder", acknowledge_url(notice.chased.notification_id)
    elif notice.chased is not None:
        template, link = "escalation", child_url(notice.chased.child_id)
    elif notice.query is not None:
        template = "query"
    elif notice.reconciliation is not None:
        template = "reconciliation"
    elif notice.summary and notice.child_id is not None:
        template = "partner"
    context = {
        "notice": notice,
        "chased": notice.chased,
        "query": notice.query,
        "reconciliation": notice.reconciliation,
        "child_link": child_url(notice.child_id) if notice.child_id is not None else None,
        "link": link,
        "long_date": long_date,
    }
    env = current_app.jinja_env
    text = env.get_template(f"emails/{template}.txt").render(context)
    return OutgoingMessage(
        notification_id=notice.notification_id,
        message_id=notice.message_id,
        to=notice.address,
        subject=notice.subject,
        text=text,
        html=env.get_template(f"emails/{template}.html").render(context),
        reference=notice.reference,
        personalisation={"link": link, "reference": notice.reference},
    )


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
