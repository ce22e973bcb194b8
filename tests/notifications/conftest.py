"""Fixtures for delivery: a real SMTP server on loopback, a guard that fails a test sending
mail it did not expect, and apps on databases of their own."""

import logging
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from notify import create_app
from notify.config import for_testing
from tests.conftest import dispose
from tests.notifications.sink import SmtpSink, copy_database


@dataclass
class MailGuard:
    """Every SMTP connection this process opens, and the ports the test set up to receive."""

    expected_ports: set[int] = field(default_factory=set)
    connections: list[tuple[str, int]] = field(default_factory=list)

    def expect(self, port: int) -> None:
        self.expected_ports.add(port)


@pytest.fixture(autouse=True)
def mail_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailGuard]:
    """Fails the test if it opened an SMTP connection to a port it did not set up (the test
    configuration points at 127.0.0.1:9, where nothing listens)."""
    guard = MailGuard()
    connect = smtplib.SMTP.connect

    def watched(self: smtplib.SMTP, host: str = "localhost", port: int = 0, *a: Any) -> Any:
        guard.connections.append((host, int(port)))
        return connect(self, host, port, *a)

    monkeypatch.setattr(smtplib.SMTP, "connect", watched)
    yield guard
    unexpected = [c for c in guard.connections if c[1] not in guard.expected_ports]
    if unexpected:
        pytest.fail(f"The test sent mail it did not expect, to {unexpected}")


@pytest.fixture
def delivery_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    """caplog for the delivery modules' loggers. Alembic's env.py (logging's fileConfig)
    disables every logger that existed when a migration ran in this process, as the test
    database's did: they are enabled again for the test."""
    for name in ("outbox", "delivery", "worker"):
        logger = logging.getLogger(f"notify.notifications.{name}")
        monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.INFO, logger="notify.notifications")
    return caplog


@pytest.fixture
def smtp_sink(mail_guard: MailGuard) -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    mail_guard.expect(sink.port)
    yield sink
    sink.stop()


def mail_to(app: Flask, port: int, **more: Any) -> dict[str, Any]:
    """The app's settings with mail going to 127.0.0.1:`port`."""
    return {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, **more}


@pytest.fixture
def own_database(app: Flask, database_path: Path, tmp_path: Path) -> str:
    """A copy of the session's database (reference data and all), with no notifications: for
    tests that commit for real or run other processes against it."""
    target = tmp_path / "own.sqlite3"
    copy_database(database_path, target)
    return f"sqlite:///{target}"


@pytest.fixture
def own_app(own_database: str) -> Iterator[Flask]:
    app = create_app(for_testing(own_database))
    yield app
    dispose(app)
