"""`flask directory import-contacts FILE`: notification addresses in bulk."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from notify.directory.contacts_import import import_contacts as import_contacts_file
from notify.transaction import transaction


@click.group(help="The directory of authorities, health bodies and contacts.")
def directory() -> None:
    pass


@directory.command(
    "import-contacts", help="Set notification emails from a CSV file with the columns code,email."
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@with_appcontext
def directory_import_contacts(file: Path) -> None:
    try:
        with transaction() as session:
            report = import_contacts_file(session, file)
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not a UTF-8 text file") from exc
    lines = report.summary()
    click.echo(lines[0])
    for line in lines[1:]:
        click.echo(f"  {line}", err=True)
    if not report.ok:
        # the usable lines were saved; a non-zero status tells a script some were not
        raise click.exceptions.Exit(1)
