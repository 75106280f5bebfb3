"""`coi load` merges over stored records as an upsert does; `--replace` clears what a file
leaves out; `--dry-run` lists each field it would set, change or clear (issue 9, point 1)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coi.cli.app import app as APP

M = "lit-2027-01"


@pytest.fixture
def db(example_db_url: str) -> str:
    return example_db_url


def coi(runner: CliRunner, db: str, *args: str) -> Any:
    return runner.invoke(APP, ["--db", db, *args])


def ok(runner: CliRunner, db: str, *args: str) -> Any:
    result = coi(runner, db, *args)
    assert result.exit_code == 0, result.stderr
    return result


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "change.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def meeting(runner: CliRunner, db: str) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(ok(runner, db, "meeting", "show", M, "-f", "json").stdout)
    return shown


def counts(result: Any) -> dict[str, dict[str, Any]]:
    return {r["section"]: r for r in json.loads(result.stdout)}


def test_a_field_the_file_leaves_out_keeps_its_stored_value(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    before = meeting(runner, db)
    path = write(tmp_path, f"meetings:\n  - {{id: {M}, body: lit-adult-mh, title: New}}\n")
    loaded = counts(ok(runner, db, "load", path, "-f", "json"))
    assert loaded["meetings"] == {
        "section": "meetings",
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "cleared": 0,
    }
    after = meeting(runner, db)
    assert after["title"] == "New"
    for kept in ("location", "end", "guests", "items"):
        assert after[kept] == before[kept] and before[kept], kept


def test_merge_needs_only_the_id_of_a_stored_record_but_all_of_a_new_one(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    path = write(tmp_path, f"meetings:\n  - {{id: {M}, location: Room 2}}\n")
    ok(runner, db, "load", path)
    assert meeting(runner, db)["location"] == "Room 2"
    path = write(tmp_path, "meetings:\n  - {id: new-meeting, title: New}\n")
    result = coi(runner, db, "load", path)
    assert result.exit_code == 2
    assert "meetings[0].body: missing required field" in result.stderr
    assert "meetings[0].start: missing required field" in result.stderr


def test_a_list_given_replaces_the_list_and_null_clears_a_field(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    before = meeting(runner, db)
    text = f"""\
    meetings:
      - id: {M}
        location: null
        items:
          - {{number: "1", title: Apologies}}
    """
    result = ok(runner, db, "load", write(tmp_path, text))
    assert "cleared 1 field(s)" in result.stderr
    after = meeting(runner, db)
    assert [i["number"] for i in after["items"]] == ["1"]
    assert after["location"] in ("", None)
    assert after["guests"] == before["guests"]


def test_merged_records_are_checked_whole(runner: CliRunner, db: str, tmp_path: Path) -> None:
    # The stored meeting starts at 10:00: an end before it is refused though start is not given.
    path = write(tmp_path, f"meetings:\n  - {{id: {M}, end: '2027-01-14 09:00'}}\n")
    result = coi(runner, db, "load", path)
    assert result.exit_code == 2
    assert "the meeting ends before it starts" in result.stderr


def test_replace_clears_what_the_file_leaves_out_and_says_how_much(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    text = f"meetings:\n  - {{id: {M}, body: lit-adult-mh, title: New, start: 2027-01-14 10:00}}\n"
    path = write(tmp_path, text)
    loaded = counts(ok(runner, db, "load", "--replace", path, "-f", "json"))
    assert loaded["meetings"]["updated"] == 1
    assert loaded["meetings"]["cleared"] == 4  # end, location, guests, items
    after = meeting(runner, db)
    assert after["items"] == [] and after["guests"] == [] and after["end"] is None


def test_dry_run_lists_each_field_and_changes_nothing(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    before = meeting(runner, db)
    text = f"""\
    people:
      - {{id: new-person, name: New Person}}
    meetings:
      - {{id: {M}, body: lit-adult-mh, title: New, start: 2027-01-14 10:00}}
    """
    path = write(tmp_path, text)
    out = ok(runner, db, "load", "--dry-run", "--replace", path).stdout
    assert "created people new-person" in out
    assert '  name: "New Person"' in out
    assert f"updated meetings {M}" in out
    assert '  title: "LIT for Adult Mental Health" -> "New"' in out
    assert '  location: "Windsor House, Plymouth" -> (cleared)' in out
    assert "Dry run: nothing was changed" in out
    assert meeting(runner, db) == before
    assert coi(runner, db, "person", "show", "new-person").exit_code == 2
    data = counts(ok(runner, db, "load", "--dry-run", path, "-f", "json"))
    (change,) = data["meetings"]["changes"]
    assert change["record"] == M and change["change"] == "updated"
    fields = {f["field"]: (f["change"], f["old"], f["new"]) for f in change["fields"]}
    assert fields["title"] == ("changed", "LIT for Adult Mental Health", "New")
    assert "location" not in fields  # merged: kept


def test_an_interest_changes_holder_when_the_file_clears_the_other(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    listed = json.loads(ok(runner, db, "interest", "list", "-f", "json").stdout)
    interest = next(i for i in listed if i.get("person"))
    text = f"interests:\n  - {{id: {interest['id']}, organisation: harbour}}\n"
    result = coi(runner, db, "load", write(tmp_path, text))
    assert result.exit_code == 2 and "give exactly one of person or organisation" in result.stderr
    text = f"interests:\n  - {{id: {interest['id']}, organisation: harbour, person: null}}\n"
    ok(runner, db, "load", write(tmp_path, text))
    shown = json.loads(ok(runner, db, "interest", "show", interest["id"], "-f", "json").stdout)
    assert shown["organisation"] == "harbour" and not shown.get("person")


def test_away_reason_left_out_is_kept(runner: CliRunner, db: str, tmp_path: Path) -> None:
    text = "away:\n  - {person: owen-pascoe, start: 2027-01-11, end: 2027-01-15}\n"
    loaded = counts(ok(runner, db, "load", write(tmp_path, text), "-f", "json"))
    assert loaded["away"]["unchanged"] == 1
    dumped = ok(runner, db, "dump").stdout
    assert "reason: annual leave" in dumped


def test_records_whose_id_is_made_from_fields_merge_too(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    text = """\
    relations:
      - {from: the-zone, kind: member_of, to: change-up-consortium, end: 2030-03-31}
    affiliations:
      - {person: priya-nair, organisation: plym-recovery, end: 2030-03-31}
    """
    loaded = counts(ok(runner, db, "load", write(tmp_path, text), "-f", "json"))
    assert loaded["relations"]["updated"] == loaded["affiliations"]["updated"] == 1
    dumped = ok(runner, db, "dump").stdout
    assert "role: chief executive\n  start: '2016-01-04'\n  end: '2030-03-31'" in dumped
    assert "start: '2008-04-01'\n  end: '2030-03-31'" in dumped
