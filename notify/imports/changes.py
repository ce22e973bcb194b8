"""What an extract says has changed, against what we hold (pure, no Flask).

A case-system extract is a snapshot with no history, so changes are found by comparing each
child's placements in the extract with ours, matched by case reference and start date:

- a placement we do not hold, starting after our latest: a **start** (no current placement)
  or a **move** (it ends the current one);
- a placement we hold open that the extract ends: an **end** (a move ends it otherwise);
- the same placement at another postcode: a **correction**;
- a placement we hold open that the extract no longer shows: **vanished**, for a person to
  look into; never an automatic end;
- a child we do not hold: a **new child**, their earlier placements recorded as history and
  the latest as a start.

Each change has a stable key built from the facts it records (child, dates, postcode), so
the same change in a later or overlapping extract has the same key and is applied once.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from models.enums import ChangeKind
from notify.codes import REC_NEW_EPISODE_SAME_DAY
from notify.imports.extract import Extract, Stint


@dataclass(frozen=True)
class HeldPlacement:
    id: int
    start: date
    end: date | None
    postcode: str


@dataclass(frozen=True)
class HeldChild:
    id: int
    case_reference: str
    placements: tuple[HeldPlacement, ...]  # by start date

    @property
    def open_placement(self) -> HeldPlacement | None:
        open_ = [p for p in self.placements if p.end is None]
        return open_[-1] if open_ else None


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    key: str
    child: str  # the case reference (903 CHILD)
    on: date
    summary: str
    # the placement the change records (start, move, correction, end), or a new child's
    # placements, earliest first (the last is the start; the others are history)
    stints: tuple[Stint, ...] = field(default=())
    placement_id: int | None = None  # ours: the one ended, corrected or vanished
    # a new child's header row: sex (M/F), date_of_birth (ISO) and ethnicity
    facts: dict[str, str | None] | None = None

    @property
    def actionable(self) -> bool:
        """Applied on confirmation; the others are listed for a person to look into."""
        return self.kind not in {ChangeKind.VANISHED, ChangeKind.CORRECTION}

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["on"] = self.on.isoformat()
        data["stints"] = [_stint_json(s) for s in self.stints]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Change":
        return cls(
            kind=ChangeKind(data["kind"]),
            key=data["key"],
            child=data["child"],
            on=date.fromisoformat(data["on"]),
            summary=data["summary"],
            stints=tuple(_stint_from_json(s) for s in data["stints"]),
            placement_id=data["placement_id"],
            facts=data.get("facts"),
        )


def _stint_json(stint: Stint) -> dict[str, Any]:
    data = asdict(stint)
    data["start"] = stint.start.isoformat()
    data["end"] = stint.end.isoformat() if stint.end else None
    return data


def _stint_from_json(data: Mapping[str, Any]) -> Stint:
    return Stint(
        **{
            **data,
            "start": date.fromisoformat(data["start"]),
            "end": date.fromisoformat(data["end"]) if data["end"] else None,
        }
    )


def placement_key(child: str, stint: Stint) -> str:
    return f"{child}/placement/{stint.start.isoformat()}"


def end_key(child: str, start: date, end: date) -> str:
    return f"{child}/end/{start.isoformat()}/{end.isoformat()}"


def find_changes(held: Mapping[str, HeldChild], extract: Extract) -> list[Change]:
    """Every change the extract shows, child by child, each child's in date order."""
    changes: list[Change] = []
    for child, stints in sorted(extract.stints.items()):
        if not stints:
            continue
        ours = held.get(child)
        if ours is None:
            row = extract.children[child]
            facts = {
                "sex": row.sex,
                "date_of_birth": row.date_of_birth.isoformat(),
                "ethnicity": row.ethnicity,
                "upn": row.upn,
                "mother": None if row.mother is None else str(int(row.mother)),
            }
            changes.extend(_new_child(child, stints, facts))
        else:
            changes.extend(_held_child(ours, stints))
    in_extract = set(extract.stints)
    for child, ours in sorted(held.items()):
        current = ours.open_placement
        if child not in in_extract and current is not None:
            changes.append(_vanished(ours, current, "the child is not in the extract"))
    return changes


def _new_child(child: str, stints: list[Stint], facts: dict[str, str | None]) -> Iterable[Change]:
    latest = stints[-1]
    yield Change(
        ChangeKind.NEW_CHILD,
        key=f"{child}/child",
        child=child,
        on=latest.start,
        summary=f"New child, placed from {latest.start:%-d %B %Y} at {latest.postcode}"
        + (
            f" ({len(stints) - 1} earlier placements recorded as history)"
            if len(stints) > 1
            else ""
        ),
        stints=tuple(stints),
        facts=facts,
    )
    if latest.end is not None and latest.end_reason != REC_NEW_EPISODE_SAME_DAY:
        yield _end(child, latest, None)


def _held_child(ours: HeldChild, stints: list[Stint]) -> Iterable[Change]:
    child = ours.case_reference
    held_by_start = {p.start: p for p in ours.placements}
    latest_held = ours.placements[-1].start if ours.placements else None
    current = ours.open_placement  # what a new placement would end, as changes apply
    current_start = current.start if current else None
    shown_starts = {s.start for s in stints}
    for index, stint in enumerate(stints):
        following = stints[index + 1] if index + 1 < len(stints) else None
        # ceased X1 with no usable episode after it: the next episode's row is reported
        moved_on = (following is not None and following.start == stint.end) or (
            stint.end_reason == REC_NEW_EPISODE_SAME_DAY
        )
        held = held_by_start.get(stint.start)
        if held is None:
            if latest_held is not None and stint.start <= latest_held:
                continue  # an earlier placement we never held: history, not news
            kind = ChangeKind.MOVE if current_start is not None else ChangeKind.START
            yield Change(
                kind,
                key=placement_key(child, stint),
                child=child,
                on=stint.start,
                summary=(
                    f"Moved on {stint.start:%-d %B %Y} to {stint.postcode} ({stint.place})"
                    if kind == ChangeKind.MOVE
                    else f"Placed from {stint.start:%-d %B %Y} at {stint.postcode} ({stint.place})"
                ),
                stints=(stint,),
            )
            current_start = stint.start
            if stint.end is not None and not moved_on:
                yield _end(child, stint, None)
                current_start = None
            continue
        if held.end is None and stint.end is not None and not moved_on:
            yield _end(child, stint, held.id)
        if held.postcode != stint.postcode:
            yield Change(
                ChangeKind.CORRECTION,
                key=f"{child}/correction/{stint.start.isoformat()}/{stint.postcode}",
                child=child,
                on=stint.start,
                summary=(
                    f"The placement from {stint.start:%-d %B %Y} is at {stint.postcode} in the "
                    f"case system, {held.postcode} here, with no new episode: correct it on "
                    "the child's page"
                ),
                stints=(stint,),
                placement_id=held.id,
            )
    if (
        current is not None
        and current.start not in shown_starts
        and (max(shown_starts) < current.start)
    ):
        yield _vanished(ours, current, "the extract does not show it")


def _end(child: str, stint: Stint, placement_id: int | None) -> Change:
    assert stint.end is not None
    return Change(
        ChangeKind.END,
        key=end_key(child, stint.start, stint.end),
        child=child,
        on=stint.end,
        summary=f"Placement from {stint.start:%-d %B %Y} ended {stint.end:%-d %B %Y} "
        f"({stint.end_reason})",
        stints=(stint,),
        placement_id=placement_id,
    )


def _vanished(ours: HeldChild, current: HeldPlacement, why: str) -> Change:
    return Change(
        ChangeKind.VANISHED,
        key=f"{ours.case_reference}/vanished/{current.start.isoformat()}",
        child=ours.case_reference,
        on=current.start,
        summary=(
            f"Our placement from {current.start:%-d %B %Y} at {current.postcode} is open but "
            f"{why}: ask a person (it has not been ended)"
        ),
        placement_id=current.id,
    )
