"""An id too big for the column names no row: every route with one answers 404, never an
overflow from the database (issue 14: 2**63 and more crashed 15 routes on SQLite; on
PostgreSQL, whose id columns are 32-bit, 2**31 did)."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from notify.apikeys.service import API_SCOPES
from tests.support.builders import bearer, create_api_client
from tests.support.requests import sign_in
from tests.support.routes import fill, rules

# past the INTEGER columns of PostgreSQL (32 bits), of SQLite (64 bits), and far past both
TOO_BIG = [2**31, 2**63, 10**40]
LARGEST = 2**31 - 1  # the largest a row id can be: a real lookup, and no row


def _id_names(rule: Rule) -> list[str]:
    return sorted(name for name in rule.arguments if name.endswith("_id"))


def _others(rule: Rule) -> dict[str, object]:
    # the other arguments, any text: the id is what must fail first
    return {name: "x" for name in rule.arguments if not name.endswith("_id")}


def _client(app: Flask, session: Session, actor: str) -> FlaskClient:
    client = app.test_client()
    if actor == "case system":
        key = create_api_client(session, scopes=API_SCOPES)
        client.environ_base["HTTP_AUTHORIZATION"] = bearer(key)["Authorization"]
    elif actor != "nobody":
        sign_in(client, session, actor)
    return client


def _routes_with_ids(app: Flask, method: str) -> list[Rule]:
    return [r for r in rules(app, method) if _id_names(r)]


def _expected(rule: Rule, actor: str, method: str) -> int | None:
    """404 for every page; the API first asks for a key (401), and reads a body it is sent
    (422) before the id, so there only a key's reads are walked."""
    if not rule.rule.startswith("/api/"):
        return 404
    if actor != "case system":
        return 401
    return 404 if method in {"GET", "DELETE"} else None


@pytest.mark.parametrize("actor", ["nobody", "admin", "social_worker", "case system"])
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
def test_an_id_too_big_for_the_column_is_not_found_on_every_route(
    app: Flask, db_session: Session, actor: str, method: str
) -> None:
    client = _client(app, db_session, actor)
    walked = 0
    for rule in _routes_with_ids(app, method):
        if (expected := _expected(rule, actor, method)) is None:
            continue
        for number in TOO_BIG:
            url = fill(rule, _others(rule) | dict.fromkeys(_id_names(rule), number))
            response = client.open(url, method=method, json={})
            assert response.status_code == expected, f"{actor}: {method} {url} ({rule.endpoint})"
            walked += 1
    if method in {"GET", "POST"}:
        assert walked > 30  # the walk found the routes, or it tested nothing


@pytest.mark.parametrize("actor", ["admin", "case system"])
def test_the_largest_id_a_row_can_have_is_looked_up_and_found_to_be_nothing(
    app: Flask, db_session: Session, actor: str
) -> None:
    client = _client(app, db_session, actor)
    for rule in _routes_with_ids(app, "GET"):
        url = fill(rule, _others(rule) | dict.fromkeys(_id_names(rule), LARGEST))
        # no overflow: a view that raised would fail this test (exceptions propagate here)
        assert client.get(url).status_code in {302, 400, 401, 403, 404}, url


def test_the_converter_still_reads_an_ordinary_id(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, "social_worker")

    assert client.get("/children/00012").status_code == 404  # leading zeros: not our form
    assert client.get(f"/children/{LARGEST}").status_code == 404


@pytest.mark.postgres
@pytest.mark.parametrize("actor", ["admin", "case system"])
def test_on_postgresql_the_largest_id_and_the_next_are_not_found_never_an_error(
    pg_app: Flask, pg_session: Session, actor: str
) -> None:
    # The id columns are INTEGER there: 2**31 would be "integer out of range" in the query
    client = _client(pg_app, pg_session, actor)
    for rule in _routes_with_ids(pg_app, "GET"):
        for number in (LARGEST, LARGEST + 1):
            url = fill(rule, _others(rule) | dict.fromkeys(_id_names(rule), number))
            assert client.get(url).status_code in {302, 400, 401, 403, 404}, url
