"""Two identical notices posted at the same moment make one row: one request creates it, the
other answers 200 with it."""

import json
import threading

import pytest
from flask import Flask
from sqlalchemy import delete, select

from models import ApiClient, AuditEvent, InboundNotice
from notify.apikeys.service import create_api_key
from notify.extensions import db
from tests.support.builders import BIRMINGHAM, bearer, notice_body
from tests.support.requests import INBOUND_NOTICES


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_identical_posts_at_once_store_one_notice_and_answer_201_and_200(
    engine: str, request: pytest.FixtureRequest
) -> None:
    app: Flask = request.getfixturevalue("app" if engine == "sqlite" else "pg_app")
    with app.app_context():
        new = create_api_key(
            db.session,
            authority_code=BIRMINGHAM,
            scopes=["inbound:write"],
            name="race",
            home_authority=app.config["HOME_AUTHORITY"],
        )
        db.session.commit()
        key, client_id = new.key, new.client.id
    body = notice_body()
    # Two spellings of one body: the same notice, whatever its key order and spacing.
    bodies = [json.dumps(body), json.dumps(dict(reversed(list(body.items()))), indent=1)]
    ready, answers = threading.Barrier(2), {}

    def send(data: str) -> None:
        client = app.test_client()
        ready.wait()
        response = client.post(
            INBOUND_NOTICES, data=data, content_type="application/json", headers=bearer(key)
        )
        answers[data] = (response.status_code, response.get_json().get("id"))

    threads = [threading.Thread(target=send, args=(data,)) for data in bodies]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(status for status, _ in answers.values()) == [200, 201]
        assert len({notice_id for _, notice_id in answers.values()}) == 1
        with app.app_context():
            stored = db.session.scalars(
                select(InboundNotice).where(InboundNotice.reference == body["reference"])
            ).all()
        assert len(stored) == 1
    finally:
        with app.app_context():
            prefix = key.split(".")[0]
            db.session.execute(delete(AuditEvent).where(AuditEvent.api_key_prefix == prefix))
            db.session.execute(
                delete(InboundNotice).where(InboundNotice.api_client_id == client_id)
            )
            db.session.execute(delete(ApiClient).where(ApiClient.id == client_id))
            db.session.commit()
