"""The pages of the child's people and of reading a notice, in a real browser: each passes
axe-core (its WCAG 2.2 A and AA rules) with JavaScript on, works with it off, and is photographed at
desktop width and at 320 px."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from models import Child
from models.base import utcnow
from models.enums import NotificationStatus
from notify.calendar import today_uk
from notify.extensions import db
from notify.notifications import outbox
from notify.notifications.tokens import acknowledge_token
from notify.placements.people import PersonDetails, record_person
from tests.support.browser import LiveServer, axe_violations, browser_page, sign_in_as

pytestmark = pytest.mark.browser


@pytest.fixture
def page_with(chromium: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, bool]]:
    """A page with JavaScript on (checked with axe-core) or off (the pages must work)."""
    javascript = getattr(request, "param", True)
    with browser_page(chromium, javascript=javascript) as page:
        yield page, javascript


def _check(page: Any, javascript: bool, folder: Path, name: str) -> None:
    """No axe-core violation (it needs JavaScript to run), and the page photographed."""
    if javascript:
        assert axe_violations(page) == [], name
    _snap(page, folder, f"{name}-{'js' if javascript else 'no-js'}")


def _sign_in(page: Any, server: LiveServer) -> None:
    sign_in_as(page, server.url, server.social_worker_email)


def _snap(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=folder / f"{name}.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path=folder / f"{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("page_with", [True, False], indirect=True, ids=["js", "no-js"])
def test_a_social_worker_records_the_childs_people_and_sees_who_will_be_told(
    live_server: LiveServer, page_with: Any, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    (page, javascript), server = page_with, live_server
    _sign_in(page, server)
    page.goto(f"{server.url}/children/{server.child_id}/people")
    expect(page.get_by_role("heading", name="The child’s people")).to_be_visible()
    page.get_by_role("button", name="Add a person").click()
    expect(page.get_by_role("heading", name="Add one of the child’s people")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their name")
    _check(page, javascript, screenshot_dir, "person-errors")

    page.get_by_label("Who they are to the child").select_option("parent")
    page.get_by_label("Name", exact=True).fill("Frank Father")
    page.get_by_label("Email address (optional)").fill("frank@family.example")
    page.get_by_label("Do not tell this person").check()
    page.get_by_label("Why telling them would put the child at risk").fill(
        "he has threatened to remove her from the placement"
    )
    page.get_by_label("Who decided").fill("Team manager")
    decided = today_uk() - timedelta(days=1)
    page.locator("#withhold_decided_on-day").fill(str(decided.day))
    page.locator("#withhold_decided_on-month").fill(str(decided.month))
    page.locator("#withhold_decided_on-year").fill(str(decided.year))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("current-people")).to_contain_text("Not told (reg 13(3))")

    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("Who they are to the child").select_option("iro")
    page.get_by_label("Name", exact=True).fill("Ida Reviewer")
    page.get_by_role("button", name="Save").click()
    people = page.get_by_test_id("current-people")
    expect(people).to_contain_text("No address held")
    _check(page, javascript, screenshot_dir, "people")

    page.goto(f"{server.url}/children/{server.child_id}/move")
    start = today_uk() + timedelta(days=7)
    page.locator("#start_date-day").fill(str(start.day))
    page.locator("#start_date-month").fill(str(start.month))
    page.locator("#start_date-year").fill(str(start.year))
    page.get_by_label("Placement type").select_option("U6")
    page.get_by_label("Placement provider").select_option("PR4")
    page.get_by_label("Reason for the change").select_option("CARPL")
    page.get_by_label("Carer or establishment name").fill("Pat and Lee Carer")
    page.get_by_label("Address line 1").fill("2 New Street")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("LS1 4AP")
    page.get_by_role("button", name="Continue").click()
    told = page.get_by_test_id("who-will-be-told")
    expect(told).to_contain_text("Not told, because Team manager")
    expect(told).to_contain_text("Add an address")
    _check(page, javascript, screenshot_dir, "check-who-is-told")

    page.get_by_role("link", name="Add an address for Ida Reviewer").click()
    page.get_by_label("Email address (optional)").fill("ida@iro.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Check the move before you confirm it")).to_be_visible()
    expect(page.get_by_test_id("who-will-be-told")).to_contain_text("ida@iro.example")
    # leave the move unrecorded: the other test runs against the same child
    for person in ("Frank Father", "Ida Reviewer"):
        page.goto(f"{server.url}/children/{server.child_id}/people")
        page.get_by_role("link", name=f"End {person}").click()
        page.get_by_role("button", name="Yes, they are no longer one of the child’s people").click()
    expect(page.get_by_test_id("former-people")).to_contain_text("Ida Reviewer")


@pytest.mark.parametrize("page_with", [True, False], indirect=True, ids=["js", "no-js"])
def test_a_recipient_confirms_their_address_and_reads_the_notice(
    live_server: LiveServer, page_with: Any, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    (page, javascript), server = page_with, live_server
    with server.app.app_context():
        child = db.session.get(Child, server.child_id)
        assert child is not None and child.current_placement is not None
        parent = record_person(
            db.session(),
            child,
            PersonDetails(role="parent", name="Mary Parent", email="mary.parent@family.example"),
            today_uk(),
        )
        notification = outbox.enqueue(
            db.session(),
            child=child,
            placement=child.current_placement,
            event="placement_start",
            recipient_kind="contact",
            recipient_role="parent",
            recipient_code=str(parent.id),
            recipient_name=parent.name,
            address=parent.email,
            send_by=today_uk(),
        )
        db.session.flush()
        # as the delivery worker leaves it once the relay has accepted it
        outbox.change_status(
            db.session(), notification.id, NotificationStatus.SENDING, claimed_by="test"
        )
        outbox.change_status(
            db.session(),
            notification.id,
            NotificationStatus.SENT,
            claimed_by=None,
            sent_at=utcnow(),
            next_attempt_at=None,
            acknowledge_by=today_uk() + timedelta(days=7),
        )
        db.session.commit()
        link = f"{server.url}/acknowledge/{acknowledge_token(notification.id)}"
        address = notification.address or ""
    page.goto(link)
    expect(
        page.get_by_role("heading", name="Read the notice and confirm you have received it")
    ).to_be_visible()
    page.get_by_role("textbox", name="Email address").first.fill("someone@else.example")
    page.get_by_role("button", name="Read the notice").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That is not the address")
    _check(page, javascript, screenshot_dir, "read-refused")

    page.locator("#read-email").fill(address)
    page.get_by_role("button", name="Read the notice").click()
    expect(page.locator("#notice")).to_contain_text("Jordan Example")
    expect(page.locator("#notice")).to_contain_text("Risks and vulnerabilities")
    expect(page.get_by_role("button", name="Confirm receipt")).to_be_visible()
    _check(page, javascript, screenshot_dir, "read-notice")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the notice as a PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
