"""`flask seed reference`, `flask geo import-onspd FILE`, `flask geo load-reorganisation FILE`,
`flask geo adjoining`: the reference data."""

import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from models import AuditEvent
from notify.config import ROOT
from notify.geography.reference import OnspdError, import_onspd, load_reference, onspd_size
from notify.geography.reorganisation import ReorganisationError, load_reorganisation
from notify.geography.store import correct_adjoining
from notify.transaction import transaction

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
        with transaction() as session:
            loaded = load_reference(session, seeds_dir, replace_onspd=replace_onspd)
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    for name, rows in loaded.items():
        click.echo(f"  {name.replace('_', ' ')}: {f'{rows:,} rows' if rows else 'unchanged'}")
    click.echo(f"Reference data loaded in {time.perf_counter() - started:.1f}s")


@click.group(help="Postcodes and geography.")
def geo() -> None:
    pass


@geo.command(
    "import-onspd",
    help="Replace the postcodes with a full ONS Postcode Directory "
    "(its CSV, or the zip it comes in).",
)
@click.argument("file", type=_EXISTING_FILE)
@click.option(
    "--apply",
    is_flag=True,
    help="Import even though the file names codes we do not know (shown first, without it).",
)
@with_appcontext
def geo_import_onspd(file: Path, apply: bool) -> None:
    started = time.perf_counter()
    try:
        with (
            transaction() as session,
            click.progressbar(length=onspd_size(file), label="Importing postcodes") as bar,
        ):
            counts = import_onspd(session, file, progress=bar.update, apply=apply)
    except (OnspdError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Imported {file.name} in {time.perf_counter() - started:.0f}s:")
    for name, n in counts.items():
        click.echo(f"  {name.replace('_', ' ')}: {n:,}")


@geo.command(
    "load-reorganisation",
    help="Load a reorganisation ahead of its day from a CSV (new councils or health bodies, "
    "codes, names, predecessors, districts, date): it switches on that day by itself.",
)
@click.argument("file", type=_EXISTING_FILE)
@with_appcontext
def geo_load_reorganisation(file: Path) -> None:
    try:
        with transaction() as session:
            loaded = load_reorganisation(session, file)
    except ReorganisationError as exc:
        raise click.ClickException(
            f"{file.name} was not loaded:\n  " + "\n  ".join(exc.problems)
        ) from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not a UTF-8 text file") from exc
    click.echo(
        f"Loaded {loaded.source}: {loaded.authorities} authorities, {loaded.health_bodies} "
        f"health bodies, {loaded.successions} successions, {loaded.district_links} district links"
    )


@geo.command("adjoining", help="Correct the adjoining authorities (both ways; audited).")
@click.argument("action", type=click.Choice(["add", "remove"]))
@click.argument("authority")
@click.argument("neighbour")
@click.option("--reason", required=True, help="Why (kept in the audit trail).")
@with_appcontext
def geo_adjoining(action: str, authority: str, neighbour: str, reason: str) -> None:
    try:
        with transaction() as session:
            changed = correct_adjoining(session, authority, neighbour, adjoin=action == "add")
            if changed:
                session.add(
                    AuditEvent(
                        action=f"adjoining_{action}",
                        subject_type="authority",
                        subject_id=authority,
                        detail={"neighbour": neighbour, "reason": reason, "via": "cli"},
                    )
                )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    verb = "now adjoin" if action == "add" else "no longer adjoin"
    click.echo(f"{authority} and {neighbour} {verb}" + ("" if changed else " (unchanged)"))
