"""How many inbound notices a second the API takes under gunicorn, beside a bare Flask insert.

    PYTHONPATH=. .venv/bin/python bench/bench_inbound.py                     # temporary SQLite
    PYTHONPATH=. .venv/bin/python bench/bench_inbound.py --postgres          # a throwaway cluster
    PYTHONPATH=. .venv/bin/python bench/bench_inbound.py --database URL      # a throwaway database
    PYTHONPATH=. .venv/bin/python bench/bench_inbound.py --clients 8,32 --requests 2000
    PYTHONPATH=. .venv/bin/python bench/bench_inbound.py --threads 4          # gthread workers

The database is built by the migrations and holds seeds/, and a key for Birmingham with the
inbound:write scope. Two servers run under gunicorn on loopback, each with `--workers` sync
workers (gthread ones with `--threads`): the real app (wsgi:app, NOTIFY_ENV=production, the
rate limit raised out of the way) and the baseline, bench/bare_inbound_app.py, which parses
the JSON and does one raw INSERT into a table of its own in the same database. At each
level of concurrency that many client threads post `--requests` notices to each server,
every one a valid placement start in Worcestershire under a reference of its own; the two
servers alternate in rounds, so a noisy machine slows both alike. Then every answer must
have been 201 and each table must hold exactly one row for each 201, no reference twice.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import cast

from flask_migrate import upgrade
from sqlalchemy import Table, create_engine, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bare_inbound_app  # noqa: E402
from models import District, InboundNotice, Postcode  # noqa: E402
from notify import create_app  # noqa: E402
from notify.apikeys.service import create_api_key  # noqa: E402
from notify.config import for_testing  # noqa: E402
from notify.extensions import db  # noqa: E402
from notify.geography.reference import load_reference  # noqa: E402
from notify.inbound.service import area_problem  # noqa: E402

HOME = "E10000034"  # Worcestershire
BIRMINGHAM = "E08000025"
CLIENTS = (8, 32)
ROUNDS = 4
WARM_UP = 20  # requests to each server before the first level, untimed: imports and caches
API_PATH = "/api/v1/inbound-notices"
BARE_PATH = "/notices"
STARTUP_SECONDS = 60
NOTICES = cast(Table, InboundNotice.__table__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database", help="SQLAlchemy URL of a throwaway database")
    where.add_argument("--postgres", action="store_true", help="a temporary PostgreSQL cluster")
    parser.add_argument("--clients", type=_numbers, default=CLIENTS, help="e.g. 8,32")
    parser.add_argument("--requests", type=int, default=2000, help="per server per level")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker: above 1, gthread workers"
    )
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch, _database(args, scratch) as url:
        key, postcodes = prepare(url)
        rng = random.Random(args.seed)
        # references of their own, so a run against a --database used before counts only its own
        run_id = secrets.token_hex(3)
        load_before = os.getloadavg()
        with (
            _gunicorn("wsgi:app", _app_env(url), args, scratch, "app") as app_server,
            _gunicorn(
                "bench.bare_inbound_app:create_app()",
                {**os.environ, "DATABASE_URL": url},
                args,
                scratch,
                "bare",
            ) as bare_server,
        ):
            app = Target("inbound API", app_server, API_PATH, key)
            bare = Target("bare insert", bare_server, BARE_PATH, None)
            failed = run(url, app, bare, args, postcodes, rng, run_id)
        load_after = os.getloadavg()
        print(
            f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
            f"{os.cpu_count()} cores"
        )
    return 1 if failed else 0


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(","))


@contextmanager
def _database(args: argparse.Namespace, scratch: str) -> Iterator[str]:
    if args.postgres:
        from tests.support.postgres import temporary_cluster

        with temporary_cluster() as url:
            yield url
    else:
        with nullcontext():
            yield args.database or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"


def prepare(url: str) -> tuple[str, list[str]]:
    """Migrate, load seeds/, make Birmingham's key and the baseline's table; return the key and
    some Worcestershire postcodes the API takes."""
    app = create_app(for_testing(url))
    with app.app_context():
        started = time.perf_counter()
        session = db.session()
        upgrade()
        load_reference(session, ROOT / "seeds")
        key = create_api_key(
            session,
            authority_code=BIRMINGHAM,
            scopes=["inbound:write"],
            name="bench",
            home_authority=app.config["HOME_AUTHORITY"],
        ).key
        session.commit()
        postcodes = _worcestershire(session)
        session.commit()  # on SQLite even a read holds the write lock (BEGIN IMMEDIATE)
        bare_inbound_app.create_table(db.engine)
        print(f"migrated and loaded seeds/ in {time.perf_counter() - started:.1f} s")
        db.session.remove()
        db.engine.dispose()
    return key, postcodes


def _worcestershire(session: Session) -> list[str]:
    """Up to 200 postcodes in Worcestershire's districts that the API accepts for a placement."""
    candidates = session.scalars(
        select(Postcode.postcode)
        .join(District, District.code == Postcode.district_code)
        .where(District.authority_code == HOME)
        .order_by(Postcode.postcode)
    ).all()
    chosen = random.Random(0).sample(candidates, min(400, len(candidates)))
    taken = [pc for pc in chosen if area_problem(session, pc, HOME) is None][:200]
    if not taken:
        raise SystemExit("seeds/ holds no Worcestershire postcode the API would take")
    return taken


# --- the servers -----------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    log: Path


@dataclass
class Target:
    name: str
    server: Server
    path: str
    key: str | None

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        return headers


def _app_env(url: str) -> dict[str, str]:
    # Production settings as deployed; the API sets no cookie, so secure cookies cost nothing.
    return {
        **os.environ,
        "DATABASE_URL": url,
        "NOTIFY_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "HOME_AUTHORITY": HOME,
        "INBOUND_RATE_LIMIT": "1000000/minute",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _gunicorn(
    target: str, env: dict[str, str], args: argparse.Namespace, scratch: str, name: str
) -> Iterator[Server]:
    """Serve `target` with gunicorn on a free loopback port until the block ends."""
    port = _free_port()
    log = Path(scratch) / f"gunicorn-{name}.log"
    workers = ["--worker-class", "sync"]
    if args.threads > 1:
        workers = ["--worker-class", "gthread", "--threads", str(args.threads)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "--workers", str(args.workers), *workers,
                "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_until_ready(process, port, "/_status" if name == "app" else "/health", log)
            yield Server(port, log)
        finally:
            process.send_signal(signal.SIGTERM)  # graceful: workers finish what they hold
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, path: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start:\n{log.read_text()[-2000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {path} within {STARTUP_SECONDS} s")


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Tally:
    """What one server answered at one level, over all its rounds."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)

    @property
    def created(self) -> int:
        return self.statuses[201]

    @property
    def failed(self) -> int:
        return sum(self.statuses.values()) - self.created

    def rate(self) -> float:
        """Notices stored a second: a refused one does not count."""
        return self.created / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def post_all(target: Target, bodies: list[bytes], clients: int, tally: Tally) -> None:
    """Post every body with `clients` threads, each on a connection of its own; add what the
    server answered, and how long it took, to `tally`."""
    pending = deque(bodies)
    headers = target.headers()
    lock = threading.Lock()

    def client() -> None:
        # http.client reconnects by itself when the server closes (sync workers always do)
        connection = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=60)
        answers: list[tuple[int, float, str]] = []
        while True:
            try:
                body = pending.popleft()
            except IndexError:
                break
            started = time.perf_counter()
            try:
                connection.request("POST", target.path, body, headers)
                response = connection.getresponse()
                answer = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                status, answer = 0, repr(exc).encode()
            spent = time.perf_counter() - started
            answers.append((status, spent, "" if status == 201 else answer[:120].decode()))
        connection.close()
        with lock:
            for status, spent, problem in answers:
                tally.statuses[status] += 1
                tally.latencies.append(spent)
                if problem:
                    tally.problems[f"{status} {problem}"] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds += time.perf_counter() - started


def _notice(reference: str, postcode: str, rng: random.Random) -> bytes:
    """A valid placement start from Birmingham, of a child placed in Worcestershire."""
    today = date.today()
    body = {
        "reference": reference,
        "notice_type": "placement_start",
        "placing_authority": BIRMINGHAM,
        "child": {
            "placing_authority_child_id": f"C-{rng.randrange(10**6):06d}",
            "given_name": rng.choice(("Alex", "Sam", "Jordan", "Riley", "Casey")),
            "family_name": rng.choice(("Smith", "Jones", "Evans", "Brown", "Wilson")),
            "also_known_as": None,
            "date_of_birth": (today - timedelta(days=rng.randrange(400, 6000))).isoformat(),
            "sex": rng.choice("MF"),
            "nhs_number": "9434765919",
            "legal_status": rng.choice(("C1", "C2", "V2")),
            "uasc": False,
            "disability": False,
            "child_protection_plan": rng.random() < 0.3,
            "ehc_plan": None,
        },
        "placement": {
            "start_date": (today - timedelta(days=rng.randrange(0, 30))).isoformat(),
            "end_date": None,
            "placement_type": rng.choice(("U1", "U3", "U4", "U6")),
            "provider": rng.choice(("PR1", "PR4")),
            "carer_name": "Pat and Lee Carer",
            "urn": None,
            "emergency": False,
            "address": {
                "line_1": f"{rng.randrange(1, 200)} Orchard Way",
                "line_2": None,
                "town": "Worcester",
                "postcode": postcode,
            },
            "end_reason": None,
        },
        "previous_address": None,
        "contacts": {
            "social_worker": {
                "name": "Dana Social",
                "email": "dana.social@birmingham.example",
                "phone": "0121 496 0001",
            },
            "iro": None,
            "out_of_hours_phone": "0121 496 0999",
        },
        "school": {"name": "Northwick Primary", "urn": "116789"},
        "gp": {"practice_name": "Barbourne Surgery", "ods_code": "M81001"},
        "risks": "Missing twice in the last six months",
    }
    return json.dumps(body).encode()


# --- the run ---------------------------------------------------------------------------------


def run(
    url: str,
    app: Target,
    bare: Target,
    args: argparse.Namespace,
    postcodes: list[str],
    rng: random.Random,
    run_id: str,
) -> bool:
    """Every level, both servers; print the table. True if anything was lost or refused."""

    def bodies(prefix: str, count: int) -> list[bytes]:
        return [_notice(f"{prefix}-{i:06d}", rng.choice(postcodes), rng) for i in range(count)]

    for target in (app, bare):
        post_all(target, bodies(f"BENCH-{run_id}-WARM", WARM_UP), 2, Tally())
    engine_name = url.partition(":")[0].partition("+")[0]
    kind = "sync" if args.threads == 1 else f"gthread ({args.threads} threads)"
    print(
        f"{engine_name}: {args.requests} notices to each server per level, in {ROUNDS} "
        f"alternating rounds; gunicorn, {args.workers} {kind} workers each"
    )
    print(
        f"{'clients':>7}  {'server':<11} {'notices/s':>9} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'201s':>6} {'rows':>6} {'dups':>5} {'other':>6}"
    )
    engine = create_engine(url)
    failed = False
    try:
        for clients in sorted(args.clients):
            prefix = f"BENCH-{run_id}-C{clients}"
            work = {target.name: bodies(prefix, args.requests) for target in (app, bare)}
            tallies = {target.name: Tally() for target in (app, bare)}
            for r in range(ROUNDS):
                block = slice(r * args.requests // ROUNDS, (r + 1) * args.requests // ROUNDS)
                for target in (bare, app):
                    post_all(target, work[target.name][block], clients, tallies[target.name])
            stored = {
                app.name: _stored(engine, NOTICES, prefix),
                bare.name: _stored(engine, bare_inbound_app.notices, prefix),
            }
            for target in (bare, app):
                tally, (rows, distinct) = tallies[target.name], stored[target.name]
                ratio = ""
                if target is app:
                    share = tally.rate() / tallies[bare.name].rate()
                    ratio = f"   ratio {share:.2f} of bare"
                print(
                    f"{clients:>7}  {target.name:<11} {tally.rate():>9,.0f} "
                    f"{tally.percentile(0.5) * 1000:>7.1f} {tally.percentile(0.99) * 1000:>7.1f} "
                    f"{tally.created:>6} {rows:>6} {rows - distinct:>5} {tally.failed:>6}{ratio}"
                )
                if tally.failed or rows != tally.created or rows != distinct:
                    failed = True
                    for problem, count in tally.problems.most_common(5):
                        print(f"{'':>9}{count} x {problem}")
        for target in (app, bare):
            locked = target.server.log.read_text(errors="replace").count("database is locked")
            if locked:
                print(f"{target.name}: 'database is locked' {locked} times in gunicorn's log")
    finally:
        engine.dispose()
    return failed


def _stored(engine: Engine, table: Table, prefix: str) -> tuple[int, int]:
    """How many rows, and how many distinct references, a level left in `table`."""
    with engine.connect() as connection:
        row = connection.execute(
            select(func.count(), func.count(table.c.reference.distinct())).where(
                table.c.reference.startswith(f"{prefix}-")
            )
        ).one()
    return int(row[0]), int(row[1])


if __name__ == "__main__":
    sys.exit(main())
