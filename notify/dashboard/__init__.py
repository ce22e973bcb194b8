"""The SQA dashboard: what to chase today, who answers and who does not, and the trends."""

from flask import Flask


def init_app(app: Flask) -> None:
    from notify.dashboard import ended_bodies, views
    from notify.pages import add_navigation

    app.register_blueprint(views.bp)
    app.register_blueprint(ended_bodies.bp)
    add_navigation("Dashboard", "dashboard.index", roles=set(views.DASHBOARD_ROLES))
