"""The store: schema migrations, upserts with honest counts, and reading back what was saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from coi.domain.model import Register
from coi.errors import DatabaseVersionError, UsageError
from coi.formats.register import read_register as read_files
from coi.store.db import current_revision, head_revision, make_engine, open_engine, session_factory
from coi.store.register import known, read_register, save_register


def save(url: str, register: Register) -> dict[str, dict[str, int]]:
    engine = open_engine(url)
    try:
        with session_factory(engine)() as s, s.begin():
            return save_register(s, register).as_dict()
    finally:
        engine.dispose()


def stored(url: str) -> Register:
    engine = open_engine(url)
    try:
        with session_factory(engine)() as s:
            return read_register(s)
    finally:
        engine.dispose()


def test_example_loads_and_reads_back_the_same(db_url: str, example: Path) -> None:
    register = read_files([example])
    counts = save(db_url, register)
    assert counts["organisations"]["created"] == len(register.organisations)
    back = stored(db_url)
    for section in ("organisations", "people", "relations", "affiliations", "interests", "gifts"):
        assert sorted(getattr(back, section), key=lambda r: r.id) == sorted(
            getattr(register, section), key=lambda r: r.id
        ), section
    assert {b.id: b for b in back.bodies} == {b.id: b for b in register.bodies}
    assert {x.id: x for x in back.seats} == {x.id: x for x in register.seats}
    assert {m.id: m for m in back.meetings} == {
        m.id: replace(m, guests=tuple(sorted(m.guests))) for m in register.meetings
    }


def test_loading_twice_changes_nothing(db_url: str, example: Path) -> None:
    register = read_files([example])
    save(db_url, register)
    counts = save(db_url, register)
    assert all(c["created"] == 0 and c["updated"] == 0 for c in counts.values())
    assert sum(c["unchanged"] for c in counts.values()) > 0


def test_an_edit_is_counted_as_updated_and_a_meeting_change_raises_its_sequence(
    db_url: str, example: Path
) -> None:
    register = read_files([example])
    save(db_url, register)
    interest = register.interests[0]
    meeting = register.meetings[0]
    changed = Register(
        interests=(replace(interest, end=dt.date(2030, 1, 1)),),
        meetings=(replace(meeting, location="Elsewhere"),),
    )
    counts = save(db_url, changed)
    assert counts == {
        "interests": {"created": 0, "updated": 1, "unchanged": 0},
        "meetings": {"created": 0, "updated": 1, "unchanged": 0},
    }
    back = stored(db_url)
    assert next(i for i in back.interests if i.id == interest.id).end == dt.date(2030, 1, 1)
    assert next(m for m in back.meetings if m.id == meeting.id).sequence == meeting.sequence + 1


def test_known_ids_let_a_second_file_refer_to_the_first(db_url: str, tmp_path: Path) -> None:
    first = tmp_path / "orgs.yaml"
    first.write_text("organisations:\n  - {id: harbour, name: Harbour}\n")
    second = tmp_path / "interests.yaml"
    second.write_text(
        "interests:\n  - {id: i, organisation: harbour, category: financial,"
        " kind: holds-contract, description: Contract}\n"
    )
    save(db_url, read_files([first]))
    engine = open_engine(db_url)
    with session_factory(engine)() as s:
        k = known(s)
    engine.dispose()
    save(db_url, read_files([second], k))
    assert [i.organisation for i in stored(db_url).interests] == ["harbour"]


def test_foreign_keys_are_enforced(db_url: str) -> None:
    engine = open_engine(db_url)
    with pytest.raises(IntegrityError), session_factory(engine)() as s, s.begin():
        s.execute(
            text(
                "INSERT INTO interests (id, category, kind, description, person, service_areas,"
                ' counterparties, "references", action_agreed, publish, withheld_reason)'
                " VALUES ('i', 'financial', 'other', 'x', 'nobody', '[]', '[]', '[]', '', true, '')"
            )
        )
    engine.dispose()


def test_new_database_is_at_head(empty_db_url: str) -> None:
    engine = open_engine(empty_db_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_database_from_a_newer_coi_is_refused(empty_db_url: str) -> None:
    engine = open_engine(empty_db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseVersionError, match="made by a newer coi"):
        open_engine(empty_db_url)


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id integer)"))
    engine.dispose()
    with pytest.raises(DatabaseVersionError, match="not a coi database"):
        open_engine(url)


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="folder does not exist"):
        open_engine(str(tmp_path / "nope" / "coi.db"))


def test_migrations_match_the_models(empty_db_url: str) -> None:
    """The migration scripts build exactly the schema the code declares."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from coi.store.schema import Base

    engine = open_engine(empty_db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_a_database_made_by_an_older_coi_is_upgraded_keeping_its_data(empty_db_url: str) -> None:
    """A register created at schema 0001 (before meeting notes) opens with this coi."""
    from alembic import command
    from alembic.config import Config

    from coi.store.db import MIGRATIONS
    from coi.store.register import read_meetings

    engine = make_engine(empty_db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text("INSERT INTO bodies (id, name, timezone, notes) VALUES ('b', 'B', 'UTC', '')")
        )
        conn.execute(
            text(
                "INSERT INTO meetings (id, body, title, starts_at, location, status, sequence)"
                " VALUES ('m', 'b', 'Old meeting', '2027-01-14 10:00:00', '', 'scheduled', 0)"
            )
        )
    engine.dispose()
    assert current_revision(make_engine(empty_db_url)) == "0001"

    upgraded = open_engine(empty_db_url)
    assert current_revision(upgraded) == head_revision()
    with session_factory(upgraded)() as s:
        (meeting,) = read_meetings(s)
    upgraded.dispose()
    assert meeting.title == "Old meeting"
    assert meeting.notes == ""
    assert meeting.start == dt.datetime(2027, 1, 14, 10, tzinfo=dt.UTC)


def test_head_revision_constant_is_the_migration_scripts_head() -> None:
    """HEAD_REVISION spares every command importing Alembic; a new migration must move it."""
    from alembic.script import ScriptDirectory

    from coi.store.db import HEAD_REVISION, MIGRATIONS

    assert ScriptDirectory(str(MIGRATIONS)).get_current_head() == HEAD_REVISION


def test_a_database_at_head_is_opened_without_importing_alembic(empty_db_url: str) -> None:
    """Alembic is imported only when a migration is due (in a fresh process, since this
    one has imported it already)."""
    import subprocess
    import sys

    open_engine(empty_db_url).dispose()
    probe = (
        "import sys\nfrom coi.store.db import open_engine\n"
        f"open_engine({empty_db_url!r}).dispose()\n"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_database_at_an_older_version_still_imports_alembic_and_upgrades(
    empty_db_url: str,
) -> None:
    engine = open_engine(empty_db_url)
    with engine.begin() as conn:
        # One step back: the database as the revision before head left it.
        conn.execute(text("UPDATE alembic_version SET version_num = '0006'"))
        conn.execute(text("ALTER TABLE agenda_items DROP COLUMN papers"))
    engine.dispose()
    upgraded = open_engine(empty_db_url)
    assert current_revision(upgraded) == head_revision()
    upgraded.dispose()
