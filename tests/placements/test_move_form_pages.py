"""The move form as people meet it: every error at once in page order, postcodes shown as the
service holds them, the split-district question, a second tab's confirm, and what the
confirmation says will be sent."""

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Notification
from tests.placements.test_views import SPLIT, move_form, text
from tests.support.builders import ADJOINING, IN_AREA, TODAY, create_child
from tests.support.requests import expect_status, sign_in


def _summary_anchors(page: str) -> list[str]:
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    return re.findall(r'<a href="#([^"]+)"', summary)


def test_a_bad_date_and_a_bad_postcode_are_both_shown_at_once(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    form = move_form(child, postcode="ZZ9 9ZZ")
    form["start_date"] = ["31", "2", str(TODAY.year + 1)]
    page = expect_status(client.post(f"/children/{child.id}/move", data=form), 200).get_data(
        as_text=True
    )

    assert _summary_anchors(page) == ["start_date-day", "postcode"]
    assert "Start date must be a real date" in page
    postcode_error = page.split('id="postcode-error"')[1].split("</p>")[0]
    assert "Enter a real postcode" in postcode_error  # what geography says of ZZ9 9ZZ


def test_the_error_summary_lists_the_errors_in_the_order_of_the_page(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    page = expect_status(
        client.post(f"/children/{child.id}/move", data={"version": str(child.version)}), 200
    ).get_data(as_text=True)

    anchors = _summary_anchors(page)
    form_html = page.split("</ul>", 1)[1]
    # each field's position on the page, by its id
    positions = [form_html.index(f'id="{a}"') for a in anchors]
    assert positions == sorted(positions), anchors
    assert anchors.index("reason_for_change") < anchors.index("carer_name")


def test_a_postcode_typed_in_any_case_and_spacing_is_shown_as_the_service_holds_it(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    typed = ADJOINING.replace(" ", "").lower()  # "b11bb"
    again = expect_status(
        client.post(
            f"/children/{child.id}/move", data=move_form(child, postcode=typed, carer_name="")
        ),
        200,
    ).get_data(as_text=True)
    assert f'value="{ADJOINING}"' in again and f'value="{typed}"' not in again

    expect_status(
        client.post(f"/children/{child.id}/move", data=move_form(child, postcode=typed)), 302
    )
    check = text(expect_status(client.get(f"/children/{child.id}/move/check"), 200))
    assert ADJOINING in check and typed not in check


def test_a_split_district_asks_which_health_body_without_calling_it_an_error(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    response = client.post(f"/children/{child.id}/move", data=move_form(child, postcode=SPLIT))
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "There is a problem" not in page
    assert "govuk-error-message" not in page
    assert 'name="health_body_code"' in page  # the choice, as radios


def test_confirming_again_in_a_second_tab_explains_that_nothing_was_saved(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    expect_status(client.post(f"/children/{child.id}/move", data=move_form(child)), 302)
    assert client.post(f"/children/{child.id}/move/check").status_code == 302

    second = expect_status(client.post(f"/children/{child.id}/move/check"), 302)
    assert second.headers["Location"] == f"/children/{child.id}"
    page = text(expect_status(client.get(second.headers["Location"]), 200))
    assert "Nothing was saved from that page" in page
    assert "another tab" in page


def test_the_confirmation_counts_as_sent_only_the_notices_with_an_address(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    before = db_session.scalar(select(Notification.id).order_by(Notification.id.desc()).limit(1))
    expect_status(client.post(f"/children/{child.id}/move", data=move_form(child)), 302)
    done = expect_status(client.post(f"/children/{child.id}/move/check"), 302)
    page = text(expect_status(client.get(done.headers["Location"]), 200))

    db_session.expire_all()
    statuses = db_session.scalars(
        select(Notification.status).where(
            Notification.child_id == child.id, Notification.id > (before or 0)
        )
    ).all()
    waiting = statuses.count("needs_address")
    assert waiting, "the test database holds no address for some recipients"
    sent = len(statuses) - waiting
    assert f"{sent} notice{'s' if sent != 1 else ''} will be sent" in page
    assert f"{waiting} notice{'s' if waiting != 1 else ''} wait" in page
