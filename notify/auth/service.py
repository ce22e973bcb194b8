"""Users: creating one, and checking a sign-in."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User
from models.base import utcnow
from models.enums import Role
from notify.auth.passwords import check_password, hash_password

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
