"""Chasing unacknowledged notices: reminders, escalation, and "send a reminder now"."""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.chasing import views

    app.register_blueprint(views.bp)
