"""Every API call counts against its key's budget (API_RATE_LIMIT): the children and the
notifications APIs answer 429 with Retry-After past it, and one key's calls spend no other's."""

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from notify import create_app
from notify.config import for_testing
from notify.extensions import limiter
from tests.support.builders import NOTTINGHAMSHIRE, bearer, child_body, create_api_client


@pytest.fixture
def limited_app(
    app: Flask, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The app with rate limiting on, 3 API calls a minute per key (the same database and the
    same rolled-back transaction as `app`)."""
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # one limiter for every app
    limited = create_app(
        {
            **for_testing(app.config["SQLALCHEMY_DATABASE_URI"]),
            "RATELIMIT_ENABLED": True,
            "API_RATE_LIMIT": "3/minute",
        }
    )
    limiter.reset()
    yield limited
    limiter.reset()


def test_the_children_api_answers_429_past_the_keys_budget(
    limited_app: Flask, db_session: Session
) -> None:
    client = limited_app.test_client()
    key, other = create_api_client(db_session), create_api_client(db_session)

    created = client.post("/api/v1/children", json=child_body(), headers=bearer(key))
    allowed = [
        created.status_code,
        client.get("/api/v1/children", headers=bearer(key)).status_code,
        client.get(created.headers["Location"], headers=bearer(key)).status_code,
    ]
    refused = client.get("/api/v1/children", headers=bearer(key))

    assert allowed == [201, 200, 200]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert client.get("/api/v1/children", headers=bearer(other)).status_code == 200


def test_the_notifications_api_answers_429_past_the_keys_budget(
    limited_app: Flask, db_session: Session
) -> None:
    client = limited_app.test_client()
    key = create_api_client(
        db_session, authority=NOTTINGHAMSHIRE, scopes=("notifications:read", "notifications:ack")
    )

    statuses = [
        client.get("/api/v1/notifications", headers=bearer(key)).status_code for _ in range(4)
    ]
    ack = client.post(
        "/api/v1/notifications/1/acknowledgement", json={}, headers=bearer(key)
    ).status_code

    assert (statuses, ack) == ([200, 200, 200, 429], 429)


def test_calls_without_a_valid_key_spend_no_keys_budget(
    limited_app: Flask, db_session: Session
) -> None:
    client = limited_app.test_client()
    key = create_api_client(db_session)
    prefix = key.split(".")[0]

    forged = [
        client.get("/api/v1/children", headers=bearer(f"{prefix}.forged")).status_code
        for _ in range(5)
    ]

    assert forged == [401] * 5
    assert client.get("/api/v1/children", headers=bearer(key)).status_code == 200
