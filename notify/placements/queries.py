"""What the social worker's pages read: a search, the choices on the add-child form, and a
child's notices. Reads only; the service writes."""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from models import Authority, Child, InboundNotice, Notification, User


def search_children(session: Session, query: str, limit: int) -> list[Child]:
    """Children whose case reference contains `query`, or whose names hold each word of it."""
    by_name = and_(
        *(
            or_(
                Child.given_name.icontains(word, autoescape=True),
                Child.family_name.icontains(word, autoescape=True),
                Child.also_known_as.icontains(word, autoescape=True),
            )
            for word in query.split()
        )
    )
    statement = (
        select(Child)
        .where(or_(Child.case_reference.icontains(query, autoescape=True), by_name))
        .order_by(Child.family_name, Child.given_name, Child.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def authority_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    return dict(
        session.execute(
            select(Authority.code, Authority.name).where(Authority.code.in_(set(codes)))
        ).all()
    )


def active_authorities(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every authority that exists now, by name."""
    return [
        (a.code, a.name)
        for a in session.scalars(select(Authority).where(Authority.active).order_by(Authority.name))
    ]


def allocatable_workers(session: Session, roles: Iterable[str]) -> list[tuple[str, str]]:
    """(id, name) of the active users a child may be allocated to, by name."""
    return [
        (str(u.id), u.name)
        for u in session.scalars(
            select(User).where(User.active, User.role.in_(list(roles))).order_by(User.name)
        )
    ]


def notifications_by_placement(
    session: Session, child: Child
) -> dict[int | None, list[Notification]]:
    """The child's notifications by placement, each placement's by send-by date."""
    found: dict[int | None, list[Notification]] = defaultdict(list)
    for n in session.scalars(
        select(Notification)
        .where(Notification.child_id == child.id)
        .order_by(Notification.send_by, Notification.id)
    ):
        found[n.placement_id].append(n)
    return found


def inbound_notices_of(session: Session, child: Child) -> list[InboundNotice]:
    """The notices another authority sent us about its child, newest first."""
    return list(
        session.scalars(
            select(InboundNotice)
            .where(InboundNotice.child_id == child.id)
            .order_by(InboundNotice.received_at.desc())
        )
    )
