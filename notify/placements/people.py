"""The child's people (reg 13(2)): recording them, keeping them current, and their history.

A person is ended, never deleted: the notices already given name them. Each change is
audited by the caller with what it changed (`changes`). No function here commits.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from models import Child, Contact, Placement
from models.base import utcnow
from models.enums import RecipientKind, RecipientRole
from notify.geography.postcode import PostcodeError, normalise_postcode
from notify.notifications import rules
from notify.notifications.outbox import address_added
from notify.problems import InvalidInput

# The classes a person around the child can be recorded in (API.md "The child's people").
PERSON_ROLES = (
    RecipientRole.CHILD,
    RecipientRole.PARENT,
    RecipientRole.CONTACT_ORDER_HOLDER,
    RecipientRole.CARER,
    RecipientRole.GP,
    RecipientRole.SCHOOL,
    RecipientRole.IRO,
    RecipientRole.POLICE,
    RecipientRole.OTHER,
)
# Reg 13(3): only these may be left out.
WITHHOLDABLE = frozenset(
    {RecipientRole.PARENT, RecipientRole.CONTACT_ORDER_HOLDER, RecipientRole.CARER}
)
WITHHOLD_REFUSED = (
    "Only a parent, a person with contact or a carer may be left out (reg 13(3)): "
    "everyone else must be told"
)
# The fields a person has, as the service names them.
FIELDS = (
    "role",
    "name",
    "organisation",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "withhold_reason",
    "withhold_decided_by",
    "withhold_decided_on",
)


@dataclass(frozen=True)
class PostalAddress:
    line_1: str
    postcode: str
    line_2: str | None = None
    town: str | None = None


@dataclass(frozen=True)
class WithholdDecision:
    """Who decided, on what day, and why, that telling someone would put the child at risk."""

    reason: str
    decided_by: str
    decided_on: date


@dataclass(frozen=True)
class PersonDetails:
    role: str
    name: str
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    address: PostalAddress | None = None
    withhold: WithholdDecision | None = None


def person_fields(details: PersonDetails) -> dict[str, Any]:
    """The columns of a person, from what was entered."""
    address, withhold = details.address, details.withhold
    return {
        "role": details.role,
        "name": details.name,
        "organisation": details.organisation,
        "email": details.email.strip().lower() if details.email else None,
        "phone": details.phone,
        "address_line_1": address.line_1 if address else None,
        "address_line_2": address.line_2 if address else None,
        "town": address.town if address else None,
        "postcode": address.postcode if address else None,
        "withhold_reason": withhold.reason if withhold else None,
        "withhold_decided_by": withhold.decided_by if withhold else None,
        "withhold_decided_on": withhold.decided_on if withhold else None,
    }


def _check(values: dict[str, Any], today: date) -> dict[str, Any]:
    """Refuse what cannot be recorded, with every problem at once; return the values with the
    postcode normalised."""
    problems: dict[str, list[str]] = {}
    role = values.get("role")
    if role not in {r.value for r in PERSON_ROLES}:
        problems["role"] = ["Choose who this person is to the child"]
    if not (values.get("name") or "").strip():
        problems["name"] = ["Enter the person’s name"]
    if values.get("postcode"):
        try:
            values = {**values, "postcode": normalise_postcode(values["postcode"])}
        except PostcodeError as exc:
            problems["address.postcode"] = [exc.message]
        if not values.get("address_line_1"):
            problems["address.line_1"] = ["Enter the first line of the address"]
    elif values.get("address_line_1"):
        problems["address.postcode"] = ["Enter the postcode of the address"]
    if values.get("withhold_reason") is not None:
        if role in {r.value for r in PERSON_ROLES} and role not in WITHHOLDABLE:
            problems["withhold"] = [WITHHOLD_REFUSED]
        decided_on = values.get("withhold_decided_on")
        if decided_on is not None and decided_on > today:
            problems["withhold.decided_on"] = ["The decision date must be today or in the past"]
        if not (values.get("withhold_decided_by") or "").strip():
            problems["withhold.decided_by"] = ["Enter who decided"]
    if problems:
        raise InvalidInput(problems)
    return values


def check_person(details: PersonDetails, today: date) -> None:
    """Refuse, with every problem at once, a person who cannot be recorded."""
    _check(person_fields(details), today)


def record_person(
    session: Session,
    child: Child,
    details: PersonDetails,
    today: date,
    *,
    placement: Placement | None = None,
) -> Contact:
    """Record one of the child's people, from today."""
    values = _check(person_fields(details), today)
    person = Contact(child=child, placement=placement, started_on=today, active=True, **values)
    person.updated_at = utcnow()
    session.add(person)
    session.flush()
    return person


def change_person(
    session: Session, person: Contact, changes: dict[str, Any], today: date
) -> dict[str, list[Any]]:
    """Change some of a person's details; returns each changed field as [before, after]."""
    if not person.active:
        raise InvalidInput({"ended_on": ["This person was ended: record them again instead"]})
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"people have no field {', '.join(sorted(unknown))}")
    if "email" in changes and changes["email"]:
        changes = {**changes, "email": changes["email"].strip().lower()}
    values = _check({name: getattr(person, name) for name in FIELDS} | changes, today)
    changed = {
        name: [getattr(person, name), values[name]]
        for name in FIELDS
        if getattr(person, name) != values[name]
    }
    had_email = person.email
    for name, (_, after) in changed.items():
        setattr(person, name, after)
    if changed:
        person.updated_at = utcnow()
    session.flush()
    if person.email and person.email != had_email:
        # their notices waiting for an address go now; those pending go to the new one
        address_added(session, RecipientKind.CONTACT, str(person.id))
    return {name: [_plain(v) for v in pair] for name, pair in changed.items()}


def end_person(session: Session, person: Contact, today: date) -> bool:
    """End a person from today (history is kept). False if they had already ended."""
    if not person.active:
        return False
    person.active = False
    person.ended_on = today
    person.updated_at = utcnow()
    session.flush()
    return True


def current_people(child: Child) -> list[Contact]:
    return [c for c in child.contacts if c.active]


def carer_of(placement: Placement) -> Contact | None:
    """The person with whom the child is (or was) placed in `placement`."""
    carers = [
        c
        for c in placement.child.contacts
        if c.placement_id == placement.id and c.role == RecipientRole.CARER
    ]
    return carers[-1] if carers else None


def withheld_of(person: Contact) -> rules.PersonWithheld | None:
    if person.withhold_reason is None:
        return None
    when = f" on {person.withhold_decided_on:%-d %B %Y}" if person.withhold_decided_on else ""
    return rules.PersonWithheld(f"{person.withhold_decided_by}{when}", person.withhold_reason)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
