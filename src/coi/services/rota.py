"""Rota use cases: plan a shared seat's places, show them, swap, lock and record absences.

from coi.services import open_session
from coi.services.rota import plan

with open_session("coi.db", write=True) as s:
    outcome = plan(s, ["lit-vcs"], start=dt.date(2027, 1, 1), today=dt.date.today())
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coi.domain.model import Away, Meeting, MeetingStatus, Register, RotaSlot, Seat, meeting_day
from coi.domain.words import DEFAULT_TIMEZONE, SlotStatus
from coi.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.conflicts import RegisterIndex
    from coi.domain.policy import Policy
    from coi.domain.rota import Plan, Shortage
    from coi.store.rota import SlotChanges

# Given the number of steps a job will take, a context that yields "advance by n": the
# caller's progress bar, or nothing (the default) for a script.
Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


def no_progress(total: int) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda n: None)


# -- plan ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedMeeting:
    """One meeting of a seat's plan: who holds a place, what changed, what is wrong."""

    seat: str
    meeting: str
    date: dt.date
    cancelled: bool
    people: tuple[str, ...]  # holding a place, in slot order
    swapped_out: tuple[str, ...]
    locked: tuple[str, ...]
    changes: tuple[str, ...]  # "+person" given a place, "-person" losing one
    shortage: Shortage | None
    flagged: tuple[tuple[str, str], ...]  # (person, "exclude for item 3") among people


@dataclass(frozen=True, slots=True)
class SeatPlan:
    """One seat's plan; ``meetings`` is None when no meeting falls within the seat's term."""

    seat: str
    meetings: tuple[PlannedMeeting, ...] | None
    held: Mapping[str, int]  # places held per pool member on the whole rota afterwards

    @property
    def spread(self) -> int:
        from coi.domain.rota import fairness_spread

        return fairness_spread(self.held)


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    seats: tuple[SeatPlan, ...]
    names: Mapping[str, str]  # person id -> name
    changes: SlotChanges
    dry_run: bool


def plan(
    s: Session,
    seats: Sequence[str],
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    continuity: bool = False,
    dry_run: bool = False,
    policy_file: Path | None = None,
    progress: Progress = no_progress,
) -> PlanOutcome:
    """``coi rota plan``: fill the places of ``seats`` (ids, prefixes or names) at their
    bodies' meetings from ``start`` (default ``today``) to ``end``, within each seat's
    term, and store the plan unless ``dry_run`` (the caller's transaction is then rolled
    back).  Seats are planned in turn, each avoiding the places the ones before took."""
    from coi.domain.conflicts import RegisterIndex
    from coi.domain.rostering import clamp_to_term, held_elsewhere, meetings_to_plan
    from coi.domain.rota import plan_rota
    from coi.services.checking import Policies
    from coi.store.lookup import resolve
    from coi.store.register import read_register
    from coi.store.rota import read_slots, save_slots

    first = start or today
    if end is not None and first > end:
        raise UsageError(f"--to {end} is before today ({first}): give --from as well")
    policies = Policies(policy_file)
    ids = list(dict.fromkeys(resolve(s, "seats", x) for x in seats))
    register = read_register(s)
    by_id = {x.id: x for x in register.seats}
    stored = read_slots(s, seats=ids)
    # Every place held now, on any seat; updated as each seat is planned.
    current = {(x.seat, x.meeting, x.person): x for x in read_slots(s)}
    index = RegisterIndex(register)
    jobs = []
    for seat_id in ids:
        seat = by_id[seat_id]
        zone = _zone(register, seat.body)
        lo, hi = clamp_to_term(seat, first, end)
        todo = meetings_to_plan(seat, register.meetings, zone, first=lo, last=hi, today=today)
        jobs.append((seat, zone, lo, hi, todo))
    done: list[tuple[Seat, str, Plan | None, dict[tuple[str, str], str]]] = []
    with progress(sum(len(j[4]) + 1 for j in jobs)) as advance:
        for seat, zone, lo, hi, todo in jobs:
            if lo is not None and hi is not None and lo > hi:
                done.append((seat, zone, None, {}))
                advance(len(todo) + 1)
                continue
            rules = policies.for_body(register, seat.body)
            flags = _serious_flags(index, seat, todo, rules, advance)
            result = plan_rota(
                seat,
                register.meetings,
                [x for x in stored if x.seat == seat.id],
                register.away,
                today=today,
                start=lo,
                end=hi,
                conflicted=set(flags),
                unavailable=held_elsewhere(seat, (m.id for m in todo), current.values()),
                continuity=continuity,
                timezone=zone,
            )
            current.update({(x.seat, x.meeting, x.person): x for x in result.slots})
            done.append((seat, zone, result, flags))
            advance(1)
    changes = save_slots(s, [x for _, _, p, _ in done if p for x in p.slots])
    if dry_run:
        s.rollback()
    meetings = {m.id: m for m in register.meetings}
    return PlanOutcome(
        seats=tuple(_seat_plan(register, meetings, stored, *job) for job in done),
        names={p.id: p.name for p in register.people},
        changes=changes,
        dry_run=dry_run,
    )


def _zone(register: Register, body: str) -> str:
    return next((b.timezone for b in register.bodies if b.id == body), DEFAULT_TIMEZONE)


def _serious_flags(
    index: RegisterIndex,
    seat: Seat,
    meetings: Iterable[Meeting],
    rules: Policy,
    advance: Callable[[int], None],
) -> dict[tuple[str, str], str]:
    """(meeting, person) -> the serious flag the seat's pool would meet at each meeting."""
    from coi.domain.conflicts import check_meeting
    from coi.domain.rostering import pool_attendees, serious_flags

    attendees = pool_attendees(seat)
    out: dict[tuple[str, str], str] = {}
    for m in meetings:
        out.update(serious_flags(check_meeting(index, m, rules, attendees).flags))
        advance(1)
    return out


def _seat_plan(
    register: Register,
    meetings: Mapping[str, Meeting],
    stored: Sequence[RotaSlot],
    seat: Seat,
    zone: str,
    result: Plan | None,
    flags: Mapping[tuple[str, str], str],
) -> SeatPlan:
    from coi.domain.rota import rota_counts

    if result is None:
        return SeatPlan(seat.id, None, {})
    before = {(x.seat, x.meeting, x.person): x for x in stored}
    short = {x.meeting: x for x in result.shortages}
    by_meeting: dict[str, list[RotaSlot]] = defaultdict(list)
    for x in result.slots:
        by_meeting[x.meeting].append(x)
    rows = []
    for meeting_id in dict.fromkeys([*by_meeting, *short]):
        m, slots = meetings[meeting_id], by_meeting.get(meeting_id, [])
        people = tuple(x.person for x in slots if x.status == SlotStatus.ASSIGNED)
        rows.append(
            PlannedMeeting(
                seat=seat.id,
                meeting=meeting_id,
                date=meeting_day(m, zone),
                cancelled=m.status == MeetingStatus.CANCELLED,
                people=people,
                swapped_out=tuple(x.person for x in slots if x.status != SlotStatus.ASSIGNED),
                locked=tuple(x.person for x in slots if x.locked),
                changes=_changes(slots, before),
                shortage=short.get(meeting_id),
                flagged=tuple(
                    (p, flags[(meeting_id, p)]) for p in people if (meeting_id, p) in flags
                ),
            )
        )
    everything = {(x.seat, x.meeting, x.person): x for x in [*stored, *result.slots]}
    held = rota_counts(everything.values(), seat, meetings=register.meetings)
    return SeatPlan(seat.id, tuple(rows), held)


def _changes(
    slots: Iterable[RotaSlot], before: Mapping[tuple[str, str, str], RotaSlot]
) -> tuple[str, ...]:
    out = []
    for x in slots:
        old = before.get((x.seat, x.meeting, x.person))
        if old is None and x.status == SlotStatus.ASSIGNED:
            out.append(f"+{x.person}")
        elif old is not None and old.status != x.status:
            out.append(("+" if x.status == SlotStatus.ASSIGNED else "-") + x.person)
    return tuple(out)


# -- show ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """One rota place as ``coi rota show`` lists it."""

    date: dt.date
    meeting: str
    meeting_status: MeetingStatus
    seat: str
    person: str
    name: str
    on_behalf_of: str | None
    status: SlotStatus
    locked: bool
    sequence: int


def places(
    s: Session,
    *,
    seat: str | None = None,
    person: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    swapped_out: bool = False,
) -> list[Place]:
    """``coi rota show``: the places held (with ``swapped_out`` also those given up), of
    one seat or one person, at meetings dated ``start``..``end``, by date."""
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings, read_seats, read_section
    from coi.store.rota import read_slots

    seat_id = resolve(s, "seats", seat) if seat else None
    person_id = resolve(s, "people", person) if person else None
    slots = read_slots(
        s,
        seats=[seat_id] if seat_id else None,
        people=[person_id] if person_id else None,
    )
    meetings = {m.id: m for m in read_meetings(s, sorted({x.meeting for x in slots}))}
    zones = {b.id: b.timezone for b in read_bodies(s)}
    seats = {x.id: x for x in read_seats(s, sorted({x.seat for x in slots}))}
    names = {r.id: r.name for r in read_section(s, "people")}
    out = []
    for x in slots:
        if x.status != SlotStatus.ASSIGNED and not swapped_out:
            continue
        m = meetings[x.meeting]
        day = meeting_day(m, zones.get(m.body, DEFAULT_TIMEZONE))
        if (start and day < start) or (end and day > end):
            continue
        pool = {p.person: p.on_behalf_of for p in seats[x.seat].pool}
        out.append(
            Place(
                day,
                x.meeting,
                m.status,
                x.seat,
                x.person,
                names.get(x.person, x.person),
                pool.get(x.person),
                SlotStatus(x.status),
                x.locked,
                x.sequence,
            )
        )
    out.sort(key=lambda r: (r.date, r.meeting, r.seat, r.person))
    return out


# -- swap, lock ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Swapped:
    meeting: str
    date: dt.date
    seat: str
    out_person: str
    in_person: str
    flags: tuple[str, ...]  # the serious flags the incoming person meets there


def swap(
    s: Session,
    meeting: str,
    out_person: str,
    in_person: str,
    *,
    seat: str | None = None,
    today: dt.date,
    policy_file: Path | None = None,
) -> Swapped:
    """``coi rota swap``: give ``out_person``'s place at ``meeting`` to ``in_person`` of the
    same pool, locking both.  The swap stands whatever the agenda holds (people swap for
    reasons the register cannot see), but the result says what it asks of the newcomer."""
    from coi.domain.conflicts import RegisterIndex
    from coi.domain.rostering import swap_seat
    from coi.domain.rota import swap as swap_slots
    from coi.services.checking import Policies, find_meeting
    from coi.store.lookup import resolve
    from coi.store.register import read_away, read_bodies, read_register, read_seats
    from coi.store.rota import read_slots, save_slots

    policies = Policies(policy_file)
    m = find_meeting(s, meeting, allow_cancelled=True)
    out_id = resolve(s, "people", out_person)
    in_id = resolve(s, "people", in_person)
    seats = {x.id: x for x in read_seats(s) if x.body == m.body}
    slots = read_slots(s, meetings=[m.id])
    chosen = resolve(s, "seats", seat) if seat is not None else None
    seat_id = swap_seat(m, out_id, slots, seats, chosen)
    (body,) = read_bodies(s, [m.body])
    target = seats[seat_id]
    mine = [x for x in slots if x.seat == seat_id]
    changed = swap_slots(
        mine, m, out_id, in_id, target, read_away(s), today=today, timezone=body.timezone
    )
    save_slots(s, changed)
    register = read_register(s)
    rules = policies.for_body(register, target.body)
    flags = _serious_flags(RegisterIndex(register), target, [m], rules, lambda n: None)
    return Swapped(
        meeting=m.id,
        date=meeting_day(m, body.timezone),
        seat=seat_id,
        out_person=out_id,
        in_person=in_id,
        flags=tuple(what for (_, who), what in sorted(flags.items()) if who == in_id),
    )


@dataclass(frozen=True, slots=True)
class Relocked:
    meeting: str
    changed: int
    already: int


def set_lock(
    s: Session, meeting: str, locked: bool, *, seat: str | None = None, person: str | None = None
) -> Relocked:
    """``coi rota lock`` / ``unlock``: lock (or unlock) the places at ``meeting``, only
    ``seat``'s or ``person``'s when given."""
    from coi.domain.rostering import relock
    from coi.services.checking import find_meeting
    from coi.store.lookup import resolve
    from coi.store.rota import read_slots, save_slots

    m = find_meeting(s, meeting, allow_cancelled=True)
    seat_id = resolve(s, "seats", seat) if seat else None
    person_id = resolve(s, "people", person) if person else None
    matched, todo = relock(
        read_slots(s, meetings=[m.id]), m.id, locked=locked, seat=seat_id, person=person_id
    )
    save_slots(s, todo)
    return Relocked(m.id, len(todo), len(matched) - len(todo))


# -- away ---------------------------------------------------------------------


def away_periods(s: Session, person: str) -> tuple[str, list[Away]]:
    """``coi rota away PERSON``: the person's id and their away periods."""
    from coi.store.lookup import resolve
    from coi.store.register import read_away

    person_id = resolve(s, "people", person)
    return person_id, [a for a in read_away(s) if a.person == person_id]


@dataclass(frozen=True, slots=True)
class AwayRecorded:
    away: Away
    outcome: str  # "recorded", "updated" or "already recorded"
    clashes: tuple[str, ...]  # places held in the period, "meeting (seat)"


def record_away(
    s: Session, person: str, first: dt.date, last: dt.date, reason: str = ""
) -> AwayRecorded:
    """``coi rota away PERSON --from --to``: record an absence, so plans leave the person
    out, and list the places they already hold in it."""
    from coi.domain.rostering import clashes
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings, save_register
    from coi.store.rota import read_slots

    person_id = resolve(s, "people", person)
    period = Away(person_id, first, last, reason)
    counts = save_register(s, Register(away=(period,))).sections["away"]
    slots = [x for x in read_slots(s, people=[person_id]) if x.status == SlotStatus.ASSIGNED]
    meetings = read_meetings(s, sorted({x.meeting for x in slots}))
    zones = {b.id: b.timezone for b in read_bodies(s)}
    outcome = "recorded" if counts.created else "updated" if counts.updated else "already recorded"
    return AwayRecorded(period, outcome, tuple(clashes(slots, meetings, zones, first, last)))
