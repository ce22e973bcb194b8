"""When the notices of a placement are due, through the API (DOMAIN.md §1, API.md).

The dates were worked out by hand on the England and Wales calendar (seeds/bank_holidays.csv):

- an emergency placement starting Friday 27 November 2026 in Edinburgh is due 5 working days
  later, Friday 4 December 2026: St Andrew's Day (Monday 30 November) is a Scottish holiday
  and moves no deadline of ours;
- a planned end is notice of the intention, due the day before the end;
- an end on Friday 27 November 2026 recorded on or after that day is due 10 working days
  later, Friday 11 December 2026, and must say why notice could not be given before it.

A notice due before the day it is recorded is late: the request must say why, and the notice
carries the reason. These scenarios are recorded on whatever day the suite runs, so a fixed
date in the past may already be late: the late reason is sent and expected where it is.
"""

from datetime import date, timedelta

import pytest

from notify.calendar import today_uk
from tests.api.test_children_api import fields_of, new_child
from tests.support.builders import bearer, create_api_client, placement_body
from tests.support.requests import expect_status

HOME_ICB = "E54000019"  # Herefordshire and Worcestershire, for a home in Worcester
EDINBURGH, LOTHIAN = "S12000036", "S08000024"
NOTTINGHAMSHIRE, NOTTS_ICB = "E10000024", "E54000060"
LATE = "The placement was confirmed by the provider only after it began"


@pytest.fixture
def api(client, db_session):
    """Call the API with a placements:write key of our own authority."""
    key = create_api_client(db_session)

    class Caller:
        def get(self, path, **kwargs):
            return client.get(path, headers=bearer(key), **kwargs)

        def post(self, path, body):
            return client.post(path, json=body, headers=bearer(key))

    return Caller()


def with_people(api, child):
    """The child's parent and IRO, as the case system records them."""
    for role, name in (("parent", "Alex Parent"), ("iro", "Robin Reviewer")):
        expect_status(
            api.post(
                f"/api/v1/children/{child['id']}/contacts",
                {"role": role, "name": name, "email": f"{role}@people.example"},
            ),
            201,
        )
    return child


def carer(name="Sam Carer"):
    return {"name": name, "email": "carer@fostering.example", "phone": None, "address": None}


def roles(notifications):
    return {(n["recipient"]["role"], n["recipient"]["code"]) for n in notifications}


def late_reason_expected(due: date, reason: str) -> str | None:
    return reason if due < today_uk() else None


def test_edinburgh_emergency_start_on_27_november_2026_is_due_on_4_december(api):
    child = with_people(api, new_child(api))

    response = api.post(
        f"/api/v1/children/{child['id']}/placements",
        placement_body(
            "EH1 1YZ", start_date="2026-11-27", emergency=True, carer=carer(), late_reason=LATE
        ),
    )

    assert response.status_code == 201, response.get_json()
    notifications = response.get_json()["notifications"]
    assert {n["send_by"] for n in notifications} == {"2026-12-04"}
    assert {n["event"] for n in notifications} == {"placement_start", "sqa_alert"}
    told = roles(notifications)
    assert {("area_authority", EDINBURGH), ("placement_health_body", LOTHIAN)} <= told
    assert ("home_health_body", HOME_ICB) in told
    assert {role for role, _ in told} >= {"parent", "iro", "sqa"}
    statutory = [n for n in notifications if n["event"] != "sqa_alert"]
    expected = late_reason_expected(date(2026, 12, 4), LATE)
    assert {n["late_reason"] for n in statutory} == {expected}


def test_a_planned_end_is_notice_of_intention_to_everyone_told_the_carer_and_the_host(api):
    child = with_people(api, new_child(api))
    placement = expect_status(
        api.post(
            f"/api/v1/children/{child['id']}/placements",
            placement_body("NG18 1AJ", carer=carer()),
        ),
        201,
    ).get_json()
    end_date = date.fromisoformat(placement["start_date"]) + timedelta(days=14)

    response = api.post(
        f"/api/v1/children/{child['id']}/placements/{placement['id']}/end",
        {"end_date": end_date.isoformat(), "end_reason": "E4A", "destination": "Home"},
    )

    assert response.status_code == 200, response.get_json()
    ended = response.get_json()
    notifications = ended["notifications"]
    # notice of the intention: by the day before the end
    assert {n["send_by"] for n in notifications} == {(end_date - timedelta(days=1)).isoformat()}
    assert {n["event"] for n in notifications} == {"placement_end"}
    told = roles(notifications)
    assert {
        ("area_authority", NOTTINGHAMSHIRE),
        ("home_health_body", HOME_ICB),
        ("placement_health_body", NOTTS_ICB),
    } <= told
    assert {role for role, _ in told} == {
        "area_authority",
        "home_health_body",
        "placement_health_body",
        "parent",
        "iro",
        "carer",
    }
    assert ended["not_practicable_reason"] is None
    assert {n["late_reason"] for n in notifications} == {None}


def test_an_end_recorded_after_it_happened_needs_the_reason_and_is_due_in_ten_working_days(api):
    child = with_people(api, new_child(api))
    placement = expect_status(
        api.post(
            f"/api/v1/children/{child['id']}/placements",
            placement_body("EH1 1YZ", start_date="2026-10-01", carer=carer(), late_reason=LATE),
        ),
        201,
    ).get_json()
    path = f"/api/v1/children/{child['id']}/placements/{placement['id']}/end"
    end = {"end_date": "2026-11-27", "end_reason": "E4A", "destination": "Home to mother"}

    refused = api.post(path, end)

    assert refused.status_code == 422, refused.get_json()
    error = refused.get_json()["error"]
    assert (error["status"], error["code"]) == (422, "validation_failed")
    assert list(error["fields"]) == ["not_practicable_reason"]
    (message,) = error["fields"]["not_practicable_reason"]
    assert "27 November 2026" in message
    assert "say why notice could not be given before it ended" in message
    after_refusal = expect_status(api.get(f"/api/v1/children/{child['id']}"), 200).get_json()
    assert [p["end_date"] for p in after_refusal["placements"]] == [None]
    listed = expect_status(api.get(f"/api/v1/children/{child['id']}/notifications"), 200)
    assert "placement_end" not in {n["event"] for n in listed.get_json()}

    too_long = fields_of(api.post(path, {**end, "not_practicable_reason": "x" * 201}))
    assert list(too_long) == ["not_practicable_reason"]

    reason = "She ran away from the placement overnight and was found at her mother's"
    response = api.post(path, {**end, "not_practicable_reason": reason})

    assert response.status_code == 200, response.get_json()
    ended = response.get_json()
    assert ended["not_practicable_reason"] == reason
    notifications = ended["notifications"]
    # Friday 27 November + 10 English working days (St Andrew's Day counted as one)
    assert {n["send_by"] for n in notifications} == {"2026-12-11"}
    told = roles(notifications)
    assert {("area_authority", EDINBURGH), ("placement_health_body", LOTHIAN)} <= told
    assert {role for role, _ in told} >= {"parent", "iro", "carer"}
    expected = late_reason_expected(date(2026, 12, 11), reason)
    assert {n["late_reason"] for n in notifications} == {expected}


def test_a_planned_start_recorded_on_its_start_day_is_late_and_needs_the_reason(api):
    child = new_child(api)
    today = today_uk()
    body = placement_body("NG18 1AJ", start_date=today.isoformat())

    refused = api.post(f"/api/v1/children/{child['id']}/placements", body)

    fields = fields_of(refused)
    assert list(fields) == ["late_reason"]
    (message,) = fields["late_reason"]
    yesterday = today - timedelta(days=1)
    assert f"due by {yesterday.day} {yesterday:%B %Y}" in message
    assert (
        expect_status(api.get(f"/api/v1/children/{child['id']}"), 200).get_json()["placements"]
        == []
    )

    response = api.post(f"/api/v1/children/{child['id']}/placements", {**body, "late_reason": LATE})

    assert response.status_code == 201, response.get_json()
    notifications = response.get_json()["notifications"]
    statutory = [n for n in notifications if n["event"] != "sqa_alert"]
    assert {n["send_by"] for n in statutory} == {yesterday.isoformat()}
    assert {n["late_reason"] for n in statutory} == {LATE}
    (alert,) = [n for n in notifications if n["event"] == "sqa_alert"]
    assert alert["late_reason"] is None  # our own alert is no statutory notice
