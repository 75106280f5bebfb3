"""Attendance use cases: minute who came to a meeting, and report who turns up and how
evenly a shared seat is really shared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coi.domain.words import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.attendance import AttendanceReport
    from coi.domain.model import Attendance


@dataclass(frozen=True, slots=True)
class Minuted:
    record: Attendance
    outcome: str  # "created", "updated" or "unchanged"


def record_attendance(
    s: Session,
    meeting: str,
    person: str,
    status: str,
    *,
    today: dt.date,
    substitute_for: str | None = None,
    seat: str | None = None,
) -> Minuted:
    """``coi attend``: record one person's attendance (``status`` as typed: present,
    apologies, absent or substitute), replacing an earlier record; see
    ``domain.attendance.attendance_record`` for what may be recorded."""
    from coi.domain.attendance import attendance_record, attendance_status
    from coi.domain.model import Attendance
    from coi.services.checking import find_meeting
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_seats
    from coi.store.rota import read_slots, save_attendance

    state = attendance_status(status, substitute_for)
    m = find_meeting(s, meeting, allow_cancelled=True)
    person_id = resolve(s, "people", person)
    for_id = resolve(s, "people", substitute_for) if substitute_for else None
    seat_id = resolve(s, "seats", seat) if seat else None
    (body,) = read_bodies(s, [m.body])
    claim = Attendance(m.id, person_id, state, for_id, seat_id)
    record = attendance_record(claim, m, body, read_seats(s), read_slots(s, meetings=[m.id]), today)
    return Minuted(record, save_attendance(s, record))


@dataclass(frozen=True, slots=True)
class AttendanceView:
    report: AttendanceReport
    names: Mapping[str, str]  # people, organisations, and "seat:ID" -> seat names


def attendance(
    s: Session,
    *,
    today: dt.date,
    body: str | None = None,
    seat: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> AttendanceView:
    """``coi attendance``: attendance at the meetings held by ``today`` (of one body or
    one seat's body, dated ``start``..``end``), and the spread of the shared seats.

    A meeting is held when it is marked so, dated on or before ``today``, or has
    attendance recorded that only a meeting already held can have."""
    from coi.domain.attendance import attendance_report, expected_at, in_scope, took_place
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings, read_seats, read_section
    from coi.store.rota import read_attendance, read_slots

    body_id = resolve(s, "bodies", body) if body else None
    seat_id = resolve(s, "seats", seat) if seat else None
    bodies = read_bodies(s)
    seats = read_seats(s)
    if seat_id:
        body_id = next(x.body for x in seats if x.id == seat_id)
    zones = {b.id: b.timezone for b in bodies}
    held = took_place(read_attendance(s))
    meetings = [
        m
        for m in read_meetings(s)
        if (body_id is None or m.body == body_id)
        and in_scope(
            m,
            zones.get(m.body, DEFAULT_TIMEZONE),
            today=today,
            start=start,
            end=end,
            attended=m.id in held,
        )
    ]
    ids = [m.id for m in meetings]
    slots = read_slots(s, meetings=ids)
    records = read_attendance(s, meetings=ids)
    names = {p.id: p.name for p in read_section(s, "people")}
    names.update({o.id: o.name for o in read_section(s, "organisations")})
    names.update({f"seat:{x.id}": x.name for x in seats})
    expected = expected_at(bodies, seats, meetings, slots, records, seat=seat_id)
    if seat_id:
        spread_seats = [x for x in seats if x.id == seat_id]
    else:
        spread_seats = [x for x in seats if x.shared and (body_id is None or x.body == body_id)]
    report = attendance_report(
        meetings, expected, records, spread_seats, slots, seat=seat_id, pools=seats
    )
    return AttendanceView(report, names)


@dataclass(frozen=True, slots=True)
class RollCall:
    """What ``coi attend MEETING --present ...`` recorded: each record with its outcome,
    the warnings overridden with ``force``, and notes (shared seats with no rota, whose
    pool nobody can assume was there)."""

    meeting: str
    minuted: tuple[Minuted, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]


def record_roll(
    s: Session,
    meeting: str,
    *,
    today: dt.date,
    present: Sequence[str] = (),
    apologies: Sequence[str] = (),
    absent: Sequence[str] = (),
    substitutes: Sequence[str] = (),
    as_rostered: bool = False,
    force: bool = False,
) -> RollCall:
    """``coi attend MEETING --present a,b --apologies c --substitute d:c [--as-rostered]``:
    a whole meeting's attendance in the caller's one transaction.

    People are ids, prefixes or names; every name is resolved and every record checked
    (``domain.attendance.attendance_record``) before anything is stored, so one bad name
    stores nothing. A seat holding more people than places, or someone attending in two
    capacities, counted with the records already stored, is refused unless ``force``.
    """
    from coi.domain.attendance import (
        Roll,
        attendance_record,
        overfull_seats,
        roll_call,
        rostered,
        split_pair,
        two_capacities,
    )
    from coi.domain.conflicts import expected_attendees
    from coi.errors import Problem, UsageError
    from coi.services.checking import find_meeting
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_seats
    from coi.store.rota import read_attendance, read_slots, save_attendance

    m = find_meeting(s, meeting, allow_cancelled=True)
    (body,) = read_bodies(s, [m.body])
    seats = [x for x in read_seats(s) if x.body == body.id]
    slots = read_slots(s, meetings=[m.id])

    def ids(names: Sequence[str]) -> tuple[str, ...]:
        return tuple(resolve(s, "people", n) for n in names)

    pairs = [split_pair(x) for x in substitutes]
    roll = Roll(
        ids(present),
        ids(apologies),
        ids(absent),
        tuple(zip(ids([a for a, _ in pairs]), ids([b for _, b in pairs]), strict=True)),
    )
    attendees = expected_attendees(body, seats, m, slots)
    start: list[str] = []
    notes: list[str] = []
    if as_rostered:
        start, open_seats = rostered(attendees)
        notes = [
            f"seat {x} has no rota at {m.id}: its pool members are not assumed present; "
            "name who came with --present"
            for x in open_seats
        ]
    claims, doubles = roll_call(roll, m.id, start)
    if not claims:
        raise UsageError(
            "nobody to record: name people with --present, --apologies, "
            "--absent or --substitute, or use --as-rostered"
        )
    records = [attendance_record(c, m, body, seats, slots, today) for c in claims]
    after = {r.person: r for r in read_attendance(s, meetings=[m.id])}
    after.update({r.person: r for r in records})
    warnings = overfull_seats(after.values(), seats) + two_capacities(
        after.values(), attendees, doubles
    )
    if warnings and not force:
        lines = [f"{m.id}: {w}" for w in warnings]
        lines.append("nothing recorded: correct it, or use --force to record it anyway")
        raise UsageError(lines[0], [Problem(x) for x in lines])
    minuted = tuple(Minuted(r, save_attendance(s, r)) for r in records)
    return RollCall(m.id, minuted, tuple(warnings), tuple(notes))
