"""Demo data for the host register: other authorities' children placed in Worcestershire.

Shaped like Worcestershire's Corporate Parenting Board report (July 2022): about 480 children
placed in the county by other authorities, most by its neighbours in the West Midlands and
the counties around it. Each child on the register came through an accepted inbound notice;
about 25 notices wait on the triage queue and 8 have been queried. Written with bulk inserts
(a few seconds); nothing here commits, and nothing logs a name or date of birth.
"""

import json
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import (
    Authority,
    Child,
    Contact,
    District,
    DistrictHealthBody,
    InboundNotice,
    Notification,
    Placement,
    Postcode,
    User,
)
from models.enums import (
    AckVia,
    Channel,
    Event,
    InboundStatus,
    NotificationStatus,
    RecipientKind,
    RecipientRole,
    Role,
)
from notify.demo.people import made_up_nhs_number
from notify.geography.store import adjoining
from notify.inbound.service import body_digest

DEMO_AUTHORITY = "E10000034"  # Worcestershire: the placing mix below is its neighbours'
HOSTED_CHILDREN = 480
QUEUE_RECEIVED = 25
QUEUE_QUERIED = 8
MOVED_SHARE = 0.15  # children who moved within the county: two placements, two notices
YEARS_BACK = 5
PARTNERS_TOLD_DAYS = 60  # acceptances this recent show the notices our partners were sent

# Who places children in Worcestershire (weights): its neighbours first, then the region.
PLACING: tuple[tuple[str, int], ...] = (
    ("E08000025", 120),  # Birmingham
    ("E08000027", 45),  # Dudley
    ("E08000028", 40),  # Sandwell
    ("E08000031", 25),  # Wolverhampton
    ("E08000030", 22),  # Walsall
    ("E06000019", 30),  # Herefordshire
    ("E06000051", 18),  # Shropshire
    ("E10000013", 25),  # Gloucestershire
    ("E10000031", 25),  # Warwickshire
    ("E10000028", 20),  # Staffordshire
    ("E08000029", 18),  # Solihull
    ("E08000026", 15),  # Coventry
    ("E06000020", 8),  # Telford and Wrekin
    ("E06000021", 6),  # Stoke-on-Trent
)
OTHER_AUTHORITIES_WEIGHT = 60  # spread over the rest of England

# 903 placement types of children placed here by others (weights), with the ages they fit.
PLACEMENT_TYPES: tuple[tuple[str, str, int, int, int], ...] = (
    ("U4", "PR4", 0, 17, 30),
    ("U6", "PR4", 0, 17, 26),
    ("U5", "PR4", 0, 4, 3),
    ("U1", "PR1", 0, 17, 4),
    ("U3", "PR1", 0, 17, 4),
    ("K2", "PR4", 10, 17, 14),
    ("K3", "PR4", 16, 17, 4),
    ("P1", "PR0", 0, 17, 4),
    ("S1", "PR5", 8, 17, 3),
    ("R1", "PR5", 12, 17, 2),
    ("A6", "PR1", 0, 5, 2),
)
LEGAL_STATUSES = (("C2", 70), ("V2", 15), ("C1", 12), ("J2", 3))


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GIVEN_F = _words(
    "Olivia Amelia Isla Ava Mia Grace Lily Freya Emily Ivy Ella Rosie Evie Poppy Ruby "
    "Chloe Holly Megan Lauren Ellie Millie Daisy Amber Leah Keira Layla Maisie Niamh "
    "Paige Jade Aisha"
)
GIVEN_M = _words(
    "Oliver George Harry Jack Jacob Noah Charlie Thomas Oscar Leo Alfie Henry Joshua "
    "Archie Ethan Isaac Samuel Max Logan Lucas Daniel Theo Arthur Mason Tyler Riley Kai "
    "Dylan Callum"
)
FAMILY = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Walker "
    "Wright Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Cooper Hill "
    "Ward Morris Moore King Baker Morgan Allen Price Bennett Young Griffiths Kelly Carter "
    "Bailey Collins Bell Shaw Khan Marshall Ellis Singh Foster Powell Webb Rogers Mason "
    "Hussain Owen"
)
STREETS = _words(
    "Amber Bramble Copper Elder Glebe Heron Juniper Kestrel Linnet Orchard Plover Rowan "
    "Sorrel Teasel Wren Yarrow Lapwing Foxglove Larch"
)
STREET_TYPES = _words("Road Lane Close Way Drive Grove Crescent Gardens Avenue Walk")
SCHOOLS = (
    "Primary School",
    "Church of England Primary School",
    "High School",
    "Academy",
    "First School",
    "Middle School",
)
QUESTIONS = (
    "The notice has no GP details. Please send the GP practice and ODS code.",
    "Please confirm the placement start date: the notice says one date and the carer another.",
    "The notice has no school. Please tell us where the child will be educated.",
    "Please send the IRO's contact details.",
    "The address does not match the carer's registered address. Please check the postcode.",
    "Please confirm the legal status: the notice says V2 but mentions a care order.",
    "Please send the out-of-hours number for your emergency duty team.",
    "Please tell us the risks you know of: the notice leaves them blank.",
)


def seed_hosted(session: Session, rng: random.Random, today: date) -> dict[str, int]:
    """Add other authorities' children placed in Worcestershire (the demo authority), each
    with its accepted notices; a triage queue; and our partner teams. Returns counts."""
    return _Seeder(session, rng, today).run()


class _Seeder:
    def __init__(self, session: Session, rng: random.Random, today: date) -> None:
        self.session, self.rng, self.today = session, rng, today
        self.home = DEMO_AUTHORITY
        self.now = datetime.combine(today, time(9), tzinfo=UTC)
        self.neighbours = adjoining(session, self.home)
        known = {a.code: a for a in session.scalars(select(Authority).where(Authority.active))}
        self.authorities = known
        self.weights = [(code, w) for code, w in PLACING if code in known]
        named = {code for code, _ in PLACING}
        self.others = sorted(
            code
            for code, a in known.items()
            if code not in named and code != self.home and a.nation == "england"
        )
        self.postcodes = self._postcodes()
        self.bso = session.scalar(
            select(User.id).where(User.role == Role.BUSINESS_SUPPORT).order_by(User.id).limit(1)
        )
        self.serial = 0

    # --- reference data -------------------------------------------------------------------

    def _postcodes(self) -> list[tuple[str, str | None, str]]:
        """Our live postcodes with a centroid, each with its health body (largest share) and
        its district's name (the demo's town: the streets are made up anyway)."""
        districts = select(District.code).where(District.authority_code == self.home)
        names = dict(
            self.session.execute(
                select(District.code, District.name).where(District.authority_code == self.home)
            ).all()
        )
        rows = self.session.execute(
            select(Postcode.postcode, Postcode.district_code, Postcode.health_body_code)
            .where(Postcode.district_code.in_(districts), Postcode.lat.is_not(None))
            .order_by(Postcode.postcode)
        ).all()
        if not rows:
            raise ValueError("No postcodes are loaded for the demo authority: load reference data")
        best: dict[str, str] = {}
        for district, body, _share in self.session.execute(
            select(
                DistrictHealthBody.district_code,
                DistrictHealthBody.health_body_code,
                DistrictHealthBody.share,
            )
            .where(DistrictHealthBody.district_code.in_(districts))
            .order_by(DistrictHealthBody.share)
        ):
            best[district] = body  # the largest share comes last
        return [
            (pc, own or best.get(district or ""), names.get(district or "", ""))
            for pc, district, own in rows
        ]

    # --- the plan ------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self._partner_teams()
        children = [self._plan_child() for _ in range(HOSTED_CHILDREN)]
        queue = [self._plan_child(queue=True) for _ in range(QUEUE_RECEIVED + QUEUE_QUERIED)]

        ids = (
            self.session.execute(
                insert(Child).returning(Child.id, sort_by_parameter_order=True),
                [c["child"] for c in children],
            )
            .scalars()
            .all()
        )
        placements: list[dict[str, Any]] = []
        contacts: list[dict[str, Any]] = []
        for child_id, plan in zip(ids, children, strict=True):
            plan["id"] = child_id
            for p in plan["placements"]:
                placements.append({**p, "child_id": child_id})
            contacts.extend({**c, "child_id": child_id} for c in plan["contacts"])
        placement_ids = (
            self.session.execute(
                insert(Placement).returning(Placement.id, sort_by_parameter_order=True), placements
            )
            .scalars()
            .all()
        )
        self.session.execute(insert(Contact), contacts)

        notices: list[dict[str, Any]] = []
        at = 0
        for plan in children:
            for notice in plan["notices"]:
                notice.update(child_id=plan["id"], placement_id=placement_ids[at])
                at += 1
                notices.append(notice)
        queued = self._queue(queue, children)
        notice_ids = (
            self.session.execute(
                insert(InboundNotice).returning(InboundNotice.id, sort_by_parameter_order=True),
                notices + queued,
            )
            .scalars()
            .all()
        )
        told = self._partners_told(notices, notice_ids[: len(notices)])
        queried = [
            (notice_id, n)
            for notice_id, n in zip(notice_ids[len(notices) :], queued, strict=True)
            if n["status"] == InboundStatus.QUERIED
        ]
        self._queries(queried)
        self.session.flush()
        return {
            "hosted_children": len(children),
            "hosted_placements": len(placements),
            "inbound_notices_accepted": len(notices),
            "inbound_notices_received": QUEUE_RECEIVED,
            "inbound_notices_queried": len(queried),
            "partner_notifications": told,
        }

    def _authority(self) -> str:
        rng = self.rng
        if not self.others or rng.random() > OTHER_AUTHORITIES_WEIGHT / (
            OTHER_AUTHORITIES_WEIGHT + sum(w for _, w in self.weights)
        ):
            return rng.choices([c for c, _ in self.weights], [w for _, w in self.weights])[0]
        return rng.choice(self.others)

    def _placement_type(self) -> tuple[str, str, int, int]:
        code, provider, young, old, _ = self.rng.choices(
            PLACEMENT_TYPES, [t[4] for t in PLACEMENT_TYPES]
        )[0]
        return code, provider, young, old

    def _start(self, queue: bool) -> date:
        if queue:
            return self.today + timedelta(days=self.rng.randint(-10, 14))
        # more recent starts than old ones: older placements have more often ended
        days = int(self.rng.random() ** 1.6 * YEARS_BACK * 365)
        return self.today - timedelta(days=days + 1)

    def _plan_child(self, queue: bool = False) -> dict[str, Any]:
        rng = self.rng
        self.serial += 1
        authority = self._authority()
        place, provider, young, old = self._placement_type()
        # aged for the placement type now (every child here is under 18), and placed after
        # being born
        age = rng.randint(young, old)
        born = self.today - timedelta(days=age * 365 + rng.randint(30, 360))
        start = max(self._start(queue), born + timedelta(days=rng.randint(7, 60)))
        age_at_start = (start - born).days // 365
        sex = rng.choice("MF")
        given = rng.choice(GIVEN_M if sex == "M" else GIVEN_F)
        family = rng.choice(FAMILY)
        prefix = "".join(ch for ch in self.authorities[authority].name.upper() if ch.isalpha())[:3]
        their_id = f"{prefix}{rng.randint(100000, 999999)}-{self.serial}"
        legal = (
            "E1"
            if place.startswith("A")
            else rng.choices([s for s, _ in LEGAL_STATUSES], [w for _, w in LEGAL_STATUSES])[0]
        )
        child = {
            "case_reference": their_id,
            "responsible_authority_code": authority,
            "given_name": given,
            "family_name": family,
            "also_known_as": None,
            "date_of_birth": born,
            "sex": sex,
            "nhs_number": made_up_nhs_number(rng),
            "legal_status": legal,
            "uasc": rng.random() < 0.04 and age_at_start >= 14,
            "disability": rng.random() < (0.2 if place in {"K2", "S1", "R1"} else 0.05),
            "child_protection_plan": rng.random() < 0.05,
            "ehc_plan_maintained_by": authority if rng.random() < 0.12 else None,
            "home_postcode": None,
            "risks": rng.choice(
                (
                    None,
                    None,
                    None,
                    "Missing episodes in the last six months",
                    "Assessed risk of child criminal exploitation",
                    "Online safety concerns",
                )
            ),  # fmt: skip
        }
        moved = not queue and rng.random() < MOVED_SHARE and (self.today - start).days > 120
        starts = [start]
        if moved:
            starts.append(start + timedelta(days=rng.randint(60, (self.today - start).days - 1)))
        placements = [self._placement(authority, place, provider, s) for s in starts]
        if moved:
            placements[0]["end_date"] = starts[1] - timedelta(days=1)
            placements[0]["end_reason"] = "X1"
        contacts = self._contacts(authority, born)
        notices = [
            self._notice(
                authority,
                child,
                p,
                contacts,
                Event.PLACEMENT_START if i == 0 else Event.ADDRESS_CHANGE,
                InboundStatus.ACCEPTED,
                previous=placements[i - 1] if i else None,
            )
            for i, p in enumerate(placements)
        ]
        return {
            "child": child,
            "placements": placements,
            "contacts": contacts,
            "notices": notices,
            "authority": authority,
        }

    def _placement(self, authority: str, place: str, provider: str, start: date) -> dict[str, Any]:
        rng = self.rng
        postcode, health, town = rng.choice(self.postcodes)
        near = authority in self.neighbours
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"
        home = place in {"K2", "K3", "S1", "R1"}
        return {
            "start_date": start,
            "end_date": None,
            "placement_type": place,
            "provider": provider,
            "carer_name": (
                f"{rng.choice(STREETS)} House" if home else f"Mr and Mrs {rng.choice(FAMILY)}"
            ),
            "urn": f"SC{rng.randint(100000, 999999)}" if home else None,
            "address_line_1": street,
            "address_line_2": None,
            "town": town or None,
            "postcode": postcode,
            "emergency": rng.random() < 0.08,
            "end_reason": None,
            "host_authority_code": self.home,
            "host_health_body_code": health,
            "location": "OUT",
            "distance_miles": None,
            "adjoining": near,
            "at_a_distance": not near,
        }

    def _contacts(self, authority: str, born: date) -> list[dict[str, Any]]:
        rng = self.rng
        domain = "".join(ch for ch in self.authorities[authority].name.lower() if ch.isalpha())
        worker = f"{rng.choice(GIVEN_F + GIVEN_M)} {rng.choice(FAMILY)}"
        school_age = (self.today - born).days >= 4 * 365
        contacts: list[dict[str, Any]] = [
            {
                "role": RecipientRole.SOCIAL_WORKER,
                "name": worker,
                "organisation": self.authorities[authority].name,
                "email": f"{worker.lower().replace(' ', '.')}@{domain}.example",
                "phone": f"0121 496 {rng.randint(1000, 9999)}",
            },
            {
                "role": RecipientRole.GP,
                "name": f"{rng.choice(STREETS)} Surgery",
                "organisation": f"ODS code M8{rng.randint(1000, 9999)}",
                "email": None,
                "phone": None,
            },
        ]
        if school_age:
            contacts.append(
                {
                    "role": RecipientRole.SCHOOL,
                    "name": f"{rng.choice(STREETS)} {rng.choice(SCHOOLS)}",
                    "organisation": f"URN {rng.randint(110000, 149999)}",
                    "email": None,
                    "phone": None,
                }
            )
        return contacts

    def _notice(
        self,
        authority: str,
        child: dict[str, Any],
        placement: dict[str, Any],
        contacts: list[dict[str, Any]],
        event: Event,
        status: InboundStatus,
        previous: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        start: date = placement["start_date"]
        # notices come before a planned start, within days after an emergency one
        lead = -rng.randint(1, 5) if placement["emergency"] else rng.randint(2, 21)
        received = datetime.combine(
            min(start - timedelta(days=lead), self.today), time(rng.randint(8, 17)), tzinfo=UTC
        )
        received = min(received, self.now - timedelta(hours=rng.randint(1, 48)))
        by_role = {c["role"]: c for c in contacts}
        body = _body(
            authority, child, placement, by_role, event, previous, self.serial, rng.randint(1, 9999)
        )
        decided = received + timedelta(hours=rng.randint(2, 72))
        accepted = status == InboundStatus.ACCEPTED
        return {
            "reference": body["reference"],
            "placing_authority_code": authority,
            "notice_type": event,
            "status": status,
            "raw_body": json.dumps(body, indent=2),
            "body_digest": body_digest(body),
            "payload": body,
            "received_at": received,
            "decided_at": min(decided, self.now) if accepted else None,
            "decided_by_id": self.bso if accepted else None,
            "decision_note": None,
        }

    def _queue(
        self, planned: list[dict[str, Any]], on_register: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Notices waiting: most about children new to us; a few changes and ends for
        children on the register; the last QUEUE_QUERIED queried."""
        rng = self.rng
        rows = []
        for i, plan in enumerate(planned):
            status = InboundStatus.QUERIED if i >= QUEUE_RECEIVED else InboundStatus.RECEIVED
            notice = plan["notices"][0]
            if status == InboundStatus.RECEIVED and i % 5 == 4:
                notice = self._change_for(rng.choice(on_register), ended=i % 10 == 9)
            notice["status"] = status
            notice["decided_at"] = None
            notice["decided_by_id"] = None
            # the queue is recent: the oldest waiting a few weeks
            notice["received_at"] = self.now - timedelta(hours=rng.randint(1, 24 * 20))
            if status == InboundStatus.QUERIED:
                notice["received_at"] = self.now - timedelta(hours=rng.randint(24 * 3, 24 * 30))
                notice["decided_at"] = notice["received_at"] + timedelta(hours=rng.randint(2, 48))
                notice["decided_by_id"] = self.bso
                notice["decision_note"] = QUESTIONS[i % len(QUESTIONS)]
            rows.append(notice)
        return rows

    def _change_for(self, plan: dict[str, Any], ended: bool) -> dict[str, Any]:
        """A change of address, or an end, for a child on the register."""
        current = dict(plan["placements"][-1])
        if ended:
            current["end_date"] = max(
                current["start_date"], self.today - timedelta(days=self.rng.randint(1, 10))
            )
            current["end_reason"] = self.rng.choice(("E13", "E4A", "E11", "E41"))
            return self._notice(
                plan["authority"], plan["child"], current, plan["contacts"],
                Event.PLACEMENT_END, InboundStatus.RECEIVED,
            )  # fmt: skip
        new = self._placement(
            plan["authority"],
            current["placement_type"],
            current["provider"],
            # a move after the current placement began, however recent that was
            max(
                current["start_date"] + timedelta(days=1),
                self.today - timedelta(days=self.rng.randint(0, 7)),
            ),
        )
        return self._notice(
            plan["authority"], plan["child"], new, plan["contacts"], Event.ADDRESS_CHANGE,
            InboundStatus.RECEIVED, previous=current,
        )  # fmt: skip

    # --- notifications -------------------------------------------------------------------------

    def _partner_teams(self) -> None:
        for role, name, email in (
            (RecipientRole.VIRTUAL_SCHOOL, "Virtual School", "virtual.school"),
            (RecipientRole.LAC_HEALTH_TEAM, "Looked-after children’s health team", "lac.health"),
        ):
            exists = self.session.scalar(
                select(Contact.id).where(Contact.authority_code == self.home, Contact.role == role)
            )
            if exists is None:
                self.session.add(
                    Contact(
                        role=role,
                        name=name,
                        organisation="Worcestershire Children First",
                        email=f"{email}@worcestershire.example",
                        authority_code=self.home,
                    )
                )
        self.session.flush()
        self.teams = {
            role: self.session.scalars(
                select(Contact).where(Contact.authority_code == self.home, Contact.role == role)
            ).first()
            for role in (RecipientRole.VIRTUAL_SCHOOL, RecipientRole.LAC_HEALTH_TEAM)
        }

    def _partners_told(self, notices: list[dict[str, Any]], ids: Sequence[int]) -> int:
        """The notices our partners were sent for recent acceptances, acknowledged."""
        rows = []
        for notice_id, notice in zip(ids, notices, strict=True):
            decided: datetime = notice["decided_at"]
            if (self.now - decided).days > PARTNERS_TOLD_DAYS:
                continue
            for role, team in self.teams.items():
                assert team is not None
                sent = decided + timedelta(minutes=5)
                acked = min(sent + timedelta(hours=self.rng.randint(1, 72)), self.now)
                rows.append(
                    {
                        "child_id": notice["child_id"],
                        "placement_id": notice["placement_id"],
                        "inbound_notice_id": notice_id,
                        "event": notice["notice_type"],
                        "recipient_kind": RecipientKind.INTERNAL,
                        "recipient_role": role,
                        "recipient_code": str(team.id),
                        "recipient_name": team.name,
                        "channel": Channel.EMAIL,
                        "address": team.email,
                        "status": NotificationStatus.ACKNOWLEDGED,
                        "send_by": decided.date(),
                        "acknowledge_by": decided.date() + timedelta(days=7),
                        "attempts": 1,
                        "next_attempt_at": None,
                        "created_at": decided,
                        "sent_at": sent,
                        "acknowledged_at": acked,
                        "acknowledged_via": AckVia.LINK,
                        "acknowledged_by_name": team.name,
                    }
                )
        if rows:
            self.session.execute(insert(Notification), rows)
        return len(rows)

    def _queries(self, queried: list[tuple[int, dict[str, Any]]]) -> None:
        """The query each queried notice sent its social worker: sent, some answered."""
        rows = []
        for notice_id, notice in queried:
            worker = notice["payload"]["contacts"]["social_worker"]
            decided: datetime = notice["decided_at"]
            sent = decided + timedelta(minutes=5)
            acknowledged = self.rng.random() < 0.5
            rows.append(
                {
                    "inbound_notice_id": notice_id,
                    "event": Event.QUERY,
                    "recipient_kind": RecipientKind.CONTACT,
                    "recipient_role": RecipientRole.SOCIAL_WORKER,
                    "recipient_code": None,
                    "recipient_name": worker["name"],
                    "channel": Channel.EMAIL,
                    "address": worker["email"],
                    "status": NotificationStatus.ACKNOWLEDGED
                    if acknowledged
                    else NotificationStatus.SENT,
                    "send_by": decided.date(),
                    "acknowledge_by": decided.date() + timedelta(days=7),
                    "attempts": 1,
                    "next_attempt_at": None,
                    "created_at": decided,
                    "sent_at": sent,
                    "acknowledged_at": min(sent + timedelta(days=1), self.now)
                    if acknowledged
                    else None,
                    "acknowledged_via": AckVia.LINK if acknowledged else None,
                    "acknowledged_by_name": worker["name"] if acknowledged else None,
                }
            )
        if rows:
            self.session.execute(insert(Notification), rows)


def _body(
    authority: str,
    child: dict[str, Any],
    placement: dict[str, Any],
    contacts: dict[str, dict[str, Any]],
    event: Event,
    previous: dict[str, Any] | None,
    serial: int,
    salt: int,
) -> dict[str, Any]:
    """The notice as the placing authority's system posts it (API.md), as stored."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    def address(p: dict[str, Any]) -> dict[str, Any]:
        return {
            "line_1": p["address_line_1"],
            "line_2": p["address_line_2"],
            "town": p["town"],
            "postcode": p["postcode"],
        }

    worker, gp, school = (contacts.get(r) for r in ("social_worker", "gp", "school"))
    start: date = placement["start_date"]
    return {
        "reference": f"{authority}-{start.year}-{serial:05d}{salt:04d}-{event[:1].upper()}",
        "notice_type": str(event),
        "placing_authority": authority,
        "child": {
            "placing_authority_child_id": child["case_reference"],
            "given_name": child["given_name"],
            "family_name": child["family_name"],
            "also_known_as": None,
            "date_of_birth": iso(child["date_of_birth"]),
            "sex": child["sex"],
            "nhs_number": child["nhs_number"],
            "legal_status": child["legal_status"],
            "uasc": child["uasc"],
            "disability": child["disability"],
            "child_protection_plan": child["child_protection_plan"],
            "ehc_plan": (
                {"maintained_by": child["ehc_plan_maintained_by"]}
                if child["ehc_plan_maintained_by"]
                else None
            ),
        },
        "placement": {
            "start_date": iso(start),
            "end_date": iso(placement["end_date"]) if event == Event.PLACEMENT_END else None,
            "placement_type": placement["placement_type"],
            "provider": placement["provider"],
            "carer_name": placement["carer_name"],
            "urn": placement["urn"],
            "emergency": placement["emergency"],
            "address": address(placement),
            "end_reason": placement["end_reason"] if event == Event.PLACEMENT_END else None,
        },
        "previous_address": address(previous) if previous else None,
        "contacts": {
            "social_worker": (
                {"name": worker["name"], "email": worker["email"], "phone": worker["phone"]}
                if worker
                else None
            ),
            "iro": None,
            "out_of_hours_phone": "0121 675 4806",
        },
        "school": (
            {"name": school["name"], "urn": school["organisation"].removeprefix("URN ")}
            if school
            else None
        ),
        "gp": (
            {"practice_name": gp["name"], "ods_code": gp["organisation"].removeprefix("ODS code ")}
            if gp
            else None
        ),
        "risks": child["risks"],
    }
