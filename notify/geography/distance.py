"""Straight-line distance between postcode centroids and the SSDA903 placement fields.

PL_DISTANCE is "straight-line miles between home and placement postcode centroids, one
decimal place" (DOMAIN.md §6). We use the haversine formula on WGS84 latitude/longitude
with the mean Earth radius (6,371.0088 km): a sphere rather than the ellipsoid, so a
distance may differ from an ellipsoidal or grid-reference one by up to about 0.5%, which
can move the first decimal place only for distances of tens of miles.
"""

import math
from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any, Protocol

EARTH_RADIUS_MILES = 6371.0088 / 1.609344

# PL_LA outside England (903 code list)
NATION_PL_LA = {"wales": "WAL", "scotland": "SCO", "northern_ireland": "NIR"}


class Place(Protocol):
    """Anything with a centroid, an authority and a nation (a resolved postcode)."""

    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...
    @property
    def authority_code(self) -> str | None: ...
    @property
    def nation(self) -> str: ...


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle miles between two WGS84 points, to one decimal place."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    miles = 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))
    return round(miles, 1)


def pl_la(authority_code: str | None, nation: str) -> str | None:
    """PL_LA: the upper-tier authority code in England; WAL, SCO or NIR outside it."""
    if nation in NATION_PL_LA:
        return NATION_PL_LA[nation]
    return authority_code


def pl_location(placement_pl_la: str | None, responsible_authority_code: str) -> str:
    """PL_LOCATION: IN when the placement's PL_LA is the responsible authority, else OUT."""
    return "IN" if placement_pl_la == responsible_authority_code else "OUT"


@dataclass(frozen=True)
class PlacementGeography:
    """The derived geography of a placement (DOMAIN.md §2 and §6)."""

    pl_la: str | None
    location: str  # PL_LOCATION: IN | OUT
    distance_miles: float | None  # None when either postcode has no centroid
    out_of_area: bool
    adjoining: bool  # placed in an authority adjoining the responsible authority
    at_a_distance: bool  # out of area and not adjoining: needs the director (reg 11)

    @property
    def pl_location(self) -> str:
        return self.location

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def placement_geography(
    home: Place,
    placement: Place,
    responsible_authority_code: str,
    adjoining_codes: Collection[str],
) -> PlacementGeography:
    """PL_LA, PL_LOCATION, distance and the reg 11 class of a placement."""
    code = pl_la(placement.authority_code, placement.nation)
    location = pl_location(code, responsible_authority_code)
    out_of_area = location == "OUT"
    adjoining = out_of_area and placement.authority_code in adjoining_codes
    distance = None
    if None not in (home.lat, home.lon, placement.lat, placement.lon):
        distance = distance_miles(home.lat, home.lon, placement.lat, placement.lon)  # type: ignore[arg-type]
    return PlacementGeography(
        pl_la=code,
        location=location,
        distance_miles=distance,
        out_of_area=out_of_area,
        adjoining=adjoining,
        at_a_distance=out_of_area and not adjoining,
    )
