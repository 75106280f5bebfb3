"""Shared fixtures: a database per test on SQLite, and on PostgreSQL when
COI_TEST_DATABASE_URL is set.

Migrating a new database costs more than most tests, so each test process migrates
once: SQLite tests get a copy of a migrated template file; PostgreSQL tests share one
migrated schema per test process, emptied before each test. Tests of migrations
themselves use ``empty_db_url``: a database nothing has touched.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PG_URL = os.environ.get("COI_TEST_DATABASE_URL")
PG_SKIP = "COI_TEST_DATABASE_URL not set: PostgreSQL tests skipped (see the README's quick start)"


def _schema_url(schema: str) -> str:
    assert PG_URL
    sep = "&" if "?" in PG_URL else "?"
    # A schema of the test's own; no waiting for the disk at each commit (tests need
    # isolation, not durability).
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"


@contextmanager
def _new_schema(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL schema (skipping the test without a server), dropped after."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    from sqlalchemy import create_engine, text

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from coi.store.db import open_engine

    path = tmp_path_factory.mktemp("template") / "coi.db"
    open_engine(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, _sqlite_template: Path) -> str:
    """A migrated, empty SQLite database of this test's own."""
    target = tmp_path / "coi.db"
    shutil.copyfile(_sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def empty_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture(scope="session")
def _pg_schema() -> Iterator[str]:
    """One migrated schema for this test process, dropped at the end."""
    from coi.store.db import open_engine

    with _new_schema("t") as schema:
        open_engine(_schema_url(schema)).dispose()
        yield schema


@pytest.fixture
def pg_url(_pg_schema: str) -> str:
    """The process's migrated PostgreSQL schema, emptied for this test."""
    from sqlalchemy import create_engine, text

    from coi.store.schema import Base

    url = _schema_url(_pg_schema)
    engine = create_engine(url)
    # DELETE, children first: on tables this small it is many times faster than TRUNCATE,
    # which rewrites every table's files.
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))
    engine.dispose()
    return url


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new, empty schema, dropped afterwards."""
    with _new_schema("t") as schema:
        yield _schema_url(schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each database test runs on SQLite always and on PostgreSQL when configured."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest) -> str:
    """A database nothing has touched yet, on each backend: for tests of migrations."""
    name = "empty_sqlite_url" if request.param == "sqlite" else "empty_pg_url"
    return str(request.getfixturevalue(name))


def _load_example(url: str) -> None:
    from coi.formats.register import read_register
    from coi.store.db import open_engine, session_factory
    from coi.store.register import save_register

    engine = open_engine(url)
    with session_factory(engine)() as s, s.begin():
        save_register(s, read_register([DATA / "plymouth.yaml"]))
    engine.dispose()


@pytest.fixture(scope="session")
def _example_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("example") / "coi.db"
    _load_example(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _example_pg_schema() -> Iterator[str]:
    """The example register loaded once into a schema this test process copies from."""
    with _new_schema("e") as schema:
        _load_example(_schema_url(schema))
        yield schema


@pytest.fixture
def example_sqlite_url(tmp_path: Path, _example_sqlite_template: Path) -> str:
    """A database of this test's own holding the example register (data/plymouth.yaml)."""
    target = tmp_path / "coi.db"
    shutil.copyfile(_example_sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def example_pg_url(pg_url: str, _pg_schema: str, _example_pg_schema: str) -> str:
    """The process's PostgreSQL schema, emptied, then filled with a copy of the example."""
    from sqlalchemy import create_engine, text

    from coi.store.schema import Base

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            conn.execute(
                text(
                    f'INSERT INTO "{_pg_schema}"."{table.name}" '
                    f'SELECT * FROM "{_example_pg_schema}"."{table.name}"'
                )
            )
            for column in table.primary_key.columns:
                if column.autoincrement is True:  # serial ids must go on past the copies
                    qualified = f'"{_pg_schema}"."{table.name}"'
                    sequence = f"pg_get_serial_sequence('{qualified}', '{column.name}')"
                    conn.execute(
                        text(
                            f'SELECT setval({sequence}, COALESCE(MAX("{column.name}"), 0) + 1, '
                            f"false) FROM {qualified}"
                        )
                    )
    engine.dispose()
    return pg_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def example_db_url(request: pytest.FixtureRequest) -> str:
    """The example register, ready, on each backend."""
    name = "example_sqlite_url" if request.param == "sqlite" else "example_pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture(autouse=True, scope="session")
def _build_the_command_tree_once() -> Iterator[None]:
    """typer's test runner rebuilds the whole command tree from the signatures on every
    invoke; the suite runs hundreds, so build each tree once. (A private hook of typer's:
    if it is renamed, the tests run as before, only slower.)"""
    import functools

    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is None:
        yield
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.testing, "_get_command", functools.cache(build))
        yield


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output written to a pipe is as wide as COLUMNS says; pytest-xdist's workers inherit
    a COLUMNS of their own, so each test starts without one (and sets it when it tests it)."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example() -> Path:
    return DATA / "plymouth.yaml"
