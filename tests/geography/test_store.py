"""Resolution against the reference data in seeds/ (postcodes cut down: see conftest.py).

Expected health bodies are the law's: the April 2026 ICBs (SOURCES.md §3a; HCWS915, NHS
England's "Implementing integrated care board mergers ... April 2026"), as at a day.
"""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.reference import AdjoiningAuthority, Authority, Postcode
from notify.geography.postcode import PostcodeError
from notify.geography.store import adjoining, forget_index, placement_geography, resolve_postcode

WORCESTERSHIRE = "E10000034"
HEREFORDSHIRE = "E06000019"
BEFORE, ON = date(2026, 3, 31), date(2026, 4, 1)  # the last day of the 42 ICBs; the first of 36
NORFOLK_AND_SUFFOLK = "E54000068"  # established 1 April 2026 (Suffolk and North East Essex's
# Ipswich and East Suffolk and West Suffolk places, and Norfolk and Waveney)


@pytest.mark.parametrize(
    ("typed", "district", "authority", "nation", "health_body"),
    [
        ("wr12aa", "E07000237", WORCESTERSHIRE, "england", "E54000019"),  # Worcester: county
        ("HR1 1AA", "E06000019", HEREFORDSHIRE, "england", "E54000019"),  # unitary
        ("TR21 0AB", "E06000053", "E06000053", "england", "E54000036"),  # Isles of Scilly
        ("CF10 1AA", "W06000015", "W06000015", "wales", "W11000029"),  # Cardiff and Vale LHB
        ("AB10 1AB", "S12000033", "S12000033", "scotland", "S08000020"),  # NHS Grampian
        ("SE1P 5ZZ", "E09000028", "E09000028", "england", "E54000030"),  # PO box, Southwark
    ],
)
def test_resolve_postcode_finds_district_authority_and_health_body(
    geo_session: Session, typed, district, authority, nation, health_body
) -> None:
    location = resolve_postcode(geo_session, typed)
    assert (location.district_code, location.authority_code, location.nation) == (
        district,
        authority,
        nation,
    )
    assert location.health_body_code == health_body
    assert not location.split
    assert [hb.code for hb in location.health_bodies] == [health_body]
    assert location.lat is not None and location.lon is not None


def test_resolve_postcode_gives_the_children_services_authority_not_the_district(
    geo_session: Session,
) -> None:
    location = resolve_postcode(geo_session, "WR1 2AA")
    assert location.district_name == "Worcester"
    assert location.authority_name == "Worcestershire"
    assert (location.lat, location.lon) == (52.1839, -2.2218)


def test_east_suffolk_was_split_between_two_icbs_until_april_2026_and_is_one_now(
    geo_session: Session,
) -> None:
    # IP17 1AA (Saxmundham, East Suffolk): Suffolk and North East Essex or Norfolk and
    # Waveney until 31 March 2026; both became Norfolk and Suffolk on 1 April 2026
    before = resolve_postcode(geo_session, "IP17 1AA", BEFORE)
    assert before.split and before.health_body_code is None
    assert {hb.code for hb in before.health_bodies} == {"E54000023", "E54000022"}
    now = resolve_postcode(geo_session, "IP17 1AA", ON)
    assert (now.split, now.health_body_code) == (False, NORFOLK_AND_SUFFOLK)
    assert now.health_bodies[0].name == "NHS Norfolk and Suffolk Integrated Care Board"


def test_a_postcode_in_a_district_split_between_icbs_asks_a_person_to_choose(
    geo_session: Session,
) -> None:
    # Buckinghamshire is one of the six districts still split in 2026 (Thames Valley and a
    # sliver of Central East)
    location = resolve_postcode(geo_session, "HP20 1AA", ON)
    assert location.split and location.health_body_code is None
    assert [hb.code for hb in location.health_bodies] == ["E54000070", "E54000065"]
    assert all(hb.name.startswith("NHS ") for hb in location.health_bodies)


def test_a_postcode_carrying_its_own_icb_needs_no_choice(geo_session: Session) -> None:
    geo_session.get(Postcode, "HP20 1AA").health_body_code = "E54000065"
    geo_session.flush()
    forget_index(geo_session)
    location = resolve_postcode(geo_session, "hp20 1aa", ON)
    assert not location.split
    assert location.health_body_code == "E54000065"


def test_an_own_icb_that_has_since_ended_is_carried_to_its_successor(
    geo_session: Session,
) -> None:
    # an ONSPD of 2025 gives IP17 1AA its 2024 ICB; on 1 April 2026 it went, as a whole, to
    # Norfolk and Suffolk
    geo_session.get(Postcode, "IP17 1AA").health_body_code = "E54000022"
    geo_session.flush()
    forget_index(geo_session)
    assert resolve_postcode(geo_session, "IP17 1AA", BEFORE).health_body_code == "E54000022"
    assert resolve_postcode(geo_session, "IP17 1AA", ON).health_body_code == NORFOLK_AND_SUFFOLK


def test_an_own_icb_we_do_not_know_falls_back_to_the_district_shares(geo_session: Session) -> None:
    geo_session.get(Postcode, "HP20 1AA").health_body_code = "E54000099"  # not a body we know
    geo_session.flush()
    forget_index(geo_session)
    location = resolve_postcode(geo_session, "HP20 1AA", ON)
    assert location.split
    assert {hb.code for hb in location.health_bodies} == {"E54000070", "E54000065"}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("WR1 9ZZ", "WR1 9ZZ is not a live postcode: check it against the address"),
        ("not one", "Enter a real postcode, like WR1 2AB"),
        ("", "Enter a postcode, like WR1 2AB"),
        (
            "B29 6XE",
            "B29 6XE is not linked to a local authority (it may be a PO box or a "
            "large-user postcode): enter the postcode of the address itself",
        ),
    ],
)
def test_resolve_postcode_says_what_to_do_about_a_postcode_it_cannot_use(
    geo_session: Session, typed, message
) -> None:
    with pytest.raises(PostcodeError) as raised:
        resolve_postcode(geo_session, typed)
    assert raised.value.message == message


def test_a_northern_ireland_postcode_resolves_to_nir_without_an_authority(
    geo_session: Session,
) -> None:
    # Belfast, shipped from the ONSPD (November 2025) with its centroid
    location = resolve_postcode(geo_session, "bt11aa")
    assert (location.nation, location.authority_code, location.health_bodies) == (
        "northern_ireland",
        None,
        (),
    )
    assert (round(location.lat, 2), round(location.lon, 2)) == (54.60, -5.92)
    geography = placement_geography(
        resolve_postcode(geo_session, "WR1 2AA"), location, WORCESTERSHIRE, ()
    )
    assert (geography.pl_la, geography.location, geography.at_a_distance) == ("NIR", "OUT", True)


def test_worcester_to_hereford_is_an_adjoining_placement_about_22_miles_away(
    geo_session: Session,
) -> None:
    home = resolve_postcode(geo_session, "WR1 2AA")
    placed = resolve_postcode(geo_session, "HR1 1AA")
    geography = placement_geography(
        home, placed, WORCESTERSHIRE, adjoining(geo_session, WORCESTERSHIRE)
    )
    assert (geography.pl_la, geography.location, geography.adjoining, geography.at_a_distance) == (
        HEREFORDSHIRE,
        "OUT",
        True,
        False,
    )
    # grid references (ONSPD): WR1 2AA 384932 253984, HR1 1AA 351418 240501
    # sqrt(33514² + 13483²) = 36,124.5 m / 1,609.3 = 22.447 → 22.4
    assert geography.distance_miles == 22.4


# --- adjoining authorities, derived from postcode centroids (seeds/README.md) ---------------

NEIGHBOURS = {
    # Worcestershire: Bromsgrove meets Solihull at Wythall/Tidbury Green. Sandwell is not a
    # neighbour: Dudley and Birmingham lie between (one stray pair of centroids only).
    WORCESTERSHIRE: {
        HEREFORDSHIRE,
        "E06000051",
        "E10000028",
        "E08000027",
        "E08000025",
        "E10000031",
        "E10000013",
        "E08000029",
    },
    # council areas meet mid-channel: water boundaries adjoin (DOMAIN.md §2)
    "E06000052": {"E10000008", "E06000026"},  # Cornwall: Devon, and Plymouth across the Tamar
    "E06000046": set(),  # Isle of Wight: the Solent
    "E06000053": set(),  # Isles of Scilly
    "S12000023": set(),  # Orkney
    "S12000027": set(),  # Shetland
    "E08000015": {"E06000050", "E08000012"},  # Wirral: Cheshire West, Liverpool (the Mersey)
    "E06000010": {"E06000011", "E06000013"},  # Hull: East Riding, North Lincolnshire (Humber)
    "E06000034": {"E09000016", "E10000012", "E10000016"},  # Thurrock: Havering, Essex, Kent
}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("E06000052", "E06000026"),  # Cornwall–Plymouth (Tamar)
        ("E08000015", "E08000012"),  # Wirral–Liverpool (Mersey)
        ("E06000010", "E06000013"),  # Hull–North Lincolnshire (Humber)
        ("E06000034", "E10000016"),  # Thurrock–Kent (Thames)
        ("W06000001", "W06000002"),  # Anglesey–Gwynedd (Menai Strait)
        ("E08000012", "E06000006"),  # Liverpool–Halton (Speke–Hale, by land)
    ],
)
def test_water_boundaries_and_liverpool_halton_adjoin(geo_session: Session, a, b) -> None:
    assert b in adjoining(geo_session, a) and a in adjoining(geo_session, b)


@pytest.mark.parametrize("authority", sorted(NEIGHBOURS))
def test_adjoining_authorities_are_the_ones_sharing_a_land_boundary(
    geo_session: Session, authority: str
) -> None:
    assert adjoining(geo_session, authority) == NEIGHBOURS[authority]


def test_adjoining_is_symmetric_and_never_reflexive(geo_session: Session) -> None:
    pairs = {
        (a, b)
        for a, b in geo_session.execute(
            select(AdjoiningAuthority.authority_code, AdjoiningAuthority.neighbour_code)
        )
    }
    assert pairs == {(b, a) for a, b in pairs}
    assert not any(a == b for a, b in pairs)


def test_every_mainland_authority_has_a_neighbour(geo_session: Session) -> None:
    islands = {"E06000046", "E06000053", "S12000013", "S12000023", "S12000027"}
    codes = set(geo_session.scalars(select(Authority.code)))
    lonely = {c for c in codes - islands if not adjoining(geo_session, c)}
    assert lonely == set()
