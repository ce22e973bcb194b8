"""`flask notify`: the delivery worker, a one-off dispatch (cron, tests), resending, and
chasing unacknowledged notices."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from notify.calendar import CalendarRangeError, today_uk
from notify.extensions import db
from notify.notifications import outbox
from notify.notifications.channels.base import Channel
from notify.notifications.channels.federation import FederationChannel, Routed
from notify.notifications.channels.govuk_notify import channel_from_config
from notify.notifications.chasing import ChaseSettings, chase
from notify.notifications.delivery import DeliverySettings, Dispatched
from notify.notifications.federation import collect_acceptances
from notify.notifications.successions import transfer_notices
from notify.notifications.worker import (
    DEFAULT_CHASE_HOUR,
    DEFAULT_COLLECT_SECONDS,
    DEFAULT_POLL_SECONDS,
    Worker,
    dispatch_all,
)
from notify.transaction import transaction


@click.group(help="Deliver notifications: the worker, a one-off dispatch, resending, chasing.")
def notify() -> None:
    pass


def make_channel() -> Channel:
    """The channel NOTIFY_CHANNEL names (email over SMTP, the default, or GOV.UK Notify), and
    for authorities that run Placement Notify too, their API."""
    config = current_app.config
    return Routed(channel_from_config(config), FederationChannel(config))


def _settings(batch: int | None, lease: float | None) -> DeliverySettings:
    settings = DeliverySettings.from_config(current_app.config)
    if batch is not None:
        settings = replace(settings, batch_size=batch)
    if lease is not None:
        settings = replace(settings, lease=timedelta(seconds=lease))
    return settings


def _summary(done: Dispatched) -> str:
    return f"Sent {done.sent}, {done.retrying} to retry later, {done.failed} failed."


@notify.command("worker")
@click.option(
    "--poll",
    type=click.FloatRange(min=0.05),
    help=f"Seconds between looks for new work while idle (default {DEFAULT_POLL_SECONDS}).",
)
@click.option("--batch", type=click.IntRange(min=1), help="Notifications claimed at a time.")
@click.option(
    "--lease",
    type=click.FloatRange(min=1),
    help="Seconds a claim lasts before another worker may take the notification over.",
)
@with_appcontext
def worker_command(poll: float | None, batch: int | None, lease: float | None) -> None:
    """Send notifications as they fall due, until stopped (SIGTERM or Ctrl-C finish the
    message in hand, then exit)."""
    poll_seconds = poll or float(
        current_app.config.get("DELIVERY_POLL_SECONDS", DEFAULT_POLL_SECONDS)
    )
    worker = Worker(
        db.session(),
        make_channel(),
        _settings(batch, lease),
        poll_seconds,
        chase_settings=ChaseSettings.from_config(current_app.config),
        chase_hour=int(current_app.config.get("CHASE_HOUR", DEFAULT_CHASE_HOUR)),
        collect=lambda session: collect_acceptances(session, current_app.config),
        collect_every=float(
            current_app.config.get("FEDERATION_POLL_SECONDS", DEFAULT_COLLECT_SECONDS)
        ),
    )
    click.echo(f"Delivery worker {worker.worker_id} running; stop it with Ctrl-C or SIGTERM.")
    done = worker.run()
    click.echo(f"Delivery worker stopped. {_summary(done)}")


@notify.command("dispatch")
@click.option("--once", is_flag=True, help="Send everything due now, then exit.")
@click.option("--batch", type=click.IntRange(min=1), help="Notifications claimed at a time.")
@with_appcontext
def dispatch_command(once: bool, batch: int | None) -> None:
    """Send everything due now, then exit (for cron and tests)."""
    if not once:
        raise click.UsageError(
            "Add --once to send what is due and exit; `flask notify worker` keeps running."
        )
    done = dispatch_all(db.session(), make_channel(), _settings(batch, None))
    click.echo(_summary(done))


@notify.command("resend")
@click.argument("notification_id", type=int)
@with_appcontext
def resend_command(notification_id: int) -> None:
    """Send a failed notification again, to its recipient's address in the directory now."""
    try:
        with transaction() as session:
            address = outbox.resend(session, notification_id)
    except (outbox.NotificationNotFound, outbox.CannotResend) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Notification {notification_id} will be sent again, to {address}.")


@notify.command("chase")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Chase as on this day (YYYY-MM-DD); default today, UK time.",
)
@with_appcontext
def chase_command(day: datetime | None) -> None:
    """Write the reminders and escalations due (the worker does this each working morning);
    the worker sends them. Running it again the same day writes nothing more."""
    today: date = day.date() if day is not None else today_uk()
    try:
        with transaction() as session:
            done = chase(session, today, ChaseSettings.from_config(current_app.config))
    except CalendarRangeError as exc:
        raise click.BadParameter(str(exc), param_hint="'--date'") from exc
    click.echo(
        f"Chased {_count(done.overdue, 'overdue notice')} on {today.isoformat()}: "
        f"wrote {_count(done.reminders, 'reminder')} and {_count(done.escalations, 'escalation')}"
        f" ({done.awaiting_address} waiting for an SQA manager's address)."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@notify.command("collect")
@with_appcontext
def collect_command() -> None:
    """Ask the authorities we posted notices to (those running Placement Notify too) which
    they have accepted, and record those as acknowledged. The worker does this every
    FEDERATION_POLL_SECONDS."""
    with transaction() as session:
        found = collect_acceptances(session, current_app.config)
    click.echo(
        f"Asked about {found.asked} notices: {found.acknowledged} accepted, "
        f"{found.rejected} rejected, {found.unreachable} could not be asked."
    )


@notify.command(
    "transfer-notices",
    help="Move unsent notices addressed to bodies that have ended to their successors "
    "(the worker does it each day).",
)
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="As on this day.")
@with_appcontext
def transfer_notices_command(day: datetime | None) -> None:
    on = day.date() if day is not None else today_uk()
    with transaction() as session:
        result = transfer_notices(session, on)
    click.echo(f"Moved {result.moved} unsent notices to successor bodies on {on.isoformat()}")
    if result.undecided:
        click.echo(
            f"  {len(result.undecided)} are to a body that was split and their postcode does "
            f"not say which successor covers it: {', '.join(map(str, result.undecided))}",
            err=True,
        )
