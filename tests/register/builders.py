"""Inbound notices as rows, with a realistic API.md body, for the register tests."""

import json
from datetime import UTC, date, datetime, timedelta
from hashlib import sha256
from typing import Any

from sqlalchemy.orm import Session

from models import Contact, InboundNotice
from models.enums import RecipientRole
from tests.builders import HOME

BIRMINGHAM = "E08000025"  # adjoins Worcestershire
NOTTINGHAMSHIRE = "E10000024"  # does not
TODAY = date.today()
_numbers = iter(range(1, 10_000_000))


def notice_body(**over: Any) -> dict[str, Any]:
    """A placement start notice from Birmingham for a child placed in Worcester, as the
    inbound API stores it (dates as ISO strings, postcodes normalised)."""
    body: dict[str, Any] = {
        "reference": f"BCC-2026-{next(_numbers):06d}",
        "notice_type": "placement_start",
        "placing_authority": BIRMINGHAM,
        "child": {
            "placing_authority_child_id": "C-55501",
            "given_name": "Keira",
            "family_name": "Whitlock",
            "also_known_as": None,
            "date_of_birth": (TODAY - timedelta(days=365 * 12 + 40)).isoformat(),
            "sex": "F",
            "nhs_number": "9434765919",
            "legal_status": "C2",
            "uasc": False,
            "disability": False,
            "child_protection_plan": True,
            "ehc_plan": {"maintained_by": BIRMINGHAM},
        },
        "placement": {
            "start_date": (TODAY - timedelta(days=3)).isoformat(),
            "end_date": None,
            "placement_type": "U6",
            "provider": "PR4",
            "carer_name": "Pat and Lee Carer",
            "urn": None,
            "emergency": False,
            "address": {
                "line_1": "14 Orchard Way",
                "line_2": None,
                "town": "Worcester",
                "postcode": "WR1 2NA",
            },
            "end_reason": None,
        },
        "previous_address": None,
        "contacts": {
            "social_worker": {
                "name": "Dana Social",
                "email": "dana.social@birmingham.example",
                "phone": "0121 496 0001",
            },
            "iro": {"name": "Ira Reviewer", "email": "iro@birmingham.example", "phone": None},
            "out_of_hours_phone": "0121 496 0999",
        },
        "school": {"name": "Northwick Primary", "urn": "116789"},
        "gp": {"practice_name": "Barbourne Surgery", "ods_code": "M81001"},
        "risks": "Missing twice in the last six months",
    }
    return _merge(body, over)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on top of `base`, nested dictionaries merged (None replaces)."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def create_inbound_notice(session: Session, **over: Any) -> InboundNotice:
    """A notice as the inbound API stores it, status received. `over` is merged into the
    body; `received_at` and `status` set the row's own fields."""
    received_at = over.pop("received_at", datetime.now(UTC) - timedelta(hours=2))
    status = over.pop("status", "received")
    body = notice_body(**over)
    raw = json.dumps(body, indent=2)
    notice = InboundNotice(
        reference=body["reference"],
        placing_authority_code=body["placing_authority"],
        notice_type=body["notice_type"],
        status=status,
        raw_body=raw,
        body_digest=sha256(json.dumps(body, sort_keys=True).encode()).hexdigest(),
        payload=body,
        received_at=received_at,
    )
    session.add(notice)
    session.flush()
    return notice


def add_partner_teams(session: Session, *, email: bool = True) -> tuple[Contact, Contact]:
    """Our virtual school and looked-after children's health team in the directory."""
    teams = (
        Contact(
            role=RecipientRole.VIRTUAL_SCHOOL,
            name="Virtual School",
            email="virtual.school@worcestershire.example" if email else None,
            authority_code=HOME,
        ),
        Contact(
            role=RecipientRole.LAC_HEALTH_TEAM,
            name="LAC Health Team",
            email="lac.health@worcestershire.example" if email else None,
            authority_code=HOME,
        ),
    )
    session.add_all(teams)
    session.flush()
    return teams
