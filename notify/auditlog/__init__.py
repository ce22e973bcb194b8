"""The audit trail page: who saw or changed what, for the managers who answer for it (and an
information-governance lead, as an administrator); filtered by person, child and date."""

from flask import Flask

from models.enums import Role


def init_app(app: Flask) -> None:
    from notify.auditlog import views
    from notify.pages import add_navigation

    app.register_blueprint(views.bp)
    add_navigation("Audit trail", "auditlog.index", roles={Role.MANAGER})
