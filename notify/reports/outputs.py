"""The board report as CSV, JSON and PDF (the HTML is a template)."""

import io
import json
from dataclasses import asdict
from typing import Any

from notify.csv_writer import CsvWriter
from notify.reports.placed_out import Report, Row

TITLE = "Children placed out of area"


def sections(report: Report) -> list[tuple[str, list[Row]]]:
    """The report's tables in the order the board reads them."""
    return [
        ("Sex", report.sex),
        ("Age on the day", report.age),
        ("Ethnicity (DfE groups)", report.ethnicity),
        ("Disability and UASC", [r for r in (report.disabled, report.uasc) if r is not None]),
        ("Placement type (DfE groups)", report.placement_groups),
        ("Provision", report.provision),
        ("Adjoining authority or further away", report.adjoining),
        ("Top host authorities", report.top_hosts),
        ("Distance from home", report.distance),
        ("Specific circumstances (share of all looked after)", report.circumstances),
    ]


def headline(report: Report) -> list[tuple[str, str]]:
    return [
        ("Children looked after", str(report.looked_after)),
        ("Placed out of area", f"{report.placed_out} ({_pc(report.percent_out)})"),
        ("White British (of those placed out)", _pc(report.white_british_percent)),
        (
            "Placed out of area after the specific circumstances",
            f"{report.residual} ({_pc(report.residual_percent)} of all looked after)",
        ),
        (
            "Other authorities' children placed in our area",
            f"{report.hosted}, by {report.hosted_authorities} authorities",
        ),
    ]


def _pc(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def to_json(report: Report) -> str:
    def default(value: Any) -> str:
        return value.isoformat()

    return json.dumps(asdict(report), default=default, indent=2)


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = CsvWriter(out, ["section", "measure", "count", "percent"])
    for label, value in headline(report):
        writer.writerow(["Headline", label, value, ""])
    for title, rows in sections(report):
        for row in rows:
            writer.writerow(
                [title, row.label, row.count, "" if row.percent is None else row.percent]
            )
    for point in report.trend:
        writer.writerow(["Trend", point.quarter_end.isoformat(), point.placed_out,
                         "" if point.percent is None else point.percent])  # fmt: skip
    for n in report.notices:
        writer.writerow(["Notices sent", n.recipient, n.sent, ""])
        writer.writerow(["Notices on time", n.recipient, n.on_time, ""])
        writer.writerow(["Acknowledged within time", n.recipient, n.acknowledged_in_time, ""])
        writer.writerow(["Overdue", n.recipient, n.overdue, ""])
    return out.getvalue()


def to_pdf(report: Report, authority: str) -> bytes:
    """A PDF a board clerk can attach to the agenda: the headline and every table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"{TITLE}, {report.on:%-d %B %Y}",
                            author=authority)  # fmt: skip
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)])  # fmt: skip
    story: list[Any] = [
        Paragraph(f"{TITLE}: {authority}", styles["Title"]),
        Paragraph(f"As at {report.on:%-d %B %Y}", styles["Heading2"]),
        Table([["Measure", "Figure"], *headline(report)], style=grid),
        Spacer(1, 12),
    ]
    for title, rows in sections(report):
        story.append(Paragraph(title, styles["Heading3"]))
        table = [["", "Children", "Share"]] + [[r.label, r.count, _pc(r.percent)] for r in rows]
        story.append(Table(table, style=grid))
    story.append(Paragraph("Quarter by quarter", styles["Heading3"]))
    story.append(Table([["Quarter ending", "Looked after", "Placed out", "Share"]]
                       + [[f"{t.quarter_end:%-d %b %Y}", t.looked_after, t.placed_out,
                           _pc(t.percent)] for t in report.trend], style=grid))  # fmt: skip
    story.append(Paragraph("Notices in the last 12 months", styles["Heading3"]))
    story.append(Table([["Recipient", "Sent", "On time", "Acknowledged in time", "Overdue"]]
                       + [[n.recipient, n.sent, n.on_time, n.acknowledged_in_time, n.overdue]
                          for n in report.notices], style=grid, repeatRows=1))  # fmt: skip
    doc.build(story)
    return buffer.getvalue()
