"""The pages for the child's people, and who the check page says will be told."""

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Contact
from tests.placements.test_views import count, date_parts, move_form, text
from tests.support.builders import IN_AREA, TODAY, create_child
from tests.support.requests import sign_in


def person_form(**over: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "role": "parent",
        "name": "Mary Mother",
        "email": "mary@people.example",
        "phone": "01905 000000",
    }
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


WITHHELD = {
    "withhold": "y",
    "withhold_reason": "she would try to remove him from the placement",
    "withhold_decided_by": "Team manager",
    "withhold_decided_on": date_parts(TODAY - timedelta(days=2)),
}


@pytest.fixture
def worker(client: FlaskClient, db_session: Session) -> FlaskClient:
    sign_in(client, db_session, "social_worker")
    return client


def test_a_social_worker_adds_changes_and_ends_one_of_the_childs_people(
    worker: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    added = worker.post(f"/children/{child.id}/people/new", data=person_form())
    assert added.status_code == 302
    person = db_session.scalars(select(Contact).where(Contact.child_id == child.id)).one()
    assert (person.role, person.email, person.started_on) == (
        "parent",
        "mary@people.example",
        TODAY,
    )

    changed = worker.post(
        f"/children/{child.id}/people/{person.id}",
        data=person_form(email=None, address_line_1="3 Lane", town="Worcester", postcode="wr1 2na"),
    )
    assert changed.status_code == 302
    db_session.refresh(person)
    assert (person.email, person.postcode) == (None, "WR1 2NA")

    page = text(worker.get(f"/children/{child.id}/people"))
    assert "Mary Mother" in page and "By post: 3 Lane, Worcester, WR1 2NA" in page

    ended = worker.post(f"/children/{child.id}/people/{person.id}/end")
    assert ended.status_code == 302
    db_session.refresh(person)
    assert (person.active, person.ended_on) == (False, TODAY)
    page = text(worker.get(f"/children/{child.id}/people"))
    assert "Before (kept for the record)" in page and "Mary Mother" in page
    actions = [
        (a.action, (a.detail or {}).get("changed"))
        for a in db_session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("person_%")).order_by(AuditEvent.id)
        )
    ]
    assert actions == [
        ("person_record", None),
        (
            "person_change",
            {
                "email": ["mary@people.example", None],
                "address_line_1": [None, "3 Lane"],
                "town": [None, "Worcester"],
                "postcode": [None, "WR1 2NA"],
            },
        ),
        ("person_end", None),
    ]


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        (person_form(role=""), "Choose who they are to the child"),
        (person_form(role="aunt"), "Not a valid choice"),
        (person_form(name=""), "Enter their name"),
        (person_form(email="not-an-email"), "Enter an email address in the correct format"),
        (person_form(postcode="nowhere", address_line_1="1 Road"), "Enter a real postcode"),
        (person_form(postcode="WR1 2NA"), "Enter the first line of the address"),
        (person_form(withhold="y"), "Enter why telling them would put the child at risk"),
        (person_form(role="gp", **WITHHELD), "Only a parent, a person with contact or a carer"),
        (
            person_form(**{**WITHHELD, "withhold_decided_on": ["1", "1", "2999"]}),
            "The decision date must be today or in the past",
        ),
        (
            person_form(**{**WITHHELD, "withhold_decided_on": ["31", "2", "2026"]}),
            "must be a real date",
        ),
        (person_form(name="x" * 201), "Name must be 200 characters or fewer"),
    ],
)
def test_a_person_form_with_a_problem_says_so_and_records_nothing(
    worker: FlaskClient, db_session: Session, form: dict[str, Any], problem: str
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    response = worker.post(f"/children/{child.id}/people/new", data=form)
    assert response.status_code == 200
    assert problem in text(response)
    assert "There is a problem" in text(response)
    assert count(db_session, Contact, child_id=child.id) == 0


def test_the_check_page_lists_everyone_sent_withheld_or_waiting_for_an_address(
    worker: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    worker.post(f"/children/{child.id}/people/new", data=person_form())
    worker.post(
        f"/children/{child.id}/people/new",
        data=person_form(name="Frank Father", email="frank@people.example", **WITHHELD),
    )
    worker.post(
        f"/children/{child.id}/people/new",
        data=person_form(role="iro", name="Ida Reviewer", email=None),
    )
    ida = db_session.scalars(select(Contact).where(Contact.name == "Ida Reviewer")).one()

    worker.post(f"/children/{child.id}/move", data=move_form(child))
    check = worker.get(f"/children/{child.id}/move/check")
    page = text(check)

    assert "Mary Mother Parent Change of address" in page
    assert "Frank Father Parent Change of address" in page
    assert (
        "Not told, because Team manager on "
        f"{(TODAY - timedelta(days=2)):%-d %B %Y}: she would try to remove him from the placement"
    ) in page
    assert "Ida Reviewer Independent reviewing officer" in page
    link = f"/children/{child.id}/people/{ida.id}?next=/children/{child.id}/move/check"
    assert link in check.get_data(as_text=True)

    # adding the address from there returns to the check page, the draft kept
    back = worker.post(
        link, data=person_form(role="iro", name="Ida Reviewer", email="ida@iro.example")
    )
    assert back.headers["Location"] == f"/children/{child.id}/move/check"
    done = worker.post(f"/children/{child.id}/move/check")
    assert done.status_code == 302
    flashed = text(worker.get(done.headers["Location"]))
    assert "not told" not in flashed.lower().split("move recorded")[0]
