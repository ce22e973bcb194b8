"""`flask ssda903 export`: the DfE's children looked after return from our records."""

from datetime import datetime
from pathlib import Path

import click
from flask import current_app, render_template

from models import Authority
from notify import audit
from notify.extensions import db
from notify.reports import outputs
from notify.reports.service import make_placed_out_report
from notify.reports.ssda903 import CollectionYear, export_return
from notify.transaction import transaction

FIRST_YEAR, LAST_YEAR = 2015, 2100


@click.group(help="The SSDA903 return (children looked after) for the DfE.")
def ssda903() -> None:
    pass


@ssda903.command("export")
@click.option(
    "--year",
    type=click.IntRange(FIRST_YEAR, LAST_YEAR),
    required=True,
    help="The collection year by the year it ends: 2026 is 1 April 2025 to 31 March 2026.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, writable=True, path_type=Path),
    required=True,
    help="The folder for header.csv and episodes.csv (made if missing).",
)
def export_command(year: int, out: Path) -> None:
    """Write header.csv and episodes.csv for the collection year ending 31 March YEAR."""
    collection = CollectionYear(year)
    with transaction() as session:
        children, episodes = export_return(
            session, str(current_app.config["HOME_AUTHORITY"]), collection, out
        )
        audit.record("export_ssda903", "ssda903", year, children=children, via="cli")
    click.echo(
        f"Wrote {children} children and {episodes} episodes for {collection.start:%-d %B %Y} "
        f"to {collection.end:%-d %B %Y} to {out}."
    )


@click.group(help="Reports made from our records.")
def reports() -> None:
    pass


@reports.command("placed-out-of-area")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="The day the report is as at (YYYY-MM-DD).")  # fmt: skip
@click.option("--format", "form", type=click.Choice(["html", "pdf", "csv", "json"]),
              default="html", show_default=True)  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file (else standard output; a PDF needs one).")  # fmt: skip
def placed_out_command(on: datetime, form: str, out: Path | None) -> None:
    """The board's "children placed out of area" report as at a date."""
    home = str(current_app.config["HOME_AUTHORITY"])
    report = make_placed_out_report(db.session(), home, on.date())
    authority = db.session.get(Authority, home)
    name = authority.name if authority else home
    if form == "pdf":
        if out is None:
            raise click.BadParameter("a PDF needs a file to go in", param_hint="--out")
        body: bytes | str = outputs.to_pdf(report, name)
    elif form == "csv":
        body = outputs.to_csv(report)
    elif form == "json":
        body = outputs.to_json(report)
    else:
        body = render_template(
            "views/reports/placed_out_print.html", report=report, authority=name,
            sections=outputs.sections(report), headline=outputs.headline(report),
        )  # fmt: skip
    with transaction(keep_loaded=True):
        audit.record("view_report", "placed_out_of_area", on.date().isoformat(), via="cli")
    if out is None:
        click.echo(body)
    elif isinstance(body, bytes):
        out.write_bytes(body)
    else:
        out.write_text(body)
