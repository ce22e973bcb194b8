"""Notice bodies with realistic defaults, keys, and the app with its rate limit switched on."""

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from notify import create_app
from notify.config import for_testing
from notify.extensions import limiter
from tests.api.builders import bearer, make_key

NOTTINGHAMSHIRE = "E10000024"  # the placing authority of these notices
HEREFORDSHIRE = "E06000019"  # another authority, posting nothing here
IN_OUR_AREA = "WR1 2AB"  # Worcester: Worcestershire is HOME_AUTHORITY
HEREFORD = "HR1 1AA"  # Herefordshire
PATH = "/api/v1/inbound-notices"

_references = iter(range(100_000, 10_000_000))


def notice_body(**over: Any) -> dict[str, Any]:
    """A Nottinghamshire foster placement in Worcester, starting next week."""
    today = date.today()
    body: dict[str, Any] = {
        "reference": f"NOTTS-2026-{next(_references)}",
        "notice_type": "placement_start",
        "placing_authority": NOTTINGHAMSHIRE,
        "child": {
            "placing_authority_child_id": "C-55501",
            "given_name": "Robin",
            "family_name": "Example",
            "also_known_as": None,
            "date_of_birth": (today - timedelta(days=365 * 11 + 40)).isoformat(),
            "sex": "F",
            "nhs_number": "9434765919",
            "legal_status": "C2",
            "uasc": False,
            "disability": False,
            "child_protection_plan": False,
            "ehc_plan": {"maintained_by": NOTTINGHAMSHIRE},
        },
        "placement": {
            "start_date": (today + timedelta(days=7)).isoformat(),
            "end_date": None,
            "placement_type": "U6",
            "provider": "PR4",
            "carer_name": "Mr and Mrs Carer",
            "urn": None,
            "emergency": False,
            "address": {
                "line_1": "1 Example Road",
                "line_2": None,
                "town": "Worcester",
                "postcode": IN_OUR_AREA,
            },
            "end_reason": None,
        },
        "previous_address": None,
        "contacts": {
            "social_worker": {
                "name": "Sam Worker",
                "email": "sam.worker@nottscc.example.gov.uk",
                "phone": "0115 977 2000",
            },
            "iro": None,
            "out_of_hours_phone": "0300 456 4546",
        },
        "school": {"name": "Example Primary School", "urn": "116000"},
        "gp": {"practice_name": "Example Surgery", "ods_code": "M81001"},
        "risks": "Has gone missing twice this year.",
    }
    return _merge(body, over)


def _merge(body: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Override nested values too: notice_body(child={"sex": "M"}) keeps the other fields."""
    merged = dict(body)
    for name, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = _merge(merged[name], value)
        else:
            merged[name] = value
    return merged


def post(client: FlaskClient, key: str, body: Any, **kw: Any):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    kw.setdefault("content_type", "application/json")
    return client.post(PATH, data=data, headers=bearer(key), **kw)


@pytest.fixture
def key(db_session: Session) -> str:
    return make_key(db_session, authority=NOTTINGHAMSHIRE, scopes=("inbound:write",))


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
