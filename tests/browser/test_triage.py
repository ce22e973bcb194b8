"""Business support triages an inbound notice in a real browser: signs in, opens the queue,
opens the notice, accepts it, and finds the child on the host register. Screenshots of the
queue, the notice and the register are kept."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from notify.auth.service import create_user
from notify.extensions import db
from tests.support.apps import build_app
from tests.support.builders import SIGN_IN_PASSWORD, create_inbound_notice, create_partner_teams

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class TriageServer:
    url: str
    email: str
    reference: str


@pytest.fixture(scope="module")
def triage_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TriageServer]:
    """A live server holding a business support officer and two notices on the queue."""
    database = tmp_path_factory.mktemp("triage-db") / "notify.sqlite3"
    app = build_app(f"sqlite:///{database}", WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = create_user(
            db.session,
            email="bea.support@worcestershire.example",
            name="Bea Support",
            role="business_support",
            password=SIGN_IN_PASSWORD,
        )
        create_partner_teams(db.session)
        notice = create_inbound_notice(db.session)
        create_inbound_notice(
            db.session,
            placing_authority="E08000027",
            child={
                "placing_authority_child_id": "D-7788",
                "given_name": "Tom",
                "family_name": "Ash",
            },
            placement={"address": {"town": "Malvern", "postcode": "WR14 1AA"}},
        )
        db.session.commit()
        email, reference = user.email, notice.reference
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="triage-server", daemon=True)
    thread.start()
    try:
        yield TriageServer(f"http://127.0.0.1:{server.server_port}", email, reference)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_business_support_accepts_a_notice_and_finds_the_child_on_the_register(
    triage_server: TriageServer, chromium: Any, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

    def snap(name: str) -> None:
        page.screenshot(path=screenshot_dir / f"triage-{name}.png", full_page=True)

    try:
        page.goto(f"{triage_server.url}/inbound")
        page.get_by_label("Email address").fill(triage_server.email)
        page.get_by_role("textbox", name="Password").fill(SIGN_IN_PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        expect(page.get_by_role("heading", name="Inbound notices")).to_be_visible()
        expect(page.locator("#queue-count")).to_contain_text("2 notices to triage")
        snap("queue")
        page.get_by_role("link", name=f"notice {triage_server.reference}").click()

        expect(page.get_by_role("heading", name="Keira Whitlock")).to_be_visible()
        expect(page.locator("#notice-placement")).to_contain_text(
            "14 Orchard Way, Worcester, WR1 2NA"
        )
        expect(page.locator("#match")).to_contain_text("not on the register yet")
        snap("notice")
        page.get_by_role("button", name="Accept this notice").click()
        expect(page.get_by_role("heading", name="Accept the notice")).to_be_visible()
        snap("accept")
        page.get_by_role("button", name="Accept and add to the register").click()

        expect(page.get_by_role("heading", name="Keira Whitlock")).to_be_visible()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "accepted: added to the register"
        )
        expect(page.locator("#current-placement-details")).to_contain_text(
            "In our area, placed by Birmingham"
        )
        expect(page.get_by_role("button", name="Record a move")).to_have_count(0)

        page.get_by_role("link", name="Host register").first.click()
        expect(page.get_by_role("heading", name="Host register")).to_be_visible()
        expect(page.locator("#register-summary")).to_contain_text(
            "1 child placed here now by 1 authority"
        )
        expect(page.locator("#register-table")).to_contain_text("Keira Whitlock")
        expect(page.locator("#register-table")).to_contain_text("C-55501")
        snap("register")

        page.get_by_role("link", name="Inbound notices").first.click()
        expect(page.locator("#queue-count")).to_contain_text("1 notice to triage")
    finally:
        context.close()
