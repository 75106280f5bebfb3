"""`coi rota export` end to end for issue 12: no empty calendar, the secretary as
ORGANIZER, cancelled meetings with their reason and flags, titles naming the person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from icalendar import Calendar
from typer.testing import CliRunner

from coi.cli.app import app

NOW = ("--now", "2026-11-25T09:00:00+00:00")
UID = "lit-2027-01.lit-vcs.priya-nair@coi"


def run(runner: CliRunner, db: str, *args: str) -> Any:
    result = runner.invoke(app, ["--db", db, *args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def events(path: Path) -> dict[str, Any]:
    return {str(e["UID"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def planned(runner: CliRunner, db: str) -> None:
    run(runner, db, "rota", "plan", "lit-vcs", "--today", "2026-11-25")


def test_no_places_writes_nothing_and_says_so(
    runner: CliRunner, example_db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "empty.ics"
    result = run(runner, example_db_url, "rota", "export", "--seat", "lit-vcs", "-o", str(out))
    assert not out.exists()
    assert "nothing written" in result.stderr
    result = run(runner, example_db_url, "rota", "export", "--seat", "lit-vcs")
    assert result.stdout == ""


def test_the_bodys_secretary_organizes(
    runner: CliRunner, example_db_url: str, tmp_path: Path
) -> None:
    db = example_db_url
    planned(runner, db)
    out = tmp_path / "priya.ics"
    run(runner, db, "rota", "export", "--person", "priya-nair", "-o", str(out), *NOW)
    event = events(out)[UID]
    assert str(event["ORGANIZER"]) == "mailto:secretary@coi.invalid"
    secretary = "Kate Lethbridge <kate.lethbridge@nhs.example>"
    run(runner, db, "body", "edit", "lit-adult-mh", "--secretary", secretary)
    run(runner, db, "rota", "export", "--person", "priya-nair", "-o", str(out), *NOW)
    event = events(out)[UID]
    assert str(event["ORGANIZER"]) == "mailto:kate.lethbridge@nhs.example"
    assert event["ORGANIZER"].params["CN"] == "Kate Lethbridge"
    assert str(event["SUMMARY"]) == "LIT: Priya Nair, VCS seat"
    run(runner, db, "body", "edit", "lit-adult-mh", "--short-name", "AMH LIT")
    run(runner, db, "rota", "export", "--person", "priya-nair", "-o", str(out), *NOW)
    assert str(events(out)[UID]["SUMMARY"]) == "AMH LIT: Priya Nair, VCS seat"


def test_cancelled_meeting_keeps_flags_and_gives_the_reason(
    runner: CliRunner, example_db_url: str, tmp_path: Path
) -> None:
    db = example_db_url
    planned(runner, db)
    reason = "Not quorate: moved to February"
    run(runner, db, "meeting", "cancel", "lit-2027-01", "--reason", reason)
    out = tmp_path / "seat.ics"
    run(runner, db, "rota", "export", "--seat", "lit-vcs", "-o", str(out), *NOW)
    event = events(out)[UID]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Cancelled: LIT: Priya Nair, VCS seat"
    text = str(event["DESCRIPTION"])
    assert f"has been cancelled: {reason}" in text
    assert "You are expected to be excluded" in text
    # The seat calendar names who was going on every event.
    for uid, other in events(out).items():
        person = uid.split(".")[2]
        first = person.split("-")[0].capitalize()
        assert first in str(other["SUMMARY"])
