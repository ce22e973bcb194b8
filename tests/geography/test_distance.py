from dataclasses import dataclass

import pytest

from notify.geography.distance import distance_miles, pl_la, pl_location, placement_geography

WORCESTERSHIRE = "E10000034"
HEREFORDSHIRE = "E06000019"
DEVON = "E10000008"
POWYS = "W06000023"


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


HOME = Place(WORCESTERSHIRE, lat=52.19, lon=-2.22)


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


def test_placement_geography_measures_home_to_placement() -> None:
    placement = Place(HEREFORDSHIRE, lat=53.19, lon=-2.22)
    assert placement_geography(HOME, placement, WORCESTERSHIRE, ()).distance_miles == 69.1


def test_placement_geography_has_no_distance_without_both_centroids() -> None:
    placement = Place(HEREFORDSHIRE, lat=None, lon=None)
    assert placement_geography(HOME, placement, WORCESTERSHIRE, ()).distance_miles is None
