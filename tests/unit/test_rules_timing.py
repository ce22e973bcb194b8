"""When each notice is due: DOMAIN.md §1, one table row per case.

Every send-by date below was worked out by hand from the England and Wales bank holidays
in seeds/bank_holidays.csv (Good Friday 3 April and Easter Monday 6 April 2026; Christmas
Friday 25 December and the Boxing Day substitute Monday 28 December 2026; New Year's Day
Friday 1 January 2027). Scotland's own holidays (St Andrew's Day Monday 30 November 2026,
2 January's substitute Monday 4 January 2027, and no Easter Monday) move no statutory
deadline: the duty is the placing English authority's, so every recipient is counted on
the English calendar.

- planned start: the day before the start; a notice sent on the start day is late;
- emergency start: 5 working days after the start;
- end recorded before its date: notice of the intention, by the day before the end;
- end recorded on or after its date: 10 working days after it, with the reason (reg 14(4));
- a notice due before the day the change is recorded is late already.
"""

from datetime import date

import pytest

from models.enums import Division, Event, RecipientKind, RecipientRole
from notify.notifications.rules import Change, KnownContact, PlacementEvent, who_must_be_told
from tests.unit.bank_holidays import calendars
from tests.unit.test_rules import (
    CARDIFF,
    CONTACTS,
    EDINBURGH,
    GLOUCESTERSHIRE,
    HOME,
    IN_AREA,
    LEEDS,
    US,
    placement,
)

R = RecipientRole
D = date.fromisoformat


@pytest.fixture(scope="module")
def cal(tmp_path_factory):
    return calendars(tmp_path_factory.mktemp("holidays"))


def decide(cal, kind, recorded_on, new=None, previous=None, contacts=CONTACTS):
    event = PlacementEvent(
        kind,
        US,
        HOME,
        new=new,
        previous=previous,
        contacts=contacts,
        recorded_on=D(recorded_on),
    )
    return who_must_be_told(event, cal)


# Each row: where placed, start, emergency, recorded on, send-by, late.
STARTS = [
    pytest.param(LEEDS, "2026-06-10", False, "2026-06-03", "2026-06-09", False,
                 id="planned-a-week-ahead"),
    # the calendar day before, even a Sunday: "before the placement is made"
    pytest.param(IN_AREA, "2027-01-04", False, "2026-12-14", "2027-01-03", False,
                 id="planned-monday-start"),
    pytest.param(LEEDS, "2026-06-10", False, "2026-06-09", "2026-06-09", False,
                 id="planned-recorded-day-before"),
    pytest.param(LEEDS, "2026-06-10", False, "2026-06-10", "2026-06-09", True,
                 id="planned-recorded-on-start-day"),
    pytest.param(IN_AREA, "2026-06-10", False, "2026-06-15", "2026-06-09", True,
                 id="planned-recorded-after-start"),
    # Thursday 2 April 2026: Good Friday and Easter Monday are skipped
    pytest.param(LEEDS, "2026-04-02", True, "2026-04-02", "2026-04-13", False,
                 id="emergency-over-easter"),
    # ...in Edinburgh too, though Easter Monday is no Scottish holiday
    pytest.param(EDINBURGH, "2026-04-02", True, "2026-04-02", "2026-04-13", False,
                 id="emergency-edinburgh-easter"),
    # Friday 27 November 2026: St Andrew's Day (Monday 30th) is a working day for us
    pytest.param(EDINBURGH, "2026-11-27", True, "2026-11-27", "2026-12-04", False,
                 id="emergency-edinburgh-st-andrew"),
    # Thursday 24 December 2026: 25th, 28th and 1 January skipped; Scotland's 4 January is not
    pytest.param(EDINBURGH, "2026-12-24", True, "2026-12-24", "2027-01-05", False,
                 id="emergency-edinburgh-new-year"),
    pytest.param(CARDIFF, "2026-12-24", True, "2026-12-29", "2027-01-05", False,
                 id="emergency-cardiff-christmas"),
    pytest.param(GLOUCESTERSHIRE, "2026-04-02", True, "2026-04-14", "2026-04-13", True,
                 id="emergency-recorded-too-late"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("place", "start", "emergency", "recorded_on", "due", "late"),
    STARTS,
)
def test_start_notices_are_due_as_reg_13_says(cal, place, start, emergency, recorded_on, due, late):
    decision = decide(
        cal, Change.START, recorded_on, new=placement(place, start, emergency=emergency)
    )
    statutory = [r for r in decision.recipients if r.kind != RecipientKind.INTERNAL]
    assert {(r.send_by, r.late) for r in statutory} == {(D(due), late)}
    assert decision.late == (tuple(statutory) if late else ())
    assert decision.end_notified_after is False
    # our own SQA alert goes by the same date, but is no statutory notice to be late
    assert all(r.send_by == D(due) and not r.late for r in decision.with_role(R.SQA))


# Each row: where placed, end date, recorded on, send-by, reason needed (reg 14(4)), late.
ENDS = [
    # notice of the intention, by the day before the end
    pytest.param(LEEDS, "2026-12-18", "2026-12-01", "2026-12-17", False, False,
                 id="planned-end"),
    pytest.param(IN_AREA, "2026-12-18", "2026-12-17", "2026-12-17", False, False,
                 id="planned-end-recorded-day-before"),
    # Friday 18 December 2026 + 10 working days, skipping 25 and 28 December and 1 January
    pytest.param(LEEDS, "2026-12-18", "2026-12-18", "2027-01-06", True, False,
                 id="end-recorded-on-its-date"),
    pytest.param(IN_AREA, "2026-12-18", "2026-12-19", "2027-01-06", True, False,
                 id="end-recorded-day-after"),
    # Friday 27 November 2026 + 10: St Andrew's Day counts as a working day
    pytest.param(EDINBURGH, "2026-11-27", "2026-11-30", "2026-12-11", True, False,
                 id="end-edinburgh-st-andrew"),
    pytest.param(LEEDS, "2026-12-18", "2027-01-07", "2027-01-06", True, True,
                 id="end-recorded-after-ten-days"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("place", "end_date", "recorded_on", "due", "needs_reason", "late"),
    ENDS,
)
def test_end_notices_are_due_as_reg_14_says(
    cal, place, end_date, recorded_on, due, needs_reason, late
):
    decision = decide(
        cal, Change.END, recorded_on, previous=placement(place, "2026-01-05", end=end_date)
    )
    assert {(r.send_by, r.late) for r in decision.recipients} == {(D(due), late)}
    assert decision.end_notified_after is needs_reason


def test_planned_end_out_of_area_tells_everyone_told_of_the_start_the_carer_and_the_host(cal):
    decision = decide(
        cal, Change.END, "2026-06-01", previous=placement(LEEDS, "2026-01-05", end="2026-06-10")
    )
    told = {(r.role, r.code_or_contact) for r in decision.recipients}
    assert told == {
        (R.AREA_AUTHORITY, LEEDS.authority_code),
        (R.HOME_HEALTH_BODY, HOME.health_body_code),
        (R.PLACEMENT_HEALTH_BODY, LEEDS.health_body_code),
        (R.CHILD, "child"),
        (R.PARENT, "mother"),
        (R.PARENT, "father"),
        (R.CONTACT_ORDER_HOLDER, "grandmother"),
        (R.PREVIOUS_CARER, "previous-carer"),
        (R.CARER, "carer"),
        (R.GP, "gp"),
        (R.NEW_GP, "new-gp"),
        (R.SCHOOL, "school"),
        (R.IRO, "iro"),
    }
    assert {(r.event, r.send_by) for r in decision.recipients} == {
        (Event.PLACEMENT_END, D("2026-06-09"))
    }


def test_a_scottish_contact_is_due_on_the_english_calendar_and_acknowledges_on_its_own(cal):
    contacts = (
        KnownContact(R.NEW_GP, "edinburgh-gp", Division.SCOTLAND),
        KnownContact(R.GP, "home-gp"),
    )
    decision = decide(
        cal,
        Change.START,
        "2026-11-27",
        new=placement(EDINBURGH, "2026-11-27", emergency=True),
        contacts=contacts,
    )
    due = {r.code_or_contact: (r.send_by, r.division) for r in decision.recipients}
    assert due["edinburgh-gp"] == (D("2026-12-04"), Division.SCOTLAND)
    assert due["home-gp"] == (D("2026-12-04"), Division.ENGLAND_AND_WALES)
    assert due[EDINBURGH.authority_code] == (D("2026-12-04"), Division.SCOTLAND)


def test_deadlines_need_only_the_english_calendar(cal):
    only_england = {Division.ENGLAND_AND_WALES: cal[Division.ENGLAND_AND_WALES]}
    decision = decide(
        only_england,
        Change.START,
        "2026-11-27",
        new=placement(EDINBURGH, "2026-11-27", emergency=True),
    )
    assert {r.send_by for r in decision.recipients} == {D("2026-12-04")}
    only_scotland = {Division.SCOTLAND: cal[Division.SCOTLAND]}
    with pytest.raises(ValueError, match="no working-day calendar loaded for england-and-wales"):
        decide(
            only_scotland,
            Change.START,
            "2026-11-27",
            new=placement(EDINBURGH, "2026-11-27", emergency=True),
        )


# --- moves: one change-of-address notice, due by the earlier of its two deadlines ----------

# Each row: the old placement's end, the new start, emergency, recorded on, the host's
# change-of-address send-by, the outgoing carer's end-notice send-by, reason needed, late events.
MOVES = [
    pytest.param("2026-06-10", "2026-06-10", False, "2026-06-03",
                 "2026-06-09", "2026-06-09", False, set(), id="planned"),
    # no end date given: the old placement ends the day the child moves
    pytest.param(None, "2026-06-10", False, "2026-06-03",
                 "2026-06-09", "2026-06-09", False, set(), id="planned-no-end-date"),
    # a planned move recorded on the day: its start is late; its end falls under reg 14(4)
    pytest.param("2026-06-10", "2026-06-10", False, "2026-06-10",
                 "2026-06-09", "2026-06-24", True, {Event.ADDRESS_CHANGE},
                 id="planned-recorded-on-the-day"),
    # Wednesday 10 June 2026: the start's 5 working days come before the end's 10
    pytest.param("2026-06-10", "2026-06-10", True, "2026-06-10",
                 "2026-06-17", "2026-06-24", True, set(), id="emergency"),
]  # fmt: skip


@pytest.mark.parametrize(
    (
        "old_end",
        "new_start",
        "emergency",
        "recorded_on",
        "address_due",
        "carer_due",
        "needs_reason",
        "late",
    ),
    MOVES,
)
def test_move_notices_are_due_as_its_end_and_start_say(
    cal, old_end, new_start, emergency, recorded_on, address_due, carer_due, needs_reason, late
):
    decision = decide(
        cal,
        Change.MOVE,
        recorded_on,
        previous=placement(LEEDS, "2026-01-05", end=old_end),
        new=placement(LEEDS, new_start, emergency=emergency),
    )
    (host,) = [r for r in decision.recipients if r.code_or_contact == LEEDS.authority_code]
    (carer,) = [r for r in decision.recipients if r.code_or_contact == "carer"]
    assert (host.event, host.send_by) == (Event.ADDRESS_CHANGE, D(address_due))
    assert (carer.event, carer.send_by) == (Event.PLACEMENT_END, D(carer_due))
    assert decision.end_notified_after is needs_reason
    assert {r.event for r in decision.late} == late
    assert not any(r.late for r in decision.with_role(R.SQA))
