"""POST /api/v1/inbound-notices (API.md, "Inbound notices"): stored as sent, safe to retry,
refused with every problem at once."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ApiClient, AuditEvent, InboundNotice
from models.base import utcnow
from tests.support.builders import (
    BIRMINGHAM,
    HEREFORD,
    HEREFORDSHIRE,
    bearer,
    create_api_client,
    notice_body,
)
from tests.support.requests import INBOUND_NOTICES, expect_status, post_notice

TODAY = date.today()
KEYS = {
    "id",
    "reference",
    "notice_type",
    "status",
    "received_at",
    "placing_authority",
    "child",
    "placement",
    "previous_address",
    "contacts",
    "school",
    "gp",
    "risks",
    "decision",
}


def _stored(session: Session, notice_id: str) -> InboundNotice:
    notice = session.get(InboundNotice, int(notice_id))
    assert notice is not None
    return notice


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(InboundNotice)) or 0


def test_a_valid_notice_is_stored_and_answered_201_with_its_location(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    body = notice_body()

    response = post_notice(client, key, body)

    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert set(answer) == KEYS
    assert response.headers["Location"] == f"{INBOUND_NOTICES}/{answer['id']}"
    assert (answer["reference"], answer["status"]) == (body["reference"], "received")
    assert answer["placing_authority"] == BIRMINGHAM
    assert answer["decision"] is None
    assert answer["child"] == body["child"]
    assert answer["placement"] == {
        **body["placement"],
        "telephone": None,
        "reason_for_change": None,
        "destination": None,
    }
    notice = _stored(db_session, answer["id"])
    client_row = db_session.scalar(
        select(ApiClient).where(ApiClient.key_prefix == key.split(".")[0])
    )
    assert client_row is not None and notice.api_client_id == client_row.id
    assert notice.notice_type == "placement_start" and notice.received_at is not None


def test_the_raw_body_is_stored_byte_for_byte_and_the_payload_normalised(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    body = notice_body(
        child={"given_name": "Zoë", "nhs_number": "943 476 5919"},
        placement={"address": {"postcode": " wr1  2ab "}},
        risks="Missing \u2013 twice 🚩",
    )
    # Odd spacing, escaped and unescaped non-ASCII, a trailing newline: kept exactly.
    raw = json.dumps(body, indent=3, ensure_ascii=False).replace('"Zoë"', '"Zo\\u00eb"') + "\n"

    response = post_notice(client, key, raw.encode("utf-8"))

    assert response.status_code == 201, response.get_json()
    notice = _stored(db_session, response.get_json()["id"])
    assert notice.raw_body == raw
    assert notice.payload["child"]["given_name"] == "Zoë"
    assert notice.payload["child"]["nhs_number"] == "9434765919"
    assert notice.payload["placement"]["address"]["postcode"] == "WR1 2AB"
    assert notice.payload["risks"] == "Missing \u2013 twice 🚩"


def test_the_same_body_in_a_different_key_order_and_spacing_answers_200_with_the_same_notice(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    body = notice_body()
    first = post_notice(client, key, body)
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)

    again = post_notice(client, key, reordered)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(db_session) == 1
    # the notice keeps the body it was first sent with
    assert _stored(db_session, first.get_json()["id"]).raw_body == json.dumps(body)


def test_a_different_body_under_the_same_reference_answers_409_and_changes_nothing(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    body = notice_body()
    first = post_notice(client, key, body)
    assert first.status_code == 201

    changed = post_notice(client, key, {**body, "risks": "Something else"})

    assert changed.status_code == 409
    error = changed.get_json()["error"]
    assert (error["status"], error["code"]) == (409, "reference_conflict")
    assert body["reference"] in error["message"]
    assert _stored(db_session, first.get_json()["id"]).payload["risks"] == body["risks"]
    assert _count(db_session) == 1


def test_a_reference_is_unique_per_authority_not_across_authorities(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    theirs = create_api_client(db_session, authority=HEREFORDSHIRE, scopes=("inbound:write",))
    body = notice_body()

    ours = post_notice(client, key, body)
    other = post_notice(client, theirs, {**body, "placing_authority": HEREFORDSHIRE})

    assert (ours.status_code, other.status_code) == (201, 201)
    assert ours.get_json()["id"] != other.get_json()["id"]


def test_a_notice_claiming_another_authority_is_refused_403(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    response = post_notice(client, key, notice_body(placing_authority=HEREFORDSHIRE))

    assert response.status_code == 403
    assert BIRMINGHAM in response.get_json()["error"]["message"]
    assert _count(db_session) == 0
    refused = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "api_inbound_refused")
    )
    assert refused is not None and key.startswith(refused.api_key_prefix or "-")
    assert refused.detail == {"reason": "wrong_authority", "claimed": HEREFORDSHIRE}


def test_a_placement_outside_our_area_is_refused_naming_the_authority_it_is_in(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    response = post_notice(client, key, notice_body(placement={"address": {"postcode": HEREFORD}}))

    assert response.status_code == 422
    [message] = response.get_json()["error"]["fields"]["placement.address.postcode"]
    assert "Herefordshire" in message and HEREFORDSHIRE in message
    assert _count(db_session) == 0


def _years_ago(years: int, days: int = 0) -> str:
    return (TODAY.replace(year=TODAY.year - years) - timedelta(days=days)).isoformat()


def _days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


LONG = "x" * 101
# (what is wrong, override, field path, a phrase its message must hold)
INVALID = [
    ("unknown top-level field", {"colour": "red"}, "colour", "Unknown field"),
    ("unknown nested field", {"child": {"shoe_size": 4}}, "child.shoe_size", "Unknown field"),
    ("reference with a space", {"reference": "NOTTS 1"}, "reference", "letters, digits"),
    ("reference with a quote", {"reference": "A'1"}, "reference", "letters, digits"),
    ("reference too long", {"reference": "R" * 101}, "reference", "at most 100"),
    ("notice type unknown", {"notice_type": "placement_move"}, "notice_type", "placement_start"),
    ("placing authority not a code", {"placing_authority": "Notts"}, "placing_authority", "ONS"),
    ("given name too long", {"child": {"given_name": LONG}}, "child.given_name", "at most 100"),
    ("family name missing", {"child": {"family_name": ""}}, "child.family_name", "family name"),
    ("also known as too long", {"child": {"also_known_as": LONG}}, "child.also_known_as", "100"),
    ("born tomorrow", {"child": {"date_of_birth": _days(1)}}, "child.date_of_birth", "past"),
    (
        "born over 25 years ago",
        {"child": {"date_of_birth": _years_ago(25, days=1)}},
        "child.date_of_birth",
        "25 years",
    ),
    ("date not ISO", {"child": {"date_of_birth": "30/04/2012"}}, "child.date_of_birth", "date"),
    ("sex unknown", {"child": {"sex": "X"}}, "child.sex", "M, F or U"),
    ("NHS number of 9 digits", {"child": {"nhs_number": "943476591"}}, "child.nhs_number", "10"),
    (
        "NHS number with a bad check digit",
        {"child": {"nhs_number": "9434765918"}},
        "child.nhs_number",
        "check the digits",
    ),
    ("legal status unknown", {"child": {"legal_status": "Z9"}}, "child.legal_status", "903"),
    (
        "EHC plan authority not a code",
        {"child": {"ehc_plan": {"maintained_by": "Notts"}}},
        "child.ehc_plan.maintained_by",
        "ONS",
    ),
    (
        "starts before the child was born",
        {
            "child": {"date_of_birth": _years_ago(1)},
            "placement": {"start_date": _years_ago(1, days=3)},
        },
        "placement.start_date",
        "date of birth",
    ),
    (
        "starts more than a year ahead",
        {"placement": {"start_date": _days(400)}},
        "placement.start_date",
        "next year",
    ),
    (
        "ends before it starts",
        {"placement": {"end_date": _days(-4)}},
        "placement.end_date",
        "on or after the start",
    ),
    (
        "placement type unknown",
        {"placement": {"placement_type": "Q1"}},
        "placement.placement_type",
        "903",
    ),
    ("provider unknown", {"placement": {"provider": "PR9"}}, "placement.provider", "PR0 to PR5"),
    (
        "end reason on a start notice",
        {"placement": {"end_reason": "E4A"}},
        "placement.end_reason",
        "placement_end",
    ),
    (
        "end notice without an end date",
        {"notice_type": "placement_end", "placement": {"end_reason": "E4A"}},
        "placement.end_date",
        "end date",
    ),
    (
        "end notice without an end reason",
        {"notice_type": "placement_end", "placement": {"end_date": _days(10)}},
        "placement.end_reason",
        "903",
    ),
    (
        "end notice with a blank end reason",
        {"notice_type": "placement_end", "placement": {"end_date": _days(10), "end_reason": " "}},
        "placement.end_reason",
        "903",
    ),
    (
        "end reason not in the REC list",
        {"notice_type": "placement_end", "placement": {"end_date": _days(10), "end_reason": "ZZ"}},
        "placement.end_reason",
        "903",
    ),
    (
        "postcode malformed",
        {"placement": {"address": {"postcode": "WR1"}}},
        "placement.address.postcode",
        "real postcode",
    ),
    (
        "postcode not live",
        {"placement": {"address": {"postcode": "WR9 9ZZ"}}},
        "placement.address.postcode",
        "not a live postcode",
    ),
    (
        "address without its first line",
        {"placement": {"address": {"line_1": None}}},
        "placement.address.line_1",
        "",
    ),
    (
        "previous address malformed postcode",
        {"previous_address": {"line_1": "2 Road", "postcode": "nope"}},
        "previous_address.postcode",
        "real postcode",
    ),
    (
        "social worker email malformed",
        {"contacts": {"social_worker": {"email": "sam.worker"}}},
        "contacts.social_worker.email",
        "email address",
    ),
    (
        "social worker name too long",
        {"contacts": {"social_worker": {"name": LONG}}},
        "contacts.social_worker.name",
        "at most 100",
    ),
    (
        "IRO email malformed",
        {"contacts": {"iro": {"name": "Ira", "email": "ira@"}}},
        "contacts.iro.email",
        "email address",
    ),
    (
        "phone with letters",
        {"contacts": {"out_of_hours_phone": "call me"}},
        "contacts.out_of_hours_phone",
        "telephone",
    ),
    ("risks too long", {"risks": "r" * 4001}, "risks", "4000"),
    ("risks with a control character", {"risks": "a\x00b"}, "risks", "control"),
    (
        "their id for the child with a line break",
        {"child": {"placing_authority_child_id": "NOTTS-1\nX"}},
        "child.placing_authority_child_id",
        "on one line",
    ),
    ("a name with a tab", {"child": {"given_name": "Sa\tm"}}, "child.given_name", "on one line"),
    (
        "a reference with a carriage return",
        {"reference": "NOTTS-N\r1"},
        "reference",
        "on one line",
    ),
    (
        "an address line with a Unicode line separator",
        {"placement": {"address": {"line_1": "2 Road\u2028Flat 1"}}},
        "placement.address.line_1",
        "on one line",
    ),
    ("a flag that is not a boolean", {"child": {"uasc": "perhaps"}}, "child.uasc", "boolean"),
]


@pytest.mark.parametrize(
    ("override", "path", "phrase"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_an_invalid_notice_is_refused_422_on_the_field_at_fault(
    client: FlaskClient, db_session: Session, key: str, override: Any, path: str, phrase: str
) -> None:
    response = post_notice(client, key, notice_body(**override))

    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert (error["status"], error["code"]) == (422, "validation_failed")
    assert path in error["fields"], error["fields"]
    assert any(phrase.lower() in m.lower() for m in error["fields"][path]), error["fields"][path]
    assert _count(db_session) == 0


# (what is allowed, override)
VALID = [
    ("risks over several lines", {"risks": "Missing twice in May.\r\nKnown to the CSE team."}),
    ("born exactly 25 years ago", {"child": {"date_of_birth": _years_ago(25)}}),
    ("no NHS number", {"child": {"nhs_number": None}}),
    ("no EHC plan", {"child": {"ehc_plan": None}}),
    ("starts a year ahead", {"placement": {"start_date": _days(365)}}),
    ("started in the past", {"placement": {"start_date": _days(-30)}}),
    ("an address change", {"notice_type": "address_change"}),
    (
        "an end with its date and reason",
        {"notice_type": "placement_end", "placement": {"end_date": _days(30), "end_reason": "E4A"}},
    ),
    ("names of exactly 100 characters", {"child": {"given_name": "G" * 100}}),
    ("no school, GP, IRO or risks", {"school": None, "gp": None, "risks": None}),
    ("a previous address", {"previous_address": {"line_1": "2 Old Road", "postcode": "NG1 1AA"}}),
]


@pytest.mark.parametrize("override", [case[1] for case in VALID], ids=[case[0] for case in VALID])
def test_a_valid_variation_is_accepted(
    client: FlaskClient, db_session: Session, key: str, override: Any
) -> None:
    response = post_notice(client, key, notice_body(**override))

    assert response.status_code == 201, response.get_json()


def test_903_codes_are_checked_against_the_list_for_the_placements_collection_year(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    # H5 (semi-independent living) left the PLACE list in 2025-26.
    def with_h5(start: str) -> dict[str, Any]:
        return notice_body(
            child={"date_of_birth": "2008-06-01"},
            placement={"start_date": start, "placement_type": "H5"},
        )

    assert post_notice(client, key, with_h5("2025-03-01")).status_code == 201
    refused = post_notice(client, key, with_h5("2025-04-01"))
    assert refused.status_code == 422
    assert "2025-26" in refused.get_json()["error"]["fields"]["placement.placement_type"][0]


def test_every_problem_is_reported_at_once(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    body = notice_body(
        reference="bad ref",
        child={"nhs_number": "123", "date_of_birth": _days(2), "legal_status": "??"},
        placement={"provider": "PR9", "address": {"postcode": HEREFORD}},
        contacts={"social_worker": {"email": "nobody"}},
        extra=True,
    )

    response = post_notice(client, key, body)

    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {
        "reference",
        "child.nhs_number",
        "child.date_of_birth",
        "child.legal_status",
        "placement.provider",
        "placement.address.postcode",
        "contacts.social_worker.email",
        "extra",
    } <= set(fields)
    assert response.get_json()["error"]["message"].endswith(
        f"{sum(map(len, fields.values()))} problems."
    )


# --- the envelope's other statuses -----------------------------------------------------------


def test_no_key_a_wrong_key_and_a_revoked_key_are_refused_401(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    revoked = create_api_client(db_session, authority=BIRMINGHAM, scopes=("inbound:write",))
    row = db_session.scalar(select(ApiClient).where(ApiClient.key_prefix == revoked.split(".")[0]))
    assert row is not None
    row.revoked_at = utcnow()
    db_session.commit()
    body = json.dumps(notice_body())

    answers = [
        expect_status(
            client.post(INBOUND_NOTICES, data=body, content_type="application/json"), 401
        ),
        expect_status(
            client.post(
                INBOUND_NOTICES,
                data=body,
                content_type="application/json",
                headers=bearer(key + "x"),
            ),
            401,
        ),
        expect_status(
            client.post(
                INBOUND_NOTICES, data=body, content_type="application/json", headers=bearer(revoked)
            ),
            401,
        ),
        expect_status(client.get(INBOUND_NOTICES, headers=bearer(revoked)), 401),
        expect_status(client.get(INBOUND_NOTICES, headers={"Authorization": f"Basic {key}"}), 401),
    ]

    for response in answers:
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorised"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert _count(db_session) == 0


def test_a_key_without_the_inbound_scope_is_refused_403(
    client: FlaskClient, db_session: Session
) -> None:
    reader = create_api_client(db_session, authority=BIRMINGHAM, scopes=("notifications:read",))

    posted = post_notice(client, reader, notice_body())
    listed = client.get(INBOUND_NOTICES, headers=bearer(reader))

    assert (posted.status_code, listed.status_code) == (403, 403)
    assert "inbound:write" in posted.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b'{"reference": ', "application/json", 400),
        (b"\xff\xfe{}", "application/json", 400),
        (b"[1, 2", "application/json", 400),
        (b'{"a": NaN}', "application/json", 400),
        (b"reference=NOTTS-1", "application/x-www-form-urlencoded", 415),
        (b"<notice/>", "application/xml", 415),
        (b"{}", "text/plain", 415),
        (b"[]", "application/json", 422),
        (b'"a string"', "application/json", 422),
        (b"{}", "application/json", 422),
    ],
    ids=[
        "cut off",
        "not UTF-8",
        "unclosed array",
        "NaN",
        "form",
        "XML",
        "text",
        "array",
        "string",
        "empty object",
    ],
)
def test_a_body_that_is_not_a_json_object_gets_the_envelope(
    client: FlaskClient, db_session: Session, key: str, data: bytes, content_type: str, status: int
) -> None:
    response = post_notice(client, key, data, content_type=content_type)

    assert response.status_code == status
    assert response.get_json()["error"]["status"] == status


def test_a_body_over_256_kib_is_refused_413_though_forms_may_be_larger(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    assert client.application.config["MAX_CONTENT_LENGTH"] > 300 * 1024
    padded = json.dumps(notice_body(risks=None, padding=" " * (256 * 1024)))
    just_under = json.dumps(notice_body()).ljust(256 * 1024)

    too_large = post_notice(client, key, padded)
    under = post_notice(client, key, just_under)

    assert too_large.status_code == 413
    assert too_large.get_json()["error"]["code"] == "too_large"
    assert under.status_code == 201
    assert _stored(db_session, under.get_json()["id"]).raw_body == just_under


def test_each_call_is_audited_with_the_keys_prefix(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    body = notice_body()
    created = expect_status(post_notice(client, key, body), 201).get_json()
    assert post_notice(client, key, body).status_code == 200
    assert client.get(f"{INBOUND_NOTICES}/{created['id']}", headers=bearer(key)).status_code == 200
    assert client.get(INBOUND_NOTICES, headers=bearer(key)).status_code == 200

    events = list(
        db_session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.like("api_inbound_%"))
            .order_by(AuditEvent.id)
        )
    )

    assert [e.action for e in events] == [
        "api_inbound_receive",
        "api_inbound_retry",
        "api_inbound_view",
        "api_inbound_list",
    ]
    prefix = key.split(".")[0]
    assert all(e.api_key_prefix == prefix for e in events)
    assert events[0].subject_id == created["id"]
    assert events[3].detail == {"notice_ids": [int(created["id"])]}


def test_a_call_refused_before_its_view_is_audited_too_but_not_one_without_a_valid_key(
    client: FlaskClient, db_session: Session, key: str
) -> None:
    invalid = post_notice(client, key, notice_body(child={"nhs_number": "123"}))
    assert invalid.status_code == 422
    not_json = client.post(INBOUND_NOTICES, data="<notice/>", headers=bearer(key))
    assert not_json.status_code == 415
    missing = client.get(f"{INBOUND_NOTICES}/999999", headers=bearer(key))
    assert missing.status_code == 404
    forged = post_notice(client, "pn_00000000.not-a-key", notice_body())
    assert forged.status_code == 401

    events = list(
        db_session.scalars(
            select(AuditEvent).where(AuditEvent.action == "api_refused").order_by(AuditEvent.id)
        )
    )

    assert [r.status_code for r in (invalid, not_json, missing, forged)] == [422, 415, 404, 401]
    assert [(e.detail or {}).get("status") for e in events] == [422, 415, 404]
    assert {e.api_key_prefix for e in events} == {key.split(".")[0]}
    assert all((e.detail or {}).get("path", "").startswith(INBOUND_NOTICES) for e in events)
