"""How many moves a second record_placement records, beside the same rows written by plain SQL.

    .venv/bin/python bench/bench_record_move.py                          # temporary SQLite
    .venv/bin/python bench/bench_record_move.py --sizes 1000,10000
    .venv/bin/python bench/bench_record_move.py --database URL           # a throwaway database

The database is built by the migrations and holds seeds/ (no --database: a temporary SQLite
file). Background children, each with one current placement in Worcestershire, are added by
plain SQL, growing the register to each size in turn. At each size `--moves` random children
move to random GB postcodes through the service, each move committed on its own as a request
would; as many others have the rows the service would have written (the new placement, the
old one's end, the child's version, the notifications) written by plain SQL, also one
transaction a move. The two alternate in rounds, so a noisy machine slows both alike.
"""

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from flask_migrate import upgrade
from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import Child, District, Notification, Placement, Postcode  # noqa: E402
from models.base import utcnow  # noqa: E402
from models.enums import Channel, NotificationStatus  # noqa: E402
from notify import codes, create_app  # noqa: E402
from notify.config import for_testing  # noqa: E402
from notify.extensions import db  # noqa: E402
from notify.geography.postcode import PostcodeError  # noqa: E402
from notify.geography.reference import load_reference  # noqa: E402
from notify.geography.store import (  # noqa: E402
    Location,
    adjoining,
    placement_geography,
    resolve_postcode,
)
from notify.placements.service import (  # noqa: E402
    PlacementDetails,
    plan_placement,
    record_placement,
)

SIZES = (1_000, 10_000, 100_000)
HOME = "E10000034"  # Worcestershire
TODAY = date.today()
ROUNDS = 10
WARM_UP = 40  # moves of each kind before the first size, untimed: caches and compiled SQL
CHUNK = 5_000

# The baseline writes through Core, on the tables themselves
CHILDREN = cast(Table, Child.__table__)
PLACEMENTS = cast(Table, Placement.__table__)
NOTIFICATIONS = cast(Table, Notification.__table__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL of a throwaway database")
    parser.add_argument("--sizes", type=_sizes, default=SIZES, help="e.g. 1000,10000,100000")
    parser.add_argument("--moves", type=int, default=400, help="moves of each kind per size")
    parser.add_argument("--seed", type=int, default=20251022)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        url = args.database or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        app = create_app(for_testing(url))
        with app.app_context():
            started = time.perf_counter()
            upgrade()
            load_reference(db.session(), ROOT / "seeds")
            db.session.commit()
            print(f"migrated and loaded seeds/ in {time.perf_counter() - started:.1f} s")
            run(sorted(args.sizes), args.moves, args.seed)
            db.session.remove()
            db.engine.dispose()
    return 0


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(","))


def run(sizes: list[int], moves: int, seed: int) -> None:
    rng = random.Random(seed)
    session = db.session()
    homes = _worcestershire(session, rng)
    neighbours = adjoining(session, HOME)
    moved: set[int] = set()
    print(
        f"{session.get_bind().dialect.name}: {moves} moves of each kind per size, "
        f"in {ROUNDS} alternating rounds"
    )
    print(
        f"{'children':>9} {'service moves/s':>16} {'plain SQL moves/s':>18} "
        f"{'SQL is x faster':>16} {'notices/move':>13}"
    )
    warm_up = WARM_UP
    for size in sizes:
        session = db.session()
        present = session.scalar(select(func.count()).select_from(CHILDREN)) or 0
        if present > size:
            print(f"{size:>9,} skipped: the database already holds {present:,} children")
            continue
        started = time.perf_counter()
        _add_children(session, size - present, homes, neighbours, rng)
        grown = time.perf_counter() - started

        free = sorted(
            set(session.scalars(select(Child.id).where(Child.responsible_authority_code == HOME)))
            - moved
        )
        wanted = 2 * (moves + warm_up)
        if len(free) < wanted:
            raise SystemExit(f"{size:,} children is too few for {moves} moves of each kind")
        chosen = rng.sample(free, wanted)
        moved.update(chosen)
        destinations = _destinations(session, moves + warm_up, rng)
        by_service = list(zip(chosen[: moves + warm_up], destinations, strict=True))
        by_sql = _plan_rows(session, chosen[moves + warm_up :], destinations)
        db.session.remove()

        for i in range(warm_up):
            _move_through_service(*by_service[i])
            _write_by_sql(db.engine, by_sql[i])
        by_service, by_sql = by_service[warm_up:], by_sql[warm_up:]
        warm_up = 0

        service_s = sql_s = 0.0
        for r in range(ROUNDS):
            block = slice(r * moves // ROUNDS, (r + 1) * moves // ROUNDS)
            service_s += _timed(lambda move: _move_through_service(*move), by_service[block])
            sql_s += _timed(lambda move: _write_by_sql(db.engine, move), by_sql[block])
        by_sql_total = sum(len(move["notifications"]) for move in by_sql)
        written = db.session().scalar(
            select(func.count())
            .select_from(NOTIFICATIONS)
            .where(NOTIFICATIONS.c.child_id.in_([child_id for child_id, _ in by_service]))
        )
        db.session.remove()
        if written != by_sql_total:
            # paired moves go to the same postcodes from the same county: they should match
            print(f"the service wrote {written} notifications where plain SQL wrote {by_sql_total}")
        service_rate, sql_rate = moves / service_s, moves / sql_s
        print(
            f"{size:>9,} {service_rate:>16,.0f} {sql_rate:>18,.0f} "
            f"{sql_rate / service_rate:>16,.1f} {by_sql_total / moves:>13.1f}"
            f"   (grew the register in {grown:.1f} s)"
        )


def _timed(step: Callable[[Any], None], items: list[Any]) -> float:
    started = time.perf_counter()
    for item in items:
        step(item)
    return time.perf_counter() - started


# --- the two ways of recording a move --------------------------------------------------------


def _details(destination: Location) -> PlacementDetails:
    return PlacementDetails(
        start_date=TODAY,
        placement_type="U6",
        provider="PR4",
        address_line_1="1 Example Road",
        postcode=destination.postcode,
        carer_name="Mr and Mrs Carer",
        reason_for_change="CARPL",
        # where the district is split a social worker picks one: here, the largest share
        health_body_code=destination.health_bodies[0].code if destination.split else None,
    )


def _move_through_service(child_id: int, destination: Location) -> None:
    """One move as a request makes it: load the child, record, commit, end the session."""
    session = db.session()
    child = session.get(Child, child_id)
    assert child is not None
    record_placement(
        session,
        child,
        _details(destination),
        expected_version=child.version,
        actor_id=None,
        today=TODAY,
    )
    session.commit()
    db.session.remove()


def _plan_rows(
    session: Session, child_ids: list[int], destinations: list[Location]
) -> list[dict[str, Any]]:
    """The rows record_placement would write for each of these moves, worked out untimed."""
    moves = []
    for child_id, destination in zip(child_ids, destinations, strict=True):
        child = session.get(Child, child_id)
        assert child is not None
        plan = plan_placement(session, child, _details(destination), TODAY)
        assert plan.details and plan.placement_location and plan.geography and plan.previous
        d, geo = plan.details, plan.geography
        moves.append(
            {
                "child_id": child_id,
                "previous_id": plan.previous.id,
                "previous_end_date": plan.previous_end_date,
                "placement": {
                    "child_id": child_id,
                    "start_date": d.start_date,
                    "placement_type": d.placement_type,
                    "provider": d.provider,
                    "carer_name": d.carer_name,
                    "address_line_1": d.address_line_1,
                    "postcode": d.postcode,
                    "emergency": d.emergency,
                    "reason_for_change": d.reason_for_change,
                    "host_authority_code": plan.placement_location.authority_code,
                    "host_health_body_code": plan.host_health_body_code,
                    "location": geo.location,
                    "distance_miles": geo.distance_miles,
                    "adjoining": geo.adjoining,
                    "at_a_distance": geo.at_a_distance,
                },
                "notifications": [
                    {
                        "child_id": child_id,
                        "on_previous": p.event == "placement_end",
                        "event": p.event,
                        "recipient_kind": p.kind,
                        "recipient_role": p.role,
                        "recipient_code": p.code,
                        "recipient_name": p.name,
                        "channel": Channel.EMAIL,
                        "address": p.address,
                        "send_by": p.send_by,
                        "status": NotificationStatus.PENDING
                        if p.address
                        else NotificationStatus.NEEDS_ADDRESS,
                    }
                    for p in plan.notifications
                ],
            }
        )
    session.rollback()
    return moves


def _write_by_sql(engine: Engine, move: dict[str, Any]) -> None:
    """The same move's rows by Core statements, in one transaction."""
    with engine.begin() as connection:
        inserted = connection.execute(insert(PLACEMENTS), move["placement"]).inserted_primary_key
        assert inserted is not None
        placement_id = inserted[0]
        connection.execute(
            update(PLACEMENTS)
            .where(PLACEMENTS.c.id == move["previous_id"])
            .values(
                end_date=move["previous_end_date"],
                end_reason=codes.REC_NEW_EPISODE_SAME_DAY,
                version=PLACEMENTS.c.version + 1,
            )
        )
        connection.execute(
            update(CHILDREN)
            .where(CHILDREN.c.id == move["child_id"])
            .values(updated_at=utcnow(), version=CHILDREN.c.version + 1)
        )
        connection.execute(
            insert(NOTIFICATIONS),
            [
                {
                    **{k: v for k, v in n.items() if k != "on_previous"},
                    "placement_id": move["previous_id"] if n["on_previous"] else placement_id,
                }
                for n in move["notifications"]
            ],
        )


# --- the register ----------------------------------------------------------------------------


def _worcestershire(session: Session, rng: random.Random) -> list[Location]:
    """A few hundred resolved Worcestershire postcodes, for homes and current placements."""
    postcodes = session.scalars(
        select(Postcode.postcode)
        .join(District, District.code == Postcode.district_code)
        .where(District.authority_code == HOME)
        .order_by(Postcode.postcode)
    ).all()
    return [resolve_postcode(session, pc) for pc in rng.sample(postcodes, 500)]


def _destinations(session: Session, count: int, rng: random.Random) -> list[Location]:
    """Random live postcodes in Great Britain that resolve to an authority."""
    found: list[Location] = []
    while len(found) < count:
        drawn = session.scalars(
            select(Postcode.postcode)
            .where(Postcode.district_code.is_not(None), ~Postcode.district_code.startswith("N"))
            .order_by(func.random())
            .limit(2 * count)
        ).all()
        for postcode in drawn:
            try:
                location = resolve_postcode(session, postcode)
            except PostcodeError:
                continue  # PO boxes and large users with no authority
            if location.authority_code and location.health_bodies:
                found.append(location)
    rng.shuffle(found)
    return found[:count]


GIVEN = ("Alex", "Sam", "Jordan", "Taylor", "Riley", "Casey", "Morgan", "Jamie", "Charlie")
FAMILY = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Davies")
LEGAL_STATUSES = ("C1", "C2", "E1", "V2", "V3", "V4")
PLACEMENT_TYPES = ("U1", "U3", "U4", "U6", "K2", "R1")


def _add_children(
    session: Session,
    count: int,
    homes: list[Location],
    neighbours: frozenset[str],
    rng: random.Random,
) -> None:
    """Add `count` children by plain SQL, each with one current placement in Worcestershire."""
    if count <= 0:
        return
    first = session.scalar(select(func.coalesce(func.max(CHILDREN.c.id), 0))) or 0
    numbered = session.scalar(select(func.count()).select_from(CHILDREN)) or 0
    homes_by_postcode = {home.postcode: home for home in homes}
    for start in range(0, count, CHUNK):
        session.execute(
            insert(CHILDREN),
            [
                {
                    "case_reference": f"BENCH-{numbered + i:07d}",
                    "responsible_authority_code": HOME,
                    "given_name": rng.choice(GIVEN),
                    "family_name": rng.choice(FAMILY),
                    "date_of_birth": TODAY - timedelta(days=rng.randrange(30, 17 * 365)),
                    "sex": rng.choice("MF"),
                    "legal_status": rng.choice(LEGAL_STATUSES),
                    "home_postcode": rng.choice(homes).postcode,
                }
                for i in range(start, min(start + CHUNK, count))
            ],
        )
    added = session.execute(
        select(CHILDREN.c.id, CHILDREN.c.home_postcode).where(CHILDREN.c.id > first)
    ).all()
    for start in range(0, len(added), CHUNK):
        rows = []
        for child_id, home_postcode in added[start : start + CHUNK]:
            home, placed = homes_by_postcode[home_postcode], rng.choice(homes)
            geo = placement_geography(home, placed, HOME, neighbours)
            rows.append(
                {
                    "child_id": child_id,
                    "start_date": TODAY - timedelta(days=rng.randrange(30, 3 * 365)),
                    "placement_type": rng.choice(PLACEMENT_TYPES),
                    "provider": rng.choice(("PR1", "PR2", "PR4")),
                    "carer_name": "Foster Carer",
                    "address_line_1": f"{rng.randrange(1, 200)} Example Road",
                    "postcode": placed.postcode,
                    "host_authority_code": placed.authority_code,
                    "host_health_body_code": placed.health_body_code,
                    "location": geo.location,
                    "distance_miles": geo.distance_miles,
                    "adjoining": geo.adjoining,
                    "at_a_distance": geo.at_a_distance,
                }
            )
        session.execute(insert(PLACEMENTS), rows)
    session.commit()


if __name__ == "__main__":
    sys.exit(main())
