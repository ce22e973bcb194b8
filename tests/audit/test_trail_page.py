"""The audit trail page: a manager finds who saw a child (opened, or listed), what one person
did, and what happened on given days; nobody else may read it."""

import csv
import io
import json
import re
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditChild, AuditEvent
from notify.auditlog.queries import PER_PAGE
from tests.support.builders import create_child, create_user
from tests.support.queries import counted_statements
from tests.support.requests import expect_status, sign_in


def _trail(client: FlaskClient, query: str) -> str:
    return expect_status(client.get(f"/audit?{query}"), 200).get_data(as_text=True)


def test_a_manager_finds_everyone_who_saw_a_child_opened_or_in_a_list(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    seen = create_child(db_session, family_name="Quillfeather")
    other = create_child(db_session, family_name="Other")
    db_session.commit()
    worker_browser = app.test_client()
    worker = sign_in(worker_browser, db_session, "social_worker", name="Wendy Worker")
    expect_status(worker_browser.get(f"/children/{seen.id}"), 200)
    expect_status(worker_browser.get(f"/children/{other.id}"), 200)
    expect_status(worker_browser.get("/children?q=quillfeather"), 200)
    sign_in(client, db_session, "manager")

    page = _trail(client, f"case_reference={seen.case_reference.lower()}")

    assert "2 events" in page
    # the child's page, and the search that listed it
    assert page.count(f'data-label="Who">{worker.name}<') == 2
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "view list child search" in words and f"view child {seen.id}" in words


def test_a_case_reference_no_child_has_says_so(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, "manager")

    page = _trail(client, "case_reference=WCF-NOSUCH")

    assert "No child has the case reference WCF-NOSUCH" in page


def test_filtered_by_person_and_days_and_itself_audited(
    client: FlaskClient, db_session: Session
) -> None:
    someone = create_user(db_session, "sqa_officer")
    db_session.add_all(
        [
            AuditEvent(user_id=someone.id, action="export", subject_type="chase_list",
                       at=datetime(2026, 11, 2, 12, tzinfo=UTC)),
            AuditEvent(user_id=someone.id, action="view", subject_type="caseload",
                       at=datetime(2026, 11, 20, 12, tzinfo=UTC)),
        ]
    )  # fmt: skip
    db_session.commit()
    manager = sign_in(client, db_session, "manager")

    page = _trail(
        client,
        f"person={someone.id}&on_or_after=1&on_or_after=11&on_or_after=2026"
        "&on_or_before=10&on_or_before=11&on_or_before=2026",
    )

    assert "1 event" in page and "export" in page and "caseload" not in page
    reading = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "view_audit_trail")
    ).one()
    assert reading.user_id == manager.id
    assert reading.detail is not None and reading.detail["person"] == str(someone.id)


def test_a_date_range_the_wrong_way_round_is_explained(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "manager")

    page = _trail(
        client,
        "on_or_after=10&on_or_after=11&on_or_after=2026"
        "&on_or_before=1&on_or_before=11&on_or_before=2026",
    )

    assert "‘To’ must be the same as or after ‘From’" in page


def test_only_managers_and_administrators_read_the_trail(app: Flask, db_session: Session) -> None:
    expect_status(app.test_client().get("/audit"), 302)  # to sign in
    for role, status in (("social_worker", 403), ("sqa_officer", 403), ("admin", 200)):
        browser = app.test_client()
        sign_in(browser, db_session, role)
        expect_status(browser.get("/audit"), status)


def test_the_trail_downloads_as_csv_with_the_same_filters(
    client: FlaskClient, db_session: Session
) -> None:
    someone = create_user(db_session, "sqa_officer")
    db_session.add_all(
        [
            AuditEvent(user_id=someone.id, action="search", subject_type="child",
                       detail={"query": "=HYPERLINK(\"http://evil.example\")"},
                       remote_address="192.0.2.7", at=datetime(2026, 11, 2, 12, tzinfo=UTC)),
            AuditEvent(action="view", subject_type="caseload",
                       at=datetime(2026, 11, 3, tzinfo=UTC)),
        ]
    )  # fmt: skip
    db_session.commit()
    sign_in(client, db_session, "manager")

    response = expect_status(client.get(f"/audit/export.csv?person={someone.id}"), 200)

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["When (UK time)", "Who", "API key", "Action"]
    assert len(rows) == 2
    when, who, _, action, subject, _, _, address, _, detail = rows[1]
    assert (when, who, action, subject, address) == (
        "2026-11-02T12:00:00+00:00",
        someone.name,
        "search",
        "child",
        "192.0.2.7",
    )
    assert json.loads(detail) == {"query": '=HYPERLINK("http://evil.example")'}
    assert db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export_audit_trail")
    ).one().detail == {"person": str(someone.id)}


def test_the_trail_page_reads_the_same_statements_for_many_rows_as_for_few(
    client: FlaskClient, db_session: Session
) -> None:
    """Each row lists its children: read for the page at once, not once a row."""

    def add_lists(n: int) -> None:
        for i in range(n):
            db_session.add(
                AuditEvent(
                    action="view_list",
                    subject_type="chase_list",
                    children=[AuditChild(child_id=c) for c in (i + 1, i + 2, i + 3)],
                )
            )
        db_session.commit()

    sign_in(client, db_session, "manager")
    add_lists(3)
    expect_status(client.get("/audit"), 200)  # warm
    with counted_statements() as few:
        expect_status(client.get("/audit"), 200)
    add_lists(60)
    with counted_statements() as many:
        page = expect_status(client.get("/audit"), 200).get_data(as_text=True)

    assert page.count('data-label="Children"') == PER_PAGE  # a full page of rows, children shown
    assert len(many) == len(few)
