"""Business support's decisions on inbound notices, and what follows from them: the host
register (another authority's children and their placements here), our own partners told,
and reconciliation with each placing authority.

Each function adds to the session and leaves the commit to its caller. A notice is read
with a row lock, so two officers deciding the same notice at once cannot both act on it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Authority, Child, Contact, InboundNotice, Notification, Placement
from models.base import utcnow
from models.enums import (
    PARTNER_ROLES,
    Event,
    InboundStatus,
    RecipientKind,
    RecipientRole,
)
from notify import codes
from notify.geography.postcode import PostcodeError
from notify.geography.store import adjoining, resolve_postcode
from notify.labels import role_title
from notify.notifications import outbox
from notify.notifications.recipients import directory_address, our_team
from notify.problems import InvalidInput

# Why business support may reject a notice: the placing authority reads the label (and any
# text added) through the API, as the notice's decision note.
REJECTION_REASONS: dict[str, str] = {
    "wrong_area": "The placement address is not in our area",
    "duplicate": "A duplicate of a notice we already have",
    "not_looked_after": "Not a looked-after child",
    "other": "Other",
}
OPEN_STATUSES = (InboundStatus.RECEIVED, InboundStatus.QUERIED)
QUESTION_MAX = 2000
DETAIL_MAX = 2000


class NoticeNotFound(LookupError):
    pass


class CannotDecide(ValueError):
    """The notice has been decided already, in a way that cannot be changed now."""


@dataclass(frozen=True)
class Acceptance:
    """What accepting a notice did. `changed` is False for a notice that repeats what the
    register already holds (a children's home's notice of the same placement, say)."""

    notice: InboundNotice
    child: Child
    placement: Placement
    created_child: bool
    changed: bool
    notifications: tuple[Notification, ...]
    already_accepted: bool = False


# --- reading a notice ----------------------------------------------------------------------


def _lock(session: Session, notice_id: int) -> InboundNotice:
    notice = session.scalar(
        select(InboundNotice)
        .where(InboundNotice.id == notice_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if notice is None:
        raise NoticeNotFound(f"There is no inbound notice {notice_id}")
    return notice


def _decided(notice: InboundNotice) -> str:
    on = f" on {notice.decided_at:%-d %B %Y}" if notice.decided_at else ""
    return f"Notice {notice.reference} was {notice.status}{on}"


def _date(value: Any, field: str, problems: dict[str, list[str]]) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems[field] = ["The notice holds a date that is not a real date"]
        return None


def placing_child_id(notice: InboundNotice) -> str:
    """The placing authority's own id for the child: how a hosted child is matched."""
    return str((notice.payload.get("child") or {}).get("placing_authority_child_id") or "")


def find_hosted_child(session: Session, notice: InboundNotice) -> Child | None:
    """The child already on the register that this notice is about, if any."""
    return session.scalar(
        select(Child).where(
            Child.responsible_authority_code == notice.placing_authority_code,
            Child.case_reference == placing_child_id(notice),
        )
    )


# --- accept ----------------------------------------------------------------------------------


def accept_notice(
    session: Session,
    notice_id: int,
    *,
    home_authority_code: str,
    user_id: int | None,
    today: date,
    now: datetime | None = None,
) -> Acceptance:
    """Record what the notice says in the register (matching the child by placing authority
    and their child id) and tell our partners. Accepting it again changes nothing."""
    notice = _lock(session, notice_id)
    if notice.status == InboundStatus.ACCEPTED:
        assert notice.child is not None and notice.placement is not None
        return Acceptance(notice, notice.child, notice.placement, False, False, (), True)
    if notice.status not in OPEN_STATUSES:
        raise CannotDecide(f"{_decided(notice)}: it cannot be accepted now")

    problems: dict[str, list[str]] = {}
    child_fields = _child_fields(session, notice.payload, problems)
    placed = _placement_fields(
        session, notice.payload, home_authority_code, notice.placing_authority_code, problems
    )
    if problems:
        raise InvalidInput(problems)

    child = find_hosted_child(session, notice)
    created = child is None
    if child is None:
        child = Child(
            responsible_authority_code=notice.placing_authority_code,
            case_reference=placing_child_id(notice),
            home_postcode=None,  # the placing authority's business, not in the notice
            **child_fields,
        )
        session.add(child)
    else:
        for name, value in child_fields.items():
            setattr(child, name, value)
    _update_contacts(session, child, notice.payload)

    if notice.notice_type == Event.PLACEMENT_END:
        placement, changed = _end(child, placed, problems, user_id)
    else:
        placement, changed = _start(child, placed, problems, user_id)
    if problems or placement is None:
        raise InvalidInput(problems)
    session.add(placement)
    child.updated_at = utcnow()
    session.flush()

    changed = changed or created
    # a notice repeating what the register holds (a children's home's notice of a placement
    # its placing authority has told us of) tells our partners nothing new
    told = (
        _tell_partners(session, notice, child, placement, home_authority_code, today)
        if changed
        else []
    )
    notice.status = InboundStatus.ACCEPTED
    notice.decided_at = now or utcnow()
    notice.decided_by_id = user_id
    notice.child_id = child.id
    notice.placement_id = placement.id
    session.flush()
    return Acceptance(notice, child, placement, created, changed, tuple(told))


def _child_fields(
    session: Session, payload: dict[str, Any], problems: dict[str, list[str]]
) -> dict[str, Any]:
    c = payload.get("child") or {}
    if not c.get("placing_authority_child_id"):
        problems["child.placing_authority_child_id"] = ["The notice has no id for the child"]
    born = _date(c.get("date_of_birth"), "child.date_of_birth", problems)
    if born is None:
        problems.setdefault("child.date_of_birth", ["The notice has no date of birth"])
    ehc = (c.get("ehc_plan") or {}).get("maintained_by")
    return {
        "given_name": c.get("given_name") or "",
        "family_name": c.get("family_name") or "",
        "also_known_as": c.get("also_known_as"),
        "date_of_birth": born,
        "sex": c.get("sex") if c.get("sex") in {"M", "F", "U"} else "U",
        "nhs_number": (c.get("nhs_number") or "").replace(" ", "") or None,
        "legal_status": c.get("legal_status") or "",
        "uasc": bool(c.get("uasc")),
        "disability": bool(c.get("disability")),
        "child_protection_plan": bool(c.get("child_protection_plan")),
        # an authority we do not know would break the reference: the notice keeps the code
        "ehc_plan_maintained_by": ehc if ehc and session.get(Authority, ehc) else None,
        "risks": payload.get("risks"),
    }


def _placement_fields(
    session: Session,
    payload: dict[str, Any],
    home: str,
    placing: str,
    problems: dict[str, list[str]],
) -> dict[str, Any]:
    p = payload.get("placement") or {}
    address = p.get("address") or {}
    start = _date(p.get("start_date"), "placement.start_date", problems)
    end = _date(p.get("end_date"), "placement.end_date", problems)
    if start is None:
        problems.setdefault("placement.start_date", ["The notice has no start date"])
    elif end is not None and end < start:
        problems["placement.end_date"] = ["The placement ends before it starts"]
    fields: dict[str, Any] = {
        "start_date": start,
        "end_date": end,
        "end_reason": p.get("end_reason"),
        "placement_type": p.get("placement_type") or "",
        "provider": p.get("provider") or "",
        "carer_name": p.get("carer_name"),
        "urn": p.get("urn"),
        "address_line_1": address.get("line_1") or "",
        "address_line_2": address.get("line_2"),
        "town": address.get("town"),
        "emergency": bool(p.get("emergency")),
        "location": "OUT",  # out of the placing authority's area: in ours
        "distance_miles": None,  # we are not told where the child lived
        "host_authority_code": home,
    }
    try:
        placed = resolve_postcode(session, address.get("postcode") or "")
    except PostcodeError as exc:
        problems["placement.address.postcode"] = [str(exc)]
        return fields
    if placed.authority_code != home:
        where = placed.authority_name or "Northern Ireland"
        problems["placement.address.postcode"] = [
            f"{placed.postcode} is in {where}, not in our area: reject the notice as not in "
            "our area"
        ]
    # the postcode's own health body, or where its district is split the largest share
    health = placed.health_body_code or (
        placed.health_bodies[0].code if placed.health_bodies else None
    )
    near = home in adjoining(session, placing)
    fields.update(
        postcode=placed.postcode,
        host_health_body_code=health,
        adjoining=near,
        at_a_distance=not near,
    )
    return fields


_COMPARED = (
    "placement_type",
    "provider",
    "carer_name",
    "urn",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "emergency",
)


def _start(
    child: Child, placed: dict[str, Any], problems: dict[str, list[str]], user_id: int | None
) -> tuple[Placement | None, bool]:
    """A placement starting (or a move to a new address): the one starting that day is
    updated; otherwise the current one ends the day before and the new one opens."""
    start: date = placed["start_date"]
    # an end given with a start (a short placement) is kept; none given clears nothing
    fields = {
        k: v for k, v in placed.items() if k not in {"end_date", "end_reason"} or v is not None
    }
    same = next((p for p in child.placements if p.start_date == start), None)
    if same is not None:
        changed = any(getattr(same, k) != fields[k] for k in _COMPARED)
        for name, value in fields.items():
            setattr(same, name, value)
        return same, changed
    current = child.current_placement
    if current is not None and current.start_date > start:
        problems["placement.start_date"] = [
            f"The notice’s placement starts before the current one here "
            f"({current.start_date:%-d %B %Y}): check the dates with the placing authority"
        ]
        return None, False
    if current is not None:
        current.end_date = start - timedelta(days=1)
        current.end_reason = codes.REC_NEW_EPISODE_SAME_DAY
    placement = Placement(child=child, created_by_id=user_id, **fields)
    return placement, True


def _end(
    child: Child, placed: dict[str, Any], problems: dict[str, list[str]], user_id: int | None
) -> tuple[Placement | None, bool]:
    """A placement ending: the one that started on the notice's start date, or the current
    one. One we never heard of is recorded, ended: the register learns of it this way."""
    end: date | None = placed["end_date"]
    if end is None:
        problems["placement.end_date"] = ["A placement end notice must give the end date"]
    if not placed.get("end_reason"):
        problems["placement.end_reason"] = ["A placement end notice must give the reason"]
    target = (
        next((p for p in child.placements if p.start_date == placed["start_date"]), None)
        or child.current_placement
    )
    if problems:
        return None, False
    if target is None:
        return Placement(child=child, created_by_id=user_id, **placed), True
    assert end is not None
    if end < target.start_date:
        problems["placement.end_date"] = [
            f"The placement here started on {target.start_date:%-d %B %Y}, after the end date"
        ]
        return None, False
    changed = (target.end_date, target.end_reason) != (end, placed["end_reason"])
    target.end_date = end
    target.end_reason = placed["end_reason"]
    return target, changed


def _update_contacts(session: Session, child: Child, payload: dict[str, Any]) -> None:
    """The people around the child, as the latest notice names them; one of each role."""
    contacts = payload.get("contacts") or {}
    school = payload.get("school") or {}
    gp = payload.get("gp") or {}
    entries: dict[str, dict[str, Any] | None] = {
        RecipientRole.SOCIAL_WORKER: contacts.get("social_worker"),
        RecipientRole.IRO: contacts.get("iro"),
        RecipientRole.SCHOOL: (
            {"name": school.get("name"), "organisation": _labelled("URN", school.get("urn"))}
            if school.get("name")
            else None
        ),
        RecipientRole.GP: (
            {
                "name": gp.get("practice_name"),
                "organisation": _labelled("ODS code", gp.get("ods_code")),
            }
            if gp.get("practice_name")
            else None
        ),
    }
    held = {c.role: c for c in child.contacts if c.active}
    for role, entry in entries.items():
        if not entry or not entry.get("name"):
            continue  # not named in this notice: keep what an earlier one said
        contact = held.get(role)
        if contact is None:
            contact = Contact(role=role, child=child, name="")
            session.add(contact)
        contact.name = str(entry["name"])[:200]
        contact.organisation = entry.get("organisation")
        contact.email = entry.get("email")
        contact.phone = entry.get("phone")


def _labelled(label: str, value: str | None) -> str | None:
    return f"{label} {value}" if value else None


def _tell_partners(
    session: Session,
    notice: InboundNotice,
    child: Child,
    placement: Placement,
    home: str,
    today: date,
) -> list[Notification]:
    rows = []
    for role in PARTNER_ROLES:
        team = our_team(session, home, role)
        code = str(team.id) if team is not None else None
        rows.append(
            outbox.enqueue(
                session,
                child=child,
                placement=placement,
                inbound_notice_id=notice.id,
                event=notice.notice_type,
                recipient_kind=RecipientKind.INTERNAL,
                recipient_role=role,
                recipient_code=code,
                recipient_name=team.name if team is not None else role_title(role),
                address=directory_address(session, RecipientKind.INTERNAL, code),
                send_by=today,
            )
        )
    return rows


# --- query and reject ------------------------------------------------------------------------


def query_notice(
    session: Session,
    notice_id: int,
    *,
    question: str,
    user_id: int | None,
    today: date,
    now: datetime | None = None,
) -> Notification:
    """Ask the placing authority's social worker (or, with no email for them, the authority)
    for what the notice lacks; the notice stays on the queue as queried."""
    notice = _lock(session, notice_id)
    if notice.status == InboundStatus.QUERIED:
        raise CannotDecide(f"{_decided(notice)}: accept or reject it once they reply")
    if notice.status != InboundStatus.RECEIVED:
        raise CannotDecide(f"{_decided(notice)}: it cannot be queried now")
    question = (question or "").strip()
    if not question:
        raise InvalidInput({"question": ["Enter what is missing from the notice"]})
    if len(question) > QUESTION_MAX:
        raise InvalidInput(
            {"question": [f"The question must be {QUESTION_MAX} characters or fewer"]}
        )

    worker = (notice.payload.get("contacts") or {}).get("social_worker") or {}
    if worker.get("email"):
        kind, code, name = RecipientKind.CONTACT, None, worker.get("name") or "Social worker"
        address: str | None = worker["email"]
    else:
        authority = session.get(Authority, notice.placing_authority_code)
        kind, code = RecipientKind.AUTHORITY, notice.placing_authority_code
        name = authority.name if authority else notice.placing_authority_code
        address = directory_address(session, kind, code)
    query = outbox.enqueue(
        session,
        child_id=None,  # a notice not yet accepted has no child on the register
        placement_id=None,
        inbound_notice_id=notice.id,
        event=Event.QUERY,
        recipient_kind=kind,
        recipient_role=RecipientRole.SOCIAL_WORKER,
        recipient_code=code,
        recipient_name=str(name)[:200],
        address=address,
        send_by=today,
    )
    notice.status = InboundStatus.QUERIED
    notice.decided_at = now or utcnow()
    notice.decided_by_id = user_id
    notice.decision_note = question
    session.flush()
    return query


def reject_notice(
    session: Session,
    notice_id: int,
    *,
    reason: str,
    detail: str | None,
    user_id: int | None,
    now: datetime | None = None,
) -> InboundNotice:
    """Reject the notice with a reason from REJECTION_REASONS (and text, required for
    "other"); the placing authority reads both as the notice's decision note."""
    notice = _lock(session, notice_id)
    if notice.status not in OPEN_STATUSES:
        raise CannotDecide(f"{_decided(notice)}: it cannot be rejected now")
    detail = (detail or "").strip()
    problems: dict[str, list[str]] = {}
    if reason not in REJECTION_REASONS:
        problems["reason"] = ["Choose why the notice is rejected"]
    elif reason == "other" and not detail:
        problems["detail"] = ["Say why the notice is rejected"]
    if len(detail) > DETAIL_MAX:
        problems["detail"] = [f"The explanation must be {DETAIL_MAX} characters or fewer"]
    if problems:
        raise InvalidInput(problems)
    label = REJECTION_REASONS[reason]
    notice.status = InboundStatus.REJECTED
    notice.decided_at = now or utcnow()
    notice.decided_by_id = user_id
    notice.decision_note = f"{label}: {detail}" if detail and reason != "other" else detail or label
    session.flush()
    return notice


# --- reconciliation --------------------------------------------------------------------------


def placed_here_now(home: str, today: date) -> Any:
    """The condition on Placement for a placement in our area that has not ended."""
    return (Placement.host_authority_code == home) & Placement.open_on(today)


@dataclass(frozen=True)
class Reconciled:
    written: tuple[Notification, ...]
    already_today: tuple[str, ...]  # authority codes asked earlier today


def reconcile(
    session: Session, *, home_authority_code: str, today: date, authority_code: str | None = None
) -> Reconciled:
    """Ask each placing authority with children placed here now (or just `authority_code`)
    to confirm the list we hold: one notification each, at most one a day."""
    placing = (
        select(Child.responsible_authority_code)
        .join(Placement)
        .where(
            placed_here_now(home_authority_code, today),
            Child.responsible_authority_code != home_authority_code,
        )
    )
    if authority_code is not None:
        placing = placing.where(Child.responsible_authority_code == authority_code)
    codes_ = sorted(set(session.scalars(placing.distinct())))
    if not codes_:
        return Reconciled((), ())
    # Locking the authorities' rows makes two runs at once take turns (PostgreSQL; SQLite
    # serialises writers anyway), so the second sees the first's rows and writes nothing.
    authorities = {
        a.code: a
        for a in session.scalars(
            select(Authority).where(Authority.code.in_(codes_)).with_for_update()
        )
    }
    asked = set(
        session.scalars(
            select(Notification.recipient_code).where(
                Notification.event == Event.RECONCILIATION,
                Notification.recipient_kind == RecipientKind.AUTHORITY,
                Notification.recipient_code.in_(codes_),
                Notification.send_by == today,
            )
        )
    )
    rows = [
        _reconciliation(session, authorities[code], today) for code in codes_ if code not in asked
    ]
    session.flush()
    return Reconciled(tuple(rows), tuple(c for c in codes_ if c in asked))


def _reconciliation(session: Session, authority: Authority, today: date) -> Notification:
    return outbox.enqueue(
        session,
        event=Event.RECONCILIATION,
        recipient_kind=RecipientKind.AUTHORITY,
        # the placing authority, for its children's social workers (there is no role for a
        # placing authority as such)
        recipient_role=RecipientRole.SOCIAL_WORKER,
        recipient_code=authority.code,
        recipient_name=authority.name,
        address=directory_address(session, RecipientKind.AUTHORITY, authority.code),
        send_by=today,
    )


# --- who is triaging a notice --------------------------------------------------------------


def assign_notice(session: Session, notice_id: int, user_id: int | None) -> InboundNotice:
    """Give an open notice to `user_id` to triage (None: back to the queue for anyone)."""
    notice = _lock(session, notice_id)
    if notice.status not in OPEN_STATUSES:
        raise CannotDecide(_decided(notice))
    notice.assigned_to_id = user_id
    return notice
