"""Placement Notify: the application factory."""

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from notify import config as settings
from notify.extensions import api, csrf, db, limiter, login, mail, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from environment settings, overridden by `config` (tests)."""
    app = Flask(__name__, instance_path=str(settings.INSTANCE), static_folder=None)
    app.config.update(settings.from_environment())
    if config:
        app.config.update(config)
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(ROOT / "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    mail.init_app(app)
    login.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    api.init_app(app)

    from notify import (
        acknowledgements,
        apikeys,
        apikit,
        assets,
        auth,
        chasing,
        cli,
        dashboard,
        devmail,
        directory,
        errors,
        inbound,
        pages,
        placements,
        register,
        status,
    )
    from notify.acknowledgements import api as acknowledgements_api
    from notify.placements import api as placements_api

    apikit.init_app(app)
    apikit.register_blueprint(placements_api.blp)
    apikit.register_blueprint(acknowledgements_api.blp)
    inbound.init_app(app)

    assets.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    status.init_app(app)
    pages.init_app(app)
    dashboard.init_app(app)  # first in the navigation: the SQA home page
    placements.init_app(app)
    acknowledgements.init_app(app)
    register.init_app(app)
    directory.init_app(app)
    apikeys.init_app(app)
    devmail.init_app(app)
    chasing.init_app(app)
    cli.init_app(app)
    logging.getLogger("notify").setLevel(logging.INFO)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Enforce foreign keys and let readers work while a writer commits, on SQLite."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; we begin explicitly instead
    # (the recipe in SQLAlchemy's SQLite dialect notes). IMMEDIATE takes the write lock at
    # the start, so two writers queue (busy_timeout) instead of one failing when it tries to
    # upgrade a stale read: SQLite is the one-machine default, PostgreSQL the engine to scale.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
