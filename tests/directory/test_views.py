"""The administrator's directory pages, through the test client against the migrated database
with its reference data: list and search, change an entry's address, and its contacts."""

import html
import re
from itertools import count
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Authority, Contact, HealthBody, Notification
from models.enums import NotificationStatus, RecipientKind, RecipientRole
from notify import create_app
from notify.config import for_testing
from tests.support.builders import HOME, create_child, create_placement
from tests.support.requests import expect_status, sign_in

BIRMINGHAM = "E08000025"  # a host authority with no address in the reference data
BIRMINGHAM_POSTCODE = "B1 1BB"
HEREFORD_AND_WORCESTER_ICB = "E54000019"

_numbers = count(1)


def text(response: Any) -> str:
    """The page's words, without tags, with spaces collapsed."""
    return re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    )


def entry_form(**over: Any) -> dict[str, Any]:
    form = {"notification_email": "", "active": "y"}
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def placed_in_birmingham(session: Session) -> list[Notification]:
    """One of our children placed in Birmingham: the notices to Birmingham wait for an address."""
    child = create_child(session)
    create_placement(session, child, BIRMINGHAM_POSTCODE)
    session.commit()
    return list(session.scalars(select(Notification).where(Notification.child_id == child.id)))


# --- Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["social_worker", "sqa_officer", "business_support", "manager"])
def test_only_administrators_may_see_or_change_the_directory(
    client: FlaskClient, db_session: Session, role: str
) -> None:
    sign_in(client, db_session, role)
    for path in (
        "/directory",
        f"/directory/authorities/{HOME}",
        f"/directory/authorities/{HOME}/edit",
        f"/directory/health-bodies/{HEREFORD_AND_WORCESTER_ICB}/contacts/new",
    ):
        assert client.get(path).status_code == 403, path
    posted = client.post(
        f"/directory/authorities/{HOME}/edit",
        data=entry_form(notification_email="someone@else.example"),
    )
    assert posted.status_code == 403
    db_session.expire_all()
    assert db_session.get(Authority, HOME).notification_email is None
    assert 'href="/directory"' not in expect_status(client.get("/children"), 200).get_data(
        as_text=True
    )


def test_an_administrator_finds_the_directory_in_the_navigation(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "admin")
    assert 'href="/directory"' in expect_status(client.get("/children"), 200).get_data(as_text=True)


def test_an_unknown_code_or_section_is_not_found(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, "admin")
    assert client.get("/directory/authorities/E99999999").status_code == 404
    assert client.get(f"/directory/councils/{HOME}").status_code == 404
    assert client.get(f"/directory/health-bodies/{HOME}").status_code == 404


# --- The list ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("worcestershire", "Worcestershire", "Birmingham"),
        ("WORCS", None, "Worcestershire"),  # names, not abbreviations
        (HOME, "Worcestershire", "Birmingham"),  # GSS code
        ("e1000003", "Worcestershire", "Birmingham"),  # the start of a code
        ("885", "Worcestershire", "Birmingham"),  # DfE LA number
        ("QGH", "Herefordshire and Worcestershire", "Birmingham"),  # ODS code of the ICB
        ("herefordshire worcestershire", "Herefordshire and Worcestershire", "Birmingham"),
    ],
)
def test_search_finds_authorities_and_health_bodies_by_name_or_code(
    client: FlaskClient, db_session: Session, query: str, found: str | None, not_found: str
) -> None:
    sign_in(client, db_session, "admin")
    names = listed(expect_status(client.get("/directory", query_string={"q": query}), 200))
    if found:
        assert any(found in name for name in names), names
    assert not any(not_found in name for name in names)


def test_a_search_with_no_match_says_so_in_each_tab(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "admin")
    page = text(expect_status(client.get("/directory", query_string={"q": "zzqx"}), 200))
    assert "Authorities (0)" in page and "Health bodies (0)" in page
    assert "No authorities match “zzqx”" in page
    assert "No health bodies match “zzqx”" in page


def test_the_list_shows_addresses_missing_ones_and_notifications_waiting_for_one(
    client: FlaskClient, db_session: Session
) -> None:
    db_session.get(Authority, HOME).notification_email = "placements@worcestershire.example"
    db_session.get(Authority, HOME).secure_email = True
    placed_in_birmingham(db_session)
    placed_in_birmingham(db_session)
    sign_in(client, db_session, "admin")

    worcestershire = row(
        expect_status(client.get("/directory", query_string={"q": HOME}), 200), "Worcestershire"
    )
    assert worcestershire == [
        "Worcestershire E10000034 · DfE 885",
        "placements@worcestershire.example",
        "Yes",
        "0",
    ]
    birmingham = row(
        expect_status(client.get("/directory", query_string={"q": "Birmingham"}), 200), "Birmingham"
    )
    assert birmingham[1:] == ["No address", "No", "2"]
    assert "2 notifications are waiting for an address" in text(
        expect_status(client.get("/directory", query_string={"q": "Birmingham"}), 200)
    )


def test_the_list_can_show_only_those_with_notifications_waiting(
    client: FlaskClient, db_session: Session
) -> None:
    placed_in_birmingham(db_session)
    sign_in(client, db_session, "admin")
    page = client.get("/directory", query_string={"waiting": "1"})
    assert page.status_code == 200
    assert listed(page) == [
        "Birmingham",
        "NHS Birmingham and Solihull Integrated Care Board",
        "NHS Herefordshire and Worcestershire Integrated Care Board",
    ]
    assert "Authorities (1)" in text(page) and "Health bodies (2)" in text(page)


def listed(response: Any) -> list[str]:
    """The names of the authorities and health bodies in the list's tables."""
    page = response.get_data(as_text=True)
    return [
        html.unescape(name)
        for name in re.findall(r'<a class="govuk-link" href="/directory/[^"]+">([^<]+)</a>', page)
    ]


def row(response: Any, name: str) -> list[str]:
    """The cells of the first table row naming `name`, as words."""
    page = response.get_data(as_text=True)
    for tr in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S):
        cells = [
            re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", c))).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        ]
        if cells and cells[0].startswith(name):
            return cells
    raise AssertionError(f"No row for {name}")


# --- Changing an entry ------------------------------------------------------------------------


def test_an_administrator_changes_an_authoritys_address_and_its_page_shows_it(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "admin")
    form = client.get(f"/directory/authorities/{HOME}/edit")
    assert form.status_code == 200 and "API endpoint (optional)" in text(form)

    response = client.post(
        f"/directory/authorities/{HOME}/edit",
        data=entry_form(
            notification_email=" placements@worcestershire.example ",
            secure_email="y",
            api_endpoint="https://placements.worcestershire.example/api/v1",
        ),
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = text(response)
    assert response.request.path == f"/directory/authorities/{HOME}"
    assert "Worcestershire saved." in page
    assert "Notification email placements@worcestershire.example" in page
    assert "Yes: the full notice is sent" in page
    assert "https://placements.worcestershire.example/api/v1" in page

    db_session.expire_all()
    worcestershire = db_session.get(Authority, HOME)
    assert worcestershire.notification_email == "placements@worcestershire.example"
    assert worcestershire.secure_email and worcestershire.active
    audit = db_session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "authority")
    ).one()
    assert (audit.action, audit.subject_id) == ("update", HOME)
    changes = audit.detail["changes"]
    assert set(changes) == {"notification_email", "secure_email", "api_endpoint"}
    assert changes["notification_email"]["to"] == "placements@worcestershire.example"
    assert changes["secure_email"] == {"from": False, "to": True}
    assert changes["api_endpoint"] == {
        "from": None,
        "to": "https://placements.worcestershire.example/api/v1",
    }


@pytest.mark.parametrize(
    ("allow_loopback", "endpoint", "message"),
    [
        (False, "http://127.0.0.1:5001/api/v1", "API endpoint must start with https://"),
        (
            False,
            "https://127.0.0.1:5001/api/v1",
            "127.0.0.1 is a loopback, private or link-local address",
        ),
        (True, "https://192.168.0.7/api/v1", "192.168.0.7 is a loopback, private or link-local"),
        (False, "https://localhost/api/v1", "localhost is a local name"),
    ],
)
def test_an_api_endpoint_inside_our_network_is_refused_on_the_page(
    app: Flask, db_session: Session, allow_loopback: bool, endpoint: str, message: str
) -> None:
    served = create_app(
        {
            **for_testing(app.config["SQLALCHEMY_DATABASE_URI"]),
            "FEDERATION_ALLOW_LOOPBACK": allow_loopback,
        }
    )
    client = served.test_client()
    sign_in(client, db_session, "admin")

    response = client.post(
        f"/directory/authorities/{HOME}/edit", data=entry_form(api_endpoint=endpoint)
    )

    page = html.unescape(expect_status(response, 200).get_data(as_text=True))
    assert f'<a href="#api_endpoint">{message}' in page
    db_session.expire_all()
    assert db_session.get(Authority, HOME).api_endpoint is None


def test_in_development_a_second_instance_on_this_machine_may_be_the_endpoint(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "admin")  # the tests allow loopback, as development does

    response = client.post(
        f"/directory/authorities/{HOME}/edit",
        data=entry_form(api_endpoint="http://127.0.0.1:5001/api/v1"),
    )

    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Authority, HOME).api_endpoint == "http://127.0.0.1:5001/api/v1"


def test_a_health_body_has_no_api_endpoint_to_change(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "admin")
    url = f"/directory/health-bodies/{HEREFORD_AND_WORCESTER_ICB}/edit"
    assert "API endpoint" not in text(expect_status(client.get(url), 200))
    response = client.post(url, data=entry_form(notification_email="lac@hw.nhs.example"))
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(HealthBody, HEREFORD_AND_WORCESTER_ICB).notification_email == (
        "lac@hw.nhs.example"
    )


@pytest.mark.parametrize(
    ("form", "anchor", "message"),
    [
        (
            {"notification_email": "placements at worcestershire"},
            "#notification_email",
            "Enter an email address in the correct format, like name@example.org",
        ),
        (
            {"notification_email": "", "secure_email": "y"},
            "#secure_email",
            "Enter the notification email address before marking its domain as secure",
        ),
        (
            {"api_endpoint": "http://placements.worcestershire.example/api/v1"},
            "#api_endpoint",
            "API endpoint must start with https://",
        ),
        (
            {"api_endpoint": "placements.worcestershire.example"},
            "#api_endpoint",
            "Enter the API endpoint as a full web address",
        ),
    ],
)
def test_a_wrong_answer_is_refused_and_listed_in_the_error_summary(
    client: FlaskClient, db_session: Session, form: dict[str, str], anchor: str, message: str
) -> None:
    sign_in(client, db_session, "admin")
    response = client.post(f"/directory/authorities/{HOME}/edit", data=entry_form(**form))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "<title>Error: Change Worcestershire" in page
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="{anchor}">{message}' in page
    db_session.expire_all()
    worcestershire = db_session.get(Authority, HOME)
    assert (worcestershire.notification_email, worcestershire.api_endpoint) == (None, None)


def test_notifications_waiting_for_an_address_become_pending_when_it_is_added(
    client: FlaskClient, db_session: Session
) -> None:
    # Depends on notify.notifications.outbox.address_added (written alongside this page).
    notifications = placed_in_birmingham(db_session)
    to_birmingham = [n for n in notifications if n.recipient_code == BIRMINGHAM]
    others = [n for n in notifications if n.recipient_code != BIRMINGHAM]
    assert to_birmingham and all(
        n.status == NotificationStatus.NEEDS_ADDRESS for n in notifications
    )
    sign_in(client, db_session, "admin")
    assert "1 notification is waiting for an address" in text(
        expect_status(client.get(f"/directory/authorities/{BIRMINGHAM}"), 200)
    )

    response = client.post(
        f"/directory/authorities/{BIRMINGHAM}/edit",
        data=entry_form(notification_email="placements@birmingham.example"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "1 notification that was waiting for an address will now be sent" in text(response)

    db_session.expire_all()
    assert [(n.status, n.address) for n in to_birmingham] == [
        (NotificationStatus.PENDING, "placements@birmingham.example")
    ]
    assert all(n.status == NotificationStatus.NEEDS_ADDRESS for n in others)
    assert (
        row(
            expect_status(client.get("/directory", query_string={"q": BIRMINGHAM}), 200),
            "Birmingham",
        )[3]
        == "0"
    )


def test_an_address_given_to_an_inactive_authority_is_used_once_it_is_active_again(
    client: FlaskClient, db_session: Session
) -> None:
    to_birmingham = [n for n in placed_in_birmingham(db_session) if n.recipient_code == BIRMINGHAM]
    sign_in(client, db_session, "admin")

    assert (
        client.post(
            f"/directory/authorities/{BIRMINGHAM}/edit",
            data=entry_form(notification_email="placements@birmingham.example", active=None),
        ).status_code
        == 302
    )
    db_session.expire_all()
    assert not db_session.get(Authority, BIRMINGHAM).active
    assert [n.status for n in to_birmingham] == [NotificationStatus.NEEDS_ADDRESS]

    assert (
        client.post(
            f"/directory/authorities/{BIRMINGHAM}/edit",
            data=entry_form(notification_email="placements@birmingham.example"),
        ).status_code
        == 302
    )
    db_session.expire_all()
    assert [n.status for n in to_birmingham] == [NotificationStatus.PENDING]


# --- Contacts ---------------------------------------------------------------------------------


def contact_form(**over: Any) -> dict[str, Any]:
    form = {
        "role": RecipientRole.SQA.value,
        "name": "Safeguarding quality assurance team",
        "organisation": "Worcestershire Children First",
        "email": "sqa@worcestershire.example",
        "phone": "01905 765 432",
    }
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def test_an_administrator_adds_changes_and_deactivates_a_contact(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "admin")
    base = f"/directory/authorities/{HOME}"
    added = client.post(f"{base}/contacts/new", data=contact_form(), follow_redirects=True)
    assert added.status_code == 200
    assert "Contact Safeguarding quality assurance team added" in text(added)
    contact = db_session.scalars(select(Contact).where(Contact.authority_code == HOME)).one()
    assert row(added, "Safeguarding quality assurance team")[1:4] == [
        "Safeguarding quality assurance (SQA) team",
        "sqa@worcestershire.example",
        "01905 765 432",
    ]

    changed = client.post(
        f"{base}/contacts/{contact.id}",
        data=contact_form(email="sqa.team@worcestershire.example"),
        follow_redirects=True,
    )
    assert changed.status_code == 200
    assert "sqa.team@worcestershire.example" in text(changed)

    deactivated = client.post(f"{base}/contacts/{contact.id}/deactivate", follow_redirects=True)
    assert deactivated.status_code == 200
    assert "Contact Safeguarding quality assurance team deactivated" in text(deactivated)
    assert "Inactive" in row(deactivated, "Safeguarding quality assurance team")[0]
    db_session.expire_all()
    assert not contact.active
    actions = db_session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.subject_type == "contact")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "update", "deactivate"]


def test_a_second_active_team_inbox_is_refused(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, "admin")
    base = f"/directory/authorities/{HOME}"
    assert client.post(f"{base}/contacts/new", data=contact_form()).status_code == 302
    response = client.post(f"{base}/contacts/new", data=contact_form(name="Another SQA team"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="govuk-error-summary"' in page
    assert "is already the active Safeguarding quality assurance (SQA) team contact here" in text(
        response
    )
    assert len(db_session.scalars(select(Contact).where(Contact.authority_code == HOME)).all()) == 1


@pytest.mark.parametrize(
    ("over", "anchor", "message"),
    [
        ({"email": "sqa"}, "#email", "Enter an email address in the correct format"),
        ({"email": ""}, "#email", "Enter an email address: notices to this contact are sent"),
        ({"name": ""}, "#name", "Enter the name of the person or team"),
        ({"role": None}, "#role", "Choose the contact's role"),
        ({"role": "police"}, "#role", "Choose the contact's role from the list"),
        ({"phone": "call me"}, "#phone", "Enter a telephone number"),
    ],
)
def test_a_wrong_contact_answer_is_listed_in_the_error_summary(
    client: FlaskClient, db_session: Session, over: dict[str, Any], anchor: str, message: str
) -> None:
    sign_in(client, db_session, "admin")
    response = client.post(
        f"/directory/health-bodies/{HEREFORD_AND_WORCESTER_ICB}/contacts/new",
        data=contact_form(**over),
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert f'<a href="{anchor}">{message}' in page
    assert db_session.scalars(select(Contact)).first() is None


def test_a_contact_of_another_entry_is_not_found_here(
    client: FlaskClient, db_session: Session
) -> None:
    contact = Contact(role="sqa", name="SQA", email="sqa@b.example", authority_code=BIRMINGHAM)
    db_session.add(contact)
    db_session.commit()
    sign_in(client, db_session, "admin")
    assert client.get(f"/directory/authorities/{HOME}/contacts/{contact.id}").status_code == 404
    assert client.get(f"/directory/authorities/{BIRMINGHAM}/contacts/{contact.id}").status_code == (
        200
    )


def test_our_sqa_teams_waiting_notices_become_pending_when_its_contact_gets_an_address(
    client: FlaskClient, db_session: Session
) -> None:
    team = Contact(role="sqa", name="SQA team", email=None, authority_code=HOME)
    db_session.add(team)
    db_session.flush()
    alerts = [
        n for n in placed_in_birmingham(db_session) if n.recipient_kind == RecipientKind.INTERNAL
    ]
    assert [(n.recipient_code, n.status) for n in alerts] == [
        (str(team.id), NotificationStatus.NEEDS_ADDRESS)
    ]
    sign_in(client, db_session, "admin")

    response = client.post(
        f"/directory/authorities/{HOME}/contacts/{team.id}",
        data=contact_form(name="SQA team", email="sqa@worcestershire.example"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "1 notification that was waiting for an address will now be sent" in text(response)
    db_session.expire_all()
    assert [(n.status, n.address) for n in alerts] == [
        (NotificationStatus.PENDING, "sqa@worcestershire.example")
    ]


def test_a_contacts_change_is_audited_from_what_to_what(
    client: FlaskClient, db_session: Session
) -> None:
    """A directory entry pointed elsewhere must be traceable: the old and new address."""
    sign_in(client, db_session, "admin")
    expect_status(
        client.post(
            f"/directory/authorities/{HOME}/contacts/new",
            data={"role": "sqa", "name": "SQA team", "email": "sqa@worcestershire.example"},
        ),
        302,
    )
    contact = db_session.scalars(select(Contact).where(Contact.name == "SQA team")).one()

    expect_status(
        client.post(
            f"/directory/authorities/{HOME}/contacts/{contact.id}",
            data={"role": "sqa", "name": "SQA team", "email": "attacker@evil.example"},
        ),
        302,
    )

    audit = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.subject_type == "contact", AuditEvent.action == "update"
        )
    ).one()
    assert audit.detail["changes"] == {
        "email": {"from": "sqa@worcestershire.example", "to": "attacker@evil.example"}
    }
