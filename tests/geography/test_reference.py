"""Loading seeds/ and importing a full ONS Postcode Directory.

fixtures/onspd_old_columns.csv: 207 rows of /work/shared/data/onspd_sample.csv (the
postcodes.io test seed, old-style column names, Aberdeen plus SE1, M1 and JE2 rows).
fixtures/onspd_new_columns.csv and onspd_2026_columns.csv: written here in the column names
ONS uses from November 2025 (lad25cd, icb23cd...) and in later ones (icb26cd).
"""

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.reference import (
    AdjoiningAuthority,
    Authority,
    BankHoliday,
    District,
    DistrictHealthBody,
    HealthBody,
    Postcode,
    ReferenceVersion,
)
from notify.geography.reference import (
    OnspdError,
    OnspdRefused,
    import_onspd,
    load_reference,
    onspd_size,
)
from notify.geography.store import resolve_postcode

from .conftest import FIXTURES, SEEDS

OLD = FIXTURES / "onspd_old_columns.csv"
NEW = FIXTURES / "onspd_new_columns.csv"
NEWER = FIXTURES / "onspd_2026_columns.csv"
BEFORE, ON = date(2026, 3, 31), date(2026, 4, 1)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def table_counts(session: Session) -> dict[str, int]:
    models = (
        Authority,
        HealthBody,
        District,
        DistrictHealthBody,
        AdjoiningAuthority,
        BankHoliday,
        Postcode,
    )
    return {model.__name__: count(session, model) for model in models}


def test_loading_the_seeds_fills_every_reference_table(
    fresh_session: Session, small_seeds: Path
) -> None:
    pairs = len((small_seeds / "adjoining_authorities.csv").read_text().splitlines()) - 1
    loaded = load_reference(fresh_session, small_seeds)
    assert {k: v for k, v in loaded.items() if k != "postcodes"} == {
        "authorities": 207,
        "health_bodies": 70,  # 42 ICBs of 2024 (13 ended) + 7 of 2026, 7 LHBs, 14 HBs
        "districts": 400,
        "district_health_bodies": 568,  # changed districts have a 2024 and a 2026 set
        "successions": 17,  # the April 2026 ICB successions (SOURCES.md §3a)
        "adjoining_authorities": pairs,
        "bank_holidays": 297,
    }
    assert loaded["postcodes"] == count(fresh_session, Postcode) > 1000
    assert count(fresh_session, AdjoiningAuthority) == 2 * pairs  # stored both ways
    kinds = dict(
        fresh_session.execute(select(Authority.kind, func.count()).group_by(Authority.kind)).all()
    )
    assert kinds == {
        "county": 21,
        "unitary": 63,
        "metropolitan_district": 36,
        "london_borough": 32,
        "city_of_london": 1,
        "welsh_council": 22,
        "scottish_council": 32,
    }
    scilly = fresh_session.get(Authority, "E06000053")
    assert (scilly.kind, scilly.dfe_la_number, scilly.region) == ("unitary", "420", "South West")
    bodies = dict(
        fresh_session.execute(select(HealthBody.kind, func.count()).group_by(HealthBody.kind)).all()
    )
    assert bodies == {"icb": 49, "lhb": 7, "hb": 14}
    current_icbs = fresh_session.scalar(
        select(func.count())
        .select_from(HealthBody)
        .where(HealthBody.kind == "icb", HealthBody.valid_to.is_(None))
    )
    assert current_icbs == 36  # DOMAIN.md §7: 36 ICBs since 1 April 2026
    hiow_before, hiow_now = (fresh_session.get(HealthBody, c) for c in ("E54000042", "E54000067"))
    # one organisation under two ONS codes: it kept its ODS code
    assert (hiow_before.organisation, hiow_now.organisation) == ("QRL", "QRL")
    assert (hiow_before.valid_to, hiow_now.valid_from) == (date(2026, 3, 31), date(2026, 4, 1))
    assert not fresh_session.scalar(
        select(func.count())
        .select_from(HealthBody)
        .where(HealthBody.name != func.trim(HealthBody.name))
    )


def test_loading_the_same_seeds_again_changes_nothing(
    fresh_session: Session, small_seeds: Path
) -> None:
    load_reference(fresh_session, small_seeds)
    fresh_session.commit()
    before = table_counts(fresh_session)
    assert set(load_reference(fresh_session, small_seeds).values()) == {0}
    assert not fresh_session.dirty and not fresh_session.new
    assert table_counts(fresh_session) == before


def test_reloading_changed_seeds_keeps_what_an_administrator_set(
    fresh_session: Session, small_seeds: Path, tmp_path: Path
) -> None:
    load_reference(fresh_session, small_seeds)
    worcestershire = fresh_session.get(Authority, "E10000034")
    worcestershire.notification_email = "placements@worcestershire.example"
    worcestershire.secure_email = True
    worcestershire.api_endpoint = "https://notify.worcestershire.example/api/v1"
    fresh_session.get(HealthBody, "E54000019").notification_email = "lac.health@nhs.example"
    fresh_session.flush()

    changed = shutil.copytree(small_seeds, tmp_path / "seeds")
    text = (changed / "authorities.csv").read_text(encoding="utf-8")
    (changed / "authorities.csv").write_text(
        text.replace(",Worcestershire,county,", ",Worcestershire County,county,"), encoding="utf-8"
    )
    loaded = load_reference(fresh_session, changed)

    assert loaded["authorities"] == 207 and loaded["health_bodies"] == 0
    assert (
        worcestershire.name,
        worcestershire.notification_email,
        worcestershire.secure_email,
        worcestershire.api_endpoint,
    ) == (
        "Worcestershire County",
        "placements@worcestershire.example",
        True,
        "https://notify.worcestershire.example/api/v1",
    )
    assert fresh_session.get(HealthBody, "E54000019").notification_email == "lac.health@nhs.example"


def test_a_missing_seeds_file_is_named(fresh_session: Session, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="authorities.csv"):
        load_reference(fresh_session, tmp_path)


def test_the_shipped_seeds_are_already_loaded_in_the_small_database(
    geo_session: Session, small_seeds: Path
) -> None:
    versions = dict(geo_session.execute(select(ReferenceVersion.name, ReferenceVersion.rows)).all())
    assert versions["authorities"] == 207
    assert set(load_reference(geo_session, small_seeds).values()) == {0}


# --- ONSPD ---------------------------------------------------------------------------------


def test_import_onspd_reads_the_old_column_names(geo_session: Session) -> None:
    geo_session.add(Postcode(postcode="AB1 0AA", district_code="S12000033", lat=57.1, lon=-2.2))
    geo_session.flush()
    counts = import_onspd(geo_session, OLD)
    assert counts == {
        "live": 105,
        "terminated": 102,
        "removed": 1,
        "no_coordinates": 1,
        "no_district": 1,
        "unknown_district": 0,
        "invalid": 0,
    }
    assert geo_session.get(Postcode, "AB1 0AA") is None  # terminated in 1996
    jersey = geo_session.get(Postcode, "JE2 4WD")
    assert (jersey.district_code, jersey.lat, jersey.lon) == (None, None, None)
    se1 = resolve_postcode(geo_session, "SE1 2DL")
    assert (se1.authority_code, se1.health_body_code, se1.lat, se1.lon) == (
        "E09000028",
        "E54000030",
        51.498972,
        -0.071609,
    )
    manchester = geo_session.get(Postcode, "M1 1AD")
    assert (manchester.district_code, manchester.health_body_code) == ("E08000003", "E54000057")
    assert geo_session.get(Postcode, "AB10 1AB").health_body_code is None  # Scotland: no ICB


def test_import_onspd_reads_the_new_column_names(geo_session: Session) -> None:
    assert resolve_postcode(geo_session, "IP17 1AA", BEFORE).split
    assert geo_session.get(Postcode, "WR1 2AB") is not None
    counts = import_onspd(geo_session, NEW, apply=True)  # it names a new district
    assert counts == {
        "live": 6,
        "terminated": 2,
        "removed": 1,
        "no_coordinates": 1,
        "no_district": 1,
        "unknown_district": 1,
        "invalid": 1,
    }
    assert geo_session.get(Postcode, "WR1 2AB") is None
    # its own (2025) ICB settles the 2024 split; since 1 April 2026 that ICB's successor
    east_suffolk = resolve_postcode(geo_session, "IP17 1AA", BEFORE)
    assert (east_suffolk.split, east_suffolk.health_body_code) == (False, "E54000022")
    assert resolve_postcode(geo_session, "IP17 1AA", ON).health_body_code == "E54000068"
    cardiff = resolve_postcode(geo_session, "CF10 1AA")
    assert (cardiff.health_body_code, cardiff.lat) == ("W11000029", 51.4791)
    belfast = resolve_postcode(geo_session, "BT1 1AA")
    assert (belfast.nation, belfast.authority_code) == ("northern_ireland", None)
    worcester = geo_session.get(Postcode, "WR1 2AA")
    assert (worcester.lat, worcester.lon, worcester.health_body_code) == (
        52.183901,
        -2.221799,
        "E54000019",
    )


def test_import_onspd_finds_later_vintages_by_pattern(geo_session: Session) -> None:
    # a 2026 edition (icb26cd) gives IP17 1AA the ICB that exists since 1 April 2026
    assert import_onspd(geo_session, NEWER)["live"] == 1
    assert geo_session.get(Postcode, "IP17 1AA").health_body_code == "E54000068"
    assert resolve_postcode(geo_session, "IP17 1AA").health_body_code == "E54000068"


def test_an_onspd_naming_an_icb_we_do_not_know_is_refused_with_a_diff_then_applied(
    geo_session: Session, tmp_path: Path
) -> None:
    # an edition after a merger we have not loaded: IP17 1AA in a (made-up) E54000072
    later = tmp_path / "onspd_aug_2026.csv"
    later.write_text(NEWER.read_text().replace(",E54000068,", ",E54000072,"))
    with pytest.raises(OnspdRefused) as refused:
        import_onspd(geo_session, later)
    assert refused.value.diff.new_health_bodies == ("E54000072",)
    assert "new ICB code: E54000072" in str(refused.value)
    assert "changed: district E07000244 is in E54000072 (we hold E54000068)" in str(refused.value)

    counts = import_onspd(geo_session, later, apply=True)
    assert counts["live"] == 1
    body = geo_session.get(HealthBody, "E54000072")
    assert (body.kind, body.valid_from is not None) == ("icb", True)
    assert resolve_postcode(geo_session, "IP17 1AA").health_body_code == "E54000072"


def test_import_onspd_marks_postcodes_so_reloading_seeds_keeps_them(
    geo_session: Session, small_seeds: Path
) -> None:
    import_onspd(geo_session, NEW, apply=True)
    assert geo_session.get(ReferenceVersion, "postcodes").checksum.startswith("onspd:")
    assert load_reference(geo_session, small_seeds)["postcodes"] == 0
    assert geo_session.get(Postcode, "BT1 1AA") is not None
    assert load_reference(geo_session, small_seeds, replace_onspd=True)["postcodes"] > 1000
    assert geo_session.get(Postcode, "CF10 1AA").health_body_code is None  # the ONSPD's is gone


def test_import_onspd_reads_the_zip_ons_publishes_and_reports_progress(
    geo_session: Session, tmp_path: Path
) -> None:
    archive = tmp_path / "ONSPD_FEB_2026.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("Documents/readme.txt", "user guide")
        z.write(NEW, "Data/ONSPD_FEB_2026_UK.csv")
    seen: list[int] = []
    counts = import_onspd(geo_session, archive, progress=seen.append, apply=True)
    assert counts["live"] == 6
    assert sum(seen) == onspd_size(archive) == NEW.stat().st_size


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,email\nE10000034,a@b.example\n", "no postcode column"),
        ("pcds,doterm,oslaua,lat,long\nWR1 2AA,,E07000237,52.1,-2.2\n", "no icb column"),
        ("", "is empty"),
    ],
)
def test_import_onspd_refuses_a_file_that_is_not_one(
    geo_session: Session, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "not_onspd.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OnspdError, match=message):
        import_onspd(geo_session, path)


def test_every_shipped_postcode_lies_in_a_shipped_district() -> None:
    import csv
    import lzma

    with open(SEEDS / "districts.csv", newline="", encoding="utf-8") as handle:
        districts = {row["code"] for row in csv.DictReader(handle)}
    with lzma.open(SEEDS / "postcodes.csv.xz", "rt", encoding="ascii", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["postcode", "district", "lat", "lon", "easting", "northing"]
        rows = no_district = northern_ireland = 0
        for postcode, district, lat, lon, easting, northing in reader:
            rows += 1
            if postcode.startswith("BT"):
                northern_ireland += 1
                assert district.startswith("N09"), postcode
            elif not district:
                no_district += 1
            else:
                assert district in districts, postcode
            assert bool(lat) == bool(lon) == bool(easting) == bool(northing), postcode
    # Code-Point Open's 1,745,849 GB postcodes, and the ONSPD's Northern Ireland ones
    assert (rows - northern_ireland, no_district) == (1_745_849, 1_044)
    assert northern_ireland > 50_000


def test_no_district_is_linked_today_to_an_icb_that_has_ended() -> None:
    import csv

    with open(SEEDS / "health_bodies.csv", newline="", encoding="utf-8") as handle:
        ended = {r["code"] for r in csv.DictReader(handle) if r["valid_to"]}
    # the 12 abolished on 1 April 2026, and Hampshire and Isle of Wight's old code
    assert ended == {
        "E54000022", "E54000023", "E54000024", "E54000025", "E54000026", "E54000027",
        "E54000028", "E54000034", "E54000042", "E54000044", "E54000056", "E54000063",
        "E54000064",
    }  # fmt: skip
    with open(SEEDS / "district_health_bodies.csv", newline="", encoding="utf-8") as handle:
        today = [r for r in csv.DictReader(handle) if not r["valid_to"]]
    assert {r["health_body_code"] for r in today} & ended == set()
    with open(SEEDS / "districts.csv", newline="", encoding="utf-8") as handle:
        current = {r["code"] for r in csv.DictReader(handle) if r["status"] == "current"}
    split = {r["district_code"] for r in today if float(r["share"]) < 1} & current
    # SOURCES.md §3a: only six (current) districts now span two ICBs
    assert split == {
        "E06000060", "E06000063", "E06000064", "E06000065", "E07000177", "E07000180",
    }  # fmt: skip
