"""Small builders with realistic defaults for the service and view tests."""

from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models import Authority, Child, Contact, HealthBody, Placement, User
from notify.auth.service import create_user
from notify.placements.service import (
    ChildDetails,
    PlacementDetails,
    record_child,
    record_placement,
)

HOME = "E10000034"  # Worcestershire
TODAY = date.today()
_numbers = iter(range(1, 10_000_000))


def create_child(session: Session, **over: Any) -> Child:
    fields: dict[str, Any] = {
        "case_reference": f"WCF-T{next(_numbers):06d}",
        "given_name": "Alex",
        "family_name": "Tester",
        "date_of_birth": TODAY - timedelta(days=365 * 10),
        "sex": "F",
        "legal_status": "C2",
        "home_postcode": "WR1 2AA",
    }
    fields.update(over)
    return record_child(session, ChildDetails(**fields), HOME, TODAY)


def placement_details(postcode: str = "WR5 3AA", **over: Any) -> PlacementDetails:
    fields: dict[str, Any] = {
        "start_date": TODAY + timedelta(days=7),
        "placement_type": "U6",
        "provider": "PR4",
        "address_line_1": "1 Example Road",
        "postcode": postcode,
        "carer_name": "Mr and Mrs Carer",
    }
    fields.update(over)
    return PlacementDetails(**fields)


def create_placement(
    session: Session, child: Child, postcode: str = "WR5 3AA", **over: Any
) -> Placement:
    return record_placement(
        session,
        child,
        placement_details(postcode, **over),
        expected_version=child.version,
        actor_id=None,
        today=TODAY,
    )


def give_addresses(session: Session, *codes: str) -> None:
    """Give authorities and health bodies a notification address, as the directory would."""
    for code in codes:
        body = session.get(Authority, code) or session.get(HealthBody, code)
        assert body is not None, code
        body.notification_email = f"placements@{code.lower()}.example"


def add_contact(session: Session, child: Child, role: str, **over: Any) -> Contact:
    contact = Contact(
        child=child,
        role=role,
        name=over.pop("name", f"The {role}"),
        email=over.pop("email", f"{role}@contacts.example"),
        **over,
    )
    session.add(contact)
    session.flush()
    return contact


SIGN_IN_PASSWORD = "a long enough password"


def sign_in(client: FlaskClient, session: Session, role: str = "social_worker") -> User:
    """Add a user with `role` and sign the test client in as them."""
    user = create_user(
        session,
        email=f"{role}.{next(_numbers)}@worcestershire.example",
        name=f"Sam {role.title()}",
        role=role,
        password=SIGN_IN_PASSWORD,
    )
    session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": SIGN_IN_PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return user
