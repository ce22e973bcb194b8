"""The delivery fixtures (SMTP sink, the guard against unexpected mail) for the chasing tests,
and the chaser's log."""

import logging

import pytest

from tests.notifications.conftest import (  # noqa: F401 - fixtures, found by name
    mail_guard,
    own_app,
    own_database,
    smtp_sink,
)


@pytest.fixture
def chase_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    """caplog for the chaser (Alembic's fileConfig disabled the loggers that existed when the
    test database was migrated)."""
    logger = logging.getLogger("notify.chasing.service")
    monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.INFO, logger="notify.chasing")
    return caplog
