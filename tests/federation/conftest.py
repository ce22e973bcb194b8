"""The delivery fixtures (SMTP sink, mail guard) for the federation tests too."""

from tests.notifications.conftest import (  # noqa: F401 - fixtures, found by name
    mail_guard,
    smtp_sink,
)
