"""`GET /_status`: is the service alive, migrated and keeping up."""

import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from flask import Blueprint, Flask, jsonify
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from models import Notification
from models.enums import NotificationStatus
from notify.config import ROOT
from notify.extensions import db

bp = Blueprint("status", __name__)


@cache
def release() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=2,
            check=True,
        ).stdout.strip()
        if sha:
            return sha
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return version("placement-notify")
    except PackageNotFoundError:
        return "unknown"


@bp.get("/_status")
def status() -> Any:
    body: dict[str, Any] = {"status": "ok", "database": "ok", "version": release()}
    try:
        body["migration"] = db.session.execute(
            text("SELECT version_num FROM alembic_version")
        ).scalar()
        counts = dict(
            db.session.execute(
                select(Notification.status, func.count())
                .where(
                    Notification.status.in_([NotificationStatus.PENDING, NotificationStatus.FAILED])
                )
                .group_by(Notification.status)
            ).all()
        )
        body["outbox"] = {
            "pending": counts.get(NotificationStatus.PENDING, 0),
            "failed": counts.get(NotificationStatus.FAILED, 0),
        }
    except SQLAlchemyError:
        db.session.rollback()
        body.update(status="error", database="unavailable", migration=None, outbox=None)
        return jsonify(body), 503
    return jsonify(body)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
