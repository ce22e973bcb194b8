"""API keys for other authorities' systems and our own integrations: the administrator's
page to list, create and revoke them (views, forms, service). `flask api-keys` does the
same from the command line."""

from flask import Flask


def init_app(app: Flask) -> None:
    from models.enums import Role
    from notify.apikeys import cli, views
    from notify.pages import add_navigation

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.api_keys)
    add_navigation("API keys", "apikeys.index", roles={Role.ADMIN})
