"""Secure mail domains: a directory setting, nhs.net from the start, kept by administrators."""

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, SecureDomain
from notify.notifications.secure_domains import is_secure_address
from tests.support.requests import expect_status, sign_in


@pytest.mark.parametrize(
    ("address", "secure"),
    [
        ("designated.nurse@nhs.net", True),
        ("Designated.Nurse@NHS.NET", True),
        ("someone@wales.nhs.net", True),  # a subdomain of a secure domain
        ("someone@notnhs.net", False),  # not a subdomain: another domain ending alike
        ("someone@nhs.net.example", False),
        ("someone@worcestershire.gov.uk", False),
        ("", False),
        (None, False),
    ],
)
def test_an_address_is_secure_on_a_secure_domain_or_a_subdomain_of_one(address, secure):
    assert is_secure_address(address, {"nhs.net"}) is secure


def test_an_administrator_adds_and_removes_an_accredited_domain(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "admin")
    page = expect_status(client.get("/directory/secure-domains"), 200).get_data(as_text=True)
    assert "nhs.net" in page

    added = client.post("/directory/secure-domains", data={"domain": " Worcestershire.GOV.uk "})
    assert added.status_code == 302
    assert db_session.get(SecureDomain, "worcestershire.gov.uk") is not None
    again = expect_status(
        client.post("/directory/secure-domains", data={"domain": "worcestershire.gov.uk"}), 200
    )
    assert "worcestershire.gov.uk is already marked secure" in again.get_data(as_text=True)
    for bad in ("not a domain", "@", "x" * 300, "localhost"):
        response = client.post("/directory/secure-domains", data={"domain": bad})
        assert response.status_code == 200 and "There is a problem" in response.get_data(
            as_text=True
        )

    removed = client.post(
        "/directory/secure-domains/remove", data={"domain": "worcestershire.gov.uk"}
    )
    assert removed.status_code == 302
    db_session.expire_all()
    assert db_session.get(SecureDomain, "worcestershire.gov.uk") is None
    actions = db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "secure_domain")
    ).all()
    assert actions == ["secure_domain_add", "secure_domain_remove"]


@pytest.mark.parametrize("role", ["social_worker", "sqa_officer", "manager"])
def test_only_administrators_keep_the_secure_domains(
    client: FlaskClient, db_session: Session, role: str
) -> None:
    sign_in(client, db_session, role)
    assert client.get("/directory/secure-domains").status_code == 403
    assert (
        client.post("/directory/secure-domains", data={"domain": "evil.example"}).status_code == 403
    )
