"""The acknowledgement link: a signed, expiring token naming one notification, and the
addresses in the service that a message links to."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_TOKEN_SALT = "acknowledge"


class InvalidAcknowledgeToken(ValueError):
    """A link that is not ours, was altered, or has expired (`expired`)."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_TOKEN_SALT)


def acknowledge_token(notification_id: int) -> str:
    """A signed, timestamped token naming one notification, for its acknowledgement link."""
    return _serializer().dumps(notification_id)


def read_acknowledge_token(token: str, max_age: int | timedelta) -> int:
    """The notification id in `token`; InvalidAcknowledgeToken if it is forged, altered or
    older than `max_age` (seconds, or a timedelta)."""
    seconds = int(max_age.total_seconds()) if isinstance(max_age, timedelta) else max_age
    try:
        value = _serializer().loads(token, max_age=seconds)
    except SignatureExpired as exc:
        raise InvalidAcknowledgeToken("This link has expired", expired=True) from exc
    except BadSignature as exc:
        raise InvalidAcknowledgeToken("This link is not valid") from exc
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidAcknowledgeToken("This link is not valid")
    return value


def service_url(endpoint: str, **values: Any) -> str:
    """The full address of a page of this service, under BASE_URL, built from the URL map.

    Messages are rendered by the worker, outside any request, so the address comes from the
    setting, never from a request's Host header."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def acknowledge_url(notification_id: int) -> str:
    return service_url("acknowledgements.link", token=acknowledge_token(notification_id))


def child_url(child_id: int) -> str:
    """The child's page in the service: sign-in needed."""
    return service_url("placements.child_page", child_id=child_id)
