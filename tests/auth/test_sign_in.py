"""Signing in (issue 14): as long for an unknown address as for a known one, every failure
audited, and an address locked after repeated failures."""

import statistics
import time
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import AuditEvent, SignInThrottle, User
from models.base import utcnow
from tests.placements.test_views import text
from tests.support.builders import SIGN_IN_PASSWORD, create_user
from tests.support.requests import expect_status

UNKNOWN = "nobody.here@worcestershire.example"
WRONG_PASSWORD = "not the right password"
LOCK_AFTER = 5  # NOTIFY_SIGN_IN_LOCK_AFTER's default
LOCKED = "too many failed attempts to sign in with this email address"
NO_MATCH = "Enter a correct email address and password"


def attempt(client: FlaskClient, email: str, password: str = WRONG_PASSWORD) -> Any:
    return client.post("/sign-in", data={"email": email, "password": password})


def refused(response: Any) -> str:
    """The page's words, once it is known to be the sign-in form again (no one signed in)."""
    expect_status(response, 200)
    return text(response)


def known_user(db_session: Session) -> User:
    user = create_user(db_session)
    db_session.commit()
    return user


# --- Timing -------------------------------------------------------------------------------------

ROUNDS = 9
# "Within a few milliseconds" (issue 14). Measured in this process's CPU time, not wall time:
# the test client runs the request in this process, and CPU time does not count the time the
# other processes on a busy machine keep it waiting, so the medians hold still.
TOLERANCE = 0.010


def _cpu_time_of(client: FlaskClient, email: str) -> float:
    start = time.process_time()
    response = attempt(client, email)
    spent = time.process_time() - start
    assert NO_MATCH in refused(response)
    return spent


def test_a_failed_sign_in_takes_as_long_for_an_unknown_address_as_for_a_known_one(
    app: Flask, client: FlaskClient, db_session: Session, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "NOTIFY_SIGN_IN_LOCK_AFTER", 1000)  # no lock in the way
    user = known_user(db_session)
    _cpu_time_of(client, user.email), _cpu_time_of(client, UNKNOWN)  # warm: first-use work
    known, unknown = [], []
    for _ in range(ROUNDS):  # interleaved, so a change in the machine's speed hits both
        known.append(_cpu_time_of(client, user.email))
        unknown.append(_cpu_time_of(client, UNKNOWN))

    known_median, unknown_median = statistics.median(known), statistics.median(unknown)
    assert abs(known_median - unknown_median) < TOLERANCE, (known, unknown)
    # and the hash is what costs: without the dummy, the difference would be all of this
    assert known_median > 5 * TOLERANCE, known


# --- Audit --------------------------------------------------------------------------------------


def _failures(db_session: Session) -> list[AuditEvent]:
    db_session.expire_all()
    return list(
        db_session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sign_in_failed").order_by(AuditEvent.id)
        )
    )


def test_every_failed_sign_in_is_audited_with_whose_account_and_from_where(
    client: FlaskClient, db_session: Session
) -> None:
    user = known_user(db_session)
    inactive = create_user(db_session)
    inactive.active = False
    db_session.commit()

    refused(attempt(client, user.email))
    refused(attempt(client, UNKNOWN))
    refused(attempt(client, inactive.email, SIGN_IN_PASSWORD))

    events = _failures(db_session)
    assert [(e.subject_type, e.subject_id, e.user_id) for e in events] == [
        ("user", str(user.id), None),
        ("user", None, None),
        ("user", str(inactive.id), None),
    ]
    assert [e.detail["reason"] for e in events if e.detail] == [
        "wrong_password",
        "unknown_account",
        "inactive",
    ]
    for event in events:
        assert event.remote_address == "127.0.0.1" and event.user_agent
        recorded = repr(event.detail)
        assert WRONG_PASSWORD not in recorded and SIGN_IN_PASSWORD not in recorded
        assert UNKNOWN not in recorded


def test_a_successful_sign_in_is_audited_as_one(client: FlaskClient, db_session: Session) -> None:
    user = known_user(db_session)

    expect_status(attempt(client, user.email, SIGN_IN_PASSWORD), 302)

    assert _failures(db_session) == []
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in")).one()
    assert (event.subject_id, event.user_id) == (str(user.id), user.id)


# --- Lockout ------------------------------------------------------------------------------------


def test_an_address_is_locked_after_repeated_failures_even_to_the_right_password(
    client: FlaskClient, db_session: Session
) -> None:
    user = known_user(db_session)
    for _ in range(LOCK_AFTER - 1):
        assert NO_MATCH in refused(attempt(client, user.email))

    told = refused(attempt(client, user.email))
    assert LOCKED in told and "Wait 15 minutes and try again" in told

    told = refused(attempt(client, user.email, SIGN_IN_PASSWORD))
    assert LOCKED in told
    assert _failures(db_session)[-1].detail["reason"] == "locked"  # type: ignore[index]
    assert signs_nobody_in(client)


def signs_nobody_in(client: FlaskClient) -> bool:
    response = client.get("/children")
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_an_unknown_address_locks_just_the_same_so_the_lock_tells_nothing(
    client: FlaskClient, db_session: Session
) -> None:
    for _ in range(LOCK_AFTER - 1):
        assert NO_MATCH in refused(attempt(client, UNKNOWN))

    assert LOCKED in refused(attempt(client, UNKNOWN))


def test_the_lock_ends_after_its_time(client: FlaskClient, db_session: Session) -> None:
    user = known_user(db_session)
    for _ in range(LOCK_AFTER):
        refused(attempt(client, user.email))
    db_session.execute(update(SignInThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
    db_session.commit()

    expect_status(attempt(client, user.email, SIGN_IN_PASSWORD), 302)
    assert db_session.scalars(select(SignInThrottle)).all() == []


def test_a_success_forgets_the_failures_before_it(client: FlaskClient, db_session: Session) -> None:
    user = known_user(db_session)
    for _ in range(LOCK_AFTER - 1):
        refused(attempt(client, user.email))
    expect_status(attempt(client, user.email, SIGN_IN_PASSWORD), 302)
    expect_status(client.post("/sign-out"), 302)

    for _ in range(LOCK_AFTER - 1):
        assert NO_MATCH in refused(attempt(client, user.email))


def test_failures_a_lock_length_apart_do_not_add_up(
    client: FlaskClient, db_session: Session
) -> None:
    user = known_user(db_session)
    for _ in range(LOCK_AFTER - 1):
        refused(attempt(client, user.email))
    db_session.execute(
        update(SignInThrottle).values(last_failed_at=utcnow() - timedelta(minutes=16))
    )
    db_session.commit()

    assert NO_MATCH in refused(attempt(client, user.email))


def test_the_lock_is_a_setting(
    app: Flask, client: FlaskClient, db_session: Session, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "NOTIFY_SIGN_IN_LOCK_AFTER", 2)
    monkeypatch.setitem(app.config, "NOTIFY_SIGN_IN_LOCK_MINUTES", 60)
    user = known_user(db_session)
    refused(attempt(client, user.email))

    assert "Wait 60 minutes" in refused(attempt(client, user.email))


def test_an_administrator_unlocks_an_address(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    user = known_user(db_session)
    for _ in range(LOCK_AFTER):
        refused(attempt(client, user.email))

    result = app.test_cli_runner().invoke(args=["users", "unlock", user.email])

    assert result.exit_code == 0, result.output
    assert f"Unlocked {user.email}" in result.output
    expect_status(attempt(client, user.email, SIGN_IN_PASSWORD), 302)
