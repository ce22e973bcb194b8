"""Notifications we sent, through the API (API.md, "Notifications we sent")."""

import json
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models.base import utcnow
from models.enums import NotificationStatus as Status
from notify.notifications import outbox
from tests.support.builders import (
    FAMILY,
    GIVEN,
    HEREFORDSHIRE,
    NOTTINGHAMSHIRE,
    bearer,
    create_api_client,
    create_reminder,
    create_sent_notice,
    give_every_body_an_address,
    placed_child_notices,
)
from tests.support.queries import audit_events
from tests.support.requests import expect_status

BOTH = ("notifications:read", "notifications:ack")
BODY = {"name": "Pat Duty", "email": "pat.duty@herefordshire.example", "note": "Logged"}
KEYS = {
    "id",
    "event",
    "status",
    "send_by",
    "recipient",
    "sent_at",
    "acknowledge_by",
    "acknowledged_at",
    "acknowledged_via",
    "acknowledged_by",
    "child",
    "placing_authority",
}


@pytest.fixture
def key(db_session: Session) -> str:
    return create_api_client(db_session, authority=HEREFORDSHIRE, scopes=BOTH)


def _ack(client: FlaskClient, key: str, notification_id: object, body: object = BODY, **kw):
    return client.post(
        f"/api/v1/notifications/{notification_id}/acknowledgement",
        json=body,
        headers=bearer(key),
        **kw,
    )


def test_a_notice_reads_as_its_recipient_may_see_it_with_the_childs_name_only_in_the_notice(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    notice = create_sent_notice(db_session)

    response = client.get(f"/api/v1/notifications/{notice.id}", headers=bearer(key))

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == KEYS | {"notice"}
    # the notice in full (DOMAIN.md §4): the recipient must be able to read it in substance
    rows = {
        (section["heading"], row["label"]): row["value"]
        for section in body.pop("notice")["sections"]
        for row in section["rows"]
    }
    born = notice.child.date_of_birth
    assert rows[("The child", "Name")] == f"{GIVEN} {FAMILY}"
    assert rows[("The child", "Date of birth")] == f"{born.day} {born:%B %Y}"
    assert rows[("The placement", "Address")].endswith("HR1 1AA")
    assert ("Risks and vulnerabilities", "Recorded risks") in rows
    assert body["id"] == str(notice.id) and body["status"] == "sent"
    assert body["recipient"]["kind"] == "authority"
    assert body["recipient"]["code"] == HEREFORDSHIRE
    assert body["child"] == {
        "initials": notice.child.initials,
        "case_reference": notice.child.case_reference,
    }
    assert body["placing_authority"] == {"code": "E10000034", "name": "Worcestershire"}
    assert body["acknowledged_at"] is None and body["acknowledged_by"] is None
    rest = str(body)
    for hidden in (GIVEN, FAMILY, notice.child.date_of_birth.isoformat()):
        assert hidden not in rest


def test_acknowledging_by_api_answers_200_with_the_acknowledgement_and_is_audited(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    notice = create_sent_notice(db_session)

    response = _ack(client, key, notice.id)

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "acknowledged"
    assert body["acknowledged_via"] == "api"
    assert body["acknowledged_at"] is not None
    assert body["acknowledged_by"] == {"name": "Pat Duty", "email": BODY["email"]}
    db_session.refresh(notice)
    assert (notice.status, notice.acknowledgement_note) == (Status.ACKNOWLEDGED, "Logged")
    [event] = audit_events(db_session, notice.id)
    assert (event.action, event.detail) == ("acknowledge", {"via": "api"})
    assert event.api_key_prefix is not None and key.startswith(event.api_key_prefix)


def test_acknowledging_again_answers_200_and_changes_nothing(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    notice = create_sent_notice(db_session)
    first = expect_status(_ack(client, key, notice.id), 200).get_json()

    again = _ack(client, key, notice.id, {"name": "Someone Else"})

    assert again.status_code == 200
    assert again.get_json() == first
    assert len(audit_events(db_session, notice.id)) == 1


def test_another_authoritys_key_finds_nothing(client: FlaskClient, db_session: Session) -> None:
    notice = create_sent_notice(db_session)
    theirs = create_api_client(db_session, authority=NOTTINGHAMSHIRE, scopes=BOTH)

    read = client.get(f"/api/v1/notifications/{notice.id}", headers=bearer(theirs))
    acknowledged = _ack(client, theirs, notice.id)
    listed = client.get("/api/v1/notifications", headers=bearer(theirs))

    assert read.status_code == acknowledged.status_code == 404
    assert read.get_json()["error"]["code"] == "not_found"
    assert listed.status_code == 200 and listed.get_json() == []
    db_session.refresh(notice)
    assert notice.status == Status.SENT


def test_the_list_holds_only_notices_sent_to_the_caller_filtered_by_status(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    waiting = create_sent_notice(db_session)
    done = create_sent_notice(db_session)
    assert _ack(client, key, done.id).status_code == 200
    create_reminder(db_session, waiting)
    # a notice to Herefordshire that has not gone yet is not listed
    unsent = [
        n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code == HEREFORDSHIRE
    ]

    def ids(**query: str) -> list[str]:
        response = client.get("/api/v1/notifications", query_string=query, headers=bearer(key))
        assert response.status_code == 200, response.get_json()
        return [n["id"] for n in response.get_json()]

    assert ids(status="awaiting_acknowledgement") == [str(waiting.id)]
    assert ids(status="acknowledged") == [str(done.id)]
    assert ids() == ids(status="all") == [str(waiting.id), str(done.id)]
    assert str(unsent[0].id) not in ids()
    later = (utcnow() + timedelta(minutes=1)).isoformat()
    assert ids(since=later) == []


def test_the_list_is_paginated(client: FlaskClient, db_session: Session, key: str) -> None:
    notices = [create_sent_notice(db_session) for _ in range(3)]

    response = client.get(
        "/api/v1/notifications", query_string={"page_size": 2, "page": 2}, headers=bearer(key)
    )
    assert response.status_code == 200

    assert [n["id"] for n in response.get_json()] == [str(notices[2].id)]
    assert json.loads(response.headers["X-Pagination"])["total"] == 3


def test_a_notice_not_yet_sent_cannot_be_acknowledged(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    give_every_body_an_address(db_session)
    pending = next(
        n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code == HEREFORDSHIRE
    )
    db_session.commit()

    response = _ack(client, key, pending.id)

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "not_sent"
    assert "has not been sent yet" in error["message"]
    db_session.refresh(pending)
    assert pending.status == Status.PENDING


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, "bad_request"),
        ({"data": "name=Pat", "content_type": "application/x-www-form-urlencoded"}, 415, None),
        ({"json": {}}, 422, "validation_failed"),
        ({"json": {"name": ""}}, 422, "validation_failed"),
        ({"json": {"name": "Pat", "email": "nope"}}, 422, "validation_failed"),
        ({"json": {"name": "Pat", "note": "x" * 2001}}, 422, "validation_failed"),
    ],
    ids=["not-json", "not-json-type", "no-name", "blank-name", "bad-email", "long-note"],
)
def test_a_bad_acknowledgement_body_is_refused_with_the_envelope(
    client: FlaskClient, db_session: Session, key: str, request_kwargs, status: int, code
) -> None:
    notice = create_sent_notice(db_session)

    response = client.post(
        f"/api/v1/notifications/{notice.id}/acknowledgement",
        headers=bearer(key),
        **request_kwargs,
    )

    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["status"] == status
    if code:
        assert error["code"] == code
    if status == 422:
        assert set(error["fields"]) <= {"name", "email", "note"} and error["fields"]
    db_session.refresh(notice)
    assert notice.status == Status.SENT


def test_the_validation_envelope_names_every_field_at_once(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    notice = create_sent_notice(db_session)

    response = _ack(client, key, notice.id, {"name": "", "email": "nope"})

    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"name", "email"}


@pytest.mark.parametrize(
    ("scopes", "method", "status"),
    [
        (None, "get", 401),
        (None, "post", 401),
        (("notifications:ack",), "get", 403),
        (("notifications:read",), "post", 403),
        (("placements:write",), "get", 403),
    ],
)
def test_a_call_without_the_right_key_is_refused(
    client: FlaskClient, db_session: Session, scopes, method: str, status: int
) -> None:
    notice = create_sent_notice(db_session)
    headers = (
        # (a placements:write key of theirs can only be one made before that scope was ours)
        bearer(
            create_api_client(
                db_session, authority=HEREFORDSHIRE, scopes=scopes, issued_before_the_rule=True
            )
        )
        if scopes
        else {}
    )

    if method == "get":
        response = client.get(f"/api/v1/notifications/{notice.id}", headers=headers)
    else:
        response = client.post(
            f"/api/v1/notifications/{notice.id}/acknowledgement", json=BODY, headers=headers
        )

    assert response.status_code == status
    assert response.get_json()["error"]["status"] == status
    db_session.refresh(notice)
    assert notice.status == Status.SENT


@pytest.mark.parametrize("notification_id", ["999999999", "abc", "1" * 40, "-1"])
def test_an_unknown_id_is_not_found(client: FlaskClient, key: str, notification_id: str) -> None:
    assert (
        client.get(f"/api/v1/notifications/{notification_id}", headers=bearer(key)).status_code
        == 404
    )
    assert _ack(client, key, notification_id).status_code == 404


def test_reading_is_audited_with_the_key(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    notice = create_sent_notice(db_session)

    assert client.get(f"/api/v1/notifications/{notice.id}", headers=bearer(key)).status_code == 200

    [event] = audit_events(db_session, notice.id)
    assert event.action == "api_notification_view" and key.startswith(event.api_key_prefix)


def test_the_openapi_document_describes_the_acknowledgement(client: FlaskClient) -> None:
    spec = expect_status(client.get("/api/v1/openapi.json"), 200).get_json()
    post = spec["paths"]["/api/v1/notifications/{notification_id}/acknowledgement"]["post"]
    assert post["x-required-scope"] == "notifications:ack"
    assert {"200", "409", "422"} <= set(post["responses"])


def test_a_cancelled_notice_reads_as_cancelled_and_cannot_be_acknowledged(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    give_every_body_an_address(db_session)
    notice = next(
        n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code == HEREFORDSHIRE
    )
    outbox.change_status(db_session, notice.id, Status.CANCELLED)
    db_session.commit()

    assert (
        expect_status(
            client.get(f"/api/v1/notifications/{notice.id}", headers=bearer(key)), 200
        ).get_json()["status"]
        == "cancelled"
    )
    assert _ack(client, key, notice.id).status_code == 409
