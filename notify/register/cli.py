"""`flask inbound reconcile`: ask placing authorities to confirm the children we believe they
still have placed here (cron, or by hand)."""

import click
from flask import current_app

from notify import audit
from notify.calendar import today_uk
from notify.register.service import reconcile
from notify.transaction import transaction


@click.group(help="Inbound notices and the host register.")
def inbound() -> None:
    pass


@inbound.command("reconcile")
@click.option(
    "--authority",
    "authority_code",
    metavar="CODE",
    help="Only this placing authority (its ONS code, for example E08000025).",
)
def reconcile_command(authority_code: str | None) -> None:
    """Write one reconciliation request to each placing authority with children placed here
    now; running it again the same day writes nothing new."""
    today = today_uk()
    with transaction() as session:
        done = reconcile(
            session,
            home_authority_code=str(current_app.config["HOME_AUTHORITY"]),
            today=today,
            authority_code=authority_code,
        )
        audit.record(
            "reconcile",
            "host_register",
            None,
            notifications=[n.id for n in done.written],
            already_today=list(done.already_today),
            via="cli",
        )
    waiting = sum(1 for n in done.written if n.address is None)
    click.echo(
        f"Wrote {len(done.written)} reconciliation requests"
        f"{f' ({waiting} waiting for an address)' if waiting else ''}; "
        f"{len(done.already_today)} authorities already asked today."
    )
