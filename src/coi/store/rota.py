"""Rota slots, away periods and attendance: read as domain objects, written in one place.

Slots are never deleted: a place that moves to someone else keeps its row, marked
``swapped-out``, so calendars can cancel the event and the history stays.  Every change
to a stored slot raises its sequence, whoever made it (plan, swap or lock).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from coi.domain.model import Attendance, AttendanceStatus, RotaSlot
from coi.domain.words import SlotStatus
from coi.store import schema as s

# Keeps each IN (...) list well under every backend's limit on bound parameters.
_CHUNK = 2000


@dataclass
class SlotChanges:
    """What a save of slots did: new rows, rows that changed, rows left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Each slot created or updated: as it was stored (None: new) and as it is now.
    written: list[tuple[Any, Any]] = field(default_factory=list)


def _slot(r: s.RotaSlotRow) -> RotaSlot:
    return RotaSlot(r.seat, r.meeting, r.person, r.locked, SlotStatus(r.status), r.sequence)


def read_slots(
    session: Session,
    *,
    meetings: Sequence[str] | None = None,
    seats: Sequence[str] | None = None,
    people: Sequence[str] | None = None,
) -> list[RotaSlot]:
    """Rota slots, optionally only for some meetings, seats or people, in a stable order."""
    query = select(s.RotaSlotRow)
    if meetings is not None:
        query = query.where(s.RotaSlotRow.meeting.in_(meetings))
    if seats is not None:
        query = query.where(s.RotaSlotRow.seat.in_(seats))
    if people is not None:
        query = query.where(s.RotaSlotRow.person.in_(people))
    rows = session.scalars(
        query.order_by(s.RotaSlotRow.seat, s.RotaSlotRow.meeting, s.RotaSlotRow.person)
    )
    return [_slot(r) for r in rows]


def _slot_values(slot: RotaSlot) -> dict[str, str | bool | int]:
    # The stored status is the plain word, whatever str subclass the caller used.
    values = asdict(slot)
    values["status"] = str(slot.status)
    return values


def save_slots(session: Session, slots: Iterable[RotaSlot]) -> SlotChanges:
    """Upsert slots by (seat, meeting, person) in the caller's transaction.

    A slot whose status or lock differs from the stored row is written with a sequence
    above the stored one even if the caller did not raise it, so a calendar client
    always sees the change.  A slot equal to the stored row (sequence aside) is left
    alone, unless its sequence is higher (a restored backup): the sequence never goes
    down.  Nothing is deleted.
    """
    wanted: dict[tuple[str, str, str], RotaSlot] = {}
    for slot in slots:
        wanted[(slot.seat, slot.meeting, slot.person)] = slot
    changes = SlotChanges()
    if not wanted:
        return changes
    stored: dict[tuple[str, str, str], RotaSlot] = {}
    keys = list(wanted)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        seats = sorted({k[0] for k in chunk})
        meetings = sorted({k[1] for k in chunk})
        # Narrow by seat and meeting (indexed primary-key prefix), then keep exact keys.
        rows = session.scalars(
            select(s.RotaSlotRow).where(
                s.RotaSlotRow.seat.in_(seats), s.RotaSlotRow.meeting.in_(meetings)
            )
        )
        for r in rows:
            key = (r.seat, r.meeting, r.person)
            if key in wanted:
                stored[key] = _slot(r)
    fresh: list[dict[str, str | bool | int]] = []
    changed: list[dict[str, str | bool | int]] = []
    for key, slot in wanted.items():
        before = stored.get(key)
        if before is None:
            fresh.append(_slot_values(slot))
            changes.written.append((None, slot))
            continue
        if (before.status, before.locked) != (slot.status, slot.locked):
            after = replace(slot, sequence=max(slot.sequence, before.sequence + 1))
        elif slot.sequence > before.sequence:
            after = replace(before, sequence=slot.sequence)
        else:
            changes.unchanged += 1
            continue
        changed.append(_slot_values(after))
        changes.written.append((before, after))
    if fresh:
        session.execute(insert(s.RotaSlotRow), fresh)
    if changed:
        session.execute(update(s.RotaSlotRow), changed)
    changes.created = len(fresh)
    changes.updated = len(changed)
    session.flush()
    return changes


# -- attendance ---------------------------------------------------------------


def _attendance(r: s.AttendanceRow) -> Attendance:
    return Attendance(r.meeting, r.person, AttendanceStatus(r.status), r.substitute_for, r.seat)


def read_attendance(session: Session, *, meetings: Sequence[str] | None = None) -> list[Attendance]:
    """Recorded attendance, optionally only at some meetings, ordered by meeting and person."""
    query = select(s.AttendanceRow)
    if meetings is not None:
        query = query.where(s.AttendanceRow.meeting.in_(meetings))
    rows = session.scalars(query.order_by(s.AttendanceRow.meeting, s.AttendanceRow.person))
    return [_attendance(r) for r in rows]


def save_attendances(session: Session, records: Sequence[Attendance]) -> list[tuple[Any, Any]]:
    """Upsert attendance by (meeting, person) in the caller's transaction; each record
    created or changed, as it was stored (None: new) and as it is now."""
    keys = {(a.meeting, a.person) for a in records}
    meetings = sorted({k[0] for k in keys})
    stored: dict[tuple[str, str], Attendance] = {}
    for start in range(0, len(meetings), _CHUNK):
        for a in read_attendance(session, meetings=meetings[start : start + _CHUNK]):
            stored[(a.meeting, a.person)] = a
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    written: list[tuple[Any, Any]] = []
    for record in records:
        before = stored.get((record.meeting, record.person))
        if before == record:
            continue
        values = {**asdict(record), "status": str(record.status)}
        (fresh if before is None else changed).append(values)
        written.append((before, record))
    if fresh:
        session.execute(insert(s.AttendanceRow), fresh)
    if changed:
        session.execute(update(s.AttendanceRow), changed)
    session.flush()
    return written


def save_attendance(session: Session, record: Attendance) -> str:
    """Record one person's attendance at one meeting, replacing an earlier record.

    Returns ``"created"``, ``"updated"`` or ``"unchanged"``.
    """
    row = session.get(s.AttendanceRow, (record.meeting, record.person))
    values = {
        "status": record.status.value,
        "substitute_for": record.substitute_for,
        "seat": record.seat,
    }
    if row is None:
        session.add(s.AttendanceRow(meeting=record.meeting, person=record.person, **values))
        session.flush()
        return "created"
    if _attendance(row) == record:
        return "unchanged"
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    return "updated"
