"""A reorganisation loaded ahead of its day from a small CSV: new councils or health bodies,
their codes, names, predecessors and the date. Nothing changes until that day; from it,
resolution (as at a day) finds the new bodies by itself.

Columns (one row per new body):

    effective    the new body's first day (YYYY-MM-DD)
    body         authority | health_body
    code         its ONS code (9 characters, e.g. E06000099)
    ods_code     its NHS ODS code (health bodies; may be blank)
    name         its name
    kind         an authority kind (unitary, county, ...) or a health body kind (icb, lhb, hb)
    predecessors the codes it takes over from, separated by ";"
    districts    for an authority: the districts it is made of (";"); for a health body that
                 takes part of a predecessor: the districts it takes (blank: all of them)

Each predecessor ends the day before. A predecessor with one successor passes on whole; with
several, in part (by district, and so by postcode).
"""

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import AUTHORITY_KINDS, HEALTH_BODY_KINDS
from models.reference import (
    Authority,
    District,
    DistrictAuthority,
    DistrictHealthBody,
    HealthBody,
    ReferenceVersion,
    Succession,
)
from notify.geography.store import forget_index, geography_index

COLUMNS = ("effective", "body", "code", "ods_code", "name", "kind", "predecessors", "districts")


class ReorganisationError(ValueError):
    """A reorganisation file that cannot be loaded; every problem, by line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class _Row:
    line: int
    effective: date
    body: str
    code: str
    ods_code: str | None
    name: str
    kind: str
    predecessors: tuple[str, ...]
    districts: tuple[str, ...]


@dataclass(frozen=True)
class LoadedReorganisation:
    source: str
    authorities: int
    health_bodies: int
    successions: int
    district_links: int


def load_reorganisation(session: Session, path: str | Path) -> LoadedReorganisation:
    """Check the whole file, then record it (in the caller's transaction), or raise
    ReorganisationError listing every problem and record nothing."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    source = f"reorganisation:{path.stem}"[:60]
    rows = _check(session, _parse(text))
    forget_index(session)
    successors: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        for p in row.predecessors:
            successors[p].append(row)
    links = 0
    for row in rows:
        if row.body == "authority":
            region, nation = _inherited(session, row.predecessors)
            session.add(
                Authority(
                    code=row.code,
                    name=row.name,
                    kind=row.kind,
                    nation=nation,
                    region=region,
                    organisation=row.code,
                    valid_from=row.effective,
                )
            )
            session.flush()
            for d in row.districts:
                session.add(
                    DistrictAuthority(
                        district_code=d,
                        authority_code=row.code,
                        valid_from=row.effective,
                        source=source,
                    )
                )
                links += 1
        else:
            session.add(
                HealthBody(
                    code=row.code,
                    ods_code=row.ods_code,
                    name=row.name,
                    kind=row.kind,
                    organisation=row.ods_code or row.code,
                    valid_from=row.effective,
                )
            )
    session.flush()
    n_successions = 0
    for predecessor, rows_after in successors.items():
        kind = "whole" if len(rows_after) == 1 else "part"
        for row in rows_after:
            session.add(
                Succession(
                    body=row.body,
                    from_code=predecessor,
                    to_code=row.code,
                    effective=row.effective,
                    kind=kind,
                    source=source,
                )
            )
            n_successions += 1
        ended: Authority | HealthBody | None = (
            session.get(Authority, predecessor)
            if rows_after[0].body == "authority"
            else session.get(HealthBody, predecessor)
        )
        assert ended is not None  # checked
        ended.valid_to = rows_after[0].effective - timedelta(days=1)
    links += _carry_district_shares(session, rows, source)
    version = ReferenceVersion(
        name=source[:40], checksum=hashlib.sha256(text.encode()).hexdigest(), rows=len(rows)
    )
    session.merge(version)
    session.flush()
    forget_index(session)
    return LoadedReorganisation(
        source=source,
        authorities=sum(1 for r in rows if r.body == "authority"),
        health_bodies=sum(1 for r in rows if r.body == "health_body"),
        successions=n_successions,
        district_links=links,
    )


def _parse(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ReorganisationError([f"line 1: missing column(s) {', '.join(missing)}"])
    rows = [(n, {k: (v or "").strip() for k, v in r.items() if k}) for n, r in enumerate(reader, 2)]
    if not rows:
        raise ReorganisationError(["the file has no rows"])
    return rows


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(";") if c.strip())


def _check(session: Session, raw: list[tuple[int, dict[str, str]]]) -> list[_Row]:
    problems: list[str] = []
    authorities = set(session.scalars(select(Authority.code)))
    bodies = set(session.scalars(select(HealthBody.code)))
    districts = set(session.scalars(select(District.code)))
    seen: set[str] = set()
    rows: list[_Row] = []
    for line, r in raw:
        here: list[str] = []
        try:
            effective = date.fromisoformat(r["effective"])
        except ValueError:
            here.append(f"effective {r['effective']!r} is not a date (YYYY-MM-DD)")
            effective = date.min
        body, code, kind = r["body"], r["code"], r["kind"]
        if body not in ("authority", "health_body"):
            here.append(f"body {body!r} must be authority or health_body")
        kinds = AUTHORITY_KINDS if body == "authority" else HEALTH_BODY_KINDS
        if kind not in kinds:
            here.append(f"kind {kind!r} must be one of {', '.join(kinds)}")
        if len(code) != 9 or not code[0].isalpha() or not code[1:].isdigit():
            here.append(f"code {code!r} is not an ONS code (a letter and 8 digits)")
        elif code in authorities | bodies or code in seen:
            here.append(f"code {code} is already in use")
        seen.add(code)
        if not r["name"]:
            here.append("name is blank")
        predecessors = _codes(r["predecessors"])
        known = authorities if body == "authority" else bodies
        here += [
            f"predecessor {p} is not a known {body.replace('_', ' ')}"
            for p in predecessors
            if p not in known
        ]
        if not predecessors:
            here.append("predecessors is blank")
        listed = _codes(r["districts"])
        here += [f"district {d} is not a known district" for d in listed if d not in districts]
        if body == "authority" and not listed:
            here.append("an authority needs its districts")
        problems += [f"line {line}: {p}" for p in here]
        rows.append(
            _Row(line, effective, body, code, r["ods_code"] or None, r["name"], kind,
                 predecessors, listed)
        )  # fmt: skip
    if not problems:
        problems += _check_whole(session, rows)
    if problems:
        raise ReorganisationError(problems)
    return rows


def _check_whole(session: Session, rows: list[_Row]) -> list[str]:
    """Across rows: a district goes to one new authority; a split authority's districts are
    all accounted for."""
    problems = []
    owner: dict[str, int] = {}
    for row in rows:
        for d in row.districts if row.body == "authority" else ():
            if d in owner:
                problems.append(f"line {row.line}: district {d} is also on line {owner[d]}")
            owner[d] = row.line
    index = geography_index(session)
    for row in rows:
        if row.body != "authority":
            continue
        for p in row.predecessors:
            theirs = {
                d
                for d in session.scalars(
                    select(DistrictAuthority.district_code).where(
                        DistrictAuthority.authority_code == p
                    )
                )
                if (area := index.district_area(d, row.effective - timedelta(days=1)))
                and area.authority_code == p
            }
            left = sorted(theirs - set(owner))
            if left:
                problems.append(
                    f"line {row.line}: {p} ends, but its district(s) {', '.join(left)} "
                    "go to no new authority"
                )
    return problems


def _inherited(session: Session, predecessors: tuple[str, ...]) -> tuple[str | None, str]:
    first = session.get(Authority, predecessors[0])
    assert first is not None  # checked
    return first.region, first.nation


def _carry_district_shares(session: Session, rows: list[_Row], source: str) -> int:
    """From the day, each district's health body shares with the predecessors replaced by
    their successors (a partial successor takes the districts it lists)."""
    health = [r for r in rows if r.body == "health_body"]
    if not health:
        return 0
    index = geography_index(session)
    by_predecessor: dict[str, list[_Row]] = defaultdict(list)
    for row in health:
        for p in row.predecessors:
            by_predecessor[p].append(row)
    effective = min(r.effective for r in health)
    written = 0
    for district in session.scalars(select(District.code)):
        area = index.district_area(district, effective - timedelta(days=1))
        if area is None or not any(hb.code in by_predecessor for hb in area.health_bodies):
            continue
        shares: dict[str, float] = defaultdict(float)
        for hb in area.health_bodies:
            after = by_predecessor.get(hb.code)
            if not after:
                shares[hb.code] += hb.share
                continue
            chosen = [r for r in after if not r.districts or district in r.districts] or after
            for r in chosen:
                shares[r.code] += hb.share / len(chosen)
        for code, share in shares.items():
            session.add(
                DistrictHealthBody(
                    district_code=district,
                    health_body_code=code,
                    share=min(1.0, round(share, 4)),
                    valid_from=effective,
                    source=source,
                )
            )
            written += 1
    return written
