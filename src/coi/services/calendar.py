"""Calendar use case: rota places as an iCalendar file, each event saying what the agenda
asks of its person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coi.services.rota import Progress, no_progress

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class CalendarExport:
    data: bytes  # the .ics file; b"" when there is no event (no empty calendar is written)
    events: int
    cancelled: int  # events for a cancelled meeting or a place given up


def export_calendar(
    s: Session,
    now: dt.datetime,
    *,
    person: str | None = None,
    seat: str | None = None,
    body: str | None = None,
    policy_file: Path | None = None,
    progress: Progress = no_progress,
) -> CalendarExport:
    """``coi rota export``: the places of one person, one seat, one body's seats or (none
    given) everyone, as a calendar stamped ``now``.

    Everyone who might attend a meeting is checked (the whole pool of a shared seat),
    so a person swapped in later, or swapped out, sees their own flags.
    """
    from coi.domain.conflicts import RegisterIndex, check_meeting, expected_attendees
    from coi.formats.ics import entry_for, flag_lines, rota_calendar
    from coi.services.checking import Policies
    from coi.store.lookup import resolve
    from coi.store.register import read_register
    from coi.store.rota import read_slots

    policies = Policies(policy_file)
    person_id = resolve(s, "people", person) if person else None
    seat_id = resolve(s, "seats", seat) if seat else None
    body_id = resolve(s, "bodies", body) if body else None
    register = read_register(s)
    slots = read_slots(
        s,
        seats=[seat_id] if seat_id else None,
        people=[person_id] if person_id else None,
    )
    seats = {x.id: x for x in register.seats}
    if body_id:
        slots = [x for x in slots if seats[x.seat].body == body_id]
    meetings = {m.id: m for m in register.meetings}
    bodies = {b.id: b for b in register.bodies}
    people = {p.id: p for p in register.people}
    index = RegisterIndex(register)
    # Cancelled meetings are checked too: their events keep the flags they had, so a
    # meeting put back on, or read about afterwards, still says what was expected.
    to_check = sorted({x.meeting for x in slots})
    flags: dict[str, dict[str, tuple[str, ...]]] = {}
    with progress(len(to_check)) as advance:
        for meeting_id in to_check:
            m = meetings[meeting_id]
            here = bodies[m.body]
            attendees = expected_attendees(
                here, [x for x in register.seats if x.body == here.id], m, []
            )
            rules = policies.for_body(register, m.body)
            flags[meeting_id] = flag_lines(check_meeting(index, m, rules, attendees).flags)
            advance(1)
    entries = [
        entry_for(
            meetings[x.meeting],
            bodies[seats[x.seat].body],
            seats[x.seat],
            x,
            people[x.person],
            flags.get(x.meeting, {}).get(x.person, ()),
        )
        for x in slots
    ]
    if person_id:
        calname = f"{people[person_id].name}: rota"
    elif seat_id:
        calname = f"{seats[seat_id].name} ({seat_id}): rota"
    elif body_id:
        calname = f"{bodies[body_id].name}: rota"
    else:
        calname = "coi rota"
    data = rota_calendar(entries, now=now, calname=calname) if entries else b""
    return CalendarExport(data, len(entries), sum(1 for e in entries if e.cancelled))
