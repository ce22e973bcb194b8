"""Late notices and reasons through the placement service (DOMAIN.md §1, §3).

A notice due before the day the change is recorded is late: recording it needs the reason,
which the late notices carry. An end recorded on or after its date could not be notified in
advance (reg 14(4)): it needs the reason too, which the placement keeps for its notices.
Whoever was told of a placement's start is told of its end (reg 14), the carer before it too.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Notification, Placement
from models.enums import Event, RecipientRole
from notify.placements.people import PersonDetails
from notify.placements.service import (
    EMERGENCY_MOVE_REASON,
    end_placement,
    plan_placement,
    record_placement,
)
from notify.problems import InvalidInput
from tests.support.builders import TODAY, create_child, create_placement, placement_details

REASON = "The provider confirmed the address only on the day"


def _notices(session: Session, placement: Placement) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.placement_id == placement.id)
            .order_by(Notification.id)
        )
    )


def _carer(name: str) -> PersonDetails:
    return PersonDetails(role=RecipientRole.CARER, name=name, email=f"{name[:3]}@carers.example")


def test_a_planned_start_recorded_on_its_start_day_is_refused_without_a_reason(
    db_session: Session,
) -> None:
    child = create_child(db_session)
    details = placement_details("HR1 1AA", start_date=TODAY)

    plan = plan_placement(db_session, child, details, TODAY)
    assert plan.late and all(n.send_by == TODAY - timedelta(days=1) for n in plan.late)
    with pytest.raises(InvalidInput) as refused:
        record_placement(
            db_session, child, details, expected_version=child.version, actor_id=None, today=TODAY
        )
    assert list(refused.value.fields) == ["late_reason"]
    assert child.placements == []


def test_a_late_notice_carries_the_reason_and_one_on_time_does_not(db_session: Session) -> None:
    child = create_child(db_session)
    placement = create_placement(
        db_session, child, "HR1 1AA", start_date=TODAY, late_reason=f"  {REASON} "
    )
    notices = _notices(db_session, placement)
    statutory = [n for n in notices if n.event == Event.PLACEMENT_START]
    assert statutory and {n.late_reason for n in statutory} == {REASON}
    assert {n.late_reason for n in notices if n.event == Event.SQA_ALERT} == {None}

    on_time = create_child(db_session)
    planned = create_placement(db_session, on_time, "HR1 1AA", late_reason=REASON)
    assert {n.late_reason for n in _notices(db_session, planned)} == {None}


def test_a_reason_longer_than_a_notice_holds_is_refused(db_session: Session) -> None:
    child = create_child(db_session)
    with pytest.raises(InvalidInput) as refused:
        create_placement(db_session, child, "HR1 1AA", start_date=TODAY, late_reason="x" * 201)
    assert list(refused.value.fields) == ["late_reason"]


def test_an_end_recorded_on_its_date_needs_the_reason_and_is_due_in_ten_working_days(
    db_session: Session,
) -> None:
    child = create_child(db_session)
    placement = create_placement(
        db_session, child, "HR1 1AA", start_date=TODAY - timedelta(days=60)
    )

    def end(reason: str | None) -> list[Notification]:
        return end_placement(
            db_session,
            child,
            placement,
            end_date=TODAY,
            end_reason="E4A",
            destination="Home to mother",
            expected_version=child.version,
            today=TODAY,
            not_practicable_reason=reason,
        ).notifications

    with pytest.raises(InvalidInput) as refused:
        end("   ")
    assert list(refused.value.fields) == ["not_practicable_reason"]
    assert placement.end_date is None

    notices = end("She left the placement without warning")
    assert placement.end_not_practicable_reason == "She left the placement without warning"
    # due 10 working days after the end: never before the 14th calendar day after it
    assert notices and all(n.send_by >= TODAY + timedelta(days=14) for n in notices)
    assert {n.late_reason for n in notices} == {None}  # not late: within the 10 days


def test_a_planned_end_needs_no_reason_and_is_due_the_day_before(db_session: Session) -> None:
    child = create_child(db_session)
    placement = create_placement(db_session, child, "HR1 1AA")
    ends_on = placement.start_date + timedelta(days=10)
    notices = end_placement(
        db_session,
        child,
        placement,
        end_date=ends_on,
        end_reason="E4A",
        destination=None,
        expected_version=child.version,
        today=TODAY,
    ).notifications
    assert {n.send_by for n in notices} == {ends_on - timedelta(days=1)}
    assert placement.end_not_practicable_reason is None


def test_an_emergency_move_gives_the_emergency_as_why_the_end_was_not_notified_first(
    db_session: Session,
) -> None:
    child = create_child(db_session)
    first = create_placement(db_session, child, "WR5 3AA", start_date=TODAY - timedelta(days=60))
    create_placement(
        db_session, child, "HR1 1AA", start_date=TODAY, emergency=True, late_reason=None
    )
    assert first.end_not_practicable_reason == EMERGENCY_MOVE_REASON


def test_the_carer_before_a_placement_is_told_of_its_end_but_not_of_the_next(
    db_session: Session,
) -> None:
    child = create_child(db_session)
    first = create_placement(
        db_session, child, "WR5 3AA", start_date=TODAY + timedelta(days=7), carer=_carer("Ann")
    )
    second = create_placement(
        db_session, child, "HR1 1AA", start_date=TODAY + timedelta(days=20), carer=_carer("Bob")
    )
    third = create_placement(db_session, child, "WR5 3AA", start_date=TODAY + timedelta(days=40))
    assert first.end_date is not None and second.end_date is not None

    def told(placement: Placement) -> set[tuple[str, str, str]]:
        return {
            (n.recipient_name, n.recipient_role, n.event)
            for n in _notices(db_session, placement)
            if n.recipient_kind == "contact"
        }

    # Ann cared for the child before the second placement: told of its start (with the end
    # of her own, in one change of address) and of its end
    assert ("Ann", "previous_carer", Event.ADDRESS_CHANGE) in told(second)
    assert ("Ann", "previous_carer", Event.PLACEMENT_END) in told(second)
    # ...but not of the third, which Bob's care came before: Bob is told of the end of his
    # and the start of the third in one change of address
    assert told(third) == {("Bob", "previous_carer", Event.ADDRESS_CHANGE)}


def test_a_move_recorded_the_day_before_is_on_time_and_asks_nothing(db_session: Session) -> None:
    child = create_child(db_session)
    first = create_placement(db_session, child, "WR5 3AA", start_date=TODAY - timedelta(days=60))
    details = placement_details("HR1 1AA", start_date=TODAY + timedelta(days=1))

    plan = plan_placement(db_session, child, details, TODAY)

    assert not plan.needs_reason and not plan.late
    # the end of the old placement and the start of the new are both due today
    assert {n.send_by for n in plan.to_send} == {TODAY}
    record_placement(
        db_session, child, details, expected_version=child.version, actor_id=None, today=TODAY
    )
    assert first.end_not_practicable_reason is None
