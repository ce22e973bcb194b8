"""Each key has its own budget of inbound calls (INBOUND_RATE_LIMIT); past it, 429 with
Retry-After and the error envelope."""

from flask import Flask
from sqlalchemy.orm import Session

from tests.support.builders import BIRMINGHAM, bearer, create_api_client, notice_body
from tests.support.requests import INBOUND_NOTICES, post_notice


def test_a_key_past_its_limit_is_answered_429_with_retry_after_and_another_key_is_not(
    limited_app: Flask, db_session: Session
) -> None:
    client = limited_app.test_client()
    key = create_api_client(db_session, authority=BIRMINGHAM, scopes=("inbound:write",))
    other = create_api_client(db_session, authority=BIRMINGHAM, scopes=("inbound:write",))

    allowed = [
        post_notice(client, key, notice_body()).status_code,
        client.get(INBOUND_NOTICES, headers=bearer(key)).status_code,
        post_notice(client, key, notice_body()).status_code,
    ]
    refused = post_notice(client, key, notice_body())
    refused_read = client.get(INBOUND_NOTICES, headers=bearer(key))
    others = post_notice(client, other, notice_body())

    assert allowed == [201, 200, 201]
    assert (refused.status_code, refused_read.status_code) == (429, 429)
    assert int(refused.headers["Retry-After"]) > 0
    error = refused.get_json()["error"]
    assert (error["status"], error["code"]) == (429, "rate_limited")
    assert others.status_code == 201


def test_calls_without_a_valid_key_do_not_spend_a_keys_budget(
    limited_app: Flask, db_session: Session
) -> None:
    client = limited_app.test_client()
    key = create_api_client(db_session, authority=BIRMINGHAM, scopes=("inbound:write",))
    prefix = key.split(".")[0]

    forged = [
        client.get(INBOUND_NOTICES, headers=bearer(f"{prefix}.forged")).status_code
        for _ in range(5)
    ]

    assert forged == [401] * 5
    assert client.get(INBOUND_NOTICES, headers=bearer(key)).status_code == 200
