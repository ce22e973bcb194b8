"""The full notice (DOMAIN.md §4) for the recipient who has confirmed their address: its
sections for the page and the API, and the same as a PDF."""

import hmac
import unicodedata
from datetime import date
from typing import cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from sqlalchemy.orm import Session

from models import Notification
from notify.notifications.rendering.directory import Directory
from notify.notifications.rendering.message import Section
from notify.notifications.rendering.sections import sections


def full_notice(session: Session, notification: Notification) -> tuple[Section, ...]:
    """Every section of the notice about this notification's child and placement."""
    child = notification.child
    if child is None or notification.placement is None:
        return ()
    directory = Directory(session, [notification])
    placing = directory.authority_name(child.responsible_authority_code)
    return sections(notification, child, placing, directory)


def notice_body(found: tuple[Section, ...]) -> dict[str, object]:
    """The API's `notice`: {"sections": [{"heading", "rows": [{"label", "value"}]}]}."""
    return {
        "sections": [
            {
                "heading": s.heading,
                "rows": [{"label": label, "value": value} for label, value in s.rows],
            }
            for s in found
        ]
    }


def same_address(given: str, sent_to: str | None) -> bool:
    """Whether `given` is the address the notice was sent to, compared in constant time so
    that the answer's timing says nothing about the address."""
    expected = (sent_to or "").strip().lower().encode()
    offered = given.strip().lower().encode()
    # compare_digest takes as long for any two strings of the same length; pad to hide it
    width = max(len(expected), len(offered), 254)
    matches = hmac.compare_digest(offered.ljust(width, b"\0"), expected.ljust(width, b"\0"))
    return matches and bool(expected)


# The PDF uses the standard Helvetica, which holds Latin-1: other characters are written
# in their nearest plain form ("’" as "'") rather than lost.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def _latin1(text: str) -> str:
    text = text.translate(_PLAIN)
    if all(ord(c) < 256 for c in text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 256 and not unicodedata.combining(c))


def notice_pdf(
    title: str, reference: str, sender: str, found: tuple[Section, ...], on: date
) -> bytes:
    """The notice as a print-ready A4 PDF: the same sections, rows and words as the page."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"{title} {reference}"))
    pdf.set_author(_latin1(sender))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, _latin1(f"{title} notice"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0,
        6,
        _latin1(f"From {sender}. Reference {reference}. Printed {on:%-d %B %Y}."),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    label_width = 60
    for section in found:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 8, _latin1(section.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for label, value in section.rows:
            pdf.set_font("Helvetica", "B", 10)
            lines = cast(
                list[str],
                pdf.multi_cell(
                    label_width, 5.5, _latin1(label), dry_run=True, output=MethodReturnValue.LINES
                ),
            )
            if pdf.will_page_break(5.5 * len(lines)):
                pdf.add_page()
            top = pdf.get_y()
            label_bottom = top + 5.5 * len(lines)
            pdf.multi_cell(label_width, 5.5, _latin1(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
            pdf.set_xy(pdf.l_margin + label_width, top)
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5.5, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_y(max(pdf.get_y(), label_bottom) + 1)
    return bytes(pdf.output())
