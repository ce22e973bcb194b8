"""Where a recipient's notices go: its address in the directory now, and our own teams."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Authority, Contact, HealthBody
from models.enums import RecipientKind


def directory_address(session: Session, kind: str, code: str | None) -> str | None:
    """The recipient's notification address in the directory now."""
    if code is None:
        return None
    if kind == RecipientKind.AUTHORITY:
        authority = session.get(Authority, code)
        return authority.notification_email if authority and authority.active else None
    if kind == RecipientKind.HEALTH_BODY:
        body = session.get(HealthBody, code)
        return body.notification_email if body and body.active else None
    # contacts, and internal teams (a contact of our own authority)
    contact = session.get(Contact, int(code)) if code.isdigit() else None
    return contact.email if contact and contact.active else None


def our_team(session: Session, authority_code: str, role: str) -> Contact | None:
    """An authority's own team for `role` in the directory (our SQA team or managers, virtual
    school, looked-after children's health team): one with an address first."""
    return session.scalars(
        select(Contact)
        .where(Contact.authority_code == authority_code, Contact.role == role, Contact.active)
        .order_by(Contact.email.is_(None), Contact.id)
        .limit(1)
    ).first()
