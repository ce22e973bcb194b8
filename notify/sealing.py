"""Secrets we must keep and use again (API keys other authorities issued us), encrypted with a
key derived from SECRET_KEY: a copy of the database alone does not give them away."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

_CONTEXT = b"placement-notify:sealed-secrets:v1"


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(_CONTEXT + secret_key.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(value: str, secret_key: str) -> str:
    """`value` encrypted and authenticated, as text for a database column."""
    return _fernet(secret_key).encrypt(value.encode("utf-8")).decode("ascii")


def unseal(token: str, secret_key: str) -> str | None:
    """The value sealed in `token`, or None if it was sealed under another SECRET_KEY or
    altered."""
    try:
        return _fernet(secret_key).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return None
