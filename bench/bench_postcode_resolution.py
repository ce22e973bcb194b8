"""How fast postcodes resolve from the in-process index, beside a plain dict lookup of the
same postcodes in the same run, at several sizes; with the index's start-up cost and memory.

    .venv/bin/python bench/bench_postcode_resolution.py                 # temporary SQLite
    .venv/bin/python bench/bench_postcode_resolution.py --database URL  # an existing database

With no --database it builds a temporary SQLite database from seeds/ first (and reports how
long that took). Postcodes are drawn at random (fixed seed) from the live ones with a district.
Per size (distinct postcodes, each looked up once per round, best of 3 rounds): the index's
`resolve` on a normalised postcode once warm, `resolve_postcode(session, …)` (which also
finds the index for the session's database and reads the clock for "today" only when not
given a day), a dict of the same postcodes to the same answers, the first look (which loads
each outward code from the database) and the index's memory after it. It also counts the
shipped postcodes that resolve on --on (default today) to a health body that has ended.
"""

import argparse
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.base import Base  # noqa: E402
from models.reference import Postcode  # noqa: E402
from notify.geography.index import GeographyIndex  # noqa: E402
from notify.geography.reference import load_reference  # noqa: E402
from notify.geography.store import forget_index, geography_index, resolve_postcode  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 300_000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL of a database with reference data")
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--seed", type=int, default=20251022)
    parser.add_argument("--on", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        url = args.database or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        engine = create_engine(url)
        if args.database is None:
            Base.metadata.create_all(engine)
            with Session(engine) as session:
                started = time.perf_counter()
                load_reference(session, ROOT / "seeds")
                session.commit()
                print(f"loaded seeds/ into SQLite in {time.perf_counter() - started:.1f} s")
        with Session(engine) as session:
            run(session, args.sizes, args.seed, args.on)
        engine.dispose()
    return 0


def run(session: Session, sizes: list[int], seed: int, on: date) -> None:
    per_district = dict(
        session.execute(
            select(Postcode.district_code, func.count())
            .where(Postcode.district_code.is_not(None))
            .group_by(Postcode.district_code)
        ).all()
    )
    everything = list(
        session.scalars(select(Postcode.postcode).where(Postcode.district_code.is_not(None)))
    )
    print(f"{len(everything):,} live postcodes with a district on {session.bind.dialect.name}")

    forget_index(session)
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    index = geography_index(session)
    built = time.perf_counter() - started
    small = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(
        f"index start-up (every table but postcodes): {built * 1000:.0f} ms, "
        f"{small / 2**20:.1f} MiB"
    )
    _count_ended(index, per_district, on)

    rng = random.Random(seed)
    print(
        f"{'postcodes':>10} {'index/s':>12} {'resolve_postcode/s':>19} {'dict/s':>12} "
        f"{'index/dict':>11} {'r_p/dict':>9} {'first look/s':>13} {'index MiB':>10}"
    )
    for size in sizes:
        forget_index(session)
        gc.collect()
        sample = rng.sample(everything, min(size, len(everything)))
        tracemalloc.start()
        index = geography_index(session)
        started = time.perf_counter()
        for postcode in sample:  # first look: loads each outward code from the database
            index.resolve(postcode, on)
        first = size / (time.perf_counter() - started)
        memory = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        # the baseline: the same answers in a dict, looked up by the same normalised key
        table = {p: index.resolve(p, on) for p in sample}
        resolve = index.resolve
        timings: dict[str, list[float]] = {"index": [], "session": [], "dict": []}
        for _ in range(3):
            started = time.perf_counter()
            for postcode in sample:
                resolve(postcode, on)
            timings["index"].append(time.perf_counter() - started)
            started = time.perf_counter()
            for postcode in sample:
                resolve_postcode(session, postcode, on)
            timings["session"].append(time.perf_counter() - started)
            started = time.perf_counter()
            for postcode in sample:
                table[postcode]  # noqa: B018
            timings["dict"].append(time.perf_counter() - started)
        rate = {k: size / max(min(v), 1e-9) for k, v in timings.items()}
        print(
            f"{size:>10,} {rate['index']:>12,.0f} {rate['session']:>19,.0f} "
            f"{rate['dict']:>12,.0f} {rate['index'] / rate['dict']:>11.2f} "
            f"{rate['session'] / rate['dict']:>9.2f} {first:>13,.0f} {memory / 2**20:>10.0f}"
        )


def _count_ended(index: GeographyIndex, per_district: dict[str, int], on: date) -> None:
    """Shipped postcodes whose district resolves, on `on`, to a health body that has ended."""
    ended = unknown = 0
    for district, n in per_district.items():
        area = index.district_area(district, on)
        if area is None:
            unknown += n
        elif any(index.body_ended(hb.code, on) for hb in area.health_bodies):
            ended += n
    print(
        f"as at {on}: {ended:,} postcodes resolve to a health body that has ended "
        f"({unknown:,} in a district we do not know)"
    )


if __name__ == "__main__":
    sys.exit(main())
