"""`make run`: the web server, one delivery worker and the local mail sink, started as child
processes so that the whole service runs on one machine. Ctrl-C stops all three."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

import click
from flask import Flask

from notify import create_app
from notify.config import ROOT
from notify.demo.children import DEMO_PASSWORD, sign_ins
from notify.extensions import db

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 15  # the worker finishes the message in hand first


@dataclass
class Child:
    name: str
    argv: list[str]
    address: tuple[str, int] | None = None  # where it listens once it is ready
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        # A process group of its own: Ctrl-C in the terminal reaches only this supervisor,
        # which then stops the children in order (the sink last, so the worker's message in
        # hand can still land).
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, process_group=0
        )

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            print(f"The {self.name} did not stop within {STOP_TIMEOUT_SECONDS} s; killing it.")
            self.process.kill()
            self.process.wait()


_stop_requested: list[int] = []


def _request_stop(signum: int, frame: FrameType | None) -> None:
    _stop_requested.append(signum)


def _listening(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=0.5):
            return True
    except OSError:
        return False


def _wait_until_ready(child: Child) -> bool:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while child.exit_code() is None and time.monotonic() < deadline and not _stop_requested:
        if child.address is None or _listening(child.address):
            return True
        time.sleep(0.1)
    return False


def _has_worker_command(app: Flask) -> bool:
    group = app.cli.commands.get("notify")
    return isinstance(group, click.Group) and "worker" in group.commands


def _plan(app: Flask) -> tuple[list[Child], list[str]]:
    """The children to start, in order, and notes on anything left out."""
    notes: list[str] = []
    children: list[Child] = []
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    mail_host, mail_port = app.config["MAIL_SERVER"], int(app.config["MAIL_PORT"])
    if mail_host in LOOPBACK:
        children.append(
            Child(
                "mail sink",
                [sys.executable, "-m", "notify.devmail", "--host", mail_host]
                + ["--port", str(mail_port), "--folder", _mail_dir(app)],
                (mail_host, mail_port),
            )
        )
    else:
        notes.append(f"MAIL_SERVER is {mail_host}: mail goes there, so no local mail sink.")
    if _has_worker_command(app):
        children.append(Child("delivery worker", [*flask, "notify", "worker"]))
    else:
        notes.append(
            "No `flask notify worker` command in this version: notifications stay pending."
        )
    web = urlsplit(app.config["BASE_URL"])
    web_host = web.hostname if web.hostname in LOOPBACK else "127.0.0.1"
    web_port = web.port or 5000
    children.append(
        Child(
            "web server",
            [*flask, "run", "--host", web_host, "--port", str(web_port)]
            + ["--no-reload", "--no-debugger"],
            (web_host, web_port),
        )
    )
    return children, notes


def _mail_dir(app: Flask) -> str:
    from notify.devmail import default_mail_dir

    return str(app.config.get("DEV_MAIL_DIR") or default_mail_dir())


def _banner(app: Flask, notes: list[str]) -> str:
    with app.app_context():
        users = sign_ins(db.session(), app.config["HOME_AUTHORITY"])
        db.session.remove()
    base = app.config["BASE_URL"]
    lines = [
        "",
        f"Placement Notify is running at {base}",
        f"Sign in as any of these, with the password {DEMO_PASSWORD!r}:",
        *(f"  {email:45} {role}" for role, email in users),
        "",
    ]
    if "devmail.sent_mail" in app.view_functions:
        folder = Path(_mail_dir(app))
        shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
        lines.append(f"Sent mail (sign in as admin): {base}/dev/sent-mail  (kept in {shown}/)")
    lines += [*notes, "Press Ctrl-C to stop.", ""]
    return "\n".join(lines)


def _busy(children: list[Child]) -> list[str]:
    return [
        f"{c.address[0]}:{c.address[1]} is already in use (by another `make run`?);"
        f" the {c.name} needs it."
        for c in children
        if c.address is not None and _listening(c.address)
    ]


def main() -> int:
    app = create_app()
    children, notes = _plan(app)
    banner = _banner(app, notes)
    with app.app_context():
        db.engine.dispose()  # the children open their own connections
    busy = _busy(children)
    if busy:
        print("\n".join(busy), file=sys.stderr)
        return 1

    # The handlers only take note: a stop is acted on between steps, never half way
    # through starting a child.
    for sig in STOP_SIGNALS:
        signal.signal(sig, _request_stop)
    started: list[Child] = []
    failed: Child | None = None
    for child in children:
        child.start()
        started.append(child)
        if not _wait_until_ready(child) and not _stop_requested:
            failed = child
            break
        if _stop_requested:
            break
    if failed is None and not _stop_requested:
        print(banner, flush=True)
    while failed is None and not _stop_requested:
        time.sleep(0.2)
        failed = next((c for c in started if c.exit_code() is not None), None)

    if failed is not None:
        code = failed.exit_code()
        if code is None:
            how = f"did not start within {START_TIMEOUT_SECONDS} s"
        elif code < 0:
            how = f"was killed ({signal.Signals(-code).name})"
        else:
            how = f"stopped (exit code {code})"
        print(f"\nThe {failed.name} {how}; stopping the others.", file=sys.stderr, flush=True)
    else:
        print("\nStopping...", flush=True)
    for child in reversed(started):
        child.stop()
    return 1 if failed is not None else 0


if __name__ == "__main__":
    sys.exit(main())
