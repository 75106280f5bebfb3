"""What may be minuted of whom at a meeting: statuses, substitutes, apologies in advance."""

from __future__ import annotations

import datetime as dt

import pytest

from coi.domain.attendance import attendance_record, attendance_status
from coi.domain.model import (
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingStatus,
    Membership,
    PoolMember,
    RotaSlot,
    Seat,
)
from coi.errors import UsageError

P, A, X, S = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.ABSENT,
    AttendanceStatus.SUBSTITUTE,
)
BODY = Body("lit", "LIT", members=(Membership("chair", "chair", "nhs"),))
VCS = Seat("vcs", "lit", "VCS", 1, (PoolMember("ann", "zone"), PoolMember("bob", "harbour")))
GP = Seat("gp", "lit", "GP", 1, (PoolMember("gus", "surgery"),))
OTHER = Seat("far", "elsewhere", "Far", 1, (PoolMember("zed"),))
SEATS = [VCS, GP, OTHER]
DAY = dt.date(2026, 10, 15)
HELD = Meeting("m", "lit", "LIT", dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC), guests=("gail",))
ROTA = [RotaSlot("vcs", "m", "ann"), RotaSlot("vcs", "m", "bob", status="swapped-out")]


def record(
    person: str,
    status: AttendanceStatus,
    *,
    meeting: Meeting = HELD,
    today: dt.date = DAY,
    slots: list[RotaSlot] = ROTA,
    substitute_for: str | None = None,
    seat: str | None = None,
) -> Attendance:
    claim = Attendance(meeting.id, person, status, substitute_for, seat)
    return attendance_record(claim, meeting, BODY, SEATS, slots, today)


def test_status_words() -> None:
    assert attendance_status(" Present ", None) is P
    assert attendance_status("substitute", "ann") is S
    with pytest.raises(UsageError, match="'late' is not one of present, apologies, absent, sub"):
        attendance_status("late", None)
    with pytest.raises(UsageError, match="substitute needs --for"):
        attendance_status("substitute", None)
    with pytest.raises(UsageError, match="--for is only for substitute, not absent"):
        attendance_status("ABSENT", "ann")


def test_members_seat_holders_rostered_and_guests_count_in_their_own_seat() -> None:
    assert record("chair", P) == Attendance("m", "chair", P, None, None)
    assert record("gus", X) == Attendance("m", "gus", X, None, "gp")
    assert record("ann", P).seat == "vcs"
    assert record("gail", P) == Attendance("m", "gail", P, None, None)
    # A pool member not rostered may still be minuted (they came anyway), in their seat.
    assert record("bob", P).seat == "vcs"
    # --seat overrides what was worked out, but only with a seat of the meeting's body.
    assert record("ann", P, seat="gp").seat == "gp"
    with pytest.raises(UsageError, match="seat far is not a seat of lit, which m is of"):
        record("ann", P, seat="far")


def test_someone_unexpected_must_be_a_substitute() -> None:
    with pytest.raises(UsageError, match="zed is not a member, seat holder, pool member or guest"):
        record("zed", P)
    assert record("zed", S, substitute_for="ann") == Attendance("m", "zed", S, "ann", "vcs")
    assert record("zed", S, substitute_for="chair").seat is None


def test_a_substitute_stands_in_for_someone_expected() -> None:
    with pytest.raises(UsageError, match="ann cannot substitute for themselves"):
        record("ann", S, substitute_for="ann")
    # Bob gave his place up, and a guest is not expected: nobody can stand in for them.
    for absent in ("bob", "gail", "nobody"):
        with pytest.raises(UsageError, match=f"{absent} was not expected at m"):
            record("zed", S, substitute_for=absent)
    # Before any rota, the whole pool of a shared seat is who might have come.
    assert record("zed", S, substitute_for="bob", slots=[]).seat == "vcs"


def test_only_apologies_before_the_meeting_and_nothing_for_a_cancelled_one() -> None:
    early = DAY - dt.timedelta(days=1)
    assert record("ann", A, today=early).status is A
    for status in (P, X):
        with pytest.raises(UsageError, match="has not happened yet: only apologies"):
            record("ann", status, today=early)
    with pytest.raises(UsageError, match="has not happened yet"):
        record("zed", S, substitute_for="ann", today=early)
    cancelled = Meeting(
        "m", "lit", "LIT", HELD.start, status=MeetingStatus.CANCELLED, guests=("gail",)
    )
    with pytest.raises(UsageError, match="meeting m is cancelled: nobody can attend it"):
        record("ann", A, meeting=cancelled)
