"""Request bodies and keys for the API tests, with realistic defaults."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from notify.auth.service import create_api_key

HOME = "E10000034"  # Worcestershire, the demo authority (HOME_AUTHORITY's default)
OTHER = "E10000024"  # Nottinghamshire


def make_key(
    session: Session, *, authority: str = HOME, scopes: tuple[str, ...] = ("placements:write",)
) -> str:
    """A new API key (the secret, as shown once)."""
    new = create_api_key(session, authority_code=authority, scopes=list(scopes), name="case system")
    session.commit()
    return new.key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


_case_numbers = iter(range(10_000, 1_000_000))


def child_body(**over: Any) -> dict[str, Any]:
    """A child as our case-management system sends it."""
    body: dict[str, Any] = {
        "case_reference": f"WCF-{next(_case_numbers)}",
        "given_name": "Jordan",
        "family_name": "Example",
        "also_known_as": None,
        "date_of_birth": (date.today() - timedelta(days=365 * 11 + 40)).isoformat(),
        "sex": "F",
        "nhs_number": "9434765919",
        "legal_status": "C2",
        "uasc": False,
        "disability": False,
        "child_protection_plan": False,
        "ehc_plan": None,
        "home_postcode": "WR1 2AB",
    }
    return {**body, **over}


def placement_body(postcode: str = "WR1 2AB", **over: Any) -> dict[str, Any]:
    """A planned foster placement starting next week."""
    body: dict[str, Any] = {
        "start_date": (date.today() + timedelta(days=7)).isoformat(),
        "end_date": None,
        "placement_type": "U6",
        "provider": "PR4",
        "carer_name": "Mr and Mrs Carer",
        "urn": None,
        "emergency": False,
        "address": {
            "line_1": "1 Example Road",
            "line_2": None,
            "town": "Somewhere",
            "postcode": postcode,
        },
        "reason_for_change": None,
    }
    return {**body, **over}
