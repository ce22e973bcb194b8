"""Fixtures: one migrated database with the reference data per run, and a rolled-back
transaction around each test."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import Session

from notify import create_app
from notify.config import ROOT, for_testing
from notify.extensions import db
from tests.support.postgres import Cluster, find_pg_bin

SEEDS = ROOT / "seeds"


def build_app(database_url: str, **overrides: object) -> Flask:
    """An app on `database_url`, migrated to head and holding the reference data."""
    from notify.geography.reference import load_reference

    app = create_app({**for_testing(database_url), **overrides})
    with app.app_context():
        upgrade()
        load_reference(db.session, SEEDS)
        db.session.commit()
    return app


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


def dispose(app: Flask) -> None:
    """Close the app's pooled connections (before its database goes away)."""
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


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
