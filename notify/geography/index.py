"""An in-process index of the geography: postcode → district → authority and health bodies,
as at a day.

Pure: it is built from plain rows (`GeographyRows`) and a function that fetches the postcodes
of one outward code, so it imports neither Flask nor the session. store.py feeds it from the
database. What a district resolves to is worked out once per period in which nothing about
it changes (a reorganisation loaded ahead starts a new period on its day); a postcode is then
a dict lookup and a date comparison.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from notify.geography.postcode import PostcodeError, normalise_postcode

NORTHERN_IRELAND_DISTRICT = "N09"
FIRST_DAY, LAST_DAY = date.min, date.max


class HealthBodyShare(NamedTuple):
    """A health body covering a postcode's district, with the share of the district in it."""

    code: str
    name: str
    share: float


class Point(NamedTuple):
    """One postcode's own facts: its district, its own ICB (from a full ONSPD), its centroid
    and OS grid reference."""

    district_code: str | None
    own_health_body: str | None
    lat: float | None
    lon: float | None
    easting: int | None
    northing: int | None


@dataclass(frozen=True, slots=True)
class Area:
    """What a district resolves to on the days of one period."""

    district_code: str
    district_name: str | None
    authority_code: str | None  # None only in Northern Ireland
    authority_name: str | None
    nation: str  # england | wales | scotland | northern_ireland
    health_bodies: tuple[HealthBodyShare, ...]  # largest share first
    health_body_code: str | None  # None when split: a person must choose
    split: bool


@dataclass(frozen=True, slots=True)
class Location:
    """Where a postcode is on a day: its centroid, grid reference, district, authority and
    health bodies."""

    postcode: str
    point: Point
    area: Area

    @property
    def lat(self) -> float | None:
        return self.point.lat

    @property
    def lon(self) -> float | None:
        return self.point.lon

    @property
    def easting(self) -> int | None:
        return self.point.easting

    @property
    def northing(self) -> int | None:
        return self.point.northing

    @property
    def district_code(self) -> str:
        return self.area.district_code

    @property
    def district_name(self) -> str | None:
        return self.area.district_name

    @property
    def authority_code(self) -> str | None:
        return self.area.authority_code

    @property
    def authority_name(self) -> str | None:
        return self.area.authority_name

    @property
    def nation(self) -> str:
        return self.area.nation

    @property
    def health_bodies(self) -> tuple[HealthBodyShare, ...]:
        return self.area.health_bodies

    @property
    def health_body_code(self) -> str | None:
        return self.area.health_body_code

    @property
    def split(self) -> bool:
        return self.area.split


# --- the rows the index is built from ------------------------------------------------------


class Body(NamedTuple):
    code: str
    name: str
    nation: str  # for a health body: the nation it serves
    valid_from: date | None
    valid_to: date | None


class Link(NamedTuple):
    """A dated row: a district's authority, or one of its health body shares."""

    district_code: str
    code: str
    share: float
    valid_from: date | None
    valid_to: date | None


class Successor(NamedTuple):
    from_code: str
    to_code: str
    effective: date
    kind: str  # whole | part | recode


@dataclass(frozen=True)
class GeographyRows:
    district_names: Mapping[str, str]
    authorities: Iterable[Body]
    health_bodies: Iterable[Body]
    district_authorities: Iterable[Link]
    district_health_bodies: Iterable[Link]
    successions: Iterable[Successor]


def _valid(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


def _boundaries(valid_from: date | None, valid_to: date | None) -> list[date]:
    days = [valid_from] if valid_from else []
    if valid_to and valid_to < LAST_DAY:
        days.append(valid_to + timedelta(days=1))
    return days


class GeographyIndex:
    """Resolve postcodes as at a day, from memory."""

    def __init__(
        self, rows: GeographyRows, fetch_sector: Callable[[str], Iterable[tuple[str, Point]]]
    ) -> None:
        """fetch_sector("WR1 2") gives every live postcode of that sector with its Point."""
        self._fetch_sector = fetch_sector
        self._district_names = dict(rows.district_names)
        self._authorities = {b.code: b for b in rows.authorities}
        self._bodies = {b.code: b for b in rows.health_bodies}
        self._authority_links: dict[str, list[Link]] = {}
        for link in rows.district_authorities:
            self._authority_links.setdefault(link.district_code, []).append(link)
        self._body_links: dict[str, list[Link]] = {}
        for link in rows.district_health_bodies:
            self._body_links.setdefault(link.district_code, []).append(link)
        self._successors: dict[str, list[Successor]] = {}
        for s in rows.successions:
            self._successors.setdefault(s.from_code, []).append(s)
        self._packed: dict[str, int] = {}  # postcode → its Point, packed (_pack)
        self._sectors: set[str] = set()
        self._districts: dict[str | None, int] = {None: 0}  # district and ICB codes, numbered
        self._codes: list[str | None] = [None]
        # (district, own ICB) → [(first day, last day, Area)], worked out on first use
        self._periods: dict[tuple[str, str | None], list[tuple[date, date, Area]]] = {}
        # postcode → (first day, last day, Location): the answer while the period lasts
        self._located: dict[str, tuple[date, date, Location]] = {}

    # --- lookups ---------------------------------------------------------------------------

    def resolve(self, postcode: str, on: date) -> Location:
        """The postcode (normalised or as a person typed it) as at `on`, or PostcodeError."""
        hit = self._located.get(postcode)
        if hit is not None and hit[0] <= on <= hit[1]:
            return hit[2]
        return self._resolve_slowly(postcode, on)

    def point(self, postcode: str) -> Point | None:
        """A normalised postcode's own facts, or None when it is not a live postcode."""
        packed = self._packed.get(postcode)
        if packed is None:
            sector = postcode[:-2]
            if sector in self._sectors:
                return None
            self._load_sector(sector)
            packed = self._packed.get(postcode)
            if packed is None:
                return None
        return self._unpack(packed)

    def health_body(self, code: str) -> Body | None:
        return self._bodies.get(code)

    def authority(self, code: str) -> Body | None:
        return self._authorities.get(code)

    def body_ended(self, code: str, on: date) -> bool:
        """True when the health body or authority no longer exists on `on`."""
        body = self._bodies.get(code) or self._authorities.get(code)
        if body is not None and body.valid_to is not None and body.valid_to < on:
            return True
        return any(s.effective <= on for s in self._successors.get(code, ()))

    def successors(self, code: str, on: date) -> list[Successor]:
        """The successions out of a body that have taken effect by `on`."""
        return [s for s in self._successors.get(code, ()) if s.effective <= on]

    def district_area(self, district_code: str, on: date) -> Area | None:
        """What a district resolves to on `on` (None for a district we do not know)."""
        if district_code not in self._authority_links and not district_code.startswith(
            NORTHERN_IRELAND_DISTRICT
        ):
            return None
        return self._area((district_code, None), on)

    # --- the slow path ---------------------------------------------------------------------

    def _resolve_slowly(self, text: str, on: date) -> Location:
        postcode = normalise_postcode(text)
        point = self.point(postcode)
        if point is None:
            raise PostcodeError(f"{postcode} is not a live postcode: check it against the address")
        district = point.district_code
        if district is None or (
            district not in self._authority_links
            and not district.startswith(NORTHERN_IRELAND_DISTRICT)
        ):
            raise PostcodeError(
                f"{postcode} is not linked to a local authority (it may be a PO box or a "
                "large-user postcode): enter the postcode of the address itself"
            )
        own = point.own_health_body if point.own_health_body in self._bodies else None
        key = (district, own)
        periods = self._periods.get(key)
        if periods is None:
            periods = self._periods[key] = self._work_out_periods(district, own)
        for first, last, area in periods:
            if first <= on <= last:
                location = Location(postcode, point, area)
                self._located[postcode] = (first, last, location)
                return location
        raise AssertionError("the periods cover every day")  # pragma: no cover

    def _load_sector(self, sector: str) -> None:
        self._sectors.add(sector)
        for code, point in self._fetch_sector(sector):
            self._packed[code] = self._pack(point)

    def _number(self, code: str | None) -> int:
        number = self._districts.get(code)
        if number is None:
            number = self._districts[code] = len(self._codes)
            self._codes.append(code)
        return number

    # Point → int: 11 bits each for the district and own ICB (numbered as met), then grid
    # reference and centroid in metres and 1e-6 degrees, each offset to be positive, and a
    # bit for each saying it is present.
    _FIELDS = (  # (offset, bits)
        (0, 11),
        (0, 11),
        (100_000_000, 28),  # lat × 1e6 (ONSPD gives six places)
        (200_000_000, 29),  # lon × 1e6
        (1_000_000, 22),  # easting
        (1_000_000, 22),  # northing
    )

    def _pack(self, point: Point) -> int:
        lat = None if point.lat is None else round(point.lat * 1_000_000)
        lon = None if point.lon is None else round(point.lon * 1_000_000)
        values = (
            self._number(point.district_code),
            self._number(point.own_health_body),
            lat,
            lon,
            point.easting,
            point.northing,
        )
        packed = 0
        for (offset, bits), value in zip(self._FIELDS, values, strict=True):
            packed = (packed << (bits + 1)) | (0 if value is None else (1 << bits) | value + offset)
        return packed

    def _unpack(self, packed: int) -> Point:
        values: list[int | None] = []
        for offset, bits in reversed(self._FIELDS):
            field = packed & ((1 << (bits + 1)) - 1)
            packed >>= bits + 1
            values.append(None if not field >> bits else (field & ((1 << bits) - 1)) - offset)
        northing, easting, lon, lat, own, district = values
        return Point(
            self._codes[district or 0],
            self._codes[own or 0],
            None if lat is None else lat / 1_000_000,
            None if lon is None else lon / 1_000_000,
            easting,
            northing,
        )

    def _area(self, key: tuple[str, str | None], on: date) -> Area:
        periods = self._periods.get(key)
        if periods is None:
            periods = self._periods[key] = self._work_out_periods(*key)
        for first, last, area in periods:
            if first <= on <= last:
                return area
        raise AssertionError("the periods cover every day")  # pragma: no cover

    def _work_out_periods(self, district: str, own: str | None) -> list[tuple[date, date, Area]]:
        days = {FIRST_DAY}
        links = self._authority_links.get(district, []) + self._body_links.get(district, [])
        codes = {link.code for link in links} | ({own} if own else set())
        for link in links:
            days.update(_boundaries(link.valid_from, link.valid_to))
        seen: set[str] = set()
        while codes:
            code = codes.pop()
            if code in seen:
                continue
            seen.add(code)
            body = self._bodies.get(code) or self._authorities.get(code)
            if body is not None:
                days.update(_boundaries(body.valid_from, body.valid_to))
            for s in self._successors.get(code, ()):
                days.add(s.effective)
                codes.add(s.to_code)
        starts = sorted(days)
        ends = [d - timedelta(days=1) for d in starts[1:]] + [LAST_DAY]
        periods: list[tuple[date, date, Area]] = []
        for first, last in zip(starts, ends, strict=True):
            area = self._area_on(district, own, first)
            if periods and periods[-1][2] == area:
                periods[-1] = (periods[-1][0], last, area)
            else:
                periods.append((first, last, area))
        return periods

    def _area_on(self, district: str, own: str | None, on: date) -> Area:
        name = self._district_names.get(district)
        if district.startswith(NORTHERN_IRELAND_DISTRICT):
            return Area(district, name, None, None, "northern_ireland", (), None, False)
        links = _latest(self._authority_links.get(district, []), on)
        authority = self._current_authority(links, on)
        shares: dict[str, float] = {}
        for link in _latest(self._body_links.get(district, []), on):
            for code, share in self._current_bodies(link.code, link.share, on, district):
                shares[code] = shares.get(code, 0.0) + share
        if own is not None:
            # a full ONSPD gives the postcode's own ICB: no need to choose, unless it has
            # since been split, when the district's shares among its successors decide
            mine = dict(self._current_bodies(own, 1.0, on, district))
            if len(mine) == 1:
                shares = mine
            else:
                within = {c: s for c, s in shares.items() if c in mine}
                shares = within or shares
        ranked = tuple(
            sorted(
                (HealthBodyShare(c, self._bodies[c].name, round(s, 4)) for c, s in shares.items()),
                key=lambda hb: (-hb.share, hb.code),
            )
        )
        a = self._authorities.get(authority) if authority else None
        return Area(
            district_code=district,
            district_name=name,
            authority_code=authority,
            authority_name=a.name if a else None,
            nation=a.nation if a else "england",
            health_bodies=ranked,
            health_body_code=ranked[0].code if len(ranked) == 1 else None,
            split=len(ranked) > 1,
        )

    def _current_authority(self, links: list[Link], on: date) -> str | None:
        if not links:
            return None
        code = links[0].code
        # a whole succession or a recode carries the district with it; a split county's
        # districts are moved by their own links from the day it ends
        for _ in range(10):
            moved = [s for s in self.successors(code, on) if s.kind != "part"]
            if len(moved) != 1:
                break
            code = moved[0].to_code
        return code

    def _current_bodies(
        self, code: str, share: float, on: date, district: str
    ) -> list[tuple[str, float]]:
        """A health body's share carried to the bodies that exist on `on`."""
        successors = self.successors(code, on)
        if not successors:
            return [(code, share)] if code in self._bodies else []
        if len(successors) == 1 or all(s.kind != "part" for s in successors):
            return [
                pair
                for s in successors[:1]
                for pair in self._current_bodies(s.to_code, share, on, district)
            ]
        # split: the district's own shares among the successors, where it has them
        latest = {link.code for link in _latest(self._body_links.get(district, []), on)}
        named = [s for s in successors if s.to_code in latest] or successors
        part = share / len(named)
        return [pair for s in named for pair in self._current_bodies(s.to_code, part, on, district)]


def _latest(links: list[Link], on: date) -> list[Link]:
    """The links valid on `on` that started last (the newest set supersedes older ones)."""
    valid = [link for link in links if _valid(link.valid_from, link.valid_to, on)]
    if not valid:
        return []
    start = max(link.valid_from or FIRST_DAY for link in valid)
    return [link for link in valid if (link.valid_from or FIRST_DAY) == start]
