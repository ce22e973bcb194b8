"""Posting a notice to another authority's Placement Notify as an inbound notice (API.md), and
the channel that sends each message by its recipient's means: their API, or email."""

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import requests

from notify.notifications.channels.base import (
    Channel,
    OutgoingMessage,
    PermanentError,
    TransientError,
)

DEFAULT_TIMEOUT = 30.0


class FederationChannel:
    """POSTs the message's inbound notice to the recipient's API; the notice's reference is our
    notification's, so a second post of the same notice (after a crash) is the same notice
    there (200), never a second one."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.timeout = float(config.get("MAIL_TIMEOUT") or DEFAULT_TIMEOUT)
        self.http = requests.Session()

    def start(self, message: OutgoingMessage) -> Callable[[], str]:
        return partial(self.post, message)

    def send(self, message: OutgoingMessage) -> None:
        self.post(message)

    def post(self, message: OutgoingMessage) -> str:
        """Post the notice; returns its id at the recipient, or raises TransientError /
        PermanentError."""
        if message.api is None:
            raise PermanentError("No API to post this notice to")
        url = f"{message.api.endpoint}/inbound-notices"
        try:
            response = self.http.post(
                url,
                json=message.api.body,
                headers={"Authorization": f"Bearer {message.api.key}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise TransientError(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code in (200, 201):
            try:
                return str(response.json()["id"])
            except (ValueError, KeyError, TypeError) as exc:
                raise TransientError(f"HTTP {response.status_code} without a notice id") from exc
        problem = f"HTTP {response.status_code} from {url}: {_problem(response)}"
        if response.status_code in (408, 429) or response.status_code >= 500:
            raise TransientError(problem)
        # Our key, our notice or its reference refused: a person must look (and resend).
        raise PermanentError(problem)

    def close(self) -> None:
        self.http.close()


def _problem(response: requests.Response) -> str:
    """The error envelope's message and field errors (API.md), or the start of the body."""
    try:
        error = response.json()["error"]
        fields = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.get("fields", {}).items()
        )
        return f"{error['message']} {fields}".strip()
    except (ValueError, KeyError, TypeError, AttributeError):
        return response.text[:300] or response.reason or "no answer"


class Routed:
    """Each message by its recipient's means: posted to its API where it has one, otherwise
    by the configured channel (email or GOV.UK Notify)."""

    def __init__(self, primary: Channel, federation: FederationChannel) -> None:
        self.primary = primary
        self.federation = federation

    def _for(self, message: OutgoingMessage) -> Channel:
        return self.federation if message.api is not None else self.primary

    def start(self, message: OutgoingMessage) -> Callable[[], str | None]:
        return self._for(message).start(message)

    def send(self, message: OutgoingMessage) -> None:
        self._for(message).send(message)

    def close(self) -> None:
        self.federation.close()
        close = getattr(self.primary, "close", None)
        if close is not None:
            close()
