"""Attendance tallies and the evenness of a shared seat: worked examples and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coi.domain.attendance import (
    Evenness,
    Tally,
    attendance_report,
    evenness,
    expected_at,
    in_scope,
)
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

UTC = dt.UTC
P, A, X, S = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.ABSENT,
    AttendanceStatus.SUBSTITUTE,
)

BODY = Body("lit", "LIT", members=(Membership("chair", "chair", "nhs"),))
SEAT = Seat(
    "vcs",
    "lit",
    "VCS",
    2,
    (PoolMember("ann", "zone"), PoolMember("bob", "harbour"), PoolMember("cat", "plym")),
)


def meeting(i: int, status: MeetingStatus = MeetingStatus.HELD) -> Meeting:
    start = dt.datetime(2026, 1 + i, 10, 10, tzinfo=UTC)
    return Meeting(f"m{i}", "lit", f"LIT {i}", start, status=status)


def slot(m: int, person: str, status: str = "assigned") -> RotaSlot:
    return RotaSlot("vcs", f"m{m}", person, status=status)


def by_id(tallies: tuple[Tally, ...]) -> dict[str, Tally]:
    return {t.id: t for t in tallies}


# --- evenness ----------------------------------------------------------------------------


def test_evenness_worked_examples() -> None:
    even = evenness([3, 3, 3])
    assert (even.total, even.spread, even.gini) == (9, 0, 0.0)
    assert even.top_share == pytest.approx(1 / 3)
    one = evenness([6, 0, 0])
    assert (one.spread, one.gini, one.top_share) == (6, 1.0, 1.0)
    # Two of four filled every place: sum |xi - xj| = 8 * 1, over 2 * 3 * 2.
    half = evenness([1, 1, 0, 0])
    assert half.gini == pytest.approx(2 / 3)
    assert half.top_share == 0.5 and half.spread == 1
    assert evenness([]) == Evenness(0, 0, 0.0, 0.0)
    assert evenness([0, 0]).gini == 0.0 and evenness([0, 0]).top_share == 0.0
    assert evenness([5]).gini == 0.0 and evenness([5]).top_share == 1.0


counts = st.lists(st.integers(0, 50), min_size=2, max_size=12)


@given(counts)
def test_gini_is_between_0_and_1_and_ignores_order(xs: list[int]) -> None:
    e = evenness(xs)
    assert 0.0 <= e.gini <= 1.0 + 1e-12
    assert e.gini == pytest.approx(evenness(list(reversed(xs))).gini)
    assert e.spread == max(xs) - min(xs)


@given(counts)
def test_gini_is_zero_exactly_when_shares_are_equal(xs: list[int]) -> None:
    e = evenness(xs)
    if sum(xs) == 0:
        assert e.gini == 0.0
    else:
        assert (e.gini == 0.0) == (len(set(xs)) == 1)
        assert e.top_share == pytest.approx(max(xs) / sum(xs))


@given(st.integers(2, 12), st.integers(1, 40))
def test_one_person_filling_every_place_scores_1(n: int, total: int) -> None:
    assert evenness([total] + [0] * (n - 1)).gini == pytest.approx(1.0)


@given(counts)
def test_gini_matches_the_pairwise_definition(xs: list[int]) -> None:
    total = sum(xs)
    expected = (
        0.0 if total == 0 else sum(abs(a - b) for a in xs for b in xs) / (2 * (len(xs) - 1) * total)
    )
    assert evenness(xs).gini == pytest.approx(expected)


# --- which meetings count ----------------------------------------------------------------


def test_in_scope_takes_held_and_past_meetings_in_range() -> None:
    today = dt.date(2026, 3, 1)
    assert in_scope(meeting(1), "UTC", today=today)
    assert not in_scope(meeting(1, MeetingStatus.CANCELLED), "UTC", today=today)
    assert in_scope(meeting(1, MeetingStatus.SCHEDULED), "UTC", today=today)  # past
    assert not in_scope(meeting(5, MeetingStatus.SCHEDULED), "UTC", today=today)  # future
    assert in_scope(meeting(5), "UTC", today=today)  # marked held
    assert not in_scope(meeting(1), "UTC", today=today, start=dt.date(2026, 2, 11))
    assert not in_scope(meeting(2), "UTC", today=today, end=dt.date(2026, 3, 9))


# --- tallies -----------------------------------------------------------------------------


def test_tallies_per_person_and_organisation() -> None:
    meetings = [meeting(1), meeting(2)]
    slots = [slot(1, "ann"), slot(1, "bob"), slot(2, "bob"), slot(2, "cat")]
    records = [
        Attendance("m1", "ann", P, seat="vcs"),
        Attendance("m1", "bob", A, seat="vcs"),
        Attendance("m1", "dee", S, substitute_for="bob", seat="vcs"),
        Attendance("m1", "chair", P),
        Attendance("m2", "bob", X, seat="vcs"),
        Attendance("m2", "cat", P, seat="vcs"),
        # m2's chair has no record.
    ]
    expected = expected_at([BODY], [SEAT], meetings, slots, records)
    report = attendance_report(meetings, expected, records, [SEAT], slots)
    people = by_id(report.people)
    assert people["ann"] == Tally("ann", rostered=1, attended=1)
    assert people["bob"] == Tally("bob", rostered=2, apologies=1, absent=1)
    assert people["cat"] == Tally("cat", rostered=1, attended=1)
    assert people["dee"] == Tally("dee", attended=1, substitute=1)
    assert people["chair"] == Tally("chair", rostered=2, attended=1, not_recorded=1)
    orgs = by_id(report.organisations)
    # Harbour's place at m1 was filled by Bob's substitute; at m2 Bob was absent.
    assert orgs["harbour"] == Tally("harbour", rostered=2, attended=1, absent=1)
    assert orgs["zone"] == Tally("zone", rostered=1, attended=1)
    assert orgs["nhs"] == Tally("nhs", rostered=2, attended=1, not_recorded=1)


def test_a_substitute_with_no_own_record_counts_as_apologies() -> None:
    meetings = [meeting(1)]
    slots = [slot(1, "ann"), slot(1, "bob")]
    records = [Attendance("m1", "dee", S, substitute_for="ann", seat="vcs")]
    expected = expected_at([BODY], [SEAT], meetings, slots, records)
    report = attendance_report(meetings, expected, records, [SEAT], slots)
    people = by_id(report.people)
    assert people["ann"].apologies == 1 and people["ann"].not_recorded == 0
    assert people["bob"].not_recorded == 1


def test_without_a_rota_only_the_pool_members_sent_were_expected() -> None:
    meetings = [meeting(1)]
    records = [Attendance("m1", "ann", P, seat="vcs"), Attendance("m1", "bob", A, seat="vcs")]
    expected = expected_at([BODY], [SEAT], meetings, [], records, seat="vcs")
    assert {e.person for e in expected} == {"ann", "bob"}
    assert {e.organisation for e in expected} == {"zone", "harbour"}


def test_seat_filter_leaves_out_other_attendance() -> None:
    meetings = [meeting(1)]
    slots = [slot(1, "ann"), slot(1, "bob")]
    records = [Attendance("m1", "ann", P, seat="vcs"), Attendance("m1", "chair", P)]
    expected = expected_at([BODY], [SEAT], meetings, slots, records, seat="vcs")
    report = attendance_report(meetings, expected, records, [SEAT], slots, seat="vcs")
    assert {t.id for t in report.people} == {"ann", "bob"}


# --- who filled the seat -----------------------------------------------------------------


def test_seat_spread_uses_attendance_and_falls_back_to_the_rota() -> None:
    meetings = [meeting(i) for i in (1, 2, 3, 4)]
    slots = [
        *(slot(i, "ann") for i in (1, 2, 3, 4)),
        *(slot(i, "bob") for i in (1, 2, 3, 4)),
        slot(3, "cat", "swapped-out"),
    ]
    records = [
        # m1 and m2 recorded: cat came instead of bob at m2, as a substitute.
        Attendance("m1", "ann", P, seat="vcs"),
        Attendance("m1", "bob", P, seat="vcs"),
        Attendance("m2", "ann", P, seat="vcs"),
        Attendance("m2", "bob", A, seat="vcs"),
        Attendance("m2", "cat", S, substitute_for="bob", seat="vcs"),
    ]
    report = attendance_report(meetings, [], records, [SEAT], slots)
    (spread,) = report.seats
    assert spread.meetings == 4 and spread.from_rota == 2
    assert dict(spread.shares) == {"ann": 4, "bob": 3, "cat": 1}
    assert spread.filled == 8
    assert spread.people == 3 and spread.organisations == 3 and spread.pool == 3
    assert spread.by_person == evenness([4, 3, 1])
    assert spread.by_person.top_share == 0.5


def test_the_same_old_faces_score_worse_than_a_real_rotation() -> None:
    meetings = [meeting(i) for i in range(1, 7)]
    same = [slot(i, p) for i in range(1, 7) for p in ("ann", "bob")]
    pairs = (("ann", "bob"), ("bob", "cat"), ("cat", "ann"))
    rotate = [slot(i, p) for i in range(1, 7) for p in pairs[i % 3]]
    (stale,) = attendance_report(meetings, [], [], [SEAT], same).seats
    (fresh,) = attendance_report(meetings, [], [], [SEAT], rotate).seats
    assert stale.people == 2 and fresh.people == 3
    assert dict(stale.shares)["cat"] == 0
    assert fresh.by_person.gini == 0.0 < stale.by_person.gini
    assert fresh.by_person.spread == 0 < stale.by_person.spread == 6
    assert fresh.by_person.top_share < stale.by_person.top_share


def test_other_bodies_and_cancelled_meetings_do_not_count() -> None:
    other = Meeting("x1", "board", "Board", dt.datetime(2026, 2, 1, tzinfo=UTC))
    meetings = [meeting(1), other]
    slots = [slot(1, "ann"), slot(1, "bob"), RotaSlot("vcs", "x1", "cat")]
    (spread,) = attendance_report(meetings, [], [], [SEAT], slots).seats
    assert spread.meetings == 1 and dict(spread.shares)["cat"] == 0
