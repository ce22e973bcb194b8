"""Build the compact reference files in seeds/ from the shared reference data.

Run by hand when the shared data changes:

    python seeds/build_reference.py ../shared/data

It reads only the files named below (SOURCES.md in that folder describes them), writes
the CSV files beside this script, checks what it wrote, and prints a summary. Standard
library only, so it runs before the project's dependencies are installed. The adjoining
authorities take two to four minutes to derive from 1.7 million postcode centroids.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import lzma
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parent

AUTHORITY_KIND = {
    "County council": "county",
    "Unitary authority": "unitary",
    "Unitary authority (Council of the Isles of Scilly)": "unitary",
    "Metropolitan district": "metropolitan_district",
    "London borough": "london_borough",
    "City of London Corporation": "city_of_london",
}
EXPECTED_AUTHORITIES = {"england": 153, "wales": 22, "scotland": 32}
EXPECTED_HEALTH_BODIES = {"icb": 42, "lhb": 7, "hb": 14}
DIVISIONS = ("england-and-wales", "scotland")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    parser.add_argument(
        "--skip-adjoining",
        action="store_true",
        help="keep the existing adjoining_authorities.csv (its derivation is the slow part)",
    )
    args = parser.parse_args(argv)
    data: Path = args.data
    if not (data / "SOURCES.md").is_file():
        parser.error(f"{data} does not look like the shared data folder (no SOURCES.md)")

    started = time.monotonic()
    lads = read_csv(data / "derived" / "lad_to_upper_tier_authority.csv")
    authorities = build_authorities(data, lads)
    write_csv(SEEDS / "authorities.csv", AUTHORITY_COLUMNS, authorities)
    health_bodies = build_health_bodies(data)
    write_csv(SEEDS / "health_bodies.csv", HEALTH_BODY_COLUMNS, health_bodies)
    districts = build_districts(lads)
    write_csv(SEEDS / "districts.csv", DISTRICT_COLUMNS, districts)
    district_bodies = build_district_health_bodies(data, lads)
    write_csv(SEEDS / "district_health_bodies.csv", DISTRICT_BODY_COLUMNS, district_bodies)
    holidays = build_bank_holidays(data)
    write_csv(SEEDS / "bank_holidays.csv", HOLIDAY_COLUMNS, holidays)

    postcodes = read_postcodes(data / "postcode" / "codepoint_open_2025_4_gb_postcode_lad.csv.gz")
    write_postcodes(SEEDS / "postcodes.csv.xz", postcodes)

    check(authorities, health_bodies, districts, district_bodies, postcodes)

    if not args.skip_adjoining:
        to_authority = {d["code"]: d["authority_code"] for d in districts}
        names = {a["code"]: a["name"] for a in authorities}
        pairs = derive_adjoining(postcodes, to_authority, log=print)
        rows = [
            {
                "authority_code": a,
                "authority_name": names[a],
                "neighbour_code": b,
                "neighbour_name": names[b],
                "evidence": evidence,
            }
            for (a, b), evidence in sorted(pairs.items())
        ]
        write_csv(SEEDS / "adjoining_authorities.csv", ADJOINING_COLUMNS, rows)

    for path in sorted(SEEDS.glob("*.csv*")):
        print(f"{path.name:32} {path.stat().st_size:>12,} bytes")
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


# --- reading and writing -------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, object]]) -> None:
    # "\n" line endings and a fixed column order keep the files diff-friendly
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def clean(text: str) -> str:
    """Collapse the stray and doubled spaces some source names carry."""
    return " ".join(text.split())


def coordinate(text: str) -> str:
    return f"{float(text):.5f}" if text.strip() else ""


# --- authorities ---------------------------------------------------------------------------

AUTHORITY_COLUMNS = ("code", "name", "kind", "nation", "region", "dfe_la_number", "lat", "lon")


def build_authorities(data: Path, lads: list[dict[str, str]]) -> list[dict[str, object]]:
    """The 153 English children's services authorities, and the Welsh and Scottish councils."""
    rows: list[dict[str, object]] = []
    for a in read_csv(data / "derived" / "childrens_services_authorities_england.csv"):
        rows.append(
            {
                "code": a["la_code"],
                "name": clean(a["la_name"]),
                "kind": AUTHORITY_KIND[a["la_type"]],
                "nation": "england",
                "region": a["region_name"],
                "dfe_la_number": a["dfe_la_code"],
                "lat": coordinate(a["lat"]),
                "lon": coordinate(a["long"]),
            }
        )
    # mySociety has centroids for the Welsh and Scottish councils too
    centroids = {
        m["gss-code"]: (m["lat"], m["long"])
        for m in read_csv(data / "la" / "mysociety_uk_local_authorities.csv")
        if m["gss-code"]
    }
    for lad in lads:
        nation = {"Wales": "wales", "Scotland": "scotland"}.get(lad["nation"])
        if nation is None or lad["status"] != "current":
            continue
        lat, lon = centroids.get(lad["lad_code"], ("", ""))
        rows.append(
            {
                "code": lad["lad_code"],
                "name": clean(lad["lad_name"]),
                "kind": f"{'welsh' if nation == 'wales' else 'scottish'}_council",
                "nation": nation,
                "region": "",
                "dfe_la_number": "",
                "lat": coordinate(lat),
                "lon": coordinate(lon),
            }
        )
    return sorted(rows, key=lambda r: str(r["code"]))


# --- health bodies -------------------------------------------------------------------------

HEALTH_BODY_COLUMNS = ("code", "ods_code", "name", "kind")


def build_health_bodies(data: Path) -> list[dict[str, object]]:
    """42 ICBs (April 2024), 7 Welsh Local Health Boards, 14 Scottish NHS Health Boards."""
    rows: list[dict[str, object]] = [
        {
            "code": r["icb24_code"],
            "ods_code": r["icb24_code_nhs"],
            "name": clean(r["icb24_name"]),
            "kind": "icb",
        }
        for r in read_csv(data / "nhs" / "icb24_en.csv")
    ]
    lhbs = {
        r["lhb22_code"]: clean(r["lhb22_name"])
        for r in read_csv(data / "nhs" / "ons_ltla21_lhb22_wales.csv")
    }
    rows += [{"code": c, "ods_code": "", "name": n, "kind": "lhb"} for c, n in lhbs.items()]
    boards = {
        r["hb19_code"]: clean(r["hb19_name"])
        for r in read_csv(data / "nhs" / "scotland_council_to_health_board.csv")
    }
    # the source gives the bare area ("Grampian"); the boards are called "NHS Grampian"
    rows += [
        {"code": c, "ods_code": "", "name": f"NHS {n}", "kind": "hb"} for c, n in boards.items()
    ]
    return sorted(rows, key=lambda r: str(r["code"]))


# --- districts -----------------------------------------------------------------------------

DISTRICT_COLUMNS = ("code", "name", "authority_code", "status")


def build_districts(lads: list[dict[str, str]]) -> list[dict[str, object]]:
    """Every district code a postcode may carry, with its children's services authority.

    Northern Ireland's councils are left out: they are not children's services authorities.
    """
    return sorted(
        (
            {
                "code": lad["lad_code"],
                "name": clean(lad["lad_name"]),
                "authority_code": lad["upper_tier_code"],
                "status": lad["status"],
            }
            for lad in lads
            if lad["nation"] in ("England", "Wales", "Scotland")
        ),
        key=lambda r: str(r["code"]),
    )


DISTRICT_BODY_COLUMNS = ("district_code", "health_body_code", "share")
SUCCESSOR = re.compile(r"successor district/unitary (E0\d{7})")


def build_district_health_bodies(data: Path, lads: list[dict[str, str]]) -> list[dict[str, object]]:
    """District → health body with the share of the district's LSOAs in it."""
    shares: dict[str, dict[str, float]] = defaultdict(dict)
    for r in read_csv(data / "derived" / "lad_to_icb24_en.csv"):
        shares[r["lad_code"]][r["icb24_code"]] = float(r["share"])
    for lad in lads:
        code = lad["lad_code"]
        if lad["nation"] != "England" or code in shares:
            continue
        # a terminated district takes the health bodies of the district that replaced it
        match = SUCCESSOR.search(lad["note"])
        successor = match.group(1) if match else lad["upper_tier_code"]
        if successor not in shares:
            raise SystemExit(f"no health body for {code} (successor {successor})")
        shares[code] = dict(shares[successor])
    for r in read_csv(data / "nhs" / "ons_ltla21_lhb22_wales.csv"):
        shares[r["ltla21_code"]] = {r["lhb22_code"]: 1.0}
    for r in read_csv(data / "nhs" / "scotland_council_to_health_board.csv"):
        shares[r["council_code"]] = {r["hb19_code"]: 1.0}
    return [
        {"district_code": d, "health_body_code": h, "share": f"{s:.4f}".rstrip("0").rstrip(".")}
        for d in sorted(shares)
        for h, s in sorted(shares[d].items(), key=lambda item: (-item[1], item[0]))
    ]


# --- bank holidays -------------------------------------------------------------------------

HOLIDAY_COLUMNS = ("division", "date", "title")


def build_bank_holidays(data: Path) -> list[dict[str, object]]:
    rows = read_csv(data / "calendar" / "uk_bank_holidays_2012_2028.csv")
    return [
        {"division": r["division"], "date": r["date"], "title": clean(r["title"])}
        for r in sorted(rows, key=lambda r: (r["division"], r["date"]))
        if r["division"] in DIVISIONS
    ]


# --- postcodes -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostcodeRow:
    postcode: str
    district: str
    lat: str
    lon: str
    quality: int


def read_postcodes(path: Path) -> list[PostcodeRow]:
    with gzip.open(path, "rt", newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if header[:4] != ["postcode", "lad_code", "lat", "long"]:
            raise SystemExit(f"{path}: unexpected header {header}")
        rows = [
            PostcodeRow(pc, lad, coordinate(lat), coordinate(lon), int(quality))
            for pc, lad, lat, lon, quality in reader
        ]
    rows.sort(key=lambda r: r.postcode)
    return rows


def write_postcodes(path: Path, rows: list[PostcodeRow]) -> None:
    """postcode,district,lat,lon sorted by postcode, xz-compressed (stdlib lzma).

    Plain rows (no delta coding) so a line can be read on its own; xz finds the repetition
    that delta coding would (7.9 MB against 10.6 MB for delta-coded gzip).
    """
    text = io.StringIO()
    text.write("postcode,district,lat,lon\n")
    for r in rows:
        text.write(f"{r.postcode},{r.district},{r.lat},{r.lon}\n")
    path.write_bytes(lzma.compress(text.getvalue().encode("ascii"), preset=9))


# --- checks --------------------------------------------------------------------------------


def check(
    authorities: list[dict[str, object]],
    health_bodies: list[dict[str, object]],
    districts: list[dict[str, object]],
    district_bodies: list[dict[str, object]],
    postcodes: list[PostcodeRow],
) -> None:
    """Fail loudly if what was written is not what the service expects."""
    problems: list[str] = []
    by_nation = Counter(str(a["nation"]) for a in authorities)
    if by_nation != EXPECTED_AUTHORITIES:
        problems.append(f"authorities by nation {dict(by_nation)} != {EXPECTED_AUTHORITIES}")
    by_kind = Counter(str(h["kind"]) for h in health_bodies)
    if by_kind != EXPECTED_HEALTH_BODIES:
        problems.append(f"health bodies by kind {dict(by_kind)} != {EXPECTED_HEALTH_BODIES}")
    numbers = [a["dfe_la_number"] for a in authorities if a["dfe_la_number"]]
    if len(numbers) != len(set(numbers)) or len(numbers) != 153:
        problems.append("DfE LA numbers are not 153 unique values")
    authority_codes = {a["code"] for a in authorities}
    body_codes = {h["code"] for h in health_bodies}
    district_codes = {d["code"] for d in districts}
    problems += [
        f"district {d['code']} → unknown authority {d['authority_code']}"
        for d in districts
        if d["authority_code"] not in authority_codes
    ]
    totals: dict[object, float] = defaultdict(float)
    for row in district_bodies:
        if row["health_body_code"] not in body_codes:
            problems.append(f"unknown health body {row['health_body_code']}")
        totals[row["district_code"]] += float(str(row["share"]))
    problems += [f"district {d} has no health body" for d in district_codes - set(totals)]
    problems += [
        f"district {d} shares sum to {t:.3f}" for d, t in totals.items() if abs(t - 1) > 0.01
    ]
    unknown = Counter(
        r.district for r in postcodes if r.district and r.district not in district_codes
    )
    problems += [f"{n} postcodes in unknown district {d}" for d, n in unknown.items()]
    if problems:
        raise SystemExit("reference data check failed:\n  " + "\n  ".join(problems))
    no_district = sum(1 for r in postcodes if not r.district)
    no_coordinates = sum(1 for r in postcodes if not r.lat)
    print(
        f"{len(authorities)} authorities, {len(health_bodies)} health bodies, "
        f"{len(districts)} districts, {len(district_bodies)} district-health body rows, "
        f"{len(postcodes):,} postcodes ({no_district} without a district, "
        f"{no_coordinates} without coordinates)"
    )


# --- adjoining authorities -----------------------------------------------------------------

ADJOINING_COLUMNS = (
    "authority_code",
    "authority_name",
    "neighbour_code",
    "neighbour_name",
    "evidence",
)

# The rule, tuned against known land boundaries and known water gaps (seeds/README.md):
NEIGHBOURS = 3  # local spacing = mean distance to this many nearest same-authority points
ISOLATED_KM = 12.0  # a point with fewer same-authority neighbours than that within this is ignored
RATIO = 2.0  # a cross-boundary gap counts if at most RATIO × the local spacing on both sides
STRONG_RATIO = 1.0  # one gap no wider than the local spacing is enough on its own
MAX_GAP_KM = 5.0  # no gap wider than this counts, however sparse the land (sounds, firths)
MIN_POINTS = 2  # otherwise it takes gaps from at least this many places on each side
CELL_KM = 0.25
COARSE_KM = 2.0
BEST_QUALITY = 40  # Code-Point positional quality 50+ is estimated, not surveyed


def derive_adjoining(
    postcodes: list[PostcodeRow], to_authority: dict[str, str], log=print
) -> dict[tuple[str, str], int]:
    """Pairs of authorities (a < b) that meet on land, judged from postcode centroids.

    Two authorities adjoin where postcodes of one lie about as close to postcodes of the
    other as they do to their own neighbours: on a land boundary the gap across is like the
    gaps on either side; across an estuary or the sea it is many times wider. The value is
    the number of postcode locations on both sides that support the pair.
    """
    started = time.monotonic()
    points, codes = _points(postcodes, to_authority)
    log(f"adjoining: {len(points):,} distinct centroids in {len(codes)} authorities")
    fine: dict[tuple[int, int], list[int]] = defaultdict(list)
    present: dict[tuple[int, int], set[int]] = defaultdict(set)
    coarse: dict[tuple[int, int], set[int]] = defaultdict(set)
    for i, (a, x, y) in enumerate(points):
        cell = (int(x // CELL_KM), int(y // CELL_KM))
        fine[cell].append(i)
        present[cell].add(a)
        coarse[(int(x // COARSE_KM), int(y // COARSE_KM))].add(a)
    spacing = [_spacing(i, points, fine) for i in range(len(points))]
    log(f"adjoining: local spacing done ({time.monotonic() - started:.0f} s)")

    sides: dict[tuple[int, int], tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    strong: set[tuple[int, int]] = set()
    for i, (a, x, y) in enumerate(points):
        s = spacing[i]
        if s is None:
            continue
        # A gap may count against the other side's wider spacing: look that far (4 × ours)
        reach = min(2 * RATIO * s, MAX_GAP_KM)
        if not _other_authority_near(a, x, y, reach, present, coarse):
            continue
        for j, ratio in _best_gap_to_each_other_authority(i, points, spacing, fine, reach).items():
            if ratio > RATIO:
                continue
            b = points[j][0]
            key = (min(a, b), max(a, b))
            sides[key][0 if a == key[0] else 1].add(i)
            sides[key][1 if a == key[0] else 0].add(j)
            if ratio <= STRONG_RATIO:
                strong.add(key)
    log(f"adjoining: gaps measured ({time.monotonic() - started:.0f} s)")
    return {
        (codes[a], codes[b]): len(left) + len(right)
        for (a, b), (left, right) in sides.items()
        if min(len(left), len(right)) >= MIN_POINTS or (a, b) in strong
    }


def _points(
    postcodes: list[PostcodeRow], to_authority: dict[str, str]
) -> tuple[list[tuple[int, float, float]], list[str]]:
    """Distinct (authority, x km, y km) centroids of well-placed postcodes.

    x, y: a sinusoidal projection; over the few kilometres compared here its distortion is
    a fraction of a per cent, far below the thresholds.
    """
    seen = {
        (to_authority[r.district], r.lat, r.lon)
        for r in postcodes
        if r.lat and r.district and r.quality <= BEST_QUALITY
    }
    codes = sorted({a for a, _, _ in seen})
    index = {c: n for n, c in enumerate(codes)}
    points = []
    for authority, lat, lon in sorted(seen):
        phi = float(lat)
        x = float(lon) * 111.32 * math.cos(math.radians(phi))
        points.append((index[authority], x, phi * 110.574))
    return points, codes


def _ring(cx: int, cy: int, r: int) -> list[tuple[int, int]]:
    if r == 0:
        return [(cx, cy)]
    edge = [(cx + dx, cy + dy) for dx in range(-r, r + 1) for dy in (-r, r)]
    return edge + [(cx + dx, cy + dy) for dy in range(-r + 1, r) for dx in (-r, r)]


def _spacing(i: int, points, fine) -> float | None:
    a, x, y = points[i]
    cx, cy = int(x // CELL_KM), int(y // CELL_KM)
    found: list[float] = []
    r = 0
    while True:
        for cell in _ring(cx, cy, r):
            for j in fine.get(cell, ()):
                b, qx, qy = points[j]
                if b == a and j != i:
                    found.append(math.hypot(qx - x, qy - y))
        if len(found) >= NEIGHBOURS:
            found.sort()
            if found[NEIGHBOURS - 1] <= r * CELL_KM:
                return sum(found[:NEIGHBOURS]) / NEIGHBOURS
        if r * CELL_KM > ISOLATED_KM:
            return None
        r += 1


def _other_authority_near(a, x, y, reach, present, coarse) -> bool:
    grid, size = (present, CELL_KM) if reach <= CELL_KM else (coarse, COARSE_KM)
    r = math.ceil(reach / size)
    cx, cy = int(x // size), int(y // size)
    for dx in range(-r, r + 1):
        for dy in range(-r, r + 1):
            there = grid.get((cx + dx, cy + dy))
            if there and (len(there) > 1 or a not in there):
                return True
    return False


def _best_gap_to_each_other_authority(i, points, spacing, fine, reach) -> dict[int, float]:
    """For each other authority within reach, its point with the smallest gap relative to
    the local spacing on both sides: {point: gap / sqrt(spacing here × spacing there)}."""
    a, x, y = points[i]
    s = spacing[i]
    r = math.ceil(reach / CELL_KM)
    cx, cy = int(x // CELL_KM), int(y // CELL_KM)
    best: dict[int, tuple[float, int]] = {}
    for dx in range(-r, r + 1):
        for dy in range(-r, r + 1):
            for j in fine.get((cx + dx, cy + dy), ()):
                b, qx, qy = points[j]
                if b == a or spacing[j] is None:
                    continue
                gap = math.hypot(qx - x, qy - y)
                if gap > reach:
                    continue
                ratio = gap / math.sqrt(s * spacing[j])
                if b not in best or ratio < best[b][0]:
                    best[b] = (ratio, j)
    return {j: ratio for ratio, j in best.values()}


if __name__ == "__main__":
    sys.exit(main())
