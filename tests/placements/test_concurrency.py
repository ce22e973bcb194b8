"""Two people recording a move for the same child at once: one wins, the other is told."""

import threading
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, func, select
from sqlalchemy.orm.exc import StaleDataError

from models import Child, Notification, Placement
from notify.extensions import db
from notify.placements.service import record_placement
from notify.problems import Conflict
from tests.support.builders import TODAY, create_child, create_placement, placement_details


def _committed_child(app: Flask) -> tuple[int, int]:
    with app.app_context():
        child = create_child(db.session)
        create_placement(db.session, child, "WR5 3AA", start_date=TODAY - timedelta(days=90))
        db.session.commit()
        return child.id, child.version


def _move(
    app: Flask,
    child_id: int,
    version: int,
    postcode: str,
    ready: threading.Barrier,
    outcome: dict[str, str],
) -> None:
    """What a confirmed move form does: record with the version the person saw, then commit."""
    ready.wait()
    with app.app_context():
        child = db.session.get(Child, child_id)
        assert child is not None
        try:
            record_placement(
                db.session,
                child,
                placement_details(postcode),
                expected_version=version,
                actor_id=None,
                today=TODAY,
            )
            db.session.commit()
            outcome[postcode] = "recorded"
        except (Conflict, StaleDataError):
            db.session.rollback()
            outcome[postcode] = "conflict"


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_moves_from_the_same_version_record_one_and_refuse_the_other(
    engine: str, request: pytest.FixtureRequest
) -> None:
    app: Flask = request.getfixturevalue("app" if engine == "sqlite" else "pg_app")
    child_id, version = _committed_child(app)
    ready, outcome = threading.Barrier(2), {}
    threads = [
        threading.Thread(target=_move, args=(app, child_id, version, postcode, ready, outcome))
        for postcode in ("HR1 1AA", "TR1 1AA")
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcome.values()) == ["conflict", "recorded"]
        with app.app_context():
            count = db.session.scalar(
                select(func.count()).select_from(Placement).where(Placement.child_id == child_id)
            )
        assert count == 2  # the first placement and the winner's; nothing of the other's
    finally:
        _remove_child(app, child_id)


def _remove_child(app: Flask, child_id: int) -> None:
    """This test commits for real (two connections must see each other's work): undo it."""
    with app.app_context():
        for model in (Notification, Placement):
            db.session.execute(delete(model).where(model.child_id == child_id))
        db.session.execute(delete(Child).where(Child.id == child_id))
        db.session.commit()
