"""`make run` as a newcomer meets it: the supervisor starts the web server, a delivery worker
and the local mail sink; a move recorded in the browser shows up, within seconds, as messages
on the administrators' "Sent mail" page."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from notify import create_app
from notify.auth.service import create_user
from notify.config import ROOT, for_testing
from notify.extensions import db
from tests.reliability.workers import wait_until
from tests.support.apps import dispose
from tests.support.browser import seed_live_server
from tests.support.builders import SIGN_IN_PASSWORD, give_every_body_an_address
from tests.support.smtp import copy_database, free_port

pytestmark = pytest.mark.browser

ADMIN = "ash.admin@worcestershire.example"


@dataclass(frozen=True)
class Running:
    url: str
    social_worker_email: str
    child_id: int
    mail_dir: Path


@pytest.fixture
def make_run(app: Flask, database_path: Path, tmp_path: Path) -> Iterator[Running]:
    """`python -m notify.devserver` (what `make run` ends with) on a copy of the test
    database holding a social worker, an administrator and a child."""
    database = tmp_path / "notify.sqlite3"
    copy_database(database_path, database)
    url = f"sqlite:///{database}"
    seeding = create_app(for_testing(url))
    email, child_id, _ = seed_live_server(seeding)
    with seeding.app_context():
        create_user(
            db.session, email=ADMIN, name="Ash Admin", role="admin", password=SIGN_IN_PASSWORD
        )
        give_every_body_an_address(db.session)
        db.session.commit()
    dispose(seeding)

    port, mail_dir = free_port(), tmp_path / "mail"
    env = {
        **os.environ,
        "NOTIFY_ENV": "development",
        "SECRET_KEY": "make-run-test-secret",
        "DATABASE_URL": url,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(free_port()),
        "DEV_MAIL_DIR": str(mail_dir),
        "PYTHONPATH": str(ROOT),
    }
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "notify.devserver"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        process_group=0,
    )
    try:
        wait_until(lambda: _listening(port) or supervisor.poll() is not None, 60, "the web server")
        assert supervisor.poll() is None, supervisor.communicate()[0]
        yield Running(f"http://127.0.0.1:{port}", email, child_id, mail_dir)
    finally:
        supervisor.send_signal(signal.SIGINT)  # Ctrl-C: the supervisor stops all three
        try:
            output, _ = supervisor.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(supervisor.pid, signal.SIGKILL)
            output, _ = supervisor.communicate()
        print(output)  # shown if the test fails
        assert supervisor.returncode == 0, output


def _listening(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_a_move_recorded_in_the_browser_appears_on_the_sent_mail_page_within_seconds(
    make_run: Running, chromium: Any, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    def sign_in(email: str) -> None:
        page.goto(f"{make_run.url}/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_role("textbox", name="Password").fill(SIGN_IN_PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    try:
        sign_in(make_run.social_worker_email)
        page.goto(f"{make_run.url}/children/{make_run.child_id}")
        page.get_by_role("button", name="Record a move").click()
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
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Confirm and record the move").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Move recorded")
        page.get_by_role("button", name="Sign out").click()

        sign_in(ADMIN)
        page.goto(f"{make_run.url}/dev/sent-mail")
        # The worker picks the notices up within a second or two of the commit.
        wait_until(lambda: len(list(make_run.mail_dir.glob("*.eml"))) >= 3, 10, "the messages")
        page.reload()
        table = page.locator("table")
        expect(table).to_contain_text("3 messages")
        expect(table).to_contain_text("notifications@e08000025.example")  # Birmingham
        expect(table).to_contain_text("Placement start: JE (WCF-204511) from Worcestershire")
        page.screenshot(path=screenshot_dir / "make-run-sent-mail.png", full_page=True)
    finally:
        context.close()
