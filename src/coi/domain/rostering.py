"""Which meetings, people and places a rota command works on: the range a plan covers, who
cannot take a place (held elsewhere, flagged), the seat a swap is on, the places a lock
touches, and the places an absence clashes with.

The planner itself (``coi.domain.rota``) takes what these rules decide as plain inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from coi.domain.conflicts import ExpectedAttendee, Flag
from coi.domain.model import Meeting, MeetingStatus, RotaSlot, Seat, meeting_day
from coi.domain.words import Action, SlotStatus
from coi.errors import UsageError

# What a plan avoids: flags that would take the person out of the room for an item.
SERIOUS = frozenset({Action.EXCLUDE, Action.WITHDRAW})


def clamp_to_term(
    seat: Seat, first: dt.date | None, last: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The requested range cut to the seat's term: outside it the seat does not exist.

    The result may run backwards (first after last): then no meeting falls in the term.
    """
    if seat.term_start is not None and (first is None or first < seat.term_start):
        first = seat.term_start
    if seat.term_end is not None and (last is None or last > seat.term_end):
        last = seat.term_end
    return first, last


def meetings_to_plan(
    seat: Seat,
    meetings: Iterable[Meeting],
    zone: str,
    *,
    first: dt.date | None,
    last: dt.date | None,
    today: dt.date,
) -> list[Meeting]:
    """The seat's body's meetings a plan fills: not cancelled, dated first..last (either
    open) in the body's zone, and not before today."""
    out = []
    for m in meetings:
        if m.body != seat.body or m.status == MeetingStatus.CANCELLED:
            continue
        day = meeting_day(m, zone)
        if (first is None or first <= day) and (last is None or day <= last) and day >= today:
            out.append(m)
    return out


def pool_attendees(seat: Seat) -> list[ExpectedAttendee]:
    """The whole pool as "if attending" attendees: whom a flag could fall on at a meeting."""
    return [
        ExpectedAttendee(p.person, seat.name or seat.id, True, seat.voting, p.on_behalf_of, seat.id)
        for p in seat.pool
    ]


def serious_flags(flags: Iterable[Flag]) -> dict[tuple[str, str], str]:
    """(meeting, person) -> the strongest serious flag they meet there, as "exclude for
    item 3"; an exclude outranks a withdraw, and the first of equals is kept."""
    out: dict[tuple[str, str], str] = {}
    for flag in flags:
        if flag.action in SERIOUS:
            key = (flag.meeting, flag.person)
            if key not in out or flag.action is Action.EXCLUDE:
                out[key] = f"{flag.action.value} for item {flag.item}"
    return out


def held_elsewhere(
    seat: Seat, meetings: Iterable[str], slots: Iterable[RotaSlot]
) -> dict[tuple[str, str], str]:
    """Nobody fills two seats at one meeting: (meeting, person) -> why a pool member of
    ``seat`` cannot take a place at one of ``meetings``, because ``slots`` (the places
    held now, those planned earlier in the same run included) give them a place on
    another seat there."""
    pool = {p.person for p in seat.pool}
    wanted = set(meetings)
    out: dict[tuple[str, str], str] = {}
    for x in sorted(slots, key=lambda x: (x.meeting, x.person, x.seat)):
        if (
            x.status == SlotStatus.ASSIGNED
            and x.seat != seat.id
            and x.person in pool
            and x.meeting in wanted
        ):
            out.setdefault((x.meeting, x.person), f"holds a place on {x.seat} at {x.meeting}")
    return out


def swap_seat(
    meeting: Meeting,
    person: str,
    slots: Sequence[RotaSlot],
    body_seats: Iterable[str],
    chosen: str | None = None,
) -> str:
    """The seat on which ``person`` gives up their place at ``meeting``: ``chosen`` if it is
    a seat of the meeting's body, else the one seat they hold a place on there."""
    if chosen is not None:
        if chosen not in set(body_seats):
            raise UsageError(
                f"seat {chosen} is not a seat of {meeting.body}, which {meeting.id} is of"
            )
        return chosen
    held = sorted(
        {
            x.seat
            for x in slots
            if x.meeting == meeting.id and x.person == person and x.status == SlotStatus.ASSIGNED
        }
    )
    if not held:
        raise UsageError(
            f"{person} holds no place at {meeting.id}: see `coi rota show --person {person}`"
        )
    if len(held) > 1:
        raise UsageError(
            f"{person} holds places on several seats at {meeting.id} ({', '.join(held)}): "
            "choose one with --seat"
        )
    return held[0]


def relock(
    slots: Iterable[RotaSlot],
    meeting: str,
    *,
    locked: bool,
    seat: str | None = None,
    person: str | None = None,
) -> tuple[list[RotaSlot], list[RotaSlot]]:
    """The places at ``meeting`` (only ``seat``'s, only ``person``'s when given) and those
    of them whose lock changes, changed; none at all is an error."""
    matched = [
        x
        for x in slots
        if x.meeting == meeting
        and (seat is None or x.seat == seat)
        and (person is None or x.person == person)
    ]
    if not matched:
        which = "".join(f" {k} {v}" for k, v in (("for seat", seat), ("for", person)) if v)
        raise UsageError(f"no rota places at {meeting}{which}: plan the rota first")
    return matched, [replace(x, locked=locked) for x in matched if x.locked != locked]


def clashes(
    slots: Iterable[RotaSlot],
    meetings: Iterable[Meeting],
    zones: Mapping[str, str],
    first: dt.date,
    last: dt.date,
) -> list[str]:
    """The places held at meetings dated first..last, as "meeting (seat)", sorted: what an
    absence over those days leaves to re-plan or swap.  A body of unknown zone is
    taken in UTC."""
    by_id = {m.id: m for m in meetings}
    out = []
    for x in slots:
        m = by_id.get(x.meeting)
        if (
            x.status == SlotStatus.ASSIGNED
            and m is not None
            and first <= meeting_day(m, zones.get(m.body, "UTC")) <= last
        ):
            out.append(f"{m.id} ({x.seat})")
    return sorted(out)
