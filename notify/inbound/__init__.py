"""Notices other authorities post to us about children they place in our area: the API that
receives and stores them (api, schemas, service). Triage and the register are in
notify/register."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Serve the inbound API; call after `apikit.init_app(app)`."""
    from notify import apikit
    from notify.inbound import api

    apikit.register_blueprint(api.blp)
