"""A real server on a loopback port, over a file SQLite database, and headless Chromium."""

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from notify.auth.service import create_user
from notify.extensions import db
from notify.placements.service import (
    ChildDetails,
    PlacementDetails,
    record_child,
    record_placement,
)
from tests.conftest import build_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOME = "E10000034"  # Worcestershire, the HOME_AUTHORITY default
PASSWORD = "browser-test-password"


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask
    social_worker_email: str
    child_id: int
    case_reference: str


def _seed(app: Flask) -> tuple[str, int, str]:
    """A social worker, and one of our children placed in Worcester for six months."""
    today = date.today()
    with app.app_context():
        user = create_user(
            db.session,
            email="sam.worker@worcestershire.example",
            name="Sam Worker",
            role="social_worker",
            password=PASSWORD,
        )
        child = record_child(
            db.session,
            ChildDetails(
                case_reference="WCF-204511",
                given_name="Jordan",
                family_name="Example",
                date_of_birth=today - timedelta(days=365 * 12),
                sex="F",
                legal_status="C2",
                home_postcode="WR5 2NP",
            ),
            HOME,
            today,
        )
        record_placement(
            db.session,
            child,
            PlacementDetails(
                start_date=today - timedelta(days=180),
                placement_type="U6",
                provider="PR1",
                carer_name="Alex and Chris Carer",
                address_line_1="1 Example Road",
                town="Worcester",
                postcode="WR1 2NA",
            ),
            expected_version=child.version,
            actor_id=None,
            today=today,
        )
        db.session.commit()
        return user.email, child.id, child.case_reference


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("browser-db") / "notify.sqlite3"
    # CSRF on, as in production: the pages must carry their tokens.
    app = build_app(f"sqlite:///{database}", WTF_CSRF_ENABLED=True)
    email, child_id, reference = _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, email, child_id, reference)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium must be installed in CI (.ci/run installs it)")
        pytest.skip("Chromium is not installed here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $SCREENSHOT_DIR if set, else the test's own temporary folder."""
    folder = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder
