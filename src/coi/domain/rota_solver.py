"""Choose who fills a shared seat's open places: the weighted min-cost flow of the rota
planner, the plain rotation it keeps close to, and the swaps that mend continuity.

``coi.domain.rota`` decides what is open and who may fill it; this module only chooses.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from coi.domain.flow import Graph


@dataclass(frozen=True, slots=True)
class Demand:
    """One meeting's open places: how many, who may fill them, who already holds one
    (locked), and who the plan as stored gives them to (``current``: re-planning keeps
    these where it fairly can, so a calendar does not churn)."""

    meeting: str
    need: int
    candidates: tuple[str, ...]
    held: tuple[str, ...]
    current: tuple[str, ...] = ()

    def changed(self, people: Sequence[str]) -> int:
        """How many of ``people`` the stored plan did not have here (none is new when
        the meeting was never planned)."""
        return sum(1 for p in people if p not in self.current) if self.current else 0


def solve(
    demands: Sequence[Demand],
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
    rise of the squared count; a flag costs on the arc into the person; so does giving a
    place the stored plan gave someone else (re-planning changes as little as fairness
    and the flags allow); organisation arcs cost the number already there from that
    organisation.  Last and least, each
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
    w_keep = w_org * (max_org + 1)
    w_flag = w_keep * (total + 1)
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
            cost = (
                (w_flag if (d.meeting, p) in flagged else 0)
                + w_keep * d.changed((p,))
                + _distance(j, ideal[p], len(live))
            )
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
    live: Sequence[Demand], pool: Sequence[str], base: Mapping[str, int], continuity: bool
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


def improve_continuity(
    demands: Sequence[Demand],
    chosen: dict[str, tuple[str, ...]],
    order: Sequence[str],
    fixed_sets: Mapping[str, set[str]],
    org: Mapping[str, str | None],
    flagged: frozenset[tuple[str, str]],
) -> None:
    """Swap people between two planned meetings so more meetings share someone with the last.

    A swap moves x from meeting a to b and y from b to a, so nobody's count changes; it is
    taken only when it lowers, in this order, the flags, the same-organisation pairs, the
    places changed from the stored plan and the breaks in continuity around the two
    meetings.  The flow has already minimised
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

    def local(m: str) -> tuple[int, int, int]:
        people = present(m)
        orgs = Counter(org.get(p) for p in people if org.get(p) is not None)
        pairs = sum(n * (n - 1) // 2 for n in orgs.values())
        changed = info[m].changed(chosen.get(m, ())) if m in info else 0
        return (sum(1 for p in chosen.get(m, ()) if (m, p) in flagged), pairs, changed)

    def affected(*ms: str) -> set[str]:
        out: set[str] = set()
        for m in ms:
            out.add(m)
            i = position[m]
            if i + 1 < len(order):
                out.add(order[i + 1])
        return out

    def score(*ms: str) -> tuple[int, int, int, int]:
        flags, pairs, changed = (sum(local(m)[k] for m in ms) for k in range(3))
        return (flags, pairs, changed, sum(breaks(m) for m in affected(*ms)))

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
    info: Mapping[str, Demand],
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
