"""The delivery fixtures (SMTP sink, mail guard, apps on databases of their own) for the
reliability tests too."""

from tests.notifications.conftest import (  # noqa: F401 - fixtures, found by name
    delivery_logs,
    mail_guard,
    own_app,
    own_database,
    smtp_sink,
)
