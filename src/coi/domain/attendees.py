"""Who is expected at a meeting: members, seat holders (the rostered, or a shared seat's
whole pool "if attending" before a rota exists) and guests, one entry per person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coi.domain.model import Body, Meeting, RotaSlot, Seat, active_on, meeting_day
from coi.domain.words import SlotStatus


@dataclass(frozen=True, slots=True)
class ExpectedAttendee:
    """Someone expected at a meeting, in what capacity, and whether they may vote.

    ``if_attending`` marks a pool member of a shared seat before the rota names who
    comes: their flags apply only if they are the ones who attend. ``seat`` is the seat
    they are expected through (it sizes the quorum count for an unrostered shared seat).
    """

    person: str
    capacity: str
    if_attending: bool = False
    voting: bool = True
    on_behalf_of: str | None = None
    seat: str | None = None


def merge_attendees(attendees: Iterable[ExpectedAttendee]) -> list[ExpectedAttendee]:
    """One entry per person: a definite place beats an "if attending" one, capacities join."""
    by_person: dict[str, list[ExpectedAttendee]] = defaultdict(list)
    for a in attendees:
        by_person[a.person].append(a)
    merged = []
    for person, entries in by_person.items():
        definite = [e for e in entries if not e.if_attending]
        chosen = definite or entries
        chosen = sorted(chosen, key=lambda e: (e.capacity, e.seat or "", e.on_behalf_of or ""))
        capacities = list(dict.fromkeys(e.capacity for e in chosen))
        merged.append(
            ExpectedAttendee(
                person=person,
                capacity="; ".join(capacities),
                if_attending=not definite,
                voting=any(e.voting for e in chosen),
                on_behalf_of=next((e.on_behalf_of for e in chosen if e.on_behalf_of), None),
                seat=next((e.seat for e in chosen if e.seat), None),
            )
        )
    return sorted(merged, key=lambda a: (a.if_attending, a.person))


def expected_attendees(
    body: Body, seats: Sequence[Seat], meeting: Meeting, slots: Sequence[RotaSlot]
) -> list[ExpectedAttendee]:
    """Who is expected at ``meeting``: members, seat holders and guests, one entry each.

    Members and seats count when active on the meeting date. A seat whose pool fits its
    places is held by the whole pool. A shared seat is held by the people rostered to it
    (slots with status "assigned") once any slot exists for it at this meeting; before
    that, by every pool member, marked ``if_attending``. Guests do not vote.
    """
    day = meeting_day(meeting, body.timezone)
    found: list[ExpectedAttendee] = []
    for m in body.members:
        if active_on(m.start, m.end, day):
            found.append(ExpectedAttendee(m.person, m.role, False, m.voting, m.on_behalf_of))
    for seat in seats:
        if seat.body != body.id or not active_on(seat.term_start, seat.term_end, day):
            continue
        pool = {p.person: p for p in seat.pool}
        capacity = seat.name or seat.id
        if not seat.shared:
            for p in seat.pool:
                found.append(
                    ExpectedAttendee(
                        p.person, capacity, False, seat.voting, p.on_behalf_of, seat.id
                    )
                )
            continue
        mine = [s for s in slots if s.seat == seat.id and s.meeting == meeting.id]
        if mine:
            for s in mine:
                if s.status == SlotStatus.ASSIGNED:
                    obo = pool[s.person].on_behalf_of if s.person in pool else None
                    found.append(
                        ExpectedAttendee(s.person, capacity, False, seat.voting, obo, seat.id)
                    )
        else:
            for p in seat.pool:
                found.append(
                    ExpectedAttendee(p.person, capacity, True, seat.voting, p.on_behalf_of, seat.id)
                )
    for guest in meeting.guests:
        found.append(ExpectedAttendee(guest, "guest", False, False, None))
    return merge_attendees(found)
