"""Delivery workers as separate processes (`flask notify worker`), as production runs them."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, cast

from flask import Flask
from sqlalchemy import Table, delete, insert, select

from models import Child, DeliveryAttempt, Notification, Placement
from models.base import utcnow
from models.enums import NotificationStatus as Status
from notify.config import ROOT
from notify.extensions import db
from tests.support.builders import create_child, create_placement

FLASK_APP = "wsgi"


@contextmanager
def committed_notifications(app: Flask, count: int) -> Iterator[list[int]]:
    """`count` pending notifications of one placement, committed; removed afterwards (the
    database is shared with other tests)."""
    with app.app_context():
        session = db.session()
        child = create_child(session)
        placement = create_placement(session, child, "HR1 1AA")
        session.commit()
        child_id, placement_id = child.id, placement.id
        template = {
            "child_id": child_id,
            "placement_id": placement_id,
            "event": "placement_start",
            "recipient_kind": "authority",
            "recipient_role": "area_authority",
            "recipient_code": "E06000019",
            "recipient_name": "Herefordshire",
            "channel": "email",
            "status": Status.PENDING,
            "send_by": placement.start_date,
            "next_attempt_at": utcnow(),
        }
        table = cast(Table, Notification.__table__)
        ids = list(
            session.scalars(
                insert(table).returning(table.c.id),
                [{**template, "address": f"box{n}@herefordshire.example"} for n in range(count)],
            )
        )
        session.commit()
        db.session.remove()
    try:
        yield ids
    finally:
        with app.app_context():
            mine = select(Notification.id).where(Notification.child_id == child_id)
            db.session.execute(
                delete(DeliveryAttempt).where(DeliveryAttempt.notification_id.in_(mine))
            )
            db.session.execute(delete(Notification).where(Notification.child_id == child_id))
            db.session.execute(delete(Placement).where(Placement.child_id == child_id))
            db.session.execute(delete(Child).where(Child.id == child_id))
            db.session.commit()
            db.session.remove()


_outputs: dict[int, IO[str]] = {}


def start_worker(database_url: str, mail_port: int, *options: str) -> subprocess.Popen[str]:
    """`flask notify worker` against `database_url`, sending to 127.0.0.1:`mail_port`."""
    env = {
        **os.environ,
        "NOTIFY_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "BASE_URL": "http://notify.test",
        "PYTHONPATH": str(ROOT),
    }
    # The worker logs a JSON line per message: into a file, since a pipe nobody reads until
    # the end would fill and stall it.
    output = tempfile.TemporaryFile("w+")  # noqa: SIM115 (stop() closes it)
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", FLASK_APP, "notify", "worker", *options],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _outputs[worker.pid] = output
    return worker


def stop(worker: subprocess.Popen[str], signum: int = signal.SIGTERM, timeout: float = 15) -> str:
    """Signal the worker, wait for it to exit, and return what it printed."""
    if worker.poll() is None:
        worker.send_signal(signum)
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
        raise AssertionError(
            f"the worker did not stop within {timeout} s:\n{_printed(worker)}"
        ) from None
    return _printed(worker)


def _printed(worker: subprocess.Popen[str]) -> str:
    output = _outputs.pop(worker.pid)
    output.seek(0)
    printed = output.read()
    output.close()
    return printed


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
