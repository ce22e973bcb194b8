"""Property: no body, however malformed, makes the child's people API answer 500, and a
refused one writes nothing."""

import json

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from models import Contact
from tests.api.test_api_fuzz import FUZZ_SETTINGS, json_values
from tests.support.builders import bearer, child_body, create_api_client

PERSON = {
    "role": "parent",
    "name": "Mary Mother",
    "organisation": None,
    "email": "mary@people.example",
    "phone": None,
    "address": {"line_1": "1 Road", "line_2": None, "town": None, "postcode": "WR1 2NA"},
    "withhold": {"reason": "risk", "decided_by": "Team manager", "decided_on": "2026-01-05"},
}
plausible_people = st.builds(
    lambda over, dropped: {k: v for k, v in {**PERSON, **over}.items() if k not in dropped},
    st.dictionaries(st.sampled_from(sorted(PERSON)), json_values, max_size=3),
    st.sets(st.sampled_from(sorted(PERSON)), max_size=3),
)
bodies = json_values | plausible_people


def _child(client, key):
    response = client.post("/api/v1/children", json=child_body(), headers=bearer(key))
    assert response.status_code == 201
    return response.get_json()["id"]


def _people(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(Contact)) or 0


@FUZZ_SETTINGS
@given(body=bodies)
def test_any_person_body_gets_created_or_an_error_envelope_never_a_500(client, db_session, body):
    key = create_api_client(db_session)
    child_id = _child(client, key)
    before = _people(db_session)
    response = client.post(
        f"/api/v1/children/{child_id}/contacts",
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(key),
    )
    assert response.status_code in {201, 400, 422}, response.get_data(as_text=True)
    assert _people(db_session) == before + (1 if response.status_code == 201 else 0)


@FUZZ_SETTINGS
@given(body=bodies)
def test_any_change_gets_an_answer_never_a_500(client, db_session, body):
    key = create_api_client(db_session)
    child_id = _child(client, key)
    made = client.post(f"/api/v1/children/{child_id}/contacts", json=PERSON, headers=bearer(key))
    assert made.status_code == 201
    response = client.patch(
        f"/api/v1/children/{child_id}/contacts/{made.get_json()['id']}",
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(key),
    )
    assert response.status_code in {200, 400, 422}, response.get_data(as_text=True)
