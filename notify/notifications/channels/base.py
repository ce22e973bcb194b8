"""What every channel takes and how it reports failure."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


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

    def start(self, message: OutgoingMessage) -> Callable[[], None]:
        """Do what can be done before the message is handed over, and return the call that
        hands it over. Nothing is delivered until that call: a message started and never
        finished (its worker died) is not delivered. Either may raise as `send` does."""
