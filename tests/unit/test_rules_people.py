"""Reg 13(3) decisions about one person, and the people a move brings (DOMAIN.md §1).

Parents, contact holders and the previous carer may be left out where telling them would
put the child at risk; no one else. A person left out is listed as withheld (with who
decided and why), at the start and at the end. The outgoing carer is owed the end notice as
the person with whom the child was placed (reg 14) even when withheld as previous carer.
A new GP or school is told of the new placement, not of the end of the old one.
"""

from datetime import date

import pytest

from models.enums import Event, RecipientRole
from notify.notifications.rules import (
    Change,
    KnownContact,
    PersonWithheld,
    PlacementEvent,
    who_must_be_told,
)
from tests.unit.bank_holidays import calendars
from tests.unit.test_rules import HOME, IN_AREA, LEEDS, US, placement

R = RecipientRole
RISK = PersonWithheld("Team manager on 1 June 2026", "risk of significant harm")


@pytest.fixture(scope="module")
def cal(tmp_path_factory):
    return calendars(tmp_path_factory.mktemp("holidays"))


def event(kind: Change, contacts: tuple[KnownContact, ...]) -> PlacementEvent:
    old = placement(IN_AREA, "2026-01-05", end="2026-06-09")
    new = placement(LEEDS, "2026-06-10")
    return PlacementEvent(
        kind,
        US,
        HOME,
        new=None if kind == Change.END else new,
        previous=None if kind == Change.START else old,
        contacts=contacts,
        recorded_on=date(2026, 5, 1),
    )


def contact_notices(decision) -> set[tuple[RecipientRole, str, Event]]:
    return {
        (r.role, r.code_or_contact, r.event) for r in decision.recipients if r.kind == "contact"
    }


def withheld(decision) -> set[tuple[RecipientRole, str, Event, str]]:
    return {(w.role, w.contact_id, w.event, w.reason) for w in decision.withheld}


@pytest.mark.parametrize(
    ("kind", "expected_event"),
    [
        (Change.START, Event.PLACEMENT_START),
        (Change.END, Event.PLACEMENT_END),
        (Change.MOVE, Event.ADDRESS_CHANGE),
    ],
)
def test_a_withheld_parent_is_listed_as_withheld_at_every_event_and_never_told(
    cal, kind, expected_event
):
    contacts = (
        KnownContact(R.PARENT, "mother"),
        KnownContact(R.PARENT, "father", withheld=RISK),
    )
    decision = who_must_be_told(event(kind, contacts), cal)
    assert contact_notices(decision) == {(R.PARENT, "mother", expected_event)}
    assert withheld(decision) == {(R.PARENT, "father", expected_event, "risk of significant harm")}
    assert all(w.send_by is not None for w in decision.withheld)


@pytest.mark.parametrize(
    ("kind", "told", "held"),
    [
        # a first placement: the person caring before is the previous carer
        (Change.START, set(), {(R.PREVIOUS_CARER, "carer", Event.PLACEMENT_START)}),
        # an end: the carer being left is owed the end notice (reg 14)
        (Change.END, {(R.CARER, "carer", Event.PLACEMENT_END)}, set()),
        # a move: the end notice goes; the start notice, as previous carer, is withheld
        (
            Change.MOVE,
            {(R.CARER, "carer", Event.PLACEMENT_END)},
            {(R.PREVIOUS_CARER, "carer", Event.PLACEMENT_START)},
        ),
    ],
)
def test_a_withheld_carer_still_gets_the_end_notice_but_not_the_new_address(cal, kind, told, held):
    contacts = []
    if kind != Change.START:
        contacts.append(KnownContact(R.CARER, "carer", withheld=RISK))
    if kind != Change.END:
        contacts.append(KnownContact(R.PREVIOUS_CARER, "carer", withheld=RISK))
    decision = who_must_be_told(event(kind, tuple(contacts)), cal)
    assert contact_notices(decision) == told
    assert {(w.role, w.contact_id, w.event) for w in decision.withheld} == held


def test_an_outgoing_carer_not_withheld_gets_one_change_of_address_notice(cal):
    contacts = (KnownContact(R.CARER, "carer"), KnownContact(R.PREVIOUS_CARER, "carer"))
    decision = who_must_be_told(event(Change.MOVE, contacts), cal)
    assert contact_notices(decision) == {(R.PREVIOUS_CARER, "carer", Event.ADDRESS_CHANGE)}


@pytest.mark.parametrize(
    "role", [R.CHILD, R.GP, R.NEW_GP, R.SCHOOL, R.IRO, R.POLICE, R.PREVIOUS_CARER]
)
def test_no_one_else_may_be_withheld(role):
    if role == R.PREVIOUS_CARER:
        assert KnownContact(role, "x", withheld=RISK).withheld == RISK
        return
    with pytest.raises(ValueError, match="only parents, contact-order holders and carers"):
        KnownContact(role, "x", withheld=RISK)


def test_a_decision_must_say_who_decided_and_why():
    with pytest.raises(ValueError, match="who decided and why"):
        PersonWithheld(" ", "risk")
    with pytest.raises(ValueError, match="who decided and why"):
        PersonWithheld("Team manager", "")


def test_a_new_gp_and_school_joining_with_a_move_are_told_of_the_start_only(cal):
    contacts = (
        KnownContact(R.GP, "old-gp"),
        KnownContact(R.NEW_GP, "new-gp", joins=True),
        KnownContact(R.SCHOOL, "old-school"),
        KnownContact(R.SCHOOL, "new-school", joins=True),
    )
    decision = who_must_be_told(event(Change.MOVE, contacts), cal)
    assert contact_notices(decision) == {
        (R.GP, "old-gp", Event.ADDRESS_CHANGE),
        (R.NEW_GP, "new-gp", Event.PLACEMENT_START),
        (R.SCHOOL, "old-school", Event.ADDRESS_CHANGE),
        (R.SCHOOL, "new-school", Event.PLACEMENT_START),
    }


@pytest.mark.parametrize("kind", [Change.END, Change.MOVE])
def test_the_carer_before_the_placement_is_told_of_its_end_and_of_no_new_placement(cal, kind):
    # Reg 14: everyone told under reg 13 of the placement is told of its end, the person
    # caring for the child before it (reg 13(2)(e)) among them.
    contacts = (
        KnownContact(R.PREVIOUS_CARER, "carer-before", leaves=True),
        KnownContact(R.CARER, "carer-now"),
        KnownContact(R.PREVIOUS_CARER, "carer-now"),
    )
    decision = who_must_be_told(event(kind, contacts), cal)
    told = contact_notices(decision)
    assert (R.PREVIOUS_CARER, "carer-before", Event.PLACEMENT_END) in told
    assert {who for _, who, _ in told} <= {"carer-before", "carer-now"}
    assert [e for _, who, e in told if who == "carer-before"] == [Event.PLACEMENT_END]


def test_a_contact_cannot_both_join_and_leave():
    with pytest.raises(ValueError, match="both join"):
        KnownContact(R.GP, "gp", joins=True, leaves=True)
