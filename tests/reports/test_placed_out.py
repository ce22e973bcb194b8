"""The board report "Children placed out of area": figures counted by hand from the
children each test builds, as at any date; the page, the PDF, the CSV, JSON and command."""

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from notify.reports.outputs import to_csv
from notify.reports.placed_out import (
    ChildFact,
    HostedFact,
    NoticeFact,
    PlacementFact,
    build_report,
    quarter_ends,
)
from notify.reports.service import make_placed_out_report
from tests.support.builders import HOME, TODAY, create_child, create_placement
from tests.support.requests import expect_status, sign_in

ON = date(2026, 6, 30)
HEREFORDSHIRE, CORNWALL = "E06000019", "E06000052"


def _placement(place: str, provider: str, *, out: bool = True, adjoining: bool = False,
               host: str = CORNWALL, miles: float | None = 30.0, start: date = date(2026, 1, 1),
               end: date | None = None) -> PlacementFact:  # fmt: skip
    return PlacementFact(start, end, place, provider, out, adjoining and out,
                         host if out else HOME, miles)  # fmt: skip


def _child(placement: PlacementFact, *, sex: str = "F", born: date = date(2012, 7, 1),
           ethnicity: str = "WBRI", disability: bool = False,
           uasc: bool = False) -> ChildFact:  # fmt: skip
    return ChildFact(sex, born, ethnicity, disability, uasc, (placement,))


CHILDREN = [
    _child(_placement("U4", "PR1", adjoining=True, host=HEREFORDSHIRE, miles=8.0)),  # own carer
    _child(_placement("U1", "PR1", miles=15.0), sex="M", ethnicity="MWBC"),  # kinship
    _child(_placement("A6", "PR1", miles=60.0), born=date(2024, 1, 1)),  # adopters, age 2
    _child(_placement("P1", "PR0", adjoining=True, host=HEREFORDSHIRE, miles=None)),
    _child(_placement("K1", "PR2", miles=120.0), sex="M", born=date(2009, 1, 1)),  # secure
    _child(_placement("K2", "PR4", miles=45.0), disability=True, born=date(2009, 1, 1)),
    _child(
        _placement("U6", "PR4", miles=25.0),
        uasc=True,
        sex="M",
        ethnicity="BAFR",
        born=date(2009, 1, 1),
    ),  # fmt: skip
    _child(_placement("U4", "PR1", out=False, miles=3.0)),  # in our area
    _child(_placement("U4", "PR1", out=False, miles=3.0)),
    _child(_placement("U4", "PR1", out=False, miles=3.0, end=date(2026, 5, 1))),  # left care
]


def test_the_report_counts_the_board_measures_as_at_a_date() -> None:
    report = build_report(CHILDREN, [], [], ON, {CORNWALL: "Cornwall", HEREFORDSHIRE: "Hfd"})
    assert (report.looked_after, report.placed_out, report.percent_out) == (9, 7, 77.8)
    assert [(r.label, r.count) for r in report.sex] == [("Female", 4), ("Male", 3),
                                                       ("Not known", 0)]  # fmt: skip
    assert [r.count for r in report.age] == [0, 1, 0, 3, 3]  # 2024: aged 2; 2012: 13; 2009: 17
    assert report.white_british_percent == 71.4  # 5 of 7
    assert report.disabled is not None and report.disabled.count == 1
    assert report.uasc is not None and report.uasc.count == 1
    groups = {r.label: r.count for r in report.placement_groups}
    assert groups["Foster placements"] == 3 and groups["Placed for adoption"] == 1
    assert groups["Secure homes and children's homes"] == 2
    assert groups["Placed with parents or other person with parental responsibility"] == 1
    provision = {r.label: r.count for r in report.provision}
    assert provision["Our own provision"] == 3 and provision["Private or voluntary provision"] == 2
    assert provision["With our own foster carers"] == 1
    assert provision["With kinship carers (relatives or friends)"] == 1
    assert [(r.label, r.count) for r in report.adjoining] == [
        ("In an adjoining authority", 2), ("Further away", 5)]  # fmt: skip
    assert [(r.label, r.count) for r in report.top_hosts] == [("Cornwall", 5), ("Hfd", 2)]
    assert [r.count for r in report.distance] == [1, 1, 2, 2, 1]  # 8 | 15, 25 | 45 | 60, 120 | ?
    # specific circumstances: own carers 2 (one foster, one kinship), adopters 1, parents 1,
    # secure 1 -> 7 - 5 = 2 left, 2 of 9 looked after
    circumstances = [r.count for r in report.circumstances]
    assert circumstances == [2, 1, 1, 1, 1]
    assert (report.residual, report.residual_percent) == (2, 22.2)


def test_children_placed_here_by_others_and_by_how_many_authorities() -> None:
    hosted = [
        HostedFact("E10000024", date(2025, 1, 1), None),
        HostedFact("E10000024", date(2026, 1, 1), None),
        HostedFact("E08000025", date(2026, 2, 1), None),
        HostedFact("E08000025", date(2026, 2, 1), date(2026, 3, 1)),  # gone before the date
        HostedFact("E06000019", date(2026, 7, 1), None),  # not yet arrived
    ]
    report = build_report([], hosted, [], ON, {})
    assert (report.hosted, report.hosted_authorities) == (3, 2)


def test_notices_on_time_acknowledged_in_time_and_overdue_by_recipient() -> None:
    def notice(code: str, sent: date, send_by: date, acked: date | None) -> NoticeFact:
        return NoticeFact("authority", code, send_by, sent, sent + timedelta(days=7), acked)

    notices = [
        notice(CORNWALL, date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)),  # all good
        notice(CORNWALL, date(2026, 6, 5), date(2026, 6, 2), None),  # late and overdue
        notice(CORNWALL, date(2026, 6, 28), date(2026, 6, 30), None),  # not yet overdue
        notice(HEREFORDSHIRE, date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 20)),  # slow
        notice(HEREFORDSHIRE, date(2025, 5, 1), date(2025, 5, 2), None),  # over a year ago
    ]
    report = build_report([], [], notices, ON, {CORNWALL: "Cornwall", HEREFORDSHIRE: "Hfd"})
    rows = [(n.recipient, n.sent, n.on_time, n.acknowledged_in_time, n.overdue)
            for n in report.notices]  # fmt: skip
    # overdue: not acknowledged and past its acknowledge-by (a late acknowledgement is not)
    assert rows == [("Cornwall", 3, 2, 1, 1), ("Hfd", 1, 1, 0, 0)]


def test_the_board_report_csv_writes_a_formula_as_text() -> None:
    sent = NoticeFact("authority", CORNWALL, ON, ON, ON + timedelta(days=7), None)
    report = build_report([], [], [sent], ON, {CORNWALL: "=cmd|'/c calc'!A1"})

    rows = list(csv.reader(io.StringIO(to_csv(report))))

    assert ["Notices sent", "'=cmd|'/c calc'!A1", "1", ""] in rows


def test_the_trend_is_quarter_by_quarter() -> None:
    assert quarter_ends(date(2026, 5, 14), 4) == [
        date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31), date(2026, 5, 14)]  # fmt: skip
    earlier = _placement("U4", "PR1", start=date(2025, 1, 1), end=date(2025, 12, 31))
    report = build_report([_child(earlier)], [], [], ON, {})
    assert [(t.quarter_end, t.placed_out) for t in report.trend[-3:]] == [
        (date(2025, 12, 31), 1), (date(2026, 3, 31), 0), (ON, 0)]  # fmt: skip


def _our_children(session: Session) -> None:
    """Three of ours in Worcestershire, one in Herefordshire (adjoining), one in Cornwall."""
    for postcode in ("WR5 3AA", "WR5 3AA", "WR5 3AA", "HR1 1AA", "TR1 1AA"):
        child = create_child(session)
        create_placement(session, child, postcode, start_date=TODAY - timedelta(days=40))


def test_the_report_from_the_database(db_session: Session) -> None:
    _our_children(db_session)
    report = make_placed_out_report(db_session, HOME, TODAY)
    assert (report.looked_after, report.placed_out, report.percent_out) == (5, 2, 40.0)
    assert [r.count for r in report.adjoining] == [1, 1]
    assert sorted(r.label for r in report.top_hosts) == ["Cornwall", "Herefordshire"]
    before = make_placed_out_report(db_session, HOME, TODAY - timedelta(days=41))
    assert (before.looked_after, before.placed_out) == (0, 0)


def test_the_page_its_pdf_csv_and_json(client: FlaskClient, db_session: Session) -> None:
    _our_children(db_session)
    sign_in(client, db_session, "sqa_officer")
    page = client.get(f"/reports/placed-out-of-area?date={TODAY.isoformat()}")
    assert page.status_code == 200
    assert 'role="img"' in page.text and "<title" in page.text
    assert "Placed out of area" in page.text and "2 (40.0%)" in page.text
    pdf = client.get(f"/reports/placed-out-of-area?date={TODAY.isoformat()}&format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Children placed out of area" in text and "2 (40.0%)" in text
    csv_text = expect_status(
        client.get(f"/reports/placed-out-of-area?date={TODAY.isoformat()}&format=csv"), 200
    ).text
    assert "Headline,Placed out of area,2 (40.0%)," in csv_text
    data = expect_status(
        client.get(f"/reports/placed-out-of-area?date={TODAY.isoformat()}&format=json"), 200
    ).json
    assert data["placed_out"] == 2 and data["looked_after"] == 5
    zipped = client.get(f"/reports/ssda903?year={TODAY.year + (TODAY.month > 3)}")
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"


def test_a_bad_date_is_a_clear_error(client: FlaskClient, db_session: Session) -> None:
    sign_in(client, db_session, "sqa_officer")
    page = client.get("/reports/placed-out-of-area?date=31/03/2026")
    assert page.status_code == 400
    assert "Enter the date as YYYY-MM-DD" in page.text
    assert client.get("/reports/placed-out-of-area?format=docx").status_code == 404
    assert client.get("/reports/ssda903?year=twenty").status_code == 400


def test_a_social_worker_does_not_see_the_board_report(
    client: FlaskClient, db_session: Session
) -> None:
    sign_in(client, db_session, "social_worker")
    assert client.get("/reports/placed-out-of-area").status_code == 403


def test_flask_reports_placed_out_of_area(app: Flask, db_session: Session, tmp_path: Path) -> None:
    from notify.reports.cli import reports

    _our_children(db_session)
    runner = app.test_cli_runner()
    result = runner.invoke(reports, ["placed-out-of-area", "--date", TODAY.isoformat(),
                                     "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["placed_out"] == 2
    pdf = tmp_path / "board.pdf"
    made = runner.invoke(reports, ["placed-out-of-area", "--date", TODAY.isoformat(),
                                   "--format", "pdf", "--out", str(pdf)])  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "Children placed out of area" in PdfReader(pdf).pages[0].extract_text()
    html = runner.invoke(reports, ["placed-out-of-area", "--date", TODAY.isoformat()])
    assert html.exit_code == 0 and "<h1>Children placed out of area" in html.output
    bad = runner.invoke(reports, ["placed-out-of-area", "--date", "30/06/2026"])
    assert bad.exit_code == 2 and "Invalid value for '--date'" in bad.output
