"""caplog for the delivery and chasing loggers (loaded for the whole suite by
`pytest_plugins`).

Alembic's env.py (logging's fileConfig) disables every logger that existed when a migration
ran in this process, as the test database's did: these fixtures enable them again for the
test."""

import logging

import pytest


def _enabled(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, *names: str
) -> pytest.LogCaptureFixture:
    for name in names:
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)
    caplog.set_level(logging.INFO, logger="notify.notifications")
    return caplog


@pytest.fixture
def delivery_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    names = ("outbox", "delivery", "worker")
    return _enabled(caplog, monkeypatch, *(f"notify.notifications.{name}" for name in names))


@pytest.fixture
def chase_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    return _enabled(caplog, monkeypatch, "notify.notifications.chasing")
