"""A made-up reorganisation, loaded ahead of its day (DOMAIN.md §9): Staffordshire county
council replaced by two unitary councils, and the Staffordshire and Stoke-on-Trent and the
Shropshire, Telford and Wrekin ICBs merged into one, on 1 April 2027. The codes are fictional
(E06099xxx, E54099xxx); the rules are the law's: a notice goes to the body that exists on the
day it is given; unsent notices move to the successor with their clock; what was sent to an
abolished body since its end is listed for a person to send again.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Notification
from models.enums import NotificationStatus as Status
from models.enums import RecipientKind
from notify.extensions import db
from notify.geography.reorganisation import ReorganisationError, load_reorganisation
from notify.geography.store import resolve_postcode
from notify.notifications.outbox import change_status
from notify.notifications.successions import (
    carry_to_successor,
    resend_to_successor,
    sent_to_ended_bodies,
    transfer_notices,
)
from notify.placements.service import record_placement
from tests.support.builders import create_child, give_addresses, placement_details

DAY = date(2027, 4, 1)
EVE = DAY - timedelta(days=1)
STAFFORDSHIRE, NORTH, SOUTH = "E10000028", "E06099001", "E06099002"
STAFFS_ICB, SHROPSHIRE_ICB, MERGED = "E54000010", "E54000011", "E54099001"
STAFFORD = "ST16 2AA"  # Stafford district (E07000197): to North Staffordshire
LICHFIELD = "WS13 6AA"  # Lichfield district (E07000194): to South Staffordshire

CSV = f"""effective,body,code,ods_code,name,kind,predecessors,districts
{DAY},authority,{NORTH},,North Staffordshire,unitary,{STAFFORDSHIRE},E07000193;E07000195;E07000197;E07000198
{DAY},authority,{SOUTH},,South Staffordshire Council,unitary,{STAFFORDSHIRE},E07000192;E07000194;E07000196;E07000199
{DAY},health_body,{MERGED},X9Z9Z,NHS Marches and Staffordshire Integrated Care Board,icb,{STAFFS_ICB};{SHROPSHIRE_ICB},
"""  # noqa: E501


@pytest.fixture
def reorganisation(db_session: Session, tmp_path: Path) -> None:
    path = tmp_path / "staffordshire_2027.csv"
    path.write_text(CSV, encoding="utf-8")
    load_reorganisation(db_session, path)
    give_addresses(db_session, STAFFORDSHIRE, NORTH, SOUTH, STAFFS_ICB, MERGED)
    db_session.flush()


def move(session: Session, postcode: str, today: date):
    child = create_child(session)
    details = placement_details(postcode, start_date=today + timedelta(days=14))
    return record_placement(
        session, child, details, expected_version=child.version, actor_id=None, today=today
    ).placement


def told(session: Session, placement) -> dict[str, Notification]:
    rows = session.scalars(
        select(Notification).where(
            Notification.placement_id == placement.id,
            Notification.recipient_kind.in_((RecipientKind.AUTHORITY, RecipientKind.HEALTH_BODY)),
        )
    )
    return {n.recipient_code: n for n in rows}


@pytest.mark.parametrize(
    ("postcode", "on", "authority", "health_body"),
    [
        (STAFFORD, EVE, STAFFORDSHIRE, STAFFS_ICB),
        (STAFFORD, DAY, NORTH, MERGED),
        (LICHFIELD, EVE, STAFFORDSHIRE, STAFFS_ICB),
        (LICHFIELD, DAY, SOUTH, MERGED),
        ("TF1 1AA", EVE, "E06000020", SHROPSHIRE_ICB),  # Telford: the authority stays
        ("TF1 1AA", DAY, "E06000020", MERGED),
    ],
)
def test_a_reorganisation_loaded_ahead_switches_on_its_day(
    db_session: Session, reorganisation, postcode, on, authority, health_body
) -> None:
    location = resolve_postcode(db_session, postcode, on)
    assert (location.authority_code, location.health_body_code) == (authority, health_body)


def test_a_move_recorded_the_day_before_goes_to_the_old_bodies_and_on_the_day_to_the_new(
    db_session: Session, reorganisation
) -> None:
    before = move(db_session, STAFFORD, EVE)
    on_the_day = move(db_session, STAFFORD, DAY)
    assert (before.host_authority_code, before.host_health_body_code) == (
        STAFFORDSHIRE,
        STAFFS_ICB,
    )
    assert (on_the_day.host_authority_code, on_the_day.host_health_body_code) == (NORTH, MERGED)
    assert {STAFFORDSHIRE, STAFFS_ICB} <= set(told(db_session, before))
    assert {NORTH, MERGED} <= set(told(db_session, on_the_day))


def test_unsent_notices_move_to_the_successor_on_its_day_with_their_clock(
    db_session: Session, reorganisation
) -> None:
    stafford, lichfield = move(db_session, STAFFORD, EVE), move(db_session, LICHFIELD, EVE)
    clocks = {
        n.id: (n.send_by, n.acknowledge_by)
        for p in (stafford, lichfield)
        for n in told(db_session, p).values()
    }

    assert transfer_notices(db_session, EVE).moved == 0  # nothing has ended yet
    result = transfer_notices(db_session, DAY)

    assert result.undecided == []
    # the county was split: each notice follows its placement's postcode
    assert {NORTH, MERGED} <= set(told(db_session, stafford))
    assert {SOUTH, MERGED} <= set(told(db_session, lichfield))
    every = [n for p in (stafford, lichfield) for n in told(db_session, p).values()]
    assert {n.id: (n.send_by, n.acknowledge_by) for n in every} == clocks
    moved = [n for n in every if n.recipient_code in {NORTH, SOUTH, MERGED}]
    assert len(moved) == 4 and all(n.status == Status.PENDING for n in moved)
    assert {n.address for n in told(db_session, stafford).values()} >= {
        f"placements@{NORTH.lower()}.example"
    }
    assert transfer_notices(db_session, DAY).moved == 0  # done once


def test_sent_unacknowledged_notices_stay_and_their_reminders_go_to_the_successor(
    db_session: Session, reorganisation
) -> None:
    placement = move(db_session, STAFFORD, EVE)
    notice = told(db_session, placement)[STAFFS_ICB]
    change_status(db_session, notice.id, Status.SENDING)
    sent_after_end = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
    change_status(db_session, notice.id, Status.SENT, sent_at=sent_after_end)
    db_session.refresh(notice)

    transfer_notices(db_session, DAY)
    assert (notice.recipient_code, notice.status) == (STAFFS_ICB, Status.SENT)  # unchanged

    reminder = {  # the columns the chaser writes for a reminder
        "child_id": notice.child_id,
        "placement_id": notice.placement_id,
        "event": "reminder",
        "recipient_kind": notice.recipient_kind,
        "recipient_role": notice.recipient_role,
        "recipient_code": notice.recipient_code,
        "recipient_name": notice.recipient_name,
        "address": notice.address,
        "send_by": DAY,
    }
    carried = carry_to_successor(db_session, reminder, DAY + timedelta(days=7))
    assert (carried["recipient_code"], carried["address"]) == (
        MERGED,
        f"placements@{MERGED.lower()}.example",
    )

    listed = sent_to_ended_bodies(db_session, DAY + timedelta(days=7))
    assert [(s.notification.id, s.ended_on, s.successor.code) for s in listed] == [
        (notice.id, DAY, MERGED)
    ]
    copy = resend_to_successor(db_session, notice.id, DAY + timedelta(days=7))
    assert (copy.recipient_code, copy.status, copy.event) == (MERGED, Status.PENDING, notice.event)
    assert db_session.get(Notification, notice.id).status == Status.SENT  # still acknowledgeable


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            f"{DAY},authority,{NORTH},,North,unitary,{STAFFORDSHIRE},E07000193",
            f"line 2: {STAFFORDSHIRE} ends, but its district(s) E07000192, E07000194, "
            "E07000195, E07000196, E07000197, E07000198, E07000199 go to no new authority",
        ),
        (
            f"2027-13-01,health_body,{MERGED},,NHS X,icb,{STAFFS_ICB},",
            "line 2: effective '2027-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            f"{DAY},health_body,{STAFFS_ICB},,NHS X,icb,{SHROPSHIRE_ICB},",
            f"line 2: code {STAFFS_ICB} is already in use",
        ),
        (
            f"{DAY},health_body,{MERGED},,NHS X,trust,E54000999,",
            "line 2: kind 'trust' must be one of icb, lhb, hb",
        ),
        (
            f"{DAY},health_body,{MERGED},,NHS X,icb,E54000999,",
            "line 2: predecessor E54000999 is not a known health body",
        ),
    ],
)
def test_a_reorganisation_file_with_a_mistake_is_refused_whole_saying_where(
    db_session: Session, tmp_path: Path, line: str, problem: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CSV.splitlines()[0] + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ReorganisationError) as raised:
        load_reorganisation(db_session, path)
    assert problem in raised.value.problems
    assert resolve_postcode(db_session, STAFFORD, DAY).authority_code == STAFFORDSHIRE


def test_the_command_loads_a_reorganisation_or_refuses_it_whole(
    own_app: Flask, tmp_path: Path
) -> None:
    """`flask geo load-reorganisation FILE`: a good file is loaded and switches on its day;
    a file with a mistake is refused with the line and nothing is kept."""
    good, bad = tmp_path / "staffordshire_2027.csv", tmp_path / "bad.csv"
    good.write_text(CSV, encoding="utf-8")
    bad.write_text(CSV + f"{DAY},authority,E06099003,,Nowhere,unitary,E10000999,\n", "utf-8")
    runner = own_app.test_cli_runner()

    refused = runner.invoke(args=["geo", "load-reorganisation", str(bad)])
    with own_app.app_context():
        unchanged = resolve_postcode(db.session(), STAFFORD, DAY).authority_code
    loaded = runner.invoke(args=["geo", "load-reorganisation", str(good)])

    assert refused.exit_code == 1
    assert "bad.csv was not loaded" in refused.output
    assert unchanged == STAFFORDSHIRE
    assert loaded.exit_code == 0, loaded.output
    # two councils; one ICB; each council succeeds Staffordshire in part and the ICB both of
    # its predecessors (4); links: the councils' 8 districts, and the ICB's 11 (Staffordshire's
    # eight, Stoke-on-Trent, Shropshire, Telford and Wrekin)
    assert "2 authorities, 1 health bodies, 4 successions, 19 district links" in loaded.output
    assert "line 5: predecessor E10000999 is not a known authority" in refused.output
    with own_app.app_context():
        assert resolve_postcode(db.session(), STAFFORD, DAY).authority_code == NORTH
        assert resolve_postcode(db.session(), STAFFORD, EVE).authority_code == STAFFORDSHIRE
