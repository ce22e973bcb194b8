"""The child's people through the API (API.md "The child's people"), and who a move tells.

Expected values are DOMAIN.md §1 written out: a move is an end plus a start; whoever would
get both gets one change-of-address notice; parents, contact holders and the previous
carer may be withheld under reg 13(3), and are listed as withheld, never sent.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Contact, Notification
from notify.calendar import today_uk
from tests.support.builders import (
    bearer,
    child_body,
    create_api_client,
    give_addresses,
    placement_body,
)

WORCESTERSHIRE_ICB = "E54000019"  # Herefordshire and Worcestershire: home, and WR5
LEEDS = "E08000035"
WEST_YORKSHIRE_ICB = "E54000054"

WITHHOLD = {
    "reason": "Telling the father where she lives would put her at risk of significant harm",
    "decided_by": "Team manager, A. Example",
    "decided_on": (date.today() - timedelta(days=1)).isoformat(),
}


@pytest.fixture
def api(client, db_session):
    key = create_api_client(db_session)

    class Caller:
        def get(self, path):
            return client.get(path, headers=bearer(key))

        def post(self, path, body):
            return client.post(path, json=body, headers=bearer(key))

        def patch(self, path, body):
            return client.patch(path, json=body, headers=bearer(key))

        def delete(self, path):
            return client.delete(path, headers=bearer(key))

    return Caller()


def ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def person(role, name, **over):
    body = {
        "role": role,
        "name": name,
        "organisation": None,
        "email": f"{name.split()[0].lower()}@people.example",
        "phone": None,
        "address": None,
        "withhold": None,
    }
    return {**body, **over}


def child_in_foster_care(api, db_session):
    """A child of ours in an in-area foster placement that started a month ago, with its carer."""
    give_addresses(db_session, LEEDS, WORCESTERSHIRE_ICB, WEST_YORKSHIRE_ICB)
    db_session.commit()
    child = ok(api.post("/api/v1/children", child_body()), 201)
    started = (today_uk() - timedelta(days=30)).isoformat()
    carer = {
        "name": "Pat Carer",
        "email": "pat.carer@foster.example",
        "phone": None,
        "address": None,
    }
    ok(
        api.post(
            f"/api/v1/children/{child['id']}/placements",
            placement_body(
                "WR5 3AA",
                start_date=started,
                emergency=True,
                carer=carer,
                late_reason="Recorded when the case file was brought up to date",
            ),
        ),
        201,
    )
    return child


def test_a_move_out_of_area_tells_exactly_whom_reg_13_and_14_name(api, db_session):
    child = child_in_foster_care(api, db_session)
    people = f"/api/v1/children/{child['id']}/contacts"
    ids = {
        "mother": ok(api.post(people, person("parent", "Mary Mother")), 201)["id"],
        "father": ok(api.post(people, person("parent", "Frank Father", withhold=WITHHOLD)), 201)[
            "id"
        ],
        "gp": ok(api.post(people, person("gp", "Dr Surgery", organisation="The Surgery")), 201)[
            "id"
        ],
        "school": ok(api.post(people, person("school", "Head Teacher")), 201)["id"],
        "iro": ok(api.post(people, person("iro", "Ida Reviewer")), 201)["id"],
    }
    (carer,) = [c for c in ok(api.get(people)) if c["role"] == "carer"]

    start = (today_uk() + timedelta(days=7)).isoformat()
    moved = ok(
        api.post(
            f"/api/v1/children/{child['id']}/placements",
            placement_body(
                "LS1 4AP",
                start_date=start,
                reason_for_change="CARPL",
                carer={
                    "name": "New Carer",
                    "email": "new@foster.example",
                    "phone": None,
                    "address": None,
                },
            ),
        ),
        201,
    )

    told = {
        (n["recipient"]["role"], n["recipient"]["code"] or n["recipient"]["name"]): (
            n["event"],
            n["status"],
        )
        for n in moved["notifications"]
    }
    assert told == {
        # reg 13(4): the area authority, of the start only (the old placement was ours)
        ("area_authority", LEEDS): ("placement_start", "pending"),
        # reg 13(2)(f): the health body where the child lives, told of both: one notice
        ("home_health_body", WORCESTERSHIRE_ICB): ("address_change", "pending"),
        # ... and, being different, the one where placed: of the start
        ("placement_health_body", WEST_YORKSHIRE_ICB): ("placement_start", "pending"),
        ("parent", "Mary Mother"): ("address_change", "pending"),
        # reg 13(3): listed, never sent
        ("parent", "Frank Father"): ("address_change", "withheld"),
        ("gp", "Dr Surgery"): ("address_change", "pending"),
        ("school", "Head Teacher"): ("address_change", "pending"),
        ("iro", "Ida Reviewer"): ("address_change", "pending"),
        # the outgoing carer: of the end (reg 14) and, as the person caring immediately
        # before, of the new placement (reg 13(2)(e)): one change-of-address notice
        ("previous_carer", "Pat Carer"): ("address_change", "pending"),
        # out of area: our SQA team is alerted
        ("sqa", "Safeguarding quality assurance team"): ("sqa_alert", "needs_address"),
    }
    assert len(moved["notifications"]) == len(told)
    outgoing = [n for n in moved["notifications"] if n["recipient"]["name"] == "Pat Carer"]
    assert outgoing[0]["recipient"]["email"] == "pat.carer@foster.example"
    rows = {n.id: n for n in db_session.scalars(select(Notification))}
    father = next(n for n in moved["notifications"] if n["recipient"]["name"] == "Frank Father")
    assert rows[int(father["id"])].sent_at is None
    assert "Team manager" in rows[int(father["id"])].withheld_reason
    # the move rotated the carers: the outgoing one ended on the new start
    after = {c["id"]: c for c in ok(api.get(people))}
    assert after[carer["id"]]["ended_on"] == start and not after[carer["id"]]["current"]
    (new_carer,) = [c for c in after.values() if c["role"] == "carer" and c["current"]]
    assert new_carer["placement_id"] == moved["id"] and new_carer["name"] == "New Carer"
    assert ids["father"] in after


def test_the_withholding_is_carried_to_the_end_notice(api, db_session):
    child = child_in_foster_care(api, db_session)
    people = f"/api/v1/children/{child['id']}/contacts"
    ok(api.post(people, person("parent", "Frank Father", withhold=WITHHOLD)), 201)
    start = (today_uk() + timedelta(days=7)).isoformat()
    moved = ok(
        api.post(
            f"/api/v1/children/{child['id']}/placements",
            placement_body("LS1 4AP", start_date=start),
        ),
        201,
    )
    end = (today_uk() + timedelta(days=20)).isoformat()
    ended = ok(
        api.post(
            f"/api/v1/children/{child['id']}/placements/{moved['id']}/end",
            {"end_date": end, "end_reason": "E4A", "destination": None},
        )
    )
    father = [n for n in ended["notifications"] if n["recipient"]["role"] == "parent"]
    assert [(n["event"], n["status"]) for n in father] == [("placement_end", "withheld")]


def test_a_new_gp_and_school_given_with_the_move_are_told_and_replace_the_old(api, db_session):
    child = child_in_foster_care(api, db_session)
    people = f"/api/v1/children/{child['id']}/contacts"
    old_gp = ok(api.post(people, person("gp", "Dr Old")), 201)
    start = (today_uk() + timedelta(days=7)).isoformat()
    moved = ok(
        api.post(
            f"/api/v1/children/{child['id']}/placements",
            placement_body(
                "LS1 4AP",
                start_date=start,
                new_gp={
                    "name": "Dr New",
                    "email": "new.gp@nhs.example",
                    "phone": None,
                    "address": None,
                    "organisation": "Leeds Practice",
                },
                school={
                    "name": "Leeds Academy",
                    "email": None,
                    "phone": None,
                    "address": {
                        "line_1": "1 School Lane",
                        "line_2": None,
                        "town": "Leeds",
                        "postcode": "ls1 4ap",
                    },
                },
            ),
        ),
        201,
    )
    told = {
        (n["recipient"]["role"], n["recipient"]["name"]): (n["event"], n["status"])
        for n in moved["notifications"]
        if n["recipient"]["kind"] == "contact"
    }
    assert told[("gp", "Dr Old")] == ("address_change", "pending")
    assert told[("new_gp", "Dr New")] == ("placement_start", "pending")
    # a postal address only: recorded, and its notice waits for an email address
    assert told[("school", "Leeds Academy")] == ("placement_start", "needs_address")
    now = {c["name"]: c for c in ok(api.get(people))}
    assert not now["Dr Old"]["current"] and now["Dr Old"]["ended_on"] == start
    assert now["Dr New"]["role"] == "gp" and now["Dr New"]["current"]
    assert now["Leeds Academy"]["address"]["postcode"] == "LS1 4AP"
    assert old_gp["id"] in {c["id"] for c in now.values()}


@pytest.mark.parametrize("role", ["child", "gp", "school", "iro", "police", "other"])
def test_only_parents_contact_holders_and_carers_may_be_withheld(api, db_session, role):
    child = ok(api.post("/api/v1/children", child_body()), 201)
    response = api.post(
        f"/api/v1/children/{child['id']}/contacts", person(role, "Some One", withhold=WITHHOLD)
    )
    assert response.status_code == 422
    assert "withhold" in response.get_json()["error"]["fields"]
    assert db_session.scalar(select(Contact).where(Contact.child_id == int(child["id"]))) is None


@pytest.mark.parametrize("role", ["parent", "contact_holder", "carer"])
def test_parents_contact_holders_and_carers_may_be_withheld(api, role):
    child = ok(api.post("/api/v1/children", child_body()), 201)
    made = ok(
        api.post(
            f"/api/v1/children/{child['id']}/contacts", person(role, "Some One", withhold=WITHHOLD)
        ),
        201,
    )
    assert made["role"] == role
    assert made["withhold"] == WITHHOLD


def test_a_person_with_no_address_is_recorded_and_their_notices_wait_for_one(api, db_session):
    child = child_in_foster_care(api, db_session)
    people = f"/api/v1/children/{child['id']}/contacts"
    made = ok(api.post(people, person("parent", "Mary Mother", email=None)), 201)
    assert made["needs_address"] is True
    start = (today_uk() + timedelta(days=7)).isoformat()
    moved = ok(
        api.post(
            f"/api/v1/children/{child['id']}/placements",
            placement_body("LS1 4AP", start_date=start),
        ),
        201,
    )
    (mother,) = [n for n in moved["notifications"] if n["recipient"]["name"] == "Mary Mother"]
    assert mother["status"] == "needs_address"

    changed = ok(api.patch(f"{people}/{made['id']}", {"email": "Mary@People.example"}))

    assert changed["email"] == "mary@people.example" and changed["name"] == "Mary Mother"
    row = db_session.get(Notification, int(mother["id"]))
    db_session.refresh(row)
    assert (row.status, row.address) == ("pending", "mary@people.example")
    audit = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api_person_change")
    ).one()
    assert audit.detail["changed"] == {"email": [None, "mary@people.example"]}


def test_ending_a_person_keeps_them_in_the_history_and_tells_them_nothing_more(api, db_session):
    child = child_in_foster_care(api, db_session)
    people = f"/api/v1/children/{child['id']}/contacts"
    made = ok(api.post(people, person("parent", "Mary Mother")), 201)

    ended = ok(api.delete(f"{people}/{made['id']}"))

    assert ended["ended_on"] == today_uk().isoformat() and ended["current"] is False
    assert made["id"] in {c["id"] for c in ok(api.get(people))}
    start = (today_uk() + timedelta(days=7)).isoformat()
    moved = ok(
        api.post(
            f"/api/v1/children/{child['id']}/placements",
            placement_body("LS1 4AP", start_date=start),
        ),
        201,
    )
    assert "Mary Mother" not in {n["recipient"]["name"] for n in moved["notifications"]}
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"api_person_record", "api_person_end", "api_people_view"} <= actions
    assert api.patch(f"{people}/{made['id']}", {"name": "X"}).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        "parent",
        {"role": "parent"},
        {"role": "aunt", "name": "A"},
        {"role": "parent", "name": ""},
        {"role": "parent", "name": "A", "email": "not an email"},
        {"role": "parent", "name": "A", "email": 12},
        {"role": "parent", "name": "A", "address": {"line_1": "1 Road"}},
        {"role": "parent", "name": "A", "address": {"line_1": "1 Road", "postcode": "nowhere"}},
        {"role": "parent", "name": "A", "address": "1 Road"},
        {"role": "parent", "name": "A", "withhold": {"reason": "risk"}},
        {"role": "parent", "name": "A", "withhold": {**WITHHOLD, "decided_on": "2999-01-01"}},
        {"role": "parent", "name": "A", "withhold": {**WITHHOLD, "decided_on": "yesterday"}},
        {"role": "parent", "name": "A\u0000"},
        {"role": "parent", "name": "A" * 201},
    ],
)
def test_a_malformed_person_is_refused_with_422_and_nothing_written(api, db_session, body):
    child = ok(api.post("/api/v1/children", child_body()), 201)
    response = api.post(f"/api/v1/children/{child['id']}/contacts", body)
    assert response.status_code in {400, 422}, response.get_json()
    assert response.get_json()["error"]["fields"] or response.status_code == 400
    assert db_session.scalar(select(Contact).where(Contact.child_id == int(child["id"]))) is None


@pytest.mark.parametrize(
    "patch",
    [
        {"role": "gp"},  # a GP cannot carry the father's reg 13(3) decision
        {"name": None},
        {"withhold": {"reason": "x"}},
        {"address": {"line_1": "1 Road", "postcode": "bad"}},
        {"email": "nope"},
    ],
)
def test_a_malformed_change_is_refused_and_changes_nothing(api, db_session, patch):
    child = ok(api.post("/api/v1/children", child_body()), 201)
    people = f"/api/v1/children/{child['id']}/contacts"
    made = ok(api.post(people, person("parent", "Frank Father", withhold=WITHHOLD)), 201)
    response = api.patch(f"{people}/{made['id']}", patch)
    assert response.status_code == 422, response.get_json()
    assert ok(api.get(f"{people}/{made['id']}")) == made


def test_another_authoritys_key_cannot_see_or_change_our_childs_people(api, client, db_session):
    child = ok(api.post("/api/v1/children", child_body()), 201)
    people = f"/api/v1/children/{child['id']}/contacts"
    made = ok(api.post(people, person("parent", "Mary Mother")), 201)
    # placements:write is ours alone now; a key of theirs issued before that rule is refused
    # on every call, whichever child it names
    theirs = bearer(
        create_api_client(db_session, authority="E10000024", issued_before_the_rule=True)
    )
    assert client.get(people, headers=theirs).status_code == 403
    assert client.delete(f"{people}/{made['id']}", headers=theirs).status_code == 403
    assert client.get(f"{people}/9{made['id']}", headers=theirs).status_code == 403
    assert (
        client.get(
            f"{people}/9{made['id']}", headers=bearer(create_api_client(db_session))
        ).status_code
        == 404
    )
