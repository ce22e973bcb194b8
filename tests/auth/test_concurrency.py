"""Sessions and sign-ins under requests at the same moment: failures racing for one address
are all counted, and two tabs saving different parts of one session keep both."""

import threading
from hashlib import sha256

import pytest
from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import AuditEvent, SignInThrottle, User, WebSession
from notify.auth import lock_policy
from notify.auth.sessions import ServerSession
from notify.extensions import db
from tests.support.builders import create_user

RACERS = 4


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_failed_sign_ins_at_once_for_one_address_are_each_counted(
    engine: str, request: pytest.FixtureRequest
) -> None:
    app: Flask = request.getfixturevalue("app" if engine == "sqlite" else "pg_app")
    with app.app_context():
        user = create_user(db.session)
        db.session.commit()
        email, user_id = user.email, user.id
    ready, statuses = threading.Barrier(RACERS), []

    def fail() -> None:
        client = app.test_client()
        ready.wait()
        response = client.post("/sign-in", data={"email": email, "password": "not this one"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=fail) for _ in range(RACERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert statuses == [200] * RACERS
        with app.app_context(), app.test_request_context():
            key = lock_policy().address_key(email)
            throttle = db.session.get(SignInThrottle, key)
            assert throttle is not None and throttle.failures == RACERS
    finally:
        with app.app_context(), app.test_request_context():
            db.session.execute(
                delete(SignInThrottle).where(
                    SignInThrottle.email_hash == lock_policy().address_key(email)
                )
            )
            db.session.execute(delete(AuditEvent).where(AuditEvent.subject_id == str(user_id)))
            db.session.execute(delete(User).where(User.id == user_id))
            db.session.commit()


def test_two_requests_of_one_session_saving_different_keys_keep_both(
    app: Flask, db_session: Session
) -> None:
    """What two tabs recording moves for two children do at once: each request changed its own
    draft, and the later save must not put back the session as the first found it."""
    interface = app.session_interface
    with app.test_request_context():
        first = ServerSession({"kept": 1})
        response = app.response_class()
        interface.save_session(app, first, response)
        token = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    cookie = {"Cookie": f"session={token}"}

    with app.test_request_context(headers=cookie):
        tab_one = interface.open_session(app, app.test_request_context(headers=cookie).request)
        tab_two = interface.open_session(app, app.test_request_context(headers=cookie).request)
        assert isinstance(tab_one, ServerSession) and isinstance(tab_two, ServerSession)
        tab_one["move-draft:1"] = {"postcode": "B1 1BB"}
        tab_two["move-draft:2"] = {"postcode": "HR1 1AA"}
        tab_two.pop("kept")
        interface.save_session(app, tab_one, app.response_class())
        interface.save_session(app, tab_two, app.response_class())

        again = interface.open_session(app, app.test_request_context(headers=cookie).request)
    assert dict(again) == {  # type: ignore[call-overload]
        "move-draft:1": {"postcode": "B1 1BB"},
        "move-draft:2": {"postcode": "HR1 1AA"},
    }
    row = db_session.scalar(
        select(WebSession).where(WebSession.token_hash == sha256(token.encode()).hexdigest())
    )
    assert row is not None and row.ended_at is None
