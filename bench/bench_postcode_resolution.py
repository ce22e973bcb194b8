"""How fast resolve_postcode is, beside a plain dict lookup of the same postcodes.

    .venv/bin/python bench/bench_postcode_resolution.py                 # temporary SQLite
    .venv/bin/python bench/bench_postcode_resolution.py --database URL  # an existing database

With no --database it builds a temporary SQLite database from seeds/ first (and reports how
long that took). Postcodes are drawn at random (fixed seed) from the live ones with a district.
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.base import Base  # noqa: E402
from models.reference import Postcode  # noqa: E402
from notify.geography.reference import load_reference  # noqa: E402
from notify.geography.store import resolve_postcode  # noqa: E402

SIZES = (1_000, 10_000, 100_000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL of a database with reference data")
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--seed", type=int, default=20251022)
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
            run(session, args.sizes, args.seed)
        engine.dispose()
    return 0


def run(session: Session, sizes: list[int], seed: int) -> None:
    rows = session.execute(
        select(Postcode.postcode, Postcode.district_code, Postcode.lat, Postcode.lon).where(
            Postcode.district_code.is_not(None)
        )
    ).all()
    # the baseline: the same facts in memory, looked up by the same normalised key
    table = {postcode: (district, lat, lon) for postcode, district, lat, lon in rows}
    everything = list(table)
    rng = random.Random(seed)
    print(f"{len(everything):,} live postcodes with a district on {session.bind.dialect.name}")
    print(f"{'lookups':>9} {'resolve_postcode/s':>19} {'dict/s':>13} {'dict is x faster':>17}")
    for size in sizes:
        sample = [rng.choice(everything) for _ in range(size)]
        started = time.perf_counter()
        for postcode in sample:
            resolve_postcode(session, postcode)
        resolved = size / (time.perf_counter() - started)
        started = time.perf_counter()
        for postcode in sample:
            table[postcode]  # noqa: B018
        looked_up = size / max(time.perf_counter() - started, 1e-9)
        print(f"{size:>9,} {resolved:>19,.0f} {looked_up:>13,.0f} {looked_up / resolved:>17,.0f}")


if __name__ == "__main__":
    sys.exit(main())
