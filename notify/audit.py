"""The audit trail: who saw or changed a child's record, a notification or a key."""

from typing import Any

from flask import g
from flask_login import current_user

from models import AuditEvent
from notify.extensions import db


def record(action: str, subject_type: str, subject_id: Any = None, **detail: Any) -> None:
    """Add an audit event to the current transaction, attributed to whoever is acting.

    `detail` holds identifiers and codes only: never a child's name or date of birth.
    """
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    g.audited = True
    db.session.add(
        AuditEvent(
            user_id=user_id,
            api_key_prefix=g.get("api_key_prefix"),
            action=action,
            subject_type=subject_type,
            subject_id=None if subject_id is None else str(subject_id),
            detail=detail or None,
        )
    )
