"""Shared-seat rota planning: hard rules, fairness against brute force, swaps, validation."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coi.domain.model import (
    Away,
    Meeting,
    MeetingStatus,
    PoolMember,
    RotaSlot,
    Seat,
    meeting_day,
)
from coi.domain.rota import Plan, Shortage, fairness_spread, plan_rota, rota_counts, swap
from coi.domain.words import SlotStatus
from coi.errors import UsageError

UTC = dt.UTC
TODAY = dt.date(2025, 1, 1)
FIRST = dt.datetime(2025, 1, 6, 14, 0, tzinfo=UTC)  # a Monday afternoon


def weekly(n: int, body: str = "lit", first: dt.datetime = FIRST) -> list[Meeting]:
    return [Meeting(f"m{i:02d}", body, f"LIT {i}", first + dt.timedelta(weeks=i)) for i in range(n)]


def lit_seat(places: int = 2, people: str = "abcd", orgs: Sequence[str | None] = ()) -> Seat:
    orgs = list(orgs) or [None] * len(people)
    pool = tuple(PoolMember(p, o) for p, o in zip(people, orgs, strict=True))
    return Seat("vcs", "lit", "VCS adult mental health", places, pool)


def assigned(plan: Plan) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s in plan.slots:
        if s.status == SlotStatus.ASSIGNED:
            out.setdefault(s.meeting, set()).add(s.person)
    return out


# --- the Plymouth LIT: four reps share two places ---------------------------------------


def test_four_reps_share_two_places_evenly_and_in_rotation() -> None:
    seat = lit_seat()
    meetings = weekly(12)
    plan = plan_rota(seat, meetings, [], [], today=TODAY)
    assert plan.shortages == ()
    assert all(len(plan.assigned(m.id)) == 2 for m in meetings)
    assert rota_counts(plan.slots, seat) == {"a": 6, "b": 6, "c": 6, "d": 6}
    # Rotation, not blocks: nobody sits three meetings running.
    for i in range(len(meetings) - 2):
        run = [set(plan.assigned(m.id)) for m in meetings[i : i + 3]]
        assert not (run[0] & run[1] & run[2])


def test_away_person_is_never_planned_and_a_gap_is_a_named_shortage() -> None:
    seat = lit_seat()
    meetings = weekly(4)
    day = meeting_day(meetings[1])
    away = [Away(p, day, day, "annual leave") for p in "abc"]
    plan = plan_rota(seat, meetings, [], away, today=TODAY)
    assert plan.assigned("m01") == ("d",)
    assert plan.shortages == (
        Shortage(
            "m01",
            2,
            1,
            "only 1 of 4 pool members can attend: a away (annual leave), "
            "b away (annual leave), c away (annual leave)",
        ),
    )


def test_away_is_judged_on_the_bodys_local_date() -> None:
    # 23:30 UTC on 31 March 2025 is 00:30 BST on 1 April in London.
    meeting = Meeting("late", "lit", "Late", dt.datetime(2025, 3, 31, 23, 30, tzinfo=UTC))
    assert meeting_day(meeting) == dt.date(2025, 4, 1)
    seat = lit_seat(places=1, people="ab")
    away = [Away("a", dt.date(2025, 4, 1), dt.date(2025, 4, 1))]
    plan = plan_rota(seat, [meeting], [], away, today=TODAY)
    assert plan.assigned("late") == ("b",)
    plan_utc = plan_rota(seat, [meeting], [], away, today=TODAY, timezone="UTC")
    assert plan_utc.assigned("late") == ("a",)


def test_prefers_people_without_exclude_or_withdraw_flags() -> None:
    seat = lit_seat()
    meetings = weekly(4)
    conflicted = {"m00": {"a", "b"}, "m02": {"a"}}
    plan = plan_rota(seat, meetings, [], [], today=TODAY, conflicted=conflicted)
    assert plan.assigned("m00") == ("c", "d")
    assert "a" not in plan.assigned("m02")
    assert fairness_spread(rota_counts(plan.slots, seat)) == 0
    pairs = frozenset({("m00", "a")})
    as_pairs = plan_rota(seat, meetings, [], [], today=TODAY, conflicted=pairs)
    assert "a" not in as_pairs.assigned("m00")


def test_avoids_two_people_from_one_organisation_when_it_can() -> None:
    seat = lit_seat(orgs=["zone", "zone", "mind", None])
    meetings = weekly(8)
    plan = plan_rota(seat, meetings, [], [], today=TODAY)
    for m in meetings:
        assert set(plan.assigned(m.id)) != {"a", "b"}
    assert fairness_spread(rota_counts(plan.slots, seat)) == 0


def test_fairness_comes_before_the_organisation_rule() -> None:
    # Two places, pool of three where a and b share an organisation: b must sometimes
    # sit with a, or c would hold every place.
    seat = lit_seat(people="abc", orgs=["zone", "zone", "mind"])
    plan = plan_rota(seat, weekly(6), [], [], today=TODAY)
    assert rota_counts(plan.slots, seat) == {"a": 4, "b": 4, "c": 4}


def test_continuity_keeps_someone_from_the_previous_meeting() -> None:
    seat = lit_seat()
    meetings = weekly(12)
    plain = plan_rota(seat, meetings, [], [], today=TODAY)
    cont = plan_rota(seat, meetings, [], [], today=TODAY, continuity=True)
    breaks = [
        m.id
        for prev, m in itertools.pairwise(meetings)
        if not set(plain.assigned(prev.id)) & set(plain.assigned(m.id))
    ]
    assert breaks, "the plain rotation changes both people each time"
    for prev, m in itertools.pairwise(meetings):
        assert set(cont.assigned(prev.id)) & set(cont.assigned(m.id)), m.id
    assert fairness_spread(rota_counts(cont.slots, seat)) == 0


def test_history_counts_make_newcomers_catch_up() -> None:
    seat = lit_seat(places=1, people="abc")
    plan = plan_rota(seat, weekly(4), [], [], today=TODAY, history_counts={"a": 4, "b": 4})
    assert rota_counts(plan.slots, seat, {"a": 4, "b": 4}) == {"a": 4, "b": 4, "c": 4}


def test_history_is_counted_from_existing_slots_outside_the_window() -> None:
    seat = lit_seat(places=1, people="ab")
    meetings = weekly(6)
    earlier = [RotaSlot("vcs", m.id, "a") for m in meetings[:3]]
    plan = plan_rota(seat, meetings, earlier, [], today=TODAY, start=meeting_day(meetings[3]))
    assert {s.meeting for s in plan.slots} == {"m03", "m04", "m05"}
    assert all(s.person == "b" for s in plan.slots)


def test_past_and_locked_slots_are_kept_and_dropped_ones_are_swapped_out() -> None:
    seat = lit_seat()
    meetings = weekly(4)
    today = meeting_day(meetings[1])
    existing = [
        RotaSlot("vcs", "m00", "a"),  # past, and alone: a past shortage
        RotaSlot("vcs", "m01", "a", locked=True),
        RotaSlot("vcs", "m02", "a", sequence=3),
        RotaSlot("vcs", "m02", "b", sequence=1),
        RotaSlot("vcs", "m03", "c", status=SlotStatus.SWAPPED_OUT, locked=True),
        RotaSlot("other", "m03", "x"),
    ]
    history = {"c": 5, "d": 5}
    plan = plan_rota(seat, meetings, existing, [], today=today, history_counts=history)
    slots = {(s.meeting, s.person): s for s in plan.slots}
    assert slots[("m00", "a")] == existing[0]
    assert plan.assigned("m00") == ("a",)
    assert plan.shortages[0].meeting == "m00"
    assert plan.shortages[0].filled == 1
    assert slots[("m01", "a")] == existing[1]
    # c and d have history, so a and b are planned again and keep their slots unchanged.
    assert slots[("m02", "a")] == existing[2]
    assert slots[("m02", "b")] == existing[3]
    # A locked swap-out keeps c away from m03.
    assert slots[("m03", "c")] == existing[4]
    assert "c" not in plan.assigned("m03")
    assert all(s.seat == "vcs" for s in plan.slots)

    # When a and b have held more places, re-planning moves c and d in: a and b are
    # swapped out, with their sequence raised so calendars cancel their invitations.
    replanned = plan_rota(
        seat, meetings, existing, [], today=today, history_counts={"a": 9, "b": 9}
    )
    after = {(s.meeting, s.person): s for s in replanned.slots}
    assert set(replanned.assigned("m02")) == {"c", "d"}
    assert after[("m02", "a")] == RotaSlot(
        "vcs", "m02", "a", status=SlotStatus.SWAPPED_OUT, sequence=4
    )
    assert after[("m02", "b")].status == SlotStatus.SWAPPED_OUT
    assert after[("m02", "b")].sequence == 2


def test_cancelled_meetings_are_not_filled_and_their_slots_stay() -> None:
    seat = lit_seat()
    meetings = weekly(3)
    meetings[1] = Meeting("m01", "lit", "off", meetings[1].start, status=MeetingStatus.CANCELLED)
    existing = [RotaSlot("vcs", "m01", "a")]
    plan = plan_rota(seat, meetings, existing, [], today=TODAY)
    assert [s for s in plan.slots if s.meeting == "m01"] == existing
    assert plan.shortages == ()
    assert rota_counts(plan.slots, seat, meetings=meetings) == {"a": 1, "b": 1, "c": 1, "d": 1}
    assert rota_counts(plan.slots, seat)["a"] == 2


def test_date_range_and_other_bodies() -> None:
    seat = lit_seat()
    meetings = [*weekly(6), *weekly(3, body="trust")]
    plan = plan_rota(
        seat,
        meetings,
        [],
        [],
        today=TODAY,
        start=meeting_day(meetings[1]),
        end=meeting_day(meetings[2]),
    )
    assert sorted({s.meeting for s in plan.slots}) == ["m01", "m02"]


@pytest.mark.parametrize(
    ("seat", "start", "end", "message"),
    [
        (lit_seat(places=2, people="a"), None, None, "only 1 in its pool"),
        (lit_seat(), dt.date(2025, 2, 1), dt.date(2025, 1, 1), "runs backwards"),
        (lit_seat(places=0), None, None, "at least one"),
        (lit_seat(people="aab"), None, None, "more than once"),
    ],
)
def test_validation(seat: Seat, start: dt.date, end: dt.date, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        plan_rota(seat, weekly(2), [], [], today=TODAY, start=start, end=end)


def test_unknown_time_zone_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="time zone"):
        plan_rota(lit_seat(), weekly(2), [], [], today=TODAY, timezone="Mars/Olympus")


# --- swaps ------------------------------------------------------------------------------


def test_swap_replaces_one_person_and_locks_both_slots() -> None:
    seat = lit_seat()
    meetings = weekly(4)
    plan = plan_rota(seat, meetings, [], [], today=TODAY)
    out_person = plan.assigned("m00")[0]
    in_person = next(p for p in "abcd" if p not in plan.assigned("m00"))
    swapped = swap(plan.slots, meetings[0], out_person, in_person, seat, [], today=TODAY)
    here = {s.person: s for s in swapped if s.meeting == "m00"}
    assert here[out_person].status == SlotStatus.SWAPPED_OUT
    assert here[out_person].locked
    assert here[out_person].sequence == 1
    assert here[in_person] == RotaSlot("vcs", "m00", in_person, locked=True)
    assert len(swapped) == len(plan.slots) + 1

    # Re-planning honours the swap, and swapping back revives the earlier record.
    replanned = plan_rota(seat, meetings, swapped, [], today=TODAY)
    assert in_person in replanned.assigned("m00")
    assert out_person not in replanned.assigned("m00")
    back = swap(swapped, meetings[0], in_person, out_person, seat, [], today=TODAY)
    revived = next(s for s in back if s.meeting == "m00" and s.person == out_person)
    assert (revived.status, revived.sequence, revived.locked) == (SlotStatus.ASSIGNED, 2, True)


def _slots_m00() -> list[RotaSlot]:
    return [RotaSlot("vcs", "m00", "a"), RotaSlot("vcs", "m00", "b")]


@pytest.mark.parametrize(
    ("out_person", "in_person", "away", "message"),
    [
        ("a", "zed", [], "not in the pool"),
        ("a", "c", [Away("c", dt.date(2025, 1, 1), dt.date(2025, 1, 31), "leave")], "away"),
        ("a", "b", [], "already holds a place"),
        ("c", "d", [], "holds no place"),
        ("a", "a", [], "themselves"),
    ],
)
def test_swap_refuses(out_person: str, in_person: str, away: list[Away], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        swap(_slots_m00(), weekly(1)[0], out_person, in_person, lit_seat(), away)


def test_swap_refuses_past_and_cancelled_meetings() -> None:
    meeting = weekly(1)[0]
    with pytest.raises(UsageError, match="has passed"):
        swap(_slots_m00(), meeting, "a", "c", lit_seat(), [], today=dt.date(2025, 2, 1))
    off = Meeting("m00", "lit", "off", meeting.start, status=MeetingStatus.CANCELLED)
    with pytest.raises(UsageError, match="cancelled"):
        swap(_slots_m00(), off, "a", "c", lit_seat(), [])


# --- properties -------------------------------------------------------------------------


@st.composite
def scenarios(draw: st.DrawFn, max_pool: int = 6, max_meetings: int = 6) -> dict[str, object]:
    n = draw(st.integers(1, max_pool))
    places = draw(st.integers(1, min(n, 3)))
    people = [f"p{i}" for i in range(n)]
    orgs = draw(st.lists(st.sampled_from([None, "o1", "o2"]), min_size=n, max_size=n))
    seat = Seat("s", "lit", "seat", places, tuple(map(PoolMember, people, orgs)))
    k = draw(st.integers(0, max_meetings))
    meetings = weekly(k)
    days = [meeting_day(m) for m in meetings]
    away = [
        Away(p, days[i], days[j])
        for p, i, j in draw(
            st.lists(
                st.tuples(st.sampled_from(people), st.integers(0, k), st.integers(0, k)),
                max_size=6,
            )
        )
        if i <= j < k
    ]
    flags = draw(
        st.frozensets(
            st.tuples(st.sampled_from([m.id for m in meetings] or ["-"]), st.sampled_from(people))
        )
    )
    history = draw(st.dictionaries(st.sampled_from(people), st.integers(0, 3), max_size=n))
    return {
        "seat": seat,
        "meetings": meetings,
        "away": away,
        "flags": flags,
        "history": history,
    }


@settings(max_examples=80, deadline=None)
@given(scenarios(), st.data())
def test_hard_rules_hold_on_random_inputs(sc: dict[str, object], data: st.DataObject) -> None:
    seat: Seat = sc["seat"]  # type: ignore[assignment]
    meetings: list[Meeting] = sc["meetings"]  # type: ignore[assignment]
    away: list[Away] = sc["away"]  # type: ignore[assignment]
    people = [m.person for m in seat.pool]
    today = data.draw(st.sampled_from([TODAY, *(meeting_day(m) for m in meetings)]))
    existing = data.draw(
        st.just([])
        if not meetings
        else st.lists(
            st.builds(
                RotaSlot,
                st.just("s"),
                st.sampled_from([m.id for m in meetings]),
                st.sampled_from(people),
                st.booleans(),
                st.sampled_from([SlotStatus.ASSIGNED, SlotStatus.SWAPPED_OUT]),
                st.integers(0, 3),
            ),
            max_size=6,
            unique_by=lambda s: (s.meeting, s.person),
        )
    )
    continuity = data.draw(st.booleans())
    kwargs = {"today": today, "conflicted": sc["flags"], "continuity": continuity}
    plan = plan_rota(seat, meetings, existing, away, **kwargs)  # type: ignore[arg-type]

    # Deterministic, whatever order the inputs come in.
    again = plan_rota(seat, meetings[::-1], existing[::-1], away[::-1], **kwargs)  # type: ignore[arg-type]
    assert again == plan

    kept = {(s.meeting, s.person): s for s in existing if s.locked}
    kept.update({(s.meeting, s.person): s for s in existing if meeting_day_of(s, meetings) < today})
    out = {(s.meeting, s.person): s for s in plan.slots}
    assert len(out) == len(plan.slots), "one slot per meeting and person"
    for key, slot in kept.items():
        assert out[key] == slot, "past and locked slots are kept"
    short = {s.meeting: s for s in plan.shortages}
    for m in meetings:
        here = [s for s in plan.slots if s.meeting == m.id and s.status == SlotStatus.ASSIGNED]
        if m.id in short:
            assert short[m.id].filled == len(here) < seat.places
            assert short[m.id].reason
        else:
            assert len(here) >= seat.places, "every place filled or a named shortage"
        day = meeting_day(m)
        for s in here:
            if (s.meeting, s.person) in kept:
                continue
            assert s.person in people
            assert not any(a.person == s.person and a.start <= day <= a.end for a in away)
        if day >= today and len(here) < seat.places:
            free = [
                p
                for p in people
                if not any(a.person == p and a.start <= day <= a.end for a in away)
                and (m.id, p) not in kept
            ]
            assert set(free) <= {s.person for s in here}, "a gap only when nobody else can come"


def meeting_day_of(slot: RotaSlot, meetings: Sequence[Meeting]) -> dt.date:
    return next(meeting_day(m) for m in meetings if m.id == slot.meeting)


def brute_force(
    seat: Seat,
    meetings: Sequence[Meeting],
    away: Sequence[Away],
    flags: frozenset[tuple[str, str]],
    history: dict[str, int],
) -> tuple[int, tuple[int, int, int]]:
    """The best spread, and the best (sum of squares, flags, same-org pairs), by enumeration."""
    people = [m.person for m in seat.pool]
    org = {m.person: m.on_behalf_of for m in seat.pool}
    choices = []
    for m in meetings:
        day = meeting_day(m)
        free = [
            p for p in people if not any(a.person == p and a.start <= day <= a.end for a in away)
        ]
        choices.append(
            [(m.id, c) for c in itertools.combinations(free, min(seat.places, len(free)))]
        )
    best_spread = None
    best_key = None
    for combo in itertools.product(*choices):
        counts = Counter({p: history.get(p, 0) for p in people})
        flagged = pairs = 0
        for meeting, chosen in combo:
            counts.update(chosen)
            flagged += sum((meeting, p) in flags for p in chosen)
            orgs = Counter(org[p] for p in chosen if org[p] is not None)
            pairs += sum(n * (n - 1) // 2 for n in orgs.values())
        values = [counts[p] for p in people]
        spread = max(values) - min(values)
        key = (sum(v * v for v in values), flagged, pairs)
        best_spread = spread if best_spread is None else min(best_spread, spread)
        best_key = key if best_key is None else min(best_key, key)
    assert best_spread is not None and best_key is not None
    return best_spread, best_key


@settings(max_examples=60, deadline=None)
@given(scenarios(max_pool=4, max_meetings=4))
def test_fairness_flags_and_organisations_match_brute_force(sc: dict[str, object]) -> None:
    seat: Seat = sc["seat"]  # type: ignore[assignment]
    meetings: list[Meeting] = sc["meetings"]  # type: ignore[assignment]
    away: list[Away] = sc["away"]  # type: ignore[assignment]
    flags: frozenset[tuple[str, str]] = sc["flags"]  # type: ignore[assignment]
    history: dict[str, int] = sc["history"]  # type: ignore[assignment]
    plan = plan_rota(
        seat, meetings, [], away, today=TODAY, conflicted=flags, history_counts=history
    )
    best_spread, best_key = brute_force(seat, meetings, away, flags, history)
    assert fairness_spread(rota_counts(plan.slots, seat, history)) == best_spread

    org = {m.person: m.on_behalf_of for m in seat.pool}
    counts = rota_counts(plan.slots, seat, history)
    got_flags = sum((s.meeting, s.person) in flags for s in plan.slots)
    got_pairs = 0
    for m in meetings:
        orgs = Counter(org[p] for p in plan.assigned(m.id) if org[p] is not None)
        got_pairs += sum(n * (n - 1) // 2 for n in orgs.values())
    assert (sum(v * v for v in counts.values()), got_flags, got_pairs) == best_key


def test_a_year_of_weekly_meetings_stays_within_one() -> None:
    seat = lit_seat(places=3, people="abcdefghijk", orgs=list("xxyyzz") + [None] * 5)
    meetings = weekly(52)
    days = [meeting_day(m) for m in meetings]
    away = [Away("a", days[3], days[20]), Away("k", days[40], days[51])]
    plan = plan_rota(seat, meetings, [], away, today=TODAY, continuity=True)
    assert plan.shortages == ()
    assert fairness_spread(rota_counts(plan.slots, seat)) <= 1
