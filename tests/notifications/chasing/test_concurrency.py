"""Two chasers at once on PostgreSQL (two workers' morning, or a worker and `flask notify
chase`): each reminder and the escalation are written once, and neither chaser fails."""

import threading
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import delete

from models import Child, Notification, Placement
from notify.extensions import db
from notify.notifications.chasing import chase
from tests.support.builders import CHASE_SETTINGS, create_sent_notice
from tests.support.queries import chases_of

pytestmark = pytest.mark.postgres


def _chaser(app: Flask, ready: threading.Barrier, outcomes: list[str]) -> None:
    with app.app_context():
        ready.wait()
        try:
            done = chase(db.session, date(2027, 1, 6), CHASE_SETTINGS)
            db.session.commit()
            outcomes.append(f"wrote {done.written}")
        except Exception as exc:  # the test reports it: a chaser must not fail
            db.session.rollback()
            outcomes.append(f"{type(exc).__name__}: {exc}")


def test_two_chasers_at_once_write_one_reminder_and_one_escalation(pg_app: Flask) -> None:
    with pg_app.app_context():
        notice = create_sent_notice(db.session, date(2026, 12, 18), directory=False)
        db.session.commit()
        notice_id, child_id = notice.id, notice.child_id
    try:
        ready, outcomes = threading.Barrier(2), []
        threads = [
            threading.Thread(target=_chaser, args=(pg_app, ready, outcomes)) for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(outcomes) == ["wrote 0", "wrote 2"]
        with pg_app.app_context():
            assert chases_of(db.session, notice_id) == [
                ("reminder", 2, "pending"),
                ("escalation", 1, "needs_address"),
            ]
            original = db.session.get(Notification, notice_id)
            assert original is not None and original.reminders_sent == 2
    finally:
        with pg_app.app_context():
            for model in (Notification, Placement):
                db.session.execute(delete(model).where(model.child_id == child_id))
            db.session.execute(delete(Child).where(Child.id == child_id))
            db.session.commit()
