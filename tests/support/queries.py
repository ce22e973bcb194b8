"""What the tests read back: small queries over the rows the code under test wrote."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Notification
from notify.extensions import db


def chases_of(session: Session, notice: Notification | int) -> list[tuple[str, int | None, str]]:
    """(event, chase number, status) of each reminder and escalation of `notice`."""
    notice_id = notice if isinstance(notice, int) else notice.id
    rows = session.execute(
        select(Notification.event, Notification.chase_number, Notification.status)
        .where(Notification.reminder_of_id == notice_id)
        .order_by(Notification.event.desc(), Notification.chase_number)
    )
    return [(event, number, status) for event, number, status in rows]


def audit_count(session: Session, action: str | None = None) -> int:
    statement = select(func.count()).select_from(AuditEvent)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return session.scalar(statement) or 0


def audit_events(session: Session, subject_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == "notification", AuditEvent.subject_id == str(subject_id)
            )
            .order_by(AuditEvent.id)
        )
    )


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
