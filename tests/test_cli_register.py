"""The register commands as a user runs them: load, dump, register, org."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from coi.cli.app import app


def coi(runner: CliRunner, db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def load_example(runner: CliRunner, db: str, example: Path) -> None:
    code, _, err = coi(runner, db, "load", str(example))
    assert code == 0, err


def test_load_reports_counts_and_reload_changes_nothing(
    runner: CliRunner, db_url: str, example: Path
) -> None:
    code, out, _ = coi(runner, db_url, "load", str(example), "--format", "json")
    assert code == 0
    first = {r["section"]: r for r in json.loads(out)}
    assert first["organisations"]["created"] > 0
    code, out, _ = coi(runner, db_url, "load", str(example), "--format", "json")
    again = json.loads(out)
    assert all(r["created"] == 0 and r["updated"] == 0 for r in again)


def test_a_bad_file_changes_nothing_and_exits_2(
    runner: CliRunner, db_url: str, example: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "organisations:\n  - {id: new-org, name: New}\n"
        "people:\n  - {id: p, name: P, emial: x}\n"
        "affiliations:\n  - {person: p, organisation: ghost, role: ceo}\n"
    )
    code, _, err = coi(runner, db_url, "load", str(example), str(bad))
    assert code == 2
    assert f"{bad}:4: people[0].emial: unknown key 'emial' (did you mean 'email'?)" in err
    assert f"{bad}:6: affiliations[0].organisation: no organisation with id 'ghost'" in err
    assert "Traceback" not in err
    code, out, _ = coi(runner, db_url, "org", "list", "--format", "json")
    assert code == 0
    assert json.loads(out) == []


def test_missing_file_is_a_clear_error(runner: CliRunner, sqlite_url: str, tmp_path: Path) -> None:
    code, _, err = coi(runner, sqlite_url, "load", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml: file not found" in err


def test_dump_loads_back_into_an_empty_database_unchanged(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    load_example(runner, first, example)
    _, dumped, _ = coi(runner, first, "dump")
    path = tmp_path / "dump.yaml"
    path.write_text(dumped)
    load_example(runner, second, path)
    _, again, _ = coi(runner, second, "dump")
    assert again == dumped


def test_register_groups_by_person_and_hides_withheld_detail(
    runner: CliRunner, sqlite_url: str, example: Path
) -> None:
    load_example(runner, sqlite_url, example)
    code, out, _ = coi(runner, sqlite_url, "register", "--as-of", "2026-12-01", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows, "the example register has entries"
    assert set(rows[0]) >= {
        "name",
        "position",
        "bodies",
        "type",
        "description",
        "from",
        "to",
        "action_agreed",
    }
    withheld = [r for r in rows if r["type"] == "withheld"]
    assert withheld, "the example withholds one entry"
    assert all(r["description"] == "withheld" and r["interest"] is None for r in withheld)


def test_register_for_a_body_lists_only_its_people(
    runner: CliRunner, sqlite_url: str, example: Path
) -> None:
    load_example(runner, sqlite_url, example)
    _, out, _ = coi(runner, sqlite_url, "register", "--body", "lit-adult-mh", "--format", "json")
    names = {r["person"] for r in json.loads(out)}
    assert "owen-pascoe" in names
    assert "maggie-trelawny" not in names


def test_register_html_is_escaped_and_csv_neutralises_formulas(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    f = tmp_path / "r.yaml"
    f.write_text(
        "people:\n  - {id: p, name: '<script>alert(1)</script>'}\n"
        "  - {id: q, name: '=HYPERLINK(\"http://x\")'}\n"
        "interests:\n  - {id: i, person: p, category: financial, kind: other, description: d}\n"
        "  - {id: j, person: q, category: financial, kind: other, description: d}\n"
    )
    assert coi(runner, sqlite_url, "load", str(f))[0] == 0
    _, page, _ = coi(runner, sqlite_url, "register", "--format", "html")
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    _, text, _ = coi(runner, sqlite_url, "register", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["name"] for r in rows} == {"<script>alert(1)</script>", '\'=HYPERLINK("http://x")'}


def test_csv_cells_starting_with_formula_characters_are_neutralised() -> None:
    from coi.formats.tabular import Column, to_csv

    out = to_csv(
        [{"a": "=1+1", "b": "@SUM(A1)", "c": "+44", "d": "-2", "e": "fine"}],
        [Column(k, k) for k in "abcde"],
    )
    row = next(csv.DictReader(io.StringIO(out)))
    assert row == {"a": "'=1+1", "b": "'@SUM(A1)", "c": "'+44", "d": "'-2", "e": "fine"}


def test_bad_date_option_exits_2(runner: CliRunner, sqlite_url: str) -> None:
    code, _, err = coi(runner, sqlite_url, "register", "--as-of", "01/02/2027")
    assert code == 2
    assert "--as-of: '01/02/2027' is not a date (use YYYY-MM-DD)" in err


def test_org_add_show_edit_end(runner: CliRunner, sqlite_url: str) -> None:
    code, _, err = coi(
        runner,
        sqlite_url,
        "org",
        "add",
        "Harbour Centre",
        "--alias",
        "Harbour",
        "--identifier",
        "GB-CHC:1999001",
        "--service-area",
        "substance-misuse",
    )
    assert code == 0, err
    code, out, _ = coi(runner, sqlite_url, "org", "show", "harbour", "--format", "json")
    shown = json.loads(out)
    assert shown["id"] == "harbour-centre"
    assert shown["identifiers"] == ["GB-CHC:1999001"]
    code, _, err = coi(runner, sqlite_url, "org", "edit", "Harbour Centre", "--kind", "consortium")
    assert code == 0, err
    code, _, err = coi(runner, sqlite_url, "org", "end", "harbour-centre", "--on", "2026-02-30")
    assert code == 2
    assert "not a date" in err
    code, _, err = coi(runner, sqlite_url, "org", "end", "harbour-centre", "--on", "2026-03-31")
    assert code == 0, err
    _, out, _ = coi(runner, sqlite_url, "org", "list", "--format", "json")
    (org,) = json.loads(out)
    assert org["kind"] == "consortium"
    assert org["dissolved"] == "2026-03-31"


def test_org_add_refuses_a_duplicate_and_bad_identifier(runner: CliRunner, sqlite_url: str) -> None:
    assert coi(runner, sqlite_url, "org", "add", "The Zone")[0] == 0
    code, _, err = coi(runner, sqlite_url, "org", "add", "The Zone")
    assert code == 2
    assert "exists" in err
    code, _, err = coi(runner, sqlite_url, "org", "add", "X", "--identifier", "nocolon")
    assert code == 2
    assert "SCHEME:ID" in err


def test_ambiguous_name_lists_candidates(runner: CliRunner, sqlite_url: str) -> None:
    for name in ("Plymouth Recovery", "Plymouth Housing"):
        assert coi(runner, sqlite_url, "org", "add", name)[0] == 0
    code, _, err = coi(runner, sqlite_url, "org", "show", "plymouth")
    assert code == 2
    assert "plymouth-housing" in err and "plymouth-recovery" in err
    code, _, err = coi(runner, sqlite_url, "org", "show", "nothing-like-it")
    assert code == 2
    assert "no organisation matches 'nothing-like-it'" in err


def test_newer_database_is_refused_with_a_message(runner: CliRunner, sqlite_url: str) -> None:
    from sqlalchemy import create_engine, text

    assert coi(runner, sqlite_url, "init")[0] == 0
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    engine.dispose()
    code, _, err = coi(runner, sqlite_url, "org", "list")
    assert code == 2
    assert "newer coi" in err


def test_help_has_examples(runner: CliRunner) -> None:
    for args in (["--help"], ["load", "--help"], ["register", "--help"], ["org", "add", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0
        assert "Example" in result.stdout, args


def test_command_summaries_match_each_commands_own_help() -> None:
    """`coi --help` shows summaries from a table; they must not drift from the commands."""
    import inspect

    import typer

    from coi.cli import entities

    for group in entities.GROUPS:
        target = entities.load_target(group.name)
        if isinstance(target, typer.Typer):
            callback = target.registered_callback
            help_text = target.info.help or inspect.getdoc(callback.callback if callback else None)
        else:
            help_text = inspect.getdoc(target)
        assert help_text, group.name
        first = " ".join(help_text.split("\n\n")[0].split())
        assert first == group.summary, group.name


def test_help_loads_no_database_or_yaml_code() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\nsys.argv=['coi','--help']\nfrom coi.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic', 'yaml'}\n"
        "print(sorted(heavy), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert "interest" in done.stdout and "Example" in done.stdout


def test_shell_completion_offers_commands() -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "_COI_COMPLETE": "complete_bash",
        "COMP_WORDS": "coi or",
        "COMP_CWORD": "1",
    }
    done = subprocess.run([sys.executable, "-m", "coi"], capture_output=True, text=True, env=env)
    assert "org" in done.stdout.split()
