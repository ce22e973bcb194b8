"""Load the reference data in seeds/ into the database, and import a full ONS Postcode Directory.

Neither function commits: the caller (a CLI command, the test set-up) commits once.
"""

import csv
import hashlib
import io
import lzma
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from models.reference import (
    AdjoiningAuthority,
    Authority,
    BankHoliday,
    District,
    DistrictAuthority,
    DistrictHealthBody,
    HealthBody,
    Postcode,
    ReferenceVersion,
    Succession,
)
from notify.calendar import today_uk
from notify.geography.postcode import PostcodeError, normalise_postcode
from notify.geography.store import forget_index, geography_index
from notify.labels import place_name

CHUNK = 20_000
SEEDS_SOURCE = "seeds"
POSTCODE_COLUMNS = ["postcode", "district", "lat", "lon", "easting", "northing"]
# Core statements on the session's connection: the ORM's bulk path costs half as much again.
POSTCODES = cast(Table, Postcode.__table__)
ONSPD_CHUNK = 5_000  # keeps "postcode IN (...)" within every engine's parameter limit
ONSPD_MARK = "onspd:"
NO_COORDINATE = 99.999999
Progress = Callable[[int], None]


def _no_progress(_: int) -> None:
    pass


# --- seeds ---------------------------------------------------------------------------------


def load_reference(
    session: Session, seeds_dir: str | Path, *, replace_onspd: bool = False
) -> dict[str, int]:
    """Load every reference file in seeds_dir whose checksum changed; rows loaded by data set.

    Admin-set fields (contact emails, API endpoints, active) are never touched. Postcodes
    imported from a full ONSPD are kept unless replace_onspd is true.
    """
    seeds = Path(seeds_dir)
    forget_index(session)
    missing = [f for _, f, _ in _DATASETS if not (seeds / f).is_file()]
    if missing:
        raise FileNotFoundError(f"reference file(s) missing from {seeds}: {', '.join(missing)}")
    loaded: dict[str, int] = {}
    for name, filename, loader in _DATASETS:
        path = seeds / filename
        checksum = _sha256(path)
        version = session.get(ReferenceVersion, name)
        current = version.checksum if version else None
        if current == checksum or (
            name == "postcodes" and current and current.startswith(ONSPD_MARK) and not replace_onspd
        ):
            loaded[name] = 0
            continue
        rows = loader(session, path)
        if version is None:
            session.add(ReferenceVersion(name=name, checksum=checksum, rows=rows))
        else:
            version.checksum, version.rows = checksum, rows
        session.flush()
        loaded[name] = rows
    return loaded


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _blank_none(value: str) -> str | None:
    return value or None


def _float(value: str) -> float | None:
    return float(value) if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load_authorities(session: Session, path: Path) -> int:
    rows = _rows(path)
    existing = {a.code: a for a in session.scalars(select(Authority))}
    for r in rows:
        authority = existing.get(r["code"]) or Authority(code=r["code"])
        authority.name = place_name(r["name"])
        authority.kind = r["kind"]
        authority.nation = r["nation"]
        authority.region = _blank_none(r["region"])
        authority.dfe_la_number = _blank_none(r["dfe_la_number"])
        authority.lat = _float(r["lat"])
        authority.lon = _float(r["lon"])
        # the DfE number outlives a recode (Barnsley kept 370); elsewhere the code is all we have
        authority.organisation = r["dfe_la_number"] or r["code"]
        authority.valid_from = _date(r.get("valid_from"))
        authority.valid_to = _date(r.get("valid_to"))
        if r["code"] not in existing:
            session.add(authority)
    # An authority that leaves the seeds stays: placements and contacts still point at it.
    return len(rows)


def _load_health_bodies(session: Session, path: Path) -> int:
    rows = _rows(path)
    existing = {h.code: h for h in session.scalars(select(HealthBody))}
    for r in rows:
        body = existing.get(r["code"]) or HealthBody(code=r["code"])
        body.ods_code = _blank_none(r["ods_code"])
        body.name = r["name"]
        body.kind = r["kind"]
        body.organisation = r["organisation"] or r["code"]
        body.valid_from = _date(r["valid_from"])
        body.valid_to = _date(r["valid_to"])
        if r["code"] not in existing:
            session.add(body)
    return len(rows)


def _load_districts(session: Session, path: Path) -> int:
    rows = _rows(path)
    existing = {d.code: d for d in session.scalars(select(District))}
    for r in rows:
        district = existing.pop(r["code"], None) or District(code=r["code"])
        district.name = place_name(r["name"])
        district.authority_code = r["authority_code"]
        session.add(district)
    session.flush()
    for gone in existing.values():
        for table in (DistrictHealthBody, DistrictAuthority):
            session.execute(delete(table).where(table.district_code == gone.code))
        session.delete(gone)
    # The seeds' own links; a reorganisation's (source "reorganisation:…") are kept.
    session.execute(delete(DistrictAuthority).where(DistrictAuthority.source == SEEDS_SOURCE))
    session.execute(
        insert(DistrictAuthority),
        [
            {
                "district_code": r["code"],
                "authority_code": r["authority_code"],
                "valid_from": _date(r.get("valid_from")),
                "valid_to": _date(r.get("valid_to")),
                "source": SEEDS_SOURCE,
            }
            for r in rows
        ],
    )
    return len(rows)


def _load_district_health_bodies(session: Session, path: Path) -> int:
    rows = [
        {
            "district_code": r["district_code"],
            "health_body_code": r["health_body_code"],
            "share": float(r["share"]),
            "valid_from": _date(r["valid_from"]),
            "valid_to": _date(r["valid_to"]),
            "source": SEEDS_SOURCE,
        }
        for r in _rows(path)
    ]
    session.execute(delete(DistrictHealthBody).where(DistrictHealthBody.source == SEEDS_SOURCE))
    session.execute(insert(DistrictHealthBody), rows)
    return len(rows)


def _load_successions(session: Session, path: Path) -> int:
    rows = [
        {
            "body": r["body"],
            "from_code": r["from_code"],
            "to_code": r["to_code"],
            "effective": date.fromisoformat(r["effective"]),
            "kind": r["kind"],
            "source": SEEDS_SOURCE,
        }
        for r in _rows(path)
    ]
    session.execute(delete(Succession).where(Succession.source == SEEDS_SOURCE))
    session.execute(insert(Succession), rows)
    return len(rows)


def _load_adjoining(session: Session, path: Path) -> int:
    pairs = [(r["authority_code"], r["neighbour_code"]) for r in _rows(path)]
    # an administrator's corrections (source "admin", "removed") outlive the seeds
    corrected = {
        (a, b)
        for a, b in session.execute(
            select(AdjoiningAuthority.authority_code, AdjoiningAuthority.neighbour_code).where(
                AdjoiningAuthority.source != SEEDS_SOURCE
            )
        )
    }
    session.execute(delete(AdjoiningAuthority).where(AdjoiningAuthority.source == SEEDS_SOURCE))
    session.execute(
        insert(AdjoiningAuthority),
        [
            {"authority_code": a, "neighbour_code": b, "source": SEEDS_SOURCE}
            for x, y in pairs
            for a, b in ((x, y), (y, x))
            if (a, b) not in corrected
        ],
    )
    return len(pairs)


def _load_bank_holidays(session: Session, path: Path) -> int:
    rows = [
        {"division": r["division"], "day": date.fromisoformat(r["date"]), "title": r["title"]}
        for r in _rows(path)
    ]
    session.execute(delete(BankHoliday))
    session.execute(insert(BankHoliday), rows)
    return len(rows)


def _load_postcodes(session: Session, path: Path) -> int:
    connection = session.connection()
    connection.execute(delete(POSTCODES))
    total = 0
    with lzma.open(path, "rt", encoding="ascii", newline="") as handle:
        reader = csv.reader(handle)
        if next(reader) != POSTCODE_COLUMNS:
            raise ValueError(f"{path}: expected columns {','.join(POSTCODE_COLUMNS)}")
        for chunk in _chunks(reader, CHUNK):
            connection.execute(
                insert(POSTCODES),
                [
                    {
                        "postcode": pc,
                        "district_code": district or None,
                        "health_body_code": None,
                        "lat": float(lat) if lat else None,
                        "lon": float(lon) if lon else None,
                        "easting": int(e) if e else None,
                        "northing": int(n) if n else None,
                    }
                    for pc, district, lat, lon, e, n in chunk
                ],
            )
            total += len(chunk)
    return total


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# Order matters: districts need authorities, district health bodies need both.
_DATASETS: list[tuple[str, str, Callable[[Session, Path], int]]] = [
    ("authorities", "authorities.csv", _load_authorities),
    ("health_bodies", "health_bodies.csv", _load_health_bodies),
    ("districts", "districts.csv", _load_districts),
    ("district_health_bodies", "district_health_bodies.csv", _load_district_health_bodies),
    ("successions", "successions.csv", _load_successions),
    ("adjoining_authorities", "adjoining_authorities.csv", _load_adjoining),
    ("bank_holidays", "bank_holidays.csv", _load_bank_holidays),
    ("postcodes", "postcodes.csv.xz", _load_postcodes),
]


# --- ONS Postcode Directory ----------------------------------------------------------------

# Column names changed in the Nov 2025 release (oslaua → lad25cd, icb → icb23cd, ...), and
# the year in them changes with each vintage, so columns are found by pattern.
_COLUMNS = {
    "postcode": re.compile(r"pcds|pcd|pcd7|pcd8"),
    "district": re.compile(r"oslaua|lad\d\dcd"),
    "icb": re.compile(r"icb|icb\d\dcd"),
    "terminated": re.compile(r"doterm"),
    "lat": re.compile(r"lat"),
    "lon": re.compile(r"long"),
    "easting": re.compile(r"oseast1m|east1m"),
    "northing": re.compile(r"osnrth1m|north1m"),
}
_POSTCODE_PREFERENCE = ("pcds", "pcd8", "pcd7", "pcd")


class OnspdError(ValueError):
    """A file that is not an ONS Postcode Directory we can read."""


@dataclass(frozen=True)
class OnspdDiff:
    """How an ONSPD's codes differ from ours (on the day of the import)."""

    new_health_bodies: tuple[str, ...]  # ICB codes we do not know
    new_districts: tuple[str, ...]  # district codes we do not know
    ended_health_bodies: tuple[str, ...]  # ICBs we hold as current that the file never names
    changed_districts: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # ours, theirs

    @property
    def unknown(self) -> bool:
        return bool(self.new_health_bodies or self.new_districts)

    def lines(self) -> list[str]:
        out = [f"new ICB code: {c}" for c in self.new_health_bodies]
        out += [f"new district code: {c}" for c in self.new_districts]
        out += [f"ended (not in the file): {c}" for c in self.ended_health_bodies]
        out += [
            f"changed: district {d} is in {', '.join(theirs)} (we hold {', '.join(ours) or 'none'})"
            for d, ours, theirs in self.changed_districts
        ]
        return out


class OnspdRefused(OnspdError):
    """An ONSPD naming codes we do not know: nothing imported until an administrator applies it."""

    def __init__(self, diff: OnspdDiff) -> None:
        super().__init__(
            "This ONS Postcode Directory names codes we do not know; check them and import "
            "again with --apply:\n  " + "\n  ".join(diff.lines())
        )
        self.diff = diff


def import_onspd(
    session: Session,
    path: str | Path,
    progress: Progress = _no_progress,
    *,
    apply: bool = False,
    today: date | None = None,
) -> dict[str, int]:
    """Replace postcodes from a full ONSPD CSV (or its zip): live ones upserted, terminated removed.

    A file naming an ICB or district code we do not know raises OnspdRefused with the diff
    (the caller rolls back) unless `apply`: then new ICB codes become health bodies from
    `today`, for an administrator to name and address in the directory.
    progress(n) is called with the number of bytes read since its last call.
    """
    today = today or today_uk()
    counts = dict.fromkeys(
        (
            "live",
            "terminated",
            "removed",
            "no_coordinates",
            "no_district",
            "unknown_district",
            "invalid",
        ),
        0,
    )
    forget_index(session)
    known = set(session.scalars(select(District.code)))
    digest = hashlib.sha256()
    with _open_onspd(Path(path), digest, progress) as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise OnspdError(f"{path} is empty")
        at = _find_columns(header)
        live: list[dict[str, Any]] = []
        ended: list[str] = []
        seen: dict[str, set[str]] = {}  # district → the ICBs its postcodes name
        for row in reader:
            if len(row) < len(header):
                counts["invalid"] += 1
                continue
            try:
                postcode = normalise_postcode(row[at["postcode"]])
            except PostcodeError:
                counts["invalid"] += 1
                continue
            if row[at["terminated"]].strip():
                counts["terminated"] += 1
                ended.append(postcode)
            else:
                counts["live"] += 1
                point = _onspd_postcode(postcode, row, at, known, counts)
                live.append(point)
                if point["district_code"]:
                    icbs = seen.setdefault(point["district_code"], set())
                    if point["health_body_code"]:
                        icbs.add(point["health_body_code"])
            if len(live) >= ONSPD_CHUNK:
                _upsert(session, live)
                live = []
            if len(ended) >= ONSPD_CHUNK:
                counts["removed"] += _remove(session, ended)
                ended = []
        _upsert(session, live)
        counts["removed"] += _remove(session, ended)
    diff = _diff(session, seen, today)
    if diff.unknown and not apply:
        raise OnspdRefused(diff)
    for code in diff.new_health_bodies:
        session.add(
            HealthBody(
                code=code,
                name=f"Integrated Care Board {code} (from the ONSPD: name it in the directory)",
                kind="icb",
                organisation=code,
                valid_from=today,
            )
        )
    forget_index(session)
    version = session.get(ReferenceVersion, "postcodes")
    checksum = ONSPD_MARK + digest.hexdigest()[: 64 - len(ONSPD_MARK)]
    if version is None:
        session.add(ReferenceVersion(name="postcodes", checksum=checksum, rows=counts["live"]))
    else:
        version.checksum, version.rows = checksum, counts["live"]
    session.flush()
    return counts


def _diff(session: Session, seen: dict[str, set[str]], today: date) -> OnspdDiff:
    bodies = {
        code: valid_to
        for code, valid_to in session.execute(
            select(HealthBody.code, HealthBody.valid_to).where(HealthBody.kind == "icb")
        )
    }
    named = set().union(*seen.values()) if seen else set()
    districts = set(session.scalars(select(District.code)))
    index = geography_index(session)
    changed = []
    for district, theirs in sorted(seen.items()):
        area = index.district_area(district, today) if district in districts else None
        if area is None or not theirs or area.nation != "england":
            continue
        ours = {hb.code for hb in area.health_bodies}
        if theirs - ours:
            changed.append((district, tuple(sorted(ours)), tuple(sorted(theirs))))
    current = {c for c, valid_to in bodies.items() if valid_to is None or valid_to >= today}
    return OnspdDiff(
        new_health_bodies=tuple(sorted(named - set(bodies))),
        new_districts=tuple(
            sorted(d for d in seen if d not in districts and not d.startswith("N09"))
        ),
        # only a file covering England can say an ICB is gone
        ended_health_bodies=tuple(sorted(current - named)) if len(named) > 20 else (),
        changed_districts=tuple(changed),
    )


def _find_columns(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    at: dict[str, int] = {}
    for column, pattern in _COLUMNS.items():
        matches = [i for i, n in enumerate(names) if pattern.fullmatch(n)]
        if column == "postcode":
            matches.sort(key=lambda i: _POSTCODE_PREFERENCE.index(names[i]))
        if not matches:
            raise OnspdError(
                f"This is not an ONS Postcode Directory file: no {column} column "
                f"(looked for {pattern.pattern})"
            )
        at[column] = matches[0]
    return at


def _code(value: str) -> str | None:
    value = value.strip()
    # ONSPD writes pseudo-codes such as E99999999 or L99999999 where a geography is absent
    return None if not value or value.endswith("99999999") else value


def _onspd_postcode(
    postcode: str, row: list[str], at: dict[str, int], known: set[str], counts: dict[str, int]
) -> dict[str, Any]:
    district = _code(row[at["district"]])
    if district is None:
        counts["no_district"] += 1
    elif district not in known and not district.startswith("N09"):
        counts["unknown_district"] += 1
    lat, lon = _coordinate(row[at["lat"]]), _coordinate(row[at["lon"]])
    if lat is None or lon is None:
        counts["no_coordinates"] += 1
        lat = lon = None
    icb = _code(row[at["icb"]])
    easting, northing = _metres(row[at["easting"]]), _metres(row[at["northing"]])
    return {
        "postcode": postcode,
        "district_code": district,
        "health_body_code": icb if icb and icb.startswith("E54") else None,
        "lat": lat,
        "lon": lon,
        "easting": easting if northing is not None else None,
        "northing": northing if easting is not None else None,
    }


def _metres(value: str) -> int | None:
    try:
        return round(float(value))
    except ValueError:
        return None


def _coordinate(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return None if abs(number - NO_COORDINATE) < 1e-9 else number


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    # The same postcode may appear twice in one chunk only in a malformed file; last one wins.
    by_code = {r["postcode"]: r for r in rows}
    connection = session.connection()
    connection.execute(delete(POSTCODES).where(POSTCODES.c.postcode.in_(list(by_code))))
    connection.execute(insert(POSTCODES), list(by_code.values()))


def _remove(session: Session, postcodes: list[str]) -> int:
    if not postcodes:
        return 0
    result = session.execute(delete(Postcode).where(Postcode.postcode.in_(postcodes)))
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


class _Counting(io.RawIOBase):
    """A byte stream that hashes what passes and reports how much."""

    def __init__(self, raw: IO[bytes], digest: Any, progress: Progress) -> None:
        self._raw, self._digest, self._progress = raw, digest, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._digest.update(memoryview(buffer)[:n])
            self._progress(n)
        return n or 0


@contextmanager
def _open_onspd(path: Path, digest: Any, progress: Progress) -> Iterator[IO[str]]:
    if not path.is_file():
        raise OnspdError(f"{path} does not exist")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            # the directory's zip holds documents and user guides too: take the biggest CSV
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if not members:
                raise OnspdError(f"{path} holds no CSV file")
            member = max(members, key=lambda m: m.file_size)
            with archive.open(member) as raw:
                yield _text(raw, digest, progress)
    else:
        with open(path, "rb") as raw:
            yield _text(raw, digest, progress)


def _text(raw: IO[bytes], digest: Any, progress: Progress) -> IO[str]:
    buffered = io.BufferedReader(_Counting(raw, digest, progress), buffer_size=1 << 20)
    return io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")


def onspd_size(path: str | Path) -> int:
    """The number of bytes import_onspd will read from path (for a progress bar)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            sizes = [m.file_size for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            return max(sizes, default=0)
    return path.stat().st_size
