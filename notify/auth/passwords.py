"""Password hashing with argon2."""

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    # made on first use, not at import; with the same parameters as every real hash
    return _hasher.hash(secrets.token_urlsafe(32))


def check_no_password(password: str) -> bool:
    """The work of checking a password, for an address no account has: so that a sign-in
    takes as long whether or not the account exists. Always False."""
    check_password(_dummy_hash(), password)
    return False
