"""Issue 10, point 9: `coi attendance` counts every meeting held so far, and credits an
organisation for the person who came for it."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from coi.cli.app import app as APP
from coi.domain.attendance import Tally, attendance_report, expected_at, in_scope, took_place
from coi.domain.model import (
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingStatus,
    PoolMember,
    Seat,
)

P, A, S = AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES, AttendanceStatus.SUBSTITUTE
BODY = Body("lit", "LIT")
SEAT = Seat(
    "vcs",
    "lit",
    "VCS",
    2,
    (
        PoolMember("priya", "plym"),
        PoolMember("tom", "cattewater"),
        PoolMember("owen", "zone"),
        PoolMember("devika", "harbour"),
    ),
)
M = Meeting("m1", "lit", "LIT", dt.datetime(2027, 1, 20, 10, tzinfo=dt.UTC))


def by_id(tallies: tuple[Tally, ...]) -> dict[str, Tally]:
    return {t.id: t for t in tallies}


def test_a_substitute_counts_for_the_organisation_they_came_for() -> None:
    records = [
        Attendance("m1", "priya", A, seat="vcs"),
        Attendance("m1", "tom", S, substitute_for="priya", seat="vcs"),
        Attendance("m1", "owen", P, seat="vcs"),
    ]
    expected = expected_at([BODY], [SEAT], [M], [], records)
    orgs = by_id(attendance_report([M], expected, records, [SEAT], []).organisations)
    # Priya sent apologies: Plym Recovery is not credited with Tom's attendance.
    assert orgs["plym"] == Tally("plym", rostered=1, apologies=1)
    assert orgs["cattewater"] == Tally("cattewater", attended=1)
    assert orgs["zone"] == Tally("zone", rostered=1, attended=1)


def test_a_substitute_from_the_same_organisation_credits_it() -> None:
    records = [Attendance("m1", "deputy", S, substitute_for="priya", seat="vcs")]
    expected = expected_at([BODY], [SEAT], [M], [], records)
    orgs = by_id(attendance_report([M], expected, records, [SEAT], []).organisations)
    assert orgs["plym"] == Tally("plym", rostered=1, attended=1)


def test_the_organisations_table_holds_every_organisation_the_seat_table_counts() -> None:
    records = [Attendance("m1", "owen", P, seat="vcs")]
    expected = expected_at([BODY], [SEAT], [M], [], records)
    report = attendance_report([M], expected, records, [SEAT], [])
    (seat,) = report.seats
    assert {o for o, _ in seat.organisation_shares} == {"plym", "cattewater", "zone", "harbour"}
    orgs = by_id(report.organisations)
    assert set(orgs) == {"plym", "cattewater", "zone", "harbour"}
    assert orgs["harbour"] == Tally("harbour")


def test_a_meeting_with_attendance_recorded_has_been_held() -> None:
    today = dt.date(2026, 12, 1)  # before the meeting's date
    assert not in_scope(M, "UTC", today=today)
    assert in_scope(M, "UTC", today=today, attended=True)
    assert not in_scope(
        Meeting("c", "lit", "C", M.start, status=MeetingStatus.CANCELLED),
        "UTC",
        today=today,
        attended=True,
    )
    # Apologies can be sent in advance, so they say nothing about the meeting happening.
    assert took_place([Attendance("m1", "a", A), Attendance("m2", "b", P)]) == {"m2"}


def test_attendance_with_no_options_reports_the_meetings_held(
    runner: CliRunner, example_db_url: str
) -> None:
    def run(*args: str) -> str:
        result = runner.invoke(APP, ["--db", example_db_url, *args])
        assert result.exit_code == 0, result.stderr
        return str(result.stdout)

    # The January meeting is minuted on the day; a report run with an earlier clock
    # (or the real one) still counts it, as its attendance says it was held.
    day = ["--today", "2027-01-20"]
    run("attend", "lit-2027-01", "priya-nair", "apologies", *day)
    run("attend", "lit-2027-01", "tom-rowe", "substitute", "--for", "priya-nair", *day)
    run("attend", "lit-2027-01", "owen-pascoe", "present", *day)
    data = json.loads(run("attendance", "--today", "2026-11-25", "--format", "json"))
    assert "lit-2027-01" in data["meetings"]
    orgs = {r["id"]: r for r in data["organisations"]}
    assert (orgs["plym-recovery"]["attended"], orgs["plym-recovery"]["apologies"]) == (0, 1)
    assert orgs["cattewater-housing"]["attended"] == 1
    seat_orgs = {o for s in data["seats"] for o in s["organisation_shares"]}
    assert seat_orgs <= set(orgs)
    table = run("attendance", "--today", "2026-11-25")
    assert "no meetings held" not in table
    empty = run("attendance", "--today", "2000-01-01", "--to", "2000-12-31")
    assert "no meetings held by 2000-01-01 in that range" in empty
