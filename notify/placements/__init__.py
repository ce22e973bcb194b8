"""Children and their placements: record, move, end and approve (views, service)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.pages import add_navigation
    from notify.placements import people_views, views

    del people_views  # its pages are on views.bp

    app.register_blueprint(views.bp)
    add_navigation("Children", "placements.find_child")
