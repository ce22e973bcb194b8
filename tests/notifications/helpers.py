"""Builders for the delivery tests: placements whose notices are ready to go."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Authority, HealthBody, Notification
from models.base import utcnow
from models.enums import NotificationStatus
from tests.builders import create_child, create_placement

HEREFORDSHIRE, HW_ICB = "E06000019", "E54000019"
EDINBURGH = "S12000036"
# A Friday before St Andrew's Day (Monday 30 November 2026), a bank holiday in Scotland only.
FRIDAY_BEFORE_ST_ANDREWS = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def give_every_body_an_address(session: Session, secure: bool = False) -> None:
    """Every authority and health body gets a notification address, as a full directory has."""
    for body in [*session.scalars(select(Authority)), *session.scalars(select(HealthBody))]:
        body.notification_email = f"notifications@{body.code.lower()}.example"
        body.secure_email = secure
    session.flush()


def placed_child_notices(
    session: Session, postcode: str = "HR1 1AA", **child: Any
) -> list[Notification]:
    """A child placed (for the first time) at `postcode`: the notifications that causes."""
    placed = create_child(session, **child)
    create_placement(session, placed, postcode)
    session.flush()
    return list(
        session.scalars(
            select(Notification).where(Notification.child_id == placed.id).order_by(Notification.id)
        )
    )


def due_since(session: Session, when: datetime) -> None:
    """Make every pending notification due from `when` (so a fixed clock after it claims it)."""
    session.execute(
        update(Notification)
        .where(Notification.status == NotificationStatus.PENDING)
        .values(next_attempt_at=when)
    )
    session.flush()


def later(minutes: float = 1) -> datetime:
    """A little ahead of now: everything written so far is due by then."""
    return utcnow() + timedelta(minutes=minutes)
