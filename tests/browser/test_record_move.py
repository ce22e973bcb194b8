"""A social worker records an out-of-area move in a real browser, sees who will be told,
confirms, and finds the move on the child's page. Screenshots of each step are kept."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import LiveServer
from tests.support.builders import SIGN_IN_PASSWORD

pytestmark = pytest.mark.browser


def test_a_social_worker_records_an_out_of_area_move_and_sees_who_will_be_told(
    live_server: LiveServer, chromium: Any, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    step = iter(range(1, 100))

    def snap(name: str) -> None:
        page.screenshot(path=screenshot_dir / f"{next(step):02d}-{name}.png", full_page=True)

    try:
        page.goto(f"{live_server.url}/children")
        expect(page.get_by_role("heading", name="Sign in to Placement Notify")).to_be_visible()
        snap("sign-in")
        page.get_by_label("Email address").fill(live_server.social_worker_email)
        page.get_by_role("textbox", name="Password").fill(SIGN_IN_PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        expect(page.get_by_role("heading", name="Find a child")).to_be_visible()
        page.get_by_label("Case reference or name").fill(live_server.case_reference)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("heading", name="1 child matching")).to_be_visible()
        snap("find-a-child")
        page.get_by_role("link", name="Jordan Example").click()

        expect(page.get_by_role("heading", name="Jordan Example")).to_be_visible()
        expect(page.locator("#current-placement-details")).to_contain_text("In our area (IN)")
        snap("child-before")
        page.get_by_role("button", name="Record a move").click()

        expect(page.get_by_role("heading", name="Record a move")).to_be_visible()
        page.get_by_role("button", name="Continue").click()  # nothing filled in yet
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the start date")
        snap("move-errors")

        start = date.today() + timedelta(days=7)
        page.locator("#start_date-day").fill(str(start.day))
        page.locator("#start_date-month").fill(str(start.month))
        page.locator("#start_date-year").fill(str(start.year))
        page.get_by_label("Placement type").select_option("U6")
        page.get_by_label("Placement provider").select_option("PR4")
        page.get_by_label("Reason for the change").select_option("CARPL")
        page.get_by_label("Carer or establishment name").fill("Pat and Lee Carer")
        page.get_by_label("Address line 1").fill("2 New Street")
        page.get_by_label("Town or city").fill("Birmingham")
        page.get_by_label("Postcode").fill("B1 1BB")
        page.get_by_label("Telephone (optional)").fill("0121 496 0000")
        snap("move-form")
        page.get_by_role("button", name="Continue").click()

        expect(
            page.get_by_role("heading", name="Check the move before you confirm it")
        ).to_be_visible()
        where = page.locator("dl.app-summary-list--derived")
        expect(where).to_contain_text("Birmingham")
        expect(where).to_contain_text("Out of area (OUT)")
        expect(where).to_contain_text("In an authority adjoining ours")
        told = page.get_by_test_id("who-will-be-told")
        expect(told).to_contain_text("Area authority (where placed)")
        expect(told).to_contain_text("Birmingham")
        due = start - timedelta(days=1)  # a planned move: due by the day before it
        expect(told).to_contain_text(f"{due.day} {due:%B %Y}")
        expect(told).not_to_contain_text("Late")
        snap("check-your-answers")
        page.get_by_role("button", name="Confirm and record the move").click()

        expect(page.get_by_role("heading", name="Jordan Example")).to_be_visible()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Move recorded")
        current = page.locator("#current-placement-details")
        expect(current).to_contain_text("Out of area (OUT)")
        expect(current).to_contain_text("Birmingham")
        expect(page.locator(".govuk-summary-card").first).to_contain_text(
            "Notices about this placement"
        )
        snap("child-after")
    finally:
        context.close()
