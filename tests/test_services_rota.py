"""The rota, calendar and attendance services called from Python, as a script would."""

from __future__ import annotations

import datetime as dt

import pytest

from coi.domain.model import AttendanceStatus
from coi.domain.words import SlotStatus
from coi.errors import UsageError
from coi.services import open_session
from coi.services.attendance import attendance, record_attendance
from coi.services.calendar import export_calendar
from coi.services.rota import away_periods, places, plan, record_away, set_lock, swap

TODAY = dt.date(2026, 11, 25)


def test_plan_show_swap_lock_and_export(example_sqlite_url: str) -> None:
    with open_session(example_sqlite_url, write=True) as s:
        dry = plan(s, ["lit-vcs"], today=TODAY, dry_run=True)
    assert dry.dry_run and dry.changes.created > 0
    with open_session(example_sqlite_url) as s:
        assert places(s) == []  # the dry run stored nothing

    with open_session(example_sqlite_url, write=True) as s:
        done = plan(s, ["lit-vcs"], today=TODAY)
    (seat,) = done.seats
    assert seat.meetings is not None and seat.spread <= 1
    january = next(x for x in seat.meetings if x.meeting == "lit-2027-01")
    assert len(january.people) == 2 and "owen-pascoe" not in january.people  # away

    out, in_ = january.people[0], "owen-pascoe"
    with open_session(example_sqlite_url, write=True) as s, pytest.raises(UsageError, match="away"):
        swap(s, "lit-2027-01", out, in_, today=TODAY)
    spare = next(p for p in ("devika-chandra", "priya-nair", "tom-rowe") if p not in january.people)
    with open_session(example_sqlite_url, write=True) as s:
        swapped = swap(s, "lit-2027-01", out, spare, today=TODAY)
    assert (swapped.seat, swapped.out_person, swapped.in_person) == ("lit-vcs", out, spare)
    with open_session(example_sqlite_url, write=True) as s:
        assert set_lock(s, "lit-2027-01", True).already == 2  # both swapped places
    with open_session(example_sqlite_url) as s:
        rows = places(s, person=out, swapped_out=True, start=dt.date(2027, 1, 1))
    given_up = next(r for r in rows if r.meeting == "lit-2027-01")
    assert (given_up.status, given_up.locked) == (SlotStatus.SWAPPED_OUT, True)

    stamp = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    with open_session(example_sqlite_url) as s:
        ics = export_calendar(s, stamp, person=out)
    assert ics.events == len(rows) and ics.cancelled >= 1
    assert b"BEGIN:VCALENDAR" in ics.data


def test_away_and_attendance(example_sqlite_url: str) -> None:
    first, last = dt.date(2027, 3, 1), dt.date(2027, 3, 31)
    with open_session(example_sqlite_url, write=True) as s:
        done = record_away(s, "tom-rowe", first, last, "leave")
    assert done.outcome == "recorded" and done.clashes == ()
    with open_session(example_sqlite_url) as s:
        person, periods = away_periods(s, "tom-rowe")
    assert person == "tom-rowe" and (first, last, "leave") in {
        (a.start, a.end, a.reason) for a in periods
    }

    with open_session(example_sqlite_url, write=True) as s:
        minuted = record_attendance(s, "lit-2026-10", "priya-nair", "present", today=TODAY)
    assert minuted.outcome == "created"
    assert (minuted.record.status, minuted.record.seat) == (AttendanceStatus.PRESENT, "lit-vcs")
    with open_session(example_sqlite_url) as s:
        view = attendance(s, today=TODAY, seat="lit-vcs")
    assert view.report.meetings == ("lit-2026-10",)
    assert view.names["priya-nair"] == "Priya Nair"
