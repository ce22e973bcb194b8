"""The host register: filters, pages and the CSV export, counted by hand on a small register."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, InboundNotice
from notify.register.queries import RegisterFilters, register_export, register_page, years_before
from notify.register.service import accept_notice
from tests.support.builders import (
    BIRMINGHAM,
    HOME,
    NOTTINGHAMSHIRE,
    TODAY,
    create_child,
    create_inbound_notice,
    create_placement,
)
from tests.support.requests import expect_status, sign_in

NOW = datetime.now(UTC)


def _hosted(
    session: Session,
    their_id: str,
    authority: str,
    place: str,
    age: int,
    start: int,
    *,
    end: int | None = None,
    accepted_days_ago: int = 0,
    postcode: str = "WR1 2NA",
    notice_type: str = "placement_start",
) -> InboundNotice:
    """A child of `authority` placed here `start` days from today, `age` years old, whose
    notice was accepted `accepted_days_ago`."""
    born = years_before(TODAY, age) - timedelta(days=10)
    placement = {
        "start_date": (TODAY + timedelta(days=start)).isoformat(),
        "placement_type": place,
        "address": {"postcode": postcode},
    }
    if end is not None:
        placement.update(end_date=(TODAY + timedelta(days=end)).isoformat(), end_reason="E13")
    notice = create_inbound_notice(
        session,
        placing_authority=authority,
        notice_type=notice_type,
        child={
            "placing_authority_child_id": their_id,
            "given_name": their_id.replace("-", ""),
            "date_of_birth": born.isoformat(),
        },
        placement=placement,
    )
    accept_notice(session, notice.id, home_authority_code=HOME, user_id=None, today=TODAY)
    notice.decided_at = NOW - timedelta(days=accepted_days_ago)
    return notice


@pytest.fixture
def small_register(db_session: Session) -> Session:
    """Birmingham: A (U6, 12, moved 3 days ago), B (K2, 15, no news for 13 months), C (U4, 3,
    left 10 days ago); Nottinghamshire: D (U6, 16), E (U5, 0). And one of our own children
    placed in county, who is not on the register."""
    _hosted(db_session, "A-1", BIRMINGHAM, "U6", 12, -60, accepted_days_ago=60)
    _hosted(
        db_session,
        "A-1",
        BIRMINGHAM,
        "U6",
        12,
        -3,
        postcode="WR14 1AA",
        notice_type="address_change",
    )
    _hosted(db_session, "B-2", BIRMINGHAM, "K2", 15, -400, accepted_days_ago=395)
    _hosted(db_session, "C-3", BIRMINGHAM, "U4", 3, -800, end=-10)
    _hosted(db_session, "D-4", NOTTINGHAMSHIRE, "U6", 16, -100)
    _hosted(db_session, "E-5", NOTTINGHAMSHIRE, "U5", 0, -30)
    ours = create_child(db_session)
    create_placement(db_session, ours, "WR5 3AA", start_date=TODAY - timedelta(days=5))
    return db_session


def _ids(session: Session, **filters: object) -> list[str]:
    page = register_page(session, HOME, TODAY, RegisterFilters(**filters), NOW)  # type: ignore[arg-type]
    return sorted(r.their_id for r in page.rows)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["A-1", "B-2", "D-4", "E-5"]),
        ({"status": "ended"}, ["C-3"]),
        ({"status": "all"}, ["A-1", "B-2", "C-3", "D-4", "E-5"]),
        ({"placing_authority": BIRMINGHAM}, ["A-1", "B-2"]),
        ({"placing_authority": NOTTINGHAMSHIRE}, ["D-4", "E-5"]),
        ({"placement_type": "U6"}, ["A-1", "D-4"]),
        ({"placement_type": "U4", "status": "all"}, ["C-3"]),
        ({"age_band": "under_1"}, ["E-5"]),
        ({"age_band": "1_4", "status": "all"}, ["C-3"]),
        ({"age_band": "10_15"}, ["A-1", "B-2"]),
        ({"age_band": "16_over"}, ["D-4"]),
        (
            {"started_from": TODAY - timedelta(days=120), "started_to": TODAY - timedelta(days=20)},
            ["D-4", "E-5"],
        ),
        ({"started_from": TODAY - timedelta(days=5)}, ["A-1"]),  # the move, its latest placement
        ({"no_news": True}, ["B-2"]),
        ({"placing_authority": BIRMINGHAM, "placement_type": "U6", "age_band": "10_15"}, ["A-1"]),
    ],
)
def test_the_register_filters(small_register: Session, filters: dict, expected: list[str]) -> None:
    assert _ids(small_register, **filters) == expected


def test_a_moved_child_appears_once_at_the_latest_address(small_register: Session) -> None:
    page = register_page(small_register, HOME, TODAY, RegisterFilters(), NOW)

    a = [r for r in page.rows if r.their_id == "A-1"]
    assert [(r.postcode, r.start_date) for r in a] == [("WR14 1AA", TODAY - timedelta(days=3))]


def test_the_export_has_every_placement_here_of_the_chosen_children(
    small_register: Session,
) -> None:
    rows = list(
        register_export(
            small_register,
            HOME,
            TODAY,
            RegisterFilters(placing_authority=BIRMINGHAM, status="all"),
            NOW,
        )
    )

    # A twice (before and after the move), B, C
    assert [(r[2], r[13]) for r in rows] == [
        ("A-1", TODAY - timedelta(days=60)),
        ("A-1", TODAY - timedelta(days=3)),
        ("B-2", TODAY - timedelta(days=400)),
        ("C-3", TODAY - timedelta(days=800)),
    ]
    first = rows[0]
    assert first[0] == "Birmingham" and first[3] == "A1"  # names are in the staff export
    assert first[14] == TODAY - timedelta(days=4) and first[15] == "X1"  # ended the day before
    assert first[23:26] == ("Dana Social", "dana.social@birmingham.example", "0121 496 0001")


def test_the_register_page_pages_25_at_a_time(db_session: Session, client: FlaskClient) -> None:
    for n in range(30):
        _hosted(db_session, f"P-{n:02d}", BIRMINGHAM, "U6", 10, -50 - n)
    sign_in(client, db_session, "business_support")

    first = client.get("/register")
    second = client.get("/register?page=2")

    assert first.status_code == second.status_code == 200
    body1, body2 = first.get_data(as_text=True), second.get_data(as_text=True)
    assert body1.count("Their id P-") == 25 and body2.count("Their id P-") == 5
    assert "30 children" in body1 and "Page 1 of 2" in body1
    assert 'class="govuk-pagination' in body1 and "/register?page=2" in body1
    assert "Page 2 of 2" in body2


def test_the_register_page_filters_and_exports_the_same_children(
    small_register: Session, client: FlaskClient
) -> None:
    sign_in(client, small_register, "business_support")

    page = client.get(f"/register?placing_authority={BIRMINGHAM}&status=all")
    assert page.status_code == 200
    export = client.get(f"/register.csv?placing_authority={BIRMINGHAM}&status=all")
    assert export.status_code == 200

    body = page.get_data(as_text=True)
    assert "3 children match these filters" in body
    assert f"/register.csv?placing_authority={BIRMINGHAM}&amp;status=all" in body
    assert export.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert table[0][:3] == ["Placing authority", "Placing authority code", "Their child id"]
    assert [row[2] for row in table[1:]] == ["A-1", "A-1", "B-2", "C-3"]
    audit = small_register.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert audit.subject_type == "host_register"
    assert audit.detail == {"placing_authority": BIRMINGHAM, "status": "all"}


def test_the_register_export_writes_a_formula_as_text(
    db_session: Session, client: FlaskClient
) -> None:
    """Another authority's child id and name are theirs to write: a formula stays text."""
    _hosted(db_session, '=HYPERLINK("http://evil.example")', BIRMINGHAM, "U6", 12, -30)
    sign_in(client, db_session, "business_support")

    export = expect_status(client.get("/register.csv"), 200)

    table = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [row["Their child id"] for row in table] == ['\'=HYPERLINK("http://evil.example")']
    assert all(not cell.startswith("=") for row in table for cell in row.values())


def test_the_register_page_says_how_many_children_and_authorities(
    small_register: Session, client: FlaskClient
) -> None:
    sign_in(client, small_register, "manager")

    body = expect_status(client.get("/register"), 200).get_data(as_text=True)

    assert "4 children placed here now by 2 authorities" in body


def test_a_date_filter_in_the_wrong_order_is_explained_not_applied(
    small_register: Session, client: FlaskClient
) -> None:
    sign_in(client, small_register, "business_support")
    later, earlier = TODAY - timedelta(days=20), TODAY - timedelta(days=120)
    query = (
        f"started_from={later.day}&started_from={later.month}&started_from={later.year}"
        f"&started_to={earlier.day}&started_to={earlier.month}&started_to={earlier.year}"
    )

    body = expect_status(client.get(f"/register?{query}"), 200).get_data(as_text=True)

    assert "must be the same as or after" in body
    # the 'before' date is left out; 'on or after' alone matches A (moved 3 days ago)
    assert "1 child matches these filters" in body


@pytest.mark.parametrize("role", ["social_worker"])
def test_people_without_a_register_role_cannot_see_it(
    db_session: Session, client: FlaskClient, role: str
) -> None:
    sign_in(client, db_session, role)

    assert client.get("/register").status_code == 403
    assert client.get("/register.csv").status_code == 403


def test_years_before_turns_29_february_into_28_february() -> None:
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
