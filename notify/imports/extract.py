"""Reading a case-system extract: the SSDA903 header and episodes files (pure, no Flask).

Files are recognised by their columns, not their names. Dates are dd/mm/YYYY, as the DfE
specifies. A mapping file (columns `field,description,code`) turns what a case system writes
as descriptions ("Foster placement with other foster carer - long term") into 903 codes.
Every row that cannot be used is kept as a `Problem` with its file and line, never dropped
silently; the rows that can be used are grouped into each child's placements ("stints"):
a new episode for a change of legal status only (RNE L) continues the same placement.
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TextIO

from notify import codes
from notify.codes import EPISODE_COLUMNS, HEADER_COLUMNS, NO_PROVIDER
from notify.geography.postcode import PostcodeError, normalise_postcode
from notify.validation import CASE_REFERENCE_LENGTH, characters_problem

MAPPING_COLUMNS = ("field", "description", "code")

# The 903 ETHNIC codes (DfE census codes).
ETHNIC_CODES = frozenset(
    ("WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN")
    + ("ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT")
)
# 1 and 2 until 2023-24; M, F and U from 2024-25
SEX_CODES = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}
# Temporary moves are episodes in the 903 but not placements with notices of their own.
TEMPORARY = frozenset({"T0", "T1", "T2", "T3", "T4"})
MAPPABLE: tuple[str, ...] = ("SEX", "ETHNIC", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER")
MAPPABLE += ("REC", "REASON_PLACE_CHANGE")
LEGAL_STATUS_ONLY = "L"
DATE_FORMAT = "%d/%m/%Y"
# a letter (not I, O or S) and 12 digits, or 11 digits and a letter; or an unknown-UPN code
UPN = re.compile(r"^(?:[A-HJ-NP-RT-Z](?:\d{12}|\d{11}[A-Z])|UN[1-5])$")


class ExtractError(ValueError):
    """An extract that cannot be read at all (no header file, no episodes file)."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    reason: str


@dataclass(frozen=True)
class ChildRow:
    child: str
    sex: str
    date_of_birth: date
    ethnicity: str | None
    line: int
    upn: str | None = None
    mother: bool | None = None


@dataclass(frozen=True)
class Episode:
    child: str
    start: date
    rne: str
    legal_status: str
    place: str
    provider: str | None
    end: date | None
    end_reason: str | None
    reason_for_change: str | None
    home_postcode: str
    postcode: str
    urn: str | None
    line: int
    cin: str | None = None


@dataclass(frozen=True)
class Stint:
    """One placement as the extract shows it: its first episode's start and placement, and
    its last episode's end and legal status."""

    child: str
    start: date
    end: date | None
    end_reason: str | None
    place: str
    provider: str | None
    postcode: str
    home_postcode: str
    urn: str | None
    reason_for_change: str | None
    legal_status: str
    line: int
    cin: str | None = None


@dataclass
class Extract:
    files: list[str]
    children: dict[str, ChildRow] = field(default_factory=dict)
    stints: dict[str, list[Stint]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    episodes: int = 0


@dataclass(frozen=True)
class NamedFile:
    name: str
    stream: TextIO


def read_mapping(source: NamedFile) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """The mapping file as {(903 field, description in lower case): code}."""
    reader = csv.DictReader(source.stream)
    mapping: dict[tuple[str, str], str] = {}
    problems = []
    for line, row in enumerate(reader, start=2):
        field_name = (row.get("field") or "").strip().upper()
        description = (row.get("description") or "").strip().lower()
        code = (row.get("code") or "").strip()
        if field_name not in MAPPABLE:
            problems.append(
                Problem(
                    source.name,
                    line,
                    f"{field_name or 'blank'} is not a 903 field to map; "
                    f"use one of {', '.join(MAPPABLE)}",
                )
            )
        elif not description or not code:
            problems.append(Problem(source.name, line, "Give both a description and a code"))
        else:
            mapping[(field_name, description)] = code
    return mapping, problems


def read_extract(files: Iterable[NamedFile]) -> Extract:
    """Read the header, episodes and (optional) mapping files, whatever their names."""
    by_kind: dict[str, NamedFile] = {}
    readers: dict[str, csv.DictReader[str]] = {}
    extract = Extract(files=[])
    for source in files:
        extract.files.append(source.name)
        reader = csv.DictReader(source.stream)
        columns = {(c or "").strip() for c in reader.fieldnames or ()}
        kind = _kind(columns)
        if kind is None:
            extract.problems.append(
                Problem(
                    source.name,
                    1,
                    "Not a 903 header, episodes or mapping file: its columns should be "
                    f"{','.join(HEADER_COLUMNS)} or {','.join(EPISODE_COLUMNS)}",
                )
            )
            continue
        if kind in by_kind:
            raise ExtractError(f"{source.name} and {by_kind[kind].name} are both {kind} files")
        by_kind[kind], readers[kind] = source, reader
    for kind in ("header", "episodes"):
        if kind not in by_kind:
            raise ExtractError(f"The extract has no 903 {kind} file")
    mapping: dict[tuple[str, str], str] = {}
    if "mapping" in by_kind:
        mapping, problems = read_mapping(
            NamedFile(by_kind["mapping"].name, _rewind(by_kind["mapping"]))
        )
        extract.problems.extend(problems)
    _read_header(by_kind["header"].name, readers["header"], mapping, extract)
    episodes = _read_episodes(by_kind["episodes"].name, readers["episodes"], mapping, extract)
    extract.stints = _stints(by_kind["episodes"].name, episodes, extract)
    return extract


def _rewind(source: NamedFile) -> TextIO:
    source.stream.seek(0)
    return source.stream


def _kind(columns: set[str]) -> str | None:
    if set(EPISODE_COLUMNS) <= columns:
        return "episodes"
    if set(HEADER_COLUMNS) <= columns:
        return "header"
    if set(MAPPING_COLUMNS) <= columns:
        return "mapping"
    return None


def _value(row: Mapping[str, str | None], name: str, mapping: Mapping[tuple[str, str], str]) -> str:
    raw = (row.get(name) or "").strip()
    return mapping.get((name, raw.lower()), raw) if mapping and raw else raw


@lru_cache(maxsize=8192)
def _date(text: str) -> date:
    return datetime.strptime(text, DATE_FORMAT).date()


@lru_cache(maxsize=4096)
def _valid(list_name: str, code: str, year: str) -> bool:
    return bool(code) and code in codes.codes(list_name, _year_start(year))


def _year_start(year: str) -> date:
    return date(int(year[:4]), 4, 1)


def _is_valid(list_name: str, code: str, on: date | None) -> bool:
    """codes.is_valid, remembered by collection year: an extract asks the same few thousand
    times."""
    return _valid(list_name, code, codes.collection_year(on) if on else codes.YEARS[-1])


@lru_cache(maxsize=65536)
def _postcode(text: str) -> str:
    return normalise_postcode(text)


def _read_header(
    name: str,
    reader: "csv.DictReader[str]",
    mapping: Mapping[tuple[str, str], str],
    extract: Extract,
) -> None:
    for line, row in enumerate(reader, start=2):
        reasons = []
        child = _value(row, "CHILD", mapping)
        sex = _value(row, "SEX", mapping)
        ethnic = _value(row, "ETHNIC", mapping)
        dob_text = _value(row, "DOB", mapping)
        dob = None
        if not child:
            reasons.append("CHILD is blank")
        elif problem := characters_problem(child, "CHILD"):
            reasons.append(problem)  # it becomes the case reference, in every notice
        elif len(child) > CASE_REFERENCE_LENGTH:
            reasons.append(f"CHILD must be {CASE_REFERENCE_LENGTH} characters or fewer")
        if sex not in SEX_CODES:
            reasons.append(f"SEX must be M, F or U (1 or 2 before 2024-25), not {sex or 'blank'}")
        try:
            dob = _date(dob_text)
        except ValueError:
            reasons.append(f"DOB must be a date like 31/03/2015, not {dob_text or 'blank'}")
        upn = _value(row, "UPN", mapping).upper()
        mother = _value(row, "MOTHER", mapping)
        if upn and not UPN.match(upn):
            reasons.append(f"UPN {upn} is not a unique pupil number or UN1 to UN5")
        if mother not in {"", "0", "1"}:
            reasons.append(f"MOTHER must be 1, 0 or blank, not {mother}")
        if ethnic and ethnic not in ETHNIC_CODES:
            reasons.append(f"ETHNIC {ethnic} is not a 903 ethnicity code")
        if child and child in extract.children:
            reasons.append(f"CHILD {child} is already on line {extract.children[child].line}")
        if reasons:
            extract.problems.append(Problem(name, line, "; ".join(reasons)))
            continue
        assert dob is not None
        extract.children[child] = ChildRow(
            child,
            SEX_CODES[sex],
            dob,
            ethnic or None,
            line,
            upn=upn or None,
            mother=None if not mother else mother == "1",
        )


def _read_episodes(
    name: str,
    reader: "csv.DictReader[str]",
    mapping: Mapping[tuple[str, str], str],
    extract: Extract,
) -> dict[str, list[Episode]]:
    episodes: dict[str, list[Episode]] = defaultdict(list)
    for line, row in enumerate(reader, start=2):
        extract.episodes += 1
        episode, reasons = _episode(row, line, mapping, extract)
        if reasons:
            extract.problems.append(Problem(name, line, "; ".join(reasons)))
        elif episode is not None:
            episodes[episode.child].append(episode)
    return episodes


def _episode(
    row: Mapping[str, str | None],
    line: int,
    mapping: Mapping[tuple[str, str], str],
    extract: Extract,
) -> tuple[Episode | None, list[str]]:
    v = {name: _value(row, name, mapping) for name in EPISODE_COLUMNS}
    reasons = []
    child = v["CHILD"]
    if not child:
        reasons.append("CHILD is blank")
    elif child not in extract.children:
        reasons.append(f"CHILD {child} has no usable row in the header file")
    start = end = None
    try:
        start = _date(v["DECOM"])
    except ValueError:
        reasons.append(f"DECOM must be a date like 31/03/2025, not {v['DECOM'] or 'blank'}")
    if v["DEC"]:
        try:
            end = _date(v["DEC"])
        except ValueError:
            reasons.append(f"DEC must be a date like 31/03/2025, not {v['DEC']}")
    on = start
    if not _is_valid("RNE", v["RNE"], on=on):
        reasons.append(f"RNE {v['RNE'] or 'blank'} is not a 903 reason for a new episode")
    if not _is_valid("LS", v["LS"], on=on):
        reasons.append(f"LS {v['LS'] or 'blank'} is not a 903 legal status")
    if not _is_valid("PLACE", v["PLACE"], on=on):
        reasons.append(f"PLACE {v['PLACE'] or 'blank'} is not a 903 placement type for that date")
    elif v["PLACE"] in TEMPORARY:
        reasons.append(
            f"PLACE {v['PLACE']} is a temporary move: not a placement Placement Notify records"
        )
    if v["PLACE"] not in NO_PROVIDER and not _is_valid(
        "PLACE_PROVIDER", v["PLACE_PROVIDER"], on=on
    ):
        reasons.append(f"PLACE_PROVIDER {v['PLACE_PROVIDER'] or 'blank'} is not PR0 to PR5")
    if end is not None and not _is_valid("REC", v["REC"], on=end):
        reasons.append(f"REC {v['REC'] or 'blank'} is not a 903 reason the episode ceased")
    if end is None and v["REC"]:
        reasons.append("REC is given but DEC is blank")
    if start is not None and end is not None and end < start:
        reasons.append("DEC is before DECOM")
    if v["CIN"] and not _is_valid("CIN", v["CIN"], on=on):
        reasons.append(f"CIN {v['CIN']} is not a 903 category of need")
    if v["REASON_PLACE_CHANGE"] and not _is_valid(
        "REASON_PLACE_CHANGE", v["REASON_PLACE_CHANGE"], on=on
    ):
        reasons.append(f"REASON_PLACE_CHANGE {v['REASON_PLACE_CHANGE']} is not a 903 reason")
    postcodes = {}
    for column in ("HOME_POST", "PL_POST"):
        try:
            postcodes[column] = _postcode(v[column])
        except PostcodeError:
            reasons.append(f"{column} {v[column] or 'blank'} is not a full postcode")
    if reasons:
        return None, reasons
    assert start is not None
    return (
        Episode(
            child=child,
            start=start,
            rne=v["RNE"],
            legal_status=v["LS"],
            place=v["PLACE"],
            provider=v["PLACE_PROVIDER"] or None,
            end=end,
            end_reason=v["REC"] or None,
            reason_for_change=v["REASON_PLACE_CHANGE"] or None,
            home_postcode=postcodes["HOME_POST"],
            postcode=postcodes["PL_POST"],
            urn=v["URN"] if v["URN"] and v["URN"] != "XXXXXXX" else None,
            line=line,
            cin=v["CIN"] or None,
        ),
        [],
    )


def _stints(
    name: str, episodes: dict[str, list[Episode]], extract: Extract
) -> dict[str, list[Stint]]:
    stints: dict[str, list[Stint]] = {}
    for child, rows in episodes.items():
        rows.sort(key=lambda e: e.start)
        kept: list[Episode] = []
        for episode in rows:
            if kept and episode.start == kept[-1].start:
                extract.problems.append(
                    Problem(
                        name,
                        episode.line,
                        f"CHILD {child} has two episodes starting "
                        f"{episode.start:%d/%m/%Y} (the other on line {kept[-1].line})",
                    )
                )
                continue
            if kept and (kept[-1].end is None or kept[-1].end > episode.start):
                extract.problems.append(
                    Problem(
                        name,
                        episode.line,
                        f"Episode starts {episode.start:%d/%m/%Y}, "
                        f"while the episode on line {kept[-1].line} is still open",
                    )
                )
                continue
            kept.append(episode)
        out: list[Stint] = []
        for episode in kept:
            previous = out[-1] if out else None
            if (
                previous is not None
                and episode.rne == LEGAL_STATUS_ONLY
                and previous.end == episode.start
                and previous.postcode == episode.postcode
            ):
                out[-1] = Stint(
                    **{
                        **previous.__dict__,
                        "end": episode.end,
                        "end_reason": episode.end_reason,
                        "legal_status": episode.legal_status,
                    }
                )
                continue
            out.append(
                Stint(
                    child=child,
                    start=episode.start,
                    end=episode.end,
                    end_reason=episode.end_reason,
                    place=episode.place,
                    provider=episode.provider,
                    postcode=episode.postcode,
                    home_postcode=episode.home_postcode,
                    urn=episode.urn,
                    reason_for_change=episode.reason_for_change,
                    legal_status=episode.legal_status,
                    line=episode.line,
                    cin=episode.cin,
                )
            )
        stints[child] = out
    return stints


def text_file(name: str, content: str | bytes) -> NamedFile:
    """A named in-memory file (an upload, or a test's rows)."""
    if isinstance(content, bytes):
        content = content.decode("utf-8-sig")
    return NamedFile(name, io.StringIO(content, newline=""))
