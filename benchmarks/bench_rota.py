"""How rota planning and calendar export scale: a year of weekly meetings for 200 shared seats.

    python benchmarks/bench_rota.py            # the full run
    python benchmarks/bench_rota.py --quick    # a smaller look

Calls the pure functions directly (``coi.domain.rota.plan_rota``,
``coi.formats.ics.entry_for`` / ``rota_calendar``), no database: 200 shared seats on 50
bodies, each body meeting weekly for a year, pools of 3 to 12 with 1 to 3 places, about
two people in five away for a fortnight at some time, and about one pool member in ten flagged
exclude/withdraw at each meeting.  Then one calendar per person for the whole year.
Two curves show how one seat's plan grows with the number of meetings and with the
pool size.  Prints small tables; times are the best of a few runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from coi.domain.model import Away, Body, Meeting, Person, PoolMember, RotaSlot, Seat
from coi.domain.rota import fairness_spread, plan_rota, rota_counts
from coi.domain.words import SlotStatus
from coi.formats.ics import entry_for, rota_calendar

UTC = dt.UTC
START = dt.datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
TODAY = dt.date(2027, 1, 1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def weekly(body: str, n: int) -> list[Meeting]:
    return [
        Meeting(f"{body}-m{i:03d}", body, f"{body} meeting {i}", START + dt.timedelta(weeks=i))
        for i in range(n)
    ]


def seat(seat_id: str, body: str, pool: int, places: int, orgs: int = 0) -> Seat:
    members = tuple(
        PoolMember(f"{seat_id}-p{k:02d}", f"org{k % orgs}" if orgs else None) for k in range(pool)
    )
    return Seat(seat_id, body, f"Seat {seat_id}", places, members)


def flags_for(rng: random.Random, s: Seat, meetings: Sequence[Meeting]) -> set[tuple[str, str]]:
    return {(m.id, p.person) for m in meetings for p in s.pool if rng.random() < 0.1}


def away_for(rng: random.Random, s: Seat) -> list[Away]:
    out = []
    for p in s.pool:
        if rng.random() < 0.4:
            first = TODAY + dt.timedelta(days=rng.randrange(0, 350))
            out.append(Away(p.person, first, first + dt.timedelta(days=13), "leave"))
    return out


def year_of_seats(
    n_seats: int, n_meetings: int, seed: int
) -> tuple[list[Body], list[Seat], dict[str, list[Meeting]], list[Away], dict[str, set]]:
    rng = random.Random(seed)
    bodies = [Body(f"b{i:03d}", f"Body {i}") for i in range(max(1, n_seats // 4))]
    meetings = {b.id: weekly(b.id, n_meetings) for b in bodies}
    seats, away, flags = [], [], {}
    for i in range(n_seats):
        body = bodies[i % len(bodies)].id
        pool = rng.randint(3, 12)
        places = rng.randint(1, min(3, pool - 1))
        s = seat(f"s{i:03d}", body, pool, places, orgs=max(2, pool // 2))
        seats.append(s)
        away += away_for(rng, s)
        flags[s.id] = flags_for(rng, s, meetings[body])
    return bodies, seats, meetings, away, flags


def plan_all(
    seats: Sequence[Seat],
    meetings: dict[str, list[Meeting]],
    away: Sequence[Away],
    flags: dict[str, set],
) -> dict[str, list[RotaSlot]]:
    out = {}
    for s in seats:
        plan = plan_rota(s, meetings[s.body], [], away, today=TODAY, conflicted=flags[s.id])
        out[s.id] = list(plan.slots)
    return out


def export_all(
    bodies: Sequence[Body],
    seats: Sequence[Seat],
    meetings: dict[str, list[Meeting]],
    slots: dict[str, list[RotaSlot]],
) -> tuple[int, int]:
    """One calendar per person; returns (calendars, bytes written)."""
    body = {b.id: b for b in bodies}
    by_id = {m.id: m for ms in meetings.values() for m in ms}
    seat_by_id = {s.id: s for s in seats}
    entries = defaultdict(list)
    for seat_id, seat_slots in slots.items():
        s = seat_by_id[seat_id]
        for x in seat_slots:
            m = by_id[x.meeting]
            person = Person(x.person, x.person.upper())
            entries[x.person].append(entry_for(m, body[s.body], s, x, person))
    size = 0
    for person_id, mine in entries.items():
        size += len(rota_calendar(mine, now=NOW, calname=person_id))
    return len(entries), size


def slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares exponent k in y ~ x^k."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    num = sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True))
    return num / sum((a - mx) ** 2 for a in lx)


def curve(
    label: str, xs: Sequence[int], make: Callable[[int], Callable[[], object]], rep: int
) -> None:
    times = [best(make(x), rep) for x in xs]
    print(f"\n{label:>10} | plan one seat (ms)")
    print(f"{'-' * 10}-+-{'-' * 18}")
    for x, t in zip(xs, times, strict=True):
        print(f"{x:>10} | {t * 1000:>10.1f}")
    print(f"growth: time ~ {label}^{slope(xs, times):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer seats and shorter curves")
    args = parser.parse_args()
    n_seats = 50 if args.quick else 200
    rep = 1 if args.quick else 3

    bodies, seats, meetings, away, flags = year_of_seats(n_seats, 52, seed=2027)
    slots: dict[str, list[RotaSlot]] = {}

    def plan() -> None:
        slots.update(plan_all(seats, meetings, away, flags))

    t_plan = best(plan, rep)
    t_export = best(lambda: export_all(bodies, seats, meetings, slots), rep)
    calendars, size = export_all(bodies, seats, meetings, slots)
    n_slots = sum(1 for ss in slots.values() for x in ss if x.status == SlotStatus.ASSIGNED)
    spreads = [fairness_spread(rota_counts(slots[s.id], s)) for s in seats]
    n_meetings = sum(len(ms) for ms in meetings.values())
    print(f"{n_seats} shared seats on {len(bodies)} bodies, {n_meetings} weekly meetings")
    print(f"{'step':<28} | {'seconds':>8} | notes")
    print(f"{'-' * 28}-+-{'-' * 8}-+------")
    print(f"{'plan every seat for a year':<28} | {t_plan:>8.2f} | {n_slots} places filled, "
          f"fairness spread max {max(spreads)}")  # fmt: skip
    print(f"{'export every calendar':<28} | {t_export:>8.2f} | {calendars} calendars, "
          f"{size / 1e6:.1f} MB of iCalendar")  # fmt: skip

    def one_seat(n_meetings: int, pool: int) -> Callable[[], object]:
        rng = random.Random(n_meetings * 1000 + pool)
        s = seat("x", "b", pool, 2, orgs=max(2, pool // 2))
        ms = weekly("b", n_meetings)
        conflicted, gone = flags_for(rng, s, ms), away_for(rng, s)
        return lambda: plan_rota(s, ms, [], gone, today=TODAY, conflicted=conflicted)

    meetings_axis = [13, 26, 52] if args.quick else [13, 26, 52, 104, 208]
    pool_axis = [3, 6, 12] if args.quick else [3, 6, 12, 24, 48]
    curve("meetings", meetings_axis, lambda n: one_seat(n, 8), rep)
    curve("pool", pool_axis, lambda p: one_seat(52, p), rep)


if __name__ == "__main__":
    main()
