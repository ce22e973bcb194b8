"""Two delivery workers sharing PostgreSQL: a thousand notifications, each sent exactly once
(claims are taken with FOR UPDATE SKIP LOCKED)."""

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from models import Notification
from models.enums import NotificationStatus as Status
from notify.extensions import db
from tests.reliability.workers import committed_notifications, start_worker, stop, wait_until
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.postgres

COUNT = 1000


@pytest.fixture
def thousand_notifications(pg_app: Flask) -> Iterator[list[int]]:
    with committed_notifications(pg_app, COUNT) as ids:
        yield ids


def _sent(app: Flask, ids: list[int]) -> int:
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.id.in_(ids), Notification.status == Status.SENT)
        )
        db.session.remove()
    return count or 0


def test_two_workers_on_postgresql_send_a_thousand_notifications_each_exactly_once(
    pg_app: Flask, postgres_url: str, smtp_sink: SmtpSink, thousand_notifications: list[int]
) -> None:
    ids = thousand_notifications
    workers = [
        start_worker(postgres_url, smtp_sink.port, "--batch", "50", "--poll", "0.1")
        for _ in range(2)
    ]
    try:
        wait_until(lambda: _sent(pg_app, ids) == COUNT, 120, "a thousand sent")
    finally:
        outputs = [stop(worker) for worker in workers]

    assert [w.returncode for w in workers] == [0, 0], outputs
    expected = {f"<notification-{n}@placement-notify>" for n in ids}
    arrived = Counter(m for m in smtp_sink.message_ids() if m in expected)
    assert set(arrived) == expected
    assert set(arrived.values()) == {1}, "no notification was sent twice"
    shares = [int(re.search(r"Sent (\d+)", output).group(1)) for output in outputs]  # type: ignore[union-attr]
    assert all(share > 0 for share in shares), f"both workers took part: {shares}"
