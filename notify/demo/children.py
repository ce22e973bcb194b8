"""The demo data set: one authority's looked-after children, placed in and out of county.

Shaped like Worcestershire's "Placed Out of County Summary Report" to its Corporate
Parenting Board (July 2022): about 294 children placed out of county (52% in adjoining
authorities; 46% with foster carers, 34% in residential care; 66 with our own carers, 44
of them connected persons; 23 placed for adoption; 6 with parents; 3 in secure or
youth-justice placements) and about 500 placed in county.

Every child and placement goes through the placement service, so the rules fire as in
real use. Names are drawn from lists of common names; postcodes are real, streets are
not. Nothing here commits, and nothing logs or prints a name or date of birth.
"""

import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models import (
    Approval,
    Authority,
    Child,
    Contact,
    DeliveryAttempt,
    District,
    HealthBody,
    Notification,
    Placement,
    Postcode,
    User,
)
from models.enums import (
    AckVia,
    Division,
    NotificationStatus,
    RecipientKind,
    RecipientRole,
    Role,
)
from notify import codes
from notify.auth.service import create_user
from notify.calendar import WorkingDays
from notify.demo.hosted import seed_hosted
from notify.demo.people import made_up_nhs_number
from notify.demo.ssda903 import add_903_details
from notify.geography.store import adjoining, resolve_postcode
from notify.notifications.calendars import working_day_calendars
from notify.notifications.rules import ApprovalRequirement
from notify.placements.service import (
    ChildDetails,
    PlacementDetails,
    end_placement,
    plan_placement,
    record_child,
    record_placement,
)
from notify.problems import InvalidInput

DEMO_AUTHORITY = "E10000034"
DEMO_PASSWORD = "demo-password-1"
DEFAULT_SEED = 2022

# Targets at scale 1 (the board report's figures).
OUT_OF_AREA_CHILDREN = 294
IN_COUNTY_CHILDREN = 500
LEFT_CARE_CHILDREN = 30
ADJOINING_SHARE = 0.52
DISABILITY_SHARE = 0.07
WALES_PLACEMENTS = 4
SCOTLAND_PLACEMENTS = 1
AWAITING_APPROVAL = 5
AUTHORITIES_WITHOUT_ADDRESS = 3

# The bank-holiday calendar starts in 2012: no placement may be dated before it.
EARLIEST_PLACEMENT = date(2012, 2, 1)
# Notices due longer ago than this are settled as history (sent, mostly acknowledged).
SETTLED_AFTER_DAYS = 30
NEEDS_ADDRESS_KEPT_DAYS = 60
RECENT_DAYS = 45
RECENT_SHARE = 0.1  # of current placements out of area; half that in county
# How the history of sending and chasing is told (DOMAIN.md §3; the chaser's defaults).
LATE_SHARE = 0.06  # notices sent after their send-by date
# The demo records its history today; the reason its notices give for being late. The
# history is then told as if each change had been recorded on its day.
HISTORY_REASON = "Recorded from the case file for the demonstration"
LATE_REASONS = (
    "The carer was found late in the evening and the move confirmed the next morning",
    "The social worker was off sick and the move was recorded on their return",
    "The address was confirmed by the provider only on the day",
)
ACKNOWLEDGE_WORKING_DAYS = 5
REMINDER_EVERY = 5
REMINDER_LIMIT = 3
ESCALATE_AFTER = 10
SILENT_AUTHORITIES = 3  # authorities that have stopped answering
SILENT_FOR_DAYS = 70  # how long they have been silent
CHASED_EVENTS = ("placement_start", "address_change", "placement_end")

T = TypeVar("T")


@dataclass(frozen=True)
class Kind:
    """A kind of placement, as the board report counts them, with its 903 codes."""

    name: str
    places: tuple[str, ...]
    providers: tuple[str, ...]
    ages: tuple[int, int]
    adjoining_weight: float = 1.0
    legal_statuses: tuple[tuple[str, int], ...] = (("C2", 80), ("V2", 12), ("C1", 8))
    disabled_weight: float = 1.0
    far_away_ok: bool = False  # may be in Wales or Scotland


KINSHIP = Kind("kinship", ("U1", "U3"), ("PR1",), (0, 17), 2.0, far_away_ok=True)
OWN_FOSTER = Kind("own_foster", ("U4", "U6"), ("PR1",), (0, 17), 5.0)
AGENCY_FOSTER = Kind(
    "agency_foster", ("U4", "U6"), ("PR4", "PR4", "PR4", "PR5"), (0, 17), 1.2, far_away_ok=True
)
OTHER_LA_FOSTER = Kind("other_la_foster", ("U4", "U6"), ("PR2",), (0, 17), 1.0)
CHILDRENS_HOME = Kind(
    "childrens_home",
    ("K2",),
    ("PR4", "PR4", "PR4", "PR5"),
    (10, 17),
    0.8,
    (("C2", 85), ("V2", 15)),
    disabled_weight=3.0,
    far_away_ok=True,
)
OWN_CHILDRENS_HOME = Kind(
    "own_childrens_home",
    ("K2",),
    ("PR1", "PR4"),
    (10, 17),
    legal_statuses=(("C2", 85), ("V2", 15)),
    disabled_weight=3.0,
)
RESIDENTIAL_SCHOOL = Kind(
    "residential_school",
    ("S1",),
    ("PR4", "PR5"),
    (8, 17),
    0.5,
    (("C2", 60), ("V2", 40)),
    disabled_weight=100.0,
    far_away_ok=True,
)
ADOPTION = Kind(
    "adoption",
    ("A6", "A6", "A6", "A4"),
    ("PR1", "PR2", "PR5"),
    (0, 5),
    0.8,
    (("E1", 90), ("D1", 5), ("C2", 5)),
    disabled_weight=0.5,
)
PARENTS = Kind("parents", ("P1",), ("PR0",), (0, 17), 2.0, (("C2", 90), ("C1", 10)))
SECURE = Kind("secure", ("K1",), ("PR2",), (13, 17), 0.3, (("J2", 1),))
YOUTH_JUSTICE = Kind("youth_justice", ("R5",), ("PR3",), (15, 17), 0.3, (("J2", 1),))
SUPPORTED = Kind("supported", ("K3",), ("PR4", "PR5"), (16, 17), 1.5, (("C2", 60), ("V2", 40)))
HEALTH = Kind("health", ("R2",), ("PR3",), (11, 17), 1.0, disabled_weight=5.0)
PARENT_AND_CHILD = Kind(
    "parent_and_child", ("R3",), ("PR4", "PR5"), (0, 0), 1.0, (("C1", 60), ("C2", 40))
)

# The board report's split of the children placed out of county (294).
OUT_OF_AREA_MIX: tuple[tuple[Kind, int], ...] = (
    (KINSHIP, 44),
    (OWN_FOSTER, 22),
    (AGENCY_FOSTER, 61),
    (OTHER_LA_FOSTER, 8),
    (CHILDRENS_HOME, 92),
    (RESIDENTIAL_SCHOOL, 8),
    (ADOPTION, 23),
    (PARENTS, 6),
    (SECURE, 2),
    (YOUTH_JUSTICE, 1),
    (SUPPORTED, 22),
    (HEALTH, 3),
    (PARENT_AND_CHILD, 2),
)
# Placed in county (500): mostly our own foster and connected-person carers.
IN_COUNTY_MIX: tuple[tuple[Kind, int], ...] = (
    (OWN_FOSTER, 210),
    (KINSHIP, 85),
    (AGENCY_FOSTER, 60),
    (OWN_CHILDRENS_HOME, 45),
    (PARENTS, 40),
    (ADOPTION, 20),
    (SUPPORTED, 30),
    (RESIDENTIAL_SCHOOL, 5),
    (PARENT_AND_CHILD, 5),
)
# Earlier placements of children who have moved.
HISTORY_MIX: tuple[tuple[Kind, str, int], ...] = (
    (OWN_FOSTER, "in", 45),
    (AGENCY_FOSTER, "in", 12),
    (AGENCY_FOSTER, "adjoining", 8),
    (KINSHIP, "in", 10),
    (OWN_CHILDRENS_HOME, "in", 5),
    (CHILDRENS_HOME, "distant", 7),
    (PARENTS, "in", 5),
)
# Why children left care in the last six months: (903 REC, the placement they left).
LEAVING_MIX: tuple[tuple[str, Kind, int], ...] = (
    ("E4A", PARENTS, 30),
    ("E11", ADOPTION, 10),
    ("E12", ADOPTION, 5),
    ("E45", KINSHIP, 8),
    ("E47", KINSHIP, 7),
    ("E17", AGENCY_FOSTER, 15),
    ("E5", SUPPORTED, 15),
    ("E13", OWN_FOSTER, 5),
    ("E8", OWN_FOSTER, 5),
)
LEAVING_DESTINATIONS = {
    "E4A": "Returned home to parent",
    "E11": "Adopted",
    "E12": "Adopted",
    "E45": "Special guardianship with former foster carers",
    "E47": "Special guardianship with relatives",
    "E17": "Staying put with former foster carers",
    "E5": "Supported lodgings for care leavers",
    "E13": "Living with a relative",
    "E8": "Left care",
}
CHANGE_REASONS = (
    ("CARPL", 40),
    ("CREQB", 12),
    ("CREQO", 10),
    ("CHILD", 6),
    ("LAREQ", 6),
    ("CLOSE", 4),
    ("STAND", 4),
    ("ALLEG", 3),
    ("PLACE", 5),
    ("APPRR", 2),
    ("OTHER", 8),
)
# Looked-after children are older than children in general (DfE, 31 March figures).
AGE_WEIGHTS = (5, 4, 4, 4, 4, 4, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 9, 8)
ETHNICITIES = (
    ("WBRI", 78),
    ("WOTH", 4),
    ("WIRT", 1),
    ("WROM", 1),
    ("MWBC", 4),
    ("MWBA", 1),
    ("MWAS", 2),
    ("MOTH", 2),
    ("APKN", 1),
    ("AIND", 1),
    ("BCRB", 1),
    ("BAFR", 1),
    ("OOTH", 1),
    ("NOBT", 2),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Common given and family names in the UK, combined at random: nobody real is meant.
BOYS = _words(
    "Oliver George Harry Jack Jacob Noah Charlie Thomas Oscar William James Leo Alfie Henry "
    "Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Logan Lucas Daniel "
    "Theo Arthur Harrison Benjamin Mason Finley Reuben Tyler Riley Kai Dylan Jayden Callum "
    "Connor Kieran Liam Lewis Ryan Jamie Bailey Ashton Muhammad"
)
GIRLS = _words(
    "Olivia Amelia Isla Ava Mia Isabella Sophia Grace Lily Freya Emily Ivy Ella Rosie Evie "
    "Florence Poppy Charlotte Willow Sienna Ruby Jessica Chloe Holly Megan Lauren Ellie Phoebe "
    "Millie Daisy Amber Leah Scarlett Keira Layla Maisie Summer Abigail Harriet Niamh Caitlin "
    "Courtney Paige Jade Aisha"
)
FAMILY_NAMES = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
    "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook "
    "Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall "
    "Anderson Simpson Ellis Adams Singh Wilkinson Foster Chapman Powell Webb Rogers Gray Mason "
    "Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell "
    "Barker Fisher Stevens Jenkins Murray Dixon Harvey"
)
UASC_GIVEN = _words(
    "Ahmad Mohammad Abdullah Yonas Dawit Mustafa Hamid Omar Samir Bilal Tesfay Idris"
)
UASC_FAMILY = _words("Ahmadi Hussaini Rahimi Karimi Haile Gebre Abdi Osman Mohammed Yusuf Tekle")

# Made-up street and place names: the postcodes are real, these are not.
NAME_STARTS = _words(
    "Amber Bramble Copper Dapple Elder Fennel Glebe Heron Ivy Juniper Kestrel Linnet Marigold "
    "Nettle Orchard Plover Quince Rowan Sorrel Teasel Umber Vetch Wren Yarrow Sedge Tansy "
    "Lapwing Foxglove Cowslip Larch"
)
NAME_ENDS = _words("brook croft dene field gate hurst mead moor ridge stead thorpe well combe ley")
STREET_TYPES = _words("Road Lane Close Way Drive Grove Crescent Gardens Avenue Walk Rise Place")
HOME_SUFFIXES = ("House", "Lodge", "Court", "View", "Cottage")

RISKS = (
    "Missing episodes in the last six months",
    "Assessed risk of child criminal exploitation",
    "Assessed risk of child sexual exploitation",
    "Self-harm: see the safety plan",
    "Online safety concerns",
)


@dataclass
class _Placement:
    kind: Kind
    area: str  # in | adjoining | distant | wales | scotland
    start: date = date.min
    authority: str = ""
    postcode: str = ""
    place: str = ""
    provider: str = ""
    emergency: bool = False
    reason_for_change: str | None = None
    carer_name: str | None = None
    address_line_1: str = ""
    telephone: str | None = None
    urn: str | None = None
    recent: bool = False
    awaiting_approval: bool = False


GROUP_COUNTS = {"out": "placed_out_of_area", "in": "placed_in_county", "left": "left_care"}


@dataclass
class _Child:
    group: str  # a key of GROUP_COUNTS
    details: ChildDetails
    placements: list[_Placement]
    contacts: list[dict[str, object]] = field(default_factory=list)
    leaving: tuple[date, str] | None = None


def load_demo(
    session: Session,
    home_authority_code: str,
    today: date,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
) -> dict[str, int]:
    """Load the demo data set for `home_authority_code` into the caller's transaction and say
    how many of each thing it made. Deterministic for a seed and a database."""
    rng = random.Random(seed)
    home = session.get(Authority, home_authority_code)
    if home is None:
        raise ValueError(f"No authority has the code {home_authority_code!r}: load reference data")
    neighbours = sorted(adjoining(session, home_authority_code))
    pools = _postcode_pools(session)
    if not pools.get(home.code):
        raise ValueError(f"No postcodes are loaded for {home.name}: load reference data")

    users = _create_users(session, _slug(home.name))
    plan = _plan_children(rng, home, neighbours, pools, _authorities(session), today, scale)
    # The session's identity map holds rows only while something refers to them; holding the
    # reference rows the demo touches lets thousands of lookups skip the database.
    held = _hold_reference_rows(session)
    directory = _fill_directory(session, rng, home, plan, today)
    counts = _write_children(session, rng, home, plan, users, today)
    counts.update(_settle_past_notifications(session, rng, home, today))
    add_903_details(session, random.Random(seed), home.code)
    counts.update(directory)
    # other authorities' children placed here, and the notices still on the triage queue
    counts.update(seed_hosted(session, rng, today))
    counts["users"] = len(users)
    del held
    return counts


# --- Planning: pure choices from the random generator -----------------------------------


def _plan_children(
    rng: random.Random,
    home: Authority,
    neighbours: Sequence[str],
    pools: dict[str, list[str]],
    authorities: dict[str, Authority],
    today: date,
    scale: float,
) -> list[_Child]:
    prefix = _slug(home.name)[:3].upper()
    home_pool = pools[home.code]
    neighbours = [code for code in neighbours if pools.get(code)]
    distant = [
        a
        for code, a in sorted(authorities.items())
        if a.nation == "england"
        and code != home.code
        and code not in neighbours
        and pools.get(code)
    ]
    wales = [a.code for a in authorities.values() if a.nation == "wales" and pools.get(a.code)]
    scotland = [
        a.code for a in authorities.values() if a.nation == "scotland" and pools.get(a.code)
    ]
    distant_weights = [_region_weight(a.region) for a in distant]
    # Eight independent reviewing officers share the caseload.
    iros = [(rng.choice(BOYS + GIRLS), rng.choice(FAMILY_NAMES)) for _ in range(8)]

    out_slots = _out_of_area_slots(rng, scale, neighbours, bool(wales), bool(scotland))
    in_slots = [_Placement(kind, "in") for kind in _expand(IN_COUNTY_MIX, scale)]
    leaving_total = sum(n for *_, n in LEAVING_MIX)
    leavers = [
        (rec, _Placement(kind, "in" if rng.random() < 0.8 else "adjoining"))
        for rec, kind in _expand(
            [((r, k), n) for r, k, n in LEAVING_MIX], scale * LEFT_CARE_CHILDREN / leaving_total
        )
    ]
    for slots, share in ((out_slots, RECENT_SHARE), (in_slots, RECENT_SHARE / 2)):
        for slot in rng.sample(slots, max(1, round(share * len(slots)))):
            slot.recent = True
    _mark_awaiting_approval(rng, out_slots, scale)

    def choose_authority(slot: _Placement) -> str:
        match slot.area:
            case "in":
                return home.code
            case "adjoining" if neighbours:
                return rng.choice(neighbours)
            case "wales":
                return rng.choice(sorted(wales))
            case "scotland":
                return rng.choice(sorted(scotland))
        return rng.choices(distant, weights=distant_weights)[0].code

    children: list[_Child] = []
    groups: list[tuple[str, _Placement, str | None]] = [("out", s, None) for s in out_slots]
    groups += [("in", s, None) for s in in_slots]
    groups += [("left", s, rec) for rec, s in leavers]
    # About 7% of the children in each group have a disability, most in residential care.
    disabled = {
        id(slot)
        for slots in (out_slots, in_slots, [s for _, s in leavers])
        for slot in _weighted_sample(
            rng,
            slots,
            [s.kind.disabled_weight for s in slots],
            round(DISABILITY_SHARE * len(slots)),
        )
    }
    for number, (group, slot, rec) in enumerate(groups, start=1):
        slot.authority = choose_authority(slot)
        end = today - timedelta(days=rng.randint(3, 180)) if rec else None
        age = _age(rng, slot.kind, rec)
        dob = _date_of_birth(rng, age, end or today)
        details = _child_details(
            rng,
            f"{prefix}{100000 + number}",
            slot.kind,
            age,
            dob,
            rng.choice(home_pool),
            home.code,
            id(slot) in disabled,
        )
        placements = _history(rng, slot, dob, end or today, rec is not None)
        for p in placements:
            if not p.authority:
                p.authority = choose_authority(p)
            _dress(rng, p, pools[p.authority], details.family_name)
        child = _Child(group, details, placements)
        child.contacts = _contacts(rng, home, iros, age, placements[-1])
        child.contacts.extend(_family(details, age, home_pool))
        if rec:
            assert end is not None
            child.leaving = (end, rec)
        children.append(child)
    return children


def _out_of_area_slots(
    rng: random.Random, scale: float, neighbours: Sequence[str], has_wales: bool, has_scotland: bool
) -> list[_Placement]:
    kinds = _expand(OUT_OF_AREA_MIX, scale)
    slots = [_Placement(kind, "distant") for kind in kinds]
    n_adjoining = round(ADJOINING_SHARE * len(slots)) if neighbours else 0
    for slot in _weighted_sample(rng, slots, [s.kind.adjoining_weight for s in slots], n_adjoining):
        slot.area = "adjoining"
    far = [s for s in slots if s.area == "distant" and s.kind.far_away_ok]
    n_wales = _scaled_min1(WALES_PLACEMENTS, scale) if has_wales else 0
    n_scotland = _scaled_min1(SCOTLAND_PLACEMENTS, scale) if has_scotland else 0
    chosen = rng.sample(far, min(len(far), n_wales + n_scotland))
    for i, slot in enumerate(chosen):
        slot.area = "wales" if i < n_wales else "scotland"
    return slots


def _mark_awaiting_approval(rng: random.Random, slots: list[_Placement], scale: float) -> None:
    """A few recent placements that need reg 11 approval have not had it yet."""
    needing = [s for s in slots if s.kind not in (KINSHIP, OWN_FOSTER)]
    for slot in rng.sample(needing, min(len(needing), _scaled_min1(AWAITING_APPROVAL, scale))):
        slot.awaiting_approval = True


def _history(
    rng: random.Random, current: _Placement, dob: date, until: date, leaving: bool
) -> list[_Placement]:
    """1-4 placements ending with `current`, the first from the child's entry to care."""
    earliest = max(dob + timedelta(days=1), EARLIEST_PLACEMENT)
    room = (until - earliest).days
    if current.recent or current.awaiting_approval:
        current_start = until - timedelta(
            days=rng.randint(0, 20 if current.awaiting_approval else RECENT_DAYS - 1)
        )
    else:
        current_start = until - timedelta(days=min(int(rng.expovariate(1 / 420)) + 7, room))
    current_start = max(current_start, earliest)
    if leaving:
        current_start = min(current_start, until - timedelta(days=30))
        current_start = max(current_start, earliest)
    wanted = rng.choices((1, 2, 3, 4), weights=(35, 30, 20, 15))[0]
    starts = [current_start]
    cursor = current_start
    for _ in range(wanted - 1):
        cursor -= timedelta(days=14 + int(rng.expovariate(1 / 240)))
        if cursor < earliest:
            break
        starts.append(cursor)
    starts.reverse()

    placements = []
    for i, start in enumerate(starts):
        if i == len(starts) - 1:
            p = current
        else:
            kind, area, _ = rng.choices(HISTORY_MIX, weights=[w for *_, w in HISTORY_MIX])[0]
            if current.kind is ADOPTION:
                kind, area = OWN_FOSTER, "in"
            p = _Placement(kind, area)
        p.start = start
        p.emergency = rng.random() < (0.35 if p.recent else 0.25 if i == 0 else 0.1)
        if i > 0:
            p.reason_for_change = _weighted(rng, CHANGE_REASONS)
            if p.kind in (ADOPTION, YOUTH_JUSTICE, SECURE):
                p.reason_for_change = "CUSTOD" if p.kind is YOUTH_JUSTICE else "CARPL"
        if p.kind in (ADOPTION, SECURE, YOUTH_JUSTICE):
            p.emergency = p.kind is SECURE and rng.random() < 0.5
        placements.append(p)
    return placements


def _dress(rng: random.Random, p: _Placement, pool: list[str], family_name: str) -> None:
    """Choose codes valid on the start date, an address and a carer."""
    p.postcode = rng.choice(pool)
    p.place = rng.choice(p.kind.places)
    if p.kind is SUPPORTED and not codes.is_valid("PLACE", "K3", on=p.start):
        p.place = "H5"  # supported accommodation before K3 existed (2024-25)
    p.provider = rng.choice(p.kind.providers)
    number = rng.randint(1, 140)
    street = f"{rng.choice(NAME_STARTS)}{rng.choice(NAME_ENDS)} {rng.choice(STREET_TYPES)}"
    p.address_line_1 = f"{number} {street}"
    p.telephone = f"01632 960{rng.randint(0, 999):03d}"
    establishment = f"{rng.choice(NAME_STARTS)}{rng.choice(NAME_ENDS)}"
    surname = rng.choice(FAMILY_NAMES)
    match p.kind.name:
        case "kinship":
            p.carer_name = rng.choice(
                (
                    f"Mrs {family_name}",
                    f"Mr and Mrs {family_name}",
                    f"Ms {surname}",
                    f"Mr and Mrs {surname}",
                )
            )
        case "own_foster" | "agency_foster" | "other_la_foster":
            p.carer_name = rng.choice(
                (
                    f"Mr and Mrs {surname}",
                    f"Ms {surname}",
                    f"Mr {surname} and Mr {rng.choice(FAMILY_NAMES)}",
                    f"Mrs {surname}",
                )
            )
        case "childrens_home" | "own_childrens_home":
            p.carer_name = f"{establishment} {rng.choice(HOME_SUFFIXES)}"
            p.address_line_1 = f"{establishment} {rng.choice(HOME_SUFFIXES)}, {street}"
            p.urn = f"SC9{rng.randint(0, 99999):05d}"
        case "residential_school":
            p.carer_name = f"{establishment} School"
            p.urn = f"9{rng.randint(0, 99999):05d}"
        case "secure":
            p.carer_name = f"{establishment} Secure Children's Home"
            p.urn = f"SC9{rng.randint(0, 99999):05d}"
        case "youth_justice":
            p.carer_name = f"{establishment} Young Offender Institution"
        case "supported":
            p.carer_name = f"{establishment} Supported Lodgings"
            p.urn = f"SC9{rng.randint(0, 99999):05d}" if p.place == "K3" else None
        case "health":
            p.carer_name = f"{establishment} Adolescent Unit"
        case "parent_and_child":
            p.carer_name = f"{establishment} Family Centre"
        case "adoption":
            p.carer_name = "Prospective adopters (details held by the adoption agency)"
        case "parents":
            p.carer_name = rng.choice(("Mother", "Father", "Parents"))
            p.telephone = f"07700 900{rng.randint(0, 999):03d}"


def _child_details(
    rng: random.Random,
    case_reference: str,
    kind: Kind,
    age: int,
    dob: date,
    home_postcode: str,
    home_code: str,
    disabled: bool,
) -> ChildDetails:
    uasc = kind in (SUPPORTED, AGENCY_FOSTER) and age >= 15 and rng.random() < 0.15
    sex = "M" if uasc else rng.choice("MF")
    if uasc:
        given, family = rng.choice(UASC_GIVEN), rng.choice(UASC_FAMILY)
        ethnicity = rng.choice(("AOTH", "BAFR", "OOTH"))
        legal_status = "V2"
    else:
        given = rng.choice(BOYS if sex == "M" else GIRLS)
        family = rng.choice(FAMILY_NAMES)
        ethnicity = _weighted(rng, ETHNICITIES)
        legal_status = _weighted(rng, kind.legal_statuses)
    risky = age >= 12 and rng.random() < 0.12
    return ChildDetails(
        case_reference=case_reference,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        sex=sex,
        legal_status=legal_status,
        home_postcode=home_postcode,
        ethnicity=ethnicity,
        nhs_number=made_up_nhs_number(rng) if rng.random() < 0.9 else None,
        uasc=uasc,
        disability=disabled,
        child_protection_plan=rng.random() < 0.03,
        ehc_plan_maintained_by=home_code if age >= 3 and (disabled or rng.random() < 0.2) else None,
        police_flag=risky and rng.random() < 0.5,
        risks=rng.choice(RISKS) if risky else None,
    )


def _contacts(
    rng: random.Random,
    home: Authority,
    iros: Sequence[tuple[str, str]],
    age: int,
    current: _Placement,
) -> list[dict[str, object]]:
    """A GP, a school and an IRO for many children, with addresses under reserved domains."""
    found: list[dict[str, object]] = []
    if rng.random() < 0.85:
        practice = f"{rng.choice(NAME_STARTS)}{rng.choice(NAME_ENDS)} " + rng.choice(
            ("Surgery", "Medical Centre", "Health Centre", "Medical Practice")
        )
        email = f"reception@{_slug(practice)}.gp.example" if rng.random() > 0.01 else None
        found.append(
            {
                "role": RecipientRole.GP,
                "name": f"Dr {rng.choice(FAMILY_NAMES)}",
                "organisation": practice,
                "email": email,
                "phone": f"01632 960{rng.randint(0, 999):03d}",
            }
        )
    if age >= 4 and rng.random() < 0.9 and current.kind not in (SECURE, YOUTH_JUSTICE):
        stage = "Primary School" if age < 11 else "High School" if age < 16 else "College"
        school = f"{rng.choice(NAME_STARTS)}{rng.choice(NAME_ENDS)} {stage}"
        found.append(
            {
                "role": RecipientRole.SCHOOL,
                "name": "Designated teacher",
                "organisation": school,
                "email": f"designated.teacher@{_slug(school)}.school.example",
                "phone": f"01632 960{rng.randint(0, 999):03d}",
            }
        )
    if rng.random() < 0.95:
        given, family = rng.choice(iros)
        found.append(
            {
                "role": RecipientRole.IRO,
                "name": f"{given} {family}",
                "organisation": f"{home.name} independent reviewing officers",
                "email": f"{given}.{family}@{_slug(home.name)}.example".lower(),
                "phone": f"01632 960{rng.randint(0, 999):03d}",
            }
        )
    return found


# Reg 13(3) decisions as a team manager records them.
WITHHOLD_REASONS = (
    "Telling him where she lives would put her at risk of significant harm: he has "
    "threatened to take her from the placement",
    "Subject to a non-molestation order; the address must not be disclosed",
    "Police advice: disclosure would put the child at risk of exploitation",
)


def _family(details: ChildDetails, age: int, postcodes: Sequence[str]) -> list[dict[str, object]]:
    """The child's own people (reg 13(2)(a)-(d)): the child from 12, parents, a grandparent
    with contact. Fictional, on reserved domains; a few parents withheld under reg 13(3)
    and a few reached only by post. Drawn from the child's own seed, so adding them leaves
    the rest of the demo as it was."""
    rng = random.Random(details.case_reference)
    family = details.family_name
    found: list[dict[str, object]] = []

    def reach(given: str) -> dict[str, object]:
        if rng.random() < 0.15:  # no email: a letter, by post
            return {
                "email": None,
                "address_line_1": f"{rng.randint(1, 120)} {rng.choice(NAME_STARTS)}"
                f"{rng.choice(NAME_ENDS)} {rng.choice(STREET_TYPES)}",
                "town": None,
                "postcode": rng.choice(postcodes),
            }
        return {"email": f"{given}.{family}@family.example".lower()}

    if age >= 12 and rng.random() < 0.7:
        found.append(
            {
                "role": RecipientRole.CHILD,
                "name": f"{details.given_name} {family}",
                "email": f"{details.given_name}.{family}@young-people.example".lower(),
            }
        )
    if rng.random() < 0.85:
        given = rng.choice(GIRLS)
        found.append({"role": RecipientRole.PARENT, "name": f"{given} {family}", **reach(given)})
    if rng.random() < 0.55:
        given = rng.choice(BOYS)
        father: dict[str, object] = {
            "role": RecipientRole.PARENT,
            "name": f"{given} {rng.choice(FAMILY_NAMES) if rng.random() < 0.4 else family}",
            **reach(given),
        }
        if rng.random() < 0.12:
            father.update(
                withhold_reason=rng.choice(WITHHOLD_REASONS),
                withhold_decided_by=f"Team manager, {rng.choice(GIRLS)} {rng.choice(FAMILY_NAMES)}",
                withhold_decided_on=details.date_of_birth + timedelta(days=365 * max(age - 1, 0)),
            )
        found.append(father)
    if rng.random() < 0.2:
        given = rng.choice(GIRLS)
        found.append(
            {
                "role": RecipientRole.CONTACT_ORDER_HOLDER,
                "name": f"{given} {rng.choice(FAMILY_NAMES)}",
                "organisation": "Grandparent (contact order)",
                **reach(given),
            }
        )
    return found


def _age(rng: random.Random, kind: Kind, leaving_reason: str | None) -> int:
    if leaving_reason in {"E17", "E5"}:
        return 18
    if leaving_reason in {"E11", "E12"}:
        return rng.randint(1, 4)
    low, high = kind.ages
    ages = list(range(low, high + 1))
    return rng.choices(ages, weights=[AGE_WEIGHTS[a] for a in ages])[0]


def _date_of_birth(rng: random.Random, age: int, on: date) -> date:
    """A birthday giving `age` on `on`; those leaving care at 18 had just turned 18."""
    return on - timedelta(days=int(age * 365.25) + rng.randint(1, 60 if age >= 18 else 364))


def _expand(mix: Sequence[tuple[T, int]], scale: float) -> list[T]:
    """Items repeated to their scaled counts, rounded so the total is the scaled total."""
    counts = [n for _, n in mix]
    total = round(sum(counts) * scale)
    exact = [n * total / sum(counts) for n in counts]
    whole = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (whole[i] - exact[i], i))
    for i in by_remainder[: total - sum(whole)]:
        whole[i] += 1
    return [item for (item, _), n in zip(mix, whole, strict=True) for _ in range(n)]


def _scaled_min1(n: float, scale: float) -> int:
    return max(1, round(n * scale))


def _weighted_sample(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """k items without replacement, each drawn in proportion to its weight."""
    keys = [rng.random() ** (1 / w) for w in weights]
    order = sorted(range(len(items)), key=lambda i: keys[i], reverse=True)
    return [items[i] for i in order[:k]]


def _weighted(rng: random.Random, pairs: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _region_weight(region: str | None) -> float:
    """Distant placements cluster in the Midlands and the west, but reach all of England."""
    name = (region or "").lower()
    if "west midlands" in name:
        return 5.0
    if any(r in name for r in ("east midlands", "south west", "north west")):
        return 2.5
    if "london" in name:
        return 0.6
    return 1.0


def _slug(name: str) -> str:
    """An email-safe label from a council or NHS body's name ("Bristol, City of" -> bristol)."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r",\s*(City|County) of$", "", name)
    name = re.sub(r"^NHS\s+", "", name)
    name = re.sub(r"\s+Integrated Care Board$", " ICB", name)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --- Reading reference data --------------------------------------------------------------


def _authorities(session: Session) -> dict[str, Authority]:
    return {a.code: a for a in session.scalars(select(Authority).where(Authority.active))}


def _postcode_pools(session: Session) -> dict[str, list[str]]:
    """Live postcodes with a centroid, by children's services authority, in postcode order.

    With a full postcode file loaded (1.7 million rows) the postcodes whose unit starts with
    A (about one in twenty) are plenty and keep the scan quick; the sample is fixed, so the
    demo stays deterministic.
    """
    authority_of = dict(session.execute(select(District.code, District.authority_code)).all())
    stmt = select(Postcode.postcode, Postcode.district_code).where(
        Postcode.lat.is_not(None), Postcode.lon.is_not(None)
    )
    if (session.scalar(select(func.count()).select_from(Postcode)) or 0) > 200_000:
        stmt = stmt.where(func.substr(Postcode.postcode, -2, 1) == "A")
    pools: dict[str, list[str]] = {}
    for postcode, district_code in session.execute(stmt):
        authority_code = authority_of.get(district_code or "")
        if authority_code is not None:
            pools.setdefault(authority_code, []).append(postcode)
    for pool in pools.values():
        pool.sort()
    return pools


def _hold_reference_rows(session: Session) -> list[object]:
    held: list[object] = []
    for model in (Authority, HealthBody):
        held.extend(session.scalars(select(model)))
    return held


# --- Writing -----------------------------------------------------------------------------


def _create_users(session: Session, domain: str) -> dict[Role, User]:
    """One user per role, all with the demo password; existing ones are left as they are."""
    names = {
        Role.SOCIAL_WORKER: "Sam Social Worker",
        Role.SQA_OFFICER: "Sasha SQA Officer",
        Role.BUSINESS_SUPPORT: "Bea Business Support",
        Role.MANAGER: "Morgan Manager",
        Role.ADMIN: "Alex Administrator",
    }
    teams = {
        Role.SOCIAL_WORKER: "Children in care",
        Role.SQA_OFFICER: "Safeguarding QA",
        Role.BUSINESS_SUPPORT: "Business support",
        Role.MANAGER: "Nominated officers",
        Role.ADMIN: "Systems",
    }
    users = {}
    for role in Role:
        email = f"{role.value}@{domain}.example"
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(
                session,
                email=email,
                name=names[role],
                role=role.value,
                password=DEMO_PASSWORD,
                team=teams[role],
            )
        users[role] = user
    session.flush()
    return users


def sign_ins(session: Session, home_authority_code: str) -> list[tuple[str, str]]:
    """(role, email) of each demo user, for printing after loading."""
    home = session.get(Authority, home_authority_code)
    domain = _slug(home.name if home else home_authority_code)
    return [(role.value, f"{role.value}@{domain}.example") for role in Role]


def _fill_directory(
    session: Session, rng: random.Random, home: Authority, plan: list[_Child], today: date
) -> dict[str, int]:
    """Give every authority and health body a notification address, but for a handful
    placed with recently (so the demo shows "needs address"); add our SQA team."""
    recent_far = sorted(
        {
            p.authority
            for c in plan
            for p in c.placements[-1:]
            if p.area in {"distant", "wales", "scotland"} and (today - p.start).days < RECENT_DAYS
        }
    )
    used_earlier = {
        p.authority for c in plan for p in c.placements if (today - p.start).days >= RECENT_DAYS
    }
    candidates = [code for code in recent_far if code not in used_earlier] or recent_far
    without = set(rng.sample(candidates, min(AUTHORITIES_WITHOUT_ADDRESS, len(candidates))))
    far_bodies = sorted(
        {
            resolve_postcode(session, p.postcode).health_body_code or ""
            for c in plan
            for p in c.placements[-1:]
            if p.authority in without
        }
        - {""}
    )
    home_body = resolve_postcode(session, plan[0].details.home_postcode).health_body_code
    far_bodies = [code for code in far_bodies if code != home_body]
    bodies_without = set(rng.sample(far_bodies, min(1, len(far_bodies))))

    for authority in session.scalars(select(Authority).order_by(Authority.code)):
        if authority.notification_email is None and authority.code not in without:
            authority.notification_email = f"placements@{_slug(authority.name)}.example"
    for body in session.scalars(select(HealthBody).order_by(HealthBody.code)):
        if body.notification_email is None and body.code not in bodies_without:
            body.notification_email = f"lac-health@{_slug(body.name)}.example"

    sqa = session.scalar(
        select(Contact).where(
            Contact.authority_code == home.code, Contact.role == RecipientRole.SQA
        )
    )
    if sqa is None:
        session.add(
            Contact(
                role=RecipientRole.SQA,
                name="Safeguarding quality assurance team",
                organisation=home.name,
                email=f"sqa@{_slug(home.name)}.example",
                phone="01632 960001",
                authority_code=home.code,
            )
        )
    managers = session.scalar(
        select(Contact).where(
            Contact.authority_code == home.code, Contact.role == RecipientRole.SQA_MANAGER
        )
    )
    if managers is None:
        # where the chaser escalates notices overdue 10 working days
        session.add(
            Contact(
                role=RecipientRole.SQA_MANAGER,
                name="SQA managers",
                organisation=home.name,
                email=f"sqa-managers@{_slug(home.name)}.example",
                phone="01632 960002",
                authority_code=home.code,
            )
        )
    session.flush()
    return {
        "authorities_without_address": len(without),
        "health_bodies_without_address": len(bodies_without),
    }


def _write_children(
    session: Session,
    rng: random.Random,
    home: Authority,
    plan: list[_Child],
    users: dict[Role, User],
    today: date,
) -> dict[str, int]:
    """Record each planned child, their contacts, placements, approvals and any leaving."""
    social_worker, manager = users[Role.SOCIAL_WORKER], users[Role.MANAGER]
    ceiling = _ceiling(today)
    counts: Counter[str] = Counter()
    for planned in plan:
        child = record_child(
            session, replace(planned.details, social_worker_id=social_worker.id), home.code, today
        )
        for contact in planned.contacts:
            session.add(Contact(child=child, **contact))
        for p in planned.placements:
            placement, approvals = _record(session, child, p, social_worker.id, today)
            counts["placements"] += 1
            if len(child.placements) > 1:
                previous = child.placements[-2]
                # The 903 return ends each episode: X1 when a new one starts the same day.
                if previous.end_reason is None:
                    previous.end_reason = "X1"
            for requirement in approvals:
                if p.awaiting_approval and p is planned.placements[-1]:
                    counts["awaiting_approval"] += 1
                    continue
                # History as it happened, so written as rows: the area authority's notice
                # went before the decision (the delivery history below sends it), which the
                # service, deciding now, would wait for.
                director = requirement.level == "director"
                approval = Approval(
                    placement=placement,
                    level=requirement.level,
                    decision="approved",
                    approver_id=manager.id,
                    area_authority_consulted=director or rng.random() < 0.5,
                    care_plan_sent=director,
                    note="Area authority consulted and sent the care plan"
                    if director
                    else "Area authority notified",
                )
                session.add(approval)
                # Approval comes before a planned placement, just after an emergency one.
                decided = p.start + timedelta(
                    days=rng.randint(1, 3) if p.emergency else -rng.randint(1, 10)
                )
                approval.decided_at = min(ceiling, _at(rng, decided))
                counts["approvals"] += 1
        if planned.leaving:
            end, reason = planned.leaving
            end_placement(
                session,
                child,
                child.placements[-1],
                end_date=end,
                end_reason=reason,
                destination=LEAVING_DESTINATIONS[reason],
                expected_version=child.version,
                today=today,
                not_practicable_reason=HISTORY_REASON,
            )
        counts["children"] += 1
        counts[GROUP_COUNTS[planned.group]] += 1
        counts["contacts"] += len(planned.contacts)
    session.flush()
    return dict(counts)


def _record(
    session: Session, child: Child, p: _Placement, actor_id: int, today: date
) -> tuple[Placement, tuple[ApprovalRequirement, ...]]:
    """Plan and record one placement as the web form does; where the postcode's district is
    split between health bodies, choose the first, as a person would have to."""
    details = PlacementDetails(
        start_date=p.start,
        placement_type=p.place,
        provider=p.provider,
        address_line_1=p.address_line_1,
        postcode=p.postcode,
        carer_name=p.carer_name,
        urn=p.urn,
        telephone=p.telephone,
        emergency=p.emergency,
        reason_for_change=p.reason_for_change if child.placements else None,
        late_reason=HISTORY_REASON,
    )
    approvals: tuple[ApprovalRequirement, ...] = ()
    try:
        # Only a placement out of area can need approval: plan those first, as the form does.
        if p.authority != child.responsible_authority_code:
            approvals = plan_placement(session, child, details, today).approvals
        placement = record_placement(
            session, child, details, expected_version=child.version, actor_id=actor_id, today=today
        ).placement
    except InvalidInput as exc:
        if set(exc.fields) != {"health_body_code"}:
            raise
        location = resolve_postcode(session, p.postcode, today)  # as the service resolved it
        details = replace(details, health_body_code=location.health_bodies[0].code)
        approvals = plan_placement(session, child, details, today).approvals
        placement = record_placement(
            session, child, details, expected_version=child.version, actor_id=actor_id, today=today
        ).placement
    return placement, approvals


def _settle_past_notifications(
    session: Session, rng: random.Random, home: Authority, today: date
) -> dict[str, int]:
    """Recreate the history of notices long due, as the dashboard should tell it.

    The service writes every notice as pending, as it would have been on the day; left so,
    the first run would send years of notices at once. Instead each is sent (a few late),
    and answered as its recipient answers: most authorities and health bodies promptly, some
    slowly, and a few not at all lately, their recent notices overdue and chased with the
    reminders and escalations the chaser would have written. A few recent ones failed.
    """
    calendars = working_day_calendars(session)
    ceiling = _ceiling(today)

    def at(day: date) -> datetime:
        return min(ceiling, _at(rng, day))

    scottish = {
        code
        for (code,) in session.execute(select(Authority.code).where(Authority.nation == "scotland"))
    }
    notifications = session.scalars(
        select(Notification)
        .where(
            Notification.status.in_((NotificationStatus.PENDING, NotificationStatus.NEEDS_ADDRESS))
        )
        .order_by(Notification.id)
    ).all()
    manners = _answering_manners(rng, notifications, home.code, today)
    manager = session.scalar(
        select(Contact).where(
            Contact.authority_code == home.code, Contact.role == RecipientRole.SQA_MANAGER
        )
    )
    attempts: list[dict[str, object]] = []
    chases: list[dict[str, object]] = []
    failures_left = 4
    for n in notifications:
        division = (
            Division.SCOTLAND
            if n.recipient_kind == RecipientKind.AUTHORITY and n.recipient_code in scottish
            else Division.ENGLAND_AND_WALES
        )
        working_days = calendars[division]
        age = (today - n.send_by).days
        if n.status == NotificationStatus.NEEDS_ADDRESS:
            if age > NEEDS_ADDRESS_KEPT_DAYS:
                sent = at(n.send_by)
                n.status = NotificationStatus.ACKNOWLEDGED
                n.acknowledged_at = sent
                n.acknowledged_via = AckVia.MANUAL
                n.acknowledgement_note = "No email address on file: told by telephone"
                n.late_reason = None
                n.next_attempt_at = None
            continue
        late = rng.random() < LATE_SHARE
        # as if recorded on its day: only those sent late say why
        n.late_reason = LATE_REASONS[n.id % len(LATE_REASONS)] if late else None
        sent_on = (
            working_days.add(n.send_by, rng.randint(1, 4))
            if late
            else n.send_by - timedelta(days=rng.randint(0, 3))
        )
        if sent_on > today or (age < 3 and rng.random() < 0.5):
            continue  # still to be sent: the worker picks it up
        sent = at(sent_on)
        n.attempts = 1
        n.sent_at = sent
        n.next_attempt_at = None
        if (
            failures_left
            and age < SETTLED_AFTER_DAYS
            and n.recipient_kind == RecipientKind.CONTACT
            and rng.random() < 0.05
        ):
            failures_left -= 1
            n.status = NotificationStatus.FAILED
            n.sent_at = None
            n.last_error = "550 5.1.1 Recipient address rejected: mailbox unavailable"
            attempts.append(
                {
                    "notification_id": n.id,
                    "attempted_at": sent,
                    "outcome": "permanent",
                    "error": n.last_error,
                }
            )
            continue
        attempts.append(
            {"notification_id": n.id, "attempted_at": sent, "outcome": "sent", "error": None}
        )
        n.status = NotificationStatus.SENT
        n.acknowledge_by = working_days.add(sent_on, ACKNOWLEDGE_WORKING_DAYS)
        manner = manners.get((n.recipient_kind, n.recipient_code or ""), "prompt")
        if n.event == "sqa_alert":
            manner = "prompt"  # our own team reads its alerts
        delay = _reply_delay(rng, manner, (today - sent_on).days)
        answered_on = working_days.add(sent_on, delay) if delay is not None else None
        if answered_on is not None and answered_on <= today:
            n.status = NotificationStatus.ACKNOWLEDGED
            n.acknowledged_at = max(sent, at(answered_on))
            n.acknowledged_via = _weighted(rng, ((AckVia.LINK, 85), (AckVia.MANUAL, 15)))
            n.acknowledged_by_name = _acknowledger(n)
            if n.acknowledged_via == AckVia.MANUAL:
                n.acknowledgement_note = "Confirmed by telephone"
        if n.event in CHASED_EVENTS:
            chases.extend(_chase_history(n, working_days, answered_on, manager, today, at))
    if attempts:
        session.execute(insert(DeliveryAttempt), attempts)
    if chases:
        session.execute(insert(Notification), chases)
    session.flush()
    statuses = Counter(session.scalars(select(Notification.status)))
    return {
        "notifications": sum(statuses.values()),
        **{f"notifications_{status}": n for status, n in sorted(statuses.items())},
        "reminders": sum(c["event"] == "reminder" for c in chases),
        "escalations": sum(c["event"] == "escalation" for c in chases),
    }


def _answering_manners(
    rng: random.Random, notifications: Sequence[Notification], home_code: str, today: date
) -> dict[tuple[str, str], str]:
    """How each authority and health body answers: most promptly, some slowly, and a few of
    those told most often this year not at all lately (so the dashboard has someone to
    chase). Contacts (GPs, schools, IROs) answer as people do: "contact"."""
    told: Counter[tuple[str, str]] = Counter(
        (n.recipient_kind, n.recipient_code or "")
        for n in notifications
        if n.recipient_kind in (RecipientKind.AUTHORITY, RecipientKind.HEALTH_BODY)
        and n.recipient_code != home_code
        and n.event in CHASED_EVENTS
        and (today - n.send_by).days < 365
    )
    manners: dict[tuple[str, str], str] = {}
    for kind, silent in (
        (RecipientKind.AUTHORITY, SILENT_AUTHORITIES),
        (RecipientKind.HEALTH_BODY, 1),
    ):
        ranked = [key for key, _ in told.most_common() if key[0] == kind]
        # the silent are among the busiest, though not the very busiest, and one from the rest
        busy, rest = ranked[2:15], ranked[15:]
        chosen = rng.sample(busy, min(silent - 1, len(busy))) + rng.sample(rest, min(1, len(rest)))
        for key in ranked:
            manners[key] = "silent" if key in chosen else "slow" if rng.random() < 0.3 else "prompt"
    return manners


def _reply_delay(rng: random.Random, manner: str, days_since_sent: int) -> int | None:
    """Working days from sending to acknowledgement (None: not answered, as yet)."""
    match manner:
        case "silent":
            # answers only after long chasing, and lately not at all
            return None if days_since_sent <= SILENT_FOR_DAYS else rng.randint(8, 22)
        case "slow":
            return rng.choice((1, 2, 3, 4, 5, 6, 7, 9))
        case "contact":
            if days_since_sent <= SILENT_FOR_DAYS and rng.random() < 0.03:
                return None
            return rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 6, 8))
    if days_since_sent <= SILENT_FOR_DAYS and rng.random() < 0.01:
        return None
    return rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4))


def _chase_history(
    n: Notification,
    working_days: WorkingDays,
    answered_on: date | None,
    manager: Contact | None,
    today: date,
    at: Callable[[date], datetime],
) -> list[dict[str, object]]:
    """The reminders and escalation the chaser would have written for `n` by `today` (or until
    it was answered), recorded on `n` as the chaser records them."""
    assert n.acknowledge_by is not None and n.sent_at is not None
    last_chased = today if answered_on is None or answered_on > today else answered_on
    last_chased -= timedelta(days=0 if last_chased == today else 1)
    if last_chased <= n.acknowledge_by:
        return []
    overdue = working_days.count(n.acknowledge_by, last_chased)
    due = min(REMINDER_LIMIT, 1 + (overdue - 1) // REMINDER_EVERY) if overdue >= 1 else 0
    rows: list[dict[str, object]] = []
    common = {
        "child_id": n.child_id,
        "placement_id": n.placement_id,
        "reminder_of_id": n.id,
        "status": NotificationStatus.SENT,
        "attempts": 1,
        "next_attempt_at": None,
    }
    for number in range(1, due + 1):
        day = working_days.add(n.acknowledge_by, 1 + (number - 1) * REMINDER_EVERY)
        rows.append(
            {
                **common,
                "event": "reminder",
                "chase_number": number,
                "recipient_kind": n.recipient_kind,
                "recipient_role": n.recipient_role,
                "recipient_code": n.recipient_code,
                "recipient_name": n.recipient_name,
                "channel": n.channel,
                "address": n.address,
                "send_by": day,
                "sent_at": at(day),
            }
        )
        n.reminders_sent = number
        n.last_reminded_on = day
    if overdue >= ESCALATE_AFTER:
        day = working_days.add(n.acknowledge_by, ESCALATE_AFTER)
        n.escalated_at = at(day)
        rows.append(
            {
                **common,
                "event": "escalation",
                "chase_number": 1,
                "recipient_kind": RecipientKind.INTERNAL,
                "recipient_role": RecipientRole.SQA_MANAGER,
                "recipient_code": str(manager.id) if manager else None,
                "recipient_name": manager.name if manager else "SQA managers",
                "channel": "email",
                "address": manager.email if manager else None,
                "send_by": day,
                "sent_at": n.escalated_at,
            }
        )
    return rows


def _acknowledger(n: Notification) -> str:
    match n.recipient_kind:
        case RecipientKind.AUTHORITY:
            return "Placements team"
        case RecipientKind.HEALTH_BODY:
            return "Looked-after children's health team"
        case RecipientKind.INTERNAL:
            return "SQA duty officer"
    return n.recipient_name


def _ceiling(today: date) -> datetime:
    """The latest time to stamp anything with: the end of `today`, or now if that is sooner."""
    return min(datetime.now(UTC), datetime.combine(today, time(23, 59), tzinfo=UTC))


def _at(rng: random.Random, day: date) -> datetime:
    """A time in the working day, in UTC."""
    return datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=UTC)
