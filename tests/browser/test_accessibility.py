"""axe-core on every page each role reaches, at 1,280 px and at 320 px: any violation fails.

The server holds the demo data set (small scale), so every list has rows. For each role the
test starts at its home page and follows the links it finds, one page for each kind of
address (`/children/12` and `/children/40` are the same page), so new pages are checked
without being listed here. Screenshots of each home page go to $SCREENSHOT_DIR if set.
"""

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.serving import make_server

from notify.calendar import today_uk
from notify.demo.children import DEMO_PASSWORD, load_demo, sign_ins
from notify.extensions import db
from tests.support.apps import build_app
from tests.support.browser import axe_violations, sign_in_as
from tests.support.builders import HOME

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)
PAGES_PER_ROLE = 40
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Links that change something, leave the session or download a file, not a page to check.
SKIP = re.compile(r"^/(sign-out|api/)|\.csv$|/export|/download|mailto:")


@dataclass(frozen=True)
class DemoServer:
    url: str
    sign_ins: dict[str, str]  # role -> email


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    database = tmp_path_factory.mktemp("axe-db") / "notify.sqlite3"
    app = build_app(f"sqlite:///{database}", WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_demo(db.session, HOME, today_uk(), scale=0.05)
        db.session.commit()
        people = dict(sign_ins(db.session, HOME))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="axe-server", daemon=True)
    thread.start()
    try:
        yield DemoServer(f"http://127.0.0.1:{server.server_port}", people)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _kind(path: str) -> str:
    """One address per kind of page: digits and long tokens stand for any."""
    return re.sub(r"/[A-Za-z0-9_.-]{24,}", "/TOKEN", re.sub(r"\d+", "N", path))


def _crawl(page: Any, base: str, start: str) -> list[str]:
    """Same-site addresses reachable from `start`, one of each kind, breadth first."""
    seen_kinds: set[str] = set()
    queue = [start]
    visited: list[str] = []
    while queue and len(visited) < PAGES_PER_ROLE:
        url = queue.pop(0)
        path = urlsplit(url).path
        if _kind(path) in seen_kinds:
            continue
        seen_kinds.add(_kind(path))
        response = page.goto(url)
        assert response is not None and response.status < 500, f"{url} gave a server error"
        if response.status != 200:
            continue
        visited.append(page.url)
        links = page.eval_on_selector_all(
            "main a[href], nav a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        for href in links:
            target = urljoin(page.url, href)
            parts = urlsplit(target)
            if not target.startswith(base) or SKIP.search(parts.path) or href.startswith("#"):
                continue
            if _kind(parts.path) not in seen_kinds:
                queue.append(f"{base}{parts.path}")
    return visited


@pytest.mark.parametrize(
    "role", ["social_worker", "business_support", "sqa_officer", "manager", "admin"]
)
def test_every_page_a_role_reaches_has_no_axe_violations_at_desktop_and_phone_widths(
    demo_server: DemoServer, chromium: Any, screenshot_dir: Path, role: str
) -> None:
    # bypass_csp: axe-core is injected as an inline script, which our policy refuses (as it
    # should); tests/browser/test_content_security_policy.py runs the pages under it
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        sign_in_as(page, demo_server.url, demo_server.sign_ins[role], DEMO_PASSWORD)
        home = page.url
        urls = _crawl(page, demo_server.url, home)
        assert len(urls) >= 3, f"{role} reached only {urls}"

        problems: dict[str, list[str]] = {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for url in urls:
                page.goto(url)
                found = axe_violations(page)
                overflow = page.evaluate(OVERFLOW)
                if overflow > 0:
                    found.append(f"the page is {overflow}px wider than the window")
                if found:
                    problems[f"{urlsplit(url).path} at {width}px"] = found
            page.goto(home)
            # a phone's first screen as it is seen; the whole page at desktop width
            page.screenshot(
                path=str(screenshot_dir / f"home-{role}-{width}.png"), full_page=width > 320
            )
        assert not problems, "\n".join(f"{where}: {what}" for where, what in problems.items())
    finally:
        context.close()
