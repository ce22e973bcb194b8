"""Apps for the tests, built on a migrated database holding the reference data."""

from flask import Flask
from flask_migrate import upgrade

from notify import create_app
from notify.config import ROOT, for_testing
from notify.extensions import db

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


def dispose(app: Flask) -> None:
    """Close the app's pooled connections (before its database goes away)."""
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
