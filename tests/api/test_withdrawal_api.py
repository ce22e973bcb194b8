"""Withdrawing a planned placement through the API (API.md: `POST
/api/v1/children/{id}/placements/{placement_id}/withdraw`; DOMAIN.md §1: notices not yet
sent are cancelled, everyone already sent one gets a withdrawal notice, as soon as recorded:
1 working day)."""

from datetime import timedelta

import pytest

from models import Notification
from models.base import utcnow
from notify.calendar import today_uk
from tests.api.test_children_api import PLACEMENT_KEYS, fields_of, new_child
from tests.api.test_notice_timing_api import with_people
from tests.placements.test_withdrawal import next_working_day
from tests.support.builders import (
    bearer,
    create_api_client,
    give_every_body_an_address,
    mark_sent,
    placement_body,
)
from tests.support.requests import expect_status

HEREFORDSHIRE = "E06000019"
REASON = "The foster carers withdrew their offer"


@pytest.fixture
def api(client, db_session):
    """Call the API with a placements:write key of our own authority."""
    key = create_api_client(db_session)
    give_every_body_an_address(db_session)
    db_session.commit()

    class Caller:
        def get(self, path, **kwargs):
            return client.get(path, headers=bearer(key), **kwargs)

        def post(self, path, body):
            return client.post(path, json=body, headers=bearer(key))

    return Caller()


def planned(api, **over):
    """A child (with a parent and an IRO) placed in Herefordshire from next week."""
    child = with_people(api, new_child(api))
    placement = expect_status(
        api.post(f"/api/v1/children/{child['id']}/placements", placement_body("HR1 1AA", **over)),
        201,
    ).get_json()
    return child, placement


def withdraw_path(child, placement):
    return f"/api/v1/children/{child['id']}/placements/{placement['id']}/withdraw"


def test_a_withdrawal_after_one_notice_went(api, db_session):
    child, placement = planned(api)
    notices = placement["notifications"]
    area = next(n for n in notices if n["recipient"]["role"] == "area_authority")
    pending = [n for n in notices if n["status"] == "pending" and n["id"] != area["id"]]
    assert pending, "the other recipients' notices wait to be sent"
    mark_sent(db_session, db_session.get(Notification, int(area["id"])), utcnow())
    db_session.commit()

    response = expect_status(api.post(withdraw_path(child, placement), {"reason": REASON}), 200)

    withdrawn = response.get_json()
    assert set(withdrawn) == PLACEMENT_KEYS | {"notifications"}
    assert withdrawn["id"] == placement["id"]
    assert withdrawn["withdrawn_reason"] == REASON
    assert withdrawn["withdrawn_at"] is not None
    assert [
        (n["event"], n["status"], n["recipient"]["role"], n["recipient"]["code"], n["send_by"])
        for n in withdrawn["notifications"]
    ] == [
        (
            "placement_withdrawn",
            "pending",
            "area_authority",
            HEREFORDSHIRE,
            next_working_day(db_session, today_uk()).isoformat(),
        )
    ]
    after = {
        n["id"]: n["status"]
        for n in expect_status(
            api.get(f"/api/v1/children/{child['id']}/notifications"), 200
        ).get_json()
    }
    assert after[area["id"]] == "sent"
    assert {after[n["id"]] for n in pending} == {"cancelled"}
    # nothing is current: the child has no placement that will happen
    read = expect_status(api.get(f"/api/v1/children/{child['id']}"), 200).get_json()
    assert [p["withdrawn_reason"] for p in read["placements"]] == [REASON]


def test_a_placement_that_has_started_cannot_be_withdrawn(api):
    child, placement = planned(
        api,
        start_date=today_uk().isoformat(),
        late_reason="Recorded on the day, the move was agreed that morning",
    )

    response = expect_status(api.post(withdraw_path(child, placement), {"reason": REASON}), 409)

    error = response.get_json()["error"]
    assert error["status"] == 409
    assert "only be withdrawn before it starts" in error["message"]


def test_a_withdrawal_without_a_reason_is_refused(api):
    child, placement = planned(api)
    path = withdraw_path(child, placement)

    missing = fields_of(api.post(path, {}))
    blank = fields_of(api.post(path, {"reason": "   "}))
    too_long = fields_of(api.post(path, {"reason": "x" * 201}))

    assert missing == {"reason": ["Say why the placement will not happen"]}
    assert blank == {"reason": ["Say why the placement will not happen"]}
    assert list(too_long) == ["reason"]
    # nothing was withdrawn: a reason given now still can
    expect_status(api.post(path, {"reason": REASON}), 200)


def test_a_withdrawal_on_a_stale_version_conflicts(api):
    child, placement = planned(api)  # the child as read before the placement was recorded

    response = api.post(
        withdraw_path(child, placement), {"reason": REASON, "version": child["version"]}
    )

    assert response.status_code == 409, response.get_json()


def test_a_withdrawn_placement_cannot_be_withdrawn_again(api):
    child, placement = planned(api)
    path = withdraw_path(child, placement)
    expect_status(api.post(path, {"reason": REASON}), 200)

    again = expect_status(api.post(path, {"reason": REASON}), 409)

    assert "already been withdrawn" in again.get_json()["error"]["message"]


def test_a_placement_of_another_child_cannot_be_withdrawn_through_this_one(api):
    mine = new_child(api)
    _, theirs = planned(api, start_date=(today_uk() + timedelta(days=9)).isoformat())

    response = api.post(
        f"/api/v1/children/{mine['id']}/placements/{theirs['id']}/withdraw", {"reason": REASON}
    )

    assert response.status_code == 404
