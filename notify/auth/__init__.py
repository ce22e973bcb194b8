"""Sign-in for people (Flask-Login) and the rule that nothing is reachable without it."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from models import User
from models.enums import SessionEnd
from notify.auth.service import LockPolicy
from notify.auth.sessions import DatabaseSessionInterface, is_live, lapsed_reason
from notify.extensions import db, login

# Endpoints a person may reach without signing in. The API authenticates by key instead.
PUBLIC_ENDPOINTS = {"auth.sign_in", "assets.asset", "status.status", "pages.about_data"}
# The footer's pages: read before signing in.
PUBLIC_ENDPOINTS |= {"pages.privacy", "pages.accessibility", "pages.contact"}


def init_app(app: Flask) -> None:
    from notify.auth import cli, views

    app.session_interface = DatabaseSessionInterface()
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users)
    login.login_view = "auth.sign_in"
    login.login_message = "Sign in to continue."
    login.login_message_category = "info"
    app.before_request(_require_sign_in)


@login.user_loader
def _load_user(user_id: str) -> User | None:
    # Only ever from a session row in use: nothing else (a remember-me cookie, say) signs in.
    if not user_id.isdigit() or not is_live():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def _require_sign_in() -> Any:
    if request.endpoint in PUBLIC_ENDPOINTS or request.path.startswith("/api/"):
        return None
    if request.endpoint is None:  # unknown URL: let it 404
        return None
    if not current_user.is_authenticated:
        lapsed = lapsed_reason()
        if lapsed is not None:
            flash(_lapsed_message(lapsed), "info")
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    return None


def _lapsed_message(reason: SessionEnd) -> str:
    config = current_app.config
    if reason == SessionEnd.IDLE:
        why = f"had not used the service for {config['NOTIFY_SESSION_IDLE_MINUTES']} minutes"
    else:
        why = f"signed in {config['NOTIFY_SESSION_MAX_HOURS']} hours ago"
    return f"You were signed out because you {why}. Sign in again to continue."


def lock_policy() -> LockPolicy:
    config = current_app.config
    return LockPolicy(
        after=config["NOTIFY_SIGN_IN_LOCK_AFTER"],
        minutes=config["NOTIFY_SIGN_IN_LOCK_MINUTES"],
        key=config["SECRET_KEY"].encode(),
    )


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow a view only to people holding one of `roles` (admins hold every role)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles and current_user.role != "admin":
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: a `next` parameter must not
    bounce anyone to another site (browsers read "/\\evil.example" as "//evil.example")."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return fallback
