"""The one owner of the commit: work is kept when the block ends, and undone when it raises."""

import pytest
from sqlalchemy import func, select

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
