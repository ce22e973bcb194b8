"""An SQA officer, in a real browser with JavaScript off, finds an overdue notice on the
dashboard's chase list, records the acknowledgement that came by phone, and sees it leave the
list."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from models.base import utcnow
from notify import create_app
from notify.auth.service import create_user
from notify.config import for_testing
from notify.extensions import db
from tests.support.apps import dispose
from tests.support.builders import SIGN_IN_PASSWORD, create_sent_notice
from tests.support.smtp import copy_database

pytestmark = pytest.mark.browser

OFFICER = "sol.sqa@worcestershire.example"


@dataclass(frozen=True)
class Overdue:
    url: str
    case_reference: str
    recipient: str


@pytest.fixture
def overdue(app: Flask, database_path: Path, tmp_path: Path) -> Iterator[Overdue]:
    """A live server over a copy of the test database, holding an SQA officer and one notice
    sent a month ago and never acknowledged."""
    database = tmp_path / "notify.sqlite3"
    copy_database(database_path, database)
    live = create_app({**for_testing(f"sqlite:///{database}"), "WTF_CSRF_ENABLED": True})
    with live.app_context():
        create_user(
            db.session, email=OFFICER, name="Sol Sqa", role="sqa_officer", password=SIGN_IN_PASSWORD
        )
        notice = create_sent_notice(db.session, sent_at=utcnow() - timedelta(days=30))
        case_reference, recipient = notice.child.case_reference, notice.recipient_name
        db.session.commit()
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Overdue(f"http://127.0.0.1:{server.server_port}", case_reference, recipient)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        dispose(live)


def test_an_overdue_notice_leaves_the_chase_list_once_its_acknowledgement_is_recorded(
    overdue: Overdue, chromium: Any, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{overdue.url}/sign-in")
        page.get_by_label("Email address").fill(OFFICER)
        page.get_by_role("textbox", name="Password").fill(SIGN_IN_PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        expect(page.get_by_role("heading", name="Notifications dashboard")).to_be_visible()
        chase = page.get_by_test_id("chase-list")
        expect(chase).to_contain_text(overdue.case_reference)
        expect(chase).to_contain_text(overdue.recipient)
        page.screenshot(path=screenshot_dir / "chase-before.png", full_page=True)
        chase.get_by_role("link", name="Record acknowledgement").click()

        expect(page.get_by_role("heading", name="Record an acknowledgement")).to_be_visible()
        page.get_by_label("Who acknowledged it").fill("Pat Duty")
        today = date.today()
        page.locator("#on-day").fill(str(today.day))
        page.locator("#on-month").fill(str(today.month))
        page.locator("#on-year").fill(str(today.year))
        page.get_by_label("By phone").check()
        page.get_by_role("button", name="Record acknowledgement").click()

        expect(page.get_by_role("heading", name="Notifications dashboard")).to_be_visible()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
        expect(page.get_by_test_id("chase-list-empty")).to_be_visible()
        page.screenshot(path=screenshot_dir / "chase-after.png", full_page=True)
    finally:
        context.close()
