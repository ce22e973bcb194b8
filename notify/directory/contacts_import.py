"""Set the notification email of authorities and health bodies from a CSV file (code,email)."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import RecipientKind
from models.reference import Authority, HealthBody
from notify.notifications.outbox import address_added
from notify.validation import email_problem

REQUIRED = ("code", "email")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class ImportReport:
    """What an import changed, and every line it could not use."""

    updated: list[str] = field(default_factory=list)  # codes whose email changed
    unchanged: list[str] = field(default_factory=list)  # codes that already had that email
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[str]:
        lines = [
            f"{len(self.updated)} updated, {len(self.unchanged)} already up to date, "
            f"{len(self.problems)} line(s) not used"
        ]
        return lines + [str(p) for p in self.problems]


def import_contacts(session: Session, source: str | Path | Iterable[str]) -> ImportReport:
    """Set notification emails by code (GSS code, ODS code or DfE LA number) from CSV text.

    A line that cannot be used changes nothing and is reported with its line number. Does
    not commit.
    """
    if isinstance(source, str | Path):
        with open(source, newline="", encoding="utf-8-sig") as handle:
            return _import(session, handle)
    return _import(session, source)


def _import(session: Session, lines: Iterable[str]) -> ImportReport:
    report = ImportReport()
    reader = csv.reader(_without_bom(lines))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = ",".join(header) if header else "nothing"
        report.problems.append(
            Problem(1, f"The first line must name the columns code,email (found {found})")
        )
        return report
    at = {c: header.index(c) for c in REQUIRED}

    index = _directory(session)
    wanted: list[tuple[int, str, Authority | HealthBody, str]] = []  # line, code, target, email
    lines_by_target: dict[str, list[int]] = defaultdict(list)
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: row[i].strip() if i < len(row) else "" for c, i in at.items()}
        empty = [c for c in REQUIRED if not cells[c]]
        if empty:
            report.problems.append(Problem(line, f"No {' or '.join(empty)} on this line"))
            continue
        code, email = cells["code"].upper(), cells["email"]
        target = index.get(code)
        if target is None:
            report.problems.append(
                Problem(line, f"No authority or health body has the code {cells['code']}")
            )
            continue
        if email_problem(email):
            report.problems.append(
                Problem(
                    line,
                    f"{email} is not an email address in the correct format, like name@example.org",
                )
            )
            continue
        wanted.append((line, code, target, email))
        lines_by_target[target.code].append(line)

    for line, code, target, email in wanted:
        seen = lines_by_target[target.code]
        if len(seen) > 1:
            others = ", ".join(str(n) for n in seen if n != line)
            report.problems.append(
                Problem(line, f"{code} is also on line(s) {others}: none of these lines was used")
            )
            continue
        if target.notification_email == email:
            report.unchanged.append(target.code)
        else:
            target.notification_email = email
            report.updated.append(target.code)
    report.problems.sort(key=lambda p: p.line)
    session.flush()
    for target in {t.code: t for _, _, t, _ in wanted}.values():
        if target.code in report.updated:
            kind = (
                RecipientKind.AUTHORITY
                if isinstance(target, Authority)
                else RecipientKind.HEALTH_BODY
            )
            address_added(session, kind, target.code)
    return report


def _without_bom(lines: Iterable[str]) -> Iterable[str]:
    first = True
    for text in lines:
        if first and text.startswith("\ufeff"):
            text = text[1:]
        first = False
        yield text


def _directory(session: Session) -> dict[str, Authority | HealthBody]:
    """Every code a person might use for a recipient, upper-cased."""
    index: dict[str, Authority | HealthBody] = {}
    for authority in session.scalars(select(Authority)):
        index[authority.code.upper()] = authority
        if authority.dfe_la_number:
            index[authority.dfe_la_number] = authority
    for body in session.scalars(select(HealthBody)):
        index[body.code.upper()] = body
        if body.ods_code:
            index[body.ods_code.upper()] = body
    return index


def read_text(text: str) -> Iterable[str]:
    """Lines of an uploaded file's text, for import_contacts."""
    return io.StringIO(text, newline="")
