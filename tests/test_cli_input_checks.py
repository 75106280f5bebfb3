"""Issue 9 through the command line: what the register reader refuses, every add and edit
command refuses too (exit 2, one line, nothing changed), and the inputs that crashed with a
traceback give a one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.testing

from coi.cli.app import app

RUNNER = typer.testing.CliRunner()

REGISTER = """\
organisations:
  - {id: harbour, name: Harbour}
people:
  - {id: a, name: A}
bodies:
  - {id: lit, name: LIT}
meetings:
  - {id: m1, body: lit, title: M, start: 2027-01-14 10:00}
"""


def coi(db: str, *args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def loaded(sqlite_url: str, tmp_path: Path) -> str:
    path = tmp_path / "register.yaml"
    path.write_text(REGISTER, encoding="utf-8")
    assert coi(sqlite_url, "load", str(path))[0] == 0
    return sqlite_url


GIFT = ["gift", "add", "a", "--offeror", "X", "--description", "Y", "--on", "2026-01-01"]
START = ["meeting", "add", "lit", "--start"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["org", "add", ""], "organisations[0].name: must not be empty"),
        (["org", "edit", "harbour", "--name", ""], "organisations[0].name: must not be empty"),
        (["agenda", "add", "m1", "8", ""], "meetings[0].items[0].title: must not be empty"),
        (["agenda", "add", "m1", "8", "   "], "must not be empty"),
        (["org", "add", "A\tB"], "organisations[0].name: the character U+0009 (tab)"),
        (["person", "add", "Jo\u202eBright"], "people[0].name: the character U+202E"),
        (["person", "add", "Jo\x1b[31mB"], "people[0].name: the character U+001B"),
        ([*START, "2027-05-01 10:00", "--location", "Room\n1"], "meetings[0].location"),
        ([*GIFT, "--value", "inf"], "gifts[0].value: expected a finite number"),
        ([*GIFT, "--value", "nan"], "gifts[0].value: expected a finite number"),
        (
            ["seat", "add", "lit", "S", "--places", "99999999999999999999"],
            "seats[0].places: places is too large: at most 2,147,483,647",
        ),
        (
            [*START, "2027-05-01 10:00", "--duration", "999999999h"],
            "--duration: '999999999h' is longer than a week",
        ),
        ([*START, "1800-05-01 10:00"], "out of range: years 1900 to 2200"),
        (["meeting", "edit", "m1", "--start", "9999-12-31 23:00"], "out of range"),
        (["person", "edit", "a", "--name", "A\nB"], "people[0].name: the character U+000A"),
    ],
)
def test_bad_input_on_the_command_line_exits_2_and_changes_nothing(
    loaded: str, args: list[str], message: str
) -> None:
    before = coi(loaded, "dump")[1]
    code, _, err = coi(loaded, *args)
    assert code == 2, err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert coi(loaded, "dump")[1] == before


def test_a_multi_line_note_is_still_accepted(loaded: str) -> None:
    code, _, err = coi(loaded, "person", "edit", "a", "--notes", "first\nsecond\tline")
    assert code == 0, err
    assert "first" in coi(loaded, "dump")[1]
