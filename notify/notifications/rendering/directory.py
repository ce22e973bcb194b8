"""The authorities, health bodies, contacts and users a batch of notices refers to, and whose
bank holidays count for each recipient."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Authority,
    Contact,
    HealthBody,
    Notification,
    User,
)
from models.enums import Division, RecipientKind
from notify.notifications.calendars import division_of_nation
from notify.notifications.secure_domains import is_secure_address, secure_domains


class Directory:
    """The authorities, health bodies, contacts and social workers a batch refers to."""

    def __init__(
        self,
        session: Session,
        notifications: Iterable[Notification],
        more_authorities: Iterable[str] = (),
    ) -> None:
        authority_codes: set[str] = set(more_authorities)
        body_codes: set[str] = set()
        contact_ids: set[int] = set()
        user_ids: set[int] = set()
        for n in notifications:
            if n.child is not None:
                authority_codes.add(n.child.responsible_authority_code)
                if n.child.ehc_plan_maintained_by:
                    authority_codes.add(n.child.ehc_plan_maintained_by)
                if n.child.social_worker_id:
                    user_ids.add(n.child.social_worker_id)
            if n.recipient_code is None:
                continue
            if n.recipient_kind == RecipientKind.AUTHORITY:
                authority_codes.add(n.recipient_code)
            elif n.recipient_kind == RecipientKind.HEALTH_BODY:
                body_codes.add(n.recipient_code)
            elif n.recipient_code.isdigit():
                contact_ids.add(int(n.recipient_code))
        self.secure_domains = secure_domains(session)
        self.contacts: dict[int, Contact] = {}
        if contact_ids:
            contacts = session.scalars(select(Contact).where(Contact.id.in_(contact_ids)))
            self.contacts = {c.id: c for c in contacts}
        for contact in self.contacts.values():
            if contact.authority_code:
                authority_codes.add(contact.authority_code)
            if contact.health_body_code:
                body_codes.add(contact.health_body_code)
        self.authorities: dict[str, Authority] = {}
        if authority_codes:
            authorities = session.scalars(
                select(Authority).where(Authority.code.in_(authority_codes))
            )
            self.authorities = {a.code: a for a in authorities}
        self.health_bodies: dict[str, HealthBody] = {}
        if body_codes:
            bodies = session.scalars(select(HealthBody).where(HealthBody.code.in_(body_codes)))
            self.health_bodies = {b.code: b for b in bodies}
        self.users: dict[int, User] = {}
        if user_ids:
            self.users = {
                u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))
            }

    def secure(self, notification: Notification) -> bool:
        """Whether the recipient's mail domain is marked secure: its domain is (a directory
        setting, DCB1596), or the body itself is marked so."""
        if is_secure_address(notification.address, self.secure_domains):
            return True
        code = notification.recipient_code
        body: Authority | HealthBody | None = None
        if notification.recipient_kind == RecipientKind.AUTHORITY and code:
            body = self.authorities.get(code)
        elif notification.recipient_kind == RecipientKind.HEALTH_BODY and code:
            body = self.health_bodies.get(code)
        return bool(body and body.secure_email)

    def division(self, notification: Notification) -> Division:
        """Scotland for Scottish councils and health boards (and people there); otherwise
        England and Wales."""
        kind, code = notification.recipient_kind, notification.recipient_code
        authority_code = body_code = None
        if kind == RecipientKind.AUTHORITY:
            authority_code = code
        elif kind == RecipientKind.HEALTH_BODY:
            body_code = code
        elif code and code.isdigit() and (contact := self.contacts.get(int(code))):
            authority_code, body_code = contact.authority_code, contact.health_body_code
        if authority_code and (authority := self.authorities.get(authority_code)):
            return division_of_nation(authority.nation)
        if body_code and (body := self.health_bodies.get(body_code)) and body.kind == "hb":
            return Division.SCOTLAND  # NHS Scotland's health boards
        return Division.ENGLAND_AND_WALES

    def authority_name(self, code: str) -> str:
        authority = self.authorities.get(code)
        return authority.name if authority else code


def recipient_divisions(
    session: Session, notifications: Iterable[Notification]
) -> dict[int, Division]:
    """Whose bank holidays count for each notification's recipient (its working-day clock)."""
    batch = list(notifications)
    directory = Directory(session, batch)  # divisions need only the recipients
    return {n.id: directory.division(n) for n in batch}
