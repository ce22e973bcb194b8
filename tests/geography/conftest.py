"""A small reference database for the geography tests: every seeds file as shipped, except
postcodes, cut down to the areas the tests use (loading all 1.7 million takes ~15 s; the
app's test database does that once for the rest of the suite)."""

import lzma
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from models.base import Base
from notify import configure_sqlite
from notify.config import ROOT
from notify.geography.reference import load_reference

SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
POSTCODE_AREAS = (
    "WR1 ",
    "HR1 ",
    "TR21 ",
    "CF10 ",
    "AB10 ",
    "SE1P ",
    "IP17 ",
    "B29 ",
    "PO30 ",
    "HP20 ",
    "BT1 ",
    "BT7 ",
    "CH41 ",
    "L1 ",
    "LU1 ",
    "N1 ",
    "IP1 ",
    "CO1 ",
    "GU1 ",
    "GU14 ",
    "SL1 ",
)


def write_small_seeds(target: Path, areas: tuple[str, ...] = POSTCODE_AREAS) -> Path:
    """A copy of seeds/ whose postcodes file holds only postcodes starting with `areas`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in SEEDS.glob("*.csv"):
        shutil.copy(path, target / path.name)
    with lzma.open(SEEDS / "postcodes.csv.xz", "rt", encoding="ascii", newline="") as handle:
        lines = [next(handle)] + [line for line in handle if line.startswith(areas)]
    (target / "postcodes.csv.xz").write_bytes(lzma.compress("".join(lines).encode("ascii")))
    return target


@pytest.fixture(scope="session")
def small_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_seeds(tmp_path_factory.mktemp("seeds"))


def empty_database(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    configure_sqlite(engine)
    Base.metadata.create_all(engine)
    return engine


@pytest.fixture(scope="session")
def geo_engine(tmp_path_factory: pytest.TempPathFactory, small_seeds: Path) -> Engine:
    engine = empty_database(tmp_path_factory.mktemp("geo") / "reference.sqlite3")
    with Session(engine) as session:
        load_reference(session, small_seeds)
        session.commit()
    return engine


@pytest.fixture
def geo_session(geo_engine: Engine) -> Iterator[Session]:
    """A session on the small reference database, rolled back after the test."""
    with geo_engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


@pytest.fixture
def fresh_session(tmp_path: Path) -> Iterator[Session]:
    """A session on an empty reference schema (no data loaded)."""
    engine = empty_database(tmp_path / "empty.sqlite3")
    with Session(engine) as session:
        yield session
    engine.dispose()
