"""A dump is a full backup; `coi log import` moves the log; the move from SQLite to
PostgreSQL loses nothing (issue 9, point 2). The README's "Back up, restore, and move to
PostgreSQL" gives the command sequence `test_sqlite_to_postgresql_loses_nothing` runs."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from coi.domain.model import Register
from test_load_merge import coi, ok  # tests/ is on sys.path under pytest
from test_register_yaml import registers

M = "lit-2027-01"


@pytest.fixture
def empty_sqlite(tmp_path: Path, _sqlite_template: Path) -> str:
    """A migrated, empty SQLite database beside the example's (which takes tmp_path/coi.db)."""
    target = tmp_path / "target.db"
    shutil.copyfile(_sqlite_template, target)
    return f"sqlite:///{target}"


def busy_register(runner: CliRunner, db: str) -> None:
    """The example with a rota (a swap, locks, sequences), attendance with a substitute,
    an away period, a changed meeting and two declarations in the log."""
    ok(runner, db, "rota", "plan", "lit-vcs", "--from", "2026-01-01", "--to", "2027-12-31")
    ok(runner, db, "rota", "swap", M, "tom-rowe", "devika-chandra")
    ok(runner, db, "rota", "lock", "lit-2027-03")
    ok(runner, db, "rota", "away", "devika-chandra", "--from", "2027-05-01", "--to", "2027-05-03")
    ok(runner, db, "meeting", "edit", "lit-2027-03", "--location", "Room 9")
    today = ("--today", "2027-06-01")
    ok(runner, db, "attend", "lit-2026-10", "priya-nair", "present", *today)
    ok(runner, db, "attend", "lit-2026-10", "owen-pascoe", "apologies", *today)
    ok(
        runner,
        db,
        "attend",
        "lit-2026-10",
        "tom-rowe",
        "substitute",
        "--for",
        "owen-pascoe",
        *today,
    )
    ok(runner, db, "declare", M, "--person", "priya-nair", "--item", "5", "--interest",
       "plym-recovery.t-2027-014", "--action", "withdrew", *today)  # fmt: skip
    ok(runner, db, "declare", M, "--person", "sunil", "--nil", *today)


def backup(runner: CliRunner, db: str, folder: Path) -> tuple[Path, Path, str]:
    dump, log = folder / "dump.yaml", folder / "log.jsonl"
    ok(runner, db, "dump", "-o", str(dump))
    exported = ok(runner, db, "log", "export", "-o", str(log))
    return dump, log, exported.stderr.splitlines()[-1]


def readme_sequence() -> list[list[str]]:
    """The commands of the README's "move to PostgreSQL" block, each split into words."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Back up, restore, and move to PostgreSQL", 1)[1]
    (block,) = re.findall(r"```sh\n(.*?)```", section.split("\n## ", 1)[0], flags=re.S)
    commands = []
    for line in block.splitlines():
        for part in line.split("#", 1)[0].split("&&"):
            words = shlex.split(part)
            if words and not words[0].startswith("PG="):
                commands.append(words)
    return commands


def restore_and_compare(
    runner: CliRunner,
    source: str,
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[str, str]:
    """Make ``source`` busy, run the README's sequence from it to ``target`` (in a folder
    of ``tmp_path``): the dump and the log head."""
    busy_register(runner, source)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    heads = []
    for words in readme_sequence():
        if words[0] == "cmp":
            assert Path(words[1]).read_bytes() == Path(words[2]).read_bytes(), words
            continue
        assert words[:2] == ["coi", "--db"], words
        db = {"coi.db": source, "$PG": target}[words[2]]
        result = ok(runner, db, *words[3:])
        if words[3:5] == ["log", "export"]:
            heads.append(result.stderr.splitlines()[-1])
        if words[3:5] == ["log", "verify"]:
            assert result.stdout.startswith("2 entries, head 2:")
    assert len(heads) == 2 and heads[0] == heads[1] and heads[0].startswith("head 2:")
    assert Path("log.jsonl").read_bytes() == Path("check.jsonl").read_bytes()
    return Path("register.yaml").read_text(encoding="utf-8"), heads[0]


def test_a_dump_holds_rota_attendance_away_and_sequences(
    runner: CliRunner,
    example_sqlite_url: str,
    empty_sqlite: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text, head = restore_and_compare(
        runner, example_sqlite_url, empty_sqlite, tmp_path, monkeypatch
    )
    rota = text[text.index("\nrota:") : text.index("\nattendance:")]
    assert "status: swapped-out" in rota and "locked: true" in rota and "sequence: " in rota
    assert "substitute_for: owen-pascoe" in text
    assert "reason: annual leave" in text and "person: devika-chandra" in text
    assert "  sequence: 1\n" in text  # the edited meeting's calendar sequence
    assert head.startswith("head 2:")
    # The restored rota is the same rota, sequences and all.
    shown = [
        json.loads(ok(runner, db, "rota", "show", "lit-vcs", "-f", "json").stdout)
        for db in (example_sqlite_url, empty_sqlite)
    ]
    assert shown[0] == shown[1]


@pytest.mark.postgres
def test_sqlite_to_postgresql_loses_nothing(
    runner: CliRunner,
    example_sqlite_url: str,
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    restore_and_compare(runner, example_sqlite_url, pg_url, tmp_path, monkeypatch)


def test_a_restored_higher_sequence_is_kept_and_never_lowered(
    runner: CliRunner, example_sqlite_url: str, tmp_path: Path
) -> None:
    db = example_sqlite_url
    ok(runner, db, "rota", "plan", "lit-vcs", "--from", "2026-01-01", "--to", "2027-12-31")
    path = tmp_path / "seq.yaml"
    path.write_text(
        f"meetings:\n  - {{id: {M}, sequence: 7}}\n"
        f"rota:\n  - {{seat: lit-vcs, meeting: {M}, person: priya-nair, sequence: 5}}\n",
        encoding="utf-8",
    )
    ok(runner, db, "load", str(path))
    path.write_text(
        f"meetings:\n  - {{id: {M}, sequence: 2}}\n"
        f"rota:\n  - {{seat: lit-vcs, meeting: {M}, person: priya-nair, sequence: 1}}\n",
        encoding="utf-8",
    )
    result = json.loads(ok(runner, db, "load", str(path), "-f", "json").stdout)
    assert all(r["updated"] == 0 for r in result)
    text = ok(runner, db, "dump").stdout
    assert "  sequence: 7\n" in text and "  sequence: 5\n" in text


def test_rota_and_attendance_records_are_checked(
    runner: CliRunner, example_sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "rota:\n"
        f"  - {{seat: lit-vcs, meeting: {M}, person: nobody, status: gone, sequence: -1}}\n"
        f"  - {{seat: lit-vcs, meeting: {M}, person: tom-rowe}}\n"
        f"  - {{seat: lit-vcs, meeting: {M}, person: tom-rowe}}\n"
        "attendance:\n"
        f"  - {{meeting: {M}, person: tom-rowe, status: substitute}}\n"
        f"  - {{meeting: {M}, person: priya-nair, status: present, substitute_for: tom-rowe}}\n",
        encoding="utf-8",
    )
    result = coi(runner, example_sqlite_url, "load", str(path))
    assert result.exit_code == 2
    err = result.stderr
    assert "rota[0].person: no person with id 'nobody'" in err
    assert "rota[0].status: 'gone' is not one of assigned, swapped-out" in err
    assert "rota[0].sequence: sequence cannot be negative" in err
    assert "rota[2]: the same record twice (lit-vcs, lit-2027-01, tom-rowe)" in err
    assert "attendance[0].status: a substitute needs substitute_for" in err
    assert "attendance[1].substitute_for: only a substitute stands in" in err


# -- the log ------------------------------------------------------------------


def test_log_import_refuses_a_log_that_is_not_empty(
    runner: CliRunner, example_sqlite_url: str, tmp_path: Path
) -> None:
    busy_register(runner, example_sqlite_url)
    _, log, _ = backup(runner, example_sqlite_url, tmp_path)
    result = coi(runner, example_sqlite_url, "log", "import", str(log))
    assert result.exit_code == 3
    assert "already holds entries (up to seq 2)" in result.stderr


def test_log_import_refuses_a_chain_that_does_not_verify(
    runner: CliRunner, example_sqlite_url: str, empty_sqlite: str, tmp_path: Path
) -> None:
    busy_register(runner, example_sqlite_url)
    _, log, _ = backup(runner, example_sqlite_url, tmp_path)
    log.write_text(log.read_text(encoding="utf-8").replace("withdrew", "remained"), "utf-8")
    result = coi(runner, empty_sqlite, "log", "import", str(log))
    assert result.exit_code == 3
    assert "seq 1: entry 1 was edited" in result.stderr
    assert ok(runner, empty_sqlite, "log", "verify").stdout.startswith("0 entries")


@pytest.mark.parametrize("content", [b"\x7fELF\x02\x01\x01\x00\xff\xfe\x00" * 50, b"{[}\n"])
def test_log_files_that_are_not_logs_are_one_line_exit_2(
    runner: CliRunner, sqlite_url: str, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "not-a-log"
    path.write_bytes(content)
    for args in (["log", "verify", "--file", str(path)], ["log", "import", str(path)]):
        result = coi(runner, sqlite_url, *args)
        assert result.exit_code == 2, result.output
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_log_verify_of_a_program_file_is_one_line(runner: CliRunner, sqlite_url: str) -> None:
    if not Path("/bin/ls").is_file():
        pytest.skip("no /bin/ls here")
    result = coi(runner, sqlite_url, "log", "verify", "--file", "/bin/ls")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: /bin/ls: not UTF-8 text: an exported log is JSON lines"


# -- dump -> load -> dump on generated registers ---------------------------------


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(registers())
def test_dump_load_dump_through_the_database_is_stable(
    tmp_path: Path, _sqlite_template: Path, register: Register
) -> None:
    from coi.formats.register import SECTIONS, dump_register, read_register
    from coi.services import open_session
    from coi.services.register import dump, load

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    texts = [dump_register(register)]
    for n in range(2):
        db = folder / f"{n}.db"
        shutil.copyfile(_sqlite_template, db)
        path = folder / f"{n}.yaml"
        path.write_text(texts[-1], encoding="utf-8")
        with open_session(f"sqlite:///{db}", write=True) as s:
            load(s, [path])
        with open_session(f"sqlite:///{db}") as s:
            texts.append(dump(s))
    assert texts[1] == texts[2]
    restored = read_register([folder / "1.yaml"])  # the first database's dump
    for section in SECTIONS:
        assert set(getattr(restored, section)) == set(getattr(register, section)), section
