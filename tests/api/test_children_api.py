"""The case-management API (API.md, "Our own case-management integration")."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Authority, HealthBody
from notify.placements.service import ChildDetails, record_child
from tests.support.builders import (
    NOTTINGHAMSHIRE,
    bearer,
    child_body,
    create_api_client,
    placement_body,
)
from tests.support.requests import expect_status

CHILD_KEYS = {
    "id",
    "case_reference",
    "responsible_authority",
    "given_name",
    "family_name",
    "also_known_as",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nhs_number",
    "legal_status",
    "uasc",
    "disability",
    "child_protection_plan",
    "ehc_plan",
    "home_postcode",
    "police_flag",
    "risks",
    "version",
    "created_at",
    "updated_at",
    "placements",
}
PLACEMENT_KEYS = {
    "id",
    "child_id",
    "start_date",
    "end_date",
    "placement_type",
    "provider",
    "carer_name",
    "urn",
    "emergency",
    "address",
    "telephone",
    "reason_for_change",
    "end_reason",
    "destination",
    "not_practicable_reason",
    "withdrawn_at",
    "withdrawn_reason",
    "host_authority",
    "host_health_body",
    "location",
    "distance_miles",
    "at_a_distance",
    "adjoining",
}
NOTIFICATION_KEYS = {
    "id",
    "event",
    "status",
    "send_by",
    "recipient",
    "placement_id",
    "acknowledge_by",
    "sent_at",
    "acknowledged_at",
    "late_reason",
}
RECIPIENT_KEYS = {"kind", "role", "code", "name", "email"}


@pytest.fixture
def key(db_session):
    return create_api_client(db_session)


@pytest.fixture
def api(client, key):
    """Call the API with a placements:write key of our own authority."""

    class Caller:
        def get(self, path, **kwargs):
            return client.get(path, headers=bearer(key), **kwargs)

        def post(self, path, body):
            return client.post(path, json=body, headers=bearer(key))

    return Caller()


def new_child(api, **over):
    response = api.post("/api/v1/children", child_body(**over))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def another_authoritys_child(db_session):
    """A child placed in our area by Nottinghamshire: in our database, but not ours to see."""
    details = ChildDetails(
        case_reference="NOTTS-C-55501",
        given_name="Sam",
        family_name="Other",
        date_of_birth=date.today() - timedelta(days=365 * 9),
        sex="M",
        legal_status="C2",
        home_postcode="NG18 1AJ",
    )
    child = record_child(db_session, details, NOTTINGHAMSHIRE, date.today())
    db_session.commit()
    return child


def fields_of(response, status=422):
    assert response.status_code == status, response.get_json()
    return response.get_json()["error"]["fields"]


# --- children -------------------------------------------------------------------------------


def test_recording_a_child_answers_201_with_the_child_and_where_to_read_it(api):
    body = child_body(
        home_postcode="wr1  2ab",
        ehc_plan={"maintained_by": "E10000034"},
        nhs_number="943 476 5919",
        also_known_as="",
    )

    response = api.post("/api/v1/children", body)

    assert response.status_code == 201
    child = response.get_json()
    assert set(child) == CHILD_KEYS
    assert isinstance(child["id"], str)
    assert response.headers["Location"].endswith(f"/api/v1/children/{child['id']}")
    assert child | {"id": None, "created_at": None, "updated_at": None} == {
        **body,
        "id": None,
        "created_at": None,
        "updated_at": None,
        "responsible_authority": "E10000034",
        "home_postcode": "WR1 2AB",
        "nhs_number": "9434765919",
        "also_known_as": None,
        "ethnicity": None,
        "police_flag": False,
        "risks": None,
        "version": 1,
        "placements": [],
    }
    assert child["created_at"].endswith("+00:00")


@pytest.mark.parametrize("field", ["case_reference", "given_name", "home_postcode"])
@pytest.mark.parametrize("character", ["\n", "\r", "\t", "\u2028"])
def test_a_line_break_in_a_one_line_field_is_refused_naming_the_field(api, field, character):
    body = child_body()
    body[field] = body[field][:2] + character + body[field][2:]

    fields = fields_of(expect_status(api.post("/api/v1/children", body), 422))

    assert fields == {field: ["Write this on one line: remove the line break or tab."]}


def test_the_risks_may_run_over_several_lines(api):
    created = new_child(api, risks="Missing twice in May.\nKnown to the CSE team.")

    assert created["risks"] == "Missing twice in May.\nKnown to the CSE team."


def test_a_child_with_many_problems_is_refused_with_every_problem_at_once(api):
    body = child_body(
        date_of_birth=(date.today() + timedelta(days=1)).isoformat(),
        sex="X",
        legal_status="ZZ",
        nhs_number="9434765918",
        ehc_plan={"maintained_by": ""},
        uasc="perhaps",
        nickname="JJ",
    )
    del body["given_name"]

    fields = fields_of(expect_status(api.post("/api/v1/children", body), 422))

    assert set(fields) == {
        "date_of_birth",
        "sex",
        "legal_status",
        "nhs_number",
        "ehc_plan.maintained_by",
        "uasc",
        "nickname",
        "given_name",
    }
    assert fields["date_of_birth"] == ["Date of birth must be in the past"]


@pytest.mark.parametrize(
    "date_of_birth",
    ["30/04/2012", "20120430", "2012-W17-1", "2012-02-30", "0001-01-01", 20120430, None],
)
def test_a_date_must_be_a_real_date_written_yyyy_mm_dd(api, date_of_birth):
    fields = fields_of(
        expect_status(api.post("/api/v1/children", child_body(date_of_birth=date_of_birth)), 422)
    )

    assert list(fields) == ["date_of_birth"]


def test_problems_only_the_database_can_find_are_reported_on_the_api_fields(api):
    body = child_body(home_postcode="ZZ9 9ZZ", ehc_plan={"maintained_by": "E99999999"})

    fields = fields_of(expect_status(api.post("/api/v1/children", body), 422))

    assert set(fields) == {"home_postcode", "ehc_plan.maintained_by"}


def test_a_case_reference_already_recorded_is_refused(api):
    first = new_child(api)

    fields = fields_of(
        expect_status(
            api.post("/api/v1/children", child_body(case_reference=first["case_reference"])), 422
        )
    )

    assert list(fields) == ["case_reference"]


def test_a_child_is_read_by_id_and_found_by_case_reference(api):
    child = new_child(api)

    by_id = api.get(f"/api/v1/children/{child['id']}")
    found = api.get("/api/v1/children", query_string={"case_reference": child["case_reference"]})
    not_found = api.get("/api/v1/children", query_string={"case_reference": "WCF-NOPE"})

    assert by_id.status_code == 200 and by_id.get_json() == child
    assert found.status_code == 200 and found.get_json() == [child]
    assert not_found.status_code == 200 and not_found.get_json() == []


def test_the_list_of_children_is_paginated(api):
    def total():
        response = api.get("/api/v1/children", query_string={"page_size": 2})
        assert response.status_code == 200
        assert len(response.get_json()) <= 2
        return json.loads(response.headers["X-Pagination"])["total"]

    before = total()
    for _ in range(3):
        new_child(api)

    assert total() == before + 3


@pytest.mark.parametrize("page", [10**6, 10**30])
def test_a_page_beyond_the_last_is_empty(api, page):
    new_child(api)

    response = api.get("/api/v1/children", query_string={"page": page, "page_size": 100})

    assert response.status_code == 200
    assert response.get_json() == []


@pytest.mark.parametrize("child_id", ["abc", "0", "99999999999999999999999", "1e3", "²", "-1"])
def test_an_id_that_is_no_child_is_not_found(api, child_id):
    response = api.get(f"/api/v1/children/{child_id}")

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_another_authoritys_child_is_not_found_whatever_is_asked(api, db_session):
    theirs = another_authoritys_child(db_session)
    placement = api.post(f"/api/v1/children/{theirs.id}/placements", placement_body())
    assert placement.status_code == 404
    unknown = api.get("/api/v1/children/987654321")
    assert unknown.status_code == 404

    answers = [
        expect_status(api.get(f"/api/v1/children/{theirs.id}"), 404),
        expect_status(api.get(f"/api/v1/children/{theirs.id}/notifications"), 404),
        placement,
        expect_status(
            api.post(
                f"/api/v1/children/{theirs.id}/placements/1/end",
                {"end_date": date.today().isoformat(), "end_reason": "E4A"},
            ),
            404,
        ),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert all(a.get_json() == unknown.get_json() for a in answers)
    assert (
        expect_status(
            api.get("/api/v1/children", query_string={"case_reference": theirs.case_reference}), 200
        ).get_json()
        == []
    )


# --- placements ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "authority", "health_body"),
    [
        ("NG18 1AJ", "E10000024", "E54000060"),  # Mansfield: Nottinghamshire, a county; its ICB
        # Westminster, a London borough; West and North London ICB since 1 April 2026
        ("SW1A 2BL", "E09000033", "E54000071"),
        ("CF10 1EP", "W06000015", "W11000029"),  # Cardiff; Cardiff and Vale University LHB
        ("EH1 1YZ", "S12000036", "S08000024"),  # City of Edinburgh; NHS Lothian
    ],
)
def test_a_placement_anywhere_in_great_britain_names_its_host_authority_and_health_body(
    api, db_session, postcode, authority, health_body
):
    child = new_child(api)

    response = api.post(f"/api/v1/children/{child['id']}/placements", placement_body(postcode))

    assert response.status_code == 201, response.get_json()
    placement = response.get_json()
    assert placement["host_authority"] == {
        "code": authority,
        "name": db_session.get(Authority, authority).name,
    }
    assert placement["host_health_body"] == {
        "code": health_body,
        "name": db_session.get(HealthBody, health_body).name,
        "ods_code": db_session.get(HealthBody, health_body).ods_code,
    }
    assert placement["location"] == "OUT"
    assert placement["at_a_distance"] is True
    assert placement["distance_miles"] > 20
    told = {(n["recipient"]["kind"], n["recipient"]["code"]) for n in placement["notifications"]}
    assert ("authority", authority) in told
    assert ("health_body", health_body) in told


# The seven ICBs new or changed on 1 April 2026 (HCWS915; NHS England, "Implementing
# integrated care board mergers and boundary changes to take effect in April 2026 and 2027";
# codes as in SOURCES.md §3a), each reached from a postcode in an area that moved to it, and
# one ICB that did not change.
ICBS_2026 = [
    # postcode, the 2024 body it left, the 2026 body: ONS code, ODS code, name
    ("LU1 1AA", "E54000024", "E54000065", "S1Y5D", "NHS Central East Integrated Care Board"),
    ("CO1 1AA", "E54000023", "E54000066", "D7T5G", "NHS Essex Integrated Care Board"),
    (  # Farnborough (Rushmoor): from Frimley; Hampshire and Isle of Wight kept ODS QRL
        "GU14 6AA",
        "E54000034",
        "E54000067",
        "QRL",
        "NHS Hampshire and Isle of Wight Integrated Care Board",
    ),
    ("IP1 1AA", "E54000023", "E54000068", "T6Y0W", "NHS Norfolk and Suffolk Integrated Care Board"),
    ("GU1 1AA", "E54000063", "E54000069", "S9B9J", "NHS Surrey and Sussex Integrated Care Board"),
    ("SL1 1AA", "E54000034", "E54000070", "S0E4D", "NHS Thames Valley Integrated Care Board"),
    (
        "N1 1AA",  # Islington
        "E54000028",
        "E54000071",
        "Z9B2Z",
        "NHS West and North London Integrated Care Board",
    ),
    (  # Hereford: Herefordshire and Worcestershire did not change
        "HR1 1AA",
        "E54000019",
        "E54000019",
        "QGH",
        "NHS Herefordshire and Worcestershire Integrated Care Board",
    ),
]


@pytest.mark.parametrize(("postcode", "left", "code", "ods", "name"), ICBS_2026)
def test_a_move_names_the_health_body_that_exists_today_as_host(
    api, postcode, left, code, ods, name
):
    child = new_child(api)

    response = api.post(f"/api/v1/children/{child['id']}/placements", placement_body(postcode))

    assert response.status_code == 201, response.get_json()
    placement = response.get_json()
    assert placement["host_health_body"] == {"code": code, "name": name, "ods_code": ods}
    told = {n["recipient"]["code"] for n in placement["notifications"]}
    assert code in told
    if left != code:
        assert left not in told  # abolished on 31 March 2026: nobody there to tell


def test_a_placement_in_a_district_split_between_health_bodies_needs_one_chosen(api):
    child = new_child(api)
    path = f"/api/v1/children/{child['id']}/placements"
    leyburn = "DL8 1AA"  # North Yorkshire: three ICBs share the district

    unchosen = fields_of(expect_status(api.post(path, placement_body(leyburn)), 422))
    not_there = fields_of(
        expect_status(api.post(path, placement_body(leyburn, health_body_code="E54000019")), 422)
    )
    chosen = api.post(path, placement_body(leyburn, health_body_code="E54000054"))

    assert list(unchosen) == ["health_body_code"]
    assert all(
        code in unchosen["health_body_code"][0] for code in ("E54000051", "E54000054", "E54000048")
    )
    assert list(not_there) == ["health_body_code"]
    assert chosen.status_code == 201, chosen.get_json()
    assert chosen.get_json()["host_health_body"]["code"] == "E54000054"


def test_a_placement_answers_201_with_its_derived_fields_and_the_notices_it_caused(api, key):
    child = new_child(api)
    body = placement_body("WR1 2AB", telephone="01905 000000")

    response = api.post(f"/api/v1/children/{child['id']}/placements", body)

    assert response.status_code == 201
    placement = response.get_json()
    assert set(placement) == PLACEMENT_KEYS | {"notifications"}
    assert placement["child_id"] == child["id"]
    assert placement["address"] == body["address"]
    assert placement["host_authority"]["code"] == "E10000034"
    assert placement["location"] == "IN"
    assert placement["at_a_distance"] is False
    assert placement["notifications"], "an in-area placement still tells the health body"
    for notification in placement["notifications"]:
        assert set(notification) == NOTIFICATION_KEYS
        assert set(notification["recipient"]) == RECIPIENT_KEYS
        assert notification["placement_id"] == placement["id"]
        assert notification["event"] == "placement_start"
        date.fromisoformat(notification["send_by"])
    kinds = {n["recipient"]["kind"] for n in placement["notifications"]}
    assert "authority" not in kinds  # in our own area: no area authority to tell


def test_a_move_ends_the_current_placement_the_day_before_and_tells_both_areas(api):
    child = new_child(api)
    first = api.post(f"/api/v1/children/{child['id']}/placements", placement_body("WR1 2AB"))
    assert first.status_code == 201
    start = date.today() + timedelta(days=30)

    move = api.post(
        f"/api/v1/children/{child['id']}/placements",
        placement_body("NG18 1AJ", start_date=start.isoformat(), reason_for_change="CARPL"),
    )

    assert move.status_code == 201, move.get_json()
    placements = expect_status(api.get(f"/api/v1/children/{child['id']}"), 200).get_json()[
        "placements"
    ]
    assert [(p["id"], p["end_date"]) for p in placements] == [
        (first.get_json()["id"], (start - timedelta(days=1)).isoformat()),
        (move.get_json()["id"], None),
    ]
    told = {
        (n["recipient"]["kind"], n["recipient"]["code"]) for n in move.get_json()["notifications"]
    }
    assert ("authority", "E10000024") in told


def test_a_placement_with_many_problems_is_refused_with_every_problem_at_once(api):
    child = new_child(api)
    body = placement_body(
        start_date="2026-13-01",
        placement_type="ZZ",
        provider="PR9",
        reason_for_change="BORED",
        end_reason="E4A",
        version="1",
    )
    del body["address"]["line_1"]

    fields = fields_of(
        expect_status(api.post(f"/api/v1/children/{child['id']}/placements", body), 422)
    )

    assert set(fields) == {
        "start_date",
        "placement_type",
        "provider",
        "reason_for_change",
        "end_reason",
        "version",
        "address.line_1",
    }


def test_an_unknown_placement_postcode_is_reported_on_the_address(api):
    child = new_child(api)

    fields = fields_of(
        expect_status(
            api.post(f"/api/v1/children/{child['id']}/placements", placement_body("ZZ9 9ZZ")), 422
        )
    )

    assert list(fields) == ["address.postcode"]


def test_a_start_date_the_working_day_calendar_does_not_cover_is_refused_not_a_crash(api):
    child = new_child(api)
    body = placement_body(start_date="2001-05-01", emergency=True)

    fields = fields_of(
        expect_status(api.post(f"/api/v1/children/{child['id']}/placements", body), 422)
    )

    assert list(fields) == ["start_date"]


def test_a_change_made_from_a_stale_version_is_a_conflict(api):
    child = new_child(api)
    first = api.post(
        f"/api/v1/children/{child['id']}/placements", placement_body(version=child["version"])
    )
    assert first.status_code == 201

    stale = api.post(
        f"/api/v1/children/{child['id']}/placements",
        placement_body(
            start_date=(date.today() + timedelta(days=20)).isoformat(), version=child["version"]
        ),
    )

    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "stale_version"
    assert (
        len(expect_status(api.get(f"/api/v1/children/{child['id']}"), 200).get_json()["placements"])
        == 1
    )


def test_a_change_made_from_the_current_version_is_accepted(api):
    child = new_child(api)
    assert (
        api.post(f"/api/v1/children/{child['id']}/placements", placement_body()).status_code == 201
    )
    current = expect_status(api.get(f"/api/v1/children/{child['id']}"), 200).get_json()["version"]

    move = api.post(
        f"/api/v1/children/{child['id']}/placements",
        placement_body(start_date=(date.today() + timedelta(days=20)).isoformat(), version=current),
    )

    assert current > child["version"]
    assert move.status_code == 201


# --- ends and notifications -----------------------------------------------------------------


def test_ending_a_placement_answers_200_with_the_end_notices(api):
    child = new_child(api)
    placement = expect_status(
        api.post(f"/api/v1/children/{child['id']}/placements", placement_body("NG18 1AJ")), 201
    ).get_json()
    end_date = date.fromisoformat(placement["start_date"]) + timedelta(days=3)

    response = api.post(
        f"/api/v1/children/{child['id']}/placements/{placement['id']}/end",
        {"end_date": end_date.isoformat(), "end_reason": "E4A", "destination": "Home to parents"},
    )

    assert response.status_code == 200, response.get_json()
    ended = response.get_json()
    assert set(ended) == PLACEMENT_KEYS | {"notifications"}
    assert (ended["end_date"], ended["end_reason"], ended["destination"]) == (
        end_date.isoformat(),
        "E4A",
        "Home to parents",
    )
    assert ended["notifications"]
    assert {n["event"] for n in ended["notifications"]} == {"placement_end"}
    assert ("authority", "E10000024") in {
        (n["recipient"]["kind"], n["recipient"]["code"]) for n in ended["notifications"]
    }


def test_ending_a_placement_twice_or_with_a_bad_reason_is_refused(api):
    child = new_child(api)
    placement = expect_status(
        api.post(f"/api/v1/children/{child['id']}/placements", placement_body()), 201
    ).get_json()
    path = f"/api/v1/children/{child['id']}/placements/{placement['id']}/end"
    end = {"end_date": placement["start_date"], "end_reason": "E4A"}

    bad_reason = fields_of(expect_status(api.post(path, {**end, "end_reason": "E99"}), 422))
    assert api.post(path, end).status_code == 200
    again = fields_of(expect_status(api.post(path, end), 422))

    assert list(bad_reason) == ["end_reason"]
    assert list(again) == ["end_date"]


def test_a_placement_of_another_child_cannot_be_ended_through_this_one(api):
    mine, other = new_child(api), new_child(api)
    theirs = expect_status(
        api.post(f"/api/v1/children/{other['id']}/placements", placement_body()), 201
    ).get_json()

    response = api.post(
        f"/api/v1/children/{mine['id']}/placements/{theirs['id']}/end",
        {"end_date": theirs["start_date"], "end_reason": "E4A"},
    )

    assert response.status_code == 404


def test_a_childs_notifications_are_listed_oldest_first(api):
    child = new_child(api)
    created = expect_status(
        api.post(f"/api/v1/children/{child['id']}/placements", placement_body("CF10 1EP")), 201
    ).get_json()["notifications"]

    response = api.get(f"/api/v1/children/{child['id']}/notifications")

    assert response.status_code == 200
    assert response.get_json() == created
    assert [int(n["id"]) for n in created] == sorted(int(n["id"]) for n in created)


def test_every_call_is_audited_under_the_key_that_made_it(api, key, db_session):
    child = new_child(api)
    assert api.get(f"/api/v1/children/{child['id']}").status_code == 200
    placement = expect_status(
        api.post(f"/api/v1/children/{child['id']}/placements", placement_body()), 201
    ).get_json()
    assert (
        api.post(
            f"/api/v1/children/{child['id']}/placements/{placement['id']}/end",
            {"end_date": placement["start_date"], "end_reason": "E4A"},
        ).status_code
        == 200
    )
    assert api.get(f"/api/v1/children/{child['id']}/notifications").status_code == 200

    events = db_session.scalars(
        select(AuditEvent)
        .where(AuditEvent.api_key_prefix == key.partition(".")[0])
        .order_by(AuditEvent.id)
    ).all()

    assert [(e.action, e.subject_id) for e in events] == [
        ("api_child_create", child["id"]),
        ("api_child_view", child["id"]),
        ("api_placement_record", child["id"]),
        ("api_placement_end", child["id"]),
        ("api_notifications_view", child["id"]),
    ]
