"""Federation: a notice to an authority that runs Placement Notify too is posted to its API as
an inbound notice (API.md) instead of emailed, and its acceptance there comes back here as the
acknowledgement.

The directory holds the authority's API root and the key it issued us (sealed with our
SECRET_KEY). The inbound notice's reference is our notification's (`PN-<id>`), so posting it
again after a crash is the same notice there: exactly once, as for email.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from models import Authority, Child, Contact, Notification, Placement, User
from models.base import utcnow
from models.enums import NOTICE_TYPES, AckVia, RecipientKind, RecipientRole
from models.enums import Channel as ChannelName
from models.enums import NotificationStatus as Status
from notify.notifications.channels.base import ApiDelivery
from notify.sealing import unseal
from notify.validation import is_loopback_host, public_host_problem

logger = logging.getLogger(__name__)

# Acceptances are looked for in batches, oldest notices first.
COLLECT_BATCH = 200


def api_deliveries(
    session: Session, notification_ids: Iterable[int], config: Mapping[str, Any]
) -> dict[int, ApiDelivery]:
    """For those of these notifications whose recipient authority has an API endpoint and a key
    it issued us: what to post there. The others go by email."""
    rows = session.execute(
        select(Notification, Authority)
        .join(Authority, Authority.code == Notification.recipient_code)
        .where(
            Notification.id.in_(list(notification_ids)),
            Notification.recipient_kind == RecipientKind.AUTHORITY,
            Notification.event.in_(NOTICE_TYPES),
            Authority.api_endpoint.is_not(None),
            Authority.api_key_encrypted.is_not(None),
        )
        .options(
            selectinload(Notification.child).selectinload(Child.contacts),
            selectinload(Notification.child).selectinload(Child.placements),
            selectinload(Notification.placement),
        )
    ).all()
    deliveries = {}
    for notification, authority in rows:
        if refused := endpoint_refused(authority, config):
            logger.warning(
                "The API endpoint of %s is refused (%s): emailing instead",
                authority.code,
                refused,
                extra={"notification_id": notification.id},
            )
            continue
        credentials = api_credentials(authority, config["SECRET_KEY"])
        if credentials is None:
            logger.warning(
                "The API key for %s cannot be read (was SECRET_KEY changed?): emailing instead",
                authority.code,
                extra={"notification_id": notification.id},
            )
            continue
        body = inbound_body(
            notification,
            _social_worker(session, notification.child),
            config.get("OUT_OF_HOURS_PHONE"),
        )
        deliveries[notification.id] = ApiDelivery(*credentials, body)
    return deliveries


def _social_worker(session: Session, child: Child) -> dict[str, str | None] | None:
    """The child's social worker; for a child without one, our own children's services."""
    if child.social_worker_id:
        user = session.get(User, child.social_worker_id)
        if user is not None:
            return {"name": user.name, "email": user.email, "phone": None}
    ours = session.get(Authority, child.responsible_authority_code)
    if ours is None or not ours.notification_email:
        return None
    return {
        "name": f"{ours.name} children's services",
        "email": ours.notification_email,
        "phone": None,
    }


def endpoint_refused(authority: Authority, config: Mapping[str, Any]) -> str | None:
    """Why the authority's API endpoint may not be called, or None: the directory refuses such
    an address, but one saved before that rule (or written to the table) must reach nothing
    inside our network either."""
    if authority.api_endpoint is None:
        return "no endpoint"
    allow_loopback = bool(config.get("FEDERATION_ALLOW_LOOPBACK"))
    try:
        parts = urlsplit(authority.api_endpoint)
        host = parts.hostname or ""
    except ValueError:
        return "not a web address"
    if parts.scheme != "https" and not (allow_loopback and is_loopback_host(host)):
        return "not https"
    return public_host_problem(host, allow_loopback=allow_loopback)


def api_credentials(authority: Authority, secret_key: str) -> tuple[str, str] | None:
    """The authority's API root and the key it issued us, if we have both and can read it."""
    if authority.api_endpoint is None or authority.api_key_encrypted is None:
        return None
    key = unseal(authority.api_key_encrypted, secret_key)
    return None if key is None else (authority.api_endpoint.rstrip("/"), key)


def inbound_body(
    notification: Notification,
    social_worker: dict[str, str | None] | None,
    out_of_hours_phone: str | None,
) -> dict[str, Any]:
    """The notification as another authority's API takes it (API.md, "Inbound notices")."""
    child, placement = notification.child, notification.placement
    assert child is not None and placement is not None  # notices of these events have both
    contacts = {c.role: c for c in child.contacts if c.active}
    previous = _previous(child, placement)
    return {
        "reference": notification.reference,
        "notice_type": notification.event,
        "placing_authority": child.responsible_authority_code,
        "child": {
            "placing_authority_child_id": child.case_reference,
            "given_name": child.given_name,
            "family_name": child.family_name,
            "also_known_as": child.also_known_as,
            "date_of_birth": child.date_of_birth.isoformat(),
            "sex": child.sex,
            "nhs_number": child.nhs_number,
            "legal_status": child.legal_status,
            "uasc": child.uasc,
            "disability": child.disability,
            "child_protection_plan": child.child_protection_plan,
            "ehc_plan": (
                {"maintained_by": child.ehc_plan_maintained_by}
                if child.ehc_plan_maintained_by
                else None
            ),
        },
        "placement": {
            "start_date": placement.start_date.isoformat(),
            "end_date": placement.end_date.isoformat() if placement.end_date else None,
            "placement_type": placement.placement_type,
            "provider": placement.provider,
            "carer_name": placement.carer_name,
            "urn": placement.urn,
            "emergency": placement.emergency,
            "address": _address(placement),
            "end_reason": placement.end_reason,
        },
        "previous_address": _address(previous) if previous is not None else None,
        "contacts": {
            "social_worker": social_worker,
            "iro": _person(contacts.get(RecipientRole.IRO)),
            "out_of_hours_phone": out_of_hours_phone,
        },
        "school": _organisation(contacts.get(RecipientRole.SCHOOL), "name", "urn"),
        "gp": _organisation(contacts.get(RecipientRole.GP), "practice_name", "ods_code"),
        "risks": child.risks,
    }


def _previous(child: Child, placement: Placement) -> Placement | None:
    earlier = [
        p for p in child.placements if p.start_date < placement.start_date and not p.withdrawn
    ]
    return earlier[-1] if earlier else None


def _address(placement: Placement) -> dict[str, str | None]:
    return {
        "line_1": placement.address_line_1,
        "line_2": placement.address_line_2,
        "town": placement.town,
        "postcode": placement.postcode,
    }


def _person(contact: Contact | None) -> dict[str, str | None] | None:
    if contact is None:
        return None
    return {"name": contact.name, "email": contact.email, "phone": contact.phone}


def _organisation(contact: Contact | None, name: str, code: str) -> dict[str, str | None] | None:
    if contact is None:
        return None
    return {name: contact.organisation or contact.name, code: None}


# --- acceptances coming back ----------------------------------------------------------------


@dataclass
class Collected:
    asked: int = 0
    acknowledged: int = 0
    rejected: int = 0
    unreachable: int = 0


def collect_acceptances(
    session: Session,
    config: Mapping[str, Any],
    *,
    http: requests.Session | None = None,
    now: datetime | None = None,
) -> Collected:
    """Ask each authority's API about the notices we posted there and have not seen accepted:
    an accepted one is acknowledged here (via the API, by whoever accepted it); a rejected one
    keeps waiting, with the reason, for SQA to take up. Commits nothing."""
    from notify.notifications.acknowledge import acknowledge_notification

    http = http or requests.Session()
    timeout = float(config.get("MAIL_TIMEOUT") or 30)
    rows = session.execute(
        select(Notification.id, Notification.remote_id, Authority)
        .join(Authority, Authority.code == Notification.recipient_code)
        .where(
            Notification.channel == ChannelName.API,
            Notification.status == Status.SENT,
            Notification.remote_id.is_not(None),
            Authority.api_endpoint.is_not(None),
            Authority.api_key_encrypted.is_not(None),
        )
        .order_by(Notification.sent_at)
        .limit(COLLECT_BATCH)
    ).all()
    collected = Collected()
    for notification_id, remote_id, authority in rows:
        credentials = api_credentials(authority, config["SECRET_KEY"])
        if credentials is None or endpoint_refused(authority, config):
            collected.unreachable += 1
            continue
        endpoint, key = credentials
        collected.asked += 1
        try:
            response = http.get(
                f"{endpoint}/inbound-notices/{remote_id}",
                headers={"Authorization": f"Bearer {key}"},
                timeout=timeout,
            )
            response.raise_for_status()
            notice = response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning(
                "Could not ask %s about notification %s: %s",
                authority.code,
                notification_id,
                exc,
                extra={"notification_id": notification_id},
            )
            collected.unreachable += 1
            continue
        decision = notice.get("decision") or {}
        if notice.get("status") == "accepted":
            acknowledge_notification(
                session,
                notification_id,
                via=AckVia.API,
                name=str(decision.get("by") or authority.name)[:200],
                note=f"Accepted on {authority.name}'s Placement Notify",
                at=_when(decision.get("at")) or now or utcnow(),
            )
            collected.acknowledged += 1
        elif notice.get("status") == "rejected":
            note = f"Rejected by {authority.name}: {decision.get('note') or 'no reason given'}"
            session.execute(
                update(Notification)
                .where(Notification.id == notification_id)
                .values(last_error=note[:2000])
            )
            collected.rejected += 1
    return collected


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
