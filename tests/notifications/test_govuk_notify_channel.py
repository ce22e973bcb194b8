"""The GOV.UK Notify channel against a fake Notify API on loopback: what it posts, how it
signs, and which of Notify's answers are retried."""

import socket
import threading
import time
import uuid
from collections.abc import Iterator

import jwt
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from notify.config import ConfigError
from notify.notifications.channels.base import (
    DeliveryError,
    PermanentError,
    TransientError,
)
from notify.notifications.channels.govuk_notify import GovukNotifyChannel, channel_from_config
from tests.support.builders import create_message
from tests.support.mail import MailGuard

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"placement-notify-test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())
SEND_EMAIL = "/v2/notifications/email"
# Every test here talks to a fake Notify API on loopback: calls to it are expected.
pytestmark = pytest.mark.usefixtures("govuk_notify_api")


def notify_accepts(httpserver: HTTPServer) -> None:
    """Notify's 201 for a sent email (shape from its API documentation)."""
    httpserver.expect_oneshot_request(SEND_EMAIL, method="POST").respond_with_json(
        {
            "id": str(uuid.uuid4()),
            "reference": "PN-123",
            "content": {"subject": "Placement start", "body": "…", "from_email": "x@notify"},
            "uri": f"https://api.notifications.service.gov.uk{SEND_EMAIL}/1",
            "template": {"id": TEMPLATE_ID, "version": 1, "uri": "https://example/t"},
        },
        status=201,
    )


def notify_channel(httpserver: HTTPServer, timeout: float = 2.0) -> GovukNotifyChannel:
    return GovukNotifyChannel(API_KEY, TEMPLATE_ID, httpserver.url_for("/"), timeout=timeout)


def test_a_sent_message_posts_address_template_personalisation_and_reference(
    httpserver: HTTPServer,
) -> None:
    notify_accepts(httpserver)
    channel = channel_from_config(
        {
            "NOTIFY_CHANNEL": "govuk_notify",
            "GOVUK_NOTIFY_API_KEY": API_KEY,
            "GOVUK_NOTIFY_TEMPLATE_ID": TEMPLATE_ID,
            "GOVUK_NOTIFY_BASE_URL": httpserver.url_for("/"),
        }
    )

    channel.send(
        create_message(
            to="lac.notifications@herefordshire.example",
            subject="Placement start: J.S. (PN-123), placed by Worcestershire",
            text="A child we look after has been placed in your area.\n\nReference PN-123.",
            reference="PN-123",
            personalisation={"acknowledge_url": "http://notify.test/acknowledge/abc"},
        )
    )

    [(request, _)] = httpserver.log
    assert request.get_json() == {
        "email_address": "lac.notifications@herefordshire.example",
        "template_id": TEMPLATE_ID,
        "personalisation": {
            "subject": "Placement start: J.S. (PN-123), placed by Worcestershire",
            "body": "A child we look after has been placed in your area.\n\nReference PN-123.",
            "acknowledge_url": "http://notify.test/acknowledge/abc",
        },
        "reference": "PN-123",
    }


def test_the_request_carries_a_jwt_issued_by_the_service_and_signed_with_the_key_secret(
    httpserver: HTTPServer,
) -> None:
    notify_accepts(httpserver)

    notify_channel(httpserver).send(create_message())

    [(request, _)] = httpserver.log
    scheme, _, token = request.headers["Authorization"].partition(" ")
    assert scheme == "Bearer"
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, key=SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID
    assert abs(claims["iat"] - time.time()) < 30
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, key=str(uuid.uuid4()), algorithms=["HS256"])


def test_extra_personalisation_cannot_replace_the_rendered_subject_or_body(
    httpserver: HTTPServer,
) -> None:
    notify_accepts(httpserver)
    message = create_message(personalisation={"subject": "stale", "body": "stale", "ref": "PN-9"})

    notify_channel(httpserver).send(message)

    [(request, _)] = httpserver.log
    sent = request.get_json()["personalisation"]
    assert (sent["subject"], sent["body"], sent["ref"]) == (message.subject, message.text, "PN-9")


@pytest.mark.parametrize(
    ("status", "error", "notify_says", "raised"),
    [
        (400, "BadRequestError", "email_address Not a valid email address", PermanentError),
        (400, "BadRequestError", "Template not found", PermanentError),
        (403, "AuthError", "Invalid token: API key not found", PermanentError),
        (
            429,
            "RateLimitError",
            "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
            TransientError,
        ),
        (500, "Exception", "Internal server error", TransientError),
        (503, "Exception", "Service unavailable", TransientError),
    ],
)
def test_notify_error_statuses_become_permanent_or_transient_with_notifys_own_words(
    httpserver: HTTPServer,
    status: int,
    error: str,
    notify_says: str,
    raised: type[DeliveryError],
) -> None:
    httpserver.expect_oneshot_request(SEND_EMAIL, method="POST").respond_with_json(
        {"status_code": status, "errors": [{"error": error, "message": notify_says}]},
        status=status,
    )

    with pytest.raises(DeliveryError) as caught:
        notify_channel(httpserver).send(create_message())

    assert type(caught.value) is raised
    assert str(caught.value) == f"GOV.UK Notify {status}: {error}: {notify_says}"


def test_a_gateway_error_page_that_is_not_json_is_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(SEND_EMAIL, method="POST").respond_with_data(
        "<html>Bad gateway</html>", status=502, content_type="text/html"
    )

    with pytest.raises(TransientError, match="GOV.UK Notify 502"):
        notify_channel(httpserver).send(create_message())


def test_a_success_status_without_notifys_json_is_retried_rather_than_counted_as_sent(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_oneshot_request(SEND_EMAIL, method="POST").respond_with_data(
        "<html>Sign in to the proxy</html>", status=200, content_type="text/html"
    )

    with pytest.raises(TransientError, match="could not be read"):
        notify_channel(httpserver).send(create_message())


@pytest.fixture
def closed_port(mail_guard: MailGuard) -> Iterator[int]:
    """A loopback port that is bound but not listening, so connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        mail_guard.expect(port)
        yield port


def test_notify_being_unreachable_is_transient(closed_port: int) -> None:
    channel = GovukNotifyChannel(API_KEY, TEMPLATE_ID, f"http://127.0.0.1:{closed_port}")

    with pytest.raises(TransientError, match="did not answer: ConnectionError"):
        channel.send(create_message())


def test_notify_answering_after_the_timeout_is_transient(httpserver: HTTPServer) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(5)
        return Response("{}", status=201, content_type="application/json")

    httpserver.expect_oneshot_request(SEND_EMAIL, method="POST").respond_with_handler(slow)
    started = time.monotonic()
    try:
        with pytest.raises(TransientError, match="did not answer: ReadTimeout"):
            notify_channel(httpserver, timeout=0.2).send(create_message())
        assert time.monotonic() - started < 2
    finally:
        release.set()
        # The fake server is shared and single-threaded: let the slow answer finish
        # before the next test starts with a clean log.
        deadline = time.monotonic() + 5
        while not httpserver.log and time.monotonic() < deadline:
            time.sleep(0.01)


def test_a_configured_govuk_notify_channel_talks_to_the_configured_base_url() -> None:
    channel = channel_from_config(
        {
            "NOTIFY_CHANNEL": " GOVUK_NOTIFY ",
            "GOVUK_NOTIFY_API_KEY": API_KEY,
            "GOVUK_NOTIFY_TEMPLATE_ID": TEMPLATE_ID,
            "GOVUK_NOTIFY_BASE_URL": "http://notify.internal:6011",
        }
    )

    assert isinstance(channel, GovukNotifyChannel)
    assert channel.template_id == TEMPLATE_ID
    assert channel._client.base_url == "http://notify.internal:6011"


GOOD = {
    "NOTIFY_CHANNEL": "govuk_notify",
    "GOVUK_NOTIFY_API_KEY": API_KEY,
    "GOVUK_NOTIFY_TEMPLATE_ID": TEMPLATE_ID,
}


@pytest.mark.parametrize(
    ("over", "complaint"),
    [
        ({"GOVUK_NOTIFY_API_KEY": None}, "needs GOVUK_NOTIFY_API_KEY$"),
        ({"GOVUK_NOTIFY_TEMPLATE_ID": "  "}, "needs GOVUK_NOTIFY_TEMPLATE_ID$"),
        (
            {"GOVUK_NOTIFY_API_KEY": "", "GOVUK_NOTIFY_TEMPLATE_ID": None},
            "needs GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_TEMPLATE_ID",
        ),
        ({"GOVUK_NOTIFY_API_KEY": SECRET}, "is not a Notify API key"),
        ({"GOVUK_NOTIFY_API_KEY": f"name-{SERVICE_ID[:-1]}x-{SECRET}"}, "not a Notify API key"),
        ({"GOVUK_NOTIFY_TEMPLATE_ID": "placement-start"}, "TEMPLATE_ID must be a UUID"),
        ({"GOVUK_NOTIFY_BASE_URL": "notify.internal:6011"}, "BASE_URL must be an http"),
        ({"NOTIFY_CHANNEL": "pigeon"}, "must be one of smtp, govuk_notify, not 'pigeon'"),
    ],
)
def test_bad_govuk_notify_settings_stop_start_up_with_a_clear_error(
    over: dict[str, str | None], complaint: str
) -> None:
    with pytest.raises(ConfigError, match=complaint) as caught:
        channel_from_config(GOOD | over)

    assert SECRET not in str(caught.value)
