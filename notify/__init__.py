"""Placement Notify: the application factory."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import Engine, event

from models.notifications import notice_reference
from notify import codes
from notify import config as settings
from notify.extensions import api, csrf, db, limiter, login, migrate
from notify.web.converters import RowIdConverter

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from environment settings, overridden by `config` (tests)."""
    app = Flask(__name__, instance_path=str(settings.INSTANCE), static_folder=None)
    app.config.update(settings.from_environment())
    if config:
        app.config.update(config)
    use_base_url(app)
    # before any route is added: every <int:...> is bounded to what a row id can be
    app.url_map.converters["int"] = RowIdConverter
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
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite(engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    api.init_app(app)

    from notify import (
        acknowledgements,
        apidocs,
        apikeys,
        apikit,
        assets,
        auditlog,
        auth,
        cli,
        dashboard,
        demo,
        devmail,
        directory,
        errors,
        geography,
        headers,
        imports,
        inbound,
        labels,
        logs,
        mywork,
        notifications,
        pages,
        placements,
        register,
        reports,
        status,
    )
    from notify.acknowledgements import api as acknowledgements_api
    from notify.placements import api as placements_api
    from notify.placements import people_api

    apikit.init_app(app)
    apikit.register_blueprint(placements_api.blp)
    apikit.register_blueprint(people_api.blp)
    apikit.register_blueprint(acknowledgements_api.blp)
    inbound.init_app(app)
    apidocs.init_app(app)

    assets.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    status.init_app(app)
    pages.init_app(app)
    mywork.init_app(app)  # first for social workers: their home page
    dashboard.init_app(app)  # first in the navigation: the SQA home page
    placements.init_app(app)
    acknowledgements.init_app(app)
    register.init_app(app)
    imports.init_app(app)
    auditlog.init_app(app)
    reports.init_app(app)
    directory.init_app(app)
    apikeys.init_app(app)
    devmail.init_app(app)
    cli.init_app(app)
    geography.init_app(app)
    notifications.init_app(app)
    demo.init_app(app)
    # globals, not a context processor: macros imported into a page see them too
    app.jinja_env.globals.update(
        event_title=labels.event_title,
        role_title=labels.role_title,
        notice_reference=notice_reference,
        describe=codes.described,
        acknowledge_within=app.config["ACKNOWLEDGE_WITHIN_WORKING_DAYS"],
    )
    headers.init_app(app)
    logs.init_app(app)
    return app


def use_base_url(app: Flask) -> None:
    """Build every absolute address (Werkzeug's own redirects, such as `//children` to
    `/children`, included) from BASE_URL, never from the request's Host header, which the
    client chooses. Since Flask 3.1 SERVER_NAME no longer refuses requests for other hosts."""
    base = urlsplit(app.config["BASE_URL"])
    if not app.config.get("SERVER_NAME"):
        app.config["SERVER_NAME"] = base.netloc
    app.config["PREFERRED_URL_SCHEME"] = base.scheme or "https"


def configure_sqlite(engine: Engine) -> None:
    """Foreign keys, WAL, a busy timeout and explicit transactions on a SQLite engine."""
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Enforce foreign keys and let readers work while a writer commits, on SQLite."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; we begin explicitly instead
    # (the recipe in SQLAlchemy's SQLite dialect notes). IMMEDIATE takes the write lock at
    # the start, so two writers queue (busy_timeout) instead of one failing when it tries to
    # upgrade a stale read: SQLite is the one-machine default, PostgreSQL the engine to scale.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
