"""An inbound API key, and the app with its rate limit switched on."""

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from notify import create_app
from notify.config import for_testing
from notify.extensions import limiter
from tests.support.builders import BIRMINGHAM, create_api_client


@pytest.fixture
def key(db_session: Session) -> str:
    return create_api_client(db_session, authority=BIRMINGHAM, scopes=("inbound:write",))


@pytest.fixture
def limited_app(
    app: Flask, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The app with rate limiting on and a limit of 3 a minute per key. Same database and
    the same rolled-back transaction as `app`."""
    # The limiter is one object for every app in the process: put it back as it was.
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    limited = create_app(
        {
            **for_testing(app.config["SQLALCHEMY_DATABASE_URI"]),
            "RATELIMIT_ENABLED": True,
            "INBOUND_RATE_LIMIT": "3/minute",
        }
    )
    limiter.reset()
    yield limited
    limiter.reset()
