"""SSDA903 code lists, by collection year."""

from datetime import date

import pytest

from notify import codes

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "year"),
    [
        ("2024-03-31", "2023-24"),
        ("2024-04-01", "2024-25"),
        ("2025-01-15", "2024-25"),
        ("2025-03-31", "2024-25"),
        ("2025-04-01", "2025-26"),
        ("2026-11-22", "2026-27"),
        ("1999-04-01", "1999-00"),
    ],
)
def test_collection_year_runs_from_1_april_to_31_march(day, year):
    assert codes.collection_year(D(day)) == year


@pytest.mark.parametrize(
    ("code", "day", "valid", "why"),
    [
        ("K3", "2024-03-31", False, "K3 is new in 2024-25"),
        ("K3", "2024-04-01", True, "K3 is new in 2024-25"),
        ("K3", "2025-06-01", True, "K3 stays in 2025-26"),
        ("H5", "2025-03-31", True, "H5 lasts until the end of 2024-25"),
        ("H5", "2025-04-01", False, "H5 is removed in 2025-26"),
        ("P2", "2025-03-31", True, "P2 lasts until the end of 2024-25"),
        ("P2", "2025-04-01", False, "P2 is removed in 2025-26"),
        ("Z1", "2025-03-31", True, "Z1 lasts until the end of 2024-25"),
        ("Z1", "2025-04-01", False, "Z1 is replaced by Z11-Z14 in 2025-26"),
        ("Z11", "2025-03-31", False, "Z11 is new in 2025-26"),
        ("Z11", "2025-04-01", True, "Z11 is new in 2025-26"),
        ("Z12", "2025-04-01", True, "Z12 is new in 2025-26"),
        ("Z13", "2025-04-01", True, "Z13 is new in 2025-26"),
        ("Z14", "2025-04-01", True, "Z14 is new in 2025-26"),
        ("Z15", "2025-04-01", False, "there is no Z15"),
        ("T0", "2025-04-01", True, "temporary moves are still recorded"),
        ("U1", "2023-04-01", True, "fostering codes run through every year"),
        ("U6", "2025-04-01", True, "fostering codes run through every year"),
        ("u1", "2025-04-01", False, "codes are upper case"),
        ("Z11", "2026-11-22", True, "a later year keeps the latest list"),
        ("H5", "2026-11-22", False, "a later year keeps the latest list"),
        ("H5", "2020-06-01", True, "an earlier year uses the first list"),
        ("K3", "2020-06-01", False, "an earlier year uses the first list"),
    ],
)
def test_placement_types_follow_the_collection_year(code, day, valid, why):
    assert codes.is_valid("PLACE", code, on=D(day)) is valid, why


def test_with_no_date_the_latest_list_applies():
    assert codes.is_valid("PLACE", "Z12")
    assert not codes.is_valid("PLACE", "H5")
    assert not codes.is_valid("PLACE", None)


def test_legal_statuses_are_the_thirteen_903_codes():
    assert set(codes.codes("LS")) == {
        *("C1", "C2", "D1", "E1", "J1", "J2", "J3"),
        *("L1", "L2", "L3", "V2", "V3", "V4"),
    }


def test_placement_providers_are_pr0_to_pr5():
    assert list(codes.codes("PLACE_PROVIDER")) == ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"]


def test_reasons_for_a_placement_change_are_the_twelve_903_codes():
    assert set(codes.codes("REASON_PLACE_CHANGE")) == {
        *("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB"),
        *("CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER"),
    }


@pytest.mark.parametrize(
    "code", ["E11", "E12", "E2", "E3", "E41", "E45", "E48", "E4A", "E4B", "E13", "E17", "X1"]
)
def test_reasons_an_episode_ceased_include(code):
    assert codes.is_valid("REC", code, on=D("2025-05-01"))


@pytest.mark.parametrize("list_name", codes.LIST_NAMES)
@pytest.mark.parametrize("year", codes.YEARS)
def test_every_code_in_every_year_has_a_description(list_name, year):
    first_day = date(int(year[:4]), 4, 1)
    entries = codes.codes(list_name, on=first_day)
    assert entries
    for code, description in entries.items():
        assert code == code.strip().upper()
        assert description.strip(), code


def test_describe_finds_a_retired_code_for_old_records():
    assert codes.describe("PLACE", "H5").startswith("Semi-independent living")
    assert codes.describe("PLACE", "K3") == "Registered supported accommodation"
    assert codes.describe("LS", "C2") == "Full care order"


def test_describe_refuses_a_code_no_year_holds():
    with pytest.raises(codes.UnknownCode):
        codes.describe("PLACE", "Q9")


def test_an_unknown_list_name_is_an_error():
    with pytest.raises(ValueError, match="no 903 code list named 'PLACEMENT'"):
        codes.is_valid("PLACEMENT", "U1")


def test_choices_list_the_codes_in_force_for_a_form():
    for_2024 = dict(codes.choices("PLACE", on=D("2024-10-01")))
    for_2025 = dict(codes.choices("PLACE", on=D("2025-10-01")))
    assert for_2024["K3"] == "K3: Registered supported accommodation"
    assert "H5" in for_2024 and "H5" not in for_2025
    assert {"Z11", "Z12", "Z13", "Z14"} <= set(for_2025)
    assert list(for_2025)[:4] == ["A3", "A4", "A5", "A6"]


def test_code_lists_cannot_be_changed_through_what_codes_returns():
    with pytest.raises(TypeError):
        codes.codes("LS")["C9"] = "made up"  # type: ignore[index]


@pytest.mark.parametrize(
    ("place", "connected"),
    [("U1", True), ("U2", True), ("U3", True), ("U4", False), ("K2", False), (None, False)],
)
def test_connected_person_placements_are_fostering_with_relatives_or_friends(place, connected):
    assert codes.is_connected_person_placement(place) is connected


@pytest.mark.parametrize(
    ("place", "provider", "own"),
    [
        ("U4", "PR1", True),
        ("U5", "PR1", True),
        ("U6", "PR1", True),
        ("U6", "PR2", False),
        ("U6", "PR4", False),
        ("U1", "PR1", False),
        ("K2", "PR1", False),
        ("U4", None, False),
    ],
)
def test_own_foster_carer_means_u4_to_u6_provided_by_us(place, provider, own):
    assert codes.is_own_foster_carer(place, provider) is own


@pytest.mark.parametrize(
    ("ons", "people"),
    [
        ("Herefordshire, County of", "Herefordshire"),
        ("Bristol, City of", "Bristol"),
        ("Kingston upon Hull, City of", "Kingston upon Hull"),
        ("City of London", "City of London"),  # already as people say it
        ("Worcestershire", "Worcestershire"),
    ],
)
def test_people_read_an_authoritys_name_as_they_say_it_not_as_ons_sorts_it(ons, people):
    from notify.labels import place_name

    assert place_name(ons) == people
