"""Returns and reports made from our records: the SSDA903 return and the board's report
(views and CLI)."""

from flask import Flask

from models.enums import Role


def init_app(app: Flask) -> None:
    from notify.pages import add_navigation
    from notify.reports import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.ssda903)
    app.cli.add_command(cli.reports)
    add_navigation("Reports", "reports.placed_out_of_area", {Role.SQA_OFFICER, Role.MANAGER})
