"""Fixtures: one migrated database with the reference data per run, and a rolled-back
transaction around each test. The plugins below hold the rest: the guard against unexpected
mail (autouse), the request helper, apps of their own and the loggers' capture. Helpers the
tests import live in tests/support/, never in a conftest."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import Session

from notify import create_app
from notify.config import for_testing
from notify.extensions import db
from tests.support.apps import build_app, dispose
from tests.support.postgres import Cluster, find_pg_bin
from tests.support.smtp import copy_database

pytest_plugins = [
    "tests.support.mail",
    "tests.support.requests",
    "tests.support.logs",
]


@pytest.fixture(scope="session")
def database_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("db") / "notify.sqlite3"


@pytest.fixture(scope="session")
def app(database_path: Path) -> Flask:
    return build_app(f"sqlite:///{database_path}")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    if find_pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL must be installed in CI (.ci/run installs it)")
        pytest.skip("PostgreSQL is not installed here (no pg_ctl); CI installs it")
    cluster = Cluster()
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: Cluster) -> str:
    return postgres_cluster.url


@pytest.fixture(scope="session")
def pg_app(postgres_url: str) -> Iterator[Flask]:
    app = build_app(postgres_url)
    yield app
    dispose(app)


class _JoinedSession(FlaskSession):
    """Flask-SQLAlchemy's session picks an engine per model; in tests every query must go
    through the one connection whose transaction is rolled back."""

    def get_bind(
        self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any
    ) -> Any:
        return bind or self.bind


def _rolled_back_session(app: Flask) -> Iterator[Session]:
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "class_": _JoinedSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """The app's session, inside a transaction rolled back after the test (app code may commit)."""
    yield from _rolled_back_session(app)


@pytest.fixture
def pg_session(pg_app: Flask) -> Iterator[Session]:
    yield from _rolled_back_session(pg_app)


@pytest.fixture
def client(app: Flask, db_session: Session):
    return app.test_client()


@pytest.fixture
def own_database(app: Flask, database_path: Path, tmp_path: Path) -> str:
    """A copy of the session's database (reference data and all), with no notifications: for
    tests that commit for real or run other processes against it."""
    target = tmp_path / "own.sqlite3"
    copy_database(database_path, target)
    return f"sqlite:///{target}"


@pytest.fixture
def own_app(own_database: str) -> Iterator[Flask]:
    app = create_app(for_testing(own_database))
    yield app
    dispose(app)
