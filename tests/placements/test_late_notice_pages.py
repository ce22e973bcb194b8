"""The check pages say which notices will be late and ask why (DOMAIN.md §3); the reason is
required, kept with the late notices and shown with them on the child's page."""

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Notification
from tests.placements.test_views import count, date_parts, move_form, text
from tests.support.builders import IN_AREA, TODAY, create_child
from tests.support.requests import expect_status, sign_in

REASON = "The carer was found late last night and the move confirmed this morning"


def test_a_move_dated_today_is_shown_late_asks_why_and_keeps_the_answer(
    client: FlaskClient, db_session: Session
) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    form = move_form(child, start_date=date_parts(TODAY))
    expect_status(client.post(f"/children/{child.id}/move", data=form), 302)

    check = expect_status(client.get(f"/children/{child.id}/move/check"), 200)
    page = text(check)
    due = TODAY - timedelta(days=1)  # a planned start: due the day before
    assert f"will be late (due by {due.day} {due:%B %Y})" in page
    table = check.get_data(as_text=True).split('data-testid="who-will-be-told"')[1]
    assert "Late" in table.split("</table>")[0]
    assert 'name="reason"' in check.get_data(as_text=True)

    refused = expect_status(client.post(f"/children/{child.id}/move/check"), 200)
    assert "There is a problem" in text(refused)
    assert "say why notice could not be given in time" in text(refused)
    assert len(child.placements) == 1
    assert count(db_session, Notification, child_id=child.id, late_reason=REASON) == 0

    done = client.post(f"/children/{child.id}/move/check", data={"reason": REASON})
    assert done.status_code == 302
    db_session.expire_all()
    late = db_session.scalars(
        select(Notification).where(
            Notification.child_id == child.id, Notification.late_reason == REASON
        )
    ).all()
    assert late and all(n.send_by == due for n in late)

    child_page = text(expect_status(client.get(f"/children/{child.id}"), 200))
    assert f"Late because: {REASON}" in child_page


def test_a_move_planned_in_good_time_asks_nothing(client: FlaskClient, db_session: Session) -> None:
    child = create_child(db_session, placed_at=IN_AREA)
    sign_in(client, db_session)
    expect_status(client.post(f"/children/{child.id}/move", data=move_form(child)), 302)

    check = expect_status(client.get(f"/children/{child.id}/move/check"), 200)
    assert "will be late" not in text(check)
    assert 'name="reason"' not in check.get_data(as_text=True)
    assert expect_status(client.post(f"/children/{child.id}/move/check"), 302)
