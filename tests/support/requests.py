"""Requests in the tests: by endpoint name, each answer's status asserted, and the one way
of signing in (loaded for the whole suite by `pytest_plugins`).

    client_request.get("placements.child", child_id=child.id)
    client_request.post("placements.end", child_id=child.id, _data=form)  # 302 expected
    client_request.post("api.children", _json=body, _headers=bearer(key), _expected_status=201)
"""

import json
from typing import Any

import pytest
from flask import url_for
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from models import User
from tests.support.builders import SIGN_IN_PASSWORD, bearer, create_user


def sign_in(
    client: FlaskClient, session: Session, role: str = "social_worker", **over: Any
) -> User:
    """Add a user with `role` and sign the test client in as them."""
    user = create_user(session, role, **over)
    session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": SIGN_IN_PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return user


def expect_status(response: TestResponse, status: int) -> TestResponse:
    """`response`, once its status is asserted to be `status` (for a request made inline)."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.path}: {response.status_code}, "
        f"expected {status}: {response.get_data(as_text=True)[:500]}"
    )
    return response


INBOUND_NOTICES = "/api/v1/inbound-notices"


def post_notice(client: FlaskClient, key: str, body: Any, **kw: Any) -> TestResponse:
    """POST `body` (JSON, or bytes/str as they are) to the inbound notices API with `key`."""
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    kw.setdefault("content_type", "application/json")
    return client.post(INBOUND_NOTICES, data=data, headers=bearer(key), **kw)


class ClientRequest:
    """The test client, addressed by endpoint name, failing the test on any other status
    than the one expected (200 for a page, 302 for a form posted and redirected)."""

    def __init__(self, client: FlaskClient, session: Session) -> None:
        self.client = client
        self.session = session

    def sign_in(self, role: str = "social_worker", **over: Any) -> User:
        return sign_in(self.client, self.session, role, **over)

    def url(self, endpoint: str, **values: Any) -> str:
        with self.client.application.test_request_context():
            return url_for(endpoint, **values)

    def get(self, endpoint: str, *, _expected_status: int = 200, **values: Any) -> TestResponse:
        return self._call("GET", endpoint, _expected_status, values)

    def post(self, endpoint: str, *, _expected_status: int = 302, **values: Any) -> TestResponse:
        return self._call("POST", endpoint, _expected_status, values)

    def put(self, endpoint: str, *, _expected_status: int = 200, **values: Any) -> TestResponse:
        return self._call("PUT", endpoint, _expected_status, values)

    def patch(self, endpoint: str, *, _expected_status: int = 200, **values: Any) -> TestResponse:
        return self._call("PATCH", endpoint, _expected_status, values)

    def delete(self, endpoint: str, *, _expected_status: int = 204, **values: Any) -> TestResponse:
        return self._call("DELETE", endpoint, _expected_status, values)

    def _call(
        self, method: str, endpoint: str, expected: int, values: dict[str, Any]
    ) -> TestResponse:
        # Arguments starting with "_" are the request's own; the rest build the URL.
        options = {name[1:]: values.pop(name) for name in list(values) if name.startswith("_")}
        return expect_status(
            self.client.open(self.url(endpoint, **values), method=method, **options), expected
        )


@pytest.fixture
def client_request(client: FlaskClient, db_session: Session) -> ClientRequest:
    return ClientRequest(client, db_session)
