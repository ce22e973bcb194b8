"""The email channel against a real SMTP server on loopback: what arrives, and which failures
are retried."""

import smtplib
import socket

import pytest
from flask import Flask

from notify.notifications.channels.base import PermanentError, TransientError
from notify.notifications.channels.email import EmailChannel, classify
from tests.support.builders import create_message
from tests.support.mail import MailGuard, mail_to
from tests.support.smtp import SilentServer, SmtpSink, free_port


def test_a_message_arrives_once_with_its_message_id_headers_and_both_parts(
    app: Flask, smtp_sink: SmtpSink
) -> None:
    message = create_message()
    with app.app_context(), EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        channel.send(message)

    (received,) = smtp_sink.messages()
    assert received.rcpt_tos == ("placements@herefordshire.example",)
    assert received.mail_from == "placement-notify@worcestershire.example"
    headers = received.message
    assert headers["Message-ID"] == "<notification-41@placement-notify>"
    assert headers["Subject"] == message.subject
    assert headers["To"] == "placements@herefordshire.example"
    assert headers["From"] == "placement-notify@worcestershire.example"
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["X-Placement-Notify-Reference"] == "PN-41"
    assert headers.get_content_type() == "multipart/alternative"
    assert received.body("plain") == message.text
    assert received.body("html") == message.html


def test_long_lines_and_words_beyond_ascii_arrive_intact_within_smtps_line_limit(
    app: Flask, smtp_sink: SmtpSink
) -> None:
    risks = "Missing from care on several occasions; " * 80  # one line of 3,200 characters
    message = create_message(
        subject="Placement start: ÉÔ (WCF-T000041) from Ynys Môn, " + "a long subject " * 6,
        text=f"Recorded risks: {risks}\nCarer: Siân Llŷr\n",
        html=f"<p>{risks}</p>\n<p>Carer: Siân Llŷr</p>\n",
    )
    with app.app_context(), EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        channel.send(message)

    (received,) = smtp_sink.messages()
    assert max(len(line) for line in received.raw.split(b"\r\n")) <= 78
    assert received.message["Subject"] == message.subject
    assert received.body("plain") == message.text
    assert received.body("html") == message.html


def test_a_message_started_and_never_finished_is_not_delivered(
    app: Flask, smtp_sink: SmtpSink
) -> None:
    first, second = create_message(), create_message(notification_id=42, message_id="<n-42@pn>")
    with app.app_context(), EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        channel.start(first)  # envelope and data sent; the worker dies before the last line
        channel.close()
        assert smtp_sink.messages() == []
        channel.start(first)
        channel.start(second)()  # a fresh start drops the unfinished one
        channel.start(first)()

    assert smtp_sink.message_ids() == ["<n-42@pn>", "<notification-41@placement-notify>"]


def test_a_line_starting_with_a_dot_arrives_as_written(app: Flask, smtp_sink: SmtpSink) -> None:
    text = "Placement start\n.\n..and a line that starts with dots\n"
    with app.app_context(), EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        channel.send(create_message(text=text))

    (received,) = smtp_sink.messages()
    assert received.body("plain") == text


def test_one_connection_carries_a_batch_and_a_dropped_one_is_opened_again(
    app: Flask, smtp_sink: SmtpSink, mail_guard: MailGuard
) -> None:
    with EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        for n in range(3):
            channel.send(create_message(message_id=f"<notification-{n}@placement-notify>"))
        assert len(mail_guard.connections) == 1
        smtp_sink.stop()  # the relay drops the idle connection...
        smtp_sink.start()  # ...and is back
        channel.send(create_message(message_id="<notification-3@placement-notify>"))
    assert len(mail_guard.connections) == 2
    assert smtp_sink.message_ids() == [f"<notification-{n}@placement-notify>" for n in range(4)]


@pytest.mark.parametrize(
    ("refuse", "data_reply", "error"),
    [
        ("550 5.1.1 No such mailbox here", None, PermanentError),
        ("553 5.1.3 Bad destination mailbox address", None, PermanentError),
        ("450 4.2.1 Mailbox busy, try later", None, TransientError),
        ("452 4.3.1 Insufficient system storage", None, TransientError),
        (None, "554 5.6.0 Message content rejected", PermanentError),
        (None, "451 4.3.0 Temporary local problem", TransientError),
        (None, "421 4.4.2 Closing connection", TransientError),
    ],
)
def test_the_relays_answer_decides_whether_a_failure_is_retried(
    app: Flask,
    smtp_sink: SmtpSink,
    refuse: str | None,
    data_reply: str | None,
    error: type[Exception],
) -> None:
    message = create_message()
    if refuse:
        smtp_sink.refuse[message.to] = refuse
    smtp_sink.data_reply = data_reply
    with EmailChannel(mail_to(app, smtp_sink.port)) as channel, pytest.raises(error) as failed:
        channel.send(message)
    code = (refuse or data_reply or "")[:3]
    assert code in str(failed.value)
    assert smtp_sink.messages() == []


def test_a_relay_that_is_down_is_a_transient_failure(app: Flask, mail_guard: MailGuard) -> None:
    port = free_port()
    mail_guard.expect(port)
    with EmailChannel(mail_to(app, port)) as channel, pytest.raises(TransientError) as failed:
        channel.send(create_message())
    assert "ConnectionRefusedError" in str(failed.value)


def test_a_relay_that_stops_answering_times_out_as_a_transient_failure(
    app: Flask, mail_guard: MailGuard
) -> None:
    silent = SilentServer()
    mail_guard.expect(silent.port)
    try:
        config = mail_to(app, silent.port, MAIL_TIMEOUT=0.3)
        with EmailChannel(config) as channel, pytest.raises(TransientError) as failed:
            channel.send(create_message())
    finally:
        silent.close()
    assert "timed out" in str(failed.value)


@pytest.mark.parametrize(
    "field", ["to", "subject", "message_id", "reference"], ids=lambda f: f"line break in {f}"
)
def test_a_line_break_in_a_header_value_is_refused_permanently(app: Flask, field: str) -> None:
    message = create_message(**{field: "x@y.example\r\nBcc: everyone@example.org"})
    with pytest.raises(PermanentError, match="line break"):
        EmailChannel(app.config).build(message)


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"unknown")}), PermanentError),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (451, b"greylisted")}), TransientError),
        (smtplib.SMTPDataError(552, b"too big"), PermanentError),
        (smtplib.SMTPDataError(421, b"shutting down"), TransientError),
        (smtplib.SMTPResponseException(503, b"bad sequence"), PermanentError),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), TransientError),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), TransientError),
        (smtplib.SMTPSenderRefused(553, b"not our sender", "x@y"), TransientError),
        (smtplib.SMTPConnectError(554, b"go away"), TransientError),
        (smtplib.SMTPHeloError(501, b"bad helo"), TransientError),
        (ConnectionRefusedError(111, "Connection refused"), TransientError),
        (ConnectionResetError(104, "Connection reset by peer"), TransientError),
        (TimeoutError("timed out"), TransientError),
        (socket.gaierror(-2, "Name or service not known"), TransientError),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
def test_smtp_failures_are_classified_as_transient_or_permanent(
    failure: Exception, expected: type[Exception]
) -> None:
    assert type(classify(failure)) is expected
