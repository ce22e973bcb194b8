"""The reference-data commands, run through Flask's CLI runner on a throwaway database."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from models.base import Base
from models.reference import Authority, Postcode
from notify import create_app
from notify.config import for_testing
from notify.directory.cli import directory_import_contacts
from notify.extensions import db
from notify.geography.cli import geo_import_onspd, seed_reference

from .conftest import FIXTURES


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(for_testing(f"sqlite:///{tmp_path / 'cli.sqlite3'}"))
    with app.app_context():
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


def run(app: Flask, command, *args: object):
    return app.test_cli_runner().invoke(command, [str(a) for a in args])


def test_seed_reference_loads_then_skips_unchanged_files(app: Flask, small_seeds: Path) -> None:
    first = run(app, seed_reference, "--seeds", small_seeds)
    assert first.exit_code == 0, first.output
    assert "authorities: 207 rows" in first.output
    second = run(app, seed_reference, "--seeds", small_seeds)
    assert "authorities: unchanged" in second.output
    assert "postcodes: unchanged" in second.output


def test_import_onspd_shows_progress_and_counts_and_commits(app: Flask, small_seeds: Path) -> None:
    run(app, seed_reference, "--seeds", small_seeds)
    refused = run(app, geo_import_onspd, FIXTURES / "onspd_new_columns.csv")
    assert refused.exit_code == 1 and "new district code: E06000099" in refused.output
    result = run(app, geo_import_onspd, FIXTURES / "onspd_new_columns.csv", "--apply")
    assert result.exit_code == 0, result.output
    assert "Importing postcodes" in result.output
    assert "terminated: 2" in result.output
    with app.app_context():
        assert db.session.get(Postcode, "BT1 1AA") is not None


def test_import_contacts_saves_good_lines_and_lists_the_rest(
    app: Flask, small_seeds: Path, tmp_path: Path
) -> None:
    run(app, seed_reference, "--seeds", small_seeds)
    path = tmp_path / "contacts.csv"
    path.write_text("code,email\nE10000034,p@worcs.example\nE99999999,x@example.org\n")
    result = run(app, directory_import_contacts, path)
    assert result.exit_code == 1
    assert "1 updated, 0 already up to date, 1 line(s) not used" in result.output
    assert "Line 3: No authority or health body has the code E99999999" in result.output
    with app.app_context():
        email = db.session.scalar(
            select(Authority.notification_email).where(Authority.code == "E10000034")
        )
    assert email == "p@worcs.example"


@pytest.mark.parametrize(
    ("command", "content", "message"),
    [
        (geo_import_onspd, "code,email\n", "This is not an ONS Postcode Directory file"),
        (geo_import_onspd, None, "does not exist"),
        (directory_import_contacts, None, "does not exist"),
        (directory_import_contacts, b"\xff\xfe\x00bad", "is not a UTF-8 text file"),
    ],
)
def test_bad_arguments_get_a_message_not_a_traceback(
    app: Flask, small_seeds: Path, tmp_path: Path, command, content, message
) -> None:
    run(app, seed_reference, "--seeds", small_seeds)
    path = tmp_path / "input.csv"
    if isinstance(content, str):
        path.write_text(content)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = run(app, command, path)
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert isinstance(result.exception, SystemExit)  # click's own exit, not an error escaping


def test_an_administrator_corrects_the_adjoining_list_both_ways_and_it_is_audited(
    app: Flask, small_seeds: Path
) -> None:
    from models import AuditEvent, ReferenceVersion
    from notify.geography.cli import geo_adjoining
    from notify.geography.reference import load_reference
    from notify.geography.store import adjoining

    run(app, seed_reference, "--seeds", small_seeds)
    worcestershire, powys, solihull = "E10000034", "W06000023", "E08000029"
    added = run(app, geo_adjoining, "add", worcestershire, powys, "--reason", "test")
    removed = run(app, geo_adjoining, "remove", solihull, worcestershire, "--reason", "test")
    unknown = run(app, geo_adjoining, "add", worcestershire, "E99999999", "--reason", "x")
    assert (added.exit_code, removed.exit_code) == (0, 0), added.output + removed.output
    assert unknown.exit_code == 1 and "E99999999 is not an authority we know" in unknown.output
    with app.app_context():
        session = db.session()
        for _ in range(2):  # and after reloading the seeds, the corrections stand
            assert powys in adjoining(session, worcestershire)
            assert worcestershire in adjoining(session, powys)
            assert solihull not in adjoining(session, worcestershire)
            assert worcestershire not in adjoining(session, solihull)
            # as if the adjoining file had changed: it is loaded again
            session.get(ReferenceVersion, "adjoining_authorities").checksum = "changed"
            load_reference(session, small_seeds)
        actions = {e.action for e in session.scalars(select(AuditEvent))}
        assert actions == {"adjoining_add", "adjoining_remove"}
