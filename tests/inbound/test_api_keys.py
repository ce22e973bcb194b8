"""API keys: `flask api-keys list` and `revoke`, and the administrator's page that lists,
creates (showing the key once) and revokes them. Never the key itself, once made."""

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ApiClient, AuditEvent, Child
from notify.apikeys.cli import api_keys
from tests.support.builders import (
    HEREFORDSHIRE,
    NOTTINGHAMSHIRE,
    bearer,
    child_body,
    create_api_client,
)
from tests.support.requests import INBOUND_NOTICES, expect_status, sign_in

KEY = re.compile(r"pn_[0-9a-f]{8}\.[A-Za-z0-9_-]{20,}")


def _client_of(session: Session, key: str) -> ApiClient:
    row = session.scalar(select(ApiClient).where(ApiClient.key_prefix == key.split(".")[0]))
    assert row is not None
    return row


# --- the command line ------------------------------------------------------------------------


def test_list_shows_each_keys_prefix_authority_scopes_and_use_but_never_the_key(
    app: Flask, db_session: Session
) -> None:
    used = create_api_client(db_session, authority=NOTTINGHAMSHIRE, scopes=("inbound:write",))
    unused = create_api_client(db_session, authority=HEREFORDSHIRE, scopes=("notifications:read",))
    assert app.test_client().get(INBOUND_NOTICES, headers=bearer(used)).status_code == 200

    result = app.test_cli_runner().invoke(api_keys, ["list"])

    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    used_line, unused_line = lines[used.split(".")[0]], lines[unused.split(".")[0]]
    assert NOTTINGHAMSHIRE in used_line and "inbound:write" in used_line
    assert "never" not in used_line and "never" in unused_line
    assert HEREFORDSHIRE in unused_line and "notifications:read" in unused_line
    for key in (used, unused):
        assert key.split(".")[1] not in result.output
        assert _client_of(db_session, key).key_hash not in result.output


def test_revoke_refuses_the_key_at_once_and_is_audited(app: Flask, db_session: Session) -> None:
    key = create_api_client(db_session, authority=NOTTINGHAMSHIRE, scopes=("inbound:write",))
    prefix = key.split(".")[0]

    result = app.test_cli_runner().invoke(api_keys, ["revoke", prefix])

    assert result.exit_code == 0, result.output
    assert f"Revoked key {prefix}" in result.output
    assert app.test_client().get(INBOUND_NOTICES, headers=bearer(key)).status_code == 401
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "api_key_revoke"))
    assert event is not None and event.detail == {"prefix": prefix}
    listed = app.test_cli_runner().invoke(api_keys, ["list"]).output
    [line] = [line for line in listed.splitlines() if line.startswith(prefix)]
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+case system$", line)


def test_revoking_again_says_so_and_succeeds(app: Flask, db_session: Session) -> None:
    prefix = create_api_client(db_session).split(".")[0]
    runner = app.test_cli_runner()
    runner.invoke(api_keys, ["revoke", prefix])

    again = runner.invoke(api_keys, ["revoke", prefix])

    assert again.exit_code == 0
    assert "already revoked" in again.output


def test_revoking_an_unknown_prefix_fails_with_a_clear_message(
    app: Flask, db_session: Session
) -> None:
    result = app.test_cli_runner().invoke(api_keys, ["revoke", "pn_00000000"])

    assert result.exit_code == 1
    assert "No API key has the prefix 'pn_00000000'" in result.output


# --- the administrator's page ----------------------------------------------------------------


def test_only_an_administrator_may_see_the_keys(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, role="business_support")

    assert client.get("/api-keys").status_code == 403
    assert client.post("/api-keys/new", data={}).status_code == 403


def test_an_administrator_creates_a_key_and_sees_it_once_with_a_warning(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, role="admin")

    response = client.post(
        "/api-keys/new",
        data={
            "name": "Notts Mosaic",
            "authority_code": " e10000024 ",
            "scopes": ["inbound:write", "notifications:read"],
        },
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Copy the key now" in page
    assert response.headers["Cache-Control"] == "no-store"
    [key] = KEY.findall(page)
    row = _client_of(db_session, key)
    assert (row.authority_code, row.scopes) == (NOTTINGHAMSHIRE, "inbound:write notifications:read")
    assert client.get(INBOUND_NOTICES, headers=bearer(key)).status_code == 200
    listing = expect_status(client.get("/api-keys"), 200).get_data(as_text=True)
    assert row.key_prefix in listing and key not in listing
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "api_key_create"))
    assert event is not None and event.detail["prefix"] == row.key_prefix


def test_a_new_key_form_with_problems_says_what_to_fix_and_makes_no_key(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, role="admin")
    before = len(db_session.scalars(select(ApiClient)).all())

    missing = client.post("/api-keys/new", data={"name": "", "authority_code": "Notts"})
    assert missing.status_code == 200
    unknown = client.post(
        "/api-keys/new",
        data={"name": "x", "authority_code": "E99999999", "scopes": ["inbound:write"]},
    )
    assert unknown.status_code == 200

    text = missing.get_data(as_text=True)
    assert "Enter what the key is for" in text
    assert "Enter an ONS code" in text
    assert "Choose at least one thing the key may do" in text
    assert "No authority has the code" in unknown.get_data(as_text=True)
    assert len(db_session.scalars(select(ApiClient)).all()) == before


def test_a_key_that_records_placements_is_refused_to_another_council(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, role="admin")
    before = len(db_session.scalars(select(ApiClient)).all())

    refused = client.post(
        "/api-keys/new",
        data={
            "name": "Notts Mosaic",
            "authority_code": NOTTINGHAMSHIRE,
            "scopes": ["inbound:write", "placements:write"],
        },
    )

    page = expect_status(refused, 200).get_data(as_text=True)
    assert (
        '<a href="#scopes">placements:write is for our own case-management system only: a key '
        "for Nottinghamshire may not have it</a>"
    ) in page
    assert len(db_session.scalars(select(ApiClient)).all()) == before
    ours = client.post(
        "/api-keys/new",
        data={"name": "Our Mosaic", "authority_code": "E10000034", "scopes": ["placements:write"]},
    )
    assert KEY.findall(expect_status(ours, 200).get_data(as_text=True))


def test_the_command_refuses_another_council_a_key_that_records_placements(
    app: Flask, db_session: Session
) -> None:
    before = len(db_session.scalars(select(ApiClient)).all())
    result = app.test_cli_runner().invoke(
        api_keys,
        ["create", "--authority", NOTTINGHAMSHIRE, "--scope", "placements:write", "--name", "N"],
    )

    assert result.exit_code == 1
    assert "placements:write is for our own case-management system only" in result.output
    assert len(db_session.scalars(select(ApiClient)).all()) == before


def test_a_placements_key_of_another_council_made_before_the_rule_is_refused(
    client: FlaskClient, db_session: Session
) -> None:
    old = create_api_client(db_session, authority=NOTTINGHAMSHIRE, issued_before_the_rule=True)
    children = len(db_session.scalars(select(Child)).all())

    response = client.post("/api/v1/children", json=child_body(), headers=bearer(old))

    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == (
        "The placements:write scope is for our own authority's systems only."
    )
    assert len(db_session.scalars(select(Child)).all()) == children


def test_an_administrator_revokes_a_key_after_confirming(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, role="admin")
    key = create_api_client(db_session, authority=NOTTINGHAMSHIRE, scopes=("inbound:write",))
    prefix = key.split(".")[0]

    confirm = client.get(f"/api-keys/{prefix}/revoke")
    revoked = client.post(f"/api-keys/{prefix}/revoke", follow_redirects=True)

    assert confirm.status_code == 200 and "cannot be undone" in confirm.get_data(as_text=True)
    assert revoked.status_code == 200
    assert f"Key {prefix} (case system) revoked." in revoked.get_data(as_text=True)
    assert _client_of(db_session, key).revoked_at is not None
    assert client.get(INBOUND_NOTICES, headers=bearer(key)).status_code == 401
    assert client.post("/api-keys/pn_00000000/revoke").status_code == 404
