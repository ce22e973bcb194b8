"""Settings from environment variables, with safe defaults for development."""

import os
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class ConfigError(RuntimeError):
    pass


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


N = TypeVar("N", int, float)


def _int(name: str, default: int) -> int:
    return _number(name, default, int, "a whole number")


def _float(name: str, default: float) -> float:
    return _number(name, default, float, "a number")


def _at_least(name: str, default: int, minimum: int) -> int:
    value = _int(name, default)
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def _number(name: str, default: N, kind: type[N], what: str) -> N:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return kind(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be {what}, not {value!r}") from exc


def from_environment() -> dict[str, Any]:
    """Read the settings documented in the README."""
    env = os.environ.get("NOTIFY_ENV", "development")
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if env not in {"development", "testing"}:
            raise ConfigError("SECRET_KEY must be set outside development and testing")
        secret = "development-only-secret-key"
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE / 'placement-notify.sqlite3'}"
        ),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": _int("MAIL_PORT", 8025),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "placement-notify@worcestershire.example"
        ),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "NOTIFY_CHANNEL": os.environ.get("NOTIFY_CHANNEL", "smtp").strip().lower(),
        "GOVUK_NOTIFY_API_KEY": os.environ.get("GOVUK_NOTIFY_API_KEY"),
        "GOVUK_NOTIFY_TEMPLATE_ID": os.environ.get("GOVUK_NOTIFY_TEMPLATE_ID"),
        "GOVUK_NOTIFY_BASE_URL": os.environ.get("GOVUK_NOTIFY_BASE_URL"),
        "HOME_AUTHORITY": os.environ.get("HOME_AUTHORITY", "E10000034"),
        # The council's own look: its name in the header, its own footer links (unset: the
        # service's own short pages at /privacy, /accessibility and /contact).
        "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME", "Worcestershire County Council"),
        "ORGANISATION_URL": os.environ.get("ORGANISATION_URL"),
        "PRIVACY_NOTICE_URL": os.environ.get("PRIVACY_NOTICE_URL"),
        "ACCESSIBILITY_STATEMENT_URL": os.environ.get("ACCESSIBILITY_STATEMENT_URL"),
        "CONTACT_URL": os.environ.get("CONTACT_URL"),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL"),
        "DEV_MAIL_DIR": os.environ.get("DEV_MAIL_DIR", str(INSTANCE / "mail")),
        "ACKNOWLEDGE_WITHIN_WORKING_DAYS": _int("ACKNOWLEDGE_WITHIN_WORKING_DAYS", 5),
        "REMINDER_EVERY_WORKING_DAYS": _int("REMINDER_EVERY_WORKING_DAYS", 5),
        "ESCALATE_AFTER_WORKING_DAYS": _int("ESCALATE_AFTER_WORKING_DAYS", 10),
        "REMINDER_LIMIT": _int("REMINDER_LIMIT", 3),
        "CMS_IMPORT_HOLD_ABOVE": _int("CMS_IMPORT_HOLD_ABOVE", 50),
        # "Send a reminder": not again to the same recipient within this many minutes
        "REMINDER_MIN_INTERVAL_MINUTES": _int("REMINDER_MIN_INTERVAL_MINUTES", 60),
        # business support's triage: an inbound notice waiting longer is marked overdue
        "TRIAGE_WITHIN_WORKING_DAYS": _int("TRIAGE_WITHIN_WORKING_DAYS", 2),
        # the worker's daily chasing pass runs at the first poll after this hour (UK time)
        "CHASE_HOUR": _int("CHASE_HOUR", 7),
        "ACKNOWLEDGE_LINK_DAYS": _int("ACKNOWLEDGE_LINK_DAYS", 90),
        "MAIL_TIMEOUT": _float("MAIL_TIMEOUT", 30),
        "DELIVERY_POLL_SECONDS": _float("DELIVERY_POLL_SECONDS", 0.5),
        "DELIVERY_BATCH_SIZE": _int("DELIVERY_BATCH_SIZE", 50),
        "DELIVERY_LEASE_SECONDS": _int("DELIVERY_LEASE_SECONDS", 300),
        "DELIVERY_RETRY_BASE_SECONDS": _int("DELIVERY_RETRY_BASE_SECONDS", 60),
        "DELIVERY_RETRY_CAP_SECONDS": _int("DELIVERY_RETRY_CAP_SECONDS", 24 * 3600),
        "DELIVERY_GIVE_UP_HOURS": _int("DELIVERY_GIVE_UP_HOURS", 72),
        "FEDERATION_POLL_SECONDS": _float("FEDERATION_POLL_SECONDS", 300),
        "OUT_OF_HOURS_PHONE": os.environ.get("OUT_OF_HOURS_PHONE"),
        # Signed-in sessions (held in the database, the cookie carries a random token): ended
        # after this long without a request, and this long after signing in whatever happens.
        "NOTIFY_SESSION_IDLE_MINUTES": _at_least("NOTIFY_SESSION_IDLE_MINUTES", 30, 1),
        "NOTIFY_SESSION_MAX_HOURS": _at_least("NOTIFY_SESSION_MAX_HOURS", 12, 1),
        # This many failed sign-ins in a row for one email address lock it for this long.
        "NOTIFY_SIGN_IN_LOCK_AFTER": _at_least("NOTIFY_SIGN_IN_LOCK_AFTER", 5, 1),
        "NOTIFY_SIGN_IN_LOCK_MINUTES": _at_least("NOTIFY_SIGN_IN_LOCK_MINUTES", 15, 1),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "API_TITLE": "Placement Notify",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "INBOUND_RATE_LIMIT": os.environ.get("INBOUND_RATE_LIMIT", "120/minute"),
        # another authority's API may be on this machine (a second instance beside this one)
        "FEDERATION_ALLOW_LOOPBACK": _bool(
            "FEDERATION_ALLOW_LOOPBACK", env in {"development", "testing"}
        ),
        # every API call, per key (the inbound notices API has its own budget besides)
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "300/minute"),
    }


def for_testing(database_url: str) -> dict[str, Any]:
    """Settings for the test suite: nothing outside loopback can be reached."""
    return {
        "ENV_NAME": "testing",
        "TESTING": True,
        # A view that raises fails the test, never turns into a 500 page a test could miss.
        "PROPAGATE_EXCEPTIONS": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        # Port 9 (discard) on loopback: any mail a test did not set up a sink for fails loudly.
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 9,
        "BASE_URL": "http://notify.test",
        "NOTIFY_CHANNEL": "smtp",
        "GOVUK_NOTIFY_BASE_URL": "http://127.0.0.1:9",
        "RATELIMIT_ENABLED": False,
        # the federation tests run a second instance on loopback
        "FEDERATION_ALLOW_LOOPBACK": True,
    }
