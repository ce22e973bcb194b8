"""The directory of authorities, health bodies and contacts."""

from flask import Flask


def init_app(app: Flask) -> None:
    from models.enums import Role
    from notify.directory import cli, secure_views, views

    del secure_views  # its pages are on views.bp
    from notify.pages import add_navigation

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.directory)
    add_navigation("Directory", "directory.index", roles={Role.ADMIN})
