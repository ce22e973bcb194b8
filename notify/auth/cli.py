"""`flask users …` and `flask api-keys …`."""

import click
from flask.cli import with_appcontext

from models.enums import Role
from notify.auth.service import API_SCOPES, AccountError, create_api_key, create_user
from notify.extensions import db


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
        user = create_user(
            db.session(), email=email, name=name, role=role, password=password, team=team
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}")


@click.group("api-keys", help="Manage keys for the JSON API.")
def api_keys() -> None:
    pass


@api_keys.command("create")
@click.option("--authority", "authority_code", required=True, help="ONS code, e.g. E10000034")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(API_SCOPES))
@click.option("--name", required=True)
@with_appcontext
def create_key_command(authority_code: str, scopes: tuple[str, ...], name: str) -> None:
    try:
        new = create_api_key(
            db.session(),
            authority_code=authority_code.strip().upper(),
            scopes=list(scopes),
            name=name,
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Created key {new.client.key_prefix} for {new.client.authority_code} "
        f"({new.client.scopes}). It is shown once; store it now:"
    )
    click.echo(new.key)
