"""The browser tests' server and what it holds when it starts."""

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from notify.extensions import db
from tests.support.builders import TODAY, create_child, create_placement, create_user


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask
    social_worker_email: str
    child_id: int
    case_reference: str


def seed_live_server(app: Flask) -> tuple[str, int, str]:
    """A social worker, and one of our children placed in Worcester for six months."""
    with app.app_context():
        user = create_user(
            db.session,
            "social_worker",
            email="sam.worker@worcestershire.example",
            name="Sam Worker",
        )
        child = create_child(
            db.session,
            case_reference="WCF-204511",
            date_of_birth=TODAY - timedelta(days=365 * 12),
            home_postcode="WR5 2NP",
        )
        create_placement(
            db.session,
            child,
            "WR1 2NA",
            start_date=TODAY - timedelta(days=180),
            provider="PR1",
            carer_name="Alex and Chris Carer",
            town="Worcester",
        )
        db.session.commit()
        return user.email, child.id, child.case_reference
