"""`flask api-keys …`: create, list and revoke keys for the JSON API."""

from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from models.base import utcnow
from notify import audit
from notify.apikeys.service import (
    API_SCOPES,
    KeyRefused,
    UnknownKey,
    create_api_key,
    list_api_keys,
    revoke_api_key,
)
from notify.extensions import db
from notify.transaction import transaction


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
        with transaction() as session:
            new = create_api_key(
                session,
                authority_code=authority_code.strip().upper(),
                scopes=list(scopes),
                name=name,
                home_authority=current_app.config["HOME_AUTHORITY"],
            )
    except KeyRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Created key {new.client.key_prefix} for {new.client.authority_code} "
        f"({new.client.scopes}). It is shown once; store it now:"
    )
    click.echo(new.key)


def _when(moment: datetime | None, never: str = "-") -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else never


@api_keys.command("list")
@with_appcontext
def list_keys_command() -> None:
    """List the keys: prefix, authority, scopes, created, last used, revoked (never the key)."""
    rows = list_api_keys(db.session())
    if not rows:
        click.echo("There are no API keys.")
        return
    table = [("PREFIX", "AUTHORITY", "SCOPES", "CREATED", "LAST USED", "REVOKED", "NAME")]
    table += [
        (
            row.prefix,
            row.authority_code,
            ",".join(row.scopes),
            _when(row.created_at),
            _when(row.last_used_at, "never"),
            _when(row.revoked_at),
            row.name,
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]) - 1)]
    for line in table:
        click.echo(
            "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=False))
            + "  "
            + line[-1]
        )


@api_keys.command("revoke")
@click.argument("prefix")
@with_appcontext
def revoke_key_command(prefix: str) -> None:
    """Revoke the key with PREFIX (as `flask api-keys list` shows it); it is refused at once."""
    try:
        with transaction() as session:
            client, revoked = revoke_api_key(session, prefix, utcnow())
            if revoked:
                audit.record("api_key_revoke", "api_client", client.id, prefix=client.key_prefix)
    except UnknownKey as exc:
        raise click.ClickException(f"{exc.args[0]}. `flask api-keys list` shows them.") from exc
    if not revoked:
        click.echo(f"Key {client.key_prefix} was already revoked at {_when(client.revoked_at)}.")
        return
    click.echo(f"Revoked key {client.key_prefix} ({client.authority_code}, {client.name}).")
