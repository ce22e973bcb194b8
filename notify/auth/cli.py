"""`flask users …`: the people who sign in."""

import click
from flask.cli import with_appcontext

from models.enums import Role
from notify.auth.service import AccountError, create_user
from notify.transaction import transaction


@click.group(help="Manage the people who sign in.")
def users() -> None:
    pass


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--team", default=None)
@click.password_option(help="At least 10 characters.")
@with_appcontext
def create_user_command(email: str, name: str, role: str, team: str | None, password: str) -> None:
    try:
        with transaction() as session:
            user = create_user(
                session, email=email, name=name, role=role, password=password, team=team
            )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}")
