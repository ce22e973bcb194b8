"""GOV.UK Notify as a delivery channel: one email template whose subject and body are
filled from our rendered message."""

import logging
import uuid
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from notify.config import ConfigError
from notify.notifications.channels.base import (
    Channel,
    OutgoingMessage,
    PermanentError,
    TransientError,
)

logger = logging.getLogger(__name__)

CHANNELS = ("smtp", "govuk_notify")

# Notify asks clients to retry these; every other 4xx means the request itself is wrong
# (bad address, unknown template, key revoked) and sending it again cannot help.
_RETRY_STATUSES = frozenset({408, 429})


class GovukNotifyChannel:
    """Sends each message through one GOV.UK Notify email template.

    The template's subject must be `((subject))` and its body `((body))`. Not thread-safe
    (the Notify client holds one HTTP session): one channel per worker thread.
    """

    def __init__(
        self,
        api_key: str,
        template_id: str,
        base_url: str | None = None,
        *,
        timeout: float = 10.0,
    ) -> None:
        _check_api_key(api_key)
        _check_template_id(template_id)
        if base_url is not None:
            _check_base_url(base_url)
        self.template_id = template_id
        options: dict[str, Any] = {"timeout": timeout}
        if base_url is not None:
            options["base_url"] = base_url
        self._client = NotificationsAPIClient(api_key, **options)

    def start(self, message: OutgoingMessage) -> Callable[[], None]:
        """One request does it all: nothing to do before it."""
        return partial(self.send, message)

    def send(self, message: OutgoingMessage) -> None:
        """Hand the message to Notify, or raise TransientError / PermanentError."""
        # Our own subject and body win over any extra field of the same name.
        personalisation = {
            **message.personalisation,
            "subject": message.subject,
            "body": message.text,
        }
        try:
            response = self._client.send_email_notification(
                email_address=message.to,
                template_id=self.template_id,
                personalisation=personalisation,
                reference=message.reference,
            )
        except APIError as exc:
            raise _delivery_error(exc) from exc
        logger.info(
            "Sent notification %s through GOV.UK Notify",
            message.notification_id,
            extra={
                "notification_id": message.notification_id,
                "govuk_notify_id": response.get("id") if isinstance(response, dict) else None,
            },
        )


def channel_from_config(config: Mapping[str, Any]) -> Channel:
    """The channel named by NOTIFY_CHANNEL; raises ConfigError for a missing or bad setting."""
    name = (config.get("NOTIFY_CHANNEL") or "smtp").strip().lower()
    if name == "govuk_notify":
        missing = [
            key
            for key in ("GOVUK_NOTIFY_API_KEY", "GOVUK_NOTIFY_TEMPLATE_ID")
            if not (config.get(key) or "").strip()
        ]
        if missing:
            raise ConfigError(f"NOTIFY_CHANNEL=govuk_notify needs {' and '.join(missing)}")
        return GovukNotifyChannel(
            config["GOVUK_NOTIFY_API_KEY"].strip(),
            config["GOVUK_NOTIFY_TEMPLATE_ID"].strip(),
            (config.get("GOVUK_NOTIFY_BASE_URL") or "").strip() or None,
        )
    if name == "smtp":
        from notify.notifications.channels.email import EmailChannel  # avoids an import cycle

        return EmailChannel(config)
    raise ConfigError(f"NOTIFY_CHANNEL must be one of {', '.join(CHANNELS)}, not {name!r}")


def _delivery_error(exc: APIError) -> TransientError | PermanentError:
    if exc.response is None:
        # No answer at all: refused, reset, timed out, DNS. Notify may be back shortly.
        return TransientError(f"GOV.UK Notify did not answer: {_cause(exc)}")
    status = exc.status_code
    reason = f"GOV.UK Notify {status}: {_notify_message(exc)}"
    if status >= 500 or status in _RETRY_STATUSES:
        return TransientError(reason)
    if status >= 400:
        return PermanentError(reason)
    # A 2xx whose body is not Notify's JSON: most likely a proxy in the way, so we cannot
    # tell whether Notify took the message. Retrying risks a duplicate; failing risks a loss.
    return TransientError(f"GOV.UK Notify {status}: the reply could not be read")


def _notify_message(exc: APIError) -> str:
    """Notify's own words: `{"errors": [{"error": "BadRequestError", "message": "..."}]}`."""
    message = exc.message
    if isinstance(message, list):
        parts = [
            f"{item.get('error')}: {item.get('message')}" if isinstance(item, dict) else str(item)
            for item in message
        ]
        return "; ".join(parts) or "no reason given"
    return str(message)


def _cause(exc: APIError) -> str:
    cause = exc.__cause__
    return type(cause).__name__ if cause is not None else "request failed"


def _check_api_key(api_key: str) -> None:
    # Notify keys are "{name}-{service id}-{secret}"; the client slices them by position,
    # so a pasted-in-half key would otherwise fail only at the first send.
    # The message never repeats the key: it is a secret.
    problem = ConfigError("GOVUK_NOTIFY_API_KEY is not a Notify API key ({name}-{uuid}-{uuid})")
    if len(api_key) < 75 or api_key[-74] != "-" or api_key[-37] != "-":
        raise problem
    for part in (api_key[-73:-37], api_key[-36:]):
        try:
            uuid.UUID(part)
        except ValueError:
            raise problem from None


def _check_template_id(template_id: str) -> None:
    try:
        uuid.UUID(template_id)
    except ValueError:
        raise ConfigError(f"GOVUK_NOTIFY_TEMPLATE_ID must be a UUID, not {template_id!r}") from None


def _check_base_url(base_url: str) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"GOVUK_NOTIFY_BASE_URL must be an http(s) URL, not {base_url!r}")
