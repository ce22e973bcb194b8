"""A guard, for every test in the suite, against mail the test did not expect: an SMTP
connection or a call to the GOV.UK Notify API. Loaded by
`pytest_plugins` in tests/conftest.py.

A test that means to send opts in: `smtp_sink` (a real SMTP server on loopback) or
`mail_guard.expect(port)` for a server of its own, `govuk_notify_api` for a fake Notify API.
"""

import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from notifications_python_client.base import BaseAPIClient
from pytest_httpserver import HTTPServer

from tests.support.smtp import SmtpSink


@dataclass
class MailGuard:
    """Every SMTP connection and Notify API call this process makes, and what the test set up
    to receive them."""

    expected_ports: set[int] = field(default_factory=set)
    connections: list[tuple[str, int]] = field(default_factory=list)
    notify_calls: list[tuple[str, int]] = field(default_factory=list)

    def expect(self, port: int) -> None:
        """Mail to this loopback port (SMTP or the Notify API) is the test's own."""
        self.expected_ports.add(port)

    def unexpected(self) -> list[str]:
        found = [f"SMTP {host}:{port}" for host, port in self.connections]
        found += [f"GOV.UK Notify {host}:{port}" for host, port in self.notify_calls]
        ports = [port for _, port in self.connections + self.notify_calls]
        unexpected = [
            what for what, port in zip(found, ports, strict=True) if port not in self.expected_ports
        ]
        return unexpected


@pytest.fixture(autouse=True)
def mail_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailGuard]:
    """Fails the test if it sent mail by a way it did not set up (the test configuration
    points SMTP and the Notify API at 127.0.0.1:9, where nothing listens)."""
    guard = MailGuard()
    connect = smtplib.SMTP.connect
    perform = BaseAPIClient._perform_request

    def watched_connect(self: smtplib.SMTP, host: str = "localhost", port: int = 0, *a: Any) -> Any:
        guard.connections.append((host, int(port)))
        return connect(self, host, port, *a)

    def watched_request(self: BaseAPIClient, method: str, url: str, kwargs: Any) -> Any:
        parts = urlsplit(url)
        guard.notify_calls.append((parts.hostname or "", parts.port or 443))
        return perform(self, method, url, kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", watched_connect)
    monkeypatch.setattr(BaseAPIClient, "_perform_request", watched_request)
    yield guard
    if unexpected := guard.unexpected():
        pytest.fail(f"The test sent mail it did not expect: {unexpected}")


@pytest.fixture
def smtp_sink(mail_guard: MailGuard) -> Iterator[SmtpSink]:
    """A real SMTP server on loopback; mail to it is expected."""
    sink = SmtpSink().start()
    mail_guard.expect(sink.port)
    yield sink
    sink.stop()


@pytest.fixture
def govuk_notify_api(httpserver: HTTPServer, mail_guard: MailGuard) -> HTTPServer:
    """A fake GOV.UK Notify API on loopback; calls to it are expected."""
    mail_guard.expect(httpserver.port)
    return httpserver


def mail_to(app: Flask, port: int, **more: Any) -> dict[str, Any]:
    """The app's settings with mail going to 127.0.0.1:`port`."""
    return {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, **more}
