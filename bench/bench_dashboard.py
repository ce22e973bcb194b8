"""How long the SQA dashboard and the chase list take to render, beside the bare SQL they need.

    .venv/bin/python bench/bench_dashboard.py                              # SQLite, 1k-100k
    .venv/bin/python bench/bench_dashboard.py --sizes 1000,10000           # a quick run
    .venv/bin/python bench/bench_dashboard.py --postgres                   # a throwaway cluster
    .venv/bin/python bench/bench_dashboard.py --database URL               # a throwaway database

Given a database an earlier run left (`--database`), it is migrated to head and grown from
the children it holds, so a profile can be repeated without growing it again.

The database is built by the migrations and holds seeds/. Children are added by plain SQL,
growing the register to each size in turn, each with one current placement (two in five out
of area, across sixty authorities) and ten notices spread over three years: most
acknowledged, some overdue, a few failed or waiting for an address, some reminders. At each
size a signed-in test client renders the dashboard and the chase list (the median of
`--rounds`), beside the median time of the query functions alone (the statements the pages
run, no templates); the ratio is what rendering and Flask add.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any, cast

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import Authority, Child, Notification, Placement, User  # noqa: E402
from notify import create_app  # noqa: E402
from notify.auth.service import create_user  # noqa: E402
from notify.config import for_testing  # noqa: E402
from notify.dashboard.queries import (  # noqa: E402
    ChaseFilters,
    by_authority,
    chase_list,
    headline_counts,
    monthly_trends,
)
from notify.dashboard.sql import UK  # noqa: E402
from notify.extensions import db  # noqa: E402
from notify.geography.reference import load_reference  # noqa: E402
from notify.notifications.calendars import working_day_calendars  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
HOME = "E10000034"  # Worcestershire
NOTICES_PER_CHILD = 10
CHUNK = 5_000
EMAIL, PASSWORD = "bench.sqa@worcestershire.example", "a long enough password"

CHILDREN = cast(Table, Child.__table__)
PLACEMENTS = cast(Table, Placement.__table__)
NOTIFICATIONS = cast(Table, Notification.__table__)
STATUTORY = ("placement_start", "address_change", "placement_end")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database", help="SQLAlchemy URL of a throwaway database")
    where.add_argument("--postgres", action="store_true", help="a temporary PostgreSQL cluster")
    parser.add_argument("--sizes", type=_sizes, default=SIZES, help="e.g. 1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=15, help="renders of each page per size")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch, _database(args, scratch) as url:
        app = create_app({**for_testing(url), "WTF_CSRF_ENABLED": False})
        with app.app_context():
            started = time.perf_counter()
            upgrade()
            if db.session.scalar(select(User.id).where(User.email == EMAIL)) is None:
                load_reference(db.session(), ROOT / "seeds")
                create_user(
                    db.session(),
                    email=EMAIL,
                    name="Bench SQA",
                    role="sqa_officer",
                    password=PASSWORD,
                )
            db.session.commit()
            print(f"migrated and loaded seeds/ in {time.perf_counter() - started:.1f} s")
            db.session.remove()
        # requests push their own app context: signed-in users must not outlive theirs
        run(app, sorted(args.sizes), args.rounds, random.Random(args.seed))
        with app.app_context():
            db.engine.dispose()
    return 0


def _sizes(text_: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text_.split(","))


@contextmanager
def _database(args: argparse.Namespace, scratch: str) -> Iterator[str]:
    if args.postgres:
        from tests.support.postgres import temporary_cluster

        with temporary_cluster() as url:
            yield url
    else:
        with nullcontext():
            yield args.database or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"


def run(app: Flask, sizes: list[int], rounds: int, rng: random.Random) -> None:
    with app.app_context():
        session = db.session()
        dialect = session.get_bind().dialect.name
        hosts = _hosts(session, rng)
        db.session.remove()
    today = datetime.now(UK).date()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    print(f"{dialect}: medians of {rounds} renders, {NOTICES_PER_CHILD} notices a child")
    print(
        f"{'children':>9} {'notices':>10} {'dashboard ms':>13} {'its SQL ms':>11} {'ratio':>6}"
        f" {'chase list ms':>14} {'its SQL ms':>11} {'ratio':>6}  overdue"
    )
    for size in sizes:
        with app.app_context():
            session = db.session()
            present = session.scalar(select(func.count()).select_from(CHILDREN)) or 0
            if present > size:
                print(f"{size:>9,} skipped: the database already holds {present:,} children")
                continue
            started = time.perf_counter()
            _add_children(session, size - present, hosts, today, rng)
            _analyse(session, dialect)
            grown = time.perf_counter() - started
            notices = session.scalar(select(func.count()).select_from(NOTIFICATIONS)) or 0
            db.session.remove()

        dashboard_ms = _median_ms(lambda: _get(client, "/dashboard"), rounds)
        chase_ms = _median_ms(lambda: _get(client, "/dashboard/chase-list"), rounds)
        with app.app_context():
            dashboard_sql_ms = _median_ms(lambda: _dashboard_sql(today), rounds)
            chase_sql_ms = _median_ms(lambda: _chase_sql(today), rounds)
            overdue = _chase_sql(today)
        print(
            f"{size:>9,} {notices:>10,} {dashboard_ms:>13.1f} {dashboard_sql_ms:>11.1f}"
            f" {dashboard_ms / dashboard_sql_ms:>6.2f} {chase_ms:>14.1f} {chase_sql_ms:>11.1f}"
            f" {chase_ms / chase_sql_ms:>6.2f}  {overdue:,}   (grew in {grown:.0f} s)",
            flush=True,
        )


def _get(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def _median_ms(step: Callable[[], object], rounds: int) -> float:
    step()  # warm: compiled statements, caches
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def _dashboard_sql(today: date) -> None:
    """What the dashboard asks the database, with no templates or HTTP around it."""
    session = db.session()
    calendar = working_day_calendars(session)["england-and-wales"]
    headline_counts(session, HOME, today)
    chase_list(session, today, ChaseFilters(), calendar, per_page=10)
    by_authority(session, HOME, today)
    monthly_trends(session, today)
    db.session.remove()


def _chase_sql(today: date) -> int:
    session = db.session()
    calendar = working_day_calendars(session)["england-and-wales"]
    total = chase_list(session, today, ChaseFilters(), calendar).total
    db.session.remove()
    return total


def _analyse(session: Session, dialect: str) -> None:
    session.commit()
    if dialect == "postgresql":
        # VACUUM cannot run in a transaction; it also sets the visibility map for index-only scans
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )
    else:
        session.execute(text("ANALYZE"))
        session.commit()


# --- the register ------------------------------------------------------------------------------


def _hosts(session: Session, rng: random.Random) -> list[tuple[str, str | None]]:
    """Sixty English authorities (and the health body of each) to place children in."""
    rows = session.execute(
        text(
            "SELECT a.code, MIN(dh.health_body_code) FROM authorities a "
            "JOIN districts d ON d.authority_code = a.code "
            "LEFT JOIN district_health_bodies dh ON dh.district_code = d.code "
            "WHERE a.nation = 'england' AND a.code != :home GROUP BY a.code ORDER BY a.code"
        ),
        {"home": HOME},
    ).all()
    return rng.sample([(code, body) for code, body in rows], 60)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, clock(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=UTC)


def _add_children(
    session: Session,
    count: int,
    hosts: list[tuple[str, str | None]],
    today: date,
    rng: random.Random,
) -> None:
    """Add `count` children by plain SQL, each with a current placement and ten notices."""
    if count <= 0:
        return
    first = session.scalar(select(func.coalesce(func.max(CHILDREN.c.id), 0))) or 0
    numbered = session.scalar(select(func.count()).select_from(CHILDREN)) or 0
    names = session.execute(select(Authority.code, Authority.name)).all()
    name_of = dict(names)
    for start in range(0, count, CHUNK):
        session.execute(
            insert(CHILDREN),
            [
                {
                    "case_reference": f"BENCH-{numbered + i:07d}",
                    "responsible_authority_code": HOME,
                    "given_name": rng.choice(("Alex", "Sam", "Jordan", "Riley", "Casey")),
                    "family_name": rng.choice(("Smith", "Jones", "Taylor", "Brown", "Evans")),
                    "date_of_birth": today - timedelta(days=rng.randrange(30, 17 * 365)),
                    "sex": rng.choice("MF"),
                    "legal_status": "C2",
                    "home_postcode": "WR1 2NA",
                }
                for i in range(start, min(start + CHUNK, count))
            ],
        )
    added = session.scalars(select(CHILDREN.c.id).where(CHILDREN.c.id > first)).all()
    for start in range(0, len(added), CHUNK):
        ids = added[start : start + CHUNK]
        placements = []
        for child_id in ids:
            out = rng.random() < 0.4
            host, body = rng.choice(hosts) if out else (HOME, "E54000019")
            placements.append(
                {
                    "child_id": child_id,
                    "start_date": today - timedelta(days=rng.randrange(30, 3 * 365)),
                    "placement_type": rng.choice(("U4", "U6", "K2", "U1")),
                    "provider": rng.choice(("PR1", "PR4")),
                    "address_line_1": "1 Example Road",
                    "postcode": "B1 1BB" if out else "WR1 2NA",
                    "host_authority_code": host,
                    "host_health_body_code": body,
                    "location": "OUT" if out else "IN",
                    "adjoining": False,
                    "at_a_distance": out,
                }
            )
        session.execute(insert(PLACEMENTS), placements)
        placed = session.execute(
            select(
                PLACEMENTS.c.id,
                PLACEMENTS.c.child_id,
                PLACEMENTS.c.host_authority_code,
                PLACEMENTS.c.host_health_body_code,
            ).where(PLACEMENTS.c.child_id.in_(ids))
        ).all()
        rows = [
            _notice(child_id, placement_id, host, body, name_of, today, rng)
            for placement_id, child_id, host, body in placed
            for _ in range(NOTICES_PER_CHILD)
        ]
        session.execute(insert(NOTIFICATIONS), rows)
    session.commit()


def _notice(
    child_id: int,
    placement_id: int,
    host: str,
    body: str | None,
    name_of: dict[str, str],
    today: date,
    rng: random.Random,
) -> dict[str, Any]:
    """One notice: to the host authority, a health body or a contact; sent some time in the
    last three years; mostly acknowledged within days."""
    kind = rng.choices(("authority", "health_body", "contact", "reminder"), (30, 20, 45, 5))[0]
    sent_on = today - timedelta(days=int(rng.random() ** 1.3 * 3 * 365))
    row: dict[str, Any] = {
        "child_id": child_id,
        "placement_id": placement_id,
        "event": rng.choice(STATUTORY),
        "recipient_kind": kind,
        "recipient_role": "area_authority",
        "recipient_code": host,
        "recipient_name": name_of.get(host, host),
        "channel": "email",
        "address": "someone@example.org",
        "send_by": sent_on - timedelta(days=rng.choice((0, 0, 0, 1, 2, -1))),
        "attempts": 1,
        "next_attempt_at": None,
        # every row the same keys: one executemany
        "status": None,
        "sent_at": None,
        "acknowledge_by": None,
        "acknowledged_at": None,
        "acknowledged_via": None,
        "last_error": None,
    }
    if kind == "health_body":
        row |= {
            "recipient_role": "placement_health_body",
            "recipient_code": body,
            "recipient_name": body or "health body",
        }
    elif kind in ("contact", "reminder"):
        row |= {
            "recipient_kind": "contact",
            "recipient_role": "gp",
            "recipient_code": str(rng.randrange(1, 5000)),
            "recipient_name": "Dr Example",
        }
        if kind == "reminder":
            row["event"] = "reminder"
    fate = rng.random()
    if fate < 0.004:
        return row | {"status": "failed", "last_error": "550 mailbox unavailable"}
    if fate < 0.008:
        return row | {"status": "needs_address", "address": None}
    sent_at = _at(sent_on, rng)
    acknowledge_by = sent_on + timedelta(days=7)
    row |= {"status": "sent", "sent_at": sent_at, "acknowledge_by": acknowledge_by}
    if row["event"] == "reminder" or (today - sent_on).days < 60 and fate < 0.03:
        return row  # awaiting (overdue when past acknowledge-by); reminders are not answered
    delay = rng.choice((0, 1, 1, 2, 3, 4, 6, 9))
    return row | {
        "status": "acknowledged",
        "acknowledged_at": sent_at + timedelta(days=delay, hours=rng.randint(0, 5)),
        "acknowledged_via": "link",
    }


if __name__ == "__main__":
    sys.exit(main())
