"""Children and their placements: record, move, end and approve (views, service)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.pages import add_navigation
    from notify.placements import views

    app.register_blueprint(views.bp)
    add_navigation("Children", "placements.find_child")
