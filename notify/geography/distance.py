"""The SSDA903 placement fields: PL_LA, PL_LOCATION and PL_DISTANCE.

PL_DISTANCE is computed as the DfE computes it (DOMAIN.md §6): the straight line between
the two postcodes' OS grid references, sqrt(dE² + dN²) / 1000 / 1.6093 miles, to one
decimal place; blank for UASC (and former UASC) and for short breaks (V3/V4).
"""

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

EARTH_RADIUS_MILES = 6371.0088 / 1.609344
METRES_PER_MILE = 1000 * 1.6093  # the DfE's own figure, not the international 1,609.344 m
SHORT_BREAKS = frozenset({"V3", "V4"})  # reg 48 short breaks: PL_DISTANCE blank

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
    @property
    def easting(self) -> int | None: ...
    @property
    def northing(self) -> int | None: ...


def grid_distance_miles(e1: float, n1: float, e2: float, n2: float) -> float:
    """PL_DISTANCE: miles between two OS grid references, one decimal place (the DfE way)."""
    return round(math.hypot(e2 - e1, n2 - n1) / METRES_PER_MILE, 1)


def pl_distance(
    home: Place, placement: Place, *, uasc: bool = False, placement_type: str | None = None
) -> float | None:
    """PL_DISTANCE, or None where the DfE leaves it blank (UASC, short breaks) or a
    postcode has no grid reference."""
    if uasc or placement_type in SHORT_BREAKS:
        return None
    points = (home.easting, home.northing, placement.easting, placement.northing)
    if None in points:
        return None
    return grid_distance_miles(*points)  # type: ignore[arg-type]


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle miles between two WGS84 points, to one decimal place (not PL_DISTANCE:
    for places without a grid reference)."""
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
    distance_miles: float | None  # PL_DISTANCE; None where blank
    out_of_area: bool
    adjoining: bool  # placed in an authority adjoining the responsible authority
    at_a_distance: bool  # out of area and not adjoining: needs the director (reg 11)

    @property
    def pl_location(self) -> str:
        return self.location


def placement_geography(
    home: Place,
    placement: Place,
    responsible_authority_code: str,
    adjoining_codes: Collection[str],
    *,
    uasc: bool = False,
    placement_type: str | None = None,
) -> PlacementGeography:
    """PL_LA, PL_LOCATION, PL_DISTANCE and the reg 11 class of a placement."""
    code = pl_la(placement.authority_code, placement.nation)
    location = pl_location(code, responsible_authority_code)
    out_of_area = location == "OUT"
    adjoining = out_of_area and placement.authority_code in adjoining_codes
    distance = pl_distance(home, placement, uasc=uasc, placement_type=placement_type)
    return PlacementGeography(
        pl_la=code,
        location=location,
        distance_miles=distance,
        out_of_area=out_of_area,
        adjoining=adjoining,
        at_a_distance=out_of_area and not adjoining,
    )
