"""Users: creating one, and checking a sign-in."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import SignInThrottle, User
from models.base import utcnow
from models.enums import Role
from notify.auth.passwords import check_no_password, check_password, hash_password

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    pass


def create_user(
    session: Session, *, email: str, name: str, role: str, password: str, team: str | None = None
) -> User:
    """Add a user; the caller commits."""
    email = normalise_email(email)
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


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class LockPolicy:
    """`after` failed sign-ins in a row for one address lock it for `minutes`; a failure
    older than that is forgotten. `key` keys the hash the address is kept under."""

    after: int
    minutes: int
    key: bytes

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    def address_key(self, email: str) -> str:
        return hmac.new(self.key, normalise_email(email).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignIn:
    """What a sign-in came to: `user` if it succeeded; else why not (for the audit: the
    person is only ever told the address and password do not match, or the lock)."""

    user: User | None
    account: User | None  # the account the address belongs to, if any
    reason: str | None = None  # unknown_account, inactive, wrong_password, locked
    locked_until: datetime | None = None


def authenticate(
    session: Session, email: str, password: str, policy: LockPolicy, now: datetime | None = None
) -> SignIn:
    """Check a sign-in and count a failure against the address (the caller commits)."""
    now = now or utcnow()
    account = session.scalar(select(User).where(User.email == normalise_email(email)))
    # The password is checked first and always, against a dummy hash when no account has the
    # address: every answer costs one argon2 verification, so timing tells nobody which
    # addresses have accounts, or which are locked.
    if account is None:
        matched = check_no_password(password)
    else:
        matched = check_password(account.password_hash, password)
    key = policy.address_key(email)
    throttle = session.scalar(
        select(SignInThrottle).where(SignInThrottle.email_hash == key).with_for_update()
    )
    if throttle is not None and throttle.locked_until and throttle.locked_until > now:
        return SignIn(None, account, "locked", throttle.locked_until)
    if account is not None and account.active and matched:
        if throttle is not None:
            session.execute(delete(SignInThrottle).where(SignInThrottle.email_hash == key))
        account.last_signed_in_at = now
        return SignIn(account, account)
    throttle = _count_failure(session, throttle, key, policy, now)
    if account is None:
        reason = "unknown_account"
    elif not account.active:
        reason = "inactive"
    else:
        reason = "wrong_password"
    return SignIn(None, account, reason, throttle.locked_until)


def _count_failure(
    session: Session, throttle: SignInThrottle | None, key: str, policy: LockPolicy, now: datetime
) -> SignInThrottle:
    if throttle is None:
        throttle = SignInThrottle(email_hash=key, failures=0, last_failed_at=now)
        try:
            with session.begin_nested():
                session.add(throttle)
        except IntegrityError:  # another request's first failure for the address came first
            throttle = session.scalars(
                select(SignInThrottle).where(SignInThrottle.email_hash == key).with_for_update()
            ).one()
    elif (throttle.locked_until and throttle.locked_until <= now) or (
        now - throttle.last_failed_at >= policy.length
    ):
        throttle.failures, throttle.locked_until = 0, None  # a fresh start after a lock or a while
    throttle.failures += 1
    throttle.last_failed_at = now
    if throttle.failures >= policy.after:
        throttle.failures, throttle.locked_until = 0, now + policy.length
    return throttle


def unlock_address(session: Session, email: str, policy: LockPolicy) -> bool:
    """Forget the failed sign-ins for an address (the caller commits); whether it had any."""
    result = session.execute(
        delete(SignInThrottle).where(SignInThrottle.email_hash == policy.address_key(email))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
