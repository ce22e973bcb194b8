"""The reports page: the board report as at a date (HTML, PDF, CSV, JSON) and the SSDA903
return's files for a collection year.

Views parse the query, call one service function, and render or send the file.
"""

import io
import zipfile
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup

from models import Authority
from models.enums import Role
from notify import audit
from notify.auth import roles_required
from notify.calendar import today_uk
from notify.extensions import db
from notify.reports import outputs
from notify.reports.placed_out import Report
from notify.reports.service import make_placed_out_report
from notify.reports.ssda903 import CollectionYear, write_return
from notify.transaction import transaction
from notify.web import charts

bp = Blueprint("reports", __name__, url_prefix="/reports")
ROLES = (Role.SQA_OFFICER, Role.MANAGER)
FORMATS = ("html", "pdf", "csv", "json")


def _home() -> str:
    return str(current_app.config["HOME_AUTHORITY"])


def _on() -> tuple[date, str | None]:
    text = request.args.get("date", "").strip()
    today = today_uk()
    if not text:
        return today, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return today, "Enter the date as YYYY-MM-DD, for example 2026-03-31"


@bp.get("/placed-out-of-area")
@roles_required(*ROLES)
def placed_out_of_area() -> Any:
    on, problem = _on()
    form = request.args.get("format", "html")
    if form not in FORMATS:
        abort(404)
    with transaction() as session:
        report = make_placed_out_report(session, _home(), on)
        audit.record("view_report", "placed_out_of_area", on.isoformat(), format=form)
    home = db.session.get(Authority, _home())
    name = home.name if home else _home()
    filename = f"placed-out-of-area-{on.isoformat()}"
    if form == "pdf":
        return _download(outputs.to_pdf(report, name), "application/pdf", f"{filename}.pdf")
    if form == "csv":
        return _download(outputs.to_csv(report).encode(), "text/csv", f"{filename}.csv")
    if form == "json":
        return Response(outputs.to_json(report), mimetype="application/json")
    return render_template(
        "views/reports/placed_out.html",
        report=report,
        authority=name,
        problem=problem,
        sections=outputs.sections(report),
        headline=outputs.headline(report),
        charts=_charts(report),
    ), (400 if problem else 200)


def _charts(report: Report) -> dict[str, Markup]:
    trend = report.trend
    return {
        "trend": charts.columns(
            [f"{t.quarter_end:%b %Y}" for t in trend],
            [charts.Series("Placed out of area", charts.BLUE, [t.placed_out for t in trend])],
            title="Children placed out of area, quarter by quarter",
            description="The number of our children placed out of area at each quarter end; "
            "the table below gives the figures.",
        ),
        "groups": charts.horizontal_bars(
            [
                charts.Bar(r.label, r.percent, f"{r.count} ({r.percent or 0:.0f}%)")
                for r in report.placement_groups
            ],
            title="Placement type of children placed out of area",
            description="Share of children placed out of area in each DfE placement group; "
            "the table below gives the figures.",
            label_width=260,
        ),
    }


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/ssda903")
@roles_required(*ROLES)
def ssda903() -> Any:
    try:
        year = CollectionYear(int(request.args.get("year", "")))
    except ValueError:
        abort(400)
    if not 2015 <= year.ending <= 2100:
        abort(400)
    header, episodes = io.StringIO(), io.StringIO()
    with transaction() as session:
        children, rows = write_return(session, _home(), year, header, episodes)
        audit.record("export_ssda903", "ssda903", year.ending, children=children)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("header.csv", header.getvalue())
        z.writestr("episodes.csv", episodes.getvalue())
    return _download(archive.getvalue(), "application/zip", f"ssda903-{year.ending}.zip")
