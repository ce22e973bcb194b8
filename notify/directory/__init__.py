"""The directory of authorities, health bodies and contacts."""

from flask import Flask


def init_app(app: Flask) -> None:
    from models.enums import Role
    from notify.directory import views
    from notify.pages import add_navigation

    app.register_blueprint(views.bp)
    add_navigation("Directory", "directory.index", roles={Role.ADMIN})
