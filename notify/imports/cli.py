"""`flask cms import` and `flask cms confirm`: the case-system extract from the command line.

An import shows its change report and keeps it; nothing is notified until a person confirms
it (here with `flask cms confirm ID --by EMAIL`, or on the Imports page).
"""

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from models import CaseSystemImport, User
from models.enums import ImportStatus
from notify import audit
from notify.calendar import today_uk
from notify.extensions import db
from notify.imports.extract import ExtractError, NamedFile, read_extract
from notify.imports.service import Report, compare_extract, confirm_import, stage_import
from notify.problems import InvalidInput
from notify.transaction import transaction


@click.group(help="The case-management system's extracts (SSDA903 header and episodes).")
def cms() -> None:
    pass


def _csv_files(paths: tuple[Path, ...]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        else:
            yield path


def _user(email: str | None) -> User | None:
    if email is None:
        return None
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.BadParameter(f"No active user has the email {email}", param_hint="--by")
    return user


@cms.command("import")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Show the change report; keep nothing.")
@click.option("--by", "email", metavar="EMAIL", help="The person importing (a user's email).")
def import_command(paths: tuple[Path, ...], dry_run: bool, email: str | None) -> None:
    """Read an extract (a folder of CSV files, or the files) and report what changed."""
    user = _user(email)
    files = list(_csv_files(paths))
    ra = str(current_app.config["HOME_AUTHORITY"])
    with ExitStack() as stack:
        named = [
            NamedFile(p.name, stack.enter_context(p.open(encoding="utf-8-sig", newline="")))
            for p in files
        ]
        try:
            extract = read_extract(named)
        except ExtractError as exc:
            raise click.ClickException(str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise click.ClickException("The files must be CSV saved as UTF-8") from exc
    if dry_run:
        _echo_report(compare_extract(db.session(), extract, ra))
        click.echo("Dry run: nothing was kept.")
        return
    with (
        transaction() as session,
        click.progressbar(length=len(extract.stints), label="Comparing", file=None) as bar,
    ):
        record = stage_import(
            session,
            extract,
            responsible_authority_code=ra,
            source=", ".join(p.name for p in files),
            actor_id=user.id if user else None,
            hold_above=int(current_app.config.get("CMS_IMPORT_HOLD_ABOVE", 50)),
            progress=lambda n: bar.update(n - bar.pos),
        )
        audit.record(
            "stage_import", "case_system_import", record.id, status=record.status, via="cli"
        )
    _echo_report(Report.from_json(record.report))
    if record.status == ImportStatus.SEEDED:
        click.echo(f"Import {record.id}: the first extract, seeded; nobody was notified.")
    elif record.status == ImportStatus.HELD_FOR_MANAGER:
        click.echo(
            f"Import {record.id} is held for a manager to confirm (more changes than "
            f"CMS_IMPORT_HOLD_ABOVE)."
        )
    else:
        click.echo(
            f"Import {record.id} awaits confirmation: flask cms confirm {record.id} --by EMAIL"
        )


@cms.command("confirm")
@click.argument("import_id", type=int)
@click.option("--by", "email", metavar="EMAIL", required=True, help="Who confirms (a user).")
def confirm_command(import_id: int, email: str) -> None:
    """Apply an import's changes: placements recorded, ended, and their notices written."""
    user = _user(email)
    assert user is not None
    record = db.session.get(CaseSystemImport, import_id)
    if record is None:
        raise click.BadParameter(f"There is no import {import_id}", param_hint="IMPORT_ID")
    changes = len(record.report.get("changes", []))
    today = today_uk()
    try:
        with (
            transaction() as session,
            click.progressbar(length=changes, label="Applying", file=None) as bar,
        ):
            outcome = confirm_import(
                session,
                record,
                responsible_authority_code=str(current_app.config["HOME_AUTHORITY"]),
                actor=user,
                today=today,
                progress=lambda n: bar.update(n - bar.pos),
            )
            audit.record(
                "confirm_import",
                "case_system_import",
                record.id,
                via="cli",
                **{k: v for k, v in outcome.items() if k != "skipped"},
            )
    except InvalidInput as exc:
        raise click.ClickException(exc.messages) from exc
    click.echo(
        f"Applied {outcome['applied']} changes; {outcome['notifications']} notices written "
        f"({outcome['late']} late); {len(outcome['skipped'])} not applied."
    )
    for skipped in outcome["skipped"]:
        click.echo(f"  not applied {skipped['key']}: {skipped['reason']}")


def _echo_report(report: Report) -> None:
    click.echo(f"{report.children} children, {report.episodes} episodes read.")
    if report.first:
        click.echo(
            f"First import: {report.seeded_children} children and {report.seeded_placements} "
            "placements to seed, without notices."
        )
    else:
        counts = report.counts()
        click.echo(
            ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())
            + f"; {report.already_applied} already applied."
        )
        for change in report.changes:
            click.echo(f"  {change.kind:<10} {change.child:<12} {change.summary}")
    if report.problems:
        click.echo(f"{len(report.problems)} rows could not be used:")
        for problem in report.problems:
            where = f"{problem.file} line {problem.line}" if problem.line else problem.file
            click.echo(f"  {where}: {problem.reason}")
