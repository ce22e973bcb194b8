"""The app as it runs for real, for the acknowledgement link's tests."""

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from notify import create_app
from notify.config import for_testing
from notify.extensions import limiter


@pytest.fixture
def strict_app(app: Flask, db_session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app as it runs for real: CSRF checked and the link's POST rate-limited. Same
    database and the same rolled-back transaction as `app`."""
    # The limiter is one object for every app in the process: put it back as it was.
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    strict = create_app(
        {
            **for_testing(app.config["SQLALCHEMY_DATABASE_URI"]),
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": True,
        }
    )
    limiter.reset()
    yield strict
    limiter.reset()
