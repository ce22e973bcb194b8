"""The local mail sink and the development-only "Sent mail" page: a real aiosmtpd server on a
free loopback port, messages sent to it with smtplib, the page read through the test client."""

import re
import smtplib
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from notify.devmail import PAGE_SIZE, Sink, message_ids, running_sink
from tests.support.mail import MailGuard
from tests.support.requests import sign_in

SENDER = "placement-notify@worcestershire.example"
HOST_INBOX = "childrens.services@leeds.example"
ICB_INBOX = "lac.health@wyicb.example"
SUBJECT = "Placement start: J.E. (WCF-204511), placed by Worcestershire"
ACK_LINK = "http://notify.test/acknowledge/n42.signed-token"
RECEIVED = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}:\d\d:\d\d[ap]m")

_numbers = iter(range(1000, 100_000))


@pytest.fixture
def sink(tmp_path: Path, mail_guard: MailGuard) -> Iterator[Sink]:
    with running_sink(tmp_path / "mail", port=0) as running:
        mail_guard.expect(running.port)
        yield running


@pytest.fixture
def development(app: Flask, sink: Sink, monkeypatch: pytest.MonkeyPatch) -> Sink:
    """The app as `make run` has it: in development, reading the sink's folder."""
    monkeypatch.setitem(app.config, "ENV_NAME", "development")
    monkeypatch.setitem(app.config, "DEV_MAIL_DIR", str(sink.folder))
    return sink


def send(
    sink: Sink,
    subject: str = SUBJECT,
    to: str = HOST_INBOX,
    text: str | None = None,
    html: str | None = None,
    bcc: list[str] | None = None,
) -> None:
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<notification-{next(_numbers)}@placement-notify.example>"
    message.set_content(
        text or f"A child we look after has been placed in your area.\n\nAcknowledge: {ACK_LINK}\n"
    )
    if html is not None:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP(sink.host, sink.port, timeout=10) as smtp:
        smtp.send_message(message, to_addrs=[to, *(bcc or [])])


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def message_links(listing: str) -> list[str]:
    return re.findall(r'href="(/dev/sent-mail/[^"/?]+)"', listing)


def test_the_sink_keeps_each_message_it_receives_as_an_eml_file(sink: Sink) -> None:
    send(sink, bcc=[ICB_INBOX])

    files = list(sink.folder.iterdir())
    assert [f.suffix for f in files] == [".eml"]
    assert re.fullmatch(r"\d{8}T\d{6}\.\d{6}Z-\d{6}\.eml", files[0].name)
    kept = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert kept["Subject"] == SUBJECT
    assert kept["To"] == HOST_INBOX
    # The envelope is kept too: it is the only record of a Bcc.
    assert kept["X-RcptTo"] == f"{HOST_INBOX}, {ICB_INBOX}"
    assert kept["X-MailFrom"] == SENDER
    assert ACK_LINK in kept.get_body(preferencelist=("plain",)).get_content()


def test_the_sink_names_messages_so_that_they_list_newest_first(sink: Sink) -> None:
    for n in range(1, 4):
        send(sink, subject=f"Message {n}")

    subjects = [
        BytesParser(policy=policy.default).parsebytes(
            (sink.folder / f"{i}.eml").read_bytes(), headersonly=True
        )["Subject"]
        for i in message_ids(sink.folder)
    ]
    assert subjects == ["Message 3", "Message 2", "Message 1"]


def test_an_administrator_sees_the_sent_mail_newest_first_with_time_recipient_and_subject(
    client: FlaskClient, db_session: Session, development: Sink
) -> None:
    send(development, subject="Placement start: A.B. (WCF-1)", to=HOST_INBOX)
    send(development, subject="Placement end: C.D. (WCF-2)", to=ICB_INBOX)
    sign_in(client, db_session, "admin")

    listing = page(client, "/dev/sent-mail")

    assert "2 messages, newest first" in listing
    assert listing.index("Placement end: C.D.") < listing.index("Placement start: A.B.")
    assert HOST_INBOX in listing and ICB_INBOX in listing
    assert len(RECEIVED.findall(listing)) == 2
    assert len(message_links(listing)) == 2


def test_an_administrator_opens_a_message_and_sees_its_headers_and_both_parts(
    client: FlaskClient, db_session: Session, development: Sink
) -> None:
    send(development, html=f'<p>Placed in your area. <a href="{ACK_LINK}">Acknowledge</a></p>')
    sign_in(client, db_session, "admin")

    (link,) = message_links(page(client, "/dev/sent-mail"))
    shown = page(client, link)

    assert SUBJECT in shown
    for value in (SENDER, HOST_INBOX, "@placement-notify.example&gt;"):
        assert value in shown
    assert "A child we look after has been placed in your area." in shown
    assert f'src="{link}/html"' in shown
    html = client.get(f"{link}/html")
    assert html.status_code == 200
    assert html.mimetype == "text/html"
    assert "<p>Placed in your area." in html.get_data(as_text=True)


def test_a_message_with_only_a_plain_text_part_says_it_has_no_html(
    client: FlaskClient, db_session: Session, development: Sink
) -> None:
    send(development)
    sign_in(client, db_session, "admin")

    (link,) = message_links(page(client, "/dev/sent-mail"))

    assert "This message has no HTML part." in page(client, link)
    assert client.get(f"{link}/html").status_code == 404


def test_web_addresses_in_the_plain_text_can_be_followed_and_nothing_else_becomes_a_link(
    client: FlaskClient, db_session: Session, development: Sink
) -> None:
    send(development, text=f"Acknowledge at {ACK_LINK}.\nNot a link: javascript:alert(1)\n")
    sign_in(client, db_session, "admin")

    (link,) = message_links(page(client, "/dev/sent-mail"))
    shown = page(client, link)

    assert f'href="{ACK_LINK}"' in shown  # the full stop after it is not part of the address
    assert 'href="javascript' not in shown


def test_an_html_part_with_a_script_is_shown_sandboxed_and_never_put_into_the_page(
    client: FlaskClient, db_session: Session, development: Sink
) -> None:
    hostile = '<p>Hello</p><script>document.title="pwned"</script><img src=x onerror="alert(1)">'
    send(
        development,
        subject='<script>alert("subject")</script>',
        text="Plain <script>alert(document.cookie)</script> text",
        html=hostile,
    )
    sign_in(client, db_session, "admin")

    listing = page(client, "/dev/sent-mail")
    (link,) = message_links(listing)
    shown = page(client, link)
    html = client.get(f"{link}/html")
    assert html.status_code == 200

    assert '<script>alert("subject")' not in listing
    assert "&lt;script&gt;alert(&#34;subject&#34;)" in listing
    assert "Plain &lt;script&gt;alert(document.cookie)" in shown
    for markup in ("<script>alert(document.cookie)", "<script>document.title", "<img src=x"):
        assert markup not in shown
    (frame,) = re.findall(r"<iframe[^>]*>", shown)
    assert re.search(r"\ssandbox\s", frame), "the frame must be sandboxed with no allowances"
    policy_header = html.headers["Content-Security-Policy"]
    assert policy_header.startswith("sandbox;")
    assert "default-src 'none'" in policy_header
    assert "script" not in policy_header
    assert html.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", ["social_worker", "sqa_officer", "business_support", "manager"])
def test_people_without_the_admin_role_are_refused(
    client: FlaskClient, db_session: Session, development: Sink, role: str
) -> None:
    send(development)
    (message_id,) = message_ids(development.folder)
    sign_in(client, db_session, role)

    for path in (
        "/dev/sent-mail",
        f"/dev/sent-mail/{message_id}",
        f"/dev/sent-mail/{message_id}/html",
    ):
        assert client.get(path).status_code == 403, path


def test_a_signed_out_visitor_in_development_is_asked_to_sign_in(
    client: FlaskClient, development: Sink
) -> None:
    response = client.get("/dev/sent-mail")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("env", ["testing", "production"])
@pytest.mark.parametrize("signed_in", [True, False], ids=["admin", "signed-out"])
def test_outside_development_the_pages_do_not_exist(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    development: Sink,
    monkeypatch: pytest.MonkeyPatch,
    env: str,
    signed_in: bool,
) -> None:
    send(development, html="<p>Hello</p>")
    (message_id,) = message_ids(development.folder)
    if signed_in:
        sign_in(client, db_session, "admin")
    monkeypatch.setitem(app.config, "ENV_NAME", env)

    for path in (
        "/dev/sent-mail",
        f"/dev/sent-mail/{message_id}",
        f"/dev/sent-mail/{message_id}/html",
    ):
        assert client.get(path).status_code == 404, path


def test_only_messages_the_sink_kept_can_be_opened(
    client: FlaskClient, db_session: Session, development: Sink
) -> None:
    (development.folder / "notes.eml").write_text("Subject: not one of ours\n\nhello\n")
    (development.folder.parent / "secret.eml").write_text("Subject: outside the folder\n\n")
    sign_in(client, db_session, "admin")

    assert "No messages yet" in page(client, "/dev/sent-mail")
    for path in (
        "/dev/sent-mail/notes",
        "/dev/sent-mail/..%2Fsecret",
        "/dev/sent-mail/20250101T000000.000000Z-000001",  # the right shape, but never kept
    ):
        assert client.get(path).status_code == 404, path


def test_a_long_list_is_split_into_pages_of_fifty(
    client: FlaskClient, db_session: Session, development: Sink
) -> None:
    message = EmailMessage()
    message["From"], message["To"] = SENDER, HOST_INBOX
    message.set_content("Placed in your area.")
    with smtplib.SMTP(development.host, development.port, timeout=10) as smtp:
        for n in range(PAGE_SIZE + 1):
            del message["Subject"]
            message["Subject"] = f"Notice {n:03d}"
            smtp.send_message(message)
    sign_in(client, db_session, "admin")

    first = page(client, "/dev/sent-mail")
    second = page(client, "/dev/sent-mail?page=2")

    assert len(message_links(first)) == PAGE_SIZE and "Notice 050" in first
    assert "Older messages" in first
    assert message_links(second) and "Notice 000" in second and "Notice 001" not in second
    assert client.get("/dev/sent-mail?page=3").status_code == 404
