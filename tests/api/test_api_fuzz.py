"""Property: no body, however malformed, makes POST /api/v1/children answer 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.builders import bearer, child_body, create_api_client

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
# Mostly-plausible children with some fields replaced by anything at all, so the examples
# reach the service and the database as well as the schema.
plausible_children = st.builds(
    lambda base, over, dropped: {k: v for k, v in {**base, **over}.items() if k not in dropped},
    st.builds(child_body),
    st.dictionaries(st.sampled_from(sorted(child_body())), json_values, max_size=4),
    st.sets(st.sampled_from(sorted(child_body())), max_size=3),
)
# Valid children but for one free-text field, so odd strings reach the database itself.
TEXT_FIELDS = (
    "case_reference",
    "given_name",
    "family_name",
    "also_known_as",
    "ethnicity",
    "home_postcode",
    "risks",
)
one_odd_string = st.builds(
    lambda base, name, value: {**base, name: value},
    st.builds(child_body),
    st.sampled_from(TEXT_FIELDS),
    st.text(max_size=120)
    | st.sampled_from(["a\x00b", "\ud800", "x" * 5000, "\u202eevil", "\t", "𝔍𝔬"]),
)
bodies = json_values | plausible_children | one_odd_string
FUZZ_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_answered_properly(response):
    assert response.status_code in {201, 400, 409, 413, 415, 422}, response.get_data(as_text=True)
    if response.status_code != 201:
        error = response.get_json()["error"]
        assert error["status"] == response.status_code
        assert set(error) <= {"status", "code", "message", "fields"}


@FUZZ_SETTINGS
@given(body=bodies)
def test_any_json_body_gets_a_created_or_an_error_envelope_never_a_500(client, db_session, body):
    key = create_api_client(db_session)

    response = client.post(
        "/api/v1/children",
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(key),
    )

    assert_answered_properly(response)


# PostgreSQL refuses what SQLite stores (NUL characters, strings longer than a column).
@pytest.mark.postgres
@FUZZ_SETTINGS
@given(body=bodies)
def test_any_json_body_on_postgresql_gets_a_created_or_an_error_envelope_never_a_500(
    pg_app, pg_session, body
):
    key = create_api_client(pg_session)

    response = pg_app.test_client().post(
        "/api/v1/children",
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(key),
    )

    assert_answered_properly(response)


@FUZZ_SETTINGS
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_sent_as_json_get_an_answer_never_a_500(client, db_session, raw):
    key = create_api_client(db_session)

    response = client.post(
        "/api/v1/children", data=raw, content_type="application/json", headers=bearer(key)
    )

    assert_answered_properly(response)
