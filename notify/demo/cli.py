"""`flask seed demo`: load the demo data set and print the demo sign-ins."""

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from models import Child
from notify.calendar import today_uk
from notify.demo.children import DEFAULT_SEED, DEMO_PASSWORD, load_demo, sign_ins
from notify.extensions import db
from notify.transaction import transaction


@click.command("demo", help="Load the demo data set (children, placements, notices, users).")
@click.option("--if-empty", is_flag=True, help="Do nothing if any child is already recorded.")
@click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    type=int,
    help="Random seed: the same seed gives the same data.",
)
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.01, 5),
    help="Size relative to the board report's numbers (1 = about 800 children).",
)
@with_appcontext
def demo(if_empty: bool, seed: int, scale: float) -> None:
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException(
            "The demo data set is never loaded in production (NOTIFY_ENV=production): it "
            "creates made-up children and sign-ins with a published password."
        )
    home_code = current_app.config["HOME_AUTHORITY"]
    session = db.session()
    children = session.scalar(select(func.count()).select_from(Child)) or 0
    if children:
        if if_empty:
            click.echo(f"The database already holds {children} children: demo data not loaded.")
            return
        raise click.ClickException(
            f"The database already holds {children} children; the demo loads into an empty one "
            "(use --if-empty to skip quietly)."
        )
    started = time.perf_counter()
    try:
        with transaction():
            counts = load_demo(session, home_code, today_uk(), seed=seed, scale=scale)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Loaded the demo data set for {home_code} (seed {seed}) in "
        f"{time.perf_counter() - started:.1f}s:"
    )
    for name, n in counts.items():
        click.echo(f"  {name.replace('_', ' ')}: {n}")
    click.echo(f"Sign in with the password {DEMO_PASSWORD!r} as:")
    for role, email in sign_ins(session, home_code):
        click.echo(f"  {role:<17} {email}")
