"""The outbox: every change of a notification's status, and claiming due rows for delivery.

Every status change goes through `change_status`, which locks the rows and moves each only
along `ALLOWED`; anything else (a duplicate, or a move backwards) is logged and does nothing.
No function here commits: the caller owns the transaction.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from models import Child, Contact, Notification, Placement
from models.base import utcnow
from models.enums import Channel, RecipientKind
from models.enums import NotificationStatus as Status
from notify.notifications.recipients import directory_address

logger = logging.getLogger(__name__)

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.SENDING, Status.NEEDS_ADDRESS, Status.CANCELLED}),
    Status.NEEDS_ADDRESS: frozenset({Status.PENDING, Status.CANCELLED}),
    # back to pending: a transient failure to retry, or a claim handed back unsent
    Status.SENDING: frozenset({Status.SENT, Status.PENDING, Status.FAILED}),
    Status.FAILED: frozenset({Status.PENDING, Status.CANCELLED}),
    Status.SENT: frozenset({Status.ACKNOWLEDGED}),
    # back to sent: an acknowledgement recorded in error, reopened by SQA (audited)
    Status.ACKNOWLEDGED: frozenset({Status.SENT}),
    Status.CANCELLED: frozenset(),
    # reg 13(3): listed so that everyone sees who was not told, and never sent
    Status.WITHHELD: frozenset(),
}

# How long a worker holds a claimed row before another may take it over (see claim_due).
DEFAULT_LEASE = timedelta(minutes=5)

LOST_WORKER = (
    "The worker sending this stopped before recording the outcome; sending it again "
    "(if it had gone, it arrives twice, with the same Message-ID)"
)
_TABLE = cast(Table, Notification.__table__)
_COLUMNS = frozenset(_TABLE.columns.keys()) - {"id", "status"}
# Built once: these run for every message sent. Rows are locked in id order, so two
# transactions locking several rows cannot deadlock.
_LOCK = (
    select(_TABLE.c.id, _TABLE.c.status, _TABLE.c.claimed_by)
    .where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_TABLE.c.id)
    .with_for_update()
)
# the SET clause takes the status and the changes from the parameters
_MOVE = update(_TABLE).where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
_MOVE_COUNTING = _MOVE.values(attempts=_TABLE.c.attempts + 1)
# One row moved by one statement: it locks the row and moves it only from a status allowed to.
_MOVE_ONE = {
    (counting, held): statement.where(
        _TABLE.c.status.in_(bindparam("allowed_from", expanding=True)),
        *([_TABLE.c.claimed_by == bindparam("held_by")] if held else []),
    )
    for counting, statement in ((False, _MOVE), (True, _MOVE_COUNTING))
    for held in (False, True)
}
_ALLOWED_FROM = {
    to: [status.value for status, onward in ALLOWED.items() if to in onward] for to in Status
}


def enqueue(session: Session, **columns: Any) -> Notification:
    """The one creator of notification rows: pending when it has an address to go to, else
    needs_address until the directory has one (`address_added` releases it); withheld, and
    never sent, with the reg 13(3) decision in `withheld_reason`."""
    columns.setdefault("channel", Channel.EMAIL)
    status = Status.PENDING if columns.get("address") else Status.NEEDS_ADDRESS
    if columns.get("withheld_reason"):
        status = Status.WITHHELD
    notification = Notification(status=status, **columns)
    session.add(notification)
    return notification


class NotificationNotFound(LookupError):
    pass


class CannotResend(ValueError):
    """A resend that cannot happen: the notification is not failed, or has no address."""


def change_status(
    session: Session,
    notification_ids: int | Iterable[int],
    to: Status,
    *,
    held_by: str | None = None,
    count_attempt: bool = False,
    **changes: Any,
) -> list[int]:
    """Lock the notifications and move to `to` (setting `changes`) each whose status allows
    it, and, given `held_by`, only those that worker has claimed; log the others and leave
    them alone. `count_attempt` adds one to their attempts. Returns the ids moved."""
    ids = [notification_ids] if isinstance(notification_ids, int) else list(notification_ids)
    if not ids:
        return []
    unknown = set(changes) - _COLUMNS
    if unknown:
        raise TypeError(f"Notifications have no column {', '.join(sorted(unknown))}")
    if count_attempt and "attempts" in changes:
        raise TypeError("Count an attempt or set attempts, not both")
    session.flush()  # the caller's own changes first: the rows are written below by SQL
    connection = session.connection()
    if len(ids) == 1 and _ALLOWED_FROM[to]:
        # The common case (each message's outcome) in one statement; if it moved nothing,
        # the locked read below finds out why and logs it.
        moved = connection.execute(
            _MOVE_ONE[count_attempt, held_by is not None],
            {
                "ids": ids,
                "allowed_from": _ALLOWED_FROM[to],
                "held_by": held_by,
                "status": to.value,
                **changes,
            },
        )
        if moved.rowcount == 1:
            _expire(session, ids)
            return ids
    current = {
        row.id: (Status(row.status), row.claimed_by)
        for row in connection.execute(_LOCK, {"ids": ids})
    }
    missing = sorted(set(ids) - set(current))
    if missing:
        raise NotificationNotFound(f"There is no notification {missing[0]}")
    moving = []
    for notification_id in ids:
        status, holder = current[notification_id]
        if to in ALLOWED[status] and (held_by is None or holder == held_by):
            moving.append(notification_id)
            continue
        logger.info(
            "Notification %s is %s: not moved to %s",
            notification_id,
            status.value if held_by is None or holder == held_by else f"held by {holder}",
            to.value,
            extra={
                "notification_id": notification_id,
                "from_status": status.value,
                "to_status": to.value,
                "duplicate": status == to,
            },
        )
    if moving:
        statement = _MOVE_COUNTING if count_attempt else _MOVE
        connection.execute(statement, {"ids": moving, "status": to.value, **changes})
        _expire(session, moving)
    return moving


def _expire(session: Session, notification_ids: list[int]) -> None:
    """Written by SQL, not through the objects: any loaded in the session are stale."""
    for notification_id in notification_ids:
        loaded = session.identity_map.get(identity_key(Notification, notification_id))
        if loaded is not None:
            session.expire(loaded)


def lock(session: Session, notification_ids: list[int]) -> dict[int, Status]:
    """Lock the notifications' rows and return their statuses. On SQLite the transaction
    already holds the database's write lock: every transaction there begins IMMEDIATE."""
    session.flush()
    rows = session.connection().execute(_LOCK, {"ids": notification_ids})
    found = {row.id: Status(row.status) for row in rows}
    missing = sorted(set(notification_ids) - set(found))
    if missing:
        raise NotificationNotFound(f"There is no notification {missing[0]}")
    return found


def claim_due(
    session: Session,
    limit: int,
    now: datetime,
    worker_id: str,
    lease: timedelta = DEFAULT_LEASE,
) -> list[int]:
    """Claim up to `limit` notifications due at `now` for `worker_id`: each is marked sending
    until `now + lease`. A row still sending after its lease (its worker died) is claimed
    again: at most the message that worker had in flight is sent twice."""
    # SKIP LOCKED lets workers on PostgreSQL share the queue without waiting on each other;
    # SQLite ignores it and serialises the claims instead (BEGIN IMMEDIATE).
    due = session.execute(
        select(Notification.id, Notification.status, Notification.claimed_by)
        .where(
            Notification.status.in_([Status.PENDING, Status.SENDING]),
            Notification.next_attempt_at <= now,
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    lost = [(n_id, holder) for n_id, status, holder in due if status == Status.SENDING]
    for notification_id, holder in lost:
        logger.warning(
            "Notification %s was claimed by %s, which stopped before recording the outcome",
            notification_id,
            holder,
            extra={"notification_id": notification_id, "worker_id": holder},
        )
    change_status(
        session,
        [n_id for n_id, _ in lost],
        Status.PENDING,
        claimed_by=None,
        last_error=LOST_WORKER,
    )
    return change_status(
        session,
        [n_id for n_id, _, _ in due],
        Status.SENDING,
        claimed_by=worker_id,
        claimed_at=now,
        # while sending, next_attempt_at is the end of the lease (see the model)
        next_attempt_at=now + lease,
    )


def release(session: Session, notification_ids: list[int], now: datetime) -> list[int]:
    """Hand back claimed notifications that were not attempted (a worker stopping)."""
    return change_status(
        session,
        notification_ids,
        Status.PENDING,
        claimed_by=None,
        claimed_at=None,
        next_attempt_at=now,
    )


def address_added(session: Session, kind: str, code: str, now: datetime | None = None) -> list[int]:
    """The directory has an address for this recipient now: its notifications waiting for one
    become pending, due at once, and those pending (not yet sent) go to the new address
    rather than a stale one. Call it whenever the directory records an address. Returns the
    ids of those that were waiting."""
    address = directory_address(session, kind, code)
    if not address:
        return []
    waiting = select(Notification.id).where(Notification.status == Status.NEEDS_ADDRESS)
    _readdress_pending(session, kind, code, address)
    if kind == RecipientKind.CONTACT:
        team = session.get(Contact, int(code))
        assert team is not None  # directory_address found it
        waiting = (
            waiting.join(Child)
            .outerjoin(Placement, Placement.id == Notification.placement_id)
            .where(
                or_(
                    Notification.recipient_kind == RecipientKind.CONTACT,
                    Notification.recipient_kind == RecipientKind.INTERNAL,
                ),
                or_(
                    Notification.recipient_code == code,
                    # one of our own teams that had no entry when the notice was written
                    and_(
                        Notification.recipient_kind == RecipientKind.INTERNAL,
                        Notification.recipient_code.is_(None),
                        Notification.recipient_role == team.role,
                        _our_team(team),
                    ),
                ),
            )
        )
        extra: dict[str, Any] = {"recipient_code": code, "recipient_name": team.name}
    else:
        waiting = waiting.where(
            Notification.recipient_kind == kind, Notification.recipient_code == code
        )
        extra = {}
    moved = change_status(
        session,
        session.scalars(waiting).all(),
        Status.PENDING,
        address=address,
        next_attempt_at=now or utcnow(),
        **extra,
    )
    if moved:
        logger.info(
            "%d notifications waiting for an address are now pending",
            len(moved),
            extra={"recipient_kind": kind, "recipient_code": code},
        )
    return moved


def _our_team(team: Contact) -> Any:
    """Whether a waiting internal notice is for this team's authority: the child's own
    authority for a notice about one of our children (an SQA alert), the authority where
    the child is placed for one about another authority's child placed with us (our virtual
    school and health team). Not the placing authority: its own teams are not ours to tell."""
    return or_(
        and_(
            Notification.inbound_notice_id.is_(None),
            Child.responsible_authority_code == team.authority_code,
        ),
        and_(
            Notification.inbound_notice_id.is_not(None),
            Placement.host_authority_code == team.authority_code,
        ),
    )


def _readdress_pending(session: Session, kind: str, code: str, address: str) -> None:
    kinds = (
        [RecipientKind.CONTACT, RecipientKind.INTERNAL] if kind == RecipientKind.CONTACT else [kind]
    )
    readdressed = list(
        session.connection().scalars(
            update(_TABLE)
            .where(
                _TABLE.c.status == Status.PENDING,
                _TABLE.c.recipient_kind.in_(kinds),
                _TABLE.c.recipient_code == code,
                or_(_TABLE.c.address.is_(None), _TABLE.c.address != address),
            )
            .values(address=address)
            .returning(_TABLE.c.id)
        )
    )
    _expire(session, readdressed)
    if readdressed:
        logger.info(
            "%d pending notifications will go to the recipient's new address",
            len(readdressed),
            extra={"recipient_kind": kind, "recipient_code": code},
        )


# Not gone out, and not on its way: what a correction or withdrawal cancels.
UNSENT = (Status.PENDING, Status.NEEDS_ADDRESS, Status.FAILED)


def cancel_for_placement(
    session: Session, placement_id: int, events: Iterable[str] | None = None
) -> list[int]:
    """Cancel the notices of a placement that have not gone out (it was corrected or
    withdrawn), or only those of `events`; one being sent at this moment still goes.
    Returns the ids cancelled."""
    statement = select(Notification.id).where(
        Notification.placement_id == placement_id,
        Notification.status.in_(UNSENT),
    )
    if events is not None:
        statement = statement.where(Notification.event.in_([str(e) for e in events]))
    unsent = session.scalars(statement.order_by(Notification.id)).all()
    return change_status(session, unsent, Status.CANCELLED, claimed_by=None)


def resend(session: Session, notification_id: int, now: datetime | None = None) -> str:
    """Send a failed notification again, to the address the directory holds now (returned)."""
    status = lock(session, [notification_id])[notification_id]
    if status != Status.FAILED:
        raise CannotResend(
            f"Notification {notification_id} is {status.value.replace('_', ' ')}: "
            "only a failed notification can be resent"
        )
    notification = session.get(Notification, notification_id)
    assert notification is not None
    address = directory_address(session, notification.recipient_kind, notification.recipient_code)
    if not address:
        raise CannotResend(
            f"{notification.recipient_name} has no notification address in the directory: "
            "add one, then resend"
        )
    change_status(
        session,
        notification_id,
        Status.PENDING,
        address=address,
        attempts=0,  # the backoff starts afresh; every attempt stays in delivery_attempts
        last_error=None,
        next_attempt_at=now or utcnow(),
    )
    return address
