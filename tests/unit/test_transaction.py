"""The one owner of the commit: work is kept when the block ends, and undone when it raises."""

import pytest
from sqlalchemy import func, inspect, select

from models import AuditEvent
from notify.transaction import transaction


def _audit_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


def test_work_is_committed_when_the_block_ends(app, db_session):
    before = _audit_rows(db_session)
    with transaction() as session:
        session.add(AuditEvent(action="kept", subject_type="test", subject_id="1", detail={}))
    db_session.expire_all()
    assert _audit_rows(db_session) == before + 1


def test_work_is_rolled_back_when_the_block_raises(app, db_session):
    before = _audit_rows(db_session)
    with pytest.raises(RuntimeError), transaction() as session:
        session.add(AuditEvent(action="lost", subject_type="test", subject_id="1", detail={}))
        session.flush()
        raise RuntimeError("the work failed half-way")
    assert _audit_rows(db_session) == before


@pytest.mark.parametrize("keep_loaded", [False, True])
def test_keep_loaded_leaves_what_was_read_as_it_is(app, db_session, keep_loaded):
    with transaction() as session:
        row = AuditEvent(action="read", subject_type="test", subject_id="1", detail={})
        session.add(row)
    session.refresh(row)

    with transaction(keep_loaded=keep_loaded) as session:
        session.add(AuditEvent(action="audit", subject_type="test", subject_id="2", detail={}))

    assert ("action" in inspect(row).unloaded) is not keep_loaded
    assert db_session().expire_on_commit  # the session's own setting, put back
