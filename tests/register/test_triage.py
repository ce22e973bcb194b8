"""Accepting, querying and rejecting inbound notices: the register they build, the partners
told, and the rules on which decisions may follow which."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Child, Contact, InboundNotice, Notification, Placement
from models.enums import InboundStatus, NotificationStatus
from notify.notifications import outbox
from notify.problems import InvalidInput
from notify.register.service import (
    CannotDecide,
    accept_notice,
    query_notice,
    reject_notice,
)
from tests.support.builders import (
    BIRMINGHAM,
    HOME,
    NOTTINGHAMSHIRE,
    TODAY,
    create_inbound_notice,
    create_partner_teams,
    give_addresses,
)


def _accept(session: Session, notice: InboundNotice):  # type: ignore[no-untyped-def]
    return accept_notice(session, notice.id, home_authority_code=HOME, user_id=None, today=TODAY)


def _hosted(session: Session) -> list[Child]:
    return list(session.scalars(select(Child).where(Child.responsible_authority_code != HOME)))


def _days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def test_accepting_a_start_adds_the_hosted_child_and_placement_with_derived_fields(
    db_session: Session,
) -> None:
    notice = create_inbound_notice(db_session)

    done = _accept(db_session, notice)

    child, placement = done.child, done.placement
    assert done.created_child
    assert (child.responsible_authority_code, child.case_reference) == (BIRMINGHAM, "C-55501")
    assert (child.given_name, child.family_name, child.home_postcode) == ("Keira", "Whitlock", None)
    assert child.child_protection_plan and child.ehc_plan_maintained_by == BIRMINGHAM
    assert child.risks == "Missing twice in the last six months"
    assert placement.host_authority_code == HOME
    assert placement.host_health_body_code == "E54000019"  # Herefordshire and Worcestershire ICB
    assert (placement.location, placement.distance_miles) == ("OUT", None)
    assert (placement.adjoining, placement.at_a_distance) == (True, False)  # Birmingham adjoins
    assert (placement.postcode, placement.town, placement.end_date) == (
        "WR1 2NA",
        "Worcester",
        None,
    )
    assert (notice.status, notice.child_id, notice.placement_id) == (
        InboundStatus.ACCEPTED,
        child.id,
        placement.id,
    )
    assert notice.decided_at is not None
    roles = {c.role: c for c in child.contacts}
    assert set(roles) == {"social_worker", "iro", "school", "gp"}
    assert roles["social_worker"].email == "dana.social@birmingham.example"
    assert (roles["school"].name, roles["school"].organisation) == (
        "Northwick Primary",
        "URN 116789",
    )


def test_a_child_placed_from_a_distant_authority_is_at_a_distance(db_session: Session) -> None:
    notice = create_inbound_notice(db_session, placing_authority=NOTTINGHAMSHIRE)

    placement = _accept(db_session, notice).placement

    assert (placement.adjoining, placement.at_a_distance) == (False, True)


def test_a_second_notice_for_the_same_child_updates_rather_than_duplicates(
    db_session: Session,
) -> None:
    first = _accept(db_session, create_inbound_notice(db_session))
    again = create_inbound_notice(
        db_session,
        child={"family_name": "Whitlock-Price", "legal_status": "C1"},
        school={"name": "Cathedral High", "urn": "116800"},
    )

    second = _accept(db_session, again)

    assert not second.created_child and second.child.id == first.child.id
    assert second.placement.id == first.placement.id  # same start date: the same placement
    assert not second.changed
    assert len(_hosted(db_session)) == 1
    assert second.child.family_name == "Whitlock-Price" and second.child.legal_status == "C1"
    schools = [c for c in second.child.contacts if c.role == "school"]
    assert [s.name for s in schools] == ["Cathedral High"]


def test_accepting_the_same_notice_twice_changes_nothing_the_second_time(
    db_session: Session,
) -> None:
    create_partner_teams(db_session)
    notice = create_inbound_notice(db_session)
    first = _accept(db_session, notice)
    count = db_session.scalar(select(func.count()).select_from(Notification))

    again = _accept(db_session, notice)

    assert again.already_accepted and again.child.id == first.child.id
    assert again.notifications == ()
    assert db_session.scalar(select(func.count()).select_from(Notification)) == count


def test_an_address_change_closes_the_current_placement_the_day_before_and_opens_the_new(
    db_session: Session,
) -> None:
    start = _accept(
        db_session, create_inbound_notice(db_session, placement={"start_date": _days(-90)})
    )
    change = create_inbound_notice(
        db_session,
        notice_type="address_change",
        placement={
            "start_date": _days(-10),
            "carer_name": "Sam and Alex Carer",
            "address": {"line_1": "2 Elm Road", "town": "Malvern", "postcode": "WR14 1AA"},
        },
        previous_address={"line_1": "14 Orchard Way", "town": "Worcester", "postcode": "WR1 2NA"},
    )

    moved = _accept(db_session, change)

    old, new = start.placement, moved.placement
    assert old.id != new.id and moved.child.id == start.child.id
    assert (old.end_date, old.end_reason) == (TODAY - timedelta(days=11), "X1")
    assert (new.start_date, new.end_date, new.postcode) == (
        TODAY - timedelta(days=10),
        None,
        "WR14 1AA",
    )
    assert moved.child.current_placement is new
    assert [p.id for p in moved.child.placements] == [old.id, new.id]


def test_a_placement_end_ends_the_placement_with_the_reason(db_session: Session) -> None:
    start = _accept(
        db_session, create_inbound_notice(db_session, placement={"start_date": _days(-90)})
    )
    end = create_inbound_notice(
        db_session,
        notice_type="placement_end",
        placement={"start_date": _days(-90), "end_date": _days(-1), "end_reason": "E13"},
    )

    ended = _accept(db_session, end)

    assert ended.placement.id == start.placement.id
    assert (ended.placement.end_date, ended.placement.end_reason) == (
        TODAY - timedelta(days=1),
        "E13",
    )
    assert ended.child.current_placement is None


def test_an_end_for_a_placement_we_never_heard_of_records_it_ended(db_session: Session) -> None:
    end = create_inbound_notice(
        db_session,
        notice_type="placement_end",
        placement={"start_date": _days(-200), "end_date": _days(-5), "end_reason": "E4A"},
    )

    done = _accept(db_session, end)

    assert done.created_child
    assert (done.placement.start_date, done.placement.end_date) == (
        TODAY - timedelta(days=200),
        TODAY - timedelta(days=5),
    )


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"placement": {"address": {"postcode": "B1 1BB"}}}, "placement.address.postcode"),
        ({"placement": {"address": {"postcode": "ZZ9 9ZZ"}}}, "placement.address.postcode"),
        (
            {"notice_type": "placement_end", "placement": {"end_date": None, "end_reason": None}},
            "placement.end_date",
        ),
        ({"child": {"date_of_birth": None}}, "child.date_of_birth"),
    ],
)
def test_a_notice_that_cannot_be_recorded_says_why_and_stays_on_the_queue(
    db_session: Session, over: dict, field: str
) -> None:
    notice = create_inbound_notice(db_session, **over)

    with pytest.raises(InvalidInput) as raised, db_session.begin_nested():
        _accept(db_session, notice)

    assert field in raised.value.fields
    assert notice.status == InboundStatus.RECEIVED
    assert _hosted(db_session) == []


def test_a_start_before_the_current_placement_here_is_refused(db_session: Session) -> None:
    _accept(db_session, create_inbound_notice(db_session, placement={"start_date": _days(-10)}))
    earlier = create_inbound_notice(
        db_session,
        placement={"start_date": _days(-30), "address": {"postcode": "WR14 1AA"}},
    )

    with pytest.raises(InvalidInput) as raised:
        _accept(db_session, earlier)

    assert "placement.start_date" in raised.value.fields


# --- our partners --------------------------------------------------------------------------


def _partner_notices(session: Session, notice: InboundNotice) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.inbound_notice_id == notice.id)
            .order_by(Notification.recipient_role)
        )
    )


def test_acceptance_tells_our_virtual_school_and_health_team(db_session: Session) -> None:
    school, health = create_partner_teams(db_session)
    notice = create_inbound_notice(db_session)

    done = _accept(db_session, notice)

    told = _partner_notices(db_session, notice)
    assert [
        (n.recipient_role, n.recipient_kind, n.recipient_code, n.address, n.status) for n in told
    ] == [
        ("lac_health_team", "internal", str(health.id), health.email, NotificationStatus.PENDING),
        ("virtual_school", "internal", str(school.id), school.email, NotificationStatus.PENDING),
    ]
    assert {(n.event, n.child_id, n.placement_id, n.send_by) for n in told} == {
        ("placement_start", done.child.id, done.placement.id, TODAY)
    }


@pytest.mark.parametrize("notice_type", ["address_change", "placement_end"])
def test_partners_are_told_of_changes_and_ends_too(db_session: Session, notice_type: str) -> None:
    create_partner_teams(db_session)
    _accept(db_session, create_inbound_notice(db_session, placement={"start_date": _days(-90)}))
    placement = (
        {"start_date": _days(-90), "end_date": _days(-1), "end_reason": "E13"}
        if notice_type == "placement_end"
        else {"start_date": _days(-1), "address": {"postcode": "WR14 1AA"}}
    )
    notice = create_inbound_notice(db_session, notice_type=notice_type, placement=placement)

    _accept(db_session, notice)

    assert {(n.event, n.recipient_role) for n in _partner_notices(db_session, notice)} == {
        (notice_type, "virtual_school"),
        (notice_type, "lac_health_team"),
    }


def test_partner_notices_wait_for_an_address_and_go_when_the_team_gets_one(
    db_session: Session,
) -> None:
    notice = create_inbound_notice(db_session)
    _accept(db_session, notice)
    waiting = _partner_notices(db_session, notice)
    assert {(n.status, n.recipient_code) for n in waiting} == {
        (NotificationStatus.NEEDS_ADDRESS, None)
    }
    # Birmingham's own virtual school is not ours: it must not take our notice
    theirs = Contact(
        role="virtual_school", name="BCC VS", email="vs@bcc.example", authority_code=BIRMINGHAM
    )
    db_session.add(theirs)
    db_session.flush()
    assert outbox.address_added(db_session, "contact", str(theirs.id)) == []

    school, _ = create_partner_teams(db_session)
    released = outbox.address_added(db_session, "contact", str(school.id))

    virtual = next(n for n in waiting if n.recipient_role == "virtual_school")
    assert released == [virtual.id]
    db_session.refresh(virtual)
    assert (virtual.status, virtual.address) == (NotificationStatus.PENDING, school.email)


def test_a_repeated_notice_of_the_same_placement_does_not_tell_partners_twice(
    db_session: Session,
) -> None:
    create_partner_teams(db_session)
    _accept(db_session, create_inbound_notice(db_session))
    repeat = create_inbound_notice(db_session)  # a children's home's notice of the same start

    _accept(db_session, repeat)

    assert _partner_notices(db_session, repeat) == []


# --- query and reject ----------------------------------------------------------------------


def test_a_query_goes_to_the_social_worker_and_keeps_the_notice_on_the_queue(
    db_session: Session,
) -> None:
    notice = create_inbound_notice(db_session)

    query = query_notice(
        db_session, notice.id, question="Please send the GP's address.", user_id=None, today=TODAY
    )

    assert (query.event, query.recipient_kind, query.recipient_role) == (
        "query",
        "contact",
        "social_worker",
    )
    assert (query.address, query.recipient_name, query.status) == (
        "dana.social@birmingham.example",
        "Dana Social",
        NotificationStatus.PENDING,
    )
    assert (query.inbound_notice_id, query.child_id, query.send_by) == (notice.id, None, TODAY)
    assert (notice.status, notice.decision_note) == ("queried", "Please send the GP's address.")
    assert (
        db_session.scalar(
            select(func.count())
            .select_from(Child)
            .where(Child.responsible_authority_code == BIRMINGHAM)
        )
        == 0
    )


def test_a_query_without_a_social_worker_email_goes_to_the_placing_authority(
    db_session: Session,
) -> None:
    notice = create_inbound_notice(db_session, contacts={"social_worker": {"email": None}})
    give_addresses(db_session, BIRMINGHAM)

    query = query_notice(
        db_session, notice.id, question="Who is the social worker?", user_id=None, today=TODAY
    )

    assert (query.recipient_kind, query.recipient_code, query.address) == (
        "authority",
        BIRMINGHAM,
        "placements@e08000025.example",
    )


def test_a_query_needs_a_question(db_session: Session) -> None:
    notice = create_inbound_notice(db_session)

    with pytest.raises(InvalidInput) as raised:
        query_notice(db_session, notice.id, question="   ", user_id=None, today=TODAY)

    assert list(raised.value.fields) == ["question"]


def test_a_queried_notice_can_then_be_accepted(db_session: Session) -> None:
    notice = create_inbound_notice(db_session)
    query_notice(db_session, notice.id, question="GP?", user_id=None, today=TODAY)

    assert _accept(db_session, notice).notice.status == "accepted"


@pytest.mark.parametrize(
    ("reason", "detail", "note"),
    [
        ("wrong_area", None, "The placement address is not in our area"),
        (
            "duplicate",
            "Same as BCC-2026-000101",
            "A duplicate of a notice we already have: Same as BCC-2026-000101",
        ),
        ("not_looked_after", "", "Not a looked-after child"),
        ("other", "Sent to us by mistake", "Sent to us by mistake"),
    ],
)
def test_a_rejection_stores_the_reason_the_placing_authority_reads(
    db_session: Session, reason: str, detail: str | None, note: str
) -> None:
    notice = create_inbound_notice(db_session)

    reject_notice(db_session, notice.id, reason=reason, detail=detail, user_id=None)

    assert (notice.status, notice.decision_note) == ("rejected", note)


@pytest.mark.parametrize(
    ("reason", "detail", "field"), [("other", "", "detail"), ("bored", "x", "reason")]
)
def test_a_rejection_needs_a_known_reason_and_text_for_other(
    db_session: Session, reason: str, detail: str, field: str
) -> None:
    notice = create_inbound_notice(db_session)

    with pytest.raises(InvalidInput) as raised:
        reject_notice(db_session, notice.id, reason=reason, detail=detail, user_id=None)

    assert list(raised.value.fields) == [field]


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        ("accepted", "query"),
        ("accepted", "reject"),
        ("rejected", "accept"),
        ("rejected", "query"),
        ("rejected", "reject"),
        ("queried", "query"),
    ],
)
def test_a_decided_notice_cannot_be_decided_again(
    db_session: Session, status: str, decide: str
) -> None:
    notice = create_inbound_notice(db_session)
    if status == "accepted":
        _accept(db_session, notice)
    elif status == "rejected":
        reject_notice(db_session, notice.id, reason="duplicate", detail=None, user_id=None)
    else:
        query_notice(db_session, notice.id, question="GP?", user_id=None, today=TODAY)

    with pytest.raises(CannotDecide, match=f"was {status}"):
        if decide == "accept":
            _accept(db_session, notice)
        elif decide == "query":
            query_notice(db_session, notice.id, question="More?", user_id=None, today=TODAY)
        else:
            reject_notice(db_session, notice.id, reason="other", detail="No", user_id=None)


def test_a_placement_here_for_another_authority_does_not_touch_our_own_children(
    db_session: Session,
) -> None:
    done = _accept(db_session, create_inbound_notice(db_session))

    assert (
        db_session.scalar(
            select(func.count()).select_from(Placement).where(Placement.child_id == done.child.id)
        )
        == 1
    )
