"""Withdrawing a planned move in a browser: the child's page offers it, the page warns who
has been sent a notice and will be sent a withdrawal, refuses without a reason, and
withdraws with one; both states of the page pass axe-core. No JavaScript needed."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from notify.extensions import db
from tests.support.browser import LiveServer, axe_violations, browser_page, sign_in_as
from tests.support.builders import (
    HEREFORD,
    TODAY,
    create_child,
    create_placement,
    send_area_authority_notice,
)

pytestmark = pytest.mark.browser

REASON = "The foster carers withdrew their offer"


def _planned_move(live_server: LiveServer) -> int:
    """A child placed in Worcester, with a move to Herefordshire next week whose area
    authority has been sent its notice."""
    with live_server.app.app_context():
        child = create_child(db.session, case_reference="WCF-WDRAW-1", home_postcode="WR5 2NP")
        create_placement(db.session, child, "WR1 2NA", start_date=TODAY - timedelta(days=90))
        move = create_placement(db.session, child, HEREFORD, carer_name="Pat and Lee Carer")
        db.session.commit()
        send_area_authority_notice(db.session, move)
        return child.id


def test_a_planned_move_is_withdrawn_with_its_reason(
    live_server: LiveServer, chromium: Any, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    child_id = _planned_move(live_server)
    with browser_page(chromium) as page:
        sign_in_as(page, live_server.url, live_server.social_worker_email)

        page.goto(f"{live_server.url}/children/{child_id}")
        page.get_by_role("link", name="Withdraw this planned placement").click()
        expect(page.get_by_role("heading", name="Withdraw this planned placement")).to_be_visible()
        expect(page.locator(".govuk-warning-text")).to_contain_text(
            "1 recipient has already been sent a notice of this placement and will be sent a "
            "withdrawal notice"
        )
        expect(page.locator("#will-be-told")).to_contain_text("Area authority (where placed)")
        assert axe_violations(page) == []
        page.screenshot(path=screenshot_dir / "withdraw.png", full_page=True)

        page.get_by_role("button", name="Withdraw the placement").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Say why the placement will not happen"
        )
        assert axe_violations(page) == []
        page.screenshot(path=screenshot_dir / "withdraw-error.png", full_page=True)

        page.get_by_label("Why will the placement not happen?").fill(REASON)
        page.get_by_role("button", name="Withdraw the placement").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Placement withdrawn: 1 notice of the withdrawal will be sent"
        )
        expect(page.get_by_text(REASON)).to_be_visible()
        expect(page.get_by_role("link", name="Withdraw this planned placement")).to_have_count(0)
