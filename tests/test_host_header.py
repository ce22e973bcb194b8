"""The Host header is the client's to choose: no address the service gives back is built
from it (issue 14). Absolute addresses come from BASE_URL."""

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from models.enums import Role
from tests.support.builders import SIGN_IN_PASSWORD, create_user
from tests.support.requests import sign_in
from tests.support.routes import urls

FORGED = "evil.example"
SAMPLES: dict[str, list[object]] = (
    {
        name: [1]
        for name in (
            "child_id",
            "placement_id",
            "person_id",
            "contact_id",
            "notification_id",
            "notice_id",
            "import_id",
        )
    }
    | {
        name: ["x"]
        for name in ("token", "prefix", "kind", "name", "need", "level", "section", "code")
    }
    | {"filename": ["app.css"], "message_id": ["1"]}
)


def test_a_doubled_slash_is_redirected_to_our_own_address_not_the_forged_host(
    app: Flask, db_session: Session
) -> None:
    client = app.test_client()

    response = client.get("/children//1", headers={"Host": FORGED})

    assert response.status_code == 308
    assert response.headers["Location"] == "http://notify.test/children/1"  # BASE_URL


@pytest.mark.parametrize("actor", ["nobody", Role.ADMIN])
def test_no_route_answers_with_the_forged_host(app: Flask, db_session: Session, actor: str) -> None:
    client = app.test_client()
    if actor != "nobody":
        sign_in(client, db_session, actor)
    seen = 0
    for rule, url in urls(app, SAMPLES):
        # as asked, and with its slashes doubled (which Werkzeug redirects itself)
        for path in (url, url.replace("/", "//", 2).replace("///", "//")):
            with client.get(path, headers={"Host": FORGED}) as response:
                seen += 1
                where = f"{actor}: GET {path} ({rule.endpoint}): {response.status_code}"
                location = response.headers.get("Location", "")
                assert FORGED not in location, where
                assert location.startswith(("/", "http://notify.test/")) or not location, where
                assert FORGED.encode() not in response.get_data(), where
    assert seen > 100


def test_signing_in_sends_the_person_on_to_a_path_never_to_the_forged_host(
    app: Flask, db_session: Session
) -> None:
    user = create_user(db_session, "social_worker")
    db_session.commit()
    client = app.test_client()

    response = client.post(
        "/sign-in?next=http://evil.example/children",
        data={"email": user.email, "password": SIGN_IN_PASSWORD},
        headers={"Host": FORGED},
    )

    assert response.status_code == 302
    assert FORGED not in response.headers["Location"]
