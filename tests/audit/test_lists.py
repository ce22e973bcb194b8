"""Every page that lists children is audited: who saw which children (by id), with the search
or filters that chose them, from which address and browser (issue 14: audit gaps)."""

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent
from tests.support.builders import DISTANT, TODAY, create_child, create_sent_notice
from tests.support.requests import expect_status, sign_in


def _last_list(session: Session, name: str) -> AuditEvent:
    session.expire_all()
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "view_list", AuditEvent.subject_type == name)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None, f"no view_list audit for {name}"
    return event


def test_a_search_records_its_terms_and_the_children_it_found(
    client: FlaskClient, db_session: Session
) -> None:
    found = create_child(db_session, family_name="Quillfeather")
    create_child(db_session, family_name="Other")
    db_session.commit()
    sign_in(client, db_session, "social_worker")

    expect_status(client.get("/children?q=quillfeather"), 200)

    event = _last_list(db_session, "child_search")
    assert event.detail == {"child_ids": [found.id], "query": "quillfeather"}
    assert event.remote_address == "127.0.0.1"
    assert event.user_agent and event.user_agent.startswith("Werkzeug")
    assert event.user_id is not None


@pytest.mark.parametrize(
    ("path", "name", "overdue_only"),
    [
        ("/dashboard/chase-list", "chase_list", True),
        ("/dashboard/chase-list/table", "chase_list", True),
        ("/dashboard/notices/awaiting-acknowledgement", "notices_awaiting-acknowledgement", False),
    ],
)
def test_the_sqa_lists_record_which_children_they_showed(
    client: FlaskClient, db_session: Session, path: str, name: str, overdue_only: bool
) -> None:
    """Two notices awaiting acknowledgement, one of them overdue: the chase list shows the
    overdue one's child, the awaiting list both."""
    waiting = create_sent_notice(db_session, TODAY + timedelta(days=5))
    overdue = create_sent_notice(db_session, TODAY - timedelta(days=20))
    sign_in(client, db_session, "sqa_officer")

    expect_status(client.get(path), 200)

    expected = {overdue.child_id} if overdue_only else {overdue.child_id, waiting.child_id}
    assert _last_list(db_session, name).detail["child_ids"] == sorted(expected)


def test_the_out_of_area_list_records_its_children(
    client: FlaskClient, db_session: Session
) -> None:
    away = create_child(db_session, placed_at=DISTANT)
    db_session.commit()
    sign_in(client, db_session, "manager")

    expect_status(client.get("/dashboard/placements/out-of-area"), 200)

    assert _last_list(db_session, "placements_out-of-area").detail["child_ids"] == [away.id]


def test_a_social_workers_caseload_records_their_children(
    client: FlaskClient, db_session: Session
) -> None:
    worker = sign_in(client, db_session, "social_worker")
    mine = create_child(db_session, social_worker_id=worker.id)
    create_child(db_session)  # someone else's
    db_session.commit()

    expect_status(client.get("/my-work"), 200)

    assert _last_list(db_session, "caseload").detail["child_ids"] == [mine.id]
