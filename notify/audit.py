"""The audit trail: who saw or changed a child's record, a notification or a key."""

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user

from models import AuditChild, AuditEvent
from notify.extensions import db


def record(action: str, subject_type: str, subject_id: Any = None, **detail: Any) -> None:
    """Add an audit event to the current transaction, attributed to whoever is acting.

    `detail` holds identifiers and codes, and what a person searched for: never a child's
    name or date of birth from the record itself. In a request, the client's address and
    browser are kept with it. The child it concerns (its subject, or a `child_id` in
    `detail`) is indexed for the audit trail page.
    """
    concerns = {detail["child_id"]} if isinstance(detail.get("child_id"), int) else set()
    if subject_type == "child" and subject_id is not None:
        concerns.add(int(subject_id))
    _add(action, subject_type, subject_id, detail, concerns)


def list_shown(name: str, child_ids: Iterable[int | None], **detail: Any) -> None:
    """A page or export listed children: which ones (by id), and the search or filters that
    chose them."""
    shown = sorted({i for i in child_ids if i is not None})
    _add("view_list", name, None, {"child_ids": shown, **detail}, set(shown))


def _add(
    action: str, subject_type: str, subject_id: Any, detail: dict[str, Any], children: set[int]
) -> None:
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    g.audited = True
    in_request = has_request_context()
    db.session.add(
        AuditEvent(
            user_id=user_id,
            api_key_prefix=g.get("api_key_prefix"),
            action=action,
            subject_type=subject_type,
            subject_id=None if subject_id is None else str(subject_id),
            detail=detail or None,
            remote_address=request.remote_addr if in_request else None,
            user_agent=(request.user_agent.string[:200] or None) if in_request else None,
            children=[AuditChild(child_id=i) for i in sorted(children)],
        )
    )
