"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts, and can be told to
refuse, to stall, or to be down."""

import asyncio
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A loopback port nothing listens on (for a moment: the caller binds it soon)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def body(self, subtype: str) -> str:
        part = self.message.get_body((subtype,))
        assert part is not None, f"no text/{subtype} part"
        return str(part.get_content()).replace("\r\n", "\n")


class SmtpSink:
    """Accepts mail on 127.0.0.1:`port` unless told otherwise; thread-safe to inspect."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self._lock = threading.Lock()
        # address -> SMTP reply refusing it at RCPT, e.g. "550 5.1.1 No such mailbox"
        self.refuse: dict[str, str] = {}
        self.data_reply: str | None = None  # refuse every message at DATA with this reply
        self.delay = 0.0  # seconds between keeping a message and confirming it
        self.on_accept: Callable[[Received], None] | None = None
        self._controller: Controller | None = None

    def start(self) -> "SmtpSink":
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def message_ids(self) -> list[str]:
        return [m.message_id for m in self.messages()]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                break
            time.sleep(0.02)
        return self.messages()

    def _accept(self, envelope: Any) -> None:
        raw = envelope.original_content or envelope.content
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=tuple(envelope.rcpt_tos),
            message=message_from_bytes(raw, policy=policy.default),  # type: ignore[arg-type]
            raw=raw,
        )
        with self._lock:
            self.received.append(received)
        if self.on_accept is not None:
            self.on_accept(received)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        refusal = self.sink.refuse.get(address)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.sink.data_reply:
            return self.sink.data_reply
        self.sink._accept(envelope)
        if self.sink.delay:
            # Kept, but slow to say so: a sender that dies now never hears the 250.
            await asyncio.sleep(self.sink.delay)
        return "250 Message accepted for delivery"


class SilentServer:
    """Accepts connections and never says a word: a relay that has hung."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self.port = int(self._socket.getsockname()[1])

    def close(self) -> None:
        self._socket.close()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (its WAL included), without notifications."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("DELETE FROM delivery_attempts")
        dst.execute("DELETE FROM notifications")
        dst.commit()
    finally:
        src.close()
        dst.close()
