"""Federation: notices to an authority that runs Placement Notify too are posted to its API (a
fake on loopback here; tests/federation runs two real instances), and its acceptance comes
back as the acknowledgement."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy.orm import Session

from models import Authority, Notification
from models.enums import NotificationStatus as Status
from notify.notifications.channels.base import (
    ApiDelivery,
    OutgoingMessage,
    PermanentError,
    TransientError,
)
from notify.notifications.channels.email import EmailChannel
from notify.notifications.channels.federation import FederationChannel, Routed
from notify.notifications.delivery import dispatch_once
from notify.notifications.federation import api_deliveries, collect_acceptances
from notify.sealing import seal, unseal
from tests.support.builders import (
    HEREFORDSHIRE,
    create_message,
    give_every_body_an_address,
    later,
    placed_child_notices,
)
from tests.support.mail import mail_to
from tests.support.smtp import SmtpSink

THEIR_KEY = "pn_live_herefordshire-issued-us-this"
NOTICES = "/api/v1/inbound-notices"


def create_api_message(endpoint: str, **over: Any) -> OutgoingMessage:
    """A notice to be posted to `endpoint` (another instance's API) instead of emailed."""
    api = ApiDelivery(endpoint, THEIR_KEY, {"reference": "PN-41"})
    return create_message(**{"text": "…", "html": "<p>…</p>", "api": api, **over})


def test_a_sealed_key_opens_only_with_the_same_secret_key() -> None:
    sealed = seal(THEIR_KEY, "our-secret")
    assert THEIR_KEY not in sealed
    assert unseal(sealed, "our-secret") == THEIR_KEY
    assert unseal(sealed, "another-secret") is None
    assert unseal(sealed[:-4] + "AAAA", "our-secret") is None
    assert unseal("not a token", "our-secret") is None


def test_a_notice_is_posted_with_the_key_and_its_id_there_returned(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_oneshot_request(
        NOTICES, method="POST", headers={"Authorization": f"Bearer {THEIR_KEY}"}
    ).respond_with_json({"id": 77, "status": "received"}, status=201)

    receipt = FederationChannel({}).start(create_api_message(httpserver.url_for("/api/v1")))()

    assert receipt == "77"
    (request, _), *_ = httpserver.log
    assert json.loads(request.data) == {"reference": "PN-41"}
    httpserver.check_assertions()


@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (200, {"id": 5}, None, None),  # the same notice posted again: the one it has
        (201, {"status": "received"}, TransientError, "without a notice id"),
        (
            422,
            {
                "error": {
                    "status": 422,
                    "code": "validation_failed",
                    "message": "The notice has 1 problem.",
                    "fields": {"placement.address.postcode": ["WR1 2AB is in Worcestershire."]},
                }
            },
            PermanentError,
            "placement.address.postcode: WR1 2AB is in Worcestershire.",
        ),
        (409, {"error": {"message": "Reference reused"}}, PermanentError, "Reference reused"),
        (401, {"error": {"message": "No valid key"}}, PermanentError, "HTTP 401"),
        (429, {"error": {"message": "Slow down"}}, TransientError, "HTTP 429"),
        (503, "Service Unavailable", TransientError, "HTTP 503"),
    ],
)
def test_the_recipients_answer_decides_whether_a_post_is_retried(
    httpserver: HTTPServer, status: int, body: Any, error: type | None, words: str | None
) -> None:
    handler = httpserver.expect_oneshot_request(NOTICES, method="POST")
    if isinstance(body, dict):
        handler.respond_with_json(body, status=status)
    else:
        handler.respond_with_data(body, status=status)
    channel = FederationChannel({})
    message = create_api_message(httpserver.url_for("/api/v1"))

    if error is None:
        assert channel.start(message)() == "5"
        return
    with pytest.raises(error) as raised:
        channel.send(message)
    assert words in str(raised.value)


def test_an_api_that_cannot_be_reached_is_a_transient_failure() -> None:
    with pytest.raises(TransientError):
        FederationChannel({"MAIL_TIMEOUT": 2}).send(create_api_message("http://127.0.0.1:9/api/v1"))


@pytest.fixture
def federated(app: Flask, db_session: Session, httpserver: HTTPServer) -> Iterator[Authority]:
    """Herefordshire runs Placement Notify: its API is the fake, and it issued us a key."""
    give_every_body_an_address(db_session)
    herefordshire = db_session.get(Authority, HEREFORDSHIRE)
    assert herefordshire is not None
    herefordshire.api_endpoint = httpserver.url_for("/api/v1")
    herefordshire.api_key_encrypted = seal(THEIR_KEY, app.config["SECRET_KEY"])
    yield herefordshire


def test_a_federated_authority_gets_its_notice_by_api_and_the_rest_go_by_email(
    app: Flask,
    db_session: Session,
    federated: Authority,
    httpserver: HTTPServer,
    smtp_sink: SmtpSink,
) -> None:
    httpserver.expect_oneshot_request(NOTICES, method="POST").respond_with_json(
        {"id": 501, "status": "received"}, status=201
    )
    notices = placed_child_notices(db_session, "HR1 1AA")
    to_them = next(n for n in notices if n.recipient_code == HEREFORDSHIRE)
    child = to_them.child

    with EmailChannel(mail_to(app, smtp_sink.port)) as email:
        done = dispatch_once(db_session, Routed(email, FederationChannel(app.config)), later())

    assert done.sent == len([n for n in notices if n.status != Status.NEEDS_ADDRESS])
    db_session.refresh(to_them)
    assert (to_them.status, to_them.channel, to_them.remote_id) == (Status.SENT, "api", "501")
    emailed = {m.rcpt_tos[0] for m in smtp_sink.messages()}
    assert to_them.address not in emailed and len(emailed) == done.sent - 1
    (request, _), *_ = httpserver.log
    posted = json.loads(request.data)
    assert posted["reference"] == f"PN-{to_them.id}"
    assert posted["notice_type"] == "placement_start"
    assert posted["placing_authority"] == child.responsible_authority_code
    assert posted["child"]["placing_authority_child_id"] == child.case_reference
    assert posted["child"]["date_of_birth"] == child.date_of_birth.isoformat()
    assert posted["placement"]["address"]["postcode"] == "HR1 1AA"
    assert set(posted) >= {"previous_address", "contacts", "school", "gp", "risks"}


@pytest.mark.parametrize(
    ("endpoint", "allow_loopback"),
    [
        ("https://10.0.0.5/api/v1", True),  # saved before the directory refused such addresses
        ("https://169.254.169.254/latest", True),
        (None, False),  # the fake on loopback, where loopback is not allowed (production)
    ],
)
def test_an_endpoint_inside_our_network_is_never_called_the_notice_is_emailed_instead(
    app: Flask,
    db_session: Session,
    federated: Authority,
    httpserver: HTTPServer,
    endpoint: str | None,
    allow_loopback: bool,
) -> None:
    if endpoint is not None:
        federated.api_endpoint = endpoint
    config = {**app.config, "FEDERATION_ALLOW_LOOPBACK": allow_loopback}
    notices = placed_child_notices(db_session, "HR1 1AA")
    to_them = next(n for n in notices if n.recipient_code == HEREFORDSHIRE)

    deliveries = api_deliveries(db_session, [n.id for n in notices], config)
    _sent_by_api(db_session, "501")
    found = collect_acceptances(db_session, config)

    assert to_them.id not in deliveries
    assert (found.asked, found.unreachable) == (0, 1)
    assert httpserver.log == []


def _sent_by_api(db_session: Session, remote_id: str) -> Notification:
    notice = next(n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code)
    notice.status, notice.channel, notice.remote_id = Status.SENT, "api", remote_id
    notice.recipient_kind, notice.recipient_code = "authority", HEREFORDSHIRE
    notice.sent_at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    db_session.flush()
    return notice


def test_an_acceptance_there_is_the_acknowledgement_here(
    app: Flask, db_session: Session, federated: Authority, httpserver: HTTPServer
) -> None:
    notice = _sent_by_api(db_session, "501")
    httpserver.expect_oneshot_request(
        f"{NOTICES}/501", method="GET", headers={"Authorization": f"Bearer {THEIR_KEY}"}
    ).respond_with_json(
        {
            "id": 501,
            "status": "accepted",
            "decision": {"at": "2026-11-03T10:15:00+00:00", "by": "Hal Host", "note": None},
        }
    )

    found = collect_acceptances(db_session, app.config)

    assert (found.asked, found.acknowledged) == (1, 1)
    db_session.refresh(notice)
    assert (notice.status, notice.acknowledged_via, notice.acknowledged_by_name) == (
        Status.ACKNOWLEDGED,
        "api",
        "Hal Host",
    )
    assert notice.acknowledged_at == datetime(2026, 11, 3, 10, 15, tzinfo=UTC)
    httpserver.check_assertions()


def test_a_rejection_there_leaves_it_waiting_with_the_reason(
    app: Flask, db_session: Session, federated: Authority, httpserver: HTTPServer
) -> None:
    notice = _sent_by_api(db_session, "502")
    httpserver.expect_oneshot_request(f"{NOTICES}/502", method="GET").respond_with_json(
        {"id": 502, "status": "rejected", "decision": {"note": "Not in our area"}}
    )

    found = collect_acceptances(db_session, app.config)

    assert found.rejected == 1
    db_session.refresh(notice)
    assert notice.status == Status.SENT
    assert notice.last_error == "Rejected by Herefordshire: Not in our area"
