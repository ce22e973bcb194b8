"""Serve GOV.UK Frontend's compiled CSS, JavaScript, fonts and images from node_modules."""

from typing import Any

from flask import Blueprint, Flask, send_from_directory

from notify.config import ROOT

GOVUK_DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
OWN_STATIC = ROOT / "notify" / "static"

bp = Blueprint("assets", __name__)


@bp.get("/assets/<path:filename>")
def asset(filename: str) -> Any:
    # GOV.UK Frontend's CSS refers to /assets/fonts/... and /assets/images/...
    if filename.startswith(("fonts/", "images/", "rebrand/", "manifest.json")):
        return send_from_directory(GOVUK_DIST / "assets", filename, max_age=86400)
    if filename.startswith("govuk-frontend."):
        return send_from_directory(GOVUK_DIST, filename, max_age=86400)
    return send_from_directory(OWN_STATIC, filename, max_age=3600)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
