"""The guard every test runs under: mail by SMTP or by the GOV.UK Notify API that the test
did not set up is named (and fails the test at its end); what it set up is
not. Each test sends for real, sees the guard name it, then expects it so that it passes."""

import smtplib
import uuid

from pytest_httpserver import HTTPServer

from notify.notifications.channels.govuk_notify import GovukNotifyChannel
from tests.support.builders import create_message
from tests.support.mail import MailGuard
from tests.support.smtp import SmtpSink


def test_an_smtp_connection_to_a_port_the_test_did_not_set_up_is_named(
    mail_guard: MailGuard,
) -> None:
    sink = SmtpSink().start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as smtp:
            smtp.noop()
    finally:
        sink.stop()

    assert mail_guard.unexpected() == [f"SMTP 127.0.0.1:{sink.port}"]
    mail_guard.expect(sink.port)
    assert mail_guard.unexpected() == []


def test_a_call_to_a_notify_api_the_test_did_not_set_up_is_named(
    mail_guard: MailGuard, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request("/v2/notifications/email").respond_with_json(
        {"id": str(uuid.uuid4())}, status=201
    )
    api_key = f"guard-test-{uuid.uuid4()}-{uuid.uuid4()}"
    channel = GovukNotifyChannel(api_key, str(uuid.uuid4()), httpserver.url_for("/"))

    channel.send(create_message())

    assert mail_guard.unexpected() == [f"GOV.UK Notify {httpserver.host}:{httpserver.port}"]
    mail_guard.expect(httpserver.port)
    assert mail_guard.unexpected() == []
