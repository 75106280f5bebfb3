"""Register records between the database and domain objects: read them, upsert them, count.

``save_register`` is the one write path for register records, used by ``coi load`` and
by every ``add``/``edit``/``end`` command, so both report created / updated / unchanged
the same way and keep history the same way: nothing here deletes a register record.
Reading lives in ``register_read``; its names are importable from here too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from coi.domain.model import Attendance, Away, Body, Meeting, Register, RotaSlot
from coi.store import schema as s
from coi.store.register_read import (
    SECTIONS,
    SIMPLE,
    column_of,
    known,
    read_away,
    read_bodies,
    read_meetings,
    read_register,
    read_seats,
    read_section,
    read_simple,
)
from coi.store.rota import save_attendances, save_slots

__all__ = [
    "SECTIONS",
    "WRITE_ORDER",
    "Counts",
    "SaveReport",
    "known",
    "read_away",
    "read_bodies",
    "read_meetings",
    "read_register",
    "read_seats",
    "read_section",
    "save_register",
    "stored_records",
]

# Insert in this order so that foreign keys always point at rows that already exist.
WRITE_ORDER = (
    "organisations",
    "people",
    "relations",
    "affiliations",
    "bodies",
    "seats",
    "interests",
    "gifts",
    "meetings",
    "away",
    "rota",
    "attendance",
)

# A record as it was stored (None: new) and as it was written.
Written = tuple[Any | None, Any]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class SaveReport:
    """What a save did, per section, for the user and for ``--format json``."""

    sections: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in SECTIONS})
    # Per section, each record created or updated: what was stored before, what now is.
    written: dict[str, list[Written]] = field(default_factory=dict)

    @property
    def total(self) -> Counts:
        out = Counts()
        for c in self.sections.values():
            out.created += c.created
            out.updated += c.updated
            out.unchanged += c.unchanged
        return out

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            name: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
            for name, c in self.sections.items()
            if c.created or c.updated or c.unchanged
        }


# -- domain objects to rows ---------------------------------------------------


def _column_value(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return [_column_value_item(v) for v in value]
    return value


def _column_value_item(value: Any) -> Any:
    # Identifiers are kept in a JSON column as {"scheme": ..., "id": ...}.
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


# Rows per INSERT or UPDATE executemany: large enough that the per-statement cost vanishes,
# small enough that a 100,000-record section is never held as row dicts all at once.
BATCH = 2000


def _in_batches(session: Session, statement: Any, rows: Iterable[dict[str, Any]]) -> None:
    """Execute ``statement`` once per batch of ``rows`` (an executemany each; SQLAlchemy
    sends each batch as multi-row INSERTs), building each batch's rows only when due."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(statement, batch)
            batch = []
    if batch:
        session.execute(statement, batch)


def to_row(record: Any, row_cls: Any, **given: Any) -> dict[str, Any]:
    """The column values of ``row_cls`` that hold ``record``; ``given`` adds the rest."""
    columns = row_cls.__table__.columns.keys()
    out = dict(given)
    for f in dataclasses.fields(record):
        column = column_of(type(record), f.name)
        if column in columns:
            out[column] = _column_value(getattr(record, f.name))
    return out


_ROWS: dict[str, Any] = {
    **{section: row_cls for section, (_, row_cls) in SIMPLE.items()},
    "bodies": s.BodyRow,
    "seats": s.SeatRow,
    "meetings": s.MeetingRow,
}


def _existing(session: Session, section: str, ids: list[str]) -> dict[str, Any]:
    """The stored records with these ids, as domain objects, fetched in a few big queries."""
    readers: dict[str, Callable[[Session, Sequence[str]], Sequence[Any]]] = {
        "bodies": read_bodies,
        "seats": read_seats,
        "meetings": read_meetings,
    }
    read = readers.get(section) or (lambda session, chunk: read_simple(session, section, chunk))
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 5000):
        found.update((r.id, r) for r in read(session, ids[start : start + 5000]))
    return found


def _parents_first(bodies: Sequence[Body]) -> list[Body]:
    """Bodies ordered so that a parent given in the same save is written before its children."""
    by_id = {b.id: b for b in bodies}
    out: list[Body] = []
    done: set[str] = set()

    def visit(b: Body, trail: frozenset[str]) -> None:
        if b.id in done or b.id in trail:
            return
        if b.parent in by_id:
            visit(by_id[b.parent], trail | {b.id})
        done.add(b.id)
        out.append(b)

    for b in bodies:
        visit(b, frozenset())
    return out


def _positioned(records: Sequence[Any], attr: str, row_cls: Any, parent: str) -> list[Any]:
    """The child rows of each record's ``attr``, numbered in order, pointing at the record."""
    return [
        to_row(child, row_cls, **{parent: r.id}, position=n)
        for r in records
        for n, child in enumerate(getattr(r, attr))
    ]


def _write_children(session: Session, section: str, records: Sequence[Any]) -> None:
    """Replace the child rows (pools, members, items, ...) of records that changed."""
    if not records:
        return
    ids = [r.id for r in records]
    # (child table, its column naming the parent, the new child rows)
    children: list[tuple[Any, Any, list[dict[str, Any]]]] = []
    if section == "bodies":
        comm = [
            {"body": b.id, "organisation": o, "position": n}
            for b in records
            for n, o in enumerate(dict.fromkeys(b.commissioners))
        ]
        members = _positioned(records, "members", s.BodyMemberRow, "body")
        children = [
            (s.BodyCommissionerRow, s.BodyCommissionerRow.body, comm),
            (s.BodyMemberRow, s.BodyMemberRow.body, members),
        ]
    elif section == "seats":
        pool = _positioned(records, "pool", s.SeatPoolRow, "seat")
        children = [(s.SeatPoolRow, s.SeatPoolRow.seat, pool)]
    elif section == "meetings":
        guests = [{"meeting": m.id, "person": g} for m in records for g in dict.fromkeys(m.guests)]
        items = _positioned(records, "items", s.AgendaItemRow, "meeting")
        children = [
            (s.MeetingGuestRow, s.MeetingGuestRow.meeting, guests),
            (s.AgendaItemRow, s.AgendaItemRow.meeting, items),
        ]
    for row_cls, parent, _ in children:
        session.execute(delete(row_cls).where(parent.in_(ids)))
    for row_cls, _, rows in children:
        _in_batches(session, insert(row_cls), rows)


def _meeting_written(old: Meeting, new: Meeting) -> Meeting | None:
    """The meeting to store over ``old``, or None when nothing changes.

    The sequence never goes down: a change raises it above the stored one, and a file's
    higher sequence (a restored backup) is taken as it is.
    """
    same = replace(new, sequence=old.sequence, guests=tuple(sorted(new.guests))) == old
    if same:
        return replace(old, sequence=new.sequence) if new.sequence > old.sequence else None
    return replace(new, sequence=max(new.sequence, old.sequence + 1))


def stored_records(session: Session, section: str, ids: Sequence[str] | None = None) -> list[Any]:
    """The stored records of ``section`` (those with these ids, for sections with ids), for
    a load that merges a file's records over them."""
    if section in _ROWS and ids is not None:
        return list(_existing(session, section, list(ids)).values())
    return read_section(session, section)


def _normalised(record: Any) -> Any:
    if isinstance(record, Meeting):
        return replace(record, guests=tuple(sorted(set(record.guests))))
    return record


def save_register(
    session: Session, register: Register, progress: Callable[[int], None] | None = None
) -> SaveReport:
    """Upsert every record by id in the caller's transaction; report what changed.

    Records not mentioned are left alone (files may hold part of a register). Records
    come whole: merging a file over the stored record is the reader's work. A changed
    meeting gets its sequence raised so calendar exports tell clients to update; a higher
    sequence given (a restored backup) is kept. Rota places, attendance and away periods
    are matched by what they are of. ``SaveReport.written`` holds each record created or
    updated, before and after, for the field-by-field report of a load.
    """
    report = SaveReport()
    for section in WRITE_ORDER:
        records: list[Any] = list(getattr(register, section))
        if not records:
            continue
        counts = report.sections[section]
        if section in _KEYED:
            report.written[section] = _KEYED[section](session, records, counts)
            if progress:
                progress(len(records))
            continue
        if section == "bodies":
            records = _parents_first(records)
        old = _existing(session, section, [r.id for r in records])
        row_cls = _ROWS[section]
        fresh: list[Any] = []
        changed: list[Any] = []
        written = report.written.setdefault(section, [])
        for record in records:
            before = old.get(record.id)
            if before is None:
                fresh.append(record)
                written.append((None, record))
                continue
            after = (
                _meeting_written(before, record)
                if isinstance(record, Meeting)
                else (None if before == _normalised(record) else record)
            )
            if after is None:
                counts.unchanged += 1
            else:
                changed.append(after)
                written.append((before, after))
        if fresh:
            if section == "bodies":
                # Rows one at a time in parent-first order: a body's parent may be new too.
                for b in fresh:
                    session.execute(insert(row_cls), [to_row(b, row_cls)])
            else:
                _in_batches(session, insert(row_cls), (to_row(r, row_cls) for r in fresh))
        _in_batches(session, update(row_cls), (to_row(r, row_cls) for r in changed))
        _write_children(session, section, [*fresh, *changed])
        counts.created += len(fresh)
        counts.updated += len(changed)
        if progress:
            progress(len(records))
    session.flush()
    return report


def _save_away(session: Session, records: Sequence[Away], counts: Counts) -> list[Written]:
    """Away periods have no id: the same person and dates is the same period."""
    stored = {(r.person, r.starts_on, r.ends_on): r for r in session.scalars(select(s.AwayRow))}
    written: list[Written] = []
    for a in records:
        row = stored.get((a.person, a.start, a.end))
        if row is None:
            session.add(
                s.AwayRow(person=a.person, starts_on=a.start, ends_on=a.end, reason=a.reason)
            )
            counts.created += 1
            written.append((None, a))
        elif (row.reason or "") != a.reason:
            written.append((replace(a, reason=row.reason or ""), a))
            row.reason = a.reason
            counts.updated += 1
        else:
            counts.unchanged += 1
    return written


def _save_rota(session: Session, records: Sequence[RotaSlot], counts: Counts) -> list[Written]:
    done = save_slots(session, records)
    counts.created, counts.updated, counts.unchanged = done.created, done.updated, done.unchanged
    return done.written


def _save_attendance(
    session: Session, records: Sequence[Attendance], counts: Counts
) -> list[Written]:
    written = save_attendances(session, records)
    counts.created += sum(1 for before, _ in written if before is None)
    counts.updated += sum(1 for before, _ in written if before is not None)
    counts.unchanged += len(records) - len(written)
    return written


# The sections whose records have no id, each saved by its own key.
_KEYED: dict[str, Callable[[Session, Sequence[Any], Counts], list[Written]]] = {
    "away": _save_away,
    "rota": _save_rota,
    "attendance": _save_attendance,
}
