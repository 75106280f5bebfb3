"""`coi check` and `coi pack` on the bundled example register, as a secretary runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coi.cli.app import app


@pytest.fixture
def loaded(example_sqlite_url: str) -> str:
    return example_sqlite_url


def run(runner: CliRunner, db: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", db, *args])


def check_json(runner: CliRunner, db: str, meeting: str, *extra: str) -> dict[str, Any]:
    result = run(runner, db, "check", meeting, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def flags_by_item(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        item["number"]: {f["person"]: f["action"] for f in item["flags"]} for item in data["items"]
    }


def test_check_flags_the_bidders_on_the_tender_item(runner: CliRunner, loaded: str) -> None:
    data = check_json(runner, loaded, "lit-2027-01")
    flags = flags_by_item(data)
    # Item 5 is the crisis-house tender T-2027-014: both bidders' people and the clinical
    # lead holding shares in a rival bidder must be excluded.
    assert flags["5"]["priya-nair"] == "exclude"
    assert flags["5"]["tom-rowe"] == "exclude"
    assert flags["5"]["nadia-quinn"] == "exclude"
    # Item 6 (memory assessment, information) names no one: no invented flags.
    assert flags["6"] == {}
    # Before a rota exists, the shared seat's whole pool is expected "if attending".
    pool = {a["person"]: a["if_attending"] for a in data["attendees"]}
    assert pool["priya-nair"] is True
    assert pool["nadia-quinn"] is False


def test_every_flag_says_why_in_words(runner: CliRunner, loaded: str) -> None:
    data = check_json(runner, loaded, "lit-2027-01")
    item5 = next(i for i in data["items"] if i["number"] == "5")
    priya = next(f for f in item5["flags"] if f["person"] == "priya-nair")
    texts = [p["text"] for p in priya["paths"]]
    assert any(
        t.startswith("Priya Nair -> chief executive of Plym Recovery Trust ->")
        and "T-2027-014" in t
        for t in texts
    ), texts


def test_an_interest_not_yet_started_flags_nothing(runner: CliRunner, loaded: str) -> None:
    # Ann Kitto's CIC directorship starts in April 2027, after the February board.
    flags = flags_by_item(check_json(runner, loaded, "ct-board-2027-02"))
    assert "maggie-trelawny" in flags["3"]
    assert "ann-kitto" not in flags["3"]


def test_person_filter_and_fail_on(runner: CliRunner, loaded: str) -> None:
    data = check_json(runner, loaded, "lit-2027-01", "--person", "nadia-quinn")
    people = {f["person"] for item in data["items"] for f in item["flags"]}
    assert people == {"nadia-quinn"}
    assert run(runner, loaded, "check", "lit-2027-01", "--fail-on", "exclude").exit_code == 1
    # Kate Lethbridge is a guest with no interests: nothing to fail on for her.
    result = run(
        runner,
        loaded,
        "check",
        "lit-2027-01",
        "--person",
        "kate-lethbridge",
        "--fail-on",
        "declare",
    )
    assert result.exit_code == 0


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "html"])
def test_check_formats(runner: CliRunner, loaded: str, fmt: str) -> None:
    result = run(runner, loaded, "check", "lit-2027-01", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "Priya Nair" in result.stdout


def test_pack_withholds_papers_from_an_excluded_person(runner: CliRunner, loaded: str) -> None:
    result = run(runner, loaded, "pack", "lit-2027-01", "--for", "nadia-quinn")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    item5 = text.split("## 5.")[1].split("## 6.")[0]
    assert "Papers withheld" in item5
    assert "## 6." in text and "nine weeks" in text  # other papers are there


def test_chair_pack_lists_expected_declarations(runner: CliRunner, loaded: str) -> None:
    result = run(runner, loaded, "pack", "lit-2027-01", "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("Declarations expected") == 7
    assert "Papers withheld" not in result.stdout
    # Owen Pascoe's peer-support interest is withheld from publication: the pack says he
    # has one, never what it is.
    assert "details withheld from publication" in result.stdout
    assert "peer-support network" not in result.stdout


def test_quorum_is_flagged_when_withdrawals_leave_too_few(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    f = tmp_path / "q.yaml"
    f.write_text(
        """\
organisations:
  - {id: harbour, name: Harbour}
people:
  - {id: a, name: A}
  - {id: b, name: B}
  - {id: c, name: C}
affiliations:
  - {person: a, organisation: harbour, role: chief executive}
  - {person: b, organisation: harbour, role: trustee}
interests:
  - {id: bid, organisation: harbour, category: financial, kind: bidding-for-tender,
     description: Bid, references: [T-1]}
bodies:
  - id: board
    name: Board
    quorum: 2
    members: [{person: a}, {person: b}, {person: c}]
meetings:
  - id: m
    body: board
    title: Board
    start: 2027-01-14 10:00
    items:
      - {number: "1", title: Award T-1, kind: contract-award, references: [T-1]}
      - {number: "2", title: Budget, kind: decision}
"""
    )
    assert run(runner, sqlite_url, "load", str(f)).exit_code == 0
    data = check_json(runner, sqlite_url, "m")
    first, second = data["items"]
    assert first["inquorate"] is True and first["voting_left"] == 1
    assert second["inquorate"] is False and second["flags"] == []


def test_bad_input_exits_2(runner: CliRunner, loaded: str, tmp_path: Path) -> None:
    result = run(runner, loaded, "check", "no-such-meeting")
    assert result.exit_code == 2
    assert "no meeting matches" in result.stderr
    result = run(runner, loaded, "check", "lit-2027-01", "--person", "nobody-at-all")
    assert result.exit_code == 2
    bad = tmp_path / "policy.yaml"
    bad.write_text("default: declare\nrules:\n  - category: financial\n    action: expel\n")
    result = run(runner, loaded, "check", "lit-2027-01", "--policy", str(bad))
    assert result.exit_code == 2
    assert "expel" in result.stderr
    assert "Traceback" not in result.stderr


def test_cancelled_meeting_cannot_be_checked(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    f = tmp_path / "cancel.yaml"
    f.write_text(
        "meetings:\n  - {id: lit-2027-06, body: lit-adult-mh, title: LIT June,"
        " start: 2027-06-10 10:00, status: cancelled}\n"
    )
    assert run(runner, loaded, "load", str(f)).exit_code == 0
    result = run(runner, loaded, "check", "lit-2027-06")
    assert result.exit_code == 2
    assert "cancelled" in result.stderr


def test_routine_items_stay_quiet_unless_their_text_names_an_organisation(
    runner: CliRunner, loaded: str
) -> None:
    """Every provider holds a contract with the commissioner; approving the minutes is no
    reason to declare it. A routine item whose text names a provider still flags."""
    data = check_json(runner, loaded, "lit-2027-01")
    routine = [it for it in data["items"] if it["kind"] == "procedural"]
    assert [it["number"] for it in routine] == ["1", "2", "7"]
    assert all(it["flags"] == [] for it in routine)

    named = "Matters arising: Harbour's report on the crisis line"
    edited = runner.invoke(
        app, ["--db", loaded, "agenda", "edit", "lit-2027-01", "2", "--text", named]
    )
    assert edited.exit_code == 0, edited.stderr
    after = flags_by_item(check_json(runner, loaded, "lit-2027-01"))["2"]
    assert after and set(after.values()) == {"declare"}
