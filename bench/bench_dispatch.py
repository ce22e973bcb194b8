"""How fast the delivery worker sends, beside raw smtplib, and how soon a move's notices go.

    .venv/bin/python bench/bench_dispatch.py                       # temporary SQLite
    .venv/bin/python bench/bench_dispatch.py --database URL        # a throwaway database
    .venv/bin/python bench/bench_dispatch.py --messages 2000 --moves 100

An aiosmtpd sink runs in a process of its own, as a relay would, and logs when it accepted
each message. Throughput: in alternating rounds, raw smtplib sends a round's messages
(rendered beforehand, untimed) over one connection, then `dispatch_all` sends the same
notifications from the database: claim, render, send, record, one commit a message.
Latency: a delivery worker runs in its own process with its default settings (it polls
every 0.5 s while idle); moves are recorded through the service one at a time, at random
intervals, and each is timed from its commit to the sink accepting the last of its notices.
"""

import argparse
import multiprocessing
import random
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import Authority, Child, HealthBody, Notification  # noqa: E402
from models.base import utcnow  # noqa: E402
from models.enums import NotificationStatus  # noqa: E402
from notify import create_app  # noqa: E402
from notify.config import for_testing  # noqa: E402
from notify.extensions import db  # noqa: E402
from notify.geography.reference import load_reference  # noqa: E402
from notify.notifications.channels.email import EmailChannel  # noqa: E402
from notify.notifications.delivery import DeliverySettings, dispatch_once  # noqa: E402
from notify.notifications.rendering.batch import load_notices  # noqa: E402
from notify.notifications.rendering.message import render  # noqa: E402
from notify.notifications.worker import Worker, dispatch_all  # noqa: E402
from notify.placements.service import (  # noqa: E402
    ChildDetails,
    PlacementDetails,
    record_child,
    record_placement,
)

HOME = "E10000034"  # Worcestershire
ROUNDS = 5
# Where children are placed: in county, adjoining, at a distance, Wales, Scotland.
DESTINATIONS = ("WR5 3AA", "HR1 1AA", "TR1 1AA", "NG18 1AJ", "M1 1AE", "CF10 1AA", "EH1 1AD")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL of a throwaway database")
    parser.add_argument("--messages", type=int, default=1000, help="for the throughput rounds")
    parser.add_argument("--moves", type=int, default=200, help="for the latency")
    parser.add_argument("--seed", type=int, default=20251129)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        accepted_log = Path(scratch) / "accepted.log"
        port = _free_port()
        ready, done = multiprocessing.Event(), multiprocessing.Event()
        sink = multiprocessing.Process(target=_sink, args=(port, accepted_log, ready, done))
        sink.start()
        ready.wait(10)
        url = args.database or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        config = {**for_testing(url), "MAIL_PORT": port}
        app = create_app(config)
        try:
            with app.app_context():
                started = time.perf_counter()
                upgrade()
                load_reference(db.session(), ROOT / "seeds")
                db.session.commit()
                print(f"migrated and loaded seeds/ in {time.perf_counter() - started:.1f} s")
                rng = random.Random(args.seed)
                throughput(app, args.messages, rng)
                latency(app, config, args.moves, accepted_log, rng)
                idle_poll(app)
                db.session.remove()
                db.engine.dispose()
        finally:
            done.set()
            sink.join(10)
    return 0


# --- the sink --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sink(port: int, log: Path, ready: Any, done: Any) -> None:
    """An SMTP server that accepts everything and logs each Message-ID with the time."""
    from aiosmtpd.controller import Controller

    out = log.open("a", buffering=1)

    class Accept:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            content = envelope.original_content or b""
            start = content.find(b"Message-ID: ")
            end = content.find(b"\r\n", start)
            out.write(f"{content[start + 12 : end].decode()}\t{time.time()}\n")
            return "250 OK"

    controller = Controller(Accept(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    done.wait()
    controller.stop()
    out.close()


# --- the data --------------------------------------------------------------------------------


def _directory(session: Any, rng: random.Random) -> None:
    """Every authority and health body gets an address; a third are secure (full notices)."""
    for body in [*session.scalars(select(Authority)), *session.scalars(select(HealthBody))]:
        body.notification_email = f"notifications@{body.code.lower()}.example"
        body.secure_email = rng.random() < 1 / 3
    session.commit()


def _add_children(session: Any, count: int, rng: random.Random) -> list[int]:
    """Children placed in county, each committed with the notices it causes."""
    ids = []
    start = date.today() - timedelta(days=30)
    for _ in range(count):
        child = record_child(
            session,
            ChildDetails(
                case_reference=f"BENCH-{rng.randrange(10**9):09d}",
                given_name=rng.choice(("Alex", "Sam", "Jordan", "Riley")),
                family_name=rng.choice(("Smith", "Jones", "Evans", "Brown")),
                date_of_birth=date.today() - timedelta(days=rng.randrange(400, 6000)),
                sex=rng.choice("MF"),
                legal_status="C2",
                home_postcode="WR1 2AA",
            ),
            HOME,
            date.today(),
        )
        _place(session, child, rng.choice(DESTINATIONS), start)
        session.commit()
        ids.append(child.id)
    return ids


def _place(session: Any, child: Child, postcode: str, start: date) -> None:
    record_placement(
        session,
        child,
        PlacementDetails(
            start_date=start,
            placement_type="U6",
            provider="PR4",
            address_line_1="1 Example Road",
            postcode=postcode,
            carer_name="Mr and Mrs Carer",
            reason_for_change="CARPL",
        ),
        expected_version=child.version,
        actor_id=None,
        today=date.today(),
    )


def _pending(session: Any) -> list[int]:
    return list(
        session.scalars(
            select(Notification.id)
            .where(Notification.status == NotificationStatus.PENDING)
            .order_by(Notification.id)
        )
    )


# --- throughput ------------------------------------------------------------------------------


def throughput(app: Flask, messages: int, rng: random.Random) -> None:
    session = db.session()
    _directory(session, rng)
    per_round = messages // ROUNDS
    raw_s = ours_s = 0.0
    sent = 0
    channel = EmailChannel(app.config)
    settings = DeliverySettings.from_config(app.config)
    print(f"{session.get_bind().dialect.name}: {per_round * ROUNDS} messages in {ROUNDS} rounds")
    for _ in range(ROUNDS):  # dispatch_all closes the channel's connection after each
        # enough moves for a round's messages (each move notifies two to five recipients)
        while len(_pending(session)) < per_round:
            _add_children(session, 20, rng)
        pending = _pending(session)
        # Hold back the surplus, so both sides send exactly this round's messages.
        session.execute(
            update(Notification)
            .where(Notification.id.in_(pending[per_round:]))
            .values(next_attempt_at=utcnow() + timedelta(days=365))
        )
        session.commit()
        chosen = pending[:per_round]
        notices = load_notices(session, chosen)
        prepared = [
            (message.to, channel.build(message))
            for message in (render(n) for n in notices.values() if not isinstance(n, Exception))
        ]
        session.commit()

        started = time.perf_counter()
        smtp = smtplib.SMTP(channel.server, channel.port)
        for to, data in prepared:
            smtp.sendmail("placement-notify@worcestershire.example", [to], data)
        smtp.quit()
        raw_s += time.perf_counter() - started

        started = time.perf_counter()
        done = dispatch_all(session, channel, settings)
        ours_s += time.perf_counter() - started
        assert done.sent == len(prepared), (done, len(prepared))
        sent += done.sent
        session.execute(
            update(Notification)
            .where(Notification.id.in_(pending[per_round:]))
            .values(next_attempt_at=utcnow())
        )
        session.commit()
    raw_rate, our_rate = sent / raw_s, sent / ours_s
    print(f"{'':>10} {'messages/s':>11}")
    print(f"{'raw smtplib':>10} {raw_rate:>11,.0f}")
    print(f"{'dispatch':>10} {our_rate:>11,.0f}   ratio {our_rate / raw_rate:.2f} (aim >= 0.5)")


# --- latency ---------------------------------------------------------------------------------


def _run_worker(config: dict[str, Any]) -> None:
    app = create_app(config)
    with app.app_context():
        worker = Worker(
            db.session(), EmailChannel(app.config), DeliverySettings.from_config(app.config)
        )
        worker.run()


def latency(
    app: Flask, config: dict[str, Any], moves: int, accepted_log: Path, rng: random.Random
) -> None:
    session = db.session()
    # A clean start: everything earlier is out of the way (sent, or never to be sent).
    dispatch_all(session, EmailChannel(app.config), DeliverySettings.from_config(app.config))
    children = _add_children(session, moves + 1, rng)
    dispatch_all(session, EmailChannel(app.config), DeliverySettings.from_config(app.config))
    db.session.remove()
    db.engine.dispose()

    worker = multiprocessing.get_context("spawn").Process(target=_run_worker, args=(config,))
    worker.start()
    committed: dict[int, tuple[float, list[str]]] = {}
    session = db.session()
    try:
        # The first move waits for the worker to start; the others are timed.
        warm_up, *timed = children
        _move(session, warm_up, rng)
        _wait_until_sent(session, 60)
        for n, child_id in enumerate(timed):
            time.sleep(rng.uniform(0.1, 0.5))
            committed[n] = _move(session, child_id, rng)
        _wait_until_sent(session, 60)
    finally:
        worker.terminate()  # SIGTERM: it finishes the message in hand
        worker.join(30)
        session.close()
    accepted: dict[str, float] = {}
    for line in accepted_log.read_text().splitlines():
        message_id, at = line.split("\t")
        accepted[message_id] = float(at)
    seconds = sorted(max(accepted[m] for m in ids) - at for at, ids in committed.values() if ids)
    p50 = statistics.median(seconds)
    p99 = seconds[min(len(seconds) - 1, round(0.99 * (len(seconds) - 1)))]
    print(
        f"latency, commit to the last notice accepted, over {len(seconds)} moves: "
        f"p50 {p50:.2f} s, p99 {p99:.2f} s, max {seconds[-1]:.2f} s (aim p50 < 1 s)"
    )


def _move(session: Any, child_id: int, rng: random.Random) -> tuple[float, list[str]]:
    """Move a child, committed: when, and the Message-IDs of the notices it sends."""
    child = session.get(Child, child_id)
    assert child is not None
    _place(session, child, rng.choice(DESTINATIONS), date.today())
    new = [o for o in session.new if isinstance(o, Notification)]
    session.flush()
    ids = [o.id for o in new if o.status == NotificationStatus.PENDING]
    session.commit()
    return time.time(), [f"<notification-{i}@placement-notify>" for i in ids]


def _wait_until_sent(session: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.status.in_([NotificationStatus.PENDING, NotificationStatus.SENDING])
            )
        )
        session.commit()
        if not left:
            return
        time.sleep(0.05)
    raise SystemExit(f"the worker did not send everything within {timeout} s")


# --- polling ---------------------------------------------------------------------------------


def idle_poll(app: Flask, looks: int = 500) -> None:
    """What the worker's look for new work costs when there is none."""
    session = db.session()
    total = session.scalar(select(func.count()).select_from(Notification))
    settings = DeliverySettings.from_config(app.config)
    with EmailChannel(app.config) as channel:
        started = time.perf_counter()
        for _ in range(looks):
            dispatch_once(session, channel, settings=settings, worker_id="bench")
        spent = time.perf_counter() - started
    each = spent / looks * 1000
    print(f"idle poll, nothing due among {total:,} notifications: {each:.2f} ms a look")


if __name__ == "__main__":
    sys.exit(main())
