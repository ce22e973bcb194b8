"""The SSDA903 return's header and episodes files, from our own children's records.

A collection year runs from 1 April to 31 March and is named by the year it ends in ("2026"
is 1 April 2025 to 31 March 2026). The header lists each of our children looked after at
some time in the year; the episodes file each of their placements that overlaps it, as the
DfE specifies (DOMAIN.md §6):

- a move: the old episode ceases on the day the new one starts (DEC = the next DECOM, REC
  X1), although we record the old placement's last night (the day before);
- an episode still open on 31 March has no DEC or REC;
- RNE is S for the first placement of a period of care, P for a change of placement, and B
  where the legal status changed with it;
- PLACE_PROVIDER is blank for temporary moves (T0-T4) and Z11-Z14;
- REASON_PLACE_CHANGE is on the episode that ceases for the move (the reason it changed);
- URN is XXXXXXX for a foster or adoption placement whose agency's URN we do not hold, blank
  for other placements without one and for every placement outside England;
- SEX is M, F or U from 2024-25 (1 or 2 before).

The DfE derives PL_DISTANCE, PL_LA and PL_LOCATION itself from HOME_POST and PL_POST.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Child, Placement
from notify.codes import EPISODE_COLUMNS, HEADER_COLUMNS, NO_PROVIDER
from notify.csv_writer import CsvWriter

# the URN for a foster or adoption placement whose agency's URN we do not hold
URN_AGENCY = "XXXXXXX"
URN_AGENCY_PLACES = frozenset({"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"})
NUMERIC_SEX = {"M": "1", "F": "2"}  # until 2023-24
LETTER_SEX_FROM = 2025  # the 2024-25 return onwards
NEW_EPISODE_SAME_DAY = "X1"


@dataclass(frozen=True)
class CollectionYear:
    ending: int  # 2026 for 2025-26

    @property
    def start(self) -> date:
        return date(self.ending - 1, 4, 1)

    @property
    def end(self) -> date:
        return date(self.ending, 3, 31)


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def episodes_of(child: Child, year: CollectionYear) -> Iterator[dict[str, str]]:
    """The child's episodes that overlap the year, in order."""
    # a withdrawn placement never happened: it is no episode
    placements = sorted(
        (p for p in child.placements if not p.withdrawn), key=lambda p: p.start_date
    )
    for index, placement in enumerate(placements):
        previous = placements[index - 1] if index else None
        following = placements[index + 1] if index + 1 < len(placements) else None
        moved_on = (
            following is not None
            and placement.end_date is not None
            and following.start_date == placement.end_date + timedelta(days=1)
        )
        ceased = following.start_date if moved_on and following else placement.end_date
        if placement.start_date > year.end or (ceased is not None and ceased < year.start):
            continue
        continued = (
            previous is not None
            and previous.end_date is not None
            and previous.end_date + timedelta(days=1) == placement.start_date
        )
        if ceased is not None and ceased > year.end:
            ceased = None  # still open at the end of the year
        status = placement.legal_status or child.legal_status
        if continued and previous is not None:
            before = previous.legal_status or child.legal_status
            rne = "P" if before == status else "B"  # B: legal status and placement changed
        else:
            rne = "S"
        reason = NEW_EPISODE_SAME_DAY if moved_on else placement.end_reason
        why_moved = following.reason_for_change if moved_on and following else None
        yield {
            "CHILD": child.case_reference,
            "DECOM": _d(placement.start_date),
            "RNE": rne,
            "LS": status,
            "CIN": child.category_of_need or "",
            "PLACE": placement.placement_type,
            "PLACE_PROVIDER": "" if placement.placement_type in NO_PROVIDER else placement.provider,
            "DEC": _d(ceased),
            "REC": (reason or "") if ceased else "",
            "REASON_PLACE_CHANGE": (why_moved or "") if ceased else "",
            "HOME_POST": child.home_postcode or "",
            "PL_POST": placement.postcode,
            "URN": _urn(placement),
        }


def _urn(placement: Placement) -> str:
    if placement.location == "OUT" and not placement.host_authority_code.startswith("E"):
        return ""  # the DfE takes no URN for a placement outside England
    if placement.urn:
        return placement.urn
    return URN_AGENCY if placement.placement_type in URN_AGENCY_PLACES else ""


def header_of(child: Child, year: CollectionYear) -> dict[str, str]:
    sex = child.sex if year.ending >= LETTER_SEX_FROM else NUMERIC_SEX.get(child.sex, "")
    return {
        "CHILD": child.case_reference,
        "SEX": sex,
        "DOB": _d(child.date_of_birth),
        "ETHNIC": child.ethnicity or "",
        "UPN": child.upn or "",
        "MOTHER": "" if child.mother is None or child.sex != "F" else str(int(child.mother)),
        "MC_DOB": "",
    }


def our_children(session: Session, responsible_authority_code: str) -> Iterable[Child]:
    return session.scalars(
        select(Child)
        .where(Child.responsible_authority_code == responsible_authority_code)
        .options(selectinload(Child.placements))
        .order_by(Child.case_reference)
    )


def export_return(
    session: Session, responsible_authority_code: str, year: CollectionYear, out: Path
) -> tuple[int, int]:
    """Write header.csv and episodes.csv into `out`; say how many rows each has."""
    out.mkdir(parents=True, exist_ok=True)
    with (
        (out / "header.csv").open("w", newline="", encoding="utf-8") as header,
        (out / "episodes.csv").open("w", newline="", encoding="utf-8") as episodes,
    ):
        return write_return(session, responsible_authority_code, year, header, episodes)


def write_return(
    session: Session,
    responsible_authority_code: str,
    year: CollectionYear,
    header: TextIO,
    episodes: TextIO,
) -> tuple[int, int]:
    heads = CsvWriter(header, HEADER_COLUMNS)
    eps = CsvWriter(episodes, EPISODE_COLUMNS)
    children = rows = 0
    for child in our_children(session, responsible_authority_code):
        found = list(episodes_of(child, year))
        if not found:
            continue
        heads.writerow(header_of(child, year))
        eps.writerows(found)
        children += 1
        rows += len(found)
    return children, rows
