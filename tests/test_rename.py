"""Issue 11: `coi org|person|body|seat|meeting rename OLD NEW` changes an id everywhere
it is used, in one transaction, and keeps the old id as an alias; the declarations log
keeps the ids it was written with and is read through the aliases."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from tests.test_cli_declarations import ok, run
from typer.testing import CliRunner

M = "lit-2027-01"


def dump(runner: CliRunner, db: str) -> str:
    return ok(runner, db, "dump").stdout


def values(data: Any) -> list[Any]:
    """Every scalar value in a dumped register (keys left out)."""
    if isinstance(data, dict):
        return [v for x in data.values() for v in values(x)]
    if isinstance(data, list):
        return [v for x in data for v in values(x)]
    return [data]


# noun, old id, new id: each record is referred to from several places in the example
# (interests and their counterparties, agenda items' organisations, relations with
# derived ids, affiliations, seat pools, members, rota places, attendance, guests).
CASES = [
    ("org", "cattewater-housing", "cattewater"),
    ("org", "nhs-plymouth", "nhs-devon"),
    ("person", "owen-pascoe", "owen-p"),
    ("body", "lit-adult-mh", "lit-amh"),
    ("seat", "lit-vcs", "lit-vcs-seat"),
    ("meeting", M, "lit-2027-jan"),
]


@pytest.mark.parametrize(("noun", "old", "new"), CASES)
def test_rename_changes_every_reference_and_renaming_back_restores_the_register(
    runner: CliRunner, example_db_url: str, noun: str, old: str, new: str
) -> None:
    db = example_db_url
    ok(runner, db, "rota", "plan", "lit-vcs", "--from", "2026-01-01", "--to", "2027-12-31")
    ok(runner, db, "attend", M, "owen-pascoe", "apologies")
    before = dump(runner, db)
    assert old in values(yaml.safe_load(before))

    result = ok(runner, db, noun, "rename", old, new)
    assert f"{old} -> {new}" in result.stderr
    after = yaml.safe_load(dump(runner, db))
    found = values(after)
    assert old not in found
    assert new in found
    # Derived relation and affiliation ids follow: the dump leaves them out again.
    assert not any(isinstance(v, str) and f".{old}" in v and "." in v for v in found)
    # The old id still finds the record.
    shown = ok(runner, db, noun, "show", old, "--format", "json").stdout
    assert json.loads(shown)["id"] == new

    ok(runner, db, noun, "rename", new, old)
    assert dump(runner, db) == before


def test_the_log_keeps_its_ids_and_is_read_through_the_aliases(
    runner: CliRunner, example_db_url: str
) -> None:
    db = example_db_url
    ok(runner, db, "declare", M, "--person", "owen-pascoe", "--item", "6", "--nature",
       "his father uses the memory service", "--action", "remained")  # fmt: skip
    head = ok(runner, db, "log", "export", "--format", "jsonl").stdout
    ok(runner, db, "person", "rename", "owen-pascoe", "owen-p")
    ok(runner, db, "meeting", "rename", M, "lit-2027-jan")
    # The log is untouched and still verifies.
    assert ok(runner, db, "log", "export", "--format", "jsonl").stdout == head
    ok(runner, db, "log", "verify")
    # Reconcile and the minutes see the declaration under today's ids, found by either.
    rows = json.loads(ok(runner, db, "reconcile", M, "--format", "json").stdout)
    unflagged = [r for r in rows if r["finding"] == "unflagged"]
    assert [(r["meeting"], r["person"]) for r in unflagged] == [("lit-2027-jan", "owen-p")]
    for person in ("owen-p", "owen-pascoe"):
        listed = json.loads(
            ok(runner, db, "declarations", "--person", person, "--format", "json").stdout
        )
        assert [(d["meeting"], d["person"]) for d in listed] == [("lit-2027-jan", "owen-p")]
    # An amendment made after the rename is written with the new ids and still applies.
    ok(runner, db, "declare", "amend", "1", "--action", "withdrew", "--reason", "minutes")
    listed = json.loads(
        ok(runner, db, "declarations", "--meeting", "lit-2027-jan", "--format", "json").stdout
    )
    assert [d["action"] for d in listed] == ["withdrew"]


def test_aliases_follow_a_chain_of_renames(runner: CliRunner, example_db_url: str) -> None:
    db = example_db_url
    ok(runner, db, "org", "rename", "the-zone", "zone-a")
    ok(runner, db, "org", "rename", "zone-a", "zone-b")
    for typed in ("the-zone", "zone-a", "zone-b"):
        shown = json.loads(ok(runner, db, "org", "show", typed, "--format", "json").stdout)
        assert shown["id"] == "zone-b"
    # A record may be given an id it once had: it is its id again, not an alias.
    ok(runner, db, "org", "rename", "zone-b", "the-zone")
    for typed in ("the-zone", "zone-a", "zone-b"):
        shown = json.loads(ok(runner, db, "org", "show", typed, "--format", "json").stdout)
        assert shown["id"] == "the-zone"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["org", "rename", "the-zone", "routeways"], "an organisation with id 'routeways' exists"),
        (["person", "rename", "nobody-at-all", "someone"], "no person matches 'nobody-at-all'"),
        (["body", "rename", "lit-adult-mh", "Bad Id"], "'Bad Id' is not a valid id"),
        (["seat", "rename", "lit-vcs", "lit-vcs"], "already has that id"),
        (["meeting", "rename", M, "x" * 121], "at most 120 characters"),
    ],
)
def test_a_bad_rename_is_one_line_exit_2_and_changes_nothing(
    runner: CliRunner, example_db_url: str, args: list[str], said: str
) -> None:
    before = dump(runner, example_db_url)
    result = run(runner, example_db_url, *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert dump(runner, example_db_url) == before
