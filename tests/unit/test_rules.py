"""Who must be told of a placement start, end or move, and which approvals it needs.

One table or test per row of DOMAIN.md §1 and §2. We are Worcestershire; the places
are real authorities and health bodies:

- Herefordshire adjoins us and shares our ICB;
- Gloucestershire adjoins us with its own ICB;
- Leeds is at a distance;
- Cardiff (Wales) and Edinburgh (Scotland) have their own health boards.
"""

from datetime import date, timedelta

import pytest

from models.enums import ApprovalLevel, Division, Event, RecipientKind, RecipientRole
from notify.notifications.rules import (
    Change,
    KnownContact,
    Place,
    PlacementEvent,
    PlacementFacts,
    Precondition,
    Withholding,
    who_must_be_told,
)
from tests.unit.bank_holidays import calendars

R = RecipientRole
D = date.fromisoformat
EW = Division.ENGLAND_AND_WALES
SCO = Division.SCOTLAND

US = "E10000034"  # Worcestershire
OUR_ICB = "E54000019"  # Herefordshire and Worcestershire
HOME = Place(US, OUR_ICB)
HEREFORDSHIRE = Place("E06000019", OUR_ICB)
GLOUCESTERSHIRE = Place("E10000013", "E54000043")
LEEDS = Place("E08000035", "E54000054")
CARDIFF = Place("W06000015", "W11000029")
EDINBURGH = Place("S12000036", "S08000024", SCO)
IN_AREA = Place(US, OUR_ICB)

ADJOINING = {HEREFORDSHIRE, GLOUCESTERSHIRE}

CONTACTS = (
    KnownContact(R.CHILD, "child"),
    KnownContact(R.PARENT, "mother"),
    KnownContact(R.PARENT, "father"),
    KnownContact(R.CONTACT_ORDER_HOLDER, "grandmother"),
    KnownContact(R.PREVIOUS_CARER, "previous-carer"),
    KnownContact(R.CARER, "carer"),
    KnownContact(R.GP, "gp"),
    KnownContact(R.NEW_GP, "new-gp"),
    KnownContact(R.SCHOOL, "school"),
    KnownContact(R.IRO, "iro"),
    KnownContact(R.POLICE, "police"),
)
POLICE = KnownContact(R.POLICE, "police")


@pytest.fixture(scope="module")
def cal(tmp_path_factory):
    return calendars(tmp_path_factory.mktemp("holidays"))


def placement(
    place: Place = IN_AREA,
    start: str = "2026-06-10",
    *,
    end: str | None = None,
    emergency: bool = False,
    placement_type: str | None = "U6",
    provider: str | None = "PR4",
) -> PlacementFacts:
    out_of_area = place.authority_code != US
    return PlacementFacts(
        start_date=D(start),
        end_date=D(end) if end else None,
        emergency=emergency,
        place=place,
        out_of_area=out_of_area,
        at_a_distance=out_of_area and place not in ADJOINING,
        placement_type=placement_type,
        provider=provider,
    )


# Unless a test says otherwise, a change is recorded a fortnight ahead: in good time.
AHEAD = timedelta(days=14)
EARLY = D("2026-01-01")  # before every placement these tests start or end


def start(new: PlacementFacts, recorded_on: str | None = None, **over) -> PlacementEvent:
    on = D(recorded_on) if recorded_on else new.start_date - AHEAD
    return PlacementEvent(
        Change.START, US, HOME, new=new, contacts=CONTACTS, recorded_on=on, **over
    )


def end(previous: PlacementFacts, recorded_on: str | None = None, **over) -> PlacementEvent:
    assert previous.end_date is not None
    on = D(recorded_on) if recorded_on else previous.end_date - AHEAD
    return PlacementEvent(
        Change.END, US, HOME, previous=previous, contacts=CONTACTS, recorded_on=on, **over
    )


def move(
    previous: PlacementFacts, new: PlacementFacts, recorded_on: str | None = None, **over
) -> PlacementEvent:
    on = D(recorded_on) if recorded_on else new.start_date - AHEAD
    return PlacementEvent(
        Change.MOVE,
        US,
        HOME,
        new=new,
        previous=previous,
        contacts=CONTACTS,
        recorded_on=on,
        **over,
    )


def told(decision) -> set[tuple[RecipientRole, object, Event]]:
    return {(r.role, r.code_or_contact, r.event) for r in decision.recipients}


def send_by(decision, target) -> set[date]:
    return {r.send_by for r in decision.recipients if r.code_or_contact == target}


REG13_IN_AREA = {
    (R.HOME_HEALTH_BODY, OUR_ICB),
    (R.CHILD, "child"),
    (R.PARENT, "mother"),
    (R.PARENT, "father"),
    (R.CONTACT_ORDER_HOLDER, "grandmother"),
    (R.PREVIOUS_CARER, "previous-carer"),
    (R.GP, "gp"),
    (R.NEW_GP, "new-gp"),
    (R.SCHOOL, "school"),
    (R.IRO, "iro"),
}


# --- §1 placement starts (reg 13) -------------------------------------------------------


def test_start_in_area_tells_health_body_gps_school_iro_child_parents_and_previous_carer(cal):
    decision = who_must_be_told(start(placement()), cal)
    assert told(decision) == {(role, who, Event.PLACEMENT_START) for role, who in REG13_IN_AREA}
    assert decision.approvals_required == ()


def test_start_out_of_area_also_tells_the_area_authority_and_alerts_sqa(cal):
    decision = who_must_be_told(start(placement(LEEDS)), cal)
    assert (R.AREA_AUTHORITY, LEEDS.authority_code, Event.PLACEMENT_START) in told(decision)
    assert (R.SQA, None, Event.SQA_ALERT) in told(decision)
    (area,) = decision.with_role(R.AREA_AUTHORITY)
    assert area.kind == RecipientKind.AUTHORITY


def test_start_in_area_tells_no_area_authority_and_raises_no_sqa_alert(cal):
    decision = who_must_be_told(start(placement(IN_AREA)), cal)
    assert not decision.with_role(R.AREA_AUTHORITY)
    assert not decision.with_role(R.SQA)


def test_health_body_where_placed_is_told_too_when_it_differs_from_the_home_one(cal):
    decision = who_must_be_told(start(placement(LEEDS)), cal)
    assert [r.code_or_contact for r in decision.with_role(R.HOME_HEALTH_BODY)] == [OUR_ICB]
    assert [r.code_or_contact for r in decision.with_role(R.PLACEMENT_HEALTH_BODY)] == [
        LEEDS.health_body_code
    ]


def test_health_body_shared_by_home_and_placement_is_told_once(cal):
    decision = who_must_be_told(start(placement(HEREFORDSHIRE)), cal)
    health = [r for r in decision.recipients if r.kind == RecipientKind.HEALTH_BODY]
    assert [(r.role, r.code_or_contact) for r in health] == [(R.HOME_HEALTH_BODY, OUR_ICB)]


def test_health_body_of_a_split_district_is_listed_for_a_person_to_choose(cal):
    split = Place("E10000034", None)  # e.g. a district shared by two ICBs
    event = PlacementEvent(
        Change.START, US, split, new=placement(LEEDS), contacts=CONTACTS, recorded_on=EARLY
    )
    decision = who_must_be_told(event, cal)
    (home,) = decision.with_role(R.HOME_HEALTH_BODY)
    assert home.code_or_contact is None and home.needs_address
    assert not decision.with_role(R.SQA)[0].needs_address


def test_gp_who_stays_the_gp_is_told_once(cal):
    contacts = (KnownContact(R.GP, "surgery"), KnownContact(R.NEW_GP, "surgery"))
    event = PlacementEvent(
        Change.START, US, HOME, new=placement(), contacts=contacts, recorded_on=EARLY
    )
    decision = who_must_be_told(event, cal)
    assert [(r.role, r.code_or_contact) for r in decision.recipients if r.kind == "contact"] == [
        (R.GP, "surgery")
    ]


@pytest.mark.parametrize(
    ("police_flag", "contacts", "police_told"),
    [
        (True, CONTACTS, True),
        (False, CONTACTS, False),
        (True, tuple(c for c in CONTACTS if c != POLICE), False),
    ],
    ids=["known-and-flagged", "known-not-flagged", "flagged-but-unknown"],
)
def test_police_are_told_only_when_known_and_the_child_is_flagged(
    cal, police_flag, contacts, police_told
):
    event = PlacementEvent(
        Change.START,
        US,
        HOME,
        new=placement(),
        contacts=contacts,
        police_flag=police_flag,
        recorded_on=EARLY,
    )
    assert bool(who_must_be_told(event, cal).with_role(R.POLICE)) is police_told


def test_carer_is_told_of_an_end_not_of_a_start(cal):
    assert not who_must_be_told(start(placement()), cal).with_role(R.CARER)
    ended = placement(end="2026-07-01")
    assert who_must_be_told(end(ended), cal).with_role(R.CARER)


# --- §1 reg 13(3): withholding ------------------------------------------------------------


def test_withheld_parents_are_not_told_and_who_decided_and_why_is_recorded(cal):
    withholding = Withholding(
        frozenset({R.PARENT}), decided_by="Team manager", reason="risk of significant harm"
    )
    decision = who_must_be_told(start(placement(), withholding=withholding), cal)
    assert not decision.with_role(R.PARENT)
    assert decision.with_role(R.CONTACT_ORDER_HOLDER), "only the roles named are withheld"
    assert {(w.role, w.contact_id, w.event) for w in decision.withheld} == {
        (R.PARENT, "mother", Event.PLACEMENT_START),
        (R.PARENT, "father", Event.PLACEMENT_START),
    }
    assert {(w.decided_by, w.reason) for w in decision.withheld} == {
        ("Team manager", "risk of significant harm")
    }


def test_nothing_is_recorded_as_withheld_without_a_withholding(cal):
    assert who_must_be_told(start(placement()), cal).withheld == ()


@pytest.mark.parametrize(
    "role", [R.GP, R.NEW_GP, R.SCHOOL, R.IRO, R.POLICE, R.CARER, R.CHILD, R.AREA_AUTHORITY]
)
def test_only_parents_contact_order_holders_and_previous_carer_may_be_withheld(role):
    with pytest.raises(ValueError, match="may be withheld"):
        Withholding(frozenset({R.PARENT, role}), decided_by="Team manager", reason="risk")


@pytest.mark.parametrize(("decided_by", "reason"), [("", "risk"), ("Team manager", "  ")])
def test_withholding_must_record_who_decided_and_why(decided_by, reason):
    with pytest.raises(ValueError, match="who decided and why"):
        Withholding(frozenset({R.PARENT}), decided_by=decided_by, reason=reason)


# --- §1 and §8: Wales and Scotland --------------------------------------------------------


def test_placement_in_wales_tells_the_welsh_council_and_local_health_board(cal):
    decision = who_must_be_told(start(placement(CARDIFF)), cal)
    assert (R.AREA_AUTHORITY, "W06000015", Event.PLACEMENT_START) in told(decision)
    assert (R.PLACEMENT_HEALTH_BODY, "W11000029", Event.PLACEMENT_START) in told(decision)
    assert {r.division for r in decision.recipients} == {EW}


# --- §1 placement ends (reg 14) -----------------------------------------------------------


def test_end_tells_everyone_told_of_the_start_and_the_carer(cal):
    decision = who_must_be_told(end(placement(start="2026-01-05", end="2026-06-10")), cal)
    expected = REG13_IN_AREA | {(R.CARER, "carer")}
    assert told(decision) == {(role, who, Event.PLACEMENT_END) for role, who in expected}


def test_end_raises_no_sqa_alert_and_needs_no_approval(cal):
    decision = who_must_be_told(end(placement(LEEDS, "2026-01-05", end="2026-06-10")), cal)
    assert not decision.with_role(R.SQA)
    assert decision.approvals_required == ()


# --- §1 moves -----------------------------------------------------------------------------


def test_move_within_one_host_authority_sends_it_one_change_of_address_notice(cal):
    old = placement(LEEDS, "2026-01-05", end="2026-06-10")
    new = placement(LEEDS, "2026-06-10")
    decision = who_must_be_told(move(old, new), cal)
    assert [
        (r.role, r.code_or_contact, r.event) for r in decision.recipients if r.kind == "authority"
    ] == [(R.AREA_AUTHORITY, LEEDS.authority_code, Event.ADDRESS_CHANGE)]


def test_move_between_hosts_sends_the_old_host_an_end_and_the_new_host_a_start(cal):
    old = placement(LEEDS, "2026-01-05", end="2026-06-10")
    new = placement(GLOUCESTERSHIRE, "2026-06-10")
    decision = who_must_be_told(move(old, new), cal)
    authorities = {
        (r.role, r.code_or_contact, r.event) for r in decision.recipients if r.kind == "authority"
    }
    assert authorities == {
        (R.PREVIOUS_AREA_AUTHORITY, LEEDS.authority_code, Event.PLACEMENT_END),
        (R.AREA_AUTHORITY, GLOUCESTERSHIRE.authority_code, Event.PLACEMENT_START),
    }


def test_move_home_into_our_area_tells_the_previous_area_authority_of_the_end(cal):
    old = placement(LEEDS, "2026-01-05", end="2026-06-10")
    decision = who_must_be_told(move(old, placement(IN_AREA, "2026-06-10")), cal)
    authorities = [
        (r.role, r.code_or_contact, r.event) for r in decision.recipients if r.kind == "authority"
    ]
    assert authorities == [(R.PREVIOUS_AREA_AUTHORITY, LEEDS.authority_code, Event.PLACEMENT_END)]
    assert not decision.with_role(R.SQA)


def test_move_sends_a_health_body_that_would_get_both_notices_one_change_of_address(cal):
    old = placement(LEEDS, "2026-01-05", end="2026-06-10")
    new = placement(GLOUCESTERSHIRE, "2026-06-10")
    decision = who_must_be_told(move(old, new), cal)
    health = {(r.code_or_contact, r.event) for r in decision.recipients if r.kind == "health_body"}
    assert health == {
        (OUR_ICB, Event.ADDRESS_CHANGE),
        (LEEDS.health_body_code, Event.PLACEMENT_END),
        (GLOUCESTERSHIRE.health_body_code, Event.PLACEMENT_START),
    }


def test_move_sends_each_person_told_of_both_placements_one_change_of_address(cal):
    old = placement(IN_AREA, "2026-01-05", end="2026-06-10")
    decision = who_must_be_told(move(old, placement(IN_AREA, "2026-06-10")), cal)
    events = {r.code_or_contact: r.event for r in decision.recipients}
    assert len(events) == len(decision.recipients), "nobody gets two notices"
    for person in ("gp", "new-gp", "school", "iro", "mother", "father", "child"):
        assert events[person] == Event.ADDRESS_CHANGE, person
    assert events["carer"] == Event.PLACEMENT_END, "the outgoing carer is told of the end"


def test_move_withholding_the_previous_carer_still_tells_the_outgoing_carer_of_the_end(cal):
    contacts = (KnownContact(R.CARER, "foster-home"), KnownContact(R.PREVIOUS_CARER, "foster-home"))
    withholding = Withholding(frozenset({R.PREVIOUS_CARER}), "Head of service", "risk of harm")
    event = PlacementEvent(
        Change.MOVE,
        US,
        HOME,
        previous=placement(IN_AREA, "2026-01-05", end="2026-06-10"),
        new=placement(IN_AREA, "2026-06-10"),
        contacts=contacts,
        withholding=withholding,
        recorded_on=EARLY,
    )
    decision = who_must_be_told(event, cal)
    assert [(r.role, r.event) for r in decision.recipients if r.kind == "contact"] == [
        (R.CARER, Event.PLACEMENT_END)
    ]
    assert [(w.role, w.event) for w in decision.withheld] == [
        (R.PREVIOUS_CARER, Event.PLACEMENT_START)
    ]


# --- §2 approval before an out-of-area placement (reg 11) ---------------------------------


@pytest.mark.parametrize(
    ("place", "placement_type", "provider", "level", "exempt"),
    [
        (IN_AREA, "K2", "PR4", None, False),
        (HEREFORDSHIRE, "U6", "PR4", ApprovalLevel.NOMINATED_OFFICER, False),
        (GLOUCESTERSHIRE, "K2", "PR4", ApprovalLevel.NOMINATED_OFFICER, False),
        (LEEDS, "K2", "PR4", ApprovalLevel.DIRECTOR, False),
        (LEEDS, "U6", "PR2", ApprovalLevel.DIRECTOR, False),
        (EDINBURGH, "K2", "PR4", ApprovalLevel.DIRECTOR, False),
        (LEEDS, None, None, ApprovalLevel.DIRECTOR, False),
        (LEEDS, "U1", "PR1", None, True),
        (LEEDS, "U3", "PR2", None, True),
        (HEREFORDSHIRE, "U2", "PR1", None, True),
        (LEEDS, "U4", "PR1", None, True),
        (GLOUCESTERSHIRE, "U6", "PR1", None, True),
    ],
    ids=[
        "in-area",
        "adjoining-foster",
        "adjoining-home",
        "distant-home",
        "distant-other-las-foster-carer",
        "scotland",
        "type-not-yet-known",
        "distant-connected-person",
        "distant-connected-person-other-la",
        "adjoining-connected-person",
        "distant-own-foster-carer",
        "adjoining-own-foster-carer",
    ],
)
def test_who_must_approve_a_placement(cal, place, placement_type, provider, level, exempt):
    new = placement(place, placement_type=placement_type, provider=provider)
    decision = who_must_be_told(start(new), cal)
    assert [a.level for a in decision.approvals_required] == ([level] if level else [])
    assert (decision.approval_exemption is not None) is exempt


def test_nominated_officer_must_first_be_satisfied_the_area_authority_was_notified(cal):
    (approval,) = who_must_be_told(start(placement(HEREFORDSHIRE)), cal).approvals_required
    assert approval.area_authority_code == HEREFORDSHIRE.authority_code
    assert approval.preconditions == (Precondition.AREA_AUTHORITY_NOTIFIED,)


def test_director_needs_the_area_authority_consulted_and_sent_the_care_plan_first(cal):
    (approval,) = who_must_be_told(start(placement(LEEDS)), cal).approvals_required
    assert approval.area_authority_code == LEEDS.authority_code
    assert Precondition.AREA_AUTHORITY_CONSULTED in approval.preconditions
    assert Precondition.CARE_PLAN_SENT in approval.preconditions
    assert "at a distance" in approval.reason


def test_move_needs_approval_for_the_new_placement_only(cal):
    old = placement(LEEDS, "2026-01-05", end="2026-06-10")
    decision = who_must_be_told(move(old, placement(IN_AREA, "2026-06-10")), cal)
    assert decision.approvals_required == ()


# --- facts that do not hang together ------------------------------------------------------


def test_out_of_area_flag_must_agree_with_where_the_child_is_placed():
    wrong = PlacementFacts(D("2026-06-10"), LEEDS, out_of_area=False)
    with pytest.raises(ValueError, match="disagrees"):
        PlacementEvent(Change.START, US, HOME, new=wrong, recorded_on=EARLY)


def test_a_placement_at_a_distance_is_out_of_area():
    with pytest.raises(ValueError, match="at a distance"):
        PlacementFacts(D("2026-06-10"), IN_AREA, out_of_area=False, at_a_distance=True)


@pytest.mark.parametrize(
    ("kind", "new", "previous"),
    [
        (Change.START, None, None),
        (Change.START, placement(), placement(end="2026-06-10")),
        (Change.END, None, placement()),
        (Change.END, placement(), placement(end="2026-06-10")),
        (Change.MOVE, placement(), None),
        (
            Change.MOVE,
            placement(start="2026-06-10"),
            placement(start="2026-01-01", end="2026-07-01"),
        ),
    ],
    ids=[
        "start-nothing",
        "start-and-previous",
        "end-no-date",
        "end-and-new",
        "move-no-old",
        "move-overlap",
    ],
)
def test_event_refuses_facts_that_do_not_fit_its_kind(kind, new, previous):
    with pytest.raises(ValueError):
        PlacementEvent(kind, US, HOME, new=new, previous=previous, recorded_on=EARLY)


def test_a_contact_cannot_hold_a_role_only_an_authority_has():
    with pytest.raises(ValueError, match="not a role a contact can hold"):
        KnownContact(R.AREA_AUTHORITY, "someone")
