"""A social worker's home page: their caseload, and the notices about their children that
need them (waiting for an address, late, queried by a host authority)."""

from flask import Flask

from models.enums import Role


def init_app(app: Flask) -> None:
    from notify.mywork import views
    from notify.pages import add_navigation, set_home

    app.register_blueprint(views.bp)
    add_navigation("My work", "mywork.index", roles={Role.SOCIAL_WORKER}, for_admin=False)
    set_home(Role.SOCIAL_WORKER, "mywork.index")
