"""Importing extracts: the first seeds and tells nobody; a later one gives exactly the changes
it shows and the rows it could not use; confirming sends the notices through the placement
service; the same or an overlapping extract notifies nothing twice."""

from collections.abc import Callable
from datetime import date, timedelta
from itertools import count

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import CaseSystemImport, Child, Notification, Placement, User
from models.enums import ChangeKind, ImportStatus, Role
from notify.auth.service import create_user
from notify.imports.extract import read_extract
from notify.imports.service import LATE_REASON, confirm_import, stage_import
from notify.problems import InvalidInput
from tests.imports.extracts import Extract903
from tests.support.builders import HOME, TODAY, give_addresses

T = TODAY
DOB = date(2012, 5, 1)
CORNWALL, HEREFORDSHIRE = "E06000052", "E06000019"
_emails = count()


def _user(session: Session, role: str = Role.SQA_OFFICER) -> User:
    return create_user(
        session,
        email=f"{role}.{next(_emails)}@imports.example",
        name=f"Pat {role}",
        role=role,
        password="a long enough password",
    )


def _stage(session: Session, extract: Extract903, hold_above: int = 50) -> CaseSystemImport:
    record = stage_import(
        session,
        read_extract(extract.files()),
        responsible_authority_code=HOME,
        source="header.csv, episodes.csv",
        actor_id=None,
        hold_above=hold_above,
    )
    session.flush()
    return record


def _notices(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Notification)) or 0


def _first() -> Extract903:
    x = Extract903()
    for child in ("1001", "1002", "1003", "1004", "1005"):
        x.child(child, DOB)
    x.episode("1001", T - timedelta(days=200), "WR5 3AA")
    x.episode("1002", T - timedelta(days=150), "HR1 1AA")
    x.episode("1003", T - timedelta(days=100), "WR5 3AA")
    x.episode("1004", T - timedelta(days=90), "TR1 1AA")
    x.episode("1005", T - timedelta(days=80), "WR5 3AA")
    return x


def _second() -> Extract903:
    """1001 moves to Cornwall in 10 days; 1002's placement ended 5 days ago; 1003 moved to
    Herefordshire 20 days ago (a late entry); 1005's postcode is corrected; 1004 has gone from
    the extract; 1006 is new; two rows are unusable."""
    x = Extract903()
    for child in ("1001", "1002", "1003", "1005", "1006"):
        x.child(child, DOB)
    x.header.append({"CHILD": "1007", "SEX": "9", "DOB": "01/05/2012", "ETHNIC": "WBRI"})
    x.episode("1001", T - timedelta(days=200), "WR5 3AA", end=T + timedelta(days=10), rec="X1")
    x.episode("1001", T + timedelta(days=10), "TR1 1AA", rne="P", place="K2", provider="PR4",
              reason="CARPL")  # fmt: skip
    x.episode("1002", T - timedelta(days=150), "HR1 1AA", end=T - timedelta(days=5), rec="E4A")
    x.episode("1003", T - timedelta(days=100), "WR5 3AA", end=T - timedelta(days=20), rec="X1")
    x.episode("1003", T - timedelta(days=20), "HR1 1AA", rne="P")
    x.episode("1005", T - timedelta(days=80), "WR1 2AA")
    x.episode("1006", T - timedelta(days=3), "HR1 1AA")
    x.episode("1006", T - timedelta(days=2), "HR1 1AA", place="ZZ")
    return x


@pytest.fixture
def seeded(db_session: Session) -> Session:
    give_addresses(db_session, CORNWALL, HEREFORDSHIRE, "E54000019", "E54000036")
    _stage(db_session, _first())
    return db_session


def test_the_first_import_seeds_children_and_placements_and_tells_nobody(
    db_session: Session,
) -> None:
    before = _notices(db_session)
    record = _stage(db_session, _first())
    assert record.status == ImportStatus.SEEDED
    assert record.report["seeded_children"] == 5 and record.report["seeded_placements"] == 5
    child = db_session.scalar(select(Child).where(Child.case_reference == "1004"))
    assert child is not None and child.current_placement is not None
    assert child.current_placement.host_authority_code == CORNWALL
    assert child.current_placement.location == "OUT"
    assert _notices(db_session) == before


def test_a_later_extract_gives_exactly_its_changes_and_its_unusable_rows(seeded: Session) -> None:
    record = _stage(seeded, _second())
    changes = {(c["kind"], c["child"], c["on"]) for c in record.report["changes"]}
    assert changes == {
        (ChangeKind.MOVE, "1001", (T + timedelta(days=10)).isoformat()),
        (ChangeKind.END, "1002", (T - timedelta(days=5)).isoformat()),
        (ChangeKind.MOVE, "1003", (T - timedelta(days=20)).isoformat()),
        (ChangeKind.CORRECTION, "1005", (T - timedelta(days=80)).isoformat()),
        (ChangeKind.VANISHED, "1004", (T - timedelta(days=90)).isoformat()),
        (ChangeKind.NEW_CHILD, "1006", (T - timedelta(days=3)).isoformat()),
    }
    problems = [(p["file"], p["line"], p["reason"]) for p in record.report["problems"]]
    assert problems == [
        ("header.csv", 7, "SEX must be M, F or U (1 or 2 before 2024-25), not 9"),
        ("episodes.csv", 9, "PLACE ZZ is not a 903 placement type for that date"),
    ]
    assert record.status == ImportStatus.AWAITING_CONFIRMATION


def test_confirming_records_the_changes_through_the_placement_service_and_writes_notices(
    seeded: Session,
) -> None:
    before = _notices(seeded)
    record = _stage(seeded, _second())
    assert _notices(seeded) == before, "staging notifies nobody"
    outcome = confirm_import(
        seeded, record, responsible_authority_code=HOME, actor=_user(seeded), today=T
    )
    assert outcome["applied"] == 4 and outcome["skipped"] == []
    assert outcome["to_look_into"] == 2  # the correction and the vanished placement

    moved = seeded.scalar(select(Child).where(Child.case_reference == "1001"))
    assert moved is not None
    old, new = moved.placements
    assert (old.end_date, old.end_reason) == (T + timedelta(days=9), "X1")
    assert (new.start_date, new.host_authority_code, new.placement_type) == (
        T + timedelta(days=10), CORNWALL, "K2")  # fmt: skip
    told = set(
        seeded.execute(
            select(Notification.event, Notification.recipient_code).where(
                Notification.placement_id == new.id
            )
        ).all()
    )
    assert ("placement_start", CORNWALL) in told

    ended = seeded.scalar(select(Child).where(Child.case_reference == "1002"))
    assert ended is not None and ended.placements[0].end_date == T - timedelta(days=5)
    assert ended.placements[0].end_reason == "E4A"
    vanished = seeded.scalar(select(Child).where(Child.case_reference == "1004"))
    assert vanished is not None and vanished.current_placement is not None, "never ended"
    corrected = seeded.scalar(select(Child).where(Child.case_reference == "1005"))
    assert corrected is not None and corrected.placements[0].postcode == "WR5 3AA"
    new_child = seeded.scalar(select(Child).where(Child.case_reference == "1006"))
    assert new_child is not None and new_child.current_placement is not None
    assert outcome["notifications"] == _notices(seeded) - before > 0


def test_a_late_entry_keeps_its_date_and_its_overdue_notices_say_why(seeded: Session) -> None:
    record = _stage(seeded, _second())
    confirm_import(seeded, record, responsible_authority_code=HOME, actor=_user(seeded), today=T)
    late = seeded.scalar(select(Child).where(Child.case_reference == "1003"))
    assert late is not None and late.current_placement is not None
    assert late.current_placement.start_date == T - timedelta(days=20)
    rows = seeded.scalars(select(Notification).where(Notification.child_id == late.id)).all()
    assert rows
    for n in rows:
        assert (n.late_reason == LATE_REASON) == (n.send_by < T), (n.event, n.send_by)
    on_time = seeded.scalar(select(Child).where(Child.case_reference == "1001"))
    assert on_time is not None
    assert not seeded.scalars(
        select(Notification).where(
            Notification.child_id == on_time.id, Notification.late_reason.is_not(None)
        )
    ).all()


def test_importing_the_same_extract_again_notifies_nothing(seeded: Session) -> None:
    sqa = _user(seeded)
    confirm = _confirmer(seeded, sqa)
    confirm(_stage(seeded, _second()))
    after_first = _notices(seeded)
    again = _stage(seeded, _second())
    kinds = {c["kind"] for c in again.report["changes"]}
    assert kinds == {ChangeKind.CORRECTION, ChangeKind.VANISHED}, "only what a person must do"
    outcome = confirm(again)
    assert outcome["applied"] == 0 and _notices(seeded) == after_first


def test_an_older_overlapping_extract_notifies_nothing_and_ends_nothing(seeded: Session) -> None:
    confirm = _confirmer(seeded, _user(seeded))
    confirm(_stage(seeded, _second()))
    after = _notices(seeded)
    older = _stage(seeded, _first())  # 1003 still at its first placement, as before the move
    by_child = {(c["kind"], c["child"]) for c in older.report["changes"]}
    assert (ChangeKind.VANISHED, "1003") in by_child
    assert not {k for k, _ in by_child} & {ChangeKind.START, ChangeKind.MOVE, ChangeKind.END}
    confirm(older)
    assert _notices(seeded) == after
    child = seeded.scalar(select(Child).where(Child.case_reference == "1003"))
    assert child is not None and child.current_placement is not None
    assert child.current_placement.postcode == "HR1 1AA"


def test_a_change_recorded_on_the_web_form_first_is_not_recorded_again(seeded: Session) -> None:
    from tests.support.builders import create_placement

    child = seeded.scalar(select(Child).where(Child.case_reference == "1001"))
    assert child is not None
    create_placement(seeded, child, "TR1 1AA", start_date=T + timedelta(days=10))
    record = _stage(seeded, _second())
    assert "1001" not in {c["child"] for c in record.report["changes"]}


def test_a_batch_with_more_changes_than_the_setting_is_held_for_a_manager(
    seeded: Session,
) -> None:
    record = _stage(seeded, _second(), hold_above=3)
    assert record.status == ImportStatus.HELD_FOR_MANAGER
    with pytest.raises(InvalidInput, match="a manager must"):
        confirm_import(
            seeded, record, responsible_authority_code=HOME, actor=_user(seeded), today=T
        )
    assert record.status == ImportStatus.HELD_FOR_MANAGER
    outcome = confirm_import(
        seeded, record, responsible_authority_code=HOME, actor=_user(seeded, Role.MANAGER), today=T
    )
    assert outcome["applied"] == 4 and record.status == ImportStatus.CONFIRMED


def test_a_change_the_service_refuses_is_listed_and_leaves_nothing_half_written(
    seeded: Session,
) -> None:
    x = _second()
    x.episodes[1]["PL_POST"] = "WR99 9ZZ"  # 1001's move, to a postcode that does not exist
    record = _stage(seeded, x)
    outcome = confirm_import(
        seeded, record, responsible_authority_code=HOME, actor=_user(seeded), today=T
    )
    assert [s["key"] for s in outcome["skipped"]] == [
        f"1001/placement/{(T + timedelta(days=10)).isoformat()}"
    ]
    assert "WR99 9ZZ is not a live postcode" in outcome["skipped"][0]["reason"]
    child = seeded.scalar(select(Child).where(Child.case_reference == "1001"))
    assert child is not None and len(child.placements) == 1
    assert child.placements[0].end_date is None, "the old placement was not ended either"
    assert outcome["applied"] == 3


def test_a_confirmed_import_cannot_be_confirmed_again(seeded: Session) -> None:
    record = _stage(seeded, _second())
    sqa = _user(seeded)
    confirm_import(seeded, record, responsible_authority_code=HOME, actor=sqa, today=T)
    with pytest.raises(InvalidInput, match="This import is confirmed"):
        confirm_import(seeded, record, responsible_authority_code=HOME, actor=sqa, today=T)


def test_a_social_worker_cannot_confirm_an_import(seeded: Session) -> None:
    record = _stage(seeded, _second())
    with pytest.raises(InvalidInput, match="Only SQA officers and managers"):
        confirm_import(
            seeded,
            record,
            responsible_authority_code=HOME,
            actor=_user(seeded, Role.SOCIAL_WORKER),
            today=T,
        )


def _confirmer(session: Session, user: User) -> Callable[[CaseSystemImport], dict]:
    def confirm(record: CaseSystemImport) -> dict:
        return confirm_import(session, record, responsible_authority_code=HOME, actor=user, today=T)

    return confirm


def test_placements_seeded_from_an_extract_count_as_ours(seeded: Session) -> None:
    total = seeded.scalar(
        select(func.count())
        .select_from(Placement)
        .join(Child)
        .where(Child.case_reference.in_(["1001", "1002", "1003", "1004", "1005"]))
    )
    assert total == 5
