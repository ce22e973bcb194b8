"""The browser tests' kit: the live server and what it holds when it starts, a page to drive,
signing in, and axe-core's verdict on a page."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask

from notify.config import ROOT
from notify.extensions import db
from tests.support.builders import (
    SIGN_IN_PASSWORD,
    TODAY,
    create_child,
    create_placement,
    create_user,
)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask
    social_worker_email: str
    child_id: int
    case_reference: str


def seed_live_server(app: Flask) -> tuple[str, int, str]:
    """A social worker, and one of our children placed in Worcester for six months."""
    with app.app_context():
        user = create_user(
            db.session,
            "social_worker",
            email="sam.worker@worcestershire.example",
            name="Sam Worker",
        )
        child = create_child(
            db.session,
            case_reference="WCF-204511",
            date_of_birth=TODAY - timedelta(days=365 * 12),
            home_postcode="WR5 2NP",
        )
        create_placement(
            db.session,
            child,
            "WR1 2NA",
            start_date=TODAY - timedelta(days=180),
            provider="PR1",
            carer_name="Alex and Chris Carer",
            town="Worcester",
        )
        db.session.commit()
        return user.email, child.id, child.case_reference


@contextmanager
def browser_page(chromium: Any, *, width: int = 1280, javascript: bool = True) -> Iterator[Any]:
    """A fresh page (its own cookies). bypass_csp: axe-core is injected as an inline script,
    which our policy refuses, as it should; test_content_security_policy.py runs the pages
    under the policy."""
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=javascript, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def sign_in_as(page: Any, base_url: str, email: str, password: str = SIGN_IN_PASSWORD) -> None:
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now, each with where it is (none: [])."""
    assert AXE.exists(), "axe-core is a dev dependency in package.json: run npm install"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
    ]
