"""Attendance use cases: minute who came to a meeting, and report who turns up and how
evenly a shared seat is really shared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
