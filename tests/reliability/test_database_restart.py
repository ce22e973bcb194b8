"""A worker whose database restarts under it: it waits, reconnects and carries on, and
nothing is lost or sent more than once beyond the one message whose outcome it could not
record."""

from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import func, select

from models import Notification
from models.enums import NotificationStatus as Status
from notify.extensions import db
from tests.reliability.workers import committed_notifications, start_worker, stop, wait_until
from tests.support.apps import dispose
from tests.support.postgres import Cluster
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.postgres

COUNT = 200


def _statuses(app: Flask, ids: list[int]) -> Counter[str]:
    with app.app_context():
        rows = db.session.execute(
            select(Notification.status, func.count())
            .where(Notification.id.in_(ids))
            .group_by(Notification.status)
        )
        counts = Counter({status: count for status, count in rows})
        db.session.remove()
    return counts


def test_a_database_restart_mid_batch_delays_delivery_and_loses_nothing(
    pg_app: Flask, postgres_cluster: Cluster, smtp_sink: SmtpSink
) -> None:
    smtp_sink.delay = 0.01  # a relay taking its time, so the restart lands mid-batch
    with committed_notifications(pg_app, COUNT) as ids:
        worker = start_worker(
            postgres_cluster.url, smtp_sink.port, "--batch", "20", "--poll", "0.1", "--lease", "2"
        )
        try:
            wait_until(lambda: len(smtp_sink.received) >= 20, 60, "the first messages")
            dispose(pg_app)
            postgres_cluster.stop("fast")  # a restart: sessions are cut off, commits kept
            during = len(smtp_sink.received)
            postgres_cluster.start()
            wait_until(lambda: _statuses(pg_app, ids)[Status.SENT] == COUNT, 90, "all sent")
        finally:
            output = stop(worker)

        assert worker.returncode == 0, output
        assert during < COUNT, "the restart should land mid-way"
        assert "database error" in output, "the worker should have seen the database go"
        expected = {f"<notification-{n}@placement-notify>" for n in ids}
        arrived = Counter(m for m in smtp_sink.message_ids() if m in expected)
        assert set(arrived) == expected, "every notice arrived"
        repeated = [message_id for message_id, times in arrived.items() if times > 1]
        assert len(repeated) <= 1 and all(arrived[m] == 2 for m in repeated), repeated
