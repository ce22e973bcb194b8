"""What every channel takes and how it reports failure."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class ApiDelivery:
    """Where and what to post when the recipient runs Placement Notify too (federation)."""

    endpoint: str  # its API root, like https://placements.example.gov.uk/api/v1
    key: str  # the key it issued us
    body: dict[str, Any]  # an inbound notice, as API.md has it


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered notification, ready for any channel."""

    notification_id: int
    message_id: str  # stable across retries, so a resend is recognisably the same message
    to: str
    subject: str
    text: str
    html: str
    reference: str  # our reference for the notice, e.g. "PN-123"
    personalisation: dict[str, str] = field(default_factory=dict)
    api: ApiDelivery | None = None  # posted to the recipient's API instead of sent by email


class DeliveryError(Exception):
    """A failed send. `transient` errors are retried with backoff; the others are not."""

    transient: bool = True


class TransientError(DeliveryError):
    transient = True


class PermanentError(DeliveryError):
    transient = False


class Channel(Protocol):
    def send(self, message: OutgoingMessage) -> None:
        """Hand the message over, or raise TransientError / PermanentError."""

    def start(self, message: OutgoingMessage) -> Callable[[], str | None]:
        """Do what can be done before the message is handed over, and return the call that
        hands it over (and returns the recipient's id for it, where it gives one). Nothing
        is delivered until that call: a message started and never finished (its worker
        died) is not delivered. Either may raise as `send` does."""
