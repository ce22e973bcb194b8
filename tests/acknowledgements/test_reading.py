"""Every recipient can read the notice in full (DOMAIN.md §4): one on a secure mail domain in
the email; anyone else from the link in the email, once they confirm the address it was sent
to, on the page and as a PDF. A wrong address is refused; both are in the audit trail."""

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Contact, Notification, SecureDomain
from notify.notifications.channels.email import EmailChannel
from notify.notifications.delivery import dispatch_once
from tests.support.builders import create_child, create_placement, give_every_body_an_address, later
from tests.support.mail import mail_to
from tests.support.requests import expect_status
from tests.support.smtp import SmtpSink

GIVEN, FAMILY = "Florentyna", "Quist"
RISKS = "Went missing twice in October; at risk of criminal exploitation"
PARENT = "mary.parent@people.example"  # not a secure domain
GP = "worcester.surgery@nhs.net"  # NHSmail: secure by default


@pytest.fixture
def channel(app: Flask, smtp_sink: SmtpSink) -> Iterator[EmailChannel]:
    with EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        yield channel


def _placed_and_delivered(db_session: Session, channel: EmailChannel, smtp_sink: SmtpSink):
    give_every_body_an_address(db_session)
    child = create_child(db_session, given_name=GIVEN, family_name=FAMILY, risks=RISKS)
    db_session.add_all(
        [
            Contact(child=child, role="parent", name="Mary Parent", email=PARENT),
            Contact(child=child, role="gp", name="Worcester Surgery", email=GP),
        ]
    )
    db_session.flush()
    create_placement(db_session, child, "HR1 1AA")
    db_session.commit()
    dispatch_once(db_session, channel, later())
    received = {m.rcpt_tos[0]: m for m in smtp_sink.messages()}
    return child, received


def _rows(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def test_a_recipient_on_a_secure_domain_gets_the_full_notice_in_the_email(
    db_session: Session, channel: EmailChannel, smtp_sink: SmtpSink
) -> None:
    assert db_session.get(SecureDomain, "nhs.net") is not None  # seeded by the migration
    child, received = _placed_and_delivered(db_session, channel, smtp_sink)
    body = received[GP].body("plain")
    assert f"{GIVEN} {FAMILY}" in body
    assert RISKS in body
    assert f"{GIVEN} {FAMILY}" not in received[PARENT].body("plain")


def test_a_recipient_elsewhere_reads_the_full_notice_after_confirming_their_address(
    client: FlaskClient,
    db_session: Session,
    channel: EmailChannel,
    smtp_sink: SmtpSink,
    tmp_path: Path,
) -> None:
    child, received = _placed_and_delivered(db_session, channel, smtp_sink)
    email = received[PARENT].body("plain")
    (link,) = set(re.findall(r"https?://[^/\s]+(/acknowledge/[A-Za-z0-9._-]+)", email))
    notice = db_session.scalars(select(Notification).where(Notification.address == PARENT)).one()

    asked = client.get(link)
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert 'name="email"' in page
    assert GIVEN not in page
    assert FAMILY not in page

    refused = client.post(f"{link}/read", data={"email": "someone.else@people.example"})
    assert refused.status_code == 403
    assert "That is not the address this notice was sent to" in refused.get_data(as_text=True)
    assert PARENT not in refused.get_data(as_text=True)  # the answer never reveals it
    assert GIVEN not in expect_status(client.get(link), 200).get_data(as_text=True)

    confirmed = client.post(f"{link}/read", data={"email": "  Mary.Parent@People.Example "})
    assert confirmed.status_code == 303
    shown = _rows(expect_status(client.get(link), 200).get_data(as_text=True))
    born = child.date_of_birth
    assert f"Name {GIVEN} {FAMILY}" in shown
    assert f"Date of birth {born.day} {born:%B %Y}" in shown
    assert "Address 1 Example Road, HR1 1AA" in shown
    assert f"Recorded risks {RISKS}" in shown
    assert 'name="name"' in shown or "Confirm receipt" in shown  # the acknowledgement under it

    pdf = client.get(f"{link}/notice.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read the PDF"
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf.data)
    words = re.sub(
        r"\s+",
        " ",
        subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout,
    )
    for expected in (
        f"{GIVEN} {FAMILY}",
        f"{born.day} {born:%B %Y}",
        "1 Example Road, HR1 1AA",
        "Went missing twice in October",
        "Risks and vulnerabilities",
    ):
        assert expected in words, expected

    events = [
        (e.action, (e.detail or {}).get("reader"), e.remote_address)
        for e in db_session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == "notification", AuditEvent.subject_id == str(notice.id)
            )
            .order_by(AuditEvent.id)
        )
    ]
    assert events == [
        ("notice_read_refused", None, "127.0.0.1"),
        ("notice_view", PARENT, "127.0.0.1"),
        ("notice_pdf", PARENT, "127.0.0.1"),
    ]


def test_the_pdf_needs_the_address_confirmed_first(
    client: FlaskClient, db_session: Session, channel: EmailChannel, smtp_sink: SmtpSink
) -> None:
    _, received = _placed_and_delivered(db_session, channel, smtp_sink)
    (link,) = set(
        re.findall(
            r"https?://[^/\s]+(/acknowledge/[A-Za-z0-9._-]+)", received[PARENT].body("plain")
        )
    )
    response = client.get(f"{link}/notice.pdf")
    assert response.status_code == 302 and response.headers["Location"] == link


def test_wrong_answers_are_limited(
    strict_app: Flask, db_session: Session, channel: EmailChannel, smtp_sink: SmtpSink
) -> None:
    _, received = _placed_and_delivered(db_session, channel, smtp_sink)
    (link,) = set(
        re.findall(
            r"https?://[^/\s]+(/acknowledge/[A-Za-z0-9._-]+)", received[PARENT].body("plain")
        )
    )
    visitor = strict_app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    answers = [
        visitor.post(
            f"{link}/read", data={"email": f"guess{i}@people.example", "csrf_token": token[1]}
        ).status_code
        for i in range(6)
    ]
    assert answers == [403] * 5 + [429]
    # even the right address waits out the limit
    right = {"email": PARENT, "csrf_token": token[1]}
    assert visitor.post(f"{link}/read", data=right).status_code == 429


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"email": ""}, 400),
        ({"email": "x" * 300}, 400),
        # the first of several values is the answer, and it is wrong
        ({"email": ["a", PARENT]}, 403),
    ],
)
def test_a_malformed_answer_is_asked_again(
    client: FlaskClient,
    db_session: Session,
    channel: EmailChannel,
    smtp_sink: SmtpSink,
    body,
    status,
) -> None:
    _, received = _placed_and_delivered(db_session, channel, smtp_sink)
    (link,) = set(
        re.findall(
            r"https?://[^/\s]+(/acknowledge/[A-Za-z0-9._-]+)", received[PARENT].body("plain")
        )
    )
    response = client.post(f"{link}/read", data=body)
    assert response.status_code == status
    assert "There is a problem" in response.get_data(as_text=True)
