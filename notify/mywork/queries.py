"""What a social worker's home page shows: one statement for the counts, one for each list.

"Needs my action" is about the statutory notices of the worker's own children:
- waiting for an address: the directory holds no address for the recipient;
- late: not sent although their send-by date has passed (DOMAIN.md §3: late when sent after
  send-by), whether pending, waiting for an address or failed;
- queried: a host authority's system answered our notice with a rejection or a question
  (federation records its reason on the notice) and it is not acknowledged.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from models import Authority, Child, Notification, Placement
from models.enums import STATUTORY_EVENTS, Channel, NotificationStatus

N = Notification
LIST_LIMIT = 100

NOT_SENT = (
    NotificationStatus.PENDING,
    NotificationStatus.NEEDS_ADDRESS,
    NotificationStatus.SENDING,
    NotificationStatus.FAILED,
)


class Need(StrEnum):
    NEEDS_ADDRESS = "needs-address"
    LATE = "late"
    QUERIED = "queried"


NEED_TITLES = {
    Need.NEEDS_ADDRESS: "Notices waiting for an address",
    Need.LATE: "Notices not sent by their send-by date",
    Need.QUERIED: "Notices queried by a host authority",
}


def _need(need: Need, today: date) -> ColumnElement[bool]:
    if need is Need.NEEDS_ADDRESS:
        return N.status == NotificationStatus.NEEDS_ADDRESS
    if need is Need.LATE:
        return and_(N.status.in_([s.value for s in NOT_SENT]), N.send_by < today)
    return and_(
        N.status == NotificationStatus.SENT,
        N.channel == Channel.API,
        N.last_error.is_not(None),
    )


def _mine(worker_id: int) -> ColumnElement[bool]:
    return and_(
        Child.social_worker_id == worker_id,
        N.event.in_([e.value for e in STATUTORY_EVENTS]),
    )


@dataclass(frozen=True)
class CaseloadRow:
    child_id: int
    name: str
    case_reference: str
    date_of_birth: date
    town: str | None
    host_authority: str | None
    location: str | None


@dataclass(frozen=True)
class NeedRow:
    notification_id: int
    child_id: int
    initials: str
    case_reference: str
    recipient_name: str
    recipient_role: str
    event: str
    status: str
    send_by: date
    last_error: str | None


@dataclass(frozen=True)
class MyWorkCounts:
    children: int
    needs: dict[Need, int]

    @property
    def total_needs(self) -> int:
        return sum(self.needs.values())


def count_my_work(session: Session, worker_id: int, today: date) -> MyWorkCounts:
    """The caseload and each "needs my action" count, in one statement."""

    def needing(need: Need) -> ColumnElement[int]:
        return (
            select(func.count())
            .select_from(N)
            .join(Child, Child.id == N.child_id)
            .where(_mine(worker_id), _need(need, today))
            .scalar_subquery()
        )

    children = (
        select(func.count())
        .select_from(Child)
        .where(Child.social_worker_id == worker_id)
        .scalar_subquery()
    )
    row = session.execute(select(children, *(needing(n) for n in Need))).one()
    return MyWorkCounts(
        children=int(row[0] or 0),
        needs={need: int(value or 0) for need, value in zip(Need, row[1:], strict=True)},
    )


def caseload(session: Session, worker_id: int, today: date) -> list[CaseloadRow]:
    """The worker's children with where each is placed today, by family name."""
    current = (
        select(Placement)
        .where(
            Placement.start_date <= today,
            or_(Placement.end_date.is_(None), Placement.end_date >= today),
        )
        .subquery()
    )
    statement = (
        select(
            Child.id,
            Child.given_name,
            Child.family_name,
            Child.case_reference,
            Child.date_of_birth,
            current.c.town,
            Authority.name,
            current.c.location,
        )
        .outerjoin(current, current.c.child_id == Child.id)
        .outerjoin(Authority, Authority.code == current.c.host_authority_code)
        .where(Child.social_worker_id == worker_id)
        .order_by(Child.family_name, Child.given_name, Child.id)
    )
    rows: dict[int, CaseloadRow] = {}
    for cid, given, family, ref, dob, town, host, location in session.execute(statement):
        # a child between two overlapping placements (a move today) shows the newer one
        rows[cid] = CaseloadRow(cid, f"{given} {family}", ref, dob, town, host, location)
    return list(rows.values())


def needing_action(session: Session, worker_id: int, need: Need, today: date) -> list[NeedRow]:
    """The worker's notices of one kind of need, oldest send-by first."""
    statement = (
        select(
            N.id,
            Child.id,
            Child.given_name,
            Child.family_name,
            Child.case_reference,
            N.recipient_name,
            N.recipient_role,
            N.event,
            N.status,
            N.send_by,
            N.last_error,
        )
        .join(Child, Child.id == N.child_id)
        .where(_mine(worker_id), _need(need, today))
        .order_by(N.send_by, N.id)
        .limit(LIST_LIMIT)
    )
    return [
        NeedRow(
            notification_id=nid,
            child_id=cid,
            initials=f"{given[:1]}{family[:1]}".upper(),
            case_reference=ref,
            recipient_name=recipient,
            recipient_role=role,
            event=event,
            status=status,
            send_by=send_by,
            last_error=error if need is Need.QUERIED else None,
        )
        for nid, cid, given, family, ref, recipient, role, event, status, send_by, error in (
            session.execute(statement)
        )
    ]
