"""A view that crashes: in the tests it fails the test; for real it is the 500 page (or the
API's envelope), logged, and nothing of the error shown."""

import logging

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from notify import create_app
from notify.config import for_testing
from tests.support.requests import sign_in

SECRET = "a detail that must not reach the page"


def _crash() -> str:
    raise RuntimeError(SECRET)


def _with_crashing_views(app: Flask) -> Flask:
    app.add_url_rule("/crash", "crash", _crash)
    app.add_url_rule("/api/v1/crash", "api_crash", _crash)
    return app


@pytest.fixture
def app_for_real(app: Flask, db_session: Session) -> Flask:
    """The app as it runs for real (exceptions not propagated), with views that crash."""
    settings = {**for_testing(app.config["SQLALCHEMY_DATABASE_URI"]), "PROPAGATE_EXCEPTIONS": False}
    return _with_crashing_views(create_app(settings))


def test_in_the_tests_a_crashing_view_raises_instead_of_answering_500(
    app: Flask, db_session: Session
) -> None:
    crashing = _with_crashing_views(create_app(for_testing(app.config["SQLALCHEMY_DATABASE_URI"])))

    with pytest.raises(RuntimeError, match=SECRET):
        crashing.test_client().get("/api/v1/crash")


def test_for_real_a_crashing_page_is_the_500_page_and_is_logged(
    app_for_real: Flask,
    db_session: Session,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Alembic's fileConfig disabled the loggers that existed when the test database migrated.
    monkeypatch.setattr(logging.getLogger("notify.errors"), "disabled", False)
    client = app_for_real.test_client()
    sign_in(client, db_session)

    response = client.get("/crash")

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in page and SECRET not in page
    [record] = [r for r in caplog.records if r.name == "notify.errors"]
    assert record.getMessage() == "Unhandled error on GET /crash"
    assert record.exc_info is not None and record.exc_info[1].args == (SECRET,)


def test_for_real_a_crashing_api_call_answers_the_500_envelope(app_for_real: Flask) -> None:
    response = app_for_real.test_client().get("/api/v1/crash")

    assert response.status_code == 500
    assert response.get_json() == {
        "error": {
            "status": 500,
            "code": "internal_error",
            "message": "Something went wrong on our side. It has been logged.",
        }
    }
