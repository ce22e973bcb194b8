"""The delivery worker as a process of its own: killed mid-batch and restarted, stopped with
SIGTERM, and run twice over at once on SQLite."""

import signal
from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from models import DeliveryAttempt, Notification
from models.enums import NotificationStatus as Status
from notify.extensions import db
from tests.reliability.workers import start_worker, stop, wait_until
from tests.support.builders import give_every_body_an_address, placed_child_notices
from tests.support.smtp import SmtpSink


def _committed_notices(app: Flask, children: int) -> dict[str, int]:
    """Children placed out of area, committed: the Message-ID of each pending notice → id."""
    with app.app_context():
        session = db.session()
        give_every_body_an_address(session)
        notices = [n for _ in range(children) for n in placed_child_notices(session, "HR1 1AA")]
        session.commit()
        found = {n.message_id: n.id for n in notices if n.status == Status.PENDING}
        db.session.remove()
        return found


def _statuses(app: Flask) -> Counter[str]:
    with app.app_context():
        rows = db.session.execute(
            select(Notification.status, func.count()).group_by(Notification.status)
        ).all()
        db.session.remove()
    return Counter({status: count for status, count in rows})


def _sent_ids(app: Flask) -> set[int]:
    with app.app_context():
        ids = set(
            db.session.scalars(select(Notification.id).where(Notification.status == Status.SENT))
        )
        db.session.remove()
    return ids


def test_a_worker_killed_mid_batch_and_restarted_loses_nothing_and_repeats_at_most_one(
    own_app: Flask, own_database: str, smtp_sink: SmtpSink
) -> None:
    expected = _committed_notices(own_app, 30)
    smtp_sink.delay = 0.02  # a relay taking its time, so the kill lands mid-batch
    first = start_worker(own_database, smtp_sink.port, "--lease", "2", "--batch", "25")
    try:
        wait_until(lambda: len(smtp_sink.received) >= 10, 30, "the first messages")
    finally:
        stop(first, signal.SIGKILL)
    assert len(smtp_sink.received) < len(expected), "the kill should land mid-way"
    assert _statuses(own_app)[Status.SENDING] > 0, "the killed worker left claims behind"

    second = start_worker(own_database, smtp_sink.port, "--lease", "2", "--poll", "0.1")
    try:
        wait_until(lambda: _statuses(own_app)[Status.SENT] == len(expected), 30, "everything sent")
    finally:
        output = stop(second)

    assert second.returncode == 0, output
    arrived = Counter(smtp_sink.message_ids())
    assert set(arrived) == set(expected), "every notice arrived, and nothing else"
    repeated = [message_id for message_id, times in arrived.items() if times > 1]
    assert len(repeated) <= 1 and all(arrived[m] == 2 for m in repeated)
    statuses = _statuses(own_app)
    assert (statuses[Status.SENT], statuses[Status.SENDING], statuses[Status.PENDING]) == (
        len(expected),
        0,
        0,
    )
    with own_app.app_context():
        attempts = db.session.scalar(select(func.count()).select_from(DeliveryAttempt))
        db.session.remove()
    assert attempts == len(expected)  # one recorded attempt each: the lost one was not recorded


def test_sigterm_finishes_the_message_in_hand_and_hands_back_the_rest(
    own_app: Flask, own_database: str, smtp_sink: SmtpSink
) -> None:
    expected = _committed_notices(own_app, 20)
    smtp_sink.delay = 0.05
    worker = start_worker(own_database, smtp_sink.port, "--batch", "50")
    try:
        wait_until(lambda: len(smtp_sink.received) >= 5, 30, "the first messages")
    finally:
        output = stop(worker, signal.SIGTERM, timeout=5)

    assert worker.returncode == 0, output
    assert "Delivery worker stopped" in output
    statuses = _statuses(own_app)
    assert statuses[Status.SENDING] == 0, "nothing left claimed"
    assert statuses[Status.PENDING] > 0, "it stopped before the end of the batch"
    # Exactly what arrived is recorded as sent: nothing lost, nothing sent twice.
    arrived = smtp_sink.message_ids()
    assert len(arrived) == len(set(arrived))
    assert {expected[m] for m in arrived} == _sent_ids(own_app)


def test_two_workers_on_sqlite_send_each_notification_once(
    own_app: Flask, own_database: str, smtp_sink: SmtpSink
) -> None:
    expected = _committed_notices(own_app, 40)
    workers = [
        start_worker(own_database, smtp_sink.port, "--batch", "10", "--poll", "0.1")
        for _ in range(2)
    ]
    try:
        wait_until(lambda: _statuses(own_app)[Status.SENT] == len(expected), 60, "everything sent")
    finally:
        outputs = [stop(worker) for worker in workers]

    assert [w.returncode for w in workers] == [0, 0], outputs
    arrived = Counter(smtp_sink.message_ids())
    assert set(arrived) == set(expected)
    assert set(arrived.values()) == {1}
