"""Under the strict content security policy the pages still work in a real browser: GOV.UK
Frontend starts (its inline snippet by nonce, the rest from our own files) and the browser
reports nothing refused."""

from typing import Any

import pytest

from tests.support.browser import LiveServer
from tests.support.builders import SIGN_IN_PASSWORD

pytestmark = pytest.mark.browser


def test_gov_uk_frontend_starts_and_the_browser_refuses_nothing(
    live_server: LiveServer, chromium: Any
) -> None:
    from playwright.sync_api import expect

    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    try:
        for path in ("/sign-in", f"/children/{live_server.child_id}"):
            page.goto(f"{live_server.url}{path}")
            if path == "/sign-in":
                page.get_by_label("Email address").fill(live_server.social_worker_email)
                page.get_by_role("textbox", name="Password").fill(SIGN_IN_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                expect(page.get_by_role("heading", name="My work")).to_be_visible()
            expect(page.locator("body")).to_have_class(
                "govuk-template__body js-enabled govuk-frontend-supported"
            )
            modules = page.locator("[data-module]")
            assert modules.count() > 0, path
            # every component GOV.UK Frontend found was started (it marks each one so)
            started = page.evaluate(
                "[...document.querySelectorAll('[data-module]')]"
                ".every(e => e.hasAttribute(`data-${e.dataset.module}-init`))"
            )
            assert started, path
    finally:
        context.close()
    assert refused == []
