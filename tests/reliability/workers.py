"""Delivery workers as separate processes (`flask notify worker`), as production runs them."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from notify.config import ROOT

FLASK_APP = "wsgi"


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
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", FLASK_APP, "notify", "worker", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(worker: subprocess.Popen[str], signum: int = signal.SIGTERM, timeout: float = 15) -> str:
    """Signal the worker, wait for it to exit, and return what it printed."""
    if worker.poll() is None:
        worker.send_signal(signum)
    try:
        output, _ = worker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
        raise AssertionError(f"the worker did not stop within {timeout} s:\n{output}") from None
    return output


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
