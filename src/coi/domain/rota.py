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

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coi.domain.model import Away, Meeting, MeetingStatus, RotaSlot, Seat, meeting_day
from coi.domain.rota_solver import Demand, improve_continuity, solve
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


def fairness_spread(counts: Mapping[str, int]) -> int:
    """Largest minus smallest of some counts, such as ``rota_counts`` (0 for none)."""
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
    future meetings are re-planned, keeping each stored place that is still allowed
    unless fairness or a flag needs it moved, so a re-plan after an absence or a new pool
    member changes as few places (and calendars) as it can.  ``conflicted`` names the
    (meeting, person) pairs with an ``exclude`` or ``withdraw`` flag.  ``unavailable``
    maps (meeting, person) pairs to why that person cannot take a place there although
    not away (see
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
    demands: list[Demand] = []
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
            Demand(
                meeting=meeting.id,
                need=min(need, len(candidates)),
                candidates=tuple(candidates),
                held=tuple(held),
                current=tuple(
                    p for p, s in replannable[meeting.id].items() if s.status == SlotStatus.ASSIGNED
                ),
            )
        )

    base = {p: history.get(p, 0) for p in pool}
    for meeting_id, slots_kept in kept.items():
        if meeting_id in cancelled:
            continue
        for slot in slots_kept:
            if slot.status == SlotStatus.ASSIGNED and slot.person in base:
                base[slot.person] += 1

    chosen = solve(demands, pool, base, org, flagged, continuity)
    if continuity:
        order = [m.id for m in body_meetings if m.id not in cancelled]
        fixed_sets = {
            m: {s.person for s in by_meeting.get(m, []) if s.status == SlotStatus.ASSIGNED}
            for m in order
            if m not in replannable
        }
        improve_continuity(demands, chosen, order, fixed_sets, org, flagged)

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
