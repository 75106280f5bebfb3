"""`coi rota` on the Plymouth LIT's shared seat: plan, show, swap, lock, away, export.

Four providers' representatives share the LIT's two VCS places (seat lit-vcs); Owen is
away for the January meeting and Priya for the March one; the October meeting is past.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from coi.cli import common
from coi.cli import rota as rota_cli
from coi.cli.app import app

TODAY = "2026-11-25"
POOL = {"owen-pascoe", "devika-chandra", "priya-nair", "tom-rowe"}


@pytest.fixture
def db(example_db_url: str) -> str:
    return example_db_url


def coi(runner: CliRunner, db: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", db, *args])


def ok(runner: CliRunner, db: str, *args: str) -> str:
    result = coi(runner, db, *args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def fails(runner: CliRunner, db: str, *args: str) -> str:
    """Exit 2 with a one-line message and no traceback."""
    result = coi(runner, db, *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert "Traceback" not in result.stderr
    return " ".join(lines)


def plan(runner: CliRunner, db: str, *extra: str) -> dict[str, dict[str, Any]]:
    out = ok(runner, db, "rota", "plan", "lit-vcs", "--today", TODAY, "--format", "json", *extra)
    return {row["meeting"]: row for row in json.loads(out)}


def slots(runner: CliRunner, db: str, *extra: str) -> dict[tuple[str, str], dict[str, Any]]:
    out = ok(runner, db, "rota", "show", "--all", "--format", "json", *extra)
    return {(r["meeting"], r["person"]): r for r in json.loads(out)}


def assigned(table: dict[tuple[str, str], dict[str, Any]], meeting: str) -> set[str]:
    return {p for (m, p), r in table.items() if m == meeting and r["status"] == "assigned"}


# --- plan ----------------------------------------------------------------------------------


def test_plan_fills_every_place_fairly_and_never_with_someone_away(
    runner: CliRunner, db: str
) -> None:
    rows = plan(runner, db, "--from", "2026-10-01")
    assert set(rows) == {"lit-2026-10", "lit-2027-01", "lit-2027-03"}
    # The October meeting has passed with no rota: a named shortage, not a silent gap.
    assert rows["lit-2026-10"]["people"] == []
    assert "passed" in rows["lit-2026-10"]["shortage"]
    january, march = set(rows["lit-2027-01"]["people"]), set(rows["lit-2027-03"]["people"])
    assert len(january) == len(march) == 2
    assert "owen-pascoe" not in january and "priya-nair" not in march
    # Four people, four places: everyone gets one.
    assert january | march == POOL
    stored = slots(runner, db)
    assert assigned(stored, "lit-2027-01") == january
    assert assigned(stored, "lit-2027-03") == march
    assert all(r["sequence"] == 0 and not r["locked"] for r in stored.values())


def test_plan_reports_flags_and_replanning_changes_nothing(runner: CliRunner, db: str) -> None:
    first = plan(runner, db)
    # Priya's trust bids for the crisis-house tender on item 5 of the January agenda.
    assert "Priya Nair flagged (exclude for item 5)" in first["lit-2027-01"]["note"]
    before = slots(runner, db)
    again = plan(runner, db)
    assert all(row["changes"] == [] for row in again.values())
    assert slots(runner, db) == before


def test_dry_run_stores_nothing(runner: CliRunner, db: str) -> None:
    result = coi(runner, db, "rota", "plan", "lit-vcs", "--today", TODAY, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Priya Nair" in result.stdout
    assert "nothing was changed" in result.stderr
    assert slots(runner, db) == {}


def test_progress_bar_only_on_a_terminal(
    runner: CliRunner, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under the test runner stderr is not a terminal, so the plan ran without a bar above.
    assert not common.show_progress()
    monkeypatch.setattr(common, "show_progress", lambda: True)
    monkeypatch.setattr(rota_cli, "PROGRESS_FROM", 1)
    rows = plan(runner, db)
    assert len(rows["lit-2027-01"]["people"]) == 2


def test_plan_bad_input_exits_2_and_changes_nothing(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    msg = fails(runner, db, "rota", "plan", "lit-vcs", "--from", "2027-03-01", "--to", "2027-01-01")
    assert "wrong way round" in msg
    assert "no seat matches" in fails(runner, db, "rota", "plan", "no-such-seat")
    f = tmp_path / "short.yaml"
    f.write_text(
        "seats:\n  - {id: lit-big, body: lit-adult-mh, name: Big, places: 3,"
        " pool: [owen-pascoe, tom-rowe]}\n"
    )
    ok(runner, db, "load", str(f))
    msg = fails(runner, db, "rota", "plan", "lit-vcs", "lit-big", "--today", TODAY)
    assert "3 places but only 2 in its pool" in msg
    # The good seat planned before the bad one was not stored either.
    assert slots(runner, db) == {}


# --- swap, lock ------------------------------------------------------------------------------


def test_swap_moves_a_place_locks_it_and_survives_replanning(runner: CliRunner, db: str) -> None:
    rows = plan(runner, db)
    january = set(rows["lit-2027-01"]["people"])
    (spare,) = POOL - january - {"owen-pascoe"}  # Owen is away in January
    result = coi(runner, db, "rota", "swap", "lit-2027-01", "priya-nair", spare, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert f"{spare} takes priya-nair's place on lit-vcs" in result.stderr
    stored = slots(runner, db)
    out, new = stored[("lit-2027-01", "priya-nair")], stored[("lit-2027-01", spare)]
    assert (out["status"], out["locked"], out["sequence"]) == ("swapped-out", True, 1)
    assert (new["status"], new["locked"]) == ("assigned", True)
    assert assigned(stored, "lit-2027-01") == january - {"priya-nair"} | {spare}
    plan(runner, db)
    assert assigned(slots(runner, db), "lit-2027-01") == january - {"priya-nair"} | {spare}


def test_swap_refuses_bad_swaps_and_changes_nothing(runner: CliRunner, db: str) -> None:
    plan(runner, db)
    before = slots(runner, db)
    january = assigned(before, "lit-2027-01")
    holder = sorted(january)[0]
    swap = ("rota", "swap", "lit-2027-01", holder)
    assert "not in the pool" in fails(runner, db, *swap, "kate-lethbridge", "--today", TODAY)
    assert "away" in fails(runner, db, *swap, "owen-pascoe", "--today", TODAY)
    assert "no meeting matches" in fails(runner, db, "rota", "swap", "nope", holder, "tom-rowe")
    assert "no person matches" in fails(runner, db, *swap, "nobody-at-all")
    assert "holds no place" in fails(
        runner, db, "rota", "swap", "lit-2027-01", "liz-doidge", holder
    )
    msg = fails(runner, db, *swap, "owen-pascoe", "--seat", "ct-board-vcs")
    assert "not a seat of lit-adult-mh" in msg
    # A past meeting cannot be swapped: record attendance instead.
    assert "passed" in fails(runner, db, *swap, "owen-pascoe", "--today", "2027-02-01")
    assert slots(runner, db) == before


def test_lock_keeps_places_through_an_away_period_until_unlocked(
    runner: CliRunner, db: str
) -> None:
    march = set(plan(runner, db)["lit-2027-03"]["people"])
    who = sorted(march)[0]
    result = coi(runner, db, "rota", "lock", "lit-2027-03")
    assert result.exit_code == 0 and "locked 2 place(s)" in result.stderr
    locked = slots(runner, db)
    assert all(locked[("lit-2027-03", p)]["locked"] for p in march)
    assert all(locked[("lit-2027-03", p)]["sequence"] == 1 for p in march)
    away = coi(runner, db, "rota", "away", who, "--from", "2027-03-01", "--to", "2027-03-31")
    assert away.exit_code == 0 and "lit-2027-03" in away.stderr  # warns of the clash
    assert assigned(slots(runner, db), "lit-2027-03") == march
    plan(runner, db)
    assert assigned(slots(runner, db), "lit-2027-03") == march  # locked: kept
    ok(runner, db, "rota", "unlock", "lit-2027-03", "--person", who)
    rows = plan(runner, db)
    assert who not in rows["lit-2027-03"]["people"]
    assert f"-{who}" in rows["lit-2027-03"]["changes"]
    after = slots(runner, db)
    assert after[("lit-2027-03", who)]["status"] == "swapped-out"  # kept, never deleted
    assert after[("lit-2027-03", who)]["sequence"] >= 3
    assert "no rota places" in fails(runner, db, "rota", "lock", "lit-2026-10")


def test_away_lists_and_validates(runner: CliRunner, db: str) -> None:
    ok(
        runner,
        db,
        "rota",
        "away",
        "tom-rowe",
        "--from",
        "2027-05-01",
        "--to",
        "2027-05-31",
        "--reason",
        "leave",
    )
    listed = json.loads(ok(runner, db, "rota", "away", "tom-rowe", "--format", "json"))
    assert listed == [
        {"person": "tom-rowe", "start": "2027-05-01", "end": "2027-05-31", "reason": "leave"}
    ]
    assert "wrong way round" in fails(
        runner, db, "rota", "away", "tom-rowe", "--from", "2027-06-02", "--to", "2027-06-01"
    )
    assert "both" in fails(runner, db, "rota", "away", "tom-rowe", "--from", "2027-06-02")


def test_show_filters_by_person_and_dates(runner: CliRunner, db: str) -> None:
    rows = plan(runner, db)
    who = rows["lit-2027-03"]["people"][0]
    mine = json.loads(ok(runner, db, "rota", "show", "--person", who, "--format", "json"))
    assert {r["person"] for r in mine} == {who}
    march = json.loads(
        ok(runner, db, "rota", "show", "lit-vcs", "--from", "2027-02-01", "--format", "json")
    )
    assert {r["meeting"] for r in march} == {"lit-2027-03"}
    csv = ok(runner, db, "rota", "show", "lit-vcs", "--format", "csv")
    assert csv.splitlines()[0].startswith("date,meeting,seat,person")


# --- export ----------------------------------------------------------------------------------


def events(path: Path) -> dict[str, Any]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_export_is_stable_and_sequences_rise_on_change(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    rows = plan(runner, db)
    assert "priya-nair" in rows["lit-2027-01"]["people"]  # she is away in March
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    now = ("--now", "2026-11-25T09:00:00+00:00")
    ok(runner, db, "rota", "export", "--person", "priya-nair", "-o", str(first), *now)
    ok(runner, db, "rota", "export", "--person", "priya-nair", "-o", str(second), *now)
    assert first.read_bytes() == second.read_bytes()
    uid = "lit-2027-01.lit-vcs.priya-nair@coi"
    event = events(first)[uid]
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    text = str(event["DESCRIPTION"])
    assert "5. Community crisis house and recovery service" in text
    assert "You are expected to be excluded (no papers, not present) from item 5: Priya Nair" in (
        text
    )
    # She swaps out: the same UID comes back cancelled with a higher sequence.
    spare = sorted(POOL - set(rows["lit-2027-01"]["people"]) - {"owen-pascoe"})[0]
    ok(runner, db, "rota", "swap", "lit-2027-01", "priya-nair", spare, "--today", TODAY)
    ok(runner, db, "rota", "export", "--person", "priya-nair", "-o", str(second), *now)
    event = events(second)[uid]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_export_cancelled_meeting_and_seat_calendar(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    plan(runner, db)
    out = tmp_path / "seat.ics"
    now = ("--now", "2026-11-25T09:00:00")
    ok(runner, db, "rota", "export", "--seat", "lit-vcs", "-o", str(out), *now)
    before = events(out)
    assert len(before) == 4
    cancel = tmp_path / "cancel.yaml"
    cancel.write_text(
        "meetings:\n  - {id: lit-2027-03, body: lit-adult-mh, title: LIT for Adult Mental"
        " Health, start: 2027-03-11 10:00, end: 2027-03-11 12:30, location: 'Windsor House,"
        " Plymouth', status: cancelled, guests: [kate-lethbridge]}\n"
    )
    ok(runner, db, "load", str(cancel))
    ok(runner, db, "rota", "export", "--body", "lit-adult-mh", "-o", str(out), *now)
    after = events(out)
    assert set(after) == set(before)
    for uid, event in after.items():
        if uid.startswith("lit-2027-03."):
            assert str(event["STATUS"]) == "CANCELLED"
            assert int(event["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
        else:
            assert event.to_ical() == before[uid].to_ical()


def test_export_bad_input(runner: CliRunner, db: str, tmp_path: Path) -> None:
    out = tmp_path / "x.ics"
    msg = fails(runner, db, "rota", "export", "--person", "tom-rowe", "--seat", "lit-vcs")
    assert "only one of" in msg
    assert "not an ISO" in fails(runner, db, "rota", "export", "-o", str(out), "--now", "soon")
    assert "no person matches" in fails(runner, db, "rota", "export", "--person", "zz-nobody")
    assert not out.exists()


def test_nobody_fills_two_seats_at_one_meeting(
    runner: CliRunner, sqlite_url: str, tmp_path: Path
) -> None:
    # "both" is in the pool of two seats on one body; planned together or one after the
    # other, they never hold a place on both at the same meeting.
    register = tmp_path / "two-seats.yaml"
    register.write_text(
        """\
people:
  - {id: both, name: Both}
  - {id: a, name: A}
  - {id: b, name: B}
bodies:
  - {id: board, name: Board}
seats:
  - {id: s1, body: board, name: One, places: 1, pool: [both, a]}
  - {id: s2, body: board, name: Two, places: 1, pool: [both, b]}
meetings:
  - {id: m1, body: board, title: M1, start: 2027-01-10 10:00}
  - {id: m2, body: board, title: M2, start: 2027-02-10 10:00}
  - {id: m3, body: board, title: M3, start: 2027-03-10 10:00}
  - {id: m4, body: board, title: M4, start: 2027-04-10 10:00}
"""
    )
    ok(runner, sqlite_url, "load", str(register))
    ok(runner, sqlite_url, "rota", "plan", "s1", "--from", "2027-01-01", "--today", TODAY)
    ok(runner, sqlite_url, "rota", "plan", "s2", "--from", "2027-01-01", "--today", TODAY)
    ok(runner, sqlite_url, "rota", "plan", "s1", "s2", "--from", "2027-01-01", "--today", TODAY)
    rows = json.loads(ok(runner, sqlite_url, "rota", "show", "--all", "--format", "json"))
    held = [
        (r["meeting"], r["seat"])
        for r in rows
        if r["person"] == "both" and r["status"] == "assigned"
    ]
    meetings = [m for m, _ in held]
    assert len(meetings) == len(set(meetings)), held
    assert held, "the shared person still takes places"
    for meeting in ("m1", "m2", "m3", "m4"):  # and every place is filled
        assert {
            r["seat"] for r in rows if r["meeting"] == meeting and r["status"] == "assigned"
        } == {"s1", "s2"}
