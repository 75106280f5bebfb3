"""`coi declare`, `coi return`, `coi log`, `coi declarations`, `coi reconcile` and
`coi register due` on the example register, as a secretary runs them."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from coi.cli.app import app
from coi.domain.declarations import declaration_payload
from coi.store import log
from coi.store.db import open_engine

M = "lit-2027-01"
EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "plymouth.yaml"


@pytest.fixture
def loaded(example_db_url: str) -> str:
    return example_db_url


# Issue 10: a meeting that has not happened takes no declarations, so these tests minute
# their declarations as things stand after the example's meetings.
AFTER_THE_MEETINGS = "2027-12-31"


def after_the_meeting(args: tuple[str, ...]) -> list[str]:
    """``coi declare MEETING ...`` as minuted after the meeting (``--today``)."""
    if args[:1] == ("declare",) and args[1:2] not in (("amend",), ("retract",), ("--help",)):
        return [*args, "--today", AFTER_THE_MEETINGS]
    return list(args)


def run(runner: CliRunner, db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *after_the_meeting(args)])


def ok(runner: CliRunner, db: str, *args: str) -> Result:
    result = run(runner, db, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def count(db: str) -> int:
    engine = open_engine(db)
    try:
        return log.head(engine)[0]
    finally:
        engine.dispose()


def entries(db: str) -> list[log.LogEntry]:
    engine = open_engine(db)
    try:
        return list(log.entries(engine))
    finally:
        engine.dispose()


def as_json(result: Result) -> Any:
    return json.loads(result.stdout)


def declare_priya(runner: CliRunner, db: str, *extra: str) -> Result:
    return ok(
        runner,
        db,
        "declare",
        M,
        "--person",
        "priya-nair",
        "--item",
        "5",
        "--interest",
        "plym-recovery.t-2027-014",
        "--action",
        "withdrew",
        "--left",
        "10:40",
        "--returned",
        "11:05",
        *extra,
    )


# ---- declare -------------------------------------------------------------------------------


def test_declare_in_the_issues_literal_form_appends_a_checked_entry(
    runner: CliRunner, loaded: str
) -> None:
    result = declare_priya(runner, loaded, "--by", "Clerk to the LIT")
    assert "entry 1 recorded by Clerk to the LIT" in result.stderr
    (entry,) = entries(loaded)
    assert (entry.kind, entry.meeting, entry.person, entry.recorded_by) == (
        "declaration",
        M,
        "priya-nair",
        "Clerk to the LIT",
    )
    assert dict(entry.payload) == {
        "meeting": M,
        "person": "priya-nair",
        "item": "5",
        "interest": "plym-recovery.t-2027-014",
        "nature": None,
        "action": "withdrew",
        "left": "10:40",
        "returned": "11:05",
    }


def test_names_and_prefixes_resolve_and_the_recorder_defaults_to_the_os_user(
    runner: CliRunner, loaded: str
) -> None:
    ok(runner, loaded, "declare", "--person", "Tom Rowe", "lit-2026", "--item", "5",
       "--nature", "partner works at Harbour", "--action", "no-vote")  # fmt: skip
    ok(runner, loaded, "declare", M, "--person", "sunil", "--nil")
    first, nil = entries(loaded)
    assert (first.meeting, first.person, first.payload["nature"]) == (
        "lit-2026-10",
        "tom-rowe",
        "partner works at Harbour",
    )
    assert (nil.kind, nil.person, dict(nil.payload)) == (
        "nil",
        "sunil-bhatt",
        {"meeting": M, "person": "sunil-bhatt"},
    )
    assert first.recorded_by == nil.recorded_by == getpass.getuser()


def test_amend_and_retract_parse_beside_the_default_command(runner: CliRunner, loaded: str) -> None:
    declare_priya(runner, loaded)
    ok(runner, loaded, "declare", "amend", "1", "--action", "left-meeting", "--clear",
       "returned", "--reason", "did not come back")  # fmt: skip
    ok(runner, loaded, "declare", M, "--person", "nadia-quinn", "--nil")
    ok(runner, loaded, "declare", "retract", "3", "--reason", "she declared on item 5")
    kinds = [(e.seq, e.kind, e.meeting, e.person) for e in entries(loaded)]
    assert kinds == [
        (1, "declaration", M, "priya-nair"),
        (2, "amend", M, "priya-nair"),
        (3, "nil", M, "nadia-quinn"),
        (4, "retract", M, "nadia-quinn"),
    ]
    assert entries(loaded)[1].payload["changes"] == {"action": "left-meeting", "returned": None}
    # The original entry is still there exactly as written.
    assert entries(loaded)[0].payload["action"] == "withdrew"
    help_text = ok(runner, loaded, "declare", "--help").stdout
    for sub in ("add", "amend", "retract"):
        assert sub in help_text


BAD_INPUT = {
    "unknown item": ["declare", M, "--person", "tom-rowe", "--item", "99", "--nature", "x",
                     "--action", "withdrew"],
    "action not in the list": ["declare", M, "--person", "tom-rowe", "--item", "5", "--nature",
                               "x", "--action", "abstained"],
    "bad HH:MM": ["declare", M, "--person", "tom-rowe", "--item", "5", "--nature", "x",
                  "--action", "withdrew", "--left", "10.40"],
    "returned before left": ["declare", M, "--person", "tom-rowe", "--item", "5", "--nature",
                             "x", "--action", "withdrew", "--left", "11:00", "--returned",
                             "10:00"],
    "unknown person": ["declare", M, "--person", "nobody-at-all", "--nil"],
    "unknown meeting": ["declare", "no-such-meeting", "--person", "tom-rowe", "--nil"],
    "unknown interest": ["declare", M, "--person", "tom-rowe", "--item", "5", "--interest",
                         "no-such-interest", "--action", "withdrew"],
    "someone else's interest": ["declare", M, "--person", "priya-nair", "--item", "5",
                                "--interest", "harbour.c-2022-044", "--action", "withdrew"],
    "nil with an item": ["declare", M, "--person", "tom-rowe", "--nil", "--item", "5"],
    "no interest or nature": ["declare", M, "--person", "tom-rowe", "--item", "5", "--action",
                              "withdrew"],
    "amend a missing entry": ["declare", "amend", "42", "--action", "withdrew"],
    "amend with nothing to change": ["declare", "amend", "1"],
    "amend to an unknown item": ["declare", "amend", "1", "--item", "99"],
    "retract a missing entry": ["declare", "retract", "42", "--reason", "typo"],
    "retract an entry no column holds": ["declare", "retract", "99999999999999999999",
                                         "--reason", "typo"],
    "amend an entry no column holds": ["declare", "amend", "99999999999999999999",
                                       "--action", "withdrew"],
    "interest and nature": ["declare", M, "--person", "priya-nair", "--item", "5", "--interest",
                            "plym-recovery", "--nature", "bidder", "--action", "withdrew"],
    "amend to interest and nature": ["declare", "amend", "1", "--interest", "plym-recovery",
                                     "--nature", "bidder"],
    "retract with no reason": ["declare", "retract", "1"],
    "return on a bad date": ["return", "sunil-bhatt", "--on", "2026-13-01"],
    "return in the future": ["return", "sunil-bhatt", "--on", "2999-01-01"],
}  # fmt: skip


@pytest.mark.parametrize("args", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_exits_2_and_appends_nothing(
    runner: CliRunner, loaded: str, args: list[str]
) -> None:
    engine = open_engine(loaded)
    try:  # one entry to amend or retract, written straight to the store (faster)
        payload = declaration_payload(M, "priya-nair", "5", "withdrew", nature="bidder")
        log.append(engine, "declaration", payload)
    finally:
        engine.dispose()
    before = [e.hash for e in entries(loaded)]
    result = run(runner, loaded, *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert [e.hash for e in entries(loaded)] == before


def test_the_messages_for_bad_input_name_what_is_wrong(runner: CliRunner, loaded: str) -> None:
    declare_priya(runner, loaded)
    ok(runner, loaded, "declare", "retract", "1", "--reason", "wrong meeting")
    again = run(runner, loaded, "declare", "retract", "1", "--reason", "again")
    assert again.exit_code == 2
    assert "entry 1 was already retracted (entry 2)" in again.stderr
    item = run(runner, loaded, *BAD_INPUT["unknown item"])
    assert "meeting lit-2027-01 has no item '99' (its items: 1, 2, 3, 4, 5, 6, 7)" in item.stderr
    other = run(runner, loaded, *BAD_INPUT["someone else's interest"])
    assert "held by harbour" in other.stderr
    assert count(loaded) == 2


def test_a_cancelled_meeting_takes_no_declarations(runner: CliRunner, loaded: str) -> None:
    ok(runner, loaded, "meeting", "cancel", "lit-2027-03", "--reason", "not quorate")
    result = run(runner, loaded, "declare", "lit-2027-03", "--person", "tom-rowe", "--nil")
    assert result.exit_code == 2
    assert "cancelled" in result.stderr
    assert count(loaded) == 0


def test_an_interest_reached_through_a_partner_can_be_declared(
    runner: CliRunner, loaded: str
) -> None:
    # Plym Recovery Trust and Cattewater bid together as partners.
    ok(runner, loaded, "declare", M, "--person", "priya-nair", "--item", "5", "--interest",
       "cattewater.t-2027-014", "--action", "withdrew")  # fmt: skip
    assert entries(loaded)[0].payload["interest"] == "cattewater.t-2027-014"


# ---- return --------------------------------------------------------------------------------


def test_an_annual_return_records_the_review_date(runner: CliRunner, loaded: str) -> None:
    result = ok(runner, loaded, "return", "sunil-bhatt", "--nil", "--on", "2026-01-10",
                "--by", "secretary")  # fmt: skip
    assert "nil return of sunil-bhatt, reviewed on 2026-01-10" in result.stderr
    (entry,) = entries(loaded)
    assert (entry.kind, entry.meeting, entry.person, entry.recorded_by) == (
        "return",
        None,
        "sunil-bhatt",
        "secretary",
    )
    assert dict(entry.payload) == {
        "person": "sunil-bhatt",
        "reviewed_on": "2026-01-10",
        "nil": True,
    }
    ok(runner, loaded, "declare", "amend", "1", "--reviewed-on", "2026-01-12", "--not-nil")
    assert entries(loaded)[1].payload["changes"] == {"reviewed_on": "2026-01-12", "nil": False}


# ---- log verify and export -----------------------------------------------------------------


def seed(runner: CliRunner, db: str) -> None:
    declare_priya(runner, db)
    ok(runner, db, "declare", M, "--person", "nadia-quinn", "--nil")
    ok(runner, db, "return", "sunil-bhatt", "--on", "2026-01-10")


def test_verify_says_how_many_entries_and_the_head(runner: CliRunner, loaded: str) -> None:
    assert ok(runner, loaded, "log", "verify").stdout == f"0 entries, head 0:{'0' * 64}\n"
    seed(runner, loaded)
    last = entries(loaded)[-1]
    assert ok(runner, loaded, "log", "verify").stdout == f"3 entries, head 3:{last.hash}\n"
    anchored = ok(runner, loaded, "log", "verify", "--anchor", f"2:{entries(loaded)[1].hash}")
    assert anchored.stdout.startswith("3 entries")


def test_verify_names_an_entry_edited_in_the_database(runner: CliRunner, loaded: str) -> None:
    seed(runner, loaded)
    engine = open_engine(loaded)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE log_entries SET recorded_by = 'someone else' WHERE seq = 2"))
    finally:
        engine.dispose()
    result = run(runner, loaded, "log", "verify")
    assert result.exit_code == 3
    assert "seq 2: entry 2 was edited" in result.stderr
    assert result.stdout == ""


def test_export_of_a_broken_log_writes_it_all_and_exits_3(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    seed(runner, loaded)
    engine = open_engine(loaded)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM log_entries WHERE seq = 2"))
    finally:
        engine.dispose()
    out = tmp_path / "log.jsonl"
    result = run(runner, loaded, "log", "export", "-o", str(out))
    assert result.exit_code == 3
    assert "entry 2 is missing" in result.stderr
    assert "head" not in result.stderr  # no anchor to publish for a broken log
    assert [json.loads(x)["seq"] for x in out.read_text(encoding="utf-8").splitlines()] == [1, 3]


def test_export_then_verify_the_file_without_any_database(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    seed(runner, loaded)
    out = tmp_path / "log.jsonl"
    exported = ok(runner, loaded, "log", "export", "--format", "jsonl", "-o", str(out))
    head = f"3:{entries(loaded)[-1].hash}"
    assert f"head {head}" in exported.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["seq"] for x in lines] == [1, 2, 3]
    # A database path that cannot exist: --file must not touch it.
    nowhere = str(tmp_path / "missing-dir" / "nope.db")
    result = run(runner, nowhere, "log", "verify", "--file", str(out), "--anchor", head)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"3 entries, head {head}\n"
    assert not (tmp_path / "missing-dir").exists()
    # To stdout too, the same lines.
    assert ok(runner, loaded, "log", "export").stdout.splitlines() == lines


def test_verify_names_what_was_done_to_an_exported_file(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    seed(runner, loaded)
    out = tmp_path / "log.jsonl"
    ok(runner, loaded, "log", "export", "-o", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()

    def verify(content: list[str], *extra: str) -> Result:
        bad = tmp_path / "bad.jsonl"
        bad.write_text("\n".join(content) + "\n", encoding="utf-8")
        return run(runner, str(tmp_path / "unused.db"), "log", "verify", "--file", str(bad), *extra)

    edited = json.loads(lines[1])
    edited["payload"]["person"] = "someone-else"
    result = verify([lines[0], json.dumps(edited), lines[2]])
    assert result.exit_code == 3
    assert "seq 2: entry 2 was edited" in result.stderr
    result = verify([lines[0], lines[2]])
    assert result.exit_code == 3
    assert "entry 2 is missing" in result.stderr
    result = verify([lines[0], lines[2], lines[1]])
    assert result.exit_code == 3
    assert "swapped" in result.stderr
    # Cut off at the end: only an anchor published earlier can tell.
    assert verify(lines[:2]).exit_code == 0
    cut = verify(lines[:2], "--anchor", f"3:{json.loads(lines[2])['hash']}")
    assert cut.exit_code == 3
    assert "removed" in cut.stderr


def test_a_malformed_anchor_is_bad_input(runner: CliRunner, loaded: str) -> None:
    for anchor in ("3", "x:abc", f"0:{'a' * 64}", f"3:{'g' * 64}", "3:abcd"):
        result = run(runner, loaded, "log", "verify", "--anchor", anchor)
        assert result.exit_code == 2, anchor
        assert "--anchor" in result.stderr


# ---- declarations --------------------------------------------------------------------------


def test_declarations_read_as_minutes_with_corrections_applied(
    runner: CliRunner, loaded: str
) -> None:
    declare_priya(runner, loaded)
    ok(runner, loaded, "declare", M, "--person", "tom-rowe", "--item", "3", "--nature",
       "partner works at Harbour", "--action", "remained")  # fmt: skip
    ok(runner, loaded, "declare", M, "--person", "nadia-quinn", "--nil")
    ok(runner, loaded, "declare", "amend", "2", "--action", "no-vote", "--reason", "misheard")
    ok(runner, loaded, "declare", "retract", "3", "--reason", "she declared on item 5")
    rows = as_json(ok(runner, loaded, "declarations", "--meeting", M, "--format", "json"))
    # Agenda order: item 3 before item 5.
    assert [(r["seq"], r["item"], r["person"], r["action"]) for r in rows] == [
        (2, "3", "tom-rowe", "no-vote"),
        (1, "5", "priya-nair", "withdrew"),
    ]
    priya = rows[1]
    assert priya["organisation"] == "Plym Recovery Trust"
    assert priya["nature"].startswith("Lead bidder")
    assert (priya["left"], priya["returned"]) == ("10:40", "11:05")
    assert priya["meeting_date"] == "2027-01-14"
    assert rows[0]["note"] == "amended by entry 4"
    everything = as_json(ok(runner, loaded, "declarations", "--all", "--format", "json"))
    retracted = [r for r in everything if r["retracted"]]
    assert [(r["seq"], r["kind"], r["retract_reason"]) for r in retracted] == [
        (3, "nil", "she declared on item 5")
    ]
    assert "RETRACTED by entry 5" in retracted[0]["note"]
    md = ok(runner, loaded, "declarations", "--format", "md").stdout
    assert md.startswith("# Declarations of interest\n")
    assert "## LIT for Adult Mental Health, 2027-01-14 (lit-2027-01)" in md
    assert "| Entry | Item | Person | Organisation | Nature of interest | Action | Left |" in md
    csv_text = ok(runner, loaded, "declarations", "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("seq,kind,meeting,meeting_date,item,person,")
    table = ok(runner, loaded, "declarations").stdout
    assert "Declarations of interest: LIT for Adult Mental Health" in table
    assert "Priya Nair" in table


def test_declarations_filter_by_person_body_and_date(runner: CliRunner, loaded: str) -> None:
    declare_priya(runner, loaded)
    ok(runner, loaded, "declare", "lit-2026-10", "--person", "tom-rowe", "--item", "4",
       "--interest", "cattewater.c-2025-008", "--action", "withdrew")  # fmt: skip
    ok(runner, loaded, "declare", "ct-board-2027-02", "--person", "maggie-trelawny", "--item",
       "3", "--interest", "cyp-cic.t-2027-030", "--action", "left-meeting")  # fmt: skip
    ok(runner, loaded, "return", "tom-rowe", "--on", "2026-11-01")

    def seqs(*args: str) -> list[int]:
        return [r["seq"] for r in as_json(ok(runner, loaded, "declarations", *args, "-f", "json"))]

    assert seqs() == [2, 1, 3, 4]  # meetings by date, then the annual returns
    assert seqs("--person", "tom-rowe") == [2, 4]
    assert seqs("--body", "lit-adult-mh") == [2, 1]
    assert seqs("--since", "2027-01-01") == [1, 3]
    assert seqs("--since", "2026-10-20") == [1, 3, 4]
    assert seqs("--body", "childrens-trust-board", "--person", "tom-rowe") == []
    assert run(runner, loaded, "declarations", "--since", "yesterday").exit_code == 2


# ---- reconcile -----------------------------------------------------------------------------


def test_reconcile_finds_undeclared_unflagged_and_weaker(runner: CliRunner, loaded: str) -> None:
    # Nadia Quinn (exclude on item 5) says she has nothing to declare; Tom Rowe (exclude
    # on item 5) only abstains; Owen Pascoe declares on item 6, which flags no one; Priya
    # Nair leaves the room for item 5 as asked.
    declare_priya(runner, loaded)
    ok(runner, loaded, "declare", M, "--person", "nadia-quinn", "--nil")
    ok(runner, loaded, "declare", M, "--person", "tom-rowe", "--item", "5", "--interest",
       "cattewater.t-2027-014", "--action", "no-vote")  # fmt: skip
    ok(runner, loaded, "declare", M, "--person", "owen-pascoe", "--item", "6", "--nature",
       "his father uses the memory service", "--action", "remained")  # fmt: skip
    ok(runner, loaded, "attend", M, "devika-chandra", "apologies")
    result = run(runner, loaded, "reconcile", M, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = as_json(result)
    found = {(r["finding"], r["item"], r["person"]) for r in rows}
    assert ("undeclared", "5", "nadia-quinn") in found
    assert ("weaker", "5", "tom-rowe") in found
    assert ("unflagged", "6", "owen-pascoe") in found
    assert not any(p == "priya-nair" and i == "5" for _, i, p in found)
    assert not any(p == "devika-chandra" for _, _, p in found)
    nadia = next(r for r in rows if r["person"] == "nadia-quinn")
    assert (nadia["declared"], nadia["asked"], nadia["entries"]) == ("nil", "exclude", [2])
    tom = next(r for r in rows if r["finding"] == "weaker")
    assert (tom["asked"], tom["declared"]) == ("exclude", "no-vote")
    owen = next(r for r in rows if r["finding"] == "unflagged")
    assert owen["advice"].startswith("add an interest for Owen Pascoe (owen-pascoe) about item 6")
    assert "older-people/dementia" in owen["advice"]
    # Pool members with no attendance recorded count only if they attended.
    owen_flags = [r for r in rows if r["person"] == "owen-pascoe" and r["finding"] != "unflagged"]
    assert owen_flags and all(r["if_attending"] for r in owen_flags)
    assert "not counted (absent or apologies): devika-chandra" in result.stderr
    assert run(runner, loaded, "reconcile", M, "--strict").exit_code == 1
    csv_text = ok(runner, loaded, "reconcile", M, "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "item,finding,name,asked,declared,entries,interests,advice"


def test_reconcile_strict_passes_when_the_minutes_match_the_flags(
    runner: CliRunner, loaded: str
) -> None:
    # October's LIT: the four pool members sent apologies; Nadia Quinn left for item 3.
    for person in ("devika-chandra", "owen-pascoe", "priya-nair", "tom-rowe"):
        ok(runner, loaded, "attend", "lit-2026-10", person, "apologies")
    ok(runner, loaded, "declare", "lit-2026-10", "--person", "nadia-quinn", "--item", "3",
       "--interest", "nadia-quinn.meridian-shares", "--action", "left-meeting")  # fmt: skip
    result = run(runner, loaded, "reconcile", "lit-2026-10", "--strict")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "0 finding(s)" in result.stderr
    assert "1 flag(s) declared as asked" in result.stderr
    # Amend the action to a weaker one and the same check fails.
    ok(runner, loaded, "declare", "amend", "1", "--action", "remained")
    assert run(runner, loaded, "reconcile", "lit-2026-10", "--strict").exit_code == 1


def test_reconcile_prints_its_advice_as_numbered_notes_under_the_table(
    runner: CliRunner, loaded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 11: the advice was a 13-character column, folded a word a line.
    monkeypatch.setenv("COLUMNS", "100")
    ok(runner, loaded, "declare", M, "--person", "owen-pascoe", "--item", "6", "--nature",
       "his father uses the memory service", "--action", "remained")  # fmt: skip
    out = ok(runner, loaded, "reconcile", M).stdout
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert "What to do" not in lines[1] and "See" in out.split("What to do:")[0]
    table, notes = out.split("What to do:\n")
    owen = next(line for line in table.splitlines() if "unflagged" in line)
    number = owen.split("│")[-2].strip()
    assert number.startswith("[") and number.endswith("]")
    note = notes.split(number + " ", 1)[1]
    # The advice reads as one sentence beneath the table, wrapped between words.
    assert " ".join(note.split()).startswith(
        "add an interest for Owen Pascoe (owen-pascoe) about item 6"
    )
    assert "older-people/dementia" in notes
    # Each distinct piece of advice has its own number, in the order of the rows.
    marks = [line.split("│")[-2].strip() for line in table.splitlines() if line.startswith("│ ")]
    marks = [mark for mark in marks if mark]
    assert marks == [f"[{n}]" for n in range(1, len(marks) + 1)]


# ---- register due --------------------------------------------------------------------------


def test_register_due_lists_returns_and_late_interests(runner: CliRunner, loaded: str) -> None:
    ok(runner, loaded, "return", "sunil-bhatt", "--nil", "--on", "2026-01-10")
    ok(runner, loaded, "return", "tom-rowe", "--on", "2025-06-01")

    def due(*extra: str) -> list[dict[str, Any]]:
        out = ok(runner, loaded, "register", "due", "--as-of", "2026-11-25", "-f", "json", *extra)
        return list(as_json(out))

    rows = due()
    returns = {r["who"]: r for r in rows if r["type"] == "return"}
    assert "sunil-bhatt" not in returns  # reviewed in January: not due until next January
    assert (returns["tom-rowe"]["status"], returns["tom-rowe"]["due"]) == (
        "overdue",
        "2026-06-01",
    )
    assert returns["tom-rowe"]["days"] == 177
    assert returns["priya-nair"]["status"] == "never"
    assert "kate-lethbridge" not in returns  # a guest, not on the register
    late = {r["interest"]: r for r in rows if r["type"] == "interest"}
    food = late["ben-okafor.food-bank"]
    assert (food["status"], food["start"], food["last"], food["due"]) == (
        "late",
        "2022-01-01",
        "2026-04-01",
        "2022-01-29",
    )
    assert "harbour.t-2027-021" not in late  # began 20 October, declared 22 October
    # Every ten months, Sunil's January return is overdue too.
    assert "sunil-bhatt" in {r["who"] for r in due("--months", "10") if r["type"] == "return"}
    # Before Tom's return he had never made one.
    earlier = ok(runner, loaded, "register", "due", "--as-of", "2025-05-01", "-f", "json")
    statuses = {r["who"]: r["status"] for r in as_json(earlier) if r["type"] == "return"}
    assert statuses["tom-rowe"] == "never"
    table = ok(runner, loaded, "register", "due", "--as-of", "2026-11-25").stdout
    assert "Annual returns due as at 2026-11-25" in table
    assert "declared more than 28 days after they began" in table
    assert run(runner, loaded, "register", "due", "--months", "0").exit_code == 2


def test_help_for_every_new_command_has_an_example(runner: CliRunner) -> None:
    for args in (
        ["declare", "--help"],
        ["declare", "add", "--help"],
        ["declare", "amend", "--help"],
        ["declare", "retract", "--help"],
        ["return", "--help"],
        ["log", "verify", "--help"],
        ["log", "export", "--help"],
        ["declarations", "--help"],
        ["reconcile", "--help"],
        ["register", "due", "--help"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "Example" in result.stdout, args


@pytest.mark.slow
def test_secretaries_declaring_at_once_lose_nothing_and_never_fork_the_chain(
    loaded: str, runner: CliRunner
) -> None:
    """Several `coi declare` processes at the same moment, as two laptops minuting one
    meeting would: every entry lands once and the chain verifies."""
    import subprocess
    import sys

    people = ["priya-nair", "tom-rowe", "owen-pascoe", "nadia-quinn"]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coi",
                "--db",
                loaded,
                "declare",
                M,
                "--person",
                person,
                "--item",
                "5",
                "--nature",
                f"Declared by {person}",
                "--action",
                "remained",
                "--by",
                f"clerk-{n}",
                "--today",
                AFTER_THE_MEETINGS,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, person in enumerate(people)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    logged = entries(loaded)
    assert [e.seq for e in logged] == list(range(1, len(people) + 1))
    assert sorted(e.person for e in logged) == sorted(people)
    result = run(runner, loaded, "log", "verify")
    assert result.exit_code == 0, result.stderr
