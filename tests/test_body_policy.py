"""A body's own conflicts policy: named in the register, kept with the body, inherited by
bodies under it, and overridden by --policy."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coi.cli.app import app
from coi.errors import InputFileError
from coi.formats.register import read_register

# Everything is "declare" except a financial link to a contract award, which is "no-vote":
# softer than the NHS default, so the difference shows.
LENIENT = """\
name: Lenient test policy
default: declare
rules:
  - category: financial
    item_kind: contract-award
    action: no-vote
"""

REGISTER = """\
organisations:
  - {{id: harbour, name: Harbour}}
people:
  - {{id: a, name: A}}
affiliations:
  - {{person: a, organisation: harbour, role: chief executive}}
interests:
  - {{id: bid, organisation: harbour, category: financial, kind: bidding-for-tender,
     description: Bid, references: [T-1]}}
bodies:
  - {{id: trust, name: Trust{policy}}}
  - {{id: board, name: Board, parent: trust, members: [{{person: a}}]}}
meetings:
  - id: m
    body: board
    title: Board
    start: 2027-01-14 10:00
    items:
      - {{number: "1", title: Award of T-1, kind: contract-award, references: [T-1]}}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(runner: CliRunner, db: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", db, *args])


def action(runner: CliRunner, db: str, *extra: str) -> str:
    result = run(runner, db, "check", "m", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    (item,) = json.loads(result.stdout)["items"]
    (flag,) = item["flags"]
    return str(flag["action"])


def test_a_parent_bodys_policy_file_applies_to_the_bodies_under_it(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    write(tmp_path, "lenient.yaml", LENIENT)
    register = write(tmp_path, "r.yaml", REGISTER.format(policy=", policy: lenient.yaml"))
    assert run(runner, sqlite_url, "load", str(register)).exit_code == 0
    assert action(runner, sqlite_url) == "no-vote"
    shown = run(runner, sqlite_url, "body", "show", "board").stdout
    assert 'conflicts policy: "Lenient test policy", from Trust (trust)' in shown
    # --policy still wins: the packaged NHS default excludes a bidder from the award.
    default = Path(__file__).resolve().parent.parent / "data" / "policy.yaml"
    assert action(runner, sqlite_url, "--policy", str(default)) == "exclude"


def test_without_a_policy_the_default_applies_and_body_edit_sets_one(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    register = write(tmp_path, "r.yaml", REGISTER.format(policy=""))
    assert run(runner, sqlite_url, "load", str(register)).exit_code == 0
    assert action(runner, sqlite_url) == "exclude"
    lenient = write(tmp_path, "lenient.yaml", LENIENT)
    result = run(runner, sqlite_url, "body", "edit", "board", "--policy", str(lenient))
    assert result.exit_code == 0, result.stderr
    assert action(runner, sqlite_url) == "no-vote"
    assert run(runner, sqlite_url, "body", "edit", "board", "--default-policy").exit_code == 0
    assert action(runner, sqlite_url) == "exclude"


def test_the_policy_travels_with_a_dump(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path, "lenient.yaml", LENIENT)
    register = write(tmp_path, "r.yaml", REGISTER.format(policy=", policy: lenient.yaml"))
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    assert run(runner, first, "load", str(register)).exit_code == 0
    dumped = run(runner, first, "dump").stdout
    assert "Lenient test policy" in dumped  # inline: no file needed to load it back
    elsewhere = tmp_path / "moved"
    elsewhere.mkdir()
    copy = write(elsewhere, "dump.yaml", dumped)
    assert run(runner, second, "load", str(copy)).exit_code == 0
    assert run(runner, second, "dump").stdout == dumped
    assert action(runner, second) == "no-vote"


def test_a_bad_policy_is_reported_against_its_file(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", "default: declare\nrules:\n  - action: expel\n")
    register = write(tmp_path, "r.yaml", REGISTER.format(policy=", policy: bad.yaml"))
    with pytest.raises(InputFileError) as info:
        read_register([register])
    text = "\n".join(info.value.lines())
    assert str(tmp_path / "bad.yaml") in text
    assert "expel" in text


def test_a_missing_policy_file_is_reported(tmp_path: Path) -> None:
    register = write(tmp_path, "r.yaml", REGISTER.format(policy=", policy: nowhere.yaml"))
    with pytest.raises(InputFileError) as info:
        read_register([register])
    # Issue 9: the register line and field that named the file come first.
    assert info.value.lines() == [
        f"{register}:11: bodies[0].policy: policy file {tmp_path / 'nowhere.yaml'}: file not found"
    ]
