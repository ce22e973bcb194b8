"""How fast a case-system extract is read, seeded and compared, beside a bare CSV parse of
the same files.

    .venv/bin/python bench/bench_cms_import.py                      # temporary SQLite
    .venv/bin/python bench/bench_cms_import.py --sizes 1000 10000   # children (5 episodes each)

For each size it writes a 903 header and episodes file (each child: four moves, then a current
placement, at live postcodes in districts with one health body), then times:

- the baseline: csv.DictReader over both files, every row into a dict, nothing else;
- `read_extract`: the same parse with every field checked and episodes grouped into placements;
- the first import (`stage_import`): children and placements seeded, committed;
- a later extract in which 1% of the children moved: `stage_import` compares it with what we
  hold, and `confirm_import` records those moves through the placement service, notices and all.
"""

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import DistrictHealthBody, Postcode, User  # noqa: E402
from models.base import Base  # noqa: E402
from notify.codes import EPISODE_COLUMNS, HEADER_COLUMNS  # noqa: E402
from notify.geography.reference import load_reference  # noqa: E402
from notify.imports.extract import NamedFile, read_extract  # noqa: E402
from notify.imports.service import confirm_import, stage_import  # noqa: E402

SIZES = (1_000, 10_000)
HOME = "E10000034"
TODAY = date.today()
EPISODES_PER_CHILD = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        reference = Path(scratch) / "reference.sqlite3"
        engine = create_engine(f"sqlite:///{reference}")
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            started = time.perf_counter()
            load_reference(session, ROOT / "seeds")
            session.commit()
            print(f"loaded seeds/ into SQLite in {time.perf_counter() - started:.1f} s")
            homes, places = _postcodes(session)
        engine.dispose()
        print(
            f"{'children':>9} {'episodes':>9} {'csv parse s':>12} {'read_extract s':>15} "
            f"{'seed s':>7} {'compare s':>10} {'moves':>6} {'confirm s':>10}"
        )
        for size in args.sizes:
            db = Path(scratch) / f"bench-{size}.sqlite3"
            db.write_bytes(reference.read_bytes())
            run(db, Path(scratch) / f"extract-{size}", size, homes, places, args.seed)
    return 0


def _postcodes(session: Session) -> tuple[list[str], list[str]]:
    single = (
        select(DistrictHealthBody.district_code)
        .group_by(DistrictHealthBody.district_code)
        .having(func.count() == 1)
    )
    rows = session.scalars(
        select(Postcode.postcode)
        .where(Postcode.district_code.in_(single), Postcode.lat.is_not(None))
        .order_by(Postcode.postcode)
    ).all()
    homes = [p for p in rows if p.startswith("WR")]
    return homes, list(rows)


def _write(
    folder: Path, size: int, homes: list[str], places: list[str], seed: int, moved: int
) -> None:
    folder.mkdir(exist_ok=True)
    with (
        (folder / "header.csv").open("w", newline="") as h,
        (folder / "episodes.csv").open("w", newline="") as e,
    ):
        header, episodes = csv.writer(h), csv.writer(e)
        header.writerow(HEADER_COLUMNS)
        episodes.writerow(EPISODE_COLUMNS)
        for n in range(size):
            child = f"C{n:07d}"
            rng = random.Random(seed * 1_000_003 + n)  # the same child in every extract
            dob = TODAY - timedelta(days=rng.randrange(365, 17 * 365))
            header.writerow([child, rng.choice("12"), f"{dob:%d/%m/%Y}", "WBRI", "", "", ""])
            home = rng.choice(homes)
            start = TODAY - timedelta(days=1_000)
            count = EPISODES_PER_CHILD + (1 if n < moved else 0)
            for i in range(count):
                last = i == count - 1
                stay = timedelta(days=rng.randrange(30, 150))
                place = rng.choice(places)
                end = None if last else start + stay
                if i == EPISODES_PER_CHILD - 1 and not last:
                    end = TODAY + timedelta(days=14)  # moves in a fortnight
                episodes.writerow(
                    [child, f"{start:%d/%m/%Y}", "S" if i == 0 else "P", "C2", "N1", "U4",
                     "PR1", f"{end:%d/%m/%Y}" if end else "", "" if last else "X1",
                     "" if i == 0 else "CARPL", home, place, ""]
                )  # fmt: skip
                if end is not None:
                    start = end


def _files(folder: Path) -> list[NamedFile]:
    return [
        NamedFile(p.name, p.open(encoding="utf-8-sig", newline=""))
        for p in sorted(folder.glob("*.csv"))
    ]


def run(db: Path, folder: Path, size: int, homes: list[str], places: list[str], seed: int) -> None:
    moved = max(1, size // 100)
    _write(folder, size, homes, places, seed, moved=0)

    started = time.perf_counter()
    rows = 0
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="") as f:
            rows += sum(1 for _ in csv.DictReader(f))
    bare = time.perf_counter() - started

    started = time.perf_counter()
    files = _files(folder)
    extract = read_extract(files)
    for f in files:
        f.stream.close()
    read = time.perf_counter() - started
    assert not extract.problems, extract.problems[:3]

    engine = create_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        started = time.perf_counter()
        stage_import(session, extract, responsible_authority_code=HOME, source="bench",
                     actor_id=None, hold_above=10**9)  # fmt: skip
        session.commit()
        seed_s = time.perf_counter() - started

        _write(folder, size, homes, places, seed, moved=moved)
        files = _files(folder)
        later = read_extract(files)
        for f in files:
            f.stream.close()
        started = time.perf_counter()
        record = stage_import(session, later, responsible_authority_code=HOME, source="bench",
                              actor_id=None, hold_above=10**9)  # fmt: skip
        session.commit()
        compare_s = time.perf_counter() - started
        found = len(record.report["changes"])

        user = User(email="bench@example.org", name="Bench", role="manager", password_hash="x")
        session.add(user)
        session.flush()
        started = time.perf_counter()
        outcome = confirm_import(
            session, record, responsible_authority_code=HOME, actor=user, today=TODAY
        )
        session.commit()
        confirm_s = time.perf_counter() - started
    engine.dispose()
    assert found == moved and outcome["applied"] == moved, (found, outcome)
    print(
        f"{size:>9,} {size * EPISODES_PER_CHILD:>9,} {bare:>12.2f} {read:>15.2f} {seed_s:>7.2f} "
        f"{compare_s:>10.2f} {moved:>6,} {confirm_s:>10.2f}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
