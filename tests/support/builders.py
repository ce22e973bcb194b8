"""Builders for the tests: plain functions with realistic defaults, each making one thing
(`create_child(session, **overrides)`, `create_placement(...)`, ...). Rows go through the
app's own services where it has one, so a test's data is data the app could have made.

Builders flush and leave the commit to the test (or the code under test), except those
that stand for work done earlier elsewhere (a notice delivered, a reminder written by the
chaser, an API key issued): they commit, so a request that rolls back its own work keeps them.
"""

import json
import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from hashlib import sha256
from itertools import count
from typing import Any

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models import (
    Approval,
    Authority,
    Child,
    Contact,
    HealthBody,
    InboundNotice,
    Notification,
    Placement,
    User,
)
from models.base import utcnow
from models.enums import Event, NotificationStatus, RecipientRole
from notify.apikeys.service import create_api_key
from notify.auth import service as accounts
from notify.calendar import today_uk
from notify.notifications import outbox
from notify.notifications.channels.base import OutgoingMessage
from notify.notifications.chasing import ChaseSettings
from notify.placements.service import (
    ChildDetails,
    PlacementDetails,
    record_child,
    record_placement,
)

HOME = "E10000034"  # Worcestershire, HOME_AUTHORITY's default
BIRMINGHAM = "E08000025"  # adjoins Worcestershire
NOTTINGHAMSHIRE = "E10000024"  # does not
HEREFORDSHIRE, HW_ICB = "E06000019", "E54000019"  # Herefordshire and Worcestershire ICB
EDINBURGH = "S12000036"
HEREFORD = "HR1 1AA"  # a postcode in Herefordshire
# A Friday before St Andrew's Day (Monday 30 November 2026), a bank holiday in Scotland only.
FRIDAY_BEFORE_ST_ANDREWS = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
TODAY = today_uk()
SIGN_IN_PASSWORD = "a long enough password"

_serial = count(1)


# --- Children and placements ------------------------------------------------------------------


def create_child(session: Session, *, placed_at: str | None = None, **over: Any) -> Child:
    """One of our children, aged eleven; with `placed_at`, placed at that postcode since six
    months ago."""
    fields: dict[str, Any] = {
        "case_reference": f"WCF-T{next(_serial):06d}",
        "given_name": "Jordan",
        "family_name": "Example",
        "date_of_birth": TODAY - timedelta(days=365 * 11),
        "sex": "F",
        "legal_status": "C2",
        "home_postcode": "WR1 2AA",
    }
    fields.update(over)
    child = record_child(session, ChildDetails(**fields), HOME, TODAY)
    if placed_at:
        create_placement(session, child, placed_at, start_date=TODAY - timedelta(days=180))
    return child


# Why a placement recorded after it began (the builders' history) was notified late.
RECORDED_AFTER = "Recorded after the placement began, when the case file was brought up to date"


def placement_details(postcode: str = "WR5 3AA", **over: Any) -> PlacementDetails:
    """A planned foster placement starting next week."""
    fields: dict[str, Any] = {
        "start_date": TODAY + timedelta(days=7),
        "placement_type": "U6",
        "provider": "PR4",
        "address_line_1": "1 Example Road",
        "postcode": postcode,
        "carer_name": "Mr and Mrs Carer",
    }
    fields.update(over)
    return PlacementDetails(**fields)


def create_placement(
    session: Session, child: Child, postcode: str = "WR5 3AA", **over: Any
) -> Placement:
    """`child` placed at `postcode` (through the placement service, notices and all). One
    recorded on or after its start gives the reason its notices are late."""
    if over.get("start_date", TODAY + timedelta(days=7)) <= TODAY:
        over.setdefault("late_reason", RECORDED_AFTER)
    return record_placement(
        session,
        child,
        placement_details(postcode, **over),
        expected_version=child.version,
        actor_id=None,
        today=TODAY,
    ).placement


def create_contact(session: Session, child: Child, role: str, **over: Any) -> Contact:
    contact = Contact(
        child=child,
        role=role,
        name=over.pop("name", f"The {role}"),
        email=over.pop("email", f"{role}@contacts.example"),
        **over,
    )
    session.add(contact)
    session.flush()
    return contact


# --- The directory ----------------------------------------------------------------------------


def give_addresses(session: Session, *codes: str) -> None:
    """Give authorities and health bodies a notification address, as the directory would."""
    for code in codes:
        body = session.get(Authority, code) or session.get(HealthBody, code)
        assert body is not None, code
        body.notification_email = f"placements@{code.lower()}.example"


def give_every_body_an_address(session: Session, secure: bool = False) -> None:
    """Every authority and health body gets a notification address, as a full directory has."""
    for body in [*session.scalars(select(Authority)), *session.scalars(select(HealthBody))]:
        body.notification_email = f"notifications@{body.code.lower()}.example"
        body.secure_email = secure
    session.flush()


def create_partner_teams(session: Session, *, email: bool = True) -> tuple[Contact, Contact]:
    """Our virtual school and looked-after children's health team in the directory."""
    teams = (
        Contact(
            role=RecipientRole.VIRTUAL_SCHOOL,
            name="Virtual School",
            email="virtual.school@worcestershire.example" if email else None,
            authority_code=HOME,
        ),
        Contact(
            role=RecipientRole.LAC_HEALTH_TEAM,
            name="LAC Health Team",
            email="lac.health@worcestershire.example" if email else None,
            authority_code=HOME,
        ),
    )
    session.add_all(teams)
    session.flush()
    return teams


def create_sqa_managers(
    session: Session, email: str | None = "sqa.managers@worcs.example"
) -> Contact:
    """Our SQA managers' inbox, a contact of our own authority."""
    contact = Contact(authority_code=HOME, role="sqa_manager", name="SQA managers", email=email)
    session.add(contact)
    session.flush()
    return contact


# --- People and API clients -------------------------------------------------------------------


def create_user(session: Session, role: str = "social_worker", **over: Any) -> User:
    """A user with `role` who can sign in with SIGN_IN_PASSWORD."""
    fields: dict[str, Any] = {
        "email": f"{role}.{next(_serial)}@worcestershire.example",
        "name": f"Sam {role.title()}",
        "role": role,
        "password": SIGN_IN_PASSWORD,
    }
    fields.update(over)
    user = accounts.create_user(session, **fields)
    session.flush()
    return user


def create_api_client(
    session: Session,
    *,
    authority: str = HOME,
    scopes: tuple[str, ...] = ("placements:write",),
    issued_before_the_rule: bool = False,
) -> str:
    """A case system's API key for `authority` (the secret, as shown once). A key of another
    authority with placements:write can no longer be made: `issued_before_the_rule` makes one
    as it could be before, to show what the API does with it."""
    new = create_api_key(
        session,
        authority_code=authority,
        scopes=list(scopes),
        name="case system",
        home_authority=authority if issued_before_the_rule else HOME,
    )
    session.commit()
    return new.key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- API request bodies -----------------------------------------------------------------------


def child_body(**over: Any) -> dict[str, Any]:
    """A child as our case-management system sends it."""
    body: dict[str, Any] = {
        "case_reference": f"WCF-{next(_serial)}",
        "given_name": "Jordan",
        "family_name": "Example",
        "also_known_as": None,
        "date_of_birth": (TODAY - timedelta(days=365 * 11 + 40)).isoformat(),
        "sex": "F",
        "nhs_number": "9434765919",
        "legal_status": "C2",
        "uasc": False,
        "disability": False,
        "child_protection_plan": False,
        "ehc_plan": None,
        "home_postcode": "WR1 2AB",
    }
    return {**body, **over}


def placement_body(postcode: str = "WR1 2AB", **over: Any) -> dict[str, Any]:
    """A planned foster placement starting next week."""
    body: dict[str, Any] = {
        "start_date": (TODAY + timedelta(days=7)).isoformat(),
        "end_date": None,
        "placement_type": "U6",
        "provider": "PR4",
        "carer_name": "Mr and Mrs Carer",
        "urn": None,
        "emergency": False,
        "address": {
            "line_1": "1 Example Road",
            "line_2": None,
            "town": "Somewhere",
            "postcode": postcode,
        },
        "reason_for_change": None,
    }
    return {**body, **over}


def notice_body(**over: Any) -> dict[str, Any]:
    """A placement start notice from Birmingham for a child placed in Worcester three days
    ago, as API.md gives it (dates as ISO strings). `over` is merged in, nested dictionaries
    too: notice_body(child={"sex": "M"}) keeps the child's other fields."""
    placing = over.get("placing_authority", BIRMINGHAM)
    body: dict[str, Any] = {
        "reference": f"PA-2026-{next(_serial):06d}",
        "notice_type": "placement_start",
        "placing_authority": placing,
        "child": {
            "placing_authority_child_id": "C-55501",
            "given_name": "Keira",
            "family_name": "Whitlock",
            "also_known_as": None,
            "date_of_birth": (TODAY - timedelta(days=365 * 12 + 40)).isoformat(),
            "sex": "F",
            "nhs_number": "9434765919",
            "legal_status": "C2",
            "uasc": False,
            "disability": False,
            "child_protection_plan": True,
            "ehc_plan": {"maintained_by": placing},
        },
        "placement": {
            "start_date": (TODAY - timedelta(days=3)).isoformat(),
            "end_date": None,
            "placement_type": "U6",
            "provider": "PR4",
            "carer_name": "Pat and Lee Carer",
            "urn": None,
            "emergency": False,
            "address": {
                "line_1": "14 Orchard Way",
                "line_2": None,
                "town": "Worcester",
                "postcode": "WR1 2NA",
            },
            "end_reason": None,
        },
        "previous_address": None,
        "contacts": {
            "social_worker": {
                "name": "Dana Social",
                "email": "dana.social@birmingham.example",
                "phone": "0121 496 0001",
            },
            "iro": {"name": "Ira Reviewer", "email": "iro@birmingham.example", "phone": None},
            "out_of_hours_phone": "0121 496 0999",
        },
        "school": {"name": "Northwick Primary", "urn": "116789"},
        "gp": {"practice_name": "Barbourne Surgery", "ods_code": "M81001"},
        "risks": "Missing twice in the last six months",
    }
    return _merge(body, over)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on top of `base`, nested dictionaries merged (None replaces)."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def create_inbound_notice(session: Session, **over: Any) -> InboundNotice:
    """A notice as the inbound API stores it, status received. `over` is merged into the
    body; `received_at` and `status` set the row's own fields (a notice rejected or queried
    was decided an hour after it came, with a note saying why)."""
    received_at = over.pop("received_at", datetime.now(UTC) - timedelta(hours=2))
    status = over.pop("status", "received")
    decided = status in ("rejected", "queried")
    body = notice_body(**over)
    notice = InboundNotice(
        reference=body["reference"],
        placing_authority_code=body["placing_authority"],
        notice_type=body["notice_type"],
        status=status,
        raw_body=json.dumps(body, indent=2),
        body_digest=sha256(json.dumps(body, sort_keys=True).encode()).hexdigest(),
        payload=body,
        received_at=received_at,
        decided_at=received_at + timedelta(hours=1) if decided else None,
        decision_note=f"The notice was {status} by business support" if decided else None,
    )
    session.add(notice)
    session.flush()
    return notice


CHASE_SETTINGS = ChaseSettings(
    reminder_every=5, escalate_after=10, reminder_limit=3, home_authority=HOME
)

# --- Notifications ----------------------------------------------------------------------------


def placed_child_notices(
    session: Session, postcode: str = "HR1 1AA", **child: Any
) -> list[Notification]:
    """A child placed (for the first time) at `postcode`: the notifications that causes."""
    placed = create_child(session, **child)
    create_placement(session, placed, postcode)
    session.flush()
    return list(
        session.scalars(
            select(Notification).where(Notification.child_id == placed.id).order_by(Notification.id)
        )
    )


def mark_sent(
    session: Session, notice: Notification, at: datetime, acknowledge_by: date | None = None
) -> None:
    """Move a pending notice on as the delivery worker does when the relay accepts it."""
    outbox.change_status(session, notice.id, NotificationStatus.SENDING, claimed_by="test")
    outbox.change_status(
        session,
        notice.id,
        NotificationStatus.SENT,
        claimed_by=None,
        sent_at=at,
        next_attempt_at=None,
        acknowledge_by=acknowledge_by or at.date() + timedelta(days=7),
    )
    session.refresh(notice)


def send_area_authority_notice(session: Session, placement: Placement) -> Notification:
    """The area authority's notice of `placement` sent (given an address if it waited)."""
    notice = session.scalars(
        select(Notification).where(
            Notification.placement_id == placement.id,
            Notification.recipient_role == RecipientRole.AREA_AUTHORITY,
            Notification.event == Event.PLACEMENT_START,
        )
    ).one()
    if notice.status == NotificationStatus.NEEDS_ADDRESS:
        outbox.change_status(
            session, notice.id, NotificationStatus.PENDING, address="placements@area.example"
        )
    mark_sent(session, notice, utcnow())
    session.commit()
    return notice


GIVEN, FAMILY = "Florentyna", "Quist"  # a sent notice's child: names no recipient may see
# Where each recipient is, for a placement there: its area authority gets the notice.
POSTCODES = {HEREFORDSHIRE: "HR1 1AA", EDINBURGH: "EH1 1AD"}


def create_sent_notice(
    session: Session,
    acknowledge_by: date | None = None,
    recipient: str = HEREFORDSHIRE,
    *,
    sent_at: datetime | None = None,
    sent_on: date | None = None,
    secure: bool = False,
    directory: bool = True,
    **child: Any,
) -> Notification:
    """A child placed where `recipient` is the area authority, and that authority's start
    notice sent (by the outbox, as delivery does): at `sent_at`, or at 10:00 on `sent_on` or
    `acknowledge_by`, or a day ago; to be acknowledged by `acknowledge_by` (else a week
    after). `directory=False` leaves the directory's addresses alone (a database other tests
    share)."""
    if directory:
        give_every_body_an_address(session, secure=secure)
    child = {"given_name": GIVEN, "family_name": FAMILY, **child}
    notices = placed_child_notices(session, POSTCODES[recipient], **child)
    notice = next(
        n for n in notices if n.recipient_code == recipient and n.event == Event.PLACEMENT_START
    )
    if not directory:
        outbox.change_status(
            session,
            notice.id,
            NotificationStatus.PENDING,
            address=f"placements@{recipient.lower()}.example",
        )
    if sent_at is None:
        day = sent_on or acknowledge_by
        sent_at = datetime.combine(day, time(10), tzinfo=UTC) if day else utcnow() - timedelta(1)
    mark_sent(session, notice, sent_at, acknowledge_by)
    session.commit()
    return notice


_RECIPIENT = ("recipient_kind", "recipient_role", "recipient_code", "recipient_name")


def create_reminder(session: Session, notice: Notification, send_by: date = TODAY) -> Notification:
    """The first reminder chasing `notice`, as the chaser writes it."""
    same = ("child_id", "placement_id", "address", *_RECIPIENT)
    reminder = Notification(
        **{name: getattr(notice, name) for name in same},
        event=Event.REMINDER,
        send_by=send_by,
        reminder_of_id=notice.id,
        chase_number=1,
    )
    session.add(reminder)
    session.commit()
    return reminder


def due_since(session: Session, when: datetime) -> None:
    """Make every pending notification due from `when` (so a fixed clock after it claims it)."""
    session.execute(
        update(Notification)
        .where(Notification.status == NotificationStatus.PENDING)
        .values(next_attempt_at=when)
    )
    session.flush()


def later(minutes: float = 1) -> datetime:
    """A little ahead of now: everything written so far is due by then."""
    return utcnow() + timedelta(minutes=minutes)


def create_message(**over: Any) -> OutgoingMessage:
    """A rendered notice, ready for a channel."""
    fields: dict[str, Any] = {
        "notification_id": 41,
        "message_id": "<notification-41@placement-notify>",
        "to": "placements@herefordshire.example",
        "subject": "Placement start: EP (WCF-T000041) from Worcestershire",
        "text": "Placement start notice from Worcestershire\nOur reference: PN-41\n",
        "html": '<p style="margin: 0">Placement start notice</p>\n<p>PN-41</p>\n',
        "reference": "PN-41",
    }
    return OutgoingMessage(**(fields | over))


class _SignedLongAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock.time()) - 91 * 24 * 3600  # ACKNOWLEDGE_LINK_DAYS is 90


def token_signed(secret: str, value: object, *, long_ago: bool = False) -> str:
    """A token made as ours are, with `secret`, optionally 91 days ago."""
    signer = _SignedLongAgo if long_ago else TimestampSigner
    return URLSafeTimedSerializer(secret, salt="acknowledge", signer=signer).dumps(value)


# --- The dashboard's world --------------------------------------------------------------------

WORLD_TODAY = date(2026, 3, 16)  # a Monday; the quarter began on 1 January
LEEDS, WEST_YORKSHIRE_ICB = "E08000035", "E54000054"
ADJOINING, DISTANT, IN_AREA = "B1 1BB", "LS1 4AP", "WR1 2NA"
PLACED_SINCE = date(2025, 9, 1)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def create_notification(
    session: Session, child: Child, placement: Placement, **over: Any
) -> Notification:
    """A statutory notice to Birmingham, sent and not yet acknowledged, unless told otherwise."""
    sent_at = over.get("sent_at", at(2026, 3, 2))
    fields: dict[str, Any] = {
        "child_id": child.id,
        "placement_id": placement.id,
        "event": "placement_start",
        "recipient_kind": "authority",
        "recipient_role": "area_authority",
        "recipient_code": BIRMINGHAM,
        "recipient_name": "Birmingham",
        "address": "placements@birmingham.example",
        "status": "sent",
        "send_by": sent_at.date() if sent_at else date(2026, 3, 2),
        "attempts": 1,
        "next_attempt_at": None,
    }
    fields.update(over)
    notification = Notification(**fields)
    session.add(notification)
    session.flush()
    return notification


@dataclass
class World:
    social_worker: User
    other_worker: User
    children: dict[str, Child]
    placements: dict[str, Placement]
    notices: dict[str, Notification]


def _placed(session: Session, postcode: str, **over: Any) -> tuple[Child, Placement]:
    child = create_child(session, given_name=over.pop("given_name", "Alex"), family_name="Tester")
    placement = create_placement(session, child, postcode, start_date=PLACED_SINCE, **over)
    return child, placement


def create_world(session: Session) -> World:
    """Six of our children (four placed out of area now, two of those without the approval
    they need) and seventeen notices."""
    worker = create_user(
        session,
        "social_worker",
        email="pat.worker@worcestershire.example",
        name="Pat Worker",
        team="North team",
    )
    other = create_user(
        session,
        "social_worker",
        email="kim.worker@worcestershire.example",
        name="Kim Worker",
        team="South team",
    )
    manager = create_user(
        session, "manager", email="mo.manager@worcestershire.example", name="Mo Manager"
    )
    c: dict[str, Child] = {}
    p: dict[str, Placement] = {}
    # c1: Birmingham (adjoining), agency foster care, approved by a nominated officer
    c["c1"], p["c1"] = _placed(session, ADJOINING, given_name="Bea")
    session.add(
        Approval(
            placement=p["c1"],
            level="nominated_officer",
            decision="approved",
            approver_id=manager.id,
        )
    )
    # c2: Leeds (at a distance), agency foster care, no approval: awaiting the director
    c["c2"], p["c2"] = _placed(session, DISTANT, given_name="Cal")
    # c3: Leeds, with a relative (U1): needs no approval
    c["c3"], p["c3"] = _placed(
        session, DISTANT, given_name="Dee", placement_type="U1", provider="PR1"
    )
    # c4: in our area
    c["c4"], p["c4"] = _placed(session, IN_AREA, given_name="Eli")
    # c5: was in Birmingham, the placement ended in January: not placed out of area now
    c["c5"], p["c5"] = _placed(session, ADJOINING, given_name="Fay")
    p["c5"].end_date = date(2026, 1, 10)
    # c6: Leeds, approved only by a nominated officer where the director must approve
    c["c6"], p["c6"] = _placed(session, DISTANT, given_name="Gus")
    session.add(
        Approval(
            placement=p["c6"],
            level="nominated_officer",
            decision="approved",
            approver_id=manager.id,
        )
    )
    for key in ("c1", "c2", "c3", "c5"):
        c[key].social_worker_id = worker.id
    c["c6"].social_worker_id = other.id
    session.flush()
    session.execute(delete(Notification))  # the service's own notices: replaced below

    n: dict[str, Notification] = {}
    leeds = {"recipient_code": LEEDS, "recipient_name": "Leeds"}
    # overdue: 5 working days (ack-by Monday 9 March), reminded once
    n["n1"] = create_notification(
        session,
        c["c1"],
        p["c1"],
        sent_at=at(2026, 3, 2),
        acknowledge_by=date(2026, 3, 9),
        reminders_sent=1,
        last_reminded_on=date(2026, 3, 10),
    )
    # overdue: 25 working days, escalated
    n["n2"] = create_notification(
        session,
        c["c2"],
        p["c2"],
        **leeds,
        sent_at=at(2026, 2, 2),
        acknowledge_by=date(2026, 2, 9),
        reminders_sent=3,
        escalated_at=at(2026, 2, 23),
    )
    # overdue: 2 working days, to a GP
    n["n3"] = create_notification(
        session,
        c["c6"],
        p["c6"],
        event="address_change",
        recipient_kind="contact",
        recipient_role="gp",
        recipient_code="12",
        recipient_name="Dr Example",
        sent_at=at(2026, 3, 5),
        acknowledge_by=date(2026, 3, 12),
    )
    # awaiting, not yet due
    n["n4"] = create_notification(
        session,
        c["c1"],
        p["c1"],
        event="address_change",
        sent_at=at(2026, 3, 12),
        acknowledge_by=date(2026, 3, 19),
    )
    # Birmingham: one acknowledged in 2 days, one late in 9
    n["n5"] = create_notification(
        session,
        c["c1"],
        p["c1"],
        status="acknowledged",
        sent_at=at(2026, 1, 5),
        acknowledge_by=date(2026, 1, 12),
        acknowledged_at=at(2026, 1, 7),
    )
    n["n6"] = create_notification(
        session,
        c["c5"],
        p["c5"],
        event="placement_end",
        status="acknowledged",
        sent_at=at(2026, 1, 5),
        acknowledge_by=date(2026, 1, 12),
        acknowledged_at=at(2026, 1, 14),
    )
    # Leeds: one acknowledged in a day
    n["n7"] = create_notification(
        session,
        c["c2"],
        p["c2"],
        **leeds,
        status="acknowledged",
        sent_at=at(2025, 12, 1, 12),
        acknowledge_by=date(2025, 12, 8),
        acknowledged_at=at(2025, 12, 2, 12),
    )
    # failed, and two waiting for an address
    n["n8"] = create_notification(
        session,
        c["c3"],
        p["c3"],
        status="failed",
        sent_at=None,
        send_by=date(2026, 3, 1),
        last_error="550 mailbox unavailable",
    )
    n["n9"] = create_notification(
        session,
        c["c3"],
        p["c3"],
        status="needs_address",
        sent_at=None,
        send_by=date(2026, 3, 10),
        address=None,
    )
    n["n10"] = create_notification(
        session,
        c["c6"],
        p["c6"],
        status="needs_address",
        sent_at=None,
        send_by=date(2026, 3, 11),
        address=None,
    )
    # Leeds: sent a day late this quarter, acknowledged next day
    n["n11"] = create_notification(
        session,
        c["c3"],
        p["c3"],
        **leeds,
        status="acknowledged",
        send_by=date(2026, 2, 10),
        sent_at=at(2026, 2, 11),
        acknowledge_by=date(2026, 2, 18),
        acknowledged_at=at(2026, 2, 12),
    )
    # Leeds: sent late last quarter (not counted this quarter), acknowledged late
    n["n13"] = create_notification(
        session,
        c["c6"],
        p["c6"],
        **leeds,
        status="acknowledged",
        send_by=date(2025, 12, 1),
        sent_at=at(2025, 12, 3, 10),
        acknowledge_by=date(2025, 12, 10),
        acknowledged_at=at(2025, 12, 11, 10),
    )
    # a reminder of n1, and our own SQA alert: neither is a statutory notice
    n["n14"] = create_notification(
        session,
        c["c1"],
        p["c1"],
        event="reminder",
        reminder_of_id=n["n1"].id,
        chase_number=1,
        sent_at=at(2026, 3, 10),
        acknowledge_by=date(2026, 3, 1),
    )
    n["n15"] = create_notification(
        session,
        c["c2"],
        p["c2"],
        event="sqa_alert",
        recipient_kind="internal",
        recipient_role="sqa",
        recipient_code="sqa",
        recipient_name="SQA",
        sent_at=at(2026, 2, 20),
        acknowledge_by=date(2026, 3, 1),
    )
    # Birmingham, thirteen months ago: outside every twelve-month figure
    n["n16"] = create_notification(
        session,
        c["c5"],
        p["c5"],
        status="acknowledged",
        sent_at=at(2025, 2, 10),
        acknowledge_by=date(2025, 2, 17),
        acknowledged_at=at(2025, 2, 11),
    )
    # to a health body, 23:30 UTC on 30 September 2025: 00:30 on 1 October in the UK (BST)
    n["n17"] = create_notification(
        session,
        c["c2"],
        p["c2"],
        recipient_kind="health_body",
        recipient_role="placement_health_body",
        recipient_code=WEST_YORKSHIRE_ICB,
        recipient_name="NHS West Yorkshire ICB",
        status="acknowledged",
        send_by=date(2025, 10, 1),
        sent_at=at(2025, 9, 30, 23, 30),
        acknowledge_by=date(2025, 10, 8),
        acknowledged_at=at(2025, 10, 1, 9, 0),
    )
    session.flush()
    return World(worker, other, c, p, n)
