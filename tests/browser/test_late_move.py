"""A move recorded on the day it happens: the check page marks the late notices and asks why,
will not confirm without the reason, and the child's page shows it with them (DOMAIN.md §1).
Both states of the check page pass axe-core."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from notify.extensions import db
from tests.support.browser import LiveServer, axe_violations, browser_page, sign_in_as
from tests.support.builders import TODAY, create_child, create_placement

pytestmark = pytest.mark.browser

REASON = "The carer was found late last night and the move confirmed this morning"


def _child_of_our_own(live_server: LiveServer) -> int:
    with live_server.app.app_context():
        child = create_child(db.session, case_reference="WCF-LATE-1", home_postcode="WR5 2NP")
        create_placement(db.session, child, "WR1 2NA", start_date=TODAY - timedelta(days=90))
        db.session.commit()
        return child.id


def test_a_move_recorded_on_its_day_is_marked_late_and_needs_the_reason(
    live_server: LiveServer, chromium: Any, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    child_id = _child_of_our_own(live_server)
    with browser_page(chromium) as page:
        sign_in_as(page, live_server.url, live_server.social_worker_email)

        page.goto(f"{live_server.url}/children/{child_id}/move")
        page.locator("#start_date-day").fill(str(TODAY.day))
        page.locator("#start_date-month").fill(str(TODAY.month))
        page.locator("#start_date-year").fill(str(TODAY.year))
        page.get_by_label("Placement type").select_option("U6")
        page.get_by_label("Placement provider").select_option("PR4")
        page.get_by_label("Reason for the change").select_option("CARPL")
        page.get_by_label("Carer or establishment name").fill("Pat and Lee Carer")
        page.get_by_label("Address line 1").fill("2 New Street")
        page.get_by_label("Town or city").fill("Birmingham")
        page.get_by_label("Postcode").fill("B1 1BB")
        page.get_by_role("button", name="Continue").click()

        expect(
            page.get_by_role("heading", name="Check the move before you confirm it")
        ).to_be_visible()
        due = TODAY - timedelta(days=1)
        expect(page.locator(".govuk-warning-text").last).to_contain_text(
            f"will be late (due by {due.day} {due:%B %Y})"
        )
        expect(page.get_by_test_id("who-will-be-told")).to_contain_text("Late")
        assert axe_violations(page) == []
        page.screenshot(path=screenshot_dir / "late-check.png", full_page=True)

        page.get_by_role("button", name="Confirm and record the move").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "say why notice could not be given in time"
        )
        assert axe_violations(page) == []
        page.screenshot(path=screenshot_dir / "late-check-error.png", full_page=True)

        page.get_by_label("Why could notice not be given in time?").fill(REASON)
        page.get_by_role("button", name="Confirm and record the move").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Move recorded")
        expect(page.get_by_text(f"Late because: {REASON}").first).to_be_visible()
