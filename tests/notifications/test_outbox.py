"""The outbox: statuses move only forward through one locking function; claims, leases,
addresses arriving, corrections and resends."""

from datetime import timedelta
from itertools import product

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Authority, Contact, Notification
from models.base import utcnow
from models.enums import NotificationStatus as Status
from notify.notifications import outbox
from tests.support.builders import (
    HEREFORDSHIRE,
    HOME,
    TODAY,
    create_placement,
    give_every_body_an_address,
    placed_child_notices,
)

ALLOWED_MOVES = {
    (Status.PENDING, Status.SENDING),
    (Status.PENDING, Status.NEEDS_ADDRESS),
    (Status.PENDING, Status.CANCELLED),
    (Status.NEEDS_ADDRESS, Status.PENDING),
    (Status.NEEDS_ADDRESS, Status.CANCELLED),
    (Status.SENDING, Status.SENT),
    (Status.SENDING, Status.PENDING),
    (Status.SENDING, Status.FAILED),
    (Status.FAILED, Status.PENDING),
    (Status.FAILED, Status.CANCELLED),
    (Status.SENT, Status.ACKNOWLEDGED),
    (Status.ACKNOWLEDGED, Status.SENT),  # reopened: recorded in error
}


def _set_status(session: Session, notification: Notification, status: Status) -> None:
    session.execute(
        update(Notification).where(Notification.id == notification.id).values(status=status)
    )
    session.expire(notification)


@pytest.mark.parametrize(("current", "to"), list(product(Status, Status)))
def test_a_status_moves_only_along_the_allowed_transitions(
    db_session: Session, current: Status, to: Status, delivery_logs: pytest.LogCaptureFixture
) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session, given_name="Zebedee")[0]
    _set_status(db_session, notification, current)

    moved = outbox.change_status(db_session, notification.id, to)

    db_session.refresh(notification)
    if (current, to) in ALLOWED_MOVES:
        assert moved == [notification.id]
        assert notification.status == to
        assert not delivery_logs.records
    else:
        assert moved == []
        assert notification.status == current
        (record,) = delivery_logs.records
        assert record.notification_id == notification.id  # type: ignore[attr-defined]
        assert record.duplicate == (current == to)  # type: ignore[attr-defined]
        assert "Zebedee" not in record.getMessage()


def test_a_status_change_sets_the_fields_given_with_it(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session)[0]
    when = utcnow()
    outbox.change_status(db_session, notification.id, Status.SENDING, claimed_by="w1")
    outbox.change_status(db_session, notification.id, Status.SENT, count_attempt=True, sent_at=when)
    db_session.refresh(notification)
    assert (notification.status, notification.sent_at, notification.attempts) == (
        Status.SENT,
        when,
        1,
    )
    assert notification.claimed_by == "w1"


def test_a_status_change_refuses_a_field_notifications_do_not_have(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session)[0]
    with pytest.raises(TypeError, match="no column colour"):
        outbox.change_status(db_session, notification.id, Status.CANCELLED, colour="red")


def test_a_status_change_for_an_unknown_notification_says_so(db_session: Session) -> None:
    with pytest.raises(outbox.NotificationNotFound, match="no notification 987654321"):
        outbox.change_status(db_session, 987654321, Status.CANCELLED)


def test_held_by_moves_only_what_that_worker_has_claimed(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    first, second = placed_child_notices(db_session)[:2]
    outbox.change_status(db_session, first.id, Status.SENDING, claimed_by="worker-a")
    outbox.change_status(db_session, second.id, Status.SENDING, claimed_by="worker-b")
    moved = outbox.change_status(
        db_session, [first.id, second.id], Status.PENDING, held_by="worker-a"
    )
    assert moved == [first.id]


def test_claiming_takes_due_pending_notifications_and_marks_them_sending_with_a_lease(
    db_session: Session,
) -> None:
    give_every_body_an_address(db_session)
    notices = placed_child_notices(db_session)
    now = utcnow() + timedelta(seconds=5)
    waiting = [n.id for n in notices if n.status == Status.PENDING]
    not_yet = waiting.pop()
    db_session.execute(
        update(Notification)
        .where(Notification.id == not_yet)
        .values(next_attempt_at=now + timedelta(hours=1))
    )

    claimed = outbox.claim_due(db_session, 10, now, "worker-a", timedelta(minutes=2))

    assert set(waiting) <= set(claimed)
    assert not_yet not in claimed
    for notification_id in waiting:
        row = db_session.get(Notification, notification_id)
        assert row is not None
        assert (row.status, row.claimed_by, row.claimed_at) == (Status.SENDING, "worker-a", now)
        assert row.next_attempt_at == now + timedelta(minutes=2)  # the end of the lease
    assert outbox.claim_due(db_session, 10, now, "worker-b") == []  # nothing left for another


def test_claiming_takes_no_more_than_the_limit_earliest_due_first(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    notices = [n for n in placed_child_notices(db_session) if n.status == Status.PENDING]
    now = utcnow() + timedelta(seconds=5)
    for minutes, notification in enumerate(notices):  # the last is the longest overdue
        db_session.execute(
            update(Notification)
            .where(Notification.id == notification.id)
            .values(next_attempt_at=now - timedelta(minutes=10 + minutes))
        )
    claimed = outbox.claim_due(db_session, 1, now, "worker-a")
    assert claimed == [notices[-1].id]


def test_a_claim_whose_lease_ran_out_is_taken_over_and_the_loss_noted(
    db_session: Session, delivery_logs: pytest.LogCaptureFixture
) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session)[0]
    start = utcnow() + timedelta(seconds=5)
    assert notification.id in outbox.claim_due(
        db_session, 10, start, "killed-worker", timedelta(minutes=5)
    )

    # Within the lease nobody else may take it; after it, another worker does.
    assert notification.id not in outbox.claim_due(
        db_session, 10, start + timedelta(minutes=4), "worker-b"
    )
    taken = outbox.claim_due(db_session, 10, start + timedelta(minutes=6), "worker-b")

    assert notification.id in taken
    db_session.refresh(notification)
    assert (notification.status, notification.claimed_by) == (Status.SENDING, "worker-b")
    assert notification.last_error == outbox.LOST_WORKER
    assert any(getattr(r, "worker_id", None) == "killed-worker" for r in delivery_logs.records), (
        "the lost claim is logged with the worker that held it"
    )


def test_releasing_hands_claimed_notifications_back_due_at_once(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session)[0]
    now = utcnow() + timedelta(seconds=5)
    outbox.claim_due(db_session, 10, now, "worker-a")
    assert outbox.release(db_session, [notification.id], now) == [notification.id]
    db_session.refresh(notification)
    assert (notification.status, notification.claimed_by, notification.next_attempt_at) == (
        Status.PENDING,
        None,
        now,
    )


def test_a_recipient_given_an_address_has_its_waiting_notifications_made_pending(
    db_session: Session,
) -> None:
    notices = placed_child_notices(db_session, "HR1 1AA")  # nobody has an address yet
    herefordshire = next(n for n in notices if n.recipient_code == "E06000019")
    assert herefordshire.status == Status.NEEDS_ADDRESS
    assert outbox.address_added(db_session, "authority", "E06000019") == []  # still none

    give_every_body_an_address(db_session)
    moved = outbox.address_added(db_session, "authority", "E06000019")

    assert moved == [herefordshire.id]
    db_session.refresh(herefordshire)
    assert herefordshire.status == Status.PENDING
    assert herefordshire.address == "notifications@e06000019.example"


def test_a_new_address_is_used_by_notifications_not_yet_sent_and_not_by_those_sent(
    db_session: Session,
) -> None:
    give_every_body_an_address(db_session)
    first, second = (
        next(
            n
            for n in placed_child_notices(db_session, "HR1 1AA")
            if n.recipient_code == HEREFORDSHIRE
        )
        for _ in range(2)
    )
    _set_status(db_session, first, Status.SENT)
    authority = db_session.get(Authority, HEREFORDSHIRE)
    assert authority is not None
    authority.notification_email = "new.inbox@herefordshire.example"

    assert outbox.address_added(db_session, "authority", HEREFORDSHIRE) == []  # none was waiting

    db_session.refresh(first)
    db_session.refresh(second)
    assert (first.address, second.address) == (
        "notifications@e06000019.example",
        "new.inbox@herefordshire.example",
    )


def test_our_own_team_added_to_the_directory_receives_the_alerts_waiting_for_it(
    db_session: Session,
) -> None:
    give_every_body_an_address(db_session)
    alert = next(n for n in placed_child_notices(db_session) if n.recipient_kind == "internal")
    assert (alert.status, alert.recipient_code) == (Status.NEEDS_ADDRESS, None)
    team = Contact(role="sqa", name="SQA team", email="sqa@ours.example", authority_code=HOME)
    db_session.add(team)
    db_session.flush()

    assert outbox.address_added(db_session, "contact", str(team.id)) == [alert.id]
    db_session.refresh(alert)
    assert (alert.status, alert.address, alert.recipient_code) == (
        Status.PENDING,
        "sqa@ours.example",
        str(team.id),
    )


def test_cancelling_a_placements_notices_cancels_those_not_gone_and_leaves_the_sent_one(
    db_session: Session,
) -> None:
    """outbox.cancel_for_placement itself. No journey calls it yet: correcting or withdrawing
    a placement is still to be built, and its own tests will say what that journey does."""
    give_every_body_an_address(db_session)
    notices = placed_child_notices(db_session)
    gone, waiting, failed = notices[0], notices[1], notices[2]
    outbox.change_status(db_session, gone.id, Status.SENDING)
    outbox.change_status(db_session, gone.id, Status.SENT)
    _set_status(db_session, failed, Status.FAILED)

    cancelled = outbox.cancel_for_placement(db_session, gone.placement_id)

    assert sorted(cancelled) == sorted([waiting.id, failed.id])
    statuses = dict(
        db_session.execute(
            select(Notification.id, Notification.status).where(
                Notification.placement_id == gone.placement_id
            )
        ).all()
    )
    assert statuses[gone.id] == Status.SENT
    assert statuses[waiting.id] == statuses[failed.id] == Status.CANCELLED


def test_a_failed_notification_is_resent_to_the_address_the_directory_has_now(
    db_session: Session,
) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session)[0]
    _set_status(db_session, notification, Status.FAILED)
    db_session.execute(
        update(Notification).where(Notification.id == notification.id).values(attempts=7)
    )
    notification.child.placements[0].host_authority.notification_email = "fixed@e06.example"
    later = utcnow() + timedelta(minutes=1)

    assert outbox.resend(db_session, notification.id, later) == "fixed@e06.example"

    db_session.refresh(notification)
    assert (notification.status, notification.address, notification.next_attempt_at) == (
        Status.PENDING,
        "fixed@e06.example",
        later,
    )
    assert notification.attempts == 0


@pytest.mark.parametrize("status", [Status.PENDING, Status.SENT, Status.CANCELLED])
def test_only_a_failed_notification_can_be_resent(db_session: Session, status: Status) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session)[0]
    _set_status(db_session, notification, status)
    with pytest.raises(outbox.CannotResend, match="only a failed notification"):
        outbox.resend(db_session, notification.id)


def test_a_failed_notification_with_no_address_in_the_directory_is_not_resent(
    db_session: Session,
) -> None:
    give_every_body_an_address(db_session)
    notification = placed_child_notices(db_session)[0]
    _set_status(db_session, notification, Status.FAILED)
    notification.child.placements[0].host_authority.notification_email = None
    with pytest.raises(outbox.CannotResend, match="no notification address"):
        outbox.resend(db_session, notification.id)


def test_a_later_placement_does_not_disturb_another_placements_notices(
    db_session: Session,
) -> None:
    give_every_body_an_address(db_session)
    first = placed_child_notices(db_session)
    child = first[0].child
    create_placement(db_session, child, "TR1 1AA", start_date=TODAY + timedelta(days=30))
    assert outbox.cancel_for_placement(db_session, first[0].placement_id)
    later = db_session.scalars(
        select(Notification.status).where(
            Notification.child_id == child.id, Notification.placement_id != first[0].placement_id
        )
    ).all()
    assert later and Status.CANCELLED not in later
