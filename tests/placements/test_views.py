"""The social worker's pages, driven through the test client against the migrated database
with its reference data: find, add, record a move through its check page, end, approve."""

import html
import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Approval, AuditEvent, Child, Notification, Placement
from notify.placements.service import (
    ChildDetails,
    record_child,
    record_placement,
)
from tests.support.builders import (
    ADJOINING,
    DISTANT,
    IN_AREA,
    TODAY,
    create_child,
    placement_details,
    send_area_authority_notice,
)
from tests.support.builders import SIGN_IN_PASSWORD as PASSWORD
from tests.support.requests import expect_status, sign_in

HOME_POSTCODE = "WR5 2NP"  # Worcester
# Aylesbury, in Buckinghamshire: one of the six districts split between two ICBs since April
# 2026 (Thames Valley; a sliver in Central East), SOURCES.md §3a
SPLIT = "HP20 1AA"
_numbers = iter(range(1000, 100_000))


def date_parts(d: date) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


def move_form(child: Child, **over: Any) -> dict[str, Any]:
    """The move form as a person fills it in: a planned foster placement next week."""
    form: dict[str, Any] = {
        "version": str(child.version),
        "start_date": date_parts(TODAY + timedelta(days=7)),
        "placement_type": "U6",
        "provider": "PR4",
        "reason_for_change": "CARPL",
        "carer_name": "Pat and Lee Carer",
        "address_line_1": "2 New Street",
        "town": "Birmingham",
        "postcode": ADJOINING,
        "telephone": "0121 496 0000",
    }
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def text(response: Any) -> str:
    """The page's words, without tags, with spaces collapsed."""
    return re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    )


def count(session: Session, model: type, **where: Any) -> int:
    session.expire_all()
    statement = select(func.count()).select_from(model)
    for name, value in where.items():
        statement = statement.where(getattr(model, name) == value)
    return session.scalar(statement) or 0


# --- Signing in and roles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/children",
        "/children/new",
        "/children/1",
        "/children/1/move",
        "/children/1/move/check",
        "/children/1/placements/1/end",
        "/children/1/placements/1/approval/director",
    ],
)
def test_every_page_sends_a_signed_out_person_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("role", ["sqa_officer", "business_support"])
def test_people_who_only_view_may_see_a_child_but_not_record_anything(
    client: FlaskClient, db_session: Session, role: str
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    placement = child.current_placement
    assert placement is not None
    sign_in(client, db_session, role)

    page = client.get(f"/children/{child.id}")
    assert page.status_code == 200
    assert "Record a move" not in text(page)
    for path in (
        "/children/new",
        f"/children/{child.id}/move",
        f"/children/{child.id}/placements/{placement.id}/end",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/children/{child.id}/move", data=move_form(child)).status_code == 403
    assert client.post(f"/children/{child.id}/move/check").status_code == 403
    assert count(db_session, Placement, child_id=child.id) == 1


def test_a_social_worker_cannot_record_an_approval(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=DISTANT)
    sign_in(client, db_session, "social_worker")
    placement = child.current_placement
    assert placement is not None
    url = f"/children/{child.id}/placements/{placement.id}/approval/director"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"decision": "approved"}).status_code == 403


# --- Find and add a child ---------------------------------------------------------------------


def test_find_a_child_by_case_reference_or_by_name(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(
        db_session, given_name="Rowan", family_name="Applewhite", placed_at=IN_AREA
    )
    create_child(db_session, given_name="Someone", family_name="Else", placed_at=IN_AREA)
    sign_in(client, db_session)

    for query in (child.case_reference, "applewhite", "rowan APPLE"):
        page = text(expect_status(client.get("/children", query_string={"q": query}), 200))
        assert "Rowan Applewhite" in page, query
        assert "Someone Else" not in page, query
    assert "No children match" in text(
        expect_status(client.get("/children", query_string={"q": "zzqx"}), 200)
    )


def test_children_other_authorities_placed_with_us_are_found_but_not_recorded_here(
    client: FlaskClient, db_session: Session
) -> None:
    details = ChildDetails(
        case_reference=f"BCT-{next(_numbers)}",
        given_name="Hosted",
        family_name="Childington",
        date_of_birth=TODAY - timedelta(days=365 * 8),
        sex="M",
        legal_status="C2",
        home_postcode=ADJOINING,
    )
    child = record_child(db_session, details, "E08000025", TODAY)  # Birmingham's child
    record_placement(
        db_session,
        child,
        placement_details(
            IN_AREA, start_date=TODAY - timedelta(days=30), late_reason="Recorded from the file"
        ),
        expected_version=child.version,
        actor_id=None,
        today=TODAY,
    )
    db_session.commit()
    sign_in(client, db_session)

    page = text(expect_status(client.get("/children", query_string={"q": "Childington"}), 200))
    assert "Hosted Childington" in page
    assert "Birmingham (placed with us)" in page
    child_page = text(expect_status(client.get(f"/children/{child.id}"), 200))
    assert "Looked after by Birmingham and placed in our area" in child_page
    assert "Record a move" not in child_page
    assert client.get(f"/children/{child.id}/move").status_code == 404


def test_the_first_page_after_signing_in_is_find_a_child(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session)
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert "Find a child" in text(response)


def test_adding_a_child_records_them_and_opens_their_page(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session)
    reference = f"WCF-NEW-{next(_numbers)}"
    response = client.post(
        "/children/new",
        data={
            "case_reference": reference,
            "given_name": "Morgan",
            "family_name": "Example",
            "date_of_birth": date_parts(TODAY - timedelta(days=365 * 9)),
            "sex": "M",
            "legal_status": "C1",
            "home_postcode": "wr5 2np",
            "flags": ["uasc"],
        },
    )
    assert response.status_code == 302
    page = text(expect_status(client.get(response.headers["Location"]), 200))
    assert f"Child {reference} added" in page
    assert "Morgan Example" in page
    assert "C1: Interim care order" in page
    child = db_session.scalar(select(Child).where(Child.case_reference == reference))
    assert child is not None and child.uasc and child.home_postcode == HOME_POSTCODE


def test_adding_a_child_with_missing_and_wrong_answers_lists_each_in_the_error_summary(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session)
    response = client.post(
        "/children/new",
        data={
            "case_reference": "",
            "given_name": "Morgan",
            "family_name": "Wronganswers",
            "date_of_birth": ["31", "2", "2015"],
            "sex": "M",
            "legal_status": "C1",
            "home_postcode": "WR5 2NP",
            "nhs_number": "123",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Add a child" in page
    assert 'class="govuk-error-summary"' in page
    for anchor, message in [
        ("#case_reference", "Enter the case reference"),
        ("#date_of_birth-day", "Date of birth must be a real date"),
        ("#nhs_number", "NHS number must be 10 digits"),
    ]:
        assert f'<a href="{anchor}">{message}' in page
    assert count(db_session, Child, family_name="Wronganswers") == 0


def _new_child_form(**over: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "case_reference": f"WCF-NEW-{next(_numbers)}",
        "given_name": "Morgan",
        "family_name": "Linebreak",
        "date_of_birth": date_parts(TODAY - timedelta(days=365 * 9)),
        "sex": "M",
        "legal_status": "C1",
        "home_postcode": "WR5 2NP",
    }
    return form | over


@pytest.mark.parametrize(
    ("field", "answer", "message"),
    [
        ("case_reference", "WCF-1\nWCF-2", "Case reference must be on one line"),
        ("case_reference", "WCF\t1", "Case reference must be on one line"),
        ("given_name", "Mor\x00gan", "First name must not contain control characters"),
        ("risks", "Missing\x1b[31m", "Risks and vulnerabilities must not contain control"),
    ],
)
def test_a_line_break_or_control_character_is_refused_naming_the_field(
    client: FlaskClient, db_session: Session, field: str, answer: str, message: str
) -> None:
    sign_in(client, db_session)

    response = client.post("/children/new", data=_new_child_form(**{field: answer}))

    page = html.unescape(expect_status(response, 200).get_data(as_text=True))
    assert f'<a href="#{field}">{message}' in page
    assert count(db_session, Child, family_name="Linebreak") == 0


@pytest.mark.parametrize("chosen", ["99999999999999999999", "2147483648", "123456", "abc"])
def test_a_social_worker_not_offered_is_refused_not_a_server_error(
    client: FlaskClient, db_session: Session, chosen: str
) -> None:
    """A tampered post: someone who does not exist, or a number too big for the column."""
    sign_in(client, db_session)

    response = client.post("/children/new", data=_new_child_form(social_worker_id=chosen))

    page = html.unescape(expect_status(response, 200).get_data(as_text=True))
    assert '<a href="#social_worker_id">Choose a social worker from the list' in page
    assert count(db_session, Child, family_name="Linebreak") == 0


def test_the_risks_may_run_over_several_lines(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session)
    form = _new_child_form(risks="Missing twice in May.\r\nKnown to the CSE team.")

    expect_status(client.post("/children/new", data=form), 302)

    child = db_session.scalar(select(Child).where(Child.family_name == "Linebreak"))
    assert child is not None and child.risks == "Missing twice in May.\r\nKnown to the CSE team."


# --- Changing the case reference ----------------------------------------------------------------


def test_a_case_reference_copied_with_a_line_break_is_corrected_and_audited(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, case_reference="WCF-3301\n")
    sign_in(client, db_session)
    form = expect_status(client.get(f"/children/{child.id}/case-reference"), 200).text
    assert (
        'value="WCF-3301' in form
        and f'name="version" type="hidden" value="{child.version}"' in form
    )

    response = client.post(
        f"/children/{child.id}/case-reference",
        data={"case_reference": " WCF-3301 ", "version": str(child.version)},
    )

    assert response.headers["Location"] == f"/children/{child.id}"
    db_session.refresh(child)
    assert child.case_reference == "WCF-3301"
    assert "Case reference changed to WCF-3301" in text(client.get(f"/children/{child.id}"))
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "change_case_reference")
    ).one()
    assert (event.subject_id, event.detail) == (str(child.id), {"old": "WCF-3301\n"})


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", "Enter the case reference"),
        ("WCF-1\nWCF-2", "Case reference must be on one line"),
        ("W" * 41, "Case reference must be 40 characters or fewer"),
        ("WCF-TAKEN", "A child with case reference WCF-TAKEN is already recorded"),
    ],
)
def test_a_case_reference_that_cannot_be_is_refused_and_the_old_one_kept(
    client: FlaskClient, db_session: Session, answer: str, message: str
) -> None:
    create_child(db_session, case_reference="WCF-TAKEN")
    child = create_child(db_session, case_reference="WCF-KEPT")
    sign_in(client, db_session)

    response = client.post(
        f"/children/{child.id}/case-reference",
        data={"case_reference": answer, "version": str(child.version)},
    )

    page = html.unescape(expect_status(response, 200).get_data(as_text=True))
    assert f'<a href="#case_reference">{message}' in page
    db_session.refresh(child)
    assert child.case_reference == "WCF-KEPT"


def test_only_those_who_record_placements_change_a_case_reference_of_our_own_child(
    client: FlaskClient, db_session: Session
) -> None:
    ours = create_child(db_session)
    theirs = create_child(db_session)
    theirs.responsible_authority_code = "E10000024"  # Nottinghamshire's child, placed here
    sign_in(client, db_session, "business_support")
    expect_status(client.get(f"/children/{ours.id}/case-reference"), 403)
    sign_in(client, db_session, "social_worker")
    expect_status(client.get(f"/children/{theirs.id}/case-reference"), 404)


# --- The child's page -------------------------------------------------------------------------


def test_the_child_page_shows_the_current_placement_and_is_audited(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=ADJOINING)
    user = sign_in(client, db_session, "sqa_officer")

    page = text(expect_status(client.get(f"/children/{child.id}"), 200))

    assert "Out of area (OUT)" in page
    assert "Birmingham" in page
    assert "In an authority adjoining ours" in page
    assert re.search(r"Distance from home \d+\.\d miles", page)
    assert "Notices about this placement" in page
    assert "Decision needed" in page  # a nominated officer's approval is outstanding
    events = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "view", AuditEvent.subject_id == str(child.id)
        )
    ).all()
    assert [e.user_id for e in events] == [user.id]


# --- Record a move ----------------------------------------------------------------------------


def test_recording_a_move_out_of_area_shows_who_will_be_told_then_records_it(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    first = child.current_placement
    assert first is not None
    notices_before = count(db_session, Notification, child_id=child.id)
    sign_in(client, db_session)

    form_page = client.get(f"/children/{child.id}/move")
    assert form_page.status_code == 200
    assert f'name="version" type="hidden" value="{child.version}"' in form_page.get_data(
        as_text=True
    )
    response = client.post(f"/children/{child.id}/move", data=move_form(child))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/children/{child.id}/move/check"

    check = client.get(f"/children/{child.id}/move/check")
    page = text(check)
    assert check.status_code == 200
    assert "Check the move before you confirm it" in page
    assert "Host authority Birmingham" in page
    assert "Out of area (OUT)" in page
    assert "In an authority adjoining ours" in page
    assert "nominated officer" in page
    table = check.get_data(as_text=True).split('data-testid="who-will-be-told"')[1]
    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table.split("</table>")[0]))
    assert "Area authority (where placed)" in table
    assert "Birmingham" in table
    assert "Health body where placed" in table
    start = TODAY + timedelta(days=7)
    due = start - timedelta(days=1)  # a planned start: due by the day before it begins
    assert f"{due.day} {due:%B %Y}" in table
    assert "Late" not in table
    assert count(db_session, Placement, child_id=child.id) == 1  # nothing written yet

    done = client.post(f"/children/{child.id}/move/check")
    assert done.status_code == 302
    assert done.headers["Location"] == f"/children/{child.id}"
    child_page = text(expect_status(client.get(done.headers["Location"]), 200))
    assert "Move recorded" in child_page

    db_session.expire_all()
    placements = db_session.scalars(
        select(Placement).where(Placement.child_id == child.id).order_by(Placement.start_date)
    ).all()
    assert len(placements) == 2
    old, new = placements
    assert old.end_date == start - timedelta(days=1)
    assert (new.postcode, new.host_authority_code, new.location) == (ADJOINING, "E08000025", "OUT")
    written = db_session.scalars(
        select(Notification).where(Notification.child_id == child.id)
    ).all()
    assert len(written) > notices_before
    assert any(
        n.recipient_role == "area_authority"
        and n.recipient_code == "E08000025"
        and n.placement_id == new.id
        for n in written
    )
    assert count(db_session, AuditEvent, action="record_placement", subject_id=str(new.id)) == 1


def test_change_links_bring_back_the_answers_given(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    assert (
        client.post(
            f"/children/{child.id}/move", data=move_form(child, carer_name="Robin Carer")
        ).status_code
        == 302
    )

    check = expect_status(client.get(f"/children/{child.id}/move/check"), 200).get_data(
        as_text=True
    )
    assert f'href="/children/{child.id}/move?change=1#address_line_1"' in check
    again = expect_status(client.get(f"/children/{child.id}/move?change=1"), 200).get_data(
        as_text=True
    )
    assert 'value="Robin Carer"' in again
    assert f'value="{ADJOINING}"' in again


def test_the_move_form_lists_each_missing_answer_in_the_error_summary(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)

    response = client.post(f"/children/{child.id}/move", data={"version": str(child.version)})
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "There is a problem" in page
    for anchor, message in [
        ("#start_date-day", "Enter the start date"),
        ("#placement_type", "Choose the placement type"),
        ("#postcode", "Enter the postcode of the placement"),
        ("#reason_for_change", "Choose the reason for the change"),
    ]:
        assert f'<a href="{anchor}">{message}</a>' in page
        assert f"</span> {message}" in page or f"Error:</span> {message}" in page
    assert client.get(f"/children/{child.id}/move/check").status_code == 302  # no draft kept


@pytest.mark.parametrize(
    "parts, message",
    [
        (["31", "2", str(TODAY.year + 1)], "Start date must be a real date"),
        (["", "3", str(TODAY.year)], "Start date must include a day"),
        (["1", "3", "25"], "Year must include 4 numbers"),
        (date_parts(TODAY - timedelta(days=365 * 40)), "Start date must be after 1 January 2000"),
    ],
)
def test_a_wrong_start_date_is_explained(
    client: FlaskClient, db_session: Session, parts: list[str], message: str
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    page = expect_status(
        client.post(f"/children/{child.id}/move", data=move_form(child, start_date=parts)), 200
    ).get_data(as_text=True)
    assert f'<a href="#start_date-day">{message}</a>' in page


def test_a_postcode_we_cannot_find_is_shown_against_the_postcode(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)

    response = client.post(f"/children/{child.id}/move", data=move_form(child, postcode="ZZ99 9ZZ"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#postcode"' in page
    assert "govuk-input--error" in page
    assert count(db_session, Placement, child_id=child.id) == 1


def test_a_postcode_in_a_split_district_asks_which_health_body_covers_the_address(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)

    asked = client.post(f"/children/{child.id}/move", data=move_form(child, postcode=SPLIT))
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "govuk-error-summary" not in page  # a choice to make, not a mistake (issue 15)
    assert 'type="radio"' in page and 'value="E54000070"' in page and 'value="E54000065"' in page

    chosen = client.post(
        f"/children/{child.id}/move",
        data=move_form(child, postcode=SPLIT, health_body_code="E54000070"),
    )
    assert chosen.status_code == 302
    check = text(expect_status(client.get(f"/children/{child.id}/move/check"), 200))
    assert "Health body where placed NHS Thames Valley Integrated Care Board" in check
    assert f'href="/children/{child.id}/move?change=1#health_body_code"' in expect_status(
        client.get(f"/children/{child.id}/move/check"), 200
    ).get_data(as_text=True)


def test_a_move_confirmed_after_someone_else_changed_the_child_is_refused_and_writes_nothing(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    assert client.post(f"/children/{child.id}/move", data=move_form(child)).status_code == 302
    assert client.get(f"/children/{child.id}/move/check").status_code == 200
    notices = count(db_session, Notification, child_id=child.id)

    # Someone else edits the record while the social worker reads the check page.
    other = db_session.get(Child, child.id)
    assert other is not None
    other.risks = "Updated by a colleague"
    db_session.commit()

    response = client.post(f"/children/{child.id}/move/check")

    assert response.status_code == 409
    assert "Someone else changed this child’s record since you started" in text(response)
    assert count(db_session, Placement, child_id=child.id) == 1
    assert count(db_session, Notification, child_id=child.id) == notices
    # Starting again keeps the answers and reads the record afresh.
    again = expect_status(client.get(f"/children/{child.id}/move?change=1"), 200).get_data(
        as_text=True
    )
    assert 'value="Pat and Lee Carer"' in again
    db_session.refresh(other)
    assert f'name="version" type="hidden" value="{other.version}"' in again


def test_a_stale_version_shows_the_conflict_on_the_check_page(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    assert (
        client.post(
            f"/children/{child.id}/move",
            data=move_form(child, version=str(child.version - 1) if child.version > 1 else "0"),
        ).status_code
        == 302
    )
    response = client.get(f"/children/{child.id}/move/check")
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.get_data(as_text=True)


def test_a_first_placement_needs_no_reason_for_a_change(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session)
    sign_in(client, db_session)
    form = move_form(child, postcode=IN_AREA, reason_for_change=None)

    assert "reason_for_change" not in expect_status(
        client.get(f"/children/{child.id}/move"), 200
    ).get_data(as_text=True)
    assert client.post(f"/children/{child.id}/move", data=form).status_code == 302
    check = text(expect_status(client.get(f"/children/{child.id}/move/check"), 200))
    assert "Check the placement before you confirm it" in check
    assert "In our area (IN)" in check
    assert "No approval is needed" in check
    done = client.post(f"/children/{child.id}/move/check")
    assert done.status_code == 302
    assert "Placement recorded" in text(expect_status(client.get(done.headers["Location"]), 200))
    assert count(db_session, Placement, child_id=child.id) == 1


# --- End a placement --------------------------------------------------------------------------


def test_ending_a_placement_shows_who_will_be_told_then_ends_it(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=ADJOINING)
    placement = child.current_placement
    assert placement is not None
    sign_in(client, db_session)
    url = f"/children/{child.id}/placements/{placement.id}/end"

    response = client.post(
        url,
        data={
            "version": str(child.version),
            "end_date": date_parts(TODAY),
            "end_reason": "E4A",
            "destination": "Home to mother",
        },
    )
    assert response.status_code == 302
    check = client.get(response.headers["Location"])
    assert check.status_code == 200
    page = text(check)
    assert "Who will be told" in page
    assert "Area authority (where placed)" in page
    assert "E4A: Returned home" in page
    assert count(db_session, Placement, id=placement.id, end_date=None) == 1

    # ended today: no notice could be given before it (reg 14(4)), so the page asks why
    assert "say why notice could not be given before it ended" in page
    refused = client.post(response.headers["Location"])
    assert refused.status_code == 200
    assert "There is a problem" in text(refused)
    assert count(db_session, Placement, id=placement.id, end_date=None) == 1

    reason = "Mother collected her from school without warning"
    done = client.post(response.headers["Location"], data={"reason": reason})
    assert done.status_code == 302
    assert "Placement ended" in text(expect_status(client.get(done.headers["Location"]), 200))
    db_session.expire_all()
    ended = db_session.get(Placement, placement.id)
    assert ended is not None
    assert (ended.end_date, ended.end_reason, ended.destination) == (TODAY, "E4A", "Home to mother")
    assert ended.end_not_practicable_reason == reason
    assert count(db_session, Notification, placement_id=placement.id, event="placement_end") > 0


def test_an_end_before_the_placement_started_is_shown_against_the_end_date(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    placement = child.current_placement
    assert placement is not None
    sign_in(client, db_session)
    page = expect_status(
        client.post(
            f"/children/{child.id}/placements/{placement.id}/end",
            data={
                "version": str(child.version),
                "end_date": date_parts(TODAY - timedelta(days=365)),
                "end_reason": "E4A",
                "destination": "Home",
            },
        ),
        200,
    ).get_data(as_text=True)
    assert '<a href="#end_date-day">End date must be on or after the start' in page


# --- Approvals --------------------------------------------------------------------------------


def test_a_manager_records_the_directors_decision_for_a_placement_at_a_distance(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=DISTANT)
    placement = child.current_placement
    assert placement is not None
    sign_in(client, db_session, "manager")
    child_page = expect_status(client.get(f"/children/{child.id}"), 200).get_data(as_text=True)
    url = f"/children/{child.id}/placements/{placement.id}/approval/director"
    assert f'href="{url}"' in child_page

    refused = client.post(url, data={"decision": "approved"})
    assert refused.status_code == 200
    assert "A placement at a distance can only be approved once the area authority" in text(refused)
    assert "must have been sent its notice of this placement" in text(refused)
    assert count(db_session, Approval, placement_id=placement.id) == 0
    send_area_authority_notice(db_session, placement)

    done = client.post(
        url,
        data={
            "decision": "approved",
            "area_authority_consulted": "y",
            "care_plan_sent": "y",
            "note": "Specialist provision",
        },
    )
    assert done.status_code == 302
    page = text(expect_status(client.get(done.headers["Location"]), 200))
    assert "Decision recorded: placement approved" in page
    assert "Approved" in page
    assert count(db_session, Approval, placement_id=placement.id, level="director") == 1


def test_a_nominated_officers_approval_waits_for_the_area_authoritys_notice_to_have_gone(
    client: FlaskClient, db_session: Session
) -> None:
    """Reg 11(2), DOMAIN §2: the approval cannot be recorded before the area authority's
    notice has been sent."""
    child = create_child(db_session, placed_at=ADJOINING)
    placement = child.current_placement
    assert placement is not None
    sign_in(client, db_session, "manager")
    url = f"/children/{child.id}/placements/{placement.id}/approval/nominated_officer"

    early = expect_status(client.post(url, data={"decision": "approved"}), 200)

    assert "must have been sent its notice of this placement" in text(early)
    assert count(db_session, Approval, placement_id=placement.id) == 0
    send_area_authority_notice(db_session, placement)
    expect_status(client.post(url, data={"decision": "approved"}), 302)
    assert count(db_session, Approval, placement_id=placement.id, decision="approved") == 1


def test_a_refusal_can_be_recorded_before_any_notice_has_gone(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=ADJOINING)
    placement = child.current_placement
    assert placement is not None
    sign_in(client, db_session, "manager")
    url = f"/children/{child.id}/placements/{placement.id}/approval/nominated_officer"

    expect_status(client.post(url, data={"decision": "refused", "note": "Too far"}), 302)

    assert count(db_session, Approval, placement_id=placement.id, decision="refused") == 1


def test_no_approval_page_for_a_placement_that_needs_none(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    placement = child.current_placement
    assert placement is not None
    sign_in(client, db_session, "manager")
    url = f"/children/{child.id}/placements/{placement.id}/approval/nominated_officer"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("target", "lands_on"),
    [
        ("/children?q=WCF", "/children?q=WCF"),
        ("//evil.example/x", "/"),
        ("/\\evil.example/x", "/"),  # browsers read a backslash as a slash
        ("https://evil.example/x", "/"),
    ],
)
def test_signing_in_returns_only_to_a_page_on_this_site(
    client: FlaskClient, db_session: Session, target: str, lands_on: str
) -> None:
    user = sign_in(client, db_session)
    assert client.post("/sign-out").status_code == 302

    response = client.post(
        "/sign-in", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == lands_on
