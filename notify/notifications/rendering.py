"""A notification made into a message: subject, plain text and HTML, and the signed link at
which its recipient acknowledges it.

A recipient on a secure email domain (a directory setting) gets the notice in full
(DOMAIN.md §4); anyone else only our reference and the link. `load_notices` reads what a
batch of notifications needs in a few queries; `render` turns one into a message.

Reminders and escalations (notify/chasing) are messages about another notification: a reminder
goes to that notification's recipient and links to *its* acknowledgement page; an escalation
goes to our SQA managers and links to the child's page in the service.

Inbound (notify/register): a query asks a placing authority for what its notice lacks; a
reconciliation lists the children we believe it still has placed here; our own partners
(virtual school, looked-after children's health team) get a summary of each child placed here
and a link to the child's page. None of these carries a child's name unless the recipient's
domain is secure.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from models import (
    Authority,
    Child,
    Contact,
    HealthBody,
    InboundNotice,
    Notification,
    Placement,
    User,
)
from models.enums import Division, Event, NotificationStatus, RecipientKind, RecipientRole
from notify import codes
from notify.calendar import CalendarRangeError
from notify.notifications.calendars import division_of_nation, working_day_calendars
from notify.notifications.channels.base import OutgoingMessage

EVENT_TITLES: dict[str, str] = {
    Event.PLACEMENT_START: "Placement start",
    Event.ADDRESS_CHANGE: "Change of address",
    Event.PLACEMENT_END: "Placement end",
    Event.SQA_ALERT: "Out-of-area placement",
    Event.REMINDER: "Reminder",
    Event.ESCALATION: "Not acknowledged",
    Event.QUERY: "Query",
    Event.RECONCILIATION: "Reconciliation",
}
PARTNER_ROLES = frozenset({RecipientRole.VIRTUAL_SCHOOL, RecipientRole.LAC_HEALTH_TEAM})
CHASES = frozenset({Event.REMINDER, Event.ESCALATION})
UK = ZoneInfo("Europe/London")  # the day a notice was sent, as its recipient saw it
_SEX = {"M": "Male", "F": "Female", "U": "Not known or indeterminate"}
_TOKEN_SALT = "acknowledge"

Rows = tuple[tuple[str, str], ...]


# --- the acknowledgement link ----------------------------------------------------------------


class InvalidAcknowledgeToken(ValueError):
    """A link that is not ours, was altered, or has expired (`expired`)."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_TOKEN_SALT)


def acknowledge_token(notification_id: int) -> str:
    """A signed, timestamped token naming one notification, for its acknowledgement link."""
    return _serializer().dumps(notification_id)


def read_acknowledge_token(token: str, max_age: int | timedelta) -> int:
    """The notification id in `token`; InvalidAcknowledgeToken if it is forged, altered or
    older than `max_age` (seconds, or a timedelta)."""
    seconds = int(max_age.total_seconds()) if isinstance(max_age, timedelta) else max_age
    try:
        value = _serializer().loads(token, max_age=seconds)
    except SignatureExpired as exc:
        raise InvalidAcknowledgeToken("This link has expired", expired=True) from exc
    except BadSignature as exc:
        raise InvalidAcknowledgeToken("This link is not valid") from exc
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidAcknowledgeToken("This link is not valid")
    return value


def acknowledge_url(notification_id: int) -> str:
    return f"{current_app.config['BASE_URL']}/acknowledge/{acknowledge_token(notification_id)}"


def child_url(child_id: int) -> str:
    """The child's page in the service (placements.child_page): sign-in needed."""
    return f"{current_app.config['BASE_URL']}/children/{child_id}"


# --- what a notice says ----------------------------------------------------------------------


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
        return f"PN-{self.notification_id}"

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
        return f"PN-{self.notification_id}"

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
        "long_date": _date,
        "acknowledge_within": current_app.config.get("ACKNOWLEDGE_WITHIN_WORKING_DAYS", 5),
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


def render_notification(session: Session, notification_id: int) -> OutgoingMessage:
    """The message for one notification."""
    notice = load_notices(session, [notification_id])[notification_id]
    if isinstance(notice, Exception):
        raise notice
    return render(notice)


# --- reading a batch -------------------------------------------------------------------------


def load_notices(
    session: Session, notification_ids: Iterable[int]
) -> dict[int, Notice | Exception]:
    """The notices for these notifications, read in a few queries. A notification whose notice
    cannot be made maps to the error, so one bad row does not hold up the others."""
    notifications = session.scalars(
        select(Notification)
        .where(Notification.id.in_(list(notification_ids)))
        .options(
            selectinload(Notification.placement),
            selectinload(Notification.child).selectinload(Child.contacts),
            selectinload(Notification.child).selectinload(Child.placements),
            selectinload(Notification.reminder_of),
        )
    ).all()
    originals = [n.reminder_of for n in notifications if n.reminder_of is not None]
    inbound = _Inbound(session, notifications)
    directory = _Directory(session, [*notifications, *originals], inbound.authority_codes)
    chases = _Chases(session, notifications, directory) if originals else None
    notices: dict[int, Notice | Exception] = {}
    for notification in notifications:
        try:
            notices[notification.id] = _notice(notification, directory, chases, inbound)
        except SQLAlchemyError:
            raise  # the database, not this notice
        except Exception as exc:
            notices[notification.id] = exc
    return notices


class _Directory:
    """The authorities, health bodies, contacts and social workers a batch refers to."""

    def __init__(
        self,
        session: Session,
        notifications: Iterable[Notification],
        more_authorities: Iterable[str] = (),
    ) -> None:
        authority_codes: set[str] = set(more_authorities)
        body_codes: set[str] = set()
        contact_ids: set[int] = set()
        user_ids: set[int] = set()
        for n in notifications:
            if n.child is not None:
                authority_codes.add(n.child.responsible_authority_code)
                if n.child.ehc_plan_maintained_by:
                    authority_codes.add(n.child.ehc_plan_maintained_by)
                if n.child.social_worker_id:
                    user_ids.add(n.child.social_worker_id)
            if n.recipient_code is None:
                continue
            if n.recipient_kind == RecipientKind.AUTHORITY:
                authority_codes.add(n.recipient_code)
            elif n.recipient_kind == RecipientKind.HEALTH_BODY:
                body_codes.add(n.recipient_code)
            elif n.recipient_code.isdigit():
                contact_ids.add(int(n.recipient_code))
        self.contacts: dict[int, Contact] = {}
        if contact_ids:
            contacts = session.scalars(select(Contact).where(Contact.id.in_(contact_ids)))
            self.contacts = {c.id: c for c in contacts}
        for contact in self.contacts.values():
            if contact.authority_code:
                authority_codes.add(contact.authority_code)
            if contact.health_body_code:
                body_codes.add(contact.health_body_code)
        self.authorities: dict[str, Authority] = {}
        if authority_codes:
            authorities = session.scalars(
                select(Authority).where(Authority.code.in_(authority_codes))
            )
            self.authorities = {a.code: a for a in authorities}
        self.health_bodies: dict[str, HealthBody] = {}
        if body_codes:
            bodies = session.scalars(select(HealthBody).where(HealthBody.code.in_(body_codes)))
            self.health_bodies = {b.code: b for b in bodies}
        self.users: dict[int, User] = {}
        if user_ids:
            self.users = {
                u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))
            }

    def secure(self, notification: Notification) -> bool:
        """Whether the recipient's mail domain is marked secure. Named contacts and our own
        teams are not: their addresses are not vetted."""
        code = notification.recipient_code
        body: Authority | HealthBody | None = None
        if notification.recipient_kind == RecipientKind.AUTHORITY and code:
            body = self.authorities.get(code)
        elif notification.recipient_kind == RecipientKind.HEALTH_BODY and code:
            body = self.health_bodies.get(code)
        return bool(body and body.secure_email)

    def division(self, notification: Notification) -> Division:
        """Scotland for Scottish councils and health boards (and people there); otherwise
        England and Wales."""
        kind, code = notification.recipient_kind, notification.recipient_code
        authority_code = body_code = None
        if kind == RecipientKind.AUTHORITY:
            authority_code = code
        elif kind == RecipientKind.HEALTH_BODY:
            body_code = code
        elif code and code.isdigit() and (contact := self.contacts.get(int(code))):
            authority_code, body_code = contact.authority_code, contact.health_body_code
        if authority_code and (authority := self.authorities.get(authority_code)):
            return division_of_nation(authority.nation)
        if body_code and (body := self.health_bodies.get(body_code)) and body.kind == "hb":
            return Division.SCOTLAND  # NHS Scotland's health boards
        return Division.ENGLAND_AND_WALES

    def authority_name(self, code: str) -> str:
        authority = self.authorities.get(code)
        return authority.name if authority else code


def recipient_divisions(
    session: Session, notifications: Iterable[Notification]
) -> dict[int, Division]:
    """Whose bank holidays count for each notification's recipient (its working-day clock)."""
    batch = list(notifications)
    directory = _Directory(session, batch)  # divisions need only the recipients
    return {n.id: directory.division(n) for n in batch}


class _Chases:
    """What the reminders and escalations of a batch say about the notifications they chase."""

    def __init__(
        self, session: Session, notifications: Iterable[Notification], directory: _Directory
    ) -> None:
        self.directory = directory
        self.calendars = working_day_calendars(session)
        escalated = [
            n.reminder_of_id
            for n in notifications
            if n.event == Event.ESCALATION and n.reminder_of_id is not None
        ]
        self.reminders: dict[int, int] = {}
        if escalated:
            counted = session.execute(
                select(Notification.reminder_of_id, func.count())
                .where(
                    Notification.reminder_of_id.in_(escalated),
                    Notification.event == Event.REMINDER,
                    Notification.status != NotificationStatus.CANCELLED,
                )
                .group_by(Notification.reminder_of_id)
            )
            self.reminders = {
                original_id: count for original_id, count in counted if original_id is not None
            }

    def chased(self, notification: Notification) -> Chased:
        original = notification.reminder_of
        assert original is not None
        overdue = None
        if original.acknowledge_by is not None:
            calendar = self.calendars[self.directory.division(original)]
            try:
                overdue = calendar.count(original.acknowledge_by, notification.send_by)
            except CalendarRangeError:
                overdue = None
        assert original.child_id is not None  # only notices about a child are chased
        return Chased(
            notification_id=original.id,
            event=Event(original.event),
            recipient_name=original.recipient_name,
            sent_on=original.sent_at.astimezone(UK).date() if original.sent_at else None,
            acknowledge_by=original.acknowledge_by,
            overdue_days=overdue,
            reminders_sent=self.reminders.get(original.id, 0),
            child_id=original.child_id,
        )


class _Inbound:
    """What a batch's queries and reconciliations say: the inbound notices queried, and the
    children each placing authority asked to reconcile has placed here now."""

    def __init__(self, session: Session, notifications: Iterable[Notification]) -> None:
        batch = list(notifications)
        self.home = str(current_app.config["HOME_AUTHORITY"])
        queried = {
            n.inbound_notice_id
            for n in batch
            if n.event == Event.QUERY and n.inbound_notice_id is not None
        }
        self.notices: dict[int, InboundNotice] = {}
        if queried:
            self.notices = {
                notice.id: notice
                for notice in session.scalars(
                    select(InboundNotice).where(InboundNotice.id.in_(queried))
                )
            }
        placing = {
            n.recipient_code
            for n in batch
            if n.event == Event.RECONCILIATION and n.recipient_code is not None
        }
        self.children: dict[str, list[tuple[Child, Placement]]] = {}
        if placing:
            # the list as it stands when the message is made: what we believe on sending
            today = datetime.now(UK).date()
            rows = session.execute(
                select(Child, Placement)
                .join(Placement, Placement.child_id == Child.id)
                .where(
                    Child.responsible_authority_code.in_(placing),
                    Placement.host_authority_code == self.home,
                    or_(Placement.end_date.is_(None), Placement.end_date >= today),
                )
                .order_by(Placement.start_date, Child.case_reference, Child.id)
            ).all()
            for child, placement in rows:
                self.children.setdefault(child.responsible_authority_code, []).append(
                    (child, placement)
                )
        self.authority_codes = (
            {self.home} | placing | {n.placing_authority_code for n in self.notices.values()}
        )

    def notice(self, notification: Notification, directory: _Directory) -> Notice:
        secure = directory.secure(notification)
        host = directory.authority_name(self.home)
        common: dict[str, Any] = {
            "notification_id": notification.id,
            "event": Event(notification.event),
            "address": notification.address,
            "message_id": notification.message_id,
            "recipient_name": notification.recipient_name,
            "secure": secure,
            "division": directory.division(notification),
        }
        if notification.event == Event.QUERY:
            inbound = self.notices.get(notification.inbound_notice_id or 0)
            if inbound is None:
                raise ValueError("The query names no inbound notice")
            child = inbound.payload.get("child") or {}
            return Notice(
                **common,
                case_reference=str(child.get("placing_authority_child_id") or ""),
                initials=_initials(child),
                placing_authority=directory.authority_name(inbound.placing_authority_code),
                query=Query(
                    notice_reference=inbound.reference,
                    notice_event=Event(inbound.notice_type),
                    received_on=inbound.received_at.astimezone(UK).date(),
                    question=inbound.decision_note or "",
                    host=host,
                    rows=_query_rows(inbound.payload, secure),
                ),
            )
        code = notification.recipient_code or ""
        return Notice(
            **common,
            case_reference="",
            initials="",
            placing_authority=directory.authority_name(code),
            reconciliation=Reconciliation(
                host=host,
                children=tuple(
                    _reconciled(child, placement, secure)
                    for child, placement in self.children.get(code, [])
                ),
            ),
        )


def _initials(child: dict[str, object]) -> str:
    given, family = str(child.get("given_name") or " "), str(child.get("family_name") or " ")
    return f"{given[:1]}{family[:1]}".strip().upper()


def _district(postcode: str | None) -> str:
    """The outward code ("WR5" of "WR5 3AA"): where, without the street."""
    return (postcode or "").split(" ")[0]


def _query_rows(payload: dict[str, object], secure: bool) -> Rows:
    child: dict = payload.get("child") or {}  # type: ignore[assignment]
    placement: dict = payload.get("placement") or {}  # type: ignore[assignment]
    address: dict = placement.get("address") or {}
    rows = [
        (
            "Child",
            f"{child.get('given_name', '')} {child.get('family_name', '')}".strip()
            if secure
            else _initials(child),
        ),
        ("Your id for the child", str(child.get("placing_authority_child_id") or "")),
    ]
    if secure and child.get("date_of_birth"):
        rows.append(("Date of birth", _date(date.fromisoformat(str(child["date_of_birth"])))))
    if placement.get("start_date"):
        rows.append(("Placement start", _date(date.fromisoformat(str(placement["start_date"])))))
    if secure:
        parts = [address.get(k) for k in ("line_1", "line_2", "town", "postcode")]
        rows.append(("Placement address", ", ".join(str(x) for x in parts if x)))
    else:
        where = [address.get("town"), _district(address.get("postcode"))]
        rows.append(("Placed in", ", ".join(str(x) for x in where if x)))
    return tuple(rows)


def _reconciled(child: Child, placement: Placement, secure: bool) -> ReconciledChild:
    town = placement.town or ""
    return ReconciledChild(
        initials=child.initials,
        child_id=child.case_reference,
        start_date=placement.start_date,
        place=", ".join(
            x for x in (town, placement.postcode if secure else _district(placement.postcode)) if x
        ),
        name=f"{child.given_name} {child.family_name}" if secure else None,
        date_of_birth=child.date_of_birth if secure else None,
    )


def _for_partner(notification: Notification) -> bool:
    return (
        notification.recipient_kind == RecipientKind.INTERNAL
        and notification.recipient_role in PARTNER_ROLES
        and notification.event not in CHASES
        and notification.placement is not None
    )


def _partner_rows(notification: Notification, child: Child, placing: str) -> Rows:
    """What our virtual school or health team needs to pick the child up: no name, no date
    of birth (their addresses are not vetted); the rest is on the child's page."""
    placement: Placement = notification.placement
    today = datetime.now(UK).date()
    age = (
        today.year
        - child.date_of_birth.year
        - ((today.month, today.day) < (child.date_of_birth.month, child.date_of_birth.day))
    )
    contacts = {c.role: c for c in child.contacts if c.active}
    rows = [
        ("Placing authority", placing),
        ("Their id for the child", child.case_reference),
        ("Initials", child.initials),
        ("Age", f"{age}"),
        ("Legal status", _described("LS", child.legal_status)),
        ("Placement start", _date(placement.start_date)),
        ("Placement type", _described("PLACE", placement.placement_type)),
        ("Placed in", ", ".join(x for x in (placement.town, _district(placement.postcode)) if x)),
    ]
    if notification.event == Event.PLACEMENT_END:
        rows.append(
            ("Placement ended", _date(placement.end_date) if placement.end_date else "Not recorded")
        )
        rows.append(
            (
                "Reason it ended",
                _described("REC", placement.end_reason) if placement.end_reason else "Not recorded",
            )
        )
    if notification.recipient_role == RecipientRole.VIRTUAL_SCHOOL:
        rows.append(("School or education provider", _contact(contacts.get(RecipientRole.SCHOOL))))
        rows.append(("EHC plan", "Yes" if child.ehc_plan_maintained_by else "No"))
    else:
        rows.append(("GP", _contact(contacts.get(RecipientRole.GP))))
    return tuple(rows)


def _notice(
    notification: Notification,
    directory: _Directory,
    chases: _Chases | None = None,
    inbound: "_Inbound | None" = None,
) -> Notice:
    if not notification.address:
        raise ValueError("The notification has no address")
    if notification.event in (Event.QUERY, Event.RECONCILIATION):
        if inbound is None:
            raise ValueError(f"The {notification.event} needs the inbound notices read")
        return inbound.notice(notification, directory)
    child = notification.child
    if child is None:
        raise ValueError("The notification names no child")
    placing = directory.authority_name(child.responsible_authority_code)
    secure = directory.secure(notification)
    chased = None
    if notification.event in CHASES:
        if chases is None or notification.reminder_of is None:
            raise ValueError(f"The {notification.event} names no notification it chases")
        chased = chases.chased(notification)
    return Notice(
        notification_id=notification.id,
        event=Event(notification.event),
        address=notification.address,
        message_id=notification.message_id,
        recipient_name=notification.recipient_name,
        case_reference=child.case_reference,
        initials=child.initials,
        placing_authority=placing,
        secure=secure,
        division=directory.division(notification),
        sections=_sections(notification, child, placing, directory) if secure else (),
        chased=chased,
        summary=_partner_rows(notification, child, placing) if _for_partner(notification) else (),
        child_id=child.id,
    )


# --- the notice in full (DOMAIN.md §4) -------------------------------------------------------


def _sections(
    notification: Notification, child: Child, placing: str, directory: _Directory
) -> tuple[Section, ...]:
    placement: Placement = notification.placement
    contacts = {c.role: c for c in child.contacts if c.active}
    sections = [
        Section("The child", _child_rows(child, directory)),
        Section("Placing authority", _authority_rows(child, placing, contacts, directory)),
    ]
    # a reminder repeats the notice it chases
    event = notification.reminder_of.event if notification.reminder_of else notification.event
    if event == Event.PLACEMENT_END:
        sections.append(Section("The placement that ended", _ended_rows(placement)))
    else:
        sections.append(Section("The placement", _placement_rows(placement)))
        earlier = [p for p in child.placements if p.start_date < placement.start_date]
        previous = max(earlier, key=lambda p: p.start_date) if earlier else None
        sections.append(
            Section(
                "Previous placement", (("Address", _address(previous) if previous else "None"),)
            )
        )
    sections.append(
        Section(
            "School and health",
            (
                ("School or education provider", _contact(contacts.get(RecipientRole.SCHOOL))),
                ("GP", _contact(contacts.get(RecipientRole.GP))),
                ("New GP", _contact(contacts.get(RecipientRole.NEW_GP))),
            ),
        )
    )
    sections.append(
        Section("Risks and vulnerabilities", (("Recorded risks", child.risks or "None recorded"),))
    )
    return tuple(sections)


def _child_rows(child: Child, directory: _Directory) -> Rows:
    ehc = "No"
    if child.ehc_plan_maintained_by:
        ehc = f"Yes, maintained by {directory.authority_name(child.ehc_plan_maintained_by)}"
    return (
        ("Name", f"{child.given_name} {child.family_name}"),
        ("Also known as", child.also_known_as or "None"),
        ("Date of birth", _date(child.date_of_birth)),
        ("Sex", _SEX.get(child.sex, child.sex)),
        ("NHS number", _nhs_number(child.nhs_number)),
        ("Legal status", _described("LS", child.legal_status)),
        ("Child protection plan", _yes_no(child.child_protection_plan)),
        ("Education, health and care plan", ehc),
        ("Unaccompanied asylum-seeking child", _yes_no(child.uasc)),
        ("Our case reference", child.case_reference),
    )


def _authority_rows(
    child: Child, placing: str, contacts: dict[str, Contact], directory: _Directory
) -> Rows:
    worker = directory.users.get(child.social_worker_id) if child.social_worker_id else None
    rows = [
        ("Placing authority", placing),
        ("Social worker", f"{worker.name}, {worker.email}" if worker else "Not recorded"),
        ("Independent reviewing officer", _contact(contacts.get(RecipientRole.IRO))),
    ]
    out_of_hours = current_app.config.get("OUT_OF_HOURS_PHONE")
    if out_of_hours:
        rows.append(("Out-of-hours number", out_of_hours))
    return tuple(rows)


def _placement_rows(placement: Placement) -> Rows:
    reason = placement.reason_for_change
    return (
        ("Start date", _date(placement.start_date)),
        ("Placement type", _described("PLACE", placement.placement_type)),
        ("Placement provider", _described("PLACE_PROVIDER", placement.provider)),
        ("Carer or establishment", placement.carer_name or "Not recorded"),
        ("Ofsted URN", placement.urn or "None"),
        ("Address", _address(placement)),
        ("Telephone", placement.telephone or "Not recorded"),
        ("Emergency placement", _yes_no(placement.emergency)),
        (
            "Reason for the change",
            _described("REASON_PLACE_CHANGE", reason) if reason else "Not recorded",
        ),
    )


def _ended_rows(placement: Placement) -> Rows:
    return (
        ("Address", _address(placement)),
        ("Carer or establishment", placement.carer_name or "Not recorded"),
        ("Start date", _date(placement.start_date)),
        ("End date", _date(placement.end_date) if placement.end_date else "Not recorded"),
        (
            "Reason it ended",
            _described("REC", placement.end_reason) if placement.end_reason else "Not recorded",
        ),
        ("Where the child went", placement.destination or "Not recorded"),
    )


def _address(placement: Placement) -> str:
    parts = [placement.address_line_1, placement.address_line_2, placement.town, placement.postcode]
    return ", ".join(p for p in parts if p)


def _contact(contact: Contact | None) -> str:
    if contact is None:
        return "Not recorded"
    return ", ".join(
        d for d in (contact.name, contact.organisation, contact.email, contact.phone) if d
    )


def _described(list_name: str, code: str) -> str:
    try:
        return f"{code}: {codes.describe(list_name, code)}"
    except codes.UnknownCode:
        return code


def _nhs_number(number: str | None) -> str:
    if not number:
        return "Not held"
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else number


def _date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"
