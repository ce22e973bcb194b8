"""A small world whose dashboard figures are counted by hand (see the tests' comments).

Children and placements go through the builders (and so the placement service); the
notices the service writes are then removed and replaced by ones with explicit statuses and
dates, so every figure below can be checked against a list.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from models import Approval, Child, Notification, Placement, User
from notify.auth.service import create_user
from tests.builders import create_child, create_placement

TODAY = date(2026, 3, 16)  # a Monday; the quarter began on 1 January
BIRMINGHAM, LEEDS, WORCESTERSHIRE = "E08000025", "E08000035", "E10000034"
WEST_YORKSHIRE_ICB = "E54000054"
ADJOINING, DISTANT, IN_AREA = "B1 1BB", "LS1 4AP", "WR1 2NA"
PLACED_SINCE = date(2025, 9, 1)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def notice(session: Session, child: Child, placement: Placement, **over: Any) -> Notification:
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
    n = Notification(**fields)
    session.add(n)
    session.flush()
    return n


@dataclass
class World:
    social_worker: User
    other_worker: User
    children: dict[str, Child]
    placements: dict[str, Placement]
    notices: dict[str, Notification]


def _placed(session: Session, postcode: str, **over: Any) -> tuple[Child, Placement]:
    child = create_child(session, given_name=over.pop("given_name", "Alex"))
    placement = create_placement(session, child, postcode, start_date=PLACED_SINCE, **over)
    return child, placement


def build_world(session: Session) -> World:
    """Six of our children (four placed out of area now, two of those without the approval
    they need) and seventeen notices."""
    worker = create_user(
        session,
        email="pat.worker@worcestershire.example",
        name="Pat Worker",
        role="social_worker",
        password="a long enough password",
        team="North team",
    )
    other = create_user(
        session,
        email="kim.worker@worcestershire.example",
        name="Kim Worker",
        role="social_worker",
        password="a long enough password",
        team="South team",
    )
    manager = create_user(
        session,
        email="mo.manager@worcestershire.example",
        name="Mo Manager",
        role="manager",
        password="a long enough password",
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
    n["n1"] = notice(
        session,
        c["c1"],
        p["c1"],
        sent_at=at(2026, 3, 2),
        acknowledge_by=date(2026, 3, 9),
        reminders_sent=1,
        last_reminded_on=date(2026, 3, 10),
    )
    # overdue: 25 working days, escalated
    n["n2"] = notice(
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
    n["n3"] = notice(
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
    n["n4"] = notice(
        session,
        c["c1"],
        p["c1"],
        event="address_change",
        sent_at=at(2026, 3, 12),
        acknowledge_by=date(2026, 3, 19),
    )
    # Birmingham: one acknowledged in 2 days, one late in 9
    n["n5"] = notice(
        session,
        c["c1"],
        p["c1"],
        status="acknowledged",
        sent_at=at(2026, 1, 5),
        acknowledge_by=date(2026, 1, 12),
        acknowledged_at=at(2026, 1, 7),
    )
    n["n6"] = notice(
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
    n["n7"] = notice(
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
    n["n8"] = notice(
        session,
        c["c3"],
        p["c3"],
        status="failed",
        sent_at=None,
        send_by=date(2026, 3, 1),
        last_error="550 mailbox unavailable",
    )
    n["n9"] = notice(
        session,
        c["c3"],
        p["c3"],
        status="needs_address",
        sent_at=None,
        send_by=date(2026, 3, 10),
        address=None,
    )
    n["n10"] = notice(
        session,
        c["c6"],
        p["c6"],
        status="needs_address",
        sent_at=None,
        send_by=date(2026, 3, 11),
        address=None,
    )
    # Leeds: sent a day late this quarter, acknowledged next day
    n["n11"] = notice(
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
    n["n13"] = notice(
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
    n["n14"] = notice(
        session,
        c["c1"],
        p["c1"],
        event="reminder",
        reminder_of_id=n["n1"].id,
        chase_number=1,
        sent_at=at(2026, 3, 10),
        acknowledge_by=date(2026, 3, 1),
    )
    n["n15"] = notice(
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
    n["n16"] = notice(
        session,
        c["c5"],
        p["c5"],
        status="acknowledged",
        sent_at=at(2025, 2, 10),
        acknowledge_by=date(2025, 2, 17),
        acknowledged_at=at(2025, 2, 11),
    )
    # to a health body, 23:30 UTC on 30 September 2025: 00:30 on 1 October in the UK (BST)
    n["n17"] = notice(
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
