"""``coi meeting`` and ``coi agenda`` as a secretary runs them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coi.cli.app import app
from coi.domain.meeting_times import parse_duration
from coi.errors import UsageError

REGISTER = """
organisations:
  - {id: harbour, name: Harbour Centre}
  - {id: change-up, name: Change Up Consortium, kind: consortium}
people:
  - {id: jo-bright, name: Jo Bright}
  - {id: sam-chair, name: Sam Chair}
bodies:
  - {id: lit-adult-mh, name: LIT for Adult Mental Health}
  - {id: ct-board, name: Children's Trust Board}
meetings:
  - id: lit-2020-01
    body: lit-adult-mh
    title: LIT January 2020
    start: 2020-01-16 10:00
    end: 2020-01-16 12:00
    items:
      - {number: "1", title: Apologies, kind: information}
"""

MEETING = "lit-adult-mh-2027-07-15"


def coi(runner: CliRunner, db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def ok(runner: CliRunner, db: str, *args: str) -> str:
    code, out, err = coi(runner, db, *args)
    assert code == 0, err
    return out


def as_json(runner: CliRunner, db: str, *args: str) -> object:
    return json.loads(ok(runner, db, *args, "--format", "json"))


@pytest.fixture
def small(runner: CliRunner, tmp_path: Path) -> str:
    """A SQLite register with two bodies, two people, two organisations, one past meeting."""
    db = f"sqlite:///{tmp_path / 'm.db'}"
    path = tmp_path / "register.yaml"
    path.write_text(REGISTER)
    ok(runner, db, "load", str(path))
    return db


def load_small(runner: CliRunner, db: str, tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text(REGISTER)
    ok(runner, db, "load", str(path))


def add_summer_meeting(runner: CliRunner, db: str) -> None:
    ok(
        runner,
        db,
        "meeting",
        "add",
        "LIT for Adult Mental Health",
        "--start",
        "2027-07-15 10:00",
        "--duration",
        "2h",
        "--location",
        "Windsor House, Plymouth",
        "--guest",
        "Jo Bright",
    )


def test_summer_meeting_is_stored_in_utc_and_shown_in_bst(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import create_engine, text

    load_small(runner, db_url, tmp_path)
    add_summer_meeting(runner, db_url)
    ok(runner, db_url, "meeting", "add", "ct-board", "--start", "2027-01-12 14:00")

    rows = as_json(runner, db_url, "meeting", "list", "--from", "2027-01-01")
    assert isinstance(rows, list)
    by_id = {r["id"]: r for r in rows}
    summer = by_id[MEETING]
    assert summer["title"] == "LIT for Adult Mental Health"  # the body's name by default
    assert summer["start"] == "2027-07-15T10:00:00+01:00"
    assert summer["end"] == "2027-07-15T12:00:00+01:00"
    assert summer["start_utc"] == "2027-07-15T09:00:00+00:00"
    assert summer["timezone"] == "Europe/London"
    assert summer["guests"] == ["jo-bright"]
    assert summer["location"] == "Windsor House, Plymouth"
    winter = by_id["ct-board-2027-01-12"]
    assert winter["start"] == "2027-01-12T14:00:00+00:00"
    assert winter["end"] is None

    engine = create_engine(db_url)
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT starts_at FROM meetings WHERE id = :id"), {"id": MEETING}
        ).scalar_one()
    engine.dispose()
    if isinstance(stored, str):  # SQLite keeps the UTC text
        stored = dt.datetime.fromisoformat(stored)
    assert stored.replace(tzinfo=None) == dt.datetime(2027, 7, 15, 9, 0)

    table = ok(runner, db_url, "meeting", "list", "--body", "lit-adult-mh")
    assert "2027-07-15 10:00 BST" in table
    assert "2020-01-16 10:00 GMT" in table
    # The dump writes local wall-clock times, as a hand-written file would.
    assert "start: 2027-07-15 10:00\n" in ok(runner, db_url, "dump")


def test_agenda_add_list_edit_remove_keeps_order(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    load_small(runner, db_url, tmp_path)
    add_summer_meeting(runner, db_url)
    paper = tmp_path / "item5.txt"
    paper.write_text("Harbour and the Change Up Consortium have bid.\n")
    ok(runner, db_url, "agenda", "add", MEETING, "1", "Apologies", "--kind", "information")
    ok(
        runner,
        db_url,
        "agenda",
        "add",
        MEETING,
        "5",
        "Award of the crisis-house contract",
        "--kind",
        "contract-award",
        "--text-file",
        str(paper),
        "--service-area",
        "mental-health/adult",
        "--org",
        "Harbour Centre",
        "--org",
        "change-up",
        "--reference",
        "T-2027-014",
        "--value",
        "250000",
    )
    ok(runner, db_url, "agenda", "add", MEETING, "2", "Minutes", "--kind", "decision")
    ok(runner, db_url, "agenda", "add", MEETING, "1.1", "Declarations", "--after", "1")

    items = as_json(runner, db_url, "agenda", "list", MEETING)
    assert isinstance(items, list)
    assert [i["number"] for i in items] == ["1", "1.1", "5", "2"]
    award = items[2]
    assert award == {
        "number": "5",
        "title": "Award of the crisis-house contract",
        "kind": "contract-award",
        "text": "Harbour and the Change Up Consortium have bid.",
        "service_areas": ["mental-health/adult"],
        "organisations": ["harbour", "change-up"],
        "references": ["T-2027-014"],
        "value": 250000.0,
        "papers": [],
    }
    assert items[1]["kind"] == "discussion"

    ok(
        runner,
        db_url,
        "agenda",
        "edit",
        MEETING,
        "5",
        "--number",
        "3",
        "--kind",
        "procurement",
        "--remove-org",
        "change-up",
        "--add-reference",
        "C-2025-008",
        "--no-value",
    )
    ok(runner, db_url, "agenda", "remove", MEETING, "1.1")
    items = as_json(runner, db_url, "agenda", "list", MEETING)
    assert isinstance(items, list)
    assert [i["number"] for i in items] == ["1", "3", "2"]
    assert items[1]["kind"] == "procurement"
    assert items[1]["organisations"] == ["harbour"]
    assert items[1]["references"] == ["T-2027-014", "C-2025-008"]
    assert items[1]["value"] is None
    assert items[1]["text"] == "Harbour and the Change Up Consortium have bid."

    out = ok(runner, db_url, "agenda", "list", MEETING, "--format", "csv")
    header = next(csv.reader(io.StringIO(out)))
    assert header == [
        "number",
        "title",
        "kind",
        "service_areas",
        "organisations",
        "references",
        "value",
        "papers",
    ]


def test_show_gives_header_and_agenda_as_json_and_markdown(runner: CliRunner, small: str) -> None:
    add_summer_meeting(runner, small)
    ok(runner, small, "agenda", "add", MEETING, "5", "Award", "--org", "harbour", "--text", "Bids")
    shown = as_json(runner, small, "meeting", "show", MEETING)
    assert isinstance(shown, dict)
    assert shown["body_name"] == "LIT for Adult Mental Health"
    assert shown["start"] == "2027-07-15T10:00:00+01:00"
    assert shown["guests"] == ["jo-bright"]
    assert shown["guest_names"] == ["Jo Bright"]
    assert [i["number"] for i in shown["items"]] == ["5"]
    assert shown["items"][0]["organisations"] == ["harbour"]

    md = ok(runner, small, "meeting", "show", MEETING, "--format", "md")
    assert md.startswith("# LIT for Adult Mental Health\n")
    assert "- **When:** Thu 15 Jul 2027 10:00 to 12:00 BST (Europe/London)" in md
    assert "### 5. Award" in md
    assert "organisations: Harbour Centre" in md  # names, not ids, on paper
    assert "\nBids\n" in md

    table = ok(runner, small, "meeting", "show", MEETING)
    assert "Thu 15 Jul 2027 10:00 to 12:00 BST" in table
    assert "Harbour Centre" in table


def test_cancel_keeps_the_record_raises_the_sequence_and_freezes_the_agenda(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    load_small(runner, db_url, tmp_path)
    add_summer_meeting(runner, db_url)
    before = as_json(runner, db_url, "meeting", "show", MEETING)
    assert isinstance(before, dict)
    ok(runner, db_url, "meeting", "cancel", MEETING)
    after = as_json(runner, db_url, "meeting", "show", MEETING)
    assert isinstance(after, dict)
    assert after["status"] == "cancelled"
    assert after["sequence"] == before["sequence"] + 1

    rows = as_json(runner, db_url, "meeting", "list", "--status", "cancelled")
    assert isinstance(rows, list)
    assert [r["id"] for r in rows] == [MEETING]

    # Cancelling twice changes nothing; a held meeting cannot be cancelled.
    code, _, err = coi(runner, db_url, "meeting", "cancel", MEETING)
    assert code == 0 and "no change" in err
    ok(runner, db_url, "meeting", "edit", "lit-2020-01", "--status", "held")
    code, _, err = coi(runner, db_url, "meeting", "cancel", "lit-2020-01")
    assert code == 2 and "was held" in err

    # Reinstating it opens the agenda again.
    ok(runner, db_url, "meeting", "edit", MEETING, "--status", "scheduled")
    ok(runner, db_url, "agenda", "add", MEETING, "1", "Apologies")


def test_edit_moves_the_end_with_the_start(runner: CliRunner, small: str) -> None:
    add_summer_meeting(runner, small)
    ok(
        runner,
        small,
        "meeting",
        "edit",
        MEETING,
        "--start",
        "2027-07-22 14:00",
        "--title",
        "Extra LIT",
        "--add-guest",
        "sam-chair",
        "--remove-guest",
        "jo-bright",
    )
    shown = as_json(runner, small, "meeting", "show", MEETING)
    assert isinstance(shown, dict)
    assert (shown["start"], shown["end"]) == (
        "2027-07-22T14:00:00+01:00",
        "2027-07-22T16:00:00+01:00",
    )
    assert shown["title"] == "Extra LIT"
    assert shown["guests"] == ["sam-chair"]
    ok(runner, small, "meeting", "edit", MEETING, "--end", "15:30")
    shown = as_json(runner, small, "meeting", "show", MEETING)
    assert isinstance(shown, dict)
    assert shown["end"] == "2027-07-22T15:30:00+01:00"


def test_list_filters_by_body_dates_and_status(runner: CliRunner, small: str) -> None:
    add_summer_meeting(runner, small)
    ok(runner, small, "meeting", "add", "ct-board", "--start", "2027-07-15 14:00")

    def ids(*args: str) -> list[str]:
        rows = as_json(runner, small, "meeting", "list", *args)
        assert isinstance(rows, list)
        return [r["id"] for r in rows]

    assert ids() == ["lit-2020-01", MEETING, "ct-board-2027-07-15"]
    assert ids("--body", "ct-board") == ["ct-board-2027-07-15"]
    assert ids("--from", "2027-07-15", "--to", "2027-07-15") == [MEETING, "ct-board-2027-07-15"]
    assert ids("--to", "2026-12-31") == ["lit-2020-01"]
    assert ids("--status", "held") == []


# Each case: the command, a piece of the one-line message. Nothing may change.
BAD_INPUT = [
    (["meeting", "add", "no-such-body", "--start", "2027-07-15 10:00"], "no body matches"),
    (["meeting", "add", "lit-adult-mh", "--start", "15/07/2027 10:00"], "--start: '15/07/2027"),
    (["meeting", "add", "lit-adult-mh", "--start", "2027-07-15"], "use YYYY-MM-DD HH:MM"),
    (
        ["meeting", "add", "lit-adult-mh", "--start", "2027-03-28 01:30"],
        "does not exist in Europe/London",
    ),
    (
        ["meeting", "add", "lit-adult-mh", "--start", "2027-07-15 10:00", "--end", "09:00"],
        "--end: '09:00' is not after the start",
    ),
    (
        ["meeting", "add", "lit-adult-mh", "--start", "2027-07-15 10:00", "--duration", "soon"],
        "--duration: 'soon' is not a length of time",
    ),
    (
        ["meeting", "add", "lit-adult-mh", "--start", "2027-07-16 10:00", "--guest", "nobody"],
        "no person matches 'nobody'",
    ),
    (["meeting", "add", "lit-adult-mh", "--start", "2027-07-15 11:00"], "exists"),
    (["meeting", "list", "--from", "July"], "--from: 'July' is not a date"),
    (["meeting", "show", "no-such-meeting"], "no meeting matches 'no-such-meeting'"),
    (["meeting", "cancel", "no-such-meeting"], "no meeting matches"),
    (["meeting", "edit", MEETING, "--start", "tomorrow"], "--start: 'tomorrow'"),
    (["meeting", "edit", "lit-adult-mh-2099-02-01", "--status", "held"], "has not started yet"),
    (["agenda", "add", "no-such-meeting", "9", "X"], "no meeting matches"),
    (["agenda", "add", MEETING, "5", "Again"], f"meeting '{MEETING}' already has an item '5'"),
    (["agenda", "add", MEETING, "6", "X", "--org", "nowhere"], "no organisation matches"),
    (["agenda", "add", MEETING, "6", "X", "--after", "99"], "has no item '99'"),
    (["agenda", "add", MEETING, "6", "X", "--value", "-1"], "--value: -1.0"),
    (["agenda", "add", MEETING, "6", "X", "--service-area", "Mental Health"], "service area"),
    (["agenda", "add", MEETING, "6", "X", "--text-file", "/no/such/file"], "file not found"),
    (["agenda", "edit", MEETING, "9", "--title", "X"], f"meeting '{MEETING}' has no item '9'"),
    (["agenda", "edit", MEETING, "5", "--number", "1"], "already has an item '1'"),
    (["agenda", "edit", MEETING, "5", "--remove-org", "change-up"], "is not on item 5"),
    (["agenda", "remove", MEETING, "9"], f"meeting '{MEETING}' has no item '9' (items: 1, 5)"),
    (["agenda", "add", "lit-adult-mh-2099-01-01", "1", "X"], "is cancelled"),
    (["agenda", "edit", "lit-adult-mh-2099-01-01", "1", "--title", "X"], "is cancelled"),
    (["agenda", "remove", "lit-adult-mh-2099-01-01", "1"], "is cancelled"),
    (["meeting", "edit", "lit-adult-mh-2099-01-01", "--location", "X"], "is cancelled"),
]


def test_bad_input_names_the_problem_exits_2_and_changes_nothing(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    load_small(runner, db_url, tmp_path)
    add_summer_meeting(runner, db_url)
    for number, title in (("1", "Apologies"), ("5", "Award")):
        ok(runner, db_url, "agenda", "add", MEETING, number, title, "--org", "harbour")
    far = "lit-adult-mh-2099-01-01"
    ok(runner, db_url, "meeting", "add", "lit-adult-mh", "--start", "2099-01-01 10:00")
    ok(runner, db_url, "agenda", "add", far, "1", "Apologies")
    ok(runner, db_url, "meeting", "cancel", far)
    ok(runner, db_url, "meeting", "add", "lit-adult-mh", "--start", "2099-02-01 10:00")
    before = ok(runner, db_url, "dump")
    for args, expected in BAD_INPUT:
        code, _, err = coi(runner, db_url, *args)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 2, (args, err)
        assert len(lines) == 1 and expected in lines[0], (args, err)
        assert "Traceback" not in err
    assert ok(runner, db_url, "dump") == before


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("2h", 120), ("90m", 90), ("1h30m", 90), ("1h 30min", 90), ("1.5h", 90), ("1:45", 105)],
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "h", "0h", "0:00", "two hours", "-1h", "1d"])
def test_parse_duration_refuses_nonsense(text: str) -> None:
    with pytest.raises(UsageError, match="--duration"):
        parse_duration(text)


def test_help_has_examples(runner: CliRunner) -> None:
    for group, commands in (
        ("meeting", ("add", "list", "show", "edit", "cancel")),
        ("agenda", ("add", "list", "edit", "remove")),
    ):
        for command in commands:
            result = runner.invoke(app, [group, command, "--help"])
            assert result.exit_code == 0
            assert "Example" in result.stdout, (group, command)


def test_cancel_keeps_the_reason_in_the_meeting_notes(
    runner: CliRunner, sqlite_url: str, example: Path
) -> None:
    ok(runner, sqlite_url, "load", str(example))
    ok(runner, sqlite_url, "meeting", "cancel", "lit-2027-03", "--reason", "Not quorate")
    shown = as_json(runner, sqlite_url, "meeting", "show", "lit-2027-03", "--format", "json")
    assert isinstance(shown, dict)
    assert shown["status"] == "cancelled"
    dumped = ok(runner, sqlite_url, "dump")
    assert "Cancelled: Not quorate" in dumped
