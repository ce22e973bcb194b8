"""The lists behind the dashboard's headline counts: each list is the count's own predicate
(from `queries`), so a number and the rows it links to always agree. One statement each."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from models import Authority, Child, Notification, Placement
from models.enums import NotificationStatus
from notify.dashboard.queries import (
    _awaiting,
    _current_out_of_area,
    _needs_approval,
    _statutory,
    quarter_start,
)
from notify.dashboard.sql import uk_date, uk_midnight

N = Notification
LIST_LIMIT = 200


class NoticeList(StrEnum):
    AWAITING = "awaiting-acknowledgement"
    UNDELIVERED = "undelivered"
    LATE = "sent-late"


class PlacementList(StrEnum):
    OUT_OF_AREA = "out-of-area"
    AWAITING_APPROVAL = "awaiting-approval"


NOTICE_TITLES = {
    NoticeList.AWAITING: "Notices sent and awaiting acknowledgement",
    NoticeList.UNDELIVERED: "Notices that failed or are waiting for an address",
    NoticeList.LATE: "Notices sent late this quarter",
}
PLACEMENT_TITLES = {
    PlacementList.OUT_OF_AREA: "Our children placed out of area now",
    PlacementList.AWAITING_APPROVAL: "Placed out of area without the approval they need",
}


@dataclass(frozen=True)
class NoticeRow:
    notification_id: int
    child_id: int | None
    initials: str
    case_reference: str | None
    recipient_name: str
    recipient_role: str
    event: str
    status: str
    send_by: date
    sent_on: date | None
    acknowledge_by: date | None
    last_error: str | None


@dataclass(frozen=True)
class PlacementRow:
    child_id: int
    initials: str
    case_reference: str
    host_authority: str
    start_date: date
    distance_miles: float | None
    at_a_distance: bool


def _notice_predicate(kind: NoticeList, today: date) -> ColumnElement[bool]:
    if kind is NoticeList.AWAITING:
        return _awaiting()
    if kind is NoticeList.UNDELIVERED:
        return N.status.in_([NotificationStatus.FAILED, NotificationStatus.NEEDS_ADDRESS])
    return and_(
        _statutory(),
        N.sent_at >= uk_midnight(quarter_start(today)),
        uk_date(N.sent_at) > N.send_by,
    )


def notice_list(session: Session, kind: NoticeList, today: date) -> tuple[int, list[NoticeRow]]:
    """How many notices the headline counts, and the first LIST_LIMIT of them, oldest first."""
    where = _notice_predicate(kind, today)
    total = func.count().over().label("total")
    statement = (
        select(
            total,
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
            uk_date(N.sent_at),
            N.acknowledge_by,
            N.last_error,
        )
        .outerjoin(Child, Child.id == N.child_id)
        .where(where)
        .order_by(N.send_by, N.id)
        .limit(LIST_LIMIT)
    )
    rows = session.execute(statement).all()
    return (rows[0][0] if rows else 0), [
        NoticeRow(
            notification_id=r[1],
            child_id=r[2],
            initials=f"{(r[3] or '')[:1]}{(r[4] or '')[:1]}".upper(),
            case_reference=r[5],
            recipient_name=r[6],
            recipient_role=r[7],
            event=r[8],
            status=r[9],
            send_by=r[10],
            sent_on=r[11],
            acknowledge_by=r[12],
            last_error=r[13],
        )
        for r in rows
    ]


def placement_list(
    session: Session, kind: PlacementList, home_code: str, today: date
) -> tuple[int, list[PlacementRow]]:
    """The placements the headline counts, by host authority, and how many there are."""
    where = (
        _current_out_of_area(home_code, today)
        if kind is PlacementList.OUT_OF_AREA
        else _needs_approval(home_code)
    )
    statement = (
        select(
            func.count().over(),
            Child.id,
            Child.given_name,
            Child.family_name,
            Child.case_reference,
            Authority.name,
            Placement.start_date,
            Placement.distance_miles,
            Placement.at_a_distance,
        )
        .select_from(Placement)
        .join(Child, Child.id == Placement.child_id)
        .join(Authority, Authority.code == Placement.host_authority_code)
        .where(where)
        .order_by(Authority.name, Placement.start_date, Placement.id)
        .limit(LIST_LIMIT)
    )
    rows = session.execute(statement).all()
    return (rows[0][0] if rows else 0), [
        PlacementRow(
            child_id=r[1],
            initials=f"{r[2][:1]}{r[3][:1]}".upper(),
            case_reference=r[4],
            host_authority=r[5],
            start_date=r[6],
            distance_miles=r[7],
            at_a_distance=r[8],
        )
        for r in rows
    ]
