"""`flask cms import` and `flask cms confirm`: the report printed, a dry run that keeps
nothing, confirmation by a named user, and clear errors for bad arguments."""

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import CaseSystemImport, Child, Notification
from models.enums import Role
from notify.auth.service import create_user
from notify.imports.cli import cms
from tests.imports.extracts import Extract903
from tests.imports.test_service import _first, _second


def _write(extract: Extract903, folder: Path) -> Path:
    folder.mkdir()
    for named in extract.files():
        (folder / named.name).write_text(named.stream.getvalue(), newline="")
    return folder


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_dry_run_prints_the_report_and_keeps_nothing(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    folder = _write(_first(), tmp_path / "first")
    result = app.test_cli_runner().invoke(cms, ["import", str(folder), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "First import: 5 children and 5 placements to seed, without notices." in result.output
    assert "Dry run: nothing was kept." in result.output
    assert _count(db_session, CaseSystemImport) == 0
    assert db_session.scalar(select(Child).where(Child.case_reference == "1001")) is None


def test_import_then_confirm_from_the_command_line(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    seeded = runner.invoke(cms, ["import", str(_write(_first(), tmp_path / "first"))])
    assert seeded.exit_code == 0, seeded.output
    assert "the first extract, seeded; nobody was notified" in seeded.output

    second = runner.invoke(cms, ["import", str(_write(_second(), tmp_path / "second"))])
    assert second.exit_code == 0, second.output
    assert "2 move, 1 end, 1 correction, 1 vanished" in second.output
    assert "header.csv line 7: SEX must be M, F or U (1 or 2 before 2024-25), not 9" in (
        second.output
    )
    assert "episodes.csv line 9: PLACE ZZ is not a 903 placement type" in second.output
    record = db_session.scalars(select(CaseSystemImport).order_by(CaseSystemImport.id)).all()[-1]
    assert f"Import {record.id} awaits confirmation" in second.output

    create_user(db_session, email="sqa@imports.example", name="Sam SQA",
                role=Role.SQA_OFFICER, password="a long enough password")  # fmt: skip
    before = _count(db_session, Notification)
    confirmed = runner.invoke(cms, ["confirm", str(record.id), "--by", "sqa@imports.example"])
    assert confirmed.exit_code == 0, confirmed.output
    assert "Applied 4 changes" in confirmed.output
    assert _count(db_session, Notification) > before

    again = runner.invoke(cms, ["confirm", str(record.id), "--by", "sqa@imports.example"])
    assert again.exit_code == 1 and "This import is confirmed" in again.output


def test_bad_arguments_are_errors_a_person_can_act_on(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    missing = runner.invoke(cms, ["import", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "h.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")
    no_episodes = runner.invoke(cms, ["import", str(tmp_path / "only")])
    assert no_episodes.exit_code == 1 and "The extract has no 903 episodes file" in (
        no_episodes.output
    )
    nobody = runner.invoke(cms, ["confirm", "1", "--by", "nobody@example.org"])
    assert nobody.exit_code == 2 and "No active user has the email nobody@example.org" in (
        nobody.output
    )
    for output in (missing.output, no_episodes.output, nobody.output):
        assert "Traceback" not in output
