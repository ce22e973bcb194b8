"""The app with CSRF checked, as it runs for real, for the session tests that need a visitor's
session before signing in. Same database and the same rolled-back transaction as `app`."""

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from notify import create_app
from notify.config import for_testing


@pytest.fixture
def strict_app(app: Flask, db_session: Session) -> Flask:
    return create_app(
        {**for_testing(app.config["SQLALCHEMY_DATABASE_URI"]), "WTF_CSRF_ENABLED": True}
    )
