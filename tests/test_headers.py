"""Security headers on every response (issue 14): walk every route that answers GET, as each
role, as nobody and as a case system's key, and check what the browser is told."""

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from models.enums import Role
from notify import create_app
from notify.config import for_testing
from notify.dashboard.lists import NoticeList, PlacementList
from notify.dashboard.views import PANELS
from notify.mywork.queries import Need
from notify.notifications.tokens import acknowledge_token
from tests.support.builders import (
    BIRMINGHAM,
    bearer,
    create_api_client,
    create_contact,
    create_inbound_notice,
    create_world,
)
from tests.support.requests import sign_in
from tests.support.routes import urls

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
NONCE = re.compile(r"'nonce-([^']+)'")
ACTORS = ["nobody", "case system", *Role]


@pytest.fixture
def samples(db_session: Session) -> dict[str, list[object]]:
    """A real value for each route argument: the pages render, not only their 404s."""
    world = create_world(db_session)
    child, placement = world.children["c1"], world.placements["c1"]
    person = create_contact(db_session, child, "gp")
    notice = create_inbound_notice(db_session)
    db_session.commit()
    return {
        "child_id": [child.id],
        "placement_id": [placement.id],
        "person_id": [person.id],
        "contact_id": [person.id],
        "notification_id": [world.notices["n1"].id],
        "notice_id": [notice.id],
        "token": [acknowledge_token(world.notices["n1"].id)],
        "import_id": [1],
        "prefix": ["pn_nokey"],
        "filename": ["app.css", "init.js", "govuk-frontend.min.js"],
        "kind": [NoticeList.AWAITING.value, PlacementList.OUT_OF_AREA.value],
        "name": list(PANELS),
        "need": [Need.LATE.value],
        "level": ["nominated_officer"],
        "section": ["authorities"],
        "code": [BIRMINGHAM],
        "message_id": ["1"],
    }


def client_as(app: Flask, session: Session, actor: str) -> FlaskClient:
    client = app.test_client()
    if actor == "case system":
        key = create_api_client(session, scopes=("placements:write", "notifications:read"))
        client.environ_base["HTTP_AUTHORIZATION"] = bearer(key)["Authorization"]
    elif actor != "nobody":
        sign_in(client, session, actor)
    return client


def responses(
    app: Flask, session: Session, samples: dict[str, list[object]], actor: str
) -> Iterator[tuple[str, TestResponse]]:
    client = client_as(app, session, actor)
    for rule, url in urls(app, samples):
        response = client.get(url)
        yield f"{actor}: GET {url} ({rule.endpoint})", response
        response.close()  # a file sent (an asset) is open until then


@pytest.mark.parametrize("actor", ACTORS)
def test_every_response_forbids_framing_sniffing_and_foreign_scripts(
    app: Flask, db_session: Session, samples: dict[str, list[object]], actor: str
) -> None:
    statuses = set()
    for where, response in responses(app, db_session, samples, actor):
        statuses.add(response.status_code)
        headers = response.headers
        policy = headers.get("Content-Security-Policy", "")
        if response.request.path.startswith("/dev/sent-mail/") and response.status_code == 200:
            continue  # the sandboxed frame of a kept message: tested on its own (devmail)
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
        )
        assert directives.get("default-src") == "'self'", where
        assert directives.get("frame-ancestors") == "'none'", where
        assert directives.get("object-src") == "'none'", where
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
        assert headers.get("X-Frame-Options") == "DENY", where
        assert headers.get("X-Content-Type-Options") == "nosniff", where
        assert headers.get("Referrer-Policy") in {"no-referrer", "same-origin"}, where
        assert "Strict-Transport-Security" not in headers, f"{where}: HSTS outside production"
        if response.request.path.startswith("/assets/"):
            assert "no-store" not in headers.get("Cache-Control", ""), where
        else:
            assert headers.get("Cache-Control") == "no-store", where
    # the walk reached real pages, not only refusals
    assert 200 in statuses


@pytest.mark.parametrize("actor", ["nobody", Role.SQA_OFFICER, Role.ADMIN, Role.SOCIAL_WORKER])
def test_every_page_runs_only_scripts_the_policy_allows_and_has_no_inline_style(
    app: Flask, db_session: Session, samples: dict[str, list[object]], actor: str
) -> None:
    pages = 0
    for where, response in responses(app, db_session, samples, actor):
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        pages += 1
        html = response.get_data(as_text=True)
        nonces = NONCE.findall(response.headers["Content-Security-Policy"])
        assert len(nonces) == 1, where
        for attributes in SCRIPT.findall(html):
            if "src=" not in attributes:
                assert f'nonce="{nonces[0]}"' in attributes, f"{where}: inline script, no nonce"
        assert not re.search(r"\sstyle=|<style", html, re.IGNORECASE), f"{where}: inline style"
    assert pages > 5


def test_each_response_has_a_nonce_of_its_own(client: FlaskClient) -> None:
    first = client.get("/sign-in").headers["Content-Security-Policy"]
    second = client.get("/sign-in").headers["Content-Security-Policy"]

    assert NONCE.findall(first) != NONCE.findall(second)


def test_production_tells_browsers_to_use_https_only(app: Flask, db_session: Session) -> None:
    production = create_app(
        {**for_testing(app.config["SQLALCHEMY_DATABASE_URI"]), "ENV_NAME": "production"}
    )
    client = production.test_client()

    for url in ("/sign-in", "/children/1", "/api/v1/children", "/assets/app.css", "/missing"):
        with client.get(url) as response:
            hsts = response.headers.get("Strict-Transport-Security", "")
        assert re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts), url
        assert int(hsts.split("=")[1].split(";")[0]) >= 31536000, url


def test_a_page_with_a_childs_data_is_not_kept_by_the_browser(
    client: FlaskClient, db_session: Session
) -> None:
    world = create_world(db_session)
    sign_in(client, db_session, Role.SOCIAL_WORKER)

    response = client.get(f"/children/{world.children['c1'].id}")

    assert response.status_code == 200
    assert "Bea" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
