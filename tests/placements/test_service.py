"""Recording placements through the one service: rows, notifications, approvals, conflicts."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Notification, Placement, Withholding
from models.enums import NotificationStatus, RecipientRole
from notify.notifications.rules import Withholding as Reg13Withholding
from notify.placements.service import (
    end_placement,
    plan_placement,
    record_approval,
    record_placement,
)
from notify.problems import Conflict, InvalidInput
from tests.support.builders import (
    TODAY,
    create_child,
    create_contact,
    create_placement,
    give_addresses,
    placement_details,
)

HEREFORDSHIRE, HW_ICB = "E06000019", "E54000019"
CORNWALL, CORNWALL_ICB = "E06000052", "E54000036"
CARDIFF = "W06000015"
EDINBURGH = "S12000036"


def _notifications(placement: Placement) -> list[Notification]:
    from sqlalchemy.orm import object_session

    session = object_session(placement)
    assert session is not None
    return list(
        session.scalars(select(Notification).where(Notification.child_id == placement.child_id))
    )


def test_a_placement_in_our_own_area_tells_only_the_home_health_body(db_session: Session) -> None:
    child = create_child(db_session)
    placement = create_placement(db_session, child, "WR5 3AA")
    assert placement.location == "IN"
    assert placement.host_authority_code == "E10000034"
    kinds = {(n.recipient_kind, n.recipient_code) for n in _notifications(placement)}
    assert ("health_body", HW_ICB) in kinds
    assert all(kind != "authority" for kind, _ in kinds)


def test_a_move_out_of_area_notifies_the_host_authority_and_both_health_bodies(
    db_session: Session,
) -> None:
    child = create_child(db_session)
    create_placement(db_session, child, "WR5 3AA", start_date=TODAY - timedelta(days=100))
    placement = create_placement(db_session, child, "TR1 1AA")
    assert placement.location == "OUT"
    assert placement.host_authority_code == CORNWALL
    assert placement.at_a_distance and not placement.adjoining
    assert placement.distance_miles and placement.distance_miles > 150
    told = {(n.event, n.recipient_kind, n.recipient_code) for n in _notifications(placement)}
    assert ("placement_start", "authority", CORNWALL) in told
    assert ("placement_start", "health_body", CORNWALL_ICB) in told
    assert ("placement_end", "health_body", HW_ICB) in told or (
        "address_change",
        "health_body",
        HW_ICB,
    ) in told
    assert any(role == "sqa" for role in (n.recipient_role for n in _notifications(placement)))


def test_a_move_ends_the_current_placement_the_day_before(db_session: Session) -> None:
    child = create_child(db_session)
    first = create_placement(db_session, child, "WR5 3AA", start_date=TODAY - timedelta(days=30))
    second = create_placement(db_session, child, "HR1 1AA")
    assert first.end_date == second.start_date - timedelta(days=1)
    assert child.current_placement is second


def test_an_adjoining_placement_needs_a_nominated_officer_only(db_session: Session) -> None:
    child = create_child(db_session)
    plan = plan_placement(db_session, child, placement_details("HR1 1AA"), TODAY)
    assert plan.geography is not None and plan.geography.adjoining
    assert [a.level for a in plan.approvals] == ["nominated_officer"]


def test_a_placement_at_a_distance_needs_the_director(db_session: Session) -> None:
    child = create_child(db_session)
    plan = plan_placement(db_session, child, placement_details("TR1 1AA"), TODAY)
    assert [a.level for a in plan.approvals] == ["director"]


def test_placements_in_wales_and_scotland_notify_their_council(db_session: Session) -> None:
    for postcode, council in [("CF10 1AA", CARDIFF), ("EH1 1AD", EDINBURGH)]:
        child = create_child(db_session)
        placement = create_placement(db_session, child, postcode)
        assert placement.host_authority_code == council
        assert placement.location == "OUT"
        told = {(n.recipient_kind, n.recipient_code) for n in _notifications(placement)}
        assert ("authority", council) in told
        assert placement.host_health_body_code is not None
        assert ("health_body", placement.host_health_body_code) in told


def test_notifications_without_an_address_wait_for_one(db_session: Session) -> None:
    child = create_child(db_session)
    give_addresses(db_session, HEREFORDSHIRE)
    placement = create_placement(db_session, child, "HR1 1AA")
    by_code = {n.recipient_code: n for n in _notifications(placement)}
    assert by_code[HEREFORDSHIRE].status == NotificationStatus.PENDING
    assert by_code[HEREFORDSHIRE].address == "placements@e06000019.example"


def test_a_stale_version_is_a_conflict_and_writes_nothing(db_session: Session) -> None:
    child = create_child(db_session)
    version = child.version
    create_placement(db_session, child, "WR5 3AA")
    before = db_session.scalar(select(func.count()).select_from(Placement))
    with pytest.raises(Conflict):
        record_placement(
            db_session,
            child,
            placement_details("HR1 1AA", start_date=TODAY + timedelta(days=20)),
            expected_version=version,
            actor_id=None,
            today=TODAY,
        )
    assert db_session.scalar(select(func.count()).select_from(Placement)) == before


def test_a_malformed_postcode_is_refused_with_a_message(db_session: Session) -> None:
    child = create_child(db_session)
    with pytest.raises(InvalidInput) as caught:
        plan_placement(db_session, child, placement_details("NOT A POSTCODE"), TODAY)
    assert "postcode" in caught.value.fields


def test_every_problem_is_reported_at_once(db_session: Session) -> None:
    child = create_child(db_session)
    with pytest.raises(InvalidInput) as caught:
        plan_placement(
            db_session,
            child,
            placement_details(
                placement_type="XX", provider="PR9", start_date=TODAY + timedelta(days=900)
            ),
            TODAY,
        )
    assert {"placement_type", "provider", "start_date"} <= set(caught.value.fields)


def test_withholding_under_reg_13_3_is_recorded_and_the_parent_is_listed_but_never_sent(
    db_session: Session,
) -> None:
    child = create_child(db_session)
    create_contact(db_session, child, RecipientRole.PARENT)
    decision = Reg13Withholding(
        frozenset({RecipientRole.PARENT}),
        decided_by="Team manager",
        reason="Risk of significant harm",
    )
    placement = create_placement(db_session, child, "WR5 3AA", withholding=decision)
    to_parent = [n for n in _notifications(placement) if n.recipient_role == "parent"]
    assert [(n.status, n.withheld_reason) for n in to_parent] == [
        (NotificationStatus.WITHHELD, "Team manager: Risk of significant harm")
    ]
    rows = db_session.scalars(select(Withholding).where(Withholding.placement == placement)).all()
    assert [(w.role, w.decided_by) for w in rows] == [("parent", "Team manager")]


def test_ending_a_placement_notifies_the_area_authority(db_session: Session) -> None:
    child = create_child(db_session)
    placement = create_placement(
        db_session, child, "HR1 1AA", start_date=TODAY - timedelta(days=60)
    )
    ended = end_placement(
        db_session,
        child,
        placement,
        end_date=TODAY,
        end_reason="E11",
        destination="Adopted",
        expected_version=child.version,
        today=TODAY,
        not_practicable_reason="The adoption order was made today",
    )
    assert ("placement_end", HEREFORDSHIRE) in {
        (n.event, n.recipient_code) for n in ended.notifications
    }
    assert ended.placement is placement and placement.end_date == TODAY


def test_a_director_cannot_approve_before_consultation(db_session: Session) -> None:
    child = create_child(db_session)
    placement = create_placement(db_session, child, "TR1 1AA")
    with pytest.raises(InvalidInput):
        record_approval(
            db_session,
            placement,
            level="director",
            decision="approved",
            approver_id=1,
            area_authority_consulted=False,
            care_plan_sent=False,
            note=None,
        )
