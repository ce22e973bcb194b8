"""GET /api/v1/inbound-notices and …/{id}: a placing authority reads back its own notices,
their status and, once decided, when, by whom and why."""

import json
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models import InboundNotice, User
from models.base import utcnow
from models.enums import InboundStatus
from tests.support.builders import BIRMINGHAM, HEREFORDSHIRE, bearer, create_api_client, notice_body
from tests.support.requests import INBOUND_NOTICES, expect_status, post_notice


def _posted(client: FlaskClient, key: str, **over: object) -> dict:
    response = post_notice(client, key, notice_body(**over))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _decide(session: Session, notice_id: str, status: str, note: str | None, at=None) -> User:
    """What business support's triage records on a notice."""
    officer = User(
        email=f"bso{notice_id}@worcestershire.example",
        name="Bea Support",
        role="business_support",
        password_hash="x",
    )
    session.add(officer)
    session.flush()
    notice = session.get(InboundNotice, int(notice_id))
    assert notice is not None
    notice.status = status
    notice.decided_at = at or utcnow()
    notice.decided_by_id = officer.id
    notice.decision_note = note
    session.commit()
    return officer


def test_a_placing_authority_reads_its_notice_as_it_was_answered_when_posted(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    posted = _posted(client, key)

    response = client.get(f"{INBOUND_NOTICES}/{posted['id']}", headers=bearer(key))

    assert response.status_code == 200
    assert response.get_json() == posted


def test_a_rejected_notice_shows_when_by_whom_and_why(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    posted = _posted(client, key)
    _decide(db_session, posted["id"], InboundStatus.REJECTED, "The child lives in Herefordshire.")

    body = expect_status(
        client.get(f"{INBOUND_NOTICES}/{posted['id']}", headers=bearer(key)), 200
    ).get_json()

    assert body["status"] == "rejected"
    assert body["decision"]["by"] == "Bea Support"
    assert body["decision"]["note"] == "The child lives in Herefordshire."
    assert body["decision"]["at"] is not None
    # the officer's name only: no email or id of our staff
    assert "worcestershire.example" not in json.dumps(body)


def test_an_accepted_notice_shows_when_and_by_whom_with_no_note(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    posted = _posted(client, key)
    _decide(db_session, posted["id"], InboundStatus.ACCEPTED, None)

    body = expect_status(
        client.get(f"{INBOUND_NOTICES}/{posted['id']}", headers=bearer(key)), 200
    ).get_json()

    assert body["status"] == "accepted"
    assert body["decision"]["by"] == "Bea Support" and body["decision"]["note"] is None


def test_another_authoritys_key_finds_neither_the_notice_nor_it_in_a_list(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    posted = _posted(client, key)
    theirs = create_api_client(db_session, authority=HEREFORDSHIRE, scopes=("inbound:write",))

    read = client.get(f"{INBOUND_NOTICES}/{posted['id']}", headers=bearer(theirs))
    listed = client.get(INBOUND_NOTICES, headers=bearer(theirs))

    assert read.status_code == 404
    assert read.get_json()["error"]["code"] == "not_found"
    assert listed.status_code == 200 and listed.get_json() == []


def test_an_id_that_is_not_a_row_number_is_not_found(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    for notice_id in ("abc", "-1", "9" * 30, "999999"):
        response = client.get(f"{INBOUND_NOTICES}/{notice_id}", headers=bearer(key))
        assert response.status_code == 404, notice_id


def test_the_list_holds_only_the_callers_notices_oldest_first_and_pages(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    mine = [_posted(client, key)["id"] for _ in range(3)]
    theirs = create_api_client(db_session, authority=HEREFORDSHIRE, scopes=("inbound:write",))
    assert (
        post_notice(client, theirs, notice_body(placing_authority=HEREFORDSHIRE)).status_code == 201
    )

    everything = client.get(INBOUND_NOTICES, headers=bearer(key))
    assert everything.status_code == 200
    page_two = client.get(f"{INBOUND_NOTICES}?page=2&page_size=2", headers=bearer(key))
    assert page_two.status_code == 200
    past_the_end = client.get(f"{INBOUND_NOTICES}?page=99999999&page_size=2", headers=bearer(key))

    assert [n["id"] for n in everything.get_json()] == mine
    assert {n["placing_authority"] for n in everything.get_json()} == {BIRMINGHAM}
    assert [n["id"] for n in page_two.get_json()] == mine[2:]
    assert json.loads(page_two.headers["X-Pagination"])["total"] == 3
    assert past_the_end.status_code == 200 and past_the_end.get_json() == []


def test_since_gives_the_notices_received_or_decided_since_then(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    old, decided, fresh = (_posted(client, key)["id"] for _ in range(3))
    long_ago = utcnow() - timedelta(days=10)
    for notice_id in (old, decided):
        notice = db_session.get(InboundNotice, int(notice_id))
        assert notice is not None
        notice.received_at = long_ago
    db_session.commit()
    _decide(db_session, decided, InboundStatus.QUERIED, "Which school will the child attend?")
    since = (utcnow() - timedelta(days=1)).isoformat()

    response = client.get(INBOUND_NOTICES, query_string={"since": since}, headers=bearer(key))

    assert response.status_code == 200
    assert [n["id"] for n in response.get_json()] == [decided, fresh]
    assert response.get_json()[0]["decision"]["note"] == "Which school will the child attend?"


def test_since_without_an_offset_is_refused_422(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    response = client.get(
        INBOUND_NOTICES, query_string={"since": "2026-01-01T00:00:00"}, headers=bearer(key)
    )

    assert response.status_code == 422
    assert "since" in response.get_json()["error"]["fields"]
