"""The facts the board report counts, read from the database in a few queries."""

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Authority, Child, HealthBody, Notification, Placement
from models.enums import Event, RecipientKind
from notify.calendar import UK
from notify.reports.placed_out import ChildFact, HostedFact, NoticeFact, PlacementFact

STATUTORY = (Event.PLACEMENT_START, Event.ADDRESS_CHANGE, Event.PLACEMENT_END)


def _uk_date(value: datetime | None) -> date | None:
    return value.astimezone(UK).date() if value else None


def our_children(session: Session, home: str) -> list[ChildFact]:
    placements: dict[int, list[PlacementFact]] = defaultdict(list)
    rows = session.execute(
        select(
            Placement.child_id, Placement.start_date, Placement.end_date,
            Placement.placement_type, Placement.provider, Placement.location,
            Placement.adjoining, Placement.host_authority_code, Placement.distance_miles,
        )
        .join(Child, Child.id == Placement.child_id)
        .where(Child.responsible_authority_code == home)
    )  # fmt: skip
    for child_id, start, end, place, provider, location, adj, host, miles in rows:
        placements[child_id].append(
            PlacementFact(start, end, place, provider, location == "OUT", adj, host, miles)
        )
    children = session.execute(
        select(Child.id, Child.sex, Child.date_of_birth, Child.ethnicity, Child.disability,
               Child.uasc).where(Child.responsible_authority_code == home)
    )  # fmt: skip
    return [
        ChildFact(sex, dob, ethnicity, disability, uasc, tuple(placements[child_id]))
        for child_id, sex, dob, ethnicity, disability, uasc in children
    ]


def hosted_children(session: Session, home: str) -> list[HostedFact]:
    rows = session.execute(
        select(Child.responsible_authority_code, Placement.start_date, Placement.end_date)
        .join(Placement, Placement.child_id == Child.id)
        .where(Child.responsible_authority_code != home, Placement.host_authority_code == home)
    )
    return [HostedFact(code, start, end) for code, start, end in rows]


def notices_sent(session: Session, home: str) -> list[NoticeFact]:
    rows = session.execute(
        select(
            Notification.recipient_kind, Notification.recipient_code, Notification.send_by,
            Notification.sent_at, Notification.acknowledge_by, Notification.acknowledged_at,
        )
        .join(Child, Child.id == Notification.child_id)
        .where(
            Child.responsible_authority_code == home,
            Notification.event.in_(STATUTORY),
            Notification.recipient_kind.in_((RecipientKind.AUTHORITY, RecipientKind.HEALTH_BODY)),
            Notification.sent_at.is_not(None),
        )
    )  # fmt: skip
    return [
        NoticeFact(kind, code or "", send_by, _uk_date(sent), ack_by, _uk_date(acked))
        for kind, code, send_by, sent, ack_by, acked in rows
    ]


def names(session: Session) -> dict[str, str]:
    found = {code: name for code, name in session.execute(select(Authority.code, Authority.name))}
    found.update((c, n) for c, n in session.execute(select(HealthBody.code, HealthBody.name)))
    return found
