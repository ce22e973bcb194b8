"""The migrations build exactly the models' schema, from empty, with one head, and unwind."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from models import Base
from notify import create_app
from notify.config import ROOT, for_testing
from notify.extensions import db, migrate
from tests.support.apps import dispose


def _fresh_app(tmp_path: Path) -> Flask:
    return create_app(for_testing(f"sqlite:///{tmp_path / 'fresh.sqlite3'}"))


def test_migrations_have_a_single_head() -> None:
    script = ScriptDirectory(str(ROOT / "migrations"))
    assert len(script.get_heads()) == 1


def test_migration_files_are_numbered_in_sequence() -> None:
    names = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    assert [n[:4] for n in names] == [f"{i:04d}" for i in range(1, len(names) + 1)]


def test_upgrade_from_empty_gives_exactly_the_models_schema(tmp_path: Path) -> None:
    app = _fresh_app(tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, **migrate.alembic_ctx_kwargs}
            )
            assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_removes_every_table(tmp_path: Path) -> None:
    app = _fresh_app(tmp_path)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()


def test_postgres_upgrade_gives_the_models_schema(postgres_url: str) -> None:
    app = create_app(for_testing(postgres_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts=migrate.alembic_ctx_kwargs)
            assert compare_metadata(context, Base.metadata) == []
    dispose(app)
