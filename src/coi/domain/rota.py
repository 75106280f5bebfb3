"""Plan and change who fills a shared seat's places at each meeting, fairly and predictably.

The planner solves one minimum-cost flow per seat.  Its costs are layered so that, in
order, it (1) spreads attendance as evenly as availability allows — the sum of squared
attendance counts, history included, is minimised, which on this kind of problem also
minimises the largest count and maximises the smallest — then (2) avoids people with an
``exclude``/``withdraw`` flag on the meeting's agenda, then (3) avoids two people from the
same organisation at one meeting, and last (4) keeps close to a plain rotation so the
places come round in turn rather than in blocks.  Continuity with the previous meeting,
when asked for, shifts that rotation by one place fewer and is then mended by swaps that
leave everyone's count and the first three criteria untouched.  Hard rules (places
filled or a named shortage, nobody away, past and locked slots kept) are never traded
against any of these.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coi.domain.flow import Graph
from coi.domain.model import Away, Meeting, MeetingStatus, RotaSlot, Seat, meeting_day
from coi.domain.words import DEFAULT_TIMEZONE, SlotStatus
from coi.errors import UsageError

Conflicted = Mapping[str, Collection[str]] | Collection[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Shortage:
    """A meeting whose places could not all be filled, and why: never a silent gap."""

    meeting: str
    needed: int
    filled: int
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """Every slot of the seat at the planned meetings, and the meetings left short.

    ``slots`` holds, for each meeting in the window, the kept slots unchanged, the new
    assignments (sequence 0), and earlier assignments the plan drops, marked
    ``swapped-out`` with their sequence raised so calendars cancel them.
    """

    slots: tuple[RotaSlot, ...]
    shortages: tuple[Shortage, ...]

    def assigned(self, meeting: str) -> tuple[str, ...]:
        """The people holding a place at ``meeting``, in slot order."""
        return tuple(
            s.person for s in self.slots if s.meeting == meeting and s.status == SlotStatus.ASSIGNED
        )


def is_away(person: str, day: dt.date, away: Iterable[Away]) -> Away | None:
    """The first away period covering ``day`` for ``person`` (end inclusive), if any."""
    for period in away:
        if period.person == person and period.start <= day <= period.end:
            return period
    return None


def rota_counts(
    slots: Iterable[RotaSlot],
    seat: Seat,
    history_counts: Mapping[str, int] | None = None,
    meetings: Iterable[Meeting] = (),
) -> dict[str, int]:
    """Places held per pool member: assigned slots of ``seat`` plus ``history_counts``.

    Slots at any of ``meetings`` that is cancelled are not counted.
    """
    cancelled = {m.id for m in meetings if m.status == MeetingStatus.CANCELLED}
    counts = {m.person: (history_counts or {}).get(m.person, 0) for m in seat.pool}
    for slot in slots:
        if (
            slot.seat == seat.id
            and slot.status == SlotStatus.ASSIGNED
            and slot.person in counts
            and slot.meeting not in cancelled
        ):
            counts[slot.person] += 1
    return counts


def fairness_spread(
    slots: Iterable[RotaSlot],
    seat: Seat,
    history_counts: Mapping[str, int] | None = None,
    meetings: Iterable[Meeting] = (),
) -> int:
    """Largest minus smallest count over the pool (0 for an empty pool); see rota_counts."""
    counts = rota_counts(slots, seat, history_counts, meetings)
    return max(counts.values()) - min(counts.values()) if counts else 0


def plan_rota(
    seat: Seat,
    meetings: Sequence[Meeting],
    existing: Sequence[RotaSlot],
    away: Sequence[Away],
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    conflicted: Conflicted = frozenset(),
    unavailable: Mapping[tuple[str, str], str] | None = None,
    continuity: bool = False,
    history_counts: Mapping[str, int] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> Plan:
    """Fill ``seat``'s places at its body's meetings dated ``start``..``end`` (inclusive).

    ``meetings`` may hold any meetings; those of other bodies are ignored and cancelled
    ones are not filled.  ``existing`` are the slots already recorded: slots of past
    meetings (dated before ``today``) and locked slots are kept as they are, a locked
    ``swapped-out`` slot keeps that person away from that meeting, and other slots at
    future meetings are re-planned.  ``conflicted`` names the (meeting, person) pairs
    with an ``exclude`` or ``withdraw`` flag.  ``unavailable`` maps (meeting, person)
    pairs to why that person cannot take a place there although not away (see
    ``rostering.held_elsewhere``): the planner leaves them out as it does the away.
    ``history_counts`` are places held before
    the window; when omitted they are counted from ``existing`` slots of this seat at
    meetings outside the window.  Dates are taken in ``timezone`` (the body's).

    The same inputs always give the same plan; ties go to the person earlier in the pool.
    """
    _validate(seat, start, end)
    _zone(timezone)
    away = sorted(away, key=lambda a: (a.person, a.start, a.end, a.reason))
    pool = [m.person for m in seat.pool]
    org = {m.person: m.on_behalf_of for m in seat.pool}
    flagged = _conflict_pairs(conflicted)

    body_meetings = sorted(
        (m for m in meetings if m.body == seat.body), key=lambda m: (m.start, m.id)
    )
    day = {m.id: meeting_day(m, timezone) for m in body_meetings}
    window = [
        m
        for m in body_meetings
        if (start is None or start <= day[m.id]) and (end is None or day[m.id] <= end)
    ]
    window_ids = {m.id for m in window}
    cancelled = {m.id for m in body_meetings if m.status == MeetingStatus.CANCELLED}

    mine = sorted((s for s in existing if s.seat == seat.id), key=lambda s: (s.meeting, s.person))
    by_meeting: dict[str, list[RotaSlot]] = defaultdict(list)
    for slot in mine:
        by_meeting[slot.meeting].append(slot)

    if history_counts is None:
        history = Counter(
            s.person
            for s in mine
            if s.status == SlotStatus.ASSIGNED
            and s.meeting not in window_ids
            and s.meeting not in cancelled
        )
    else:
        history = Counter(dict(history_counts))

    # Decide, per meeting in the window, what is kept and what the flow must fill.
    kept: dict[str, list[RotaSlot]] = {}
    replannable: dict[str, dict[str, RotaSlot]] = {}
    demands: list[_Demand] = []
    shortages: list[Shortage] = []
    for meeting in window:
        slots_here = by_meeting.get(meeting.id, [])
        if meeting.id in cancelled:
            kept[meeting.id] = list(slots_here)
            continue
        if day[meeting.id] < today:
            kept[meeting.id] = list(slots_here)
            filled = sum(1 for s in slots_here if s.status == SlotStatus.ASSIGNED)
            if filled < seat.places:
                shortages.append(
                    Shortage(
                        meeting.id,
                        seat.places,
                        filled,
                        "the meeting has passed, so its places are not re-planned",
                    )
                )
            continue
        fixed = [s for s in slots_here if s.locked]
        kept[meeting.id] = fixed
        replannable[meeting.id] = {s.person: s for s in slots_here if not s.locked}
        taken = {s.person for s in fixed}
        held = [s.person for s in fixed if s.status == SlotStatus.ASSIGNED]
        need = max(0, seat.places - len(held))
        candidates: list[str] = []
        cannot: list[str] = []
        for person in pool:
            if person in taken:
                if person not in held:
                    cannot.append(f"{person} swapped out")
                continue
            period = is_away(person, day[meeting.id], away)
            why = period.reason if period else (unavailable or {}).get((meeting.id, person))
            if period is not None or why is not None:
                cannot.append(f"{person} away" + (f" ({why})" if why else ""))
                continue
            candidates.append(person)
        if len(candidates) < need:
            shortages.append(
                Shortage(
                    meeting.id,
                    seat.places,
                    len(held) + len(candidates),
                    f"only {len(held) + len(candidates)} of {len(pool)} pool members can attend"
                    + (f": {', '.join(cannot)}" if cannot else ""),
                )
            )
        demands.append(
            _Demand(
                meeting=meeting.id,
                need=min(need, len(candidates)),
                candidates=tuple(candidates),
                held=tuple(held),
            )
        )

    base = {p: history.get(p, 0) for p in pool}
    for meeting_id, slots_kept in kept.items():
        if meeting_id in cancelled:
            continue
        for slot in slots_kept:
            if slot.status == SlotStatus.ASSIGNED and slot.person in base:
                base[slot.person] += 1

    chosen = _solve(demands, pool, base, org, flagged, continuity)
    if continuity:
        order = [m.id for m in body_meetings if m.id not in cancelled]
        fixed_sets = {
            m: {s.person for s in by_meeting.get(m, []) if s.status == SlotStatus.ASSIGNED}
            for m in order
            if m not in replannable
        }
        _improve_continuity(demands, chosen, order, fixed_sets, org, flagged)

    out: list[RotaSlot] = []
    for meeting in window:
        out.extend(kept.get(meeting.id, []))
        if meeting.id not in replannable:
            continue
        previous = replannable[meeting.id]
        picked = chosen.get(meeting.id, ())
        for person in picked:
            old = previous.get(person)
            if old is None:
                out.append(RotaSlot(seat.id, meeting.id, person))
            elif old.status == SlotStatus.ASSIGNED:
                out.append(old)
            else:
                out.append(replace(old, status=SlotStatus.ASSIGNED, sequence=old.sequence + 1))
        for person, old in previous.items():
            if person in picked:
                continue
            if old.status == SlotStatus.ASSIGNED:
                out.append(replace(old, status=SlotStatus.SWAPPED_OUT, sequence=old.sequence + 1))
            else:
                out.append(old)
    return Plan(tuple(out), tuple(shortages))


def swap(
    slots: Sequence[RotaSlot],
    meeting: Meeting,
    out_person: str,
    in_person: str,
    seat: Seat,
    away: Sequence[Away],
    *,
    today: dt.date | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> tuple[RotaSlot, ...]:
    """Give ``out_person``'s place at ``meeting`` to ``in_person``; return all slots updated.

    Both resulting slots are locked, so a later re-plan keeps the swap; each changed slot's
    sequence rises so calendars pick the change up.  Raises UsageError when the swap is
    not allowed: the incoming person is outside the pool, away that day or already there.
    """
    if meeting.body != seat.body:
        raise UsageError(
            f"meeting {meeting.id} is not a meeting of {seat.body}, seat {seat.id}'s body"
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise UsageError(f"meeting {meeting.id} is cancelled; there is no place to swap")
    day = meeting_day(meeting, timezone)
    if today is not None and day < today:
        raise UsageError(f"meeting {meeting.id} on {day} has passed; record attendance instead")
    if in_person == out_person:
        raise UsageError(f"cannot swap {out_person} with themselves")
    pool = {m.person for m in seat.pool}
    if in_person not in pool:
        raise UsageError(
            f"{in_person} is not in the pool of seat {seat.id} "
            f"(pool: {', '.join(m.person for m in seat.pool)})"
        )
    here = [s for s in slots if s.seat == seat.id and s.meeting == meeting.id]
    leaving = next(
        (s for s in here if s.person == out_person and s.status == SlotStatus.ASSIGNED), None
    )
    if leaving is None:
        raise UsageError(f"{out_person} holds no place on seat {seat.id} at meeting {meeting.id}")
    if any(s.person == in_person and s.status == SlotStatus.ASSIGNED for s in here):
        raise UsageError(
            f"{in_person} already holds a place on seat {seat.id} at meeting {meeting.id}"
        )
    period = is_away(in_person, day, away)
    if period is not None:
        why = f" ({period.reason})" if period.reason else ""
        raise UsageError(
            f"{in_person} is away from {period.start} to {period.end}{why}, "
            f"so cannot attend meeting {meeting.id} on {day}"
        )
    out: list[RotaSlot] = []
    joined = False
    for slot in slots:
        if slot is leaving:
            out.append(
                replace(
                    slot, status=SlotStatus.SWAPPED_OUT, locked=True, sequence=slot.sequence + 1
                )
            )
        elif slot.seat == seat.id and slot.meeting == meeting.id and slot.person == in_person:
            out.append(
                replace(slot, status=SlotStatus.ASSIGNED, locked=True, sequence=slot.sequence + 1)
            )
            joined = True
        else:
            out.append(slot)
    if not joined:
        out.append(RotaSlot(seat.id, meeting.id, in_person, locked=True))
    return tuple(out)


# --- internals -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Demand:
    """One meeting's open places: how many, who may fill them, who already holds one."""

    meeting: str
    need: int
    candidates: tuple[str, ...]
    held: tuple[str, ...]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"unknown time zone {name!r}") from exc


def _validate(seat: Seat, start: dt.date | None, end: dt.date | None) -> None:
    if seat.places < 1:
        raise UsageError(f"seat {seat.id} has {seat.places} places; it needs at least one")
    people = [m.person for m in seat.pool]
    if len(set(people)) != len(people):
        dupes = sorted(p for p, n in Counter(people).items() if n > 1)
        raise UsageError(f"seat {seat.id} lists {', '.join(dupes)} more than once in its pool")
    if len(people) < seat.places:
        raise UsageError(
            f"seat {seat.id} has {seat.places} places but only {len(people)} in its pool; "
            "add pool members or reduce the places"
        )
    if start is not None and end is not None and start > end:
        raise UsageError(f"the date range runs backwards: {start} is after {end}")


def _conflict_pairs(conflicted: Conflicted) -> frozenset[tuple[str, str]]:
    if isinstance(conflicted, Mapping):
        return frozenset((m, p) for m, people in conflicted.items() for p in people)
    return frozenset((m, p) for m, p in conflicted)


def _solve(
    demands: Sequence[_Demand],
    pool: Sequence[str],
    base: Mapping[str, int],
    org: Mapping[str, str | None],
    flagged: frozenset[tuple[str, str]],
    continuity: bool,
) -> dict[str, tuple[str, ...]]:
    """Choose who fills each demand by a lexicographically weighted min-cost flow.

    Network: source → meeting (capacity = places to fill) → [organisation at that
    meeting, when two or more could come from it] → person → sink.  The person → sink
    arcs are one unit each with rising cost, so the k-th extra place costs the marginal
    rise of the squared count; organisation arcs cost the number already there from that
    organisation; a flag costs on the arc into the person.  Last and least, each
    (meeting, person) arc costs how far the meeting is from one where a plain rotation
    would pick that person, so the places rotate instead of coming in blocks.  Weights
    are chosen so that no amount of a lower criterion outweighs one unit of a higher one.
    """
    live = [d for d in demands if d.need]
    total = sum(d.need for d in live)
    if total == 0:
        return {d.meeting: () for d in demands}
    ideal = _rotation(live, pool, base, continuity)
    max_time = total * len(live)
    max_org = sum((d.need + len(d.held)) * (d.need + len(d.held) - 1) // 2 for d in live)
    w_org = max_time + 1
    w_flag = w_org * (max_org + 1)
    w_fair = w_flag * (total + 1)

    graph = Graph()
    source, sink = graph.node(), graph.node()
    person_node = {p: graph.node() for p in pool}
    reach = Counter(p for d in live for p in d.candidates)
    for p in pool:
        for k in range(reach[p]):
            graph.arc(person_node[p], sink, 1, w_fair * (2 * (base[p] + k) + 1))

    picks: list[tuple[str, int, str]] = []  # (meeting, arc index into person, person)
    for j, d in enumerate(live):
        m_node = graph.node()
        graph.arc(source, m_node, d.need, 0)
        groups: dict[str, list[str]] = defaultdict(list)
        for p in d.candidates:
            o = org.get(p)
            if o is not None:
                groups[o].append(p)
        already = Counter(org.get(p) for p in d.held if org.get(p) is not None)
        entry: dict[str, int] = {}
        for o, members in groups.items():
            if len(members) + already[o] < 2:
                continue
            g_node = graph.node()
            for k in range(min(len(members), d.need)):
                graph.arc(m_node, g_node, 1, w_org * (already[o] + k))
            for p in members:
                entry[p] = g_node
        for p in d.candidates:
            cost = (w_flag if (d.meeting, p) in flagged else 0) + _distance(j, ideal[p], len(live))
            picks.append((d.meeting, graph.arc(entry.get(p, m_node), person_node[p], 1, cost), p))

    flow = graph.min_cost_flow(source, sink, total)
    if flow != total:  # pragma: no cover - every demand is feasible by construction
        raise AssertionError(f"rota flow carried {flow} of {total}")
    chosen: dict[str, list[str]] = {d.meeting: [] for d in demands}
    for meeting, arc, person in picks:
        if graph.cap[arc] == 0:
            chosen[meeting].append(person)
    return {m: tuple(people) for m, people in chosen.items()}


def _rotation(
    live: Sequence[_Demand], pool: Sequence[str], base: Mapping[str, int], continuity: bool
) -> dict[str, list[int]]:
    """Where a plain rotation would seat each person: indexes into ``live``, ascending.

    The rotation starts with whoever has held the fewest places (then pool order) and
    moves on by the places filled; with continuity it moves on by one place fewer, so
    one person stays from each meeting to the next (every other meeting for one place).
    """
    order = sorted(pool, key=lambda p: (base[p], pool.index(p)))
    n = len(order)
    seats: dict[str, list[int]] = {p: [] for p in pool}
    pointer = 0
    for j, d in enumerate(live):
        for r in range(d.need):
            seats[order[(pointer + r) % n]].append(j)
        if not continuity:
            pointer += d.need
        elif d.need > 1:
            pointer += d.need - 1
        else:
            pointer += j % 2
    return seats


def _distance(j: int, ideal: Sequence[int], horizon: int) -> int:
    """How many meetings ``j`` is from the nearest of ``ideal`` (``horizon`` if none)."""
    if not ideal:
        return horizon
    i = bisect.bisect_left(ideal, j)
    near = [abs(ideal[k] - j) for k in (i - 1, i) if 0 <= k < len(ideal)]
    return min(near)


def _improve_continuity(
    demands: Sequence[_Demand],
    chosen: dict[str, tuple[str, ...]],
    order: Sequence[str],
    fixed_sets: Mapping[str, set[str]],
    org: Mapping[str, str | None],
    flagged: frozenset[tuple[str, str]],
) -> None:
    """Swap people between two planned meetings so more meetings share someone with the last.

    A swap moves x from meeting a to b and y from b to a, so nobody's count changes; it is
    taken only when it lowers, in this order, the flags, the same-organisation pairs and
    the breaks in continuity around the two meetings.  The flow has already minimised
    the first two, so in practice a swap keeps them and mends a break.  Changes
    ``chosen`` in place.
    """
    info = {d.meeting: d for d in demands}
    position = {m: i for i, m in enumerate(order)}

    def present(m: str) -> set[str]:
        if m in info:
            return set(info[m].held) | set(chosen.get(m, ()))
        return set(fixed_sets.get(m, set()))

    def breaks(m: str) -> int:
        i = position.get(m)
        if i is None or i == 0:
            return 0
        here, before = present(m), present(order[i - 1])
        return int(bool(here) and bool(before) and not (here & before))

    def local(m: str) -> tuple[int, int]:
        people = present(m)
        orgs = Counter(org.get(p) for p in people if org.get(p) is not None)
        pairs = sum(n * (n - 1) // 2 for n in orgs.values())
        return (sum(1 for p in chosen.get(m, ()) if (m, p) in flagged), pairs)

    def affected(*ms: str) -> set[str]:
        out: set[str] = set()
        for m in ms:
            out.add(m)
            i = position[m]
            if i + 1 < len(order):
                out.add(order[i + 1])
        return out

    def score(*ms: str) -> tuple[int, int, int]:
        flags = sum(local(m)[0] for m in ms)
        pairs = sum(local(m)[1] for m in ms)
        return (flags, pairs, sum(breaks(m) for m in affected(*ms)))

    def try_swap(a: str, b: str, x: str, y: str) -> bool:
        old = score(a, b)
        chosen[a] = tuple(y if p == x else p for p in chosen[a])
        chosen[b] = tuple(x if p == y else p for p in chosen[b])
        if score(a, b) < old:
            return True
        chosen[a] = tuple(x if p == y else p for p in chosen[a])
        chosen[b] = tuple(y if p == x else p for p in chosen[b])
        return False

    # Each accepted swap removes at least one break, so this ends within len(order) passes.
    for _ in range(len(order)):
        if not any(
            _fix_one(a, info, chosen, order, position, present, breaks, try_swap) for a in order
        ):
            break


def _fix_one(
    a: str,
    info: Mapping[str, _Demand],
    chosen: Mapping[str, tuple[str, ...]],
    order: Sequence[str],
    position: Mapping[str, int],
    present: Callable[[str], set[str]],
    breaks: Callable[[str], int],
    try_swap: Callable[[str, str, str, str], bool],
) -> bool:
    """Try to give meeting ``a`` someone from the meeting before it; True when it did."""
    if a not in info or not chosen.get(a) or not breaks(a):
        return False
    before = present(order[position[a] - 1])
    for b in order:
        if b == a or b not in info:
            continue
        for y in chosen.get(b, ()):
            if y not in before or y not in info[a].candidates or y in present(a):
                continue
            for x in chosen[a]:
                if x in info[b].candidates and x not in present(b) and try_swap(a, b, x, y):
                    return True
    return False
