"""Commands for reference data: `flask seed reference`, `flask geo import-onspd FILE` and
`flask directory import-contacts FILE`. notify/cli.py adds them to their groups."""

import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from notify.config import ROOT
from notify.directory.contacts_import import import_contacts as import_contacts_file
from notify.extensions import db
from notify.geography.reference import OnspdError, import_onspd, load_reference, onspd_size

SEEDS = ROOT / "seeds"
_EXISTING_FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


@click.command("reference", help="Load the reference data in seeds/ (unchanged files are skipped).")
@click.option(
    "--seeds",
    "seeds_dir",
    default=SEEDS,
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding the reference files.",
)
@click.option(
    "--replace-onspd",
    is_flag=True,
    help="Replace postcodes imported from a full ONSPD with the ones in seeds/.",
)
@with_appcontext
def seed_reference(seeds_dir: Path, replace_onspd: bool) -> None:
    started = time.perf_counter()
    try:
        loaded = load_reference(db.session(), seeds_dir, replace_onspd=replace_onspd)
    except (OSError, ValueError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    for name, rows in loaded.items():
        click.echo(f"  {name.replace('_', ' ')}: {f'{rows:,} rows' if rows else 'unchanged'}")
    click.echo(f"Reference data loaded in {time.perf_counter() - started:.1f}s")


@click.command(
    "import-onspd",
    help="Replace the postcodes with a full ONS Postcode Directory "
    "(its CSV, or the zip it comes in).",
)
@click.argument("file", type=_EXISTING_FILE)
@with_appcontext
def geo_import_onspd(file: Path) -> None:
    started = time.perf_counter()
    try:
        with click.progressbar(length=onspd_size(file), label="Importing postcodes") as bar:
            counts = import_onspd(db.session(), file, progress=bar.update)
    except (OnspdError, UnicodeDecodeError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Imported {file.name} in {time.perf_counter() - started:.0f}s:")
    for name, n in counts.items():
        click.echo(f"  {name.replace('_', ' ')}: {n:,}")


@click.command(
    "import-contacts", help="Set notification emails from a CSV file with the columns code,email."
)
@click.argument("file", type=_EXISTING_FILE)
@with_appcontext
def directory_import_contacts(file: Path) -> None:
    try:
        report = import_contacts_file(db.session(), file)
    except UnicodeDecodeError as exc:
        db.session.rollback()
        raise click.ClickException(f"{file} is not a UTF-8 text file") from exc
    db.session.commit()
    lines = report.summary()
    click.echo(lines[0])
    for line in lines[1:]:
        click.echo(f"  {line}", err=True)
    if not report.ok:
        # the usable lines were saved; a non-zero status tells a script some were not
        raise click.exceptions.Exit(1)
