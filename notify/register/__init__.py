"""The host register: triage of other authorities' notices, the register of the children
they place in our area, our partners told, and reconciliation (views, service, CLI)."""

from flask import Flask

from models.enums import Role


def init_app(app: Flask) -> None:
    from notify.pages import add_navigation, set_home
    from notify.register import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.inbound)
    add_navigation("Inbound notices", "register.queue", {Role.BUSINESS_SUPPORT, Role.MANAGER})
    set_home(Role.BUSINESS_SUPPORT, "register.queue")
    add_navigation(
        "Host register",
        "register.register",
        {Role.BUSINESS_SUPPORT, Role.MANAGER, Role.SQA_OFFICER},
    )
