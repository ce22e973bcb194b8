"""The directory's rules: authorities and health bodies with what waits on each, their
addresses, and the named contacts they hold. Nothing here commits: the caller owns the
transaction.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models import Authority, Contact, HealthBody, Notification
from models.enums import NotificationStatus, RecipientKind, RecipientRole
from notify.labels import role_title
from notify.notifications import outbox
from notify.problems import InvalidInput
from notify.sealing import seal
from notify.validation import email_problem, is_loopback_host, public_host_problem

Entry = Authority | HealthBody
KINDS = (RecipientKind.AUTHORITY, RecipientKind.HEALTH_BODY)
PHONE_CHARACTERS = frozenset("0123456789 +()-")

# The people and inboxes the directory keeps at an authority or health body. A contact's
# role must be a RecipientRole (the database checks it), so a role below is offered only
# once that enum holds it.
# The roles a directory contact may hold (the child's own people are recorded with the child).
CONTACT_ROLES = ("designated_nurse", "lac_health_team", "virtual_school", RecipientRole.SQA.value)
# A team is told through its one inbox, so only one contact may hold such a role at a time.
TEAM_ROLES = frozenset({"lac_health_team", "virtual_school", RecipientRole.SQA.value})


class EntryNotFound(LookupError):
    pass


@dataclass(frozen=True)
class DirectoryRow:
    """One authority or health body as the directory list shows it."""

    kind: str
    code: str
    name: str
    other_code: str | None  # DfE LA number of an authority, ODS code of a health body
    notification_email: str | None
    secure_email: bool
    active: bool
    waiting: int  # notifications waiting for an address


# What the audit trail keeps of a sealed value: that it changed, never the value.
SEALED = "(sealed)"


@dataclass(frozen=True)
class EntryUpdate:
    # each field whose value changed, with its value before and after (for the audit trail;
    # a sealed key as SEALED)
    changes: dict[str, tuple[object, object]]
    released: int  # notifications that were waiting for an address and are now pending

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(self.changes)


@dataclass(frozen=True)
class ContactUpdate:
    changes: dict[str, tuple[object, object]]  # as EntryUpdate's
    released: int


@dataclass(frozen=True)
class ContactDetails:
    role: str
    name: str
    email: str
    organisation: str | None = None
    phone: str | None = None


def model_for(kind: str) -> type[Authority] | type[HealthBody]:
    if kind == RecipientKind.AUTHORITY:
        return Authority
    if kind == RecipientKind.HEALTH_BODY:
        return HealthBody
    raise ValueError(f"The directory holds authorities and health bodies, not {kind!r}")


def get_entry(session: Session, kind: str, code: str) -> Entry:
    """The authority or health body with this code, or EntryNotFound."""
    model = model_for(kind)
    entry = session.get(Authority, code) if model is Authority else session.get(HealthBody, code)
    if entry is None:
        raise EntryNotFound(f"There is no {kind.replace('_', ' ')} {code}")
    return entry


def list_entries(
    session: Session, kind: str, query: str = "", waiting_only: bool = False
) -> list[DirectoryRow]:
    """Authorities or health bodies matching `query` (name words or a code), by name, each
    with the number of its notifications waiting for an address (one grouped query)."""
    model = model_for(kind)
    waiting = (
        select(Notification.recipient_code, func.count().label("waiting"))
        .where(
            Notification.recipient_kind == kind,
            Notification.status == NotificationStatus.NEEDS_ADDRESS,
        )
        .group_by(Notification.recipient_code)
        .subquery()
    )
    other_code = Authority.dfe_la_number if model is Authority else HealthBody.ods_code
    statement = (
        select(
            model.code,
            model.name,
            other_code,
            model.notification_email,
            model.secure_email,
            model.active,
            func.coalesce(waiting.c.waiting, 0),
        )
        .outerjoin(waiting, waiting.c.recipient_code == model.code)
        .order_by(model.name, model.code)
    )
    if query.strip():
        statement = statement.where(_matches(model, other_code, query.strip()))
    if waiting_only:
        statement = statement.where(waiting.c.waiting > 0)
    return [DirectoryRow(kind, *row) for row in session.execute(statement).all()]


def _matches(
    model: type[Authority] | type[HealthBody],
    other_code: InstrumentedAttribute[str | None],
    query: str,
) -> ColumnElement[bool]:
    """Each word of `query` in the name, or `query` as the start of a code."""
    by_name = and_(*(model.name.icontains(word, autoescape=True) for word in query.split()))
    return or_(
        by_name,
        model.code.istartswith(query, autoescape=True),
        func.upper(other_code) == query.upper(),
    )


def waiting_for_address(session: Session, kind: str, code: str) -> int:
    """How many of this recipient's notifications are waiting for an address."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.recipient_kind == kind,
                Notification.recipient_code == code,
                Notification.status == NotificationStatus.NEEDS_ADDRESS,
            )
        )
        or 0
    )


def api_endpoint_problem(value: str, *, allow_loopback: bool = False) -> str | None:
    """Why `value` is not an https address on the internet for another authority's API, or
    None. `allow_loopback` (FEDERATION_ALLOW_LOOPBACK: development and the tests) lets it be
    this machine, over http too, for a second instance run beside this one."""
    example = "like https://placements.example.gov.uk/api/v1"
    if len(value) > 500:
        return "API endpoint must be 500 characters or fewer"
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return f"Enter the API endpoint as a full web address, {example}"
    scheme = parts.scheme.lower()
    on_this_machine = allow_loopback and host is not None and is_loopback_host(host)
    if scheme == "http" and not on_this_machine:
        return f"API endpoint must start with https:// (notices carry children's data), {example}"
    if scheme not in {"https", "http"} or not host or " " in value:
        return f"Enter the API endpoint as a full web address, {example}"
    if parts.username or parts.password:
        return "API endpoint must not contain a user name or password: API keys are kept apart"
    if parts.fragment:
        return f"API endpoint must not end with a #fragment, {example}"
    return public_host_problem(host, allow_loopback=allow_loopback)


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _address(entry: Entry | Contact, email: str | None) -> str | None:
    """The address notices would go to: none while the entry is inactive."""
    return email if entry.active else None


def update_directory_entry(
    session: Session,
    kind: str,
    code: str,
    *,
    notification_email: str | None,
    secure_email: bool,
    active: bool,
    api_endpoint: str | None = None,
    api_key: str | None = None,
    secret_key: str | None = None,
    allow_loopback: bool = False,
    now: datetime | None = None,
) -> EntryUpdate:
    """Set an authority's or health body's addresses and flags; when that gives it a new
    address, its notifications waiting for one become pending (outbox.address_added). A new
    `api_key` (the key its Placement Notify issued us) is sealed with `secret_key`; no
    endpoint, no key."""
    entry = get_entry(session, kind, code)
    email = _optional(notification_email)
    endpoint = _optional(api_endpoint)
    problems: dict[str, list[str]] = {}
    if email and (problem := email_problem(email)):
        problems["notification_email"] = [problem]
    if secure_email and not email:
        problems.setdefault("secure_email", []).append(
            "Enter the notification email address before marking its domain as secure"
        )
    key = _optional(api_key)
    if key and not endpoint:
        problems.setdefault("api_endpoint", []).append(
            "Enter the API endpoint the key is for, or leave the key blank"
        )
    if endpoint and not isinstance(entry, Authority):
        problems["api_endpoint"] = ["Only authorities have an API endpoint"]
    elif endpoint and (problem := api_endpoint_problem(endpoint, allow_loopback=allow_loopback)):
        problems["api_endpoint"] = [problem]
    if problems:
        raise InvalidInput(problems)

    before = _address(entry, entry.notification_email)
    wanted: dict[str, object] = {
        "notification_email": email,
        "secure_email": secure_email,
        "active": active,
    }
    if isinstance(entry, Authority):
        wanted["api_endpoint"] = endpoint
        if not endpoint:
            wanted["api_key_encrypted"] = None
        elif key:
            if secret_key is None:
                raise ValueError("an API key is sealed with the app's SECRET_KEY: pass it")
            wanted["api_key_encrypted"] = seal(key, secret_key)
    changes = _apply(entry, wanted)
    session.flush()

    after = _address(entry, entry.notification_email)
    released = []
    # Reactivating an entry that kept its address gives it an address too.
    if after and after != before:
        released = outbox.address_added(session, kind, code, now)
    return EntryUpdate(changes, len(released))


def _apply(row: object, wanted: dict[str, object]) -> dict[str, tuple[object, object]]:
    """Set each wanted value that differs; what changed, from what to what."""
    changes: dict[str, tuple[object, object]] = {}
    for name, value in wanted.items():
        old = getattr(row, name)
        if old != value:
            sealed = name.endswith("_encrypted")
            changes[name] = (SEALED, SEALED) if sealed else (old, value)
            setattr(row, name, value)
    return changes


# --- Contacts ---------------------------------------------------------------------------------


def contact_roles() -> list[tuple[str, str]]:
    """The roles a directory contact may hold now, with their labels."""
    known = {r.value for r in RecipientRole}
    return [(role, role_title(role)) for role in CONTACT_ROLES if role in known]


def _owner_filter(kind: str, code: str) -> ColumnElement[bool]:
    if kind == RecipientKind.AUTHORITY:
        return Contact.authority_code == code
    return Contact.health_body_code == code


def contacts_of(session: Session, kind: str, code: str) -> list[Contact]:
    """The contacts held at an authority or health body: active ones first."""
    model_for(kind)
    return list(
        session.scalars(
            select(Contact)
            .where(_owner_filter(kind, code))
            .order_by(Contact.active.desc(), Contact.role, Contact.name, Contact.id)
        )
    )


def belongs_to(contact: Contact, kind: str, code: str) -> bool:
    owner = contact.authority_code if kind == RecipientKind.AUTHORITY else contact.health_body_code
    return owner == code


def add_directory_contact(
    session: Session, kind: str, code: str, details: ContactDetails
) -> Contact:
    """Add a named contact to an authority or health body."""
    entry = get_entry(session, kind, code)
    details = _checked(session, kind, code, details, contact_id=None, active=True)
    contact = Contact(
        role=details.role,
        name=details.name,
        organisation=details.organisation,
        email=details.email,
        phone=details.phone,
        authority_code=entry.code if isinstance(entry, Authority) else None,
        health_body_code=entry.code if isinstance(entry, HealthBody) else None,
    )
    session.add(contact)
    session.flush()
    return contact


def update_directory_contact(
    session: Session, contact: Contact, details: ContactDetails, now: datetime | None = None
) -> ContactUpdate:
    """Change a directory contact: what changed, and how many notifications waiting for its
    address are now pending."""
    kind, code = _owner(contact)
    details = _checked(session, kind, code, details, contact.id, contact.active)
    before = _address(contact, contact.email)
    changes = _apply(
        contact,
        {
            "role": details.role,
            "name": details.name,
            "organisation": details.organisation,
            "email": details.email,
            "phone": details.phone,
        },
    )
    session.flush()
    return ContactUpdate(changes, _release_for_contact(session, contact, before, now))


def set_contact_active(
    session: Session, contact: Contact, active: bool, now: datetime | None = None
) -> int:
    """Deactivate a contact (it is kept, for the notices already sent to it) or reactivate it;
    return how many notifications waiting for its address are now pending."""
    if active and contact.role in TEAM_ROLES:
        kind, code = _owner(contact)
        _refuse_second_team(session, kind, code, contact.role, contact.id)
    before = _address(contact, contact.email)
    contact.active = active
    session.flush()
    return _release_for_contact(session, contact, before, now)


def _release_for_contact(
    session: Session, contact: Contact, before: str | None, now: datetime | None
) -> int:
    after = _address(contact, contact.email)
    if after and after != before:
        return len(outbox.address_added(session, RecipientKind.CONTACT, str(contact.id), now))
    return 0


def _owner(contact: Contact) -> tuple[str, str]:
    if contact.authority_code:
        return RecipientKind.AUTHORITY, contact.authority_code
    if contact.health_body_code:
        return RecipientKind.HEALTH_BODY, contact.health_body_code
    raise ValueError(f"Contact {contact.id} belongs to a child, not to the directory")


def _checked(
    session: Session,
    kind: str,
    code: str,
    details: ContactDetails,
    contact_id: int | None,
    active: bool,
) -> ContactDetails:
    """The details tidied, or InvalidInput naming every problem."""
    tidy = ContactDetails(
        role=details.role.strip(),
        name=details.name.strip(),
        email=details.email.strip(),
        organisation=_optional(details.organisation),
        phone=_optional(details.phone),
    )
    problems: dict[str, list[str]] = {}
    if tidy.role not in dict(contact_roles()):
        problems["role"] = ["Choose the contact's role from the list"]
    if not tidy.name:
        problems["name"] = ["Enter the name of the person or team"]
    elif len(tidy.name) > 200:
        problems["name"] = ["Name must be 200 characters or fewer"]
    if not tidy.email:
        problems["email"] = ["Enter an email address: notices to this contact are sent to it"]
    elif problem := email_problem(tidy.email):
        problems["email"] = [problem]
    if tidy.organisation and len(tidy.organisation) > 200:
        problems["organisation"] = ["Team or service must be 200 characters or fewer"]
    if tidy.phone and (len(tidy.phone) > 30 or not set(tidy.phone) <= PHONE_CHARACTERS):
        problems["phone"] = ["Enter a telephone number, like 01905 765 432"]
    if problems:
        raise InvalidInput(problems)
    if active and tidy.role in TEAM_ROLES:
        _refuse_second_team(session, kind, code, tidy.role, contact_id)
    return tidy


def _refuse_second_team(
    session: Session, kind: str, code: str, role: str, contact_id: int | None
) -> None:
    statement = select(Contact).where(
        _owner_filter(kind, code), Contact.role == role, Contact.active
    )
    if contact_id is not None:
        statement = statement.where(Contact.id != contact_id)
    other = session.scalars(statement.limit(1)).first()
    if other is not None:
        raise InvalidInput(
            {
                "role": [
                    f"{other.name} is already the active {role_title(role)} contact here: "
                    "change or deactivate that contact instead"
                ]
            }
        )
