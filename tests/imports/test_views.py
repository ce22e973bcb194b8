"""The Imports page: upload an extract, read its report, confirm it; who may."""

import io

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, CaseSystemImport
from tests.imports.extracts import Extract903
from tests.imports.test_service import _first, _second
from tests.support.requests import expect_status, sign_in


def _upload(client: FlaskClient, extract: Extract903, **extra: object) -> object:
    header, episodes = extract.files()
    data = {
        "header": (io.BytesIO(header.stream.getvalue().encode()), "header.csv"),
        "episodes": (io.BytesIO(episodes.stream.getvalue().encode()), "episodes.csv"),
        **extra,
    }
    return client.post("/imports", data=data, content_type="multipart/form-data")


def test_an_sqa_officer_uploads_reads_the_report_and_confirms(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "sqa_officer")
    assert client.get("/imports").status_code == 200
    seeded = _upload(client, _first())
    assert seeded.status_code == 302
    page = client.get(seeded.headers["Location"])
    assert page.status_code == 200
    assert "5 children and 5 placements, without notices" in page.text

    staged = _upload(client, _second())
    assert staged.status_code == 302
    page = client.get(staged.headers["Location"])
    text = page.text
    assert "Moved on" in text and "Vanished: ask a person" in text
    assert "SEX must be M, F or U (1 or 2 before 2024-25), not 9" in text
    record = db_session.scalars(select(CaseSystemImport).order_by(CaseSystemImport.id)).all()[-1]

    confirmed = client.post(f"/imports/{record.id}/confirm")
    assert confirmed.status_code == 302
    page = client.get(f"/imports/{record.id}")
    assert "4 changes applied" in page.text and "Sam Sqa_Officer" in page.text
    listing = expect_status(client.get("/imports"), 200)
    assert "4 changes applied" in listing.text
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"stage_import", "confirm_import", "view_import"} <= actions


def test_an_upload_missing_a_file_says_which(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, "sqa_officer")
    header, _ = _first().files()
    response = client.post(
        "/imports",
        data={"header": (io.BytesIO(header.stream.getvalue().encode()), "header.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Choose the 903 episodes file" in response.text


def test_files_that_are_not_an_extract_are_refused_with_the_reason(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "sqa_officer")
    data = {
        "header": (io.BytesIO(b"a,b\n1,2\n"), "header.csv"),
        "episodes": (io.BytesIO(b"\xff\xfe\x00bad"), "episodes.csv"),
    }
    response = client.post("/imports", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "The files must be CSV saved as UTF-8" in response.text
    assert db_session.scalar(select(CaseSystemImport)) is None


def test_a_social_worker_may_not_see_or_confirm_imports(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "social_worker")
    assert client.get("/imports").status_code == 403
    assert _upload(client, _first()).status_code == 403


def test_a_held_import_offers_confirmation_only_to_a_manager(
    app, client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "sqa_officer")
    _upload(client, _first())
    app.config["CMS_IMPORT_HOLD_ABOVE"] = 1
    try:
        staged = _upload(client, _second())
    finally:
        app.config["CMS_IMPORT_HOLD_ABOVE"] = 50
    page = expect_status(client.get(staged.headers["Location"]), 200)
    assert "a manager must confirm it" in page.text
    assert "Confirm these changes" not in page.text
    record = db_session.scalars(select(CaseSystemImport).order_by(CaseSystemImport.id)).all()[-1]
    refused = client.post(f"/imports/{record.id}/confirm")
    assert refused.status_code == 302
    assert record.status == "held_for_manager"
