"""Case-system imports: stage an extract's change report, then confirm it.

The first extract seeds our children and placements and notifies nobody (they are already
placed). Each later one is compared with what we hold (notify/imports/changes.py); a person
reads the report and confirms it, and each confirmed change goes through the placement
service the web form uses (record_child, record_placement, end_placement), so the same rules
and notices follow. A change is applied once, by its stable key, however many extracts
show it. Functions add to the session; the caller commits.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from models import CaseSystemChange, CaseSystemImport, Child, Notification, Placement, User
from models.base import utcnow
from models.enums import ChangeKind, ImportStatus, Role
from notify.geography.distance import placement_geography
from notify.geography.postcode import PostcodeError
from notify.geography.store import Location, adjoining, resolve_postcode
from notify.imports.changes import (
    Change,
    HeldChild,
    HeldPlacement,
    end_key,
    find_changes,
    placement_key,
)
from notify.imports.extract import Extract, Problem, Stint
from notify.placements.service import (
    ChildDetails,
    PlacementDetails,
    end_placement,
    record_child,
    record_placement,
)
from notify.problems import Conflict, InvalidInput

LATE_REASON = "recorded late in the case system"
# The 903 return holds no names or addresses: what we record until a person adds them.
NAME_NOT_IN_EXTRACT = "Not in extract"
ADDRESS_TO_FOLLOW = "Address to follow from the case system"
CONFIRM_ROLES = frozenset({Role.SQA_OFFICER, Role.MANAGER, Role.ADMIN})
MANAGER_ROLES = frozenset({Role.MANAGER, Role.ADMIN})

Progress = Callable[[int], None]
SEED_BATCH = 1000


@dataclass
class Report:
    """What an extract shows: the changes still to apply, and the rows it could not use."""

    first: bool
    changes: list[Change] = field(default_factory=list)
    already_applied: int = 0
    problems: list[Problem] = field(default_factory=list)
    children: int = 0
    episodes: int = 0
    seeded_children: int = 0
    seeded_placements: int = 0

    @property
    def actionable(self) -> list[Change]:
        return [c for c in self.changes if c.actionable]

    def counts(self) -> dict[str, int]:
        counts = {str(kind): 0 for kind in ChangeKind}
        for change in self.changes:
            counts[str(change.kind)] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "changes": [c.to_json() for c in self.changes],
            "already_applied": self.already_applied,
            "problems": [p.__dict__ for p in self.problems],
            "children": self.children,
            "episodes": self.episodes,
            "seeded_children": self.seeded_children,
            "seeded_placements": self.seeded_placements,
            "counts": self.counts(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Report":
        return cls(
            first=data["first"],
            changes=[Change.from_json(c) for c in data["changes"]],
            already_applied=data["already_applied"],
            problems=[Problem(**p) for p in data["problems"]],
            children=data["children"],
            episodes=data["episodes"],
            seeded_children=data["seeded_children"],
            seeded_placements=data["seeded_placements"],
        )


def held_children(session: Session, responsible_authority_code: str) -> dict[str, HeldChild]:
    """Our children and their placements, as the comparison needs them (one query)."""
    rows = session.execute(
        select(
            Child.id,
            Child.case_reference,
            Placement.id,
            Placement.start_date,
            Placement.end_date,
            Placement.postcode,
        )
        .outerjoin(Placement, Placement.child_id == Child.id)
        .where(Child.responsible_authority_code == responsible_authority_code)
        .order_by(Child.id, Placement.start_date)
    )
    placements: dict[tuple[int, str], list[HeldPlacement]] = defaultdict(list)
    for child_id, reference, placement_id, start, end, postcode in rows:
        entry = placements[(child_id, reference)]
        if placement_id is not None:
            entry.append(HeldPlacement(placement_id, start, end, postcode))
    return {ref: HeldChild(cid, ref, tuple(ps)) for (cid, ref), ps in placements.items()}


def is_first_import(session: Session) -> bool:
    done = (ImportStatus.SEEDED, ImportStatus.CONFIRMED)
    return not session.scalar(
        select(func.count()).select_from(CaseSystemImport).where(CaseSystemImport.status.in_(done))
    )


def compare_extract(session: Session, extract: Extract, responsible_authority_code: str) -> Report:
    """The change report for an extract, writing nothing."""
    report = Report(
        first=is_first_import(session),
        problems=list(extract.problems),
        children=len(extract.children),
        episodes=extract.episodes,
    )
    held = held_children(session, responsible_authority_code)
    if report.first:
        new = [c for c in extract.stints if c not in held and extract.stints[c]]
        report.seeded_children = len(new)
        report.seeded_placements = sum(len(extract.stints[c]) for c in new)
        return report
    changes = find_changes(held, extract)
    applied = _applied_keys(session, [c.key for c in changes])
    report.changes = [c for c in changes if c.key not in applied]
    report.already_applied = len(changes) - len(report.changes)
    return report


def stage_import(
    session: Session,
    extract: Extract,
    *,
    responsible_authority_code: str,
    source: str,
    actor_id: int | None,
    hold_above: int,
    progress: Progress | None = None,
) -> CaseSystemImport:
    """Keep the extract's report for a person to confirm; the first extract seeds instead."""
    report = compare_extract(session, extract, responsible_authority_code)
    if report.first:
        status = ImportStatus.SEEDED
    elif len(report.actionable) > hold_above:
        status = ImportStatus.HELD_FOR_MANAGER
    else:
        status = ImportStatus.AWAITING_CONFIRMATION
    record = CaseSystemImport(created_by_id=actor_id, source=source[:500], report={}, status=status)
    session.add(record)
    session.flush()
    if report.first:
        with session.no_autoflush:
            _seed(session, record, extract, responsible_authority_code, actor_id, progress)
        record.confirmed_by_id = actor_id
        record.confirmed_at = record.created_at
        report.problems = list(extract.problems)
    record.report = report.to_json()
    return record


def confirm_import(
    session: Session,
    record: CaseSystemImport,
    *,
    responsible_authority_code: str,
    actor: User,
    today: date,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Apply the report's changes through the placement service, each in its own savepoint:
    a change the service refuses is listed with its reason and leaves nothing behind."""
    if record.status not in (ImportStatus.AWAITING_CONFIRMATION, ImportStatus.HELD_FOR_MANAGER):
        raise InvalidInput({"import": [f"This import is {record.status.replace('_', ' ')}"]})
    if actor.role not in CONFIRM_ROLES:
        raise InvalidInput({"import": ["Only SQA officers and managers confirm imports"]})
    if record.status == ImportStatus.HELD_FOR_MANAGER and actor.role not in MANAGER_ROLES:
        raise InvalidInput(
            {"import": ["This import has more changes than one person may confirm: a manager must"]}
        )
    report = Report.from_json(record.report)
    ra = responsible_authority_code
    first_notification = session.scalar(select(func.max(Notification.id))) or 0
    applied: list[str] = []
    skipped: list[dict[str, str]] = []
    touched: set[int] = set()
    already = _applied_keys(session, [c.key for c in report.changes])
    for done, change in enumerate(report.changes, start=1):
        if progress:
            progress(done)
        if not change.actionable:
            continue
        if change.key in already:
            skipped.append({"key": change.key, "reason": "already applied by another import"})
            continue
        try:
            with session.begin_nested():
                child, placement = _apply(session, change, ra, actor.id, today, record.id)
                session.add(
                    CaseSystemChange(
                        key=change.key,
                        import_id=record.id,
                        kind=change.kind,
                        child_id=child.id,
                        placement_id=placement.id if placement else None,
                    )
                )
                session.flush()
        except InvalidInput as exc:
            skipped.append(
                {"key": change.key, "reason": "; ".join(" ".join(v) for v in exc.fields.values())}
            )
            continue
        except Conflict as exc:
            skipped.append({"key": change.key, "reason": str(exc)})
            continue
        applied.append(change.key)
        touched.add(child.id)
    late = _mark_late(session, first_notification, touched, today)
    written = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.id > first_notification, Notification.child_id.in_(touched))
    )
    record.status = ImportStatus.CONFIRMED
    record.confirmed_by_id = actor.id
    record.confirmed_at = utcnow()
    record.outcome = {
        "applied": len(applied),
        "skipped": skipped,
        "notifications": written or 0,
        "late": late,
        "to_look_into": sum(1 for c in report.changes if not c.actionable),
    }
    return record.outcome


def discard_import(session: Session, record: CaseSystemImport, *, actor: User) -> None:
    if record.status not in (ImportStatus.AWAITING_CONFIRMATION, ImportStatus.HELD_FOR_MANAGER):
        raise InvalidInput({"import": [f"This import is {record.status.replace('_', ' ')}"]})
    record.status = ImportStatus.DISCARDED
    record.confirmed_by_id = actor.id
    record.confirmed_at = utcnow()


def _applied_keys(session: Session, keys: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        found.update(
            session.scalars(
                select(CaseSystemChange.key).where(CaseSystemChange.key.in_(wanted[i : i + 500]))
            )
        )
    return found


def _child_by_reference(session: Session, ra: str, reference: str) -> Child:
    child = session.scalar(
        select(Child).where(
            Child.responsible_authority_code == ra, Child.case_reference == reference
        )
    )
    if child is None:
        raise InvalidInput({"child": [f"No child with case reference {reference} is recorded"]})
    return child


def _details(stint: Stint) -> PlacementDetails:
    return PlacementDetails(
        start_date=stint.start,
        placement_type=stint.place,
        provider=stint.provider or "",
        address_line_1=ADDRESS_TO_FOLLOW,
        postcode=stint.postcode,
        urn=stint.urn,
        reason_for_change=stint.reason_for_change,
        # a change that reaches us after its date could not be notified in advance
        late_reason=LATE_REASON,
    )


def _apply(
    session: Session, change: Change, ra: str, actor_id: int, today: date, import_id: int
) -> tuple[Child, Placement | None]:
    if change.kind == ChangeKind.NEW_CHILD:
        return _apply_new_child(session, change, ra, actor_id, today, import_id)
    child = _child_by_reference(session, ra, change.child)
    stint = change.stints[0]
    if change.kind in (ChangeKind.START, ChangeKind.MOVE):
        placement = record_placement(
            session,
            child,
            _details(stint),
            expected_version=child.version,
            actor_id=actor_id,
            today=today,
        ).placement
        placement.legal_status = child.legal_status = stint.legal_status
        child.category_of_need = stint.cin or child.category_of_need
        return child, placement
    if change.kind == ChangeKind.END:
        ending = next(
            (p for p in child.placements if p.start_date == stint.start and p.end_date is None),
            None,
        )
        if ending is None:
            raise InvalidInput(
                {"end_date": [f"No open placement from {stint.start:%-d %B %Y} to end"]}
            )
        assert stint.end is not None and stint.end_reason is not None
        end_placement(
            session,
            child,
            ending,
            end_date=stint.end,
            end_reason=stint.end_reason,
            destination=None,
            expected_version=child.version,
            today=today,
            not_practicable_reason=LATE_REASON,
        )
        return child, ending
    raise ValueError(f"{change.kind} is not applied automatically")


def _apply_new_child(
    session: Session, change: Change, ra: str, actor_id: int, today: date, import_id: int
) -> tuple[Child, Placement | None]:
    """Record the child, their earlier placements as history (no notices: they are over),
    and the latest placement through the service, which notifies."""
    stints = change.stints
    latest = stints[-1]
    assert change.facts is not None
    child = record_child(session, _child_details(change.child, change.facts, latest), ra, today)
    child.upn = change.facts.get("upn")
    mother = change.facts.get("mother")
    child.mother = None if mother is None else mother == "1"
    child.category_of_need = latest.cin
    locate = _Locator(session, ra)
    try:
        history = [_history_placement(locate, child, s, actor_id) for s in stints[:-1]]
    except PostcodeError as exc:
        raise InvalidInput({"postcode": [str(exc)]}) from exc
    session.add_all(history)
    for stint in stints[:-1]:
        session.add(
            CaseSystemChange(
                key=placement_key(change.child, stint),
                import_id=import_id,
                kind=ChangeKind.START,
                child_id=child.id,
            )
        )
    session.flush()
    session.refresh(child)
    placement = record_placement(
        session,
        child,
        _details(latest),
        expected_version=child.version,
        actor_id=actor_id,
        today=today,
    ).placement
    placement.legal_status = latest.legal_status
    return child, placement


def _child_details(reference: str, facts: dict[str, str | None], latest: Stint) -> ChildDetails:
    return ChildDetails(
        case_reference=reference,
        given_name=NAME_NOT_IN_EXTRACT,
        family_name=NAME_NOT_IN_EXTRACT,
        date_of_birth=date.fromisoformat(str(facts["date_of_birth"])),
        sex=str(facts["sex"]),
        ethnicity=facts.get("ethnicity"),
        legal_status=latest.legal_status,
        home_postcode=latest.home_postcode,
    )


class _Locator:
    """Postcodes resolved once each, for the many placements of a seed."""

    def __init__(self, session: Session, ra: str) -> None:
        self.session = session
        self.ra = ra
        self.neighbours = adjoining(session, ra)
        self._cache: dict[str, Location | PostcodeError] = {}

    def __call__(self, postcode: str) -> Location:
        found = self._cache.get(postcode)
        if found is None:
            try:
                found = resolve_postcode(self.session, postcode)
            except PostcodeError as exc:
                found = exc
            self._cache[postcode] = found
        if isinstance(found, PostcodeError):
            raise found
        return found


def _history_placement(
    locate: _Locator, child: Child, stint: Stint, actor_id: int | None
) -> Placement:
    return Placement(child=child, **_placement_row(locate, stint, actor_id))


def _placement_row(locate: _Locator, stint: Stint, actor_id: int | None) -> dict[str, Any]:
    """A past placement's columns, derived as record_placement derives them."""
    home = locate(stint.home_postcode)
    placed = locate(stint.postcode)
    if placed.authority_code is None:
        raise PostcodeError(f"{placed.postcode} is in Northern Ireland")
    geography = placement_geography(home, placed, locate.ra, locate.neighbours)
    return dict(
        start_date=stint.start,
        end_date=_last_night(stint),
        placement_type=stint.place,
        provider=stint.provider or "",
        urn=stint.urn,
        address_line_1=ADDRESS_TO_FOLLOW,
        postcode=placed.postcode,
        reason_for_change=stint.reason_for_change,
        end_reason=stint.end_reason,
        legal_status=stint.legal_status,
        host_authority_code=placed.authority_code,
        host_health_body_code=placed.health_body_code,
        location=geography.location,
        distance_miles=geography.distance_miles,
        adjoining=geography.adjoining,
        at_a_distance=geography.at_a_distance,
        created_by_id=actor_id,
        created_at=utcnow(),
        version=1,
    )


def _last_night(stint: Stint) -> date | None:
    """Our end date: a move's old placement ends the day before the new one starts (the 903
    ceases it on the new one's start, REC X1); any other end is the day care ended."""
    if stint.end is None:
        return None
    if stint.end_reason == "X1" and stint.end > stint.start:
        return stint.end - timedelta(days=1)
    return stint.end


def _seed(
    session: Session,
    record: CaseSystemImport,
    extract: Extract,
    ra: str,
    actor_id: int | None,
    progress: Progress | None,
) -> None:
    held = held_children(session, ra)
    locate = _Locator(session, ra)
    keys: list[dict[str, Any]] = []
    children: list[dict[str, Any]] = []
    placements_of: dict[str, list[dict[str, Any]]] = {}
    now = utcnow()
    # Resolve every postcode before adding anything: a query with rows pending would flush
    # them one child at a time.
    for stints in extract.stints.values():
        for stint in stints:
            for postcode in (stint.home_postcode, stint.postcode):
                with suppress(PostcodeError):
                    locate(postcode)
    for done, (reference, stints) in enumerate(sorted(extract.stints.items()), start=1):
        if progress:
            progress(done)
        if reference in held or not stints:
            continue
        row = extract.children[reference]
        latest = stints[-1]
        try:
            home = locate(latest.home_postcode)
            if home.authority_code is None:
                raise PostcodeError(f"{home.postcode} is in Northern Ireland")
            child = dict(
                responsible_authority_code=ra,
                case_reference=reference,
                given_name=NAME_NOT_IN_EXTRACT,
                family_name=NAME_NOT_IN_EXTRACT,
                date_of_birth=row.date_of_birth,
                sex=row.sex,
                ethnicity=row.ethnicity,
                legal_status=latest.legal_status,
                home_postcode=home.postcode,
                category_of_need=latest.cin,
                upn=row.upn,
                mother=row.mother,
                created_at=now,
                updated_at=now,
                version=1,
            )
            placements = [_placement_row(locate, s, actor_id) for s in stints]
        except PostcodeError as exc:
            extract.problems.append(
                Problem("episodes", latest.line, f"CHILD {reference}: {exc} (not seeded)")
            )
            continue
        children.append(child)
        placements_of[reference] = placements
        keys.append({"key": f"{reference}/child", "kind": ChangeKind.NEW_CHILD})
        for stint in stints:
            keys.append({"key": placement_key(reference, stint), "kind": ChangeKind.START})
            if stint.end is not None:
                keys.append(
                    {"key": end_key(reference, stint.start, stint.end), "kind": ChangeKind.END}
                )
    # Plain inserts, many rows a statement: a seed is tens of thousands of rows.
    for i in range(0, len(children), SEED_BATCH):
        ids = session.execute(
            insert(Child).returning(Child.id, Child.case_reference),
            children[i : i + SEED_BATCH],
        ).all()
        rows = [
            {**placement, "child_id": child_id}
            for child_id, reference in ids
            for placement in placements_of[reference]
        ]
        session.execute(insert(Placement), rows)
    if keys:
        session.execute(
            insert(CaseSystemChange),
            [{**k, "import_id": record.id, "kind": str(k["kind"])} for k in keys],
        )


def _mark_late(session: Session, after_id: int, child_ids: set[int], today: date) -> int:
    """Notices due before the change reached us are late, and say why."""
    if not child_ids:
        return 0
    result = session.execute(
        update(Notification)
        .where(
            Notification.id > after_id,
            Notification.child_id.in_(child_ids),
            Notification.send_by < today,
        )
        .values(late_reason=LATE_REASON)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
