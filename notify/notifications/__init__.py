"""Notifications: who must be told, the outbox, delivery, acknowledgement and chasing."""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.notifications import cli

    app.cli.add_command(cli.notify)
