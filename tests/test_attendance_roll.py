"""The rules of recording a whole meeting at once (issue 10, point 3), with no database:
--as-rostered, corrections, overfull seats and two capacities."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.test_attendance_rules import A, P, S

from coi.domain.attendance import (
    Roll,
    overfull_seats,
    roll_call,
    rostered,
    split_pair,
    two_capacities,
)
from coi.domain.attendees import expected_attendees
from coi.domain.model import Attendance, Body, Meeting, Membership, PoolMember, RotaSlot, Seat
from coi.errors import UsageError

# "chair" is a member and also holds the GP seat: two capacities.
BODY = Body("lit", "LIT", members=(Membership("chair", "chair", "nhs"),))
VCS = Seat("vcs", "lit", "VCS", 1, (PoolMember("ann"), PoolMember("bob"), PoolMember("cat")))
GP = Seat("gp", "lit", "GP", 2, (PoolMember("chair"), PoolMember("gus")))
SEATS = [VCS, GP]
MEETING = Meeting("m", "lit", "LIT", dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC), guests=("gail",))
ROTA = [RotaSlot("vcs", "m", "ann"), RotaSlot("vcs", "m", "bob", status="swapped-out")]


def status(records: list[Attendance]) -> dict[str, tuple[str, str | None]]:
    return {r.person: (str(r.status), r.substitute_for) for r in records}


def test_as_rostered_takes_the_definite_and_names_seats_without_a_rota() -> None:
    people, open_seats = rostered(expected_attendees(BODY, SEATS, MEETING, ROTA))
    assert sorted(people) == ["ann", "chair", "gus"]  # no guest, no swapped-out bob
    assert open_seats == []
    people, open_seats = rostered(expected_attendees(BODY, SEATS, MEETING, []))
    assert sorted(people) == ["chair", "gus"] and open_seats == ["vcs"]


def test_corrections_apply_to_the_rostered() -> None:
    roll = Roll(apologies=("gus",), substitutes=(("bob", "ann"),), present=("gail",))
    records, doubles = roll_call(roll, "m", ["ann", "chair", "gus"])
    assert status(records) == {
        "bob": ("substitute", "ann"),  # ann is stood in for, so no longer present
        "chair": ("present", None),
        "gail": ("present", None),
        "gus": ("apologies", None),
    }
    assert doubles == []
    assert all(r.meeting == "m" for r in records)


def test_present_and_substituting_is_two_capacities_and_the_substitute_is_kept() -> None:
    records, doubles = roll_call(Roll(present=("bob",), substitutes=(("bob", "ann"),)), "m")
    assert status(records) == {"bob": ("substitute", "ann")} and doubles == ["bob"]
    assert two_capacities(records, [], doubles) == ["bob is given as present and as a substitute"]


@pytest.mark.parametrize(
    ("roll", "words"),
    [
        (Roll(present=("ann",), apologies=("ann",)), "both present and apologies"),
        (Roll(substitutes=(("bob", "ann"), ("bob", "cat"))), "both ann and cat"),
        (Roll(present=("ann",), substitutes=(("bob", "ann"),)), "ann is given as present"),
        (Roll(absent=("bob",), substitutes=(("bob", "ann"),)), "as not attending"),
    ],
)
def test_contradictions_are_refused(roll: Roll, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        roll_call(roll, "m")


def test_split_pair() -> None:
    assert split_pair(" tom : owen ") == ("tom", "owen")
    for bad in ("tom", ":owen", "tom:"):
        with pytest.raises(UsageError, match="WHO:FOR"):
            split_pair(bad)


def test_overfull_seat_counts_who_attended_it() -> None:
    records = [
        Attendance("m", "ann", P, seat="vcs"),
        Attendance("m", "bob", S, "ann", seat="vcs"),
        Attendance("m", "cat", A, seat="vcs"),  # apologies fill no place
        Attendance("m", "gus", P, seat="gp"),
    ]
    assert overfull_seats(records, SEATS) == ["seat vcs has 1 place(s) but would hold 2: ann, bob"]
    assert overfull_seats(records[1:], SEATS) == []


def test_two_capacities_member_and_seat_holder_or_stood_in_for_while_present() -> None:
    attendees = expected_attendees(BODY, SEATS, MEETING, ROTA)
    chair = [Attendance("m", "chair", P)]
    (warning,) = two_capacities(chair, attendees)
    assert warning.startswith("chair would attend as both") and "GP" in warning
    assert two_capacities([Attendance("m", "chair", A)], attendees) == []
    both = [Attendance("m", "ann", P, seat="vcs"), Attendance("m", "bob", S, "ann", seat="vcs")]
    assert two_capacities(both, attendees) == ["bob substitutes for ann, who is recorded present"]
