"""The case-system import: extracts read, compared with what we hold, confirmed by a person
(views, service, CLI)."""

from flask import Flask

from models.enums import Role


def init_app(app: Flask) -> None:
    from notify.imports import cli, views
    from notify.pages import add_navigation

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.cms)
    add_navigation("Imports", "imports.index", {Role.SQA_OFFICER, Role.MANAGER})
