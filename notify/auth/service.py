"""Users and API keys."""

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ApiClient, Authority, User
from models.base import utcnow
from models.enums import Role
from notify.auth.passwords import check_password, hash_password

API_SCOPES = ("inbound:write", "notifications:read", "notifications:ack", "placements:write")
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    pass


def create_user(
    session: Session, *, email: str, name: str, role: str, password: str, team: str | None = None
) -> User:
    """Add a user; the caller commits."""
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError(f"{email!r} is not an email address")
    if role not in {r.value for r in Role}:
        raise AccountError(f"Role must be one of: {', '.join(r.value for r in Role)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User).where(User.email == email)):
        raise AccountError(f"There is already a user with the email {email}")
    user = User(
        email=email, name=name.strip(), role=role, team=team, password_hash=hash_password(password)
    )
    session.add(user)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not check_password(user.password_hash, password):
        return None
    user.last_signed_in_at = utcnow()
    return user


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewKey:
    client: ApiClient
    key: str


def create_api_key(
    session: Session, *, authority_code: str, scopes: list[str], name: str
) -> NewKey:
    """Make a key for one authority; only its hash is kept, so it is shown once."""
    if session.get(Authority, authority_code) is None:
        raise AccountError(f"No authority has the code {authority_code!r}")
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown or not scopes:
        raise AccountError(f"Scopes must be among: {', '.join(API_SCOPES)}")
    prefix = "pn_" + secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    client = ApiClient(
        name=name,
        authority_code=authority_code,
        key_prefix=prefix,
        key_hash=_digest(key),
        scopes=" ".join(sorted(set(scopes))),
    )
    session.add(client)
    return NewKey(client, key)


def find_api_client(session: Session, key: str) -> ApiClient | None:
    prefix, _, _ = key.partition(".")
    client = session.scalar(select(ApiClient).where(ApiClient.key_prefix == prefix))
    if client is None or client.revoked_at is not None:
        return None
    if not secrets.compare_digest(client.key_hash, _digest(key)):
        return None
    return client
