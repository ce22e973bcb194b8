"""Keys, scopes and request bodies: every refusal in API.md's envelope, none a 500."""

import io

import pytest
from sqlalchemy import select

from models import ApiClient, AuditEvent
from models.base import utcnow
from notify.apikit import API_BODY_LIMIT
from tests.support.builders import bearer, child_body, create_api_client
from tests.support.requests import expect_status


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_a_request_without_a_key_is_refused_and_told_how_to_authenticate(client, db_session):
    response = client.get("/api/v1/children")
    assert response.status_code == 401

    assert_envelope(response, 401, "unauthorised")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer pn_00000000.not-a-key",
        "Bearer not-even-a-prefix",
        "pn_00000000.bare-key-without-scheme",
    ],
)
def test_a_missing_malformed_or_unknown_key_is_refused(client, db_session, header):
    response = client.get("/api/v1/children", headers={"Authorization": header})
    assert response.status_code == 401

    assert_envelope(response, 401, "unauthorised")


def test_a_key_with_a_known_prefix_but_the_wrong_secret_is_refused(client, db_session):
    key = create_api_client(db_session)
    prefix = key.partition(".")[0]

    response = client.get("/api/v1/children", headers=bearer(f"{prefix}.guessed-secret"))
    assert response.status_code == 401

    assert_envelope(response, 401, "unauthorised")


def test_a_revoked_key_is_refused(client, db_session):
    key = create_api_client(db_session)
    client_row = db_session.scalar(
        select(ApiClient).where(ApiClient.key_prefix == key.partition(".")[0])
    )
    client_row.revoked_at = utcnow()
    db_session.commit()

    response = client.get("/api/v1/children", headers=bearer(key))
    assert response.status_code == 401

    assert_envelope(response, 401, "unauthorised")


def test_a_key_without_the_scope_is_forbidden_before_its_body_is_read(client, db_session):
    key = create_api_client(db_session, scopes=("inbound:write", "notifications:read"))

    response = client.post(
        "/api/v1/children", data="not json", headers=bearer(key), content_type="text/plain"
    )
    assert response.status_code == 403

    error = assert_envelope(response, 403, "forbidden")
    assert "placements:write" in error["message"]


def test_a_good_key_is_accepted_and_its_use_recorded(client, db_session):
    key = create_api_client(db_session)

    response = client.get("/api/v1/children", headers=bearer(key))

    assert response.status_code == 200
    row = db_session.scalar(select(ApiClient).where(ApiClient.key_prefix == key.partition(".")[0]))
    assert row.last_used_at is not None
    audit = db_session.scalars(
        select(AuditEvent).where(AuditEvent.api_key_prefix == row.key_prefix)
    )
    assert [a.action for a in audit] == ["api_child_search"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("", "application/json"),
        ("{", "application/json"),
        ('{"given_name": "Jo",}', "application/json"),
        ("{'single': 'quotes'}", "application/json"),
        ('{"n": NaN}', "application/json"),
        ('{"n": Infinity}', "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ('{"n": ' + "9" * 5000 + "}", "application/json"),
        (b'{"given_name": "\xff\xfe"}', "application/json"),
        (b"\xef\xbb\xbf{}", "application/json"),
    ],
)
def test_a_body_that_is_not_json_is_a_bad_request(client, db_session, body, content_type):
    key = create_api_client(db_session)

    response = client.post(
        "/api/v1/children", data=body, content_type=content_type, headers=bearer(key)
    )
    assert response.status_code == 400

    assert_envelope(response, 400, "bad_request")


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "application/vnd.example+json"],
)
def test_any_json_media_type_is_read_and_validated(client, db_session, content_type):
    key = create_api_client(db_session)

    response = client.post(
        "/api/v1/children", data="{}", content_type=content_type, headers=bearer(key)
    )
    assert response.status_code == 422

    assert_envelope(response, 422, "validation_failed")


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/json; charset=latin-1",
    ],
)
def test_a_body_that_is_not_sent_as_json_is_an_unsupported_media_type(
    client, db_session, content_type
):
    key = create_api_client(db_session)
    headers = bearer(key) | ({"Content-Type": content_type} if content_type else {})

    response = client.post("/api/v1/children", data='{"a": 1}', headers=headers)
    assert response.status_code == 415

    assert_envelope(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("size", [API_BODY_LIMIT + 1, 3 * 1024 * 1024])
def test_a_body_over_256_kib_is_too_large_even_below_the_limit_for_forms(client, db_session, size):
    key = create_api_client(db_session)
    body = '{"risks": "' + "x" * (size - 13) + '"}'

    response = client.post(
        "/api/v1/children", data=body, content_type="application/json", headers=bearer(key)
    )
    assert response.status_code == 413

    assert len(body) == size
    assert_envelope(response, 413, "too_large")


def test_a_body_sent_without_a_length_is_cut_off_at_256_kib(client, db_session):
    key = create_api_client(db_session)
    body = ('{"risks": "' + "x" * API_BODY_LIMIT + '"}').encode()

    response = client.post(
        "/api/v1/children",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers=bearer(key),
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413

    assert_envelope(response, 413, "too_large")


def test_a_body_under_the_limit_is_read_and_validated(client, db_session):
    key = create_api_client(db_session)
    body = child_body(risks="x" * (API_BODY_LIMIT - 1024))

    response = client.post("/api/v1/children", json=body, headers=bearer(key))
    assert response.status_code == 422

    error = assert_envelope(response, 422, "validation_failed")
    assert list(error["fields"]) == ["risks"]


def test_an_unknown_api_path_and_a_wrong_method_answer_in_the_envelope(client, db_session):
    assert_envelope(expect_status(client.get("/api/v1/nothing-here"), 404), 404, "not_found")
    assert_envelope(
        expect_status(client.delete("/api/v1/children"), 405), 405, "method_not_allowed"
    )
