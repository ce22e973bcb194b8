"""Withdrawing a planned placement before it starts (DOMAIN.md §1, API.md): unsent notices
cancelled, a withdrawal notice to everyone already sent one, the ended placement reopened."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import BankHoliday, Child, Notification, Placement
from models.base import utcnow
from models.enums import Event, NotificationStatus, RecipientRole
from notify.notifications.chasing import chase
from notify.placements.people import PersonDetails
from notify.placements.withdrawal import CannotWithdraw, plan_withdrawal, withdraw_placement
from notify.problems import Conflict, InvalidInput
from notify.reports.ssda903 import CollectionYear, episodes_of
from tests.support.builders import (
    CHASE_SETTINGS,
    HEREFORD,
    HEREFORDSHIRE,
    TODAY,
    create_child,
    create_contact,
    create_placement,
    create_user,
    give_every_body_an_address,
    mark_sent,
)

TRURO, CORNWALL = "TR1 1AA", "E06000052"
REASON = "The foster carers withdrew their offer"


def _notices(session: Session, placement: Placement) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.placement_id == placement.id)
            .order_by(Notification.id)
        )
    )


def next_working_day(session: Session, day: date) -> date:
    """DOMAIN.md §1: a withdrawal is due 1 working day after it is recorded, on the England
    and Wales calendar."""
    holidays = set(
        session.scalars(select(BankHoliday.day).where(BankHoliday.division == "england-and-wales"))
    )
    day += timedelta(days=1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def _planned_move(session: Session) -> tuple[Child, Placement, Placement]:
    """A child placed in Herefordshire six months ago, with a move to Cornwall planned for
    next week."""
    give_every_body_an_address(session)
    child = create_child(session, placed_at=HEREFORD)
    create_contact(session, child, RecipientRole.PARENT, name="A Parent")
    current = child.current_placement
    assert current is not None
    move = create_placement(session, child, TRURO)
    session.flush()
    return child, current, move


def _withdraw(session: Session, child: Child, placement: Placement, **over: object) -> object:
    arguments: dict[str, object] = {
        "reason": REASON,
        "expected_version": child.version,
        "actor_id": None,
        "today": TODAY,
    }
    arguments.update(over)
    return withdraw_placement(session, child, placement, **arguments)  # type: ignore[arg-type]


def test_a_withdrawal_cancels_every_notice_not_yet_sent(db_session: Session) -> None:
    child, current, move = _planned_move(db_session)
    unsent = [n for n in _notices(db_session, move)]
    assert unsent and all(
        n.status in (NotificationStatus.PENDING, NotificationStatus.NEEDS_ADDRESS) for n in unsent
    )
    _withdraw(db_session, child, move)
    for n in _notices(db_session, move):
        db_session.refresh(n)
    statuses = {n.event: n.status for n in _notices(db_session, move)}
    assert set(statuses.values()) == {NotificationStatus.CANCELLED}
    # the move's end notices of the placement it would have ended are cancelled too
    ends = [n for n in _notices(db_session, current) if n.event == Event.PLACEMENT_END]
    assert ends and all(n.status == NotificationStatus.CANCELLED for n in ends)
    # nobody was sent anything: nobody is sent a withdrawal
    assert not [n for n in _notices(db_session, move) if n.event == Event.PLACEMENT_WITHDRAWN]


def test_only_those_already_sent_a_notice_get_a_withdrawal_notice(db_session: Session) -> None:
    child, current, move = _planned_move(db_session)
    area = next(
        n
        for n in _notices(db_session, move)
        if n.recipient_role == RecipientRole.AREA_AUTHORITY and n.event == Event.PLACEMENT_START
    )
    mark_sent(db_session, area, utcnow())
    recorded = _withdraw(db_session, child, move)
    withdrawals = [n for n in _notices(db_session, move) if n.event == Event.PLACEMENT_WITHDRAWN]
    assert [(n.recipient_kind, n.recipient_code) for n in withdrawals] == [("authority", CORNWALL)]
    assert recorded.notifications == withdrawals  # type: ignore[attr-defined]
    notice = withdrawals[0]
    assert notice.status == NotificationStatus.PENDING
    assert notice.address == f"notifications@{CORNWALL.lower()}.example"
    assert notice.send_by == next_working_day(db_session, TODAY)
    db_session.refresh(area)
    assert area.status == NotificationStatus.SENT  # what went, went
    others = [n for n in _notices(db_session, move) if n.id not in {area.id, notice.id}]
    assert others and {n.status for n in others} == {NotificationStatus.CANCELLED}


def test_the_authority_told_the_child_would_leave_is_told_the_move_is_off(
    db_session: Session,
) -> None:
    child, current, move = _planned_move(db_session)
    end = next(n for n in _notices(db_session, current) if n.event == Event.PLACEMENT_END)
    mark_sent(db_session, end, utcnow())
    recorded = _withdraw(db_session, child, move)
    assert [
        (n.event, n.recipient_role, n.recipient_code, n.placement_id)
        for n in recorded.notifications  # type: ignore[attr-defined]
    ] == [
        (Event.PLACEMENT_WITHDRAWN, RecipientRole.PREVIOUS_AREA_AUTHORITY, HEREFORDSHIRE, move.id)
    ]


def test_a_withdrawal_is_due_thenext_working_day_in_england_and_wales(
    db_session: Session,
) -> None:
    # Friday 27 November 2026: Monday 30 November is St Andrew's Day, a holiday in Scotland only
    child, _, move = _planned_move(db_session)
    sent = _notices(db_session, move)[0]
    mark_sent(db_session, sent, utcnow())
    recorded = _withdraw(db_session, child, move, today=date(2026, 11, 27))
    assert [n.send_by for n in recorded.notifications] == [date(2026, 11, 30)]  # type: ignore[attr-defined]


def test_the_placement_the_move_would_have_ended_goes_on(db_session: Session) -> None:
    child, current, move = _planned_move(db_session)
    starts_before = {
        n.id: n.status for n in _notices(db_session, current) if n.event != "placement_end"
    }
    user = create_user(db_session)
    _withdraw(db_session, child, move, actor_id=user.id)
    assert current.end_date is None and current.end_reason is None
    assert child.current_placement is current
    # its own start notices are its own: not cancelled
    assert {
        n.id: n.status for n in _notices(db_session, current) if n.event != "placement_end"
    } == starts_before
    # the withdrawn placement is kept, marked, never current
    assert db_session.get(Placement, move.id) is move
    assert move.withdrawn_at is not None
    assert move.withdrawn_reason == REASON
    assert move.withdrawn_by_id == user.id
    assert not move.open_on(move.start_date)
    open_ids = db_session.scalars(
        select(Placement.id).where(
            Placement.child_id == child.id, Placement.open_on(move.start_date)
        )
    ).all()
    assert open_ids == [current.id]


def test_a_withdrawn_placement_is_no_episode_of_the_903_return(db_session: Session) -> None:
    child, current, move = _planned_move(db_session)
    _withdraw(db_session, child, move)
    year = CollectionYear(move.start_date.year + (move.start_date.month > 3))
    episodes = list(episodes_of(child, year))
    assert [e["DECOM"] for e in episodes] == [current.start_date.strftime("%d/%m/%Y")]
    assert episodes[0]["DEC"] == ""  # still open


def test_the_carer_the_move_left_is_the_childs_carer_again(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    child = create_child(db_session)
    create_placement(
        db_session,
        child,
        "WR5 3AA",
        start_date=TODAY - timedelta(days=60),
        carer=PersonDetails(role="carer", name="First Carer", email="first@carers.example"),
    )
    move = create_placement(
        db_session,
        child,
        HEREFORD,
        carer=PersonDetails(role="carer", name="Second Carer", email="second@carers.example"),
    )
    db_session.flush()
    _withdraw(db_session, child, move)
    carers = {c.name: c.active for c in child.contacts if c.role == RecipientRole.CARER}
    assert carers == {"First Carer": True, "Second Carer": False}


@pytest.mark.parametrize("days", [0, -1])
def test_a_placement_that_has_started_cannot_be_withdrawn(db_session: Session, days: int) -> None:
    give_every_body_an_address(db_session)
    child = create_child(db_session)
    started = create_placement(db_session, child, HEREFORD, start_date=TODAY + timedelta(days))
    with pytest.raises(CannotWithdraw, match="only be withdrawn before it starts"):
        _withdraw(db_session, child, started)
    assert started.withdrawn_at is None
    assert isinstance(CannotWithdraw("x"), Conflict)  # answered 409


def test_only_the_childs_latest_placement_can_be_withdrawn(db_session: Session) -> None:
    child, _, move = _planned_move(db_session)
    create_placement(db_session, child, "WR5 3AA", start_date=TODAY + timedelta(days=14))
    with pytest.raises(CannotWithdraw, match="withdraw that one first"):
        plan_withdrawal(db_session, child, move, TODAY)


def test_a_withdrawal_needs_a_reason(db_session: Session) -> None:
    child, _, move = _planned_move(db_session)
    with pytest.raises(InvalidInput) as refused:
        _withdraw(db_session, child, move, reason="  ")
    assert refused.value.fields == {"reason": ["Say why the placement will not happen"]}
    with pytest.raises(InvalidInput, match="at most 200 characters"):
        _withdraw(db_session, child, move, reason="x" * 201)
    assert move.withdrawn_at is None


def test_a_withdrawal_on_a_stale_read_conflicts(db_session: Session) -> None:
    child, _, move = _planned_move(db_session)
    with pytest.raises(Conflict):
        _withdraw(db_session, child, move, expected_version=child.version - 1)


def test_a_placement_is_withdrawn_once(db_session: Session) -> None:
    child, _, move = _planned_move(db_session)
    _withdraw(db_session, child, move)
    with pytest.raises(CannotWithdraw, match="already been withdrawn"):
        _withdraw(db_session, child, move)


def test_neither_a_withdrawal_nor_the_notices_of_a_withdrawn_placement_are_chased(
    db_session: Session,
) -> None:
    child, current, move = _planned_move(db_session)
    sent_at = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    area = next(n for n in _notices(db_session, move) if n.event == Event.PLACEMENT_START)
    still_on = next(n for n in _notices(db_session, current) if n.event == Event.PLACEMENT_START)
    for notice in (area, still_on):
        mark_sent(db_session, notice, sent_at, acknowledge_by=date(2026, 12, 14))
    recorded = _withdraw(db_session, child, move, today=date(2026, 12, 7))
    [withdrawal] = recorded.notifications  # type: ignore[attr-defined]
    mark_sent(db_session, withdrawal, sent_at, acknowledge_by=date(2026, 12, 14))

    chase(db_session, date(2027, 1, 7), CHASE_SETTINGS, now=sent_at + timedelta(days=31))

    chased = set(
        db_session.scalars(
            select(Notification.reminder_of_id).where(Notification.reminder_of_id.is_not(None))
        )
    )
    assert chased == {still_on.id}  # the placement that goes on is chased as ever
