"""The directory's service functions, on the migrated database with its reference data."""

from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models import Authority, Contact, HealthBody, Notification
from models.enums import NotificationStatus, RecipientKind, RecipientRole
from notify.directory.service import (
    ContactDetails,
    add_directory_contact,
    api_endpoint_problem,
    contact_roles,
    list_entries,
    set_contact_active,
    update_directory_entry,
)
from notify.problems import InvalidInput
from tests.support.builders import HOME, create_child, create_placement

BIRMINGHAM = "E08000025"


@pytest.mark.parametrize(
    "url",
    [
        "https://placements.worcestershire.example/api/v1",
        "https://notify.example.gov.uk",
        "HTTPS://NOTIFY.EXAMPLE.GOV.UK:8443/api/v1?tenant=885",
    ],
)
def test_https_addresses_are_accepted_as_api_endpoints(url: str) -> None:
    assert api_endpoint_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://notify.example.gov.uk/api/v1", "must start with https://"),
        ("notify.example.gov.uk/api/v1", "full web address"),
        ("https://", "full web address"),
        ("https://notify example.gov.uk", "full web address"),
        ("ftp://notify.example.gov.uk", "full web address"),
        ("https://user:secret@notify.example.gov.uk/api", "must not contain a user name"),
        ("https://notify.example.gov.uk/api#v1", "#fragment"),
        ("https://[::1/api", "full web address"),
        ("https://notify.example.gov.uk/" + "a" * 500, "500 characters or fewer"),
    ],
)
def test_other_api_endpoints_are_refused_with_a_reason(url: str, problem: str) -> None:
    found = api_endpoint_problem(url)
    assert found is not None and problem in found


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.8.8.8",
        "[::1]",
        "[::ffff:127.0.0.1]",  # loopback written as IPv6
        "10.0.0.5",
        "172.16.4.1",
        "192.168.1.10",
        "169.254.169.254",  # a cloud's metadata service
        "[fe80::1]",
        "[fd00::1]",
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
    ],
)
def test_an_api_endpoint_on_a_loopback_private_or_link_local_address_is_refused(
    host: str,
) -> None:
    found = api_endpoint_problem(f"https://{host}/api/v1")

    assert found is not None and "loopback, private or link-local address" in found
    assert "must be an address on the internet" in found


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("localhost", "is a local name"),
        ("api.localhost", "is a local name"),
        ("placements.internal", "is a local name"),
        ("nas.local", "is a local name"),
        ("intranet", "full host name"),  # one label: the resolver's search list decides
        ("2130706433", "full host name"),  # 127.0.0.1 as one number
        ("0x7f.1", "full host name"),
        ("10.1", "full host name"),
    ],
)
def test_an_api_endpoint_named_for_this_machine_or_network_is_refused(
    host: str, problem: str
) -> None:
    found = api_endpoint_problem(f"https://{host}/api/v1")

    assert found is not None and problem in found


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:5001/api/v1", "https://[::1]:8443/api", "http://localhost:5001/api/v1"],
)
def test_development_may_point_at_a_second_instance_on_this_machine(url: str) -> None:
    assert api_endpoint_problem(url, allow_loopback=True) is None
    assert api_endpoint_problem(url) is not None


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5/api", "https://192.168.1.10/api", "http://notify.example.gov.uk"]
)
def test_development_is_allowed_this_machine_only_not_the_network(url: str) -> None:
    assert api_endpoint_problem(url, allow_loopback=True) is not None


def test_a_public_address_written_as_an_ip_is_accepted() -> None:
    assert api_endpoint_problem("https://81.2.69.160/api/v1") is None


def test_the_directory_refuses_a_private_endpoint_naming_the_field(db_session: Session) -> None:
    with pytest.raises(InvalidInput) as raised:
        update_directory_entry(
            db_session,
            "authority",
            BIRMINGHAM,
            notification_email="placements@birmingham.example",
            secure_email=False,
            active=True,
            api_endpoint="https://10.20.30.40/api/v1",
        )

    assert raised.value.fields == {
        "api_endpoint": [
            "10.20.30.40 is a loopback, private or link-local address: the API endpoint must "
            "be an address on the internet"
        ]
    }


def test_the_list_counts_waiting_notifications_in_one_query_whatever_its_length(
    db_session: Session,
) -> None:
    for _ in range(2):
        create_placement(db_session, create_child(db_session), "B1 1BB")
    db_session.flush()
    statements: list[str] = []

    def collect(*args: Any) -> None:
        statements.append(args[2])

    connection = db_session.connection()
    event.listen(connection, "before_cursor_execute", collect)
    try:
        authorities = list_entries(db_session, RecipientKind.AUTHORITY)
    finally:
        event.remove(connection, "before_cursor_execute", collect)

    assert len(statements) == 1
    assert len(authorities) > 150
    waiting = {row.code: row.waiting for row in authorities if row.waiting}
    assert waiting == {BIRMINGHAM: 2}


def test_saving_the_same_address_again_changes_nothing(db_session: Session) -> None:
    first = update_directory_entry(
        db_session,
        RecipientKind.HEALTH_BODY,
        "E54000019",
        notification_email="lac@hw.nhs.example",
        secure_email=True,
        active=True,
    )
    again = update_directory_entry(
        db_session,
        RecipientKind.HEALTH_BODY,
        "E54000019",
        notification_email="lac@hw.nhs.example",
        secure_email=True,
        active=True,
    )
    assert set(first.changed) == {"notification_email", "secure_email"}
    assert again.changed == ()
    assert db_session.get(HealthBody, "E54000019").secure_email


def test_clearing_an_address_leaves_no_empty_string(db_session: Session) -> None:
    db_session.get(Authority, HOME).notification_email = "old@worcestershire.example"
    update_directory_entry(
        db_session,
        RecipientKind.AUTHORITY,
        HOME,
        notification_email="  ",
        secure_email=False,
        active=True,
        api_endpoint="",
    )
    authority = db_session.get(Authority, HOME)
    assert (authority.notification_email, authority.api_endpoint) == (None, None)


def test_every_problem_with_an_entry_is_reported_at_once(db_session: Session) -> None:
    with pytest.raises(InvalidInput) as raised:
        update_directory_entry(
            db_session,
            RecipientKind.HEALTH_BODY,
            "E54000019",
            notification_email=None,
            secure_email=True,
            active=True,
            api_endpoint="https://hw.nhs.example/api",
        )
    assert set(raised.value.fields) == {"secure_email", "api_endpoint"}


def test_changing_an_address_sends_notices_not_yet_sent_to_the_new_one(db_session: Session) -> None:
    child = create_child(db_session)
    create_placement(db_session, child, "B1 1BB")
    db_session.flush()
    update = update_directory_entry(
        db_session,
        RecipientKind.AUTHORITY,
        BIRMINGHAM,
        notification_email="first@birmingham.example",
        secure_email=False,
        active=True,
    )
    assert update.released == 1
    changed = update_directory_entry(
        db_session,
        RecipientKind.AUTHORITY,
        BIRMINGHAM,
        notification_email="second@birmingham.example",
        secure_email=False,
        active=True,
    )
    assert changed.released == 0  # the notice is pending already, not waiting
    notice = db_session.scalars(
        select(Notification).where(Notification.recipient_code == BIRMINGHAM)
    ).one()
    assert (notice.status, notice.address) == (
        NotificationStatus.PENDING,
        "second@birmingham.example",  # not the stale first address
    )


def test_only_roles_the_database_accepts_are_offered_for_contacts() -> None:
    known = {r.value for r in RecipientRole}
    offered = [role for role, _ in contact_roles()]
    assert RecipientRole.SQA.value in offered
    assert set(offered) <= known


def test_a_team_inbox_may_be_reactivated_only_while_no_other_holds_the_role(
    db_session: Session,
) -> None:
    details = ContactDetails(role="sqa", name="SQA team", email="sqa@worcestershire.example")
    old = add_directory_contact(db_session, RecipientKind.AUTHORITY, HOME, details)
    set_contact_active(db_session, old, False)
    new = add_directory_contact(db_session, RecipientKind.AUTHORITY, HOME, details)
    with pytest.raises(InvalidInput):
        set_contact_active(db_session, old, True)
    set_contact_active(db_session, new, False)
    set_contact_active(db_session, old, True)
    assert db_session.scalars(
        select(Contact.id).where(Contact.authority_code == HOME, Contact.active)
    ).all() == [old.id]
