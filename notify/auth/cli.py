"""`flask users …`: the people who sign in."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from models import User
from models.enums import Role, SessionEnd
from notify import audit
from notify.auth import lock_policy
from notify.auth.service import AccountError, create_user, normalise_email, unlock_address
from notify.auth.sessions import end_sessions_of
from notify.transaction import transaction


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
        with transaction() as session:
            user = create_user(
                session, email=email, name=name, role=role, password=password, team=team
            )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}")


@users.command("sign-out-everywhere")
@click.argument("email")
@with_appcontext
def sign_out_everywhere_command(email: str) -> None:
    """End every session of the person with EMAIL, at once, on every device."""
    with transaction() as session:
        user = session.scalar(select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise click.ClickException(f"No one signs in with {email}")
        ended = end_sessions_of(session, user.id, SessionEnd.SIGNED_OUT_EVERYWHERE)
        audit.record("sign_out_everywhere", "user", user.id, sessions=ended, via="cli")
    click.echo(f"Signed {user.email} out everywhere ({ended} {_sessions(ended)} ended).")


@users.command("unlock")
@click.argument("email")
@with_appcontext
def unlock_command(email: str) -> None:
    """Forget the failed sign-ins that locked EMAIL, so it may sign in again at once."""
    with transaction() as session:
        unlocked = unlock_address(session, email, lock_policy())
        if unlocked:
            user = session.scalar(select(User).where(User.email == normalise_email(email)))
            audit.record("sign_in_unlock", "user", user.id if user else None, via="cli")
    click.echo(f"Unlocked {email}." if unlocked else f"{email} had no failed sign-ins to forget.")


def _sessions(count: int) -> str:
    return "session" if count == 1 else "sessions"
