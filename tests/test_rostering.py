"""Which meetings, people and places a rota command works on: the rules of domain/rostering."""

from __future__ import annotations

import datetime as dt

import pytest

from coi.domain.conflicts import Flag
from coi.domain.model import Away, Meeting, MeetingStatus, PoolMember, RotaSlot, Seat
from coi.domain.rostering import (
    clamp_to_term,
    clashes,
    held_elsewhere,
    meetings_to_plan,
    pool_attendees,
    relock,
    serious_flags,
    swap_seat,
)
from coi.domain.rota import plan_rota
from coi.domain.words import Action, SlotStatus
from coi.errors import UsageError

UTC = dt.UTC
S1 = Seat("s1", "board", "One", 1, (PoolMember("both"), PoolMember("a", "org-a")))
S2 = Seat("s2", "board", "Two", 1, (PoolMember("both"), PoolMember("b")))


def meeting(
    i: int, status: MeetingStatus = MeetingStatus.SCHEDULED, body: str = "board"
) -> Meeting:
    return Meeting(f"m{i}", body, f"M{i}", dt.datetime(2027, i, 10, 10, tzinfo=UTC), status=status)


def flag(meeting_id: str, person: str, action: Action, item: str = "1") -> Flag:
    return Flag(meeting_id, item, person, person, action, (), (), (), (), "seat", True, True)


# --- the plan's range --------------------------------------------------------------------


def test_clamp_to_term_cuts_the_range_to_the_seat_term() -> None:
    seat = Seat("s", "b", "S", term_start=dt.date(2027, 2, 1), term_end=dt.date(2027, 6, 30))
    assert clamp_to_term(seat, None, None) == (dt.date(2027, 2, 1), dt.date(2027, 6, 30))
    assert clamp_to_term(seat, dt.date(2027, 3, 1), dt.date(2027, 4, 1)) == (
        dt.date(2027, 3, 1),
        dt.date(2027, 4, 1),
    )
    assert clamp_to_term(seat, dt.date(2027, 1, 1), dt.date(2028, 1, 1)) == (
        dt.date(2027, 2, 1),
        dt.date(2027, 6, 30),
    )
    # A range wholly after the term comes back backwards: nothing falls in it.
    lo, hi = clamp_to_term(seat, dt.date(2027, 8, 1), None)
    assert lo is not None and hi is not None and lo > hi
    open_seat = Seat("s", "b", "S")
    assert clamp_to_term(open_seat, None, dt.date(2027, 5, 1)) == (None, dt.date(2027, 5, 1))


def test_meetings_to_plan_skips_cancelled_past_other_bodies_and_out_of_range() -> None:
    ms = [
        meeting(1),
        meeting(2, MeetingStatus.CANCELLED),
        meeting(3),
        meeting(4, body="other"),
        meeting(5),
        meeting(6),
    ]
    got = meetings_to_plan(
        S1,
        ms,
        "Europe/London",
        first=dt.date(2027, 1, 1),
        last=dt.date(2027, 5, 10),
        today=dt.date(2027, 3, 1),
    )
    assert [m.id for m in got] == ["m3", "m5"]  # m5's day is the last day, inclusive
    assert [
        m.id
        for m in meetings_to_plan(S1, ms, "UTC", first=None, last=None, today=dt.date(2027, 6, 10))
    ] == ["m6"]


# --- flags the plan avoids -----------------------------------------------------------------


def test_serious_flags_keep_the_strongest_exclude_or_withdraw() -> None:
    flags = [
        flag("m1", "a", Action.WITHDRAW, "2"),
        flag("m1", "a", Action.EXCLUDE, "3"),
        flag("m1", "a", Action.WITHDRAW, "4"),
        flag("m1", "b", Action.DECLARE),
        flag("m1", "c", Action.NO_VOTE),
        flag("m2", "b", Action.WITHDRAW, "5"),
        flag("m2", "b", Action.WITHDRAW, "6"),
    ]
    assert serious_flags(flags) == {
        ("m1", "a"): "exclude for item 3",
        ("m2", "b"): "withdraw for item 5",  # the first of equals
    }


def test_pool_attendees_are_the_whole_pool_if_attending() -> None:
    got = pool_attendees(S1)
    assert [(a.person, a.if_attending, a.on_behalf_of, a.seat) for a in got] == [
        ("both", True, None, "s1"),
        ("a", True, "org-a", "s1"),
    ]
    assert {a.capacity for a in got} == {"One"}


# --- nobody fills two seats at one meeting ------------------------------------------------


def test_held_elsewhere_names_places_on_other_seats_only() -> None:
    slots = [
        RotaSlot("s2", "m1", "both"),  # on the other seat: unavailable for s1 at m1
        RotaSlot("s2", "m2", "both", status=SlotStatus.SWAPPED_OUT),  # given up: free
        RotaSlot("s1", "m3", "both"),  # on this seat: not "elsewhere"
        RotaSlot("s2", "m4", "b"),  # not in s1's pool
        RotaSlot("s2", "m9", "both"),  # not a meeting being planned
    ]
    assert held_elsewhere(S1, ["m1", "m2", "m3", "m4"], slots) == {
        ("m1", "both"): "holds a place on s2 at m1"
    }
    assert held_elsewhere(S1, [], slots) == {}


def test_the_planner_leaves_out_who_holds_a_place_elsewhere() -> None:
    ms = [meeting(1), meeting(2), meeting(3)]
    taken = held_elsewhere(S1, [m.id for m in ms], [RotaSlot("s2", m.id, "both") for m in ms])
    plan = plan_rota(S1, ms, [], [], today=dt.date(2027, 1, 1), unavailable=taken)
    assert [plan.assigned(m.id) for m in ms] == [("a",), ("a",), ("a",)]
    # Both unavailable at once: a shortage says why, like an absence.
    away = [Away("a", dt.date(2027, 2, 1), dt.date(2027, 2, 28), "leave")]
    short = plan_rota(S1, ms, [], away, today=dt.date(2027, 1, 1), unavailable=taken)
    (gap,) = short.shortages
    assert gap.meeting == "m2"
    assert gap.reason == (
        "only 0 of 2 pool members can attend: both away (holds a place on s2 at m2), a away (leave)"
    )


def test_planning_seats_in_turn_never_double_books() -> None:
    ms = [meeting(i) for i in range(1, 7)]
    today = dt.date(2027, 1, 1)
    first = plan_rota(S1, ms, [], [], today=today)
    second = plan_rota(
        S2, ms, [], [], today=today, unavailable=held_elsewhere(S2, [m.id for m in ms], first.slots)
    )
    for m in ms:
        assert not set(first.assigned(m.id)) & set(second.assigned(m.id))
        assert len(second.assigned(m.id)) == 1


# --- swaps, locks, absences ----------------------------------------------------------------


def test_swap_seat_is_the_one_seat_held_or_the_one_chosen() -> None:
    m = meeting(1)
    slots = [RotaSlot("s1", "m1", "both"), RotaSlot("s2", "m1", "b")]
    assert swap_seat(m, "both", slots, ["s1", "s2"]) == "s1"
    assert swap_seat(m, "both", slots, ["s1", "s2"], chosen="s2") == "s2"
    with pytest.raises(UsageError, match="not a seat of board"):
        swap_seat(m, "both", slots, ["s1", "s2"], chosen="s9")
    with pytest.raises(UsageError, match="holds no place at m1"):
        swap_seat(m, "a", slots, ["s1", "s2"])
    gone = [RotaSlot("s1", "m1", "both", status=SlotStatus.SWAPPED_OUT)]
    with pytest.raises(UsageError, match="holds no place"):
        swap_seat(m, "both", gone, ["s1"])
    two = [RotaSlot("s1", "m1", "both"), RotaSlot("s2", "m1", "both")]
    with pytest.raises(UsageError, match=r"several seats at m1 \(s1, s2\): choose one with --seat"):
        swap_seat(m, "both", two, ["s1", "s2"])


def test_relock_touches_only_the_places_named() -> None:
    slots = [
        RotaSlot("s1", "m1", "a", locked=True),
        RotaSlot("s1", "m1", "both"),
        RotaSlot("s2", "m1", "b"),
        RotaSlot("s1", "m2", "a"),
    ]
    matched, todo = relock(slots, "m1", locked=True, seat="s1")
    assert [x.person for x in matched] == ["a", "both"]
    assert todo == [RotaSlot("s1", "m1", "both", locked=True)]
    matched, todo = relock(slots, "m1", locked=False, person="a")
    assert todo == [RotaSlot("s1", "m1", "a", locked=False)]
    with pytest.raises(UsageError, match="no rota places at m1 for seat s2 for a"):
        relock(slots, "m1", locked=True, seat="s2", person="a")
    with pytest.raises(UsageError, match="no rota places at m3: plan the rota first"):
        relock(slots, "m3", locked=True)


def test_clashes_are_held_places_within_the_absence() -> None:
    ms = [meeting(1), meeting(2), meeting(3, body="elsewhere")]
    slots = [
        RotaSlot("s1", "m1", "a"),
        RotaSlot("s2", "m2", "a"),
        RotaSlot("s1", "m2", "a", status=SlotStatus.SWAPPED_OUT),
        RotaSlot("x", "m3", "a"),
    ]
    zones = {"board": "Europe/London"}  # "elsewhere" has no zone: taken in UTC
    got = clashes(slots, ms, zones, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert got == ["m1 (s1)", "m2 (s2)", "m3 (x)"]
    assert clashes(slots, ms, zones, dt.date(2027, 2, 1), dt.date(2027, 2, 9)) == []
