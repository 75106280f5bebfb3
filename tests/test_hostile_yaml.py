"""Issue 9: YAML that explodes or is not text fails fast with one line and exit 2, in a
register file, an inline body policy and a policy file; files are read only up to a size
limit (so ``--policy /dev/zero`` is refused, not read forever); a character YAML refuses is
reported at its line and column; policy problems name where the policy came from."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.testing

from coi.cli.app import app
from coi.errors import InputFileError
from coi.formats.register import read_register
from coi.formats.yamlread import (
    ALIAS_BUDGET,
    LIMIT_VARIABLE,
    parse_yaml,
    quote,
    read_policy,
    read_yaml,
)

RUNNER = typer.testing.CliRunner()


def laughs(indent: str, levels: int = 9, width: int = 10) -> str:
    """Anchors nested ``levels`` deep, each ``width`` aliases of the one before: expanded,
    ``width ** levels`` values (a "billion laughs" at 9 levels of 10)."""
    lines = [f"{indent}l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels + 1):
        lines.append(f"{indent}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def lines_of(paths: list[Path]) -> list[str]:
    with pytest.raises(InputFileError) as info:
        read_register(paths)
    return info.value.lines()


def coi(*args: str) -> tuple[int, str]:
    result = RUNNER.invoke(app, list(args))
    return result.exit_code, result.stderr


def test_a_billion_laughs_register_is_refused(tmp_path: Path) -> None:
    bomb = "organisations:\n  - id: x\n    name: X\n    aliases: &a0 [lol, lol, lol, lol, lol]\n"
    for i in range(1, 12):
        bomb += f"  - {{id: x{i}, name: X, aliases: &a{i} [{', '.join([f'*a{i - 1}'] * 5)}]}}\n"
    path = write(tmp_path, "bomb.yaml", bomb)
    [line] = lines_of([path])
    assert line.startswith(f"{path}:1: its aliases would expand it past")
    assert "alias bomb" in line


@pytest.fixture
def meeting_db(tmp_path: Path, sqlite_url: str) -> str:
    """A database with one body and its meeting ``m``, to check against a policy."""
    register = write(
        tmp_path,
        "meeting.yaml",
        "bodies:\n  - {id: lit, name: LIT}\nmeetings:\n"
        "  - {id: m, body: lit, title: M, start: 2027-01-14 10:00}\n",
    )
    assert coi("--db", sqlite_url, "load", str(register))[0] == 0
    return sqlite_url


def test_an_alias_bomb_in_a_policy_file_is_refused(tmp_path: Path, meeting_db: str) -> None:
    path = write(tmp_path, "policy.yaml", laughs("") + "rules: *l9\n")
    with pytest.raises(InputFileError) as info:
        read_policy(path)
    assert "alias bomb" in str(info.value.problems[0])
    code, err = coi("--db", meeting_db, "check", "m", "--policy", str(path))
    assert code == 2 and "alias bomb" in err and "Traceback" not in err


def test_an_alias_bomb_in_an_inline_body_policy_is_refused(tmp_path: Path) -> None:
    inline = laughs("      ")
    text = f"bodies:\n  - id: lit\n    name: LIT\n    policy:\n{inline}      rules: *l9\n"
    [line] = lines_of([write(tmp_path, "r.yaml", text)])
    assert "alias bomb" in line


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    [line] = lines_of([write(tmp_path, "r.yaml", "people: &p\n  - *p\n")])
    assert line == f"{tmp_path / 'r.yaml'}:1: an alias refers to a node that contains it " + (
        "(a recursive alias)"
    )
    data, problems = parse_yaml("a: &a {b: *a}\n", "inline")
    assert data is None and "recursive alias" in problems[0].message


def test_shared_values_within_the_budget_still_load(tmp_path: Path) -> None:
    text = (
        "organisations:\n  - {id: a, name: A, aliases: &names [Alpha, Aleph]}\n"
        "  - {id: b, name: B, aliases: *names}\n"
    )
    register = read_register([write(tmp_path, "r.yaml", text)])
    assert register.organisations[1].aliases == ("Alpha", "Aleph")
    # Just past the budget: refused; the bound is on expanded values, not on aliases.
    wide = ", ".join(["x"] * 1000)
    many = "a: &a [" + wide + "]\nb: [" + ", ".join(["*a"] * (ALIAS_BUDGET // 1000 + 2)) + "]\n"
    assert "alias bomb" in parse_yaml(many, "t")[1][0].message


def test_a_nul_byte_is_reported_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", 'people:\n  - {id: a, name: "A\x00B"}\n')
    [line] = lines_of([path])
    assert line == f"{path}:2: column 21: the character U+0000 is not allowed in YAML"
    path = write(tmp_path, "p.yaml", "name: x\n\nrules: [\x07]\n")
    with pytest.raises(InputFileError) as info:
        read_policy(path)
    assert str(info.value.problems[0]) == (
        f"{path}:3: column 9: the character U+0007 is not allowed in YAML"
    )


def test_bad_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"people:\n  - {id: a, name: \xff}\n")
    [line] = lines_of([path])
    assert line.startswith(f"{path}:2: not UTF-8 text")


def test_file_sizes_are_capped_with_a_message_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = write(tmp_path, "big.yaml", "people:\n" + "  - {id: a, name: A}\n" * 1000)
    monkeypatch.setenv(LIMIT_VARIABLE, "0.01")  # 10 KiB
    [line] = lines_of([big])
    assert (
        line
        == f"{big}: larger than 0.01 MiB, the most coi reads (set {LIMIT_VARIABLE} to raise it)"
    )
    monkeypatch.setenv(LIMIT_VARIABLE, "1")
    assert read_yaml(big)[1] == []


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_check_with_policy_dev_zero_is_refused_not_read_forever(meeting_db: str) -> None:
    code, err = coi("--db", meeting_db, "check", "m", "--policy", "/dev/zero")
    assert code == 2
    assert err.strip() == "error: /dev/zero: larger than 1 MiB, the most coi reads " + (
        f"(set {LIMIT_VARIABLE} to raise it)"
    )


def test_numbers_too_long_to_read_and_nesting_too_deep_are_problems() -> None:
    assert "cannot be read" in parse_yaml("a: 1" + "0" * 5000, "t")[1][0].message
    assert parse_yaml("[" * 2000 + "]" * 2000, "t")[1]


def test_a_policy_file_named_by_a_body_is_reported_at_the_register_line(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", "default: declare\nrules:\n  - action: expel\n")
    text = (
        "bodies:\n  - id: lit\n    name: LIT\n    policy: /etc/passwd\n"
        "  - id: sub\n    name: Sub\n    policy: bad.yaml\n"
    )
    register = write(tmp_path, "r.yaml", text)
    lines = lines_of([register])
    assert lines[0].startswith(f"{register}:4: bodies[0].policy: policy file /etc/passwd")
    assert lines[1] == (
        f"{register}:7: bodies[1].policy: policy file {tmp_path / 'bad.yaml'}:3: "
        "rules[1].action: unknown value 'expel'; expected one of "
        + lines[1].split("expected one of ", 1)[1]
    )


def test_a_stored_body_policy_that_fails_to_parse_names_the_body(meeting_db: str) -> None:
    from sqlalchemy import create_engine, text

    sqlite_url = meeting_db
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:  # a database edited by hand
        conn.execute(text("UPDATE bodies SET policy = 'rules: [unclosed'"))
    engine.dispose()
    code, err = coi("--db", sqlite_url, "check", "m")
    assert code == 2 and "Traceback" not in err
    assert err.startswith("error: the policy stored with body lit:")
    code, err = coi("--db", sqlite_url, "body", "show", "lit")
    assert code == 0, err


def test_quote_cuts_at_200_characters() -> None:
    assert quote("a" * 10) == "'aaaaaaaaaa'"
    cut = quote("a" * 1000)
    assert len(cut) == 200 and cut.endswith("\u2026")


def test_an_item_text_file_is_read_bounded_and_checked(tmp_path: Path) -> None:
    """`coi agenda add --text-file /dev/zero` read forever; a binary file crashed."""
    from typer.testing import CliRunner

    from coi.cli.app import app

    db = str(tmp_path / "t.db")
    runner = CliRunner()
    for path, said in [
        ("/dev/zero", "larger than 1 MiB"),
        (str(tmp_path / "none.txt"), "file not found"),
    ]:
        result = runner.invoke(
            app, ["--db", db, "agenda", "add", "m", "9", "T", "--text-file", path]
        )
        assert result.exit_code == 2 and said in result.stderr, result.stderr
