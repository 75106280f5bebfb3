"""Register records out of the database as domain objects, and what the database knows.

A domain attribute is read from the column of the same name (dates from ``starts_on``/
``ends_on``, meeting times from ``starts_at``/``ends_at``), converted by its type hint,
so a field added to a record and its table needs no code here.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from coi.domain.integrity import Known
from coi.domain.model import (
    Affiliation,
    AgendaItem,
    Away,
    Body,
    Gift,
    Interest,
    Meeting,
    Membership,
    Organisation,
    Person,
    PoolMember,
    Register,
    Relation,
    Seat,
)
from coi.store import schema as s
from coi.store.rota import read_attendance, read_slots

T = TypeVar("T")

SECTIONS = tuple(f.name for f in dataclasses.fields(Register))

# Domain attribute -> column, where they differ.
_COLUMNS = {"start": "starts_on", "end": "ends_on"}
_MEETING_COLUMNS = {"start": "starts_at", "end": "ends_at"}


def column_of(cls: type, attribute: str) -> str:
    """The column that holds ``attribute`` of a record of ``cls``."""
    names = _MEETING_COLUMNS if cls is Meeting else _COLUMNS
    return names.get(attribute, attribute)


Convert = Callable[[Any], Any]


def _converter(hint: Any) -> Convert:
    """How a column's value becomes the attribute its type hint describes."""
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return hint
    if hint is str:
        return lambda v: v or ""
    if hint is float:
        return lambda v: v or 0.0
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        if dataclasses.is_dataclass(item):
            make: Any = item  # e.g. Identifier, kept as {"scheme": ..., "id": ...}
            return lambda v: tuple(make(**x) for x in v or ())
        return lambda v: tuple(v or ())
    return lambda v: v


@functools.cache
def _columns(cls: Any, row_cls: Any) -> list[tuple[str, str, Convert]]:
    """(attribute, column, converter) for each attribute of ``cls`` that ``row_cls`` stores."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        column = column_of(cls, f.name)
        if hasattr(row_cls, column):
            out.append((f.name, column, _converter(hints[f.name])))
    return out


def from_row(cls: type[T], row: Any, **given: Any) -> T:
    """The domain object of class ``cls`` that ``row`` stores; ``given`` supplies the rest."""
    stored = _columns(typing.cast(Any, cls), typing.cast(Any, type(row)))
    return cls(**{**{a: conv(getattr(row, c)) for a, c, conv in stored}, **given})


def _grouped(
    session: Session, row_cls: Any, parent: InstrumentedAttribute[str], ids: Sequence[str] | None
) -> dict[str, list[Any]]:
    """Child rows of the given parents (all when ``ids`` is None), by parent id, in order."""
    query = select(row_cls).where(_where_id(parent, ids))
    if hasattr(row_cls, "position"):
        query = query.order_by(row_cls.position)
    out: dict[str, list[Any]] = {}
    for row in session.scalars(query):
        out.setdefault(getattr(row, parent.key), []).append(row)
    return out


def _where_id(column: Any, ids: Sequence[str] | None) -> Any:
    return column.in_(ids) if ids is not None else True


def read_bodies(session: Session, ids: Sequence[str] | None = None) -> list[Body]:
    rows = session.scalars(select(s.BodyRow).where(_where_id(s.BodyRow.id, ids))).all()
    comm = _grouped(session, s.BodyCommissionerRow, s.BodyCommissionerRow.body, ids)
    members = _grouped(session, s.BodyMemberRow, s.BodyMemberRow.body, ids)
    return [
        from_row(
            Body,
            r,
            commissioners=tuple(c.organisation for c in comm.get(r.id, [])),
            members=tuple(from_row(Membership, m) for m in members.get(r.id, [])),
        )
        for r in rows
    ]


def read_seats(session: Session, ids: Sequence[str] | None = None) -> list[Seat]:
    rows = session.scalars(select(s.SeatRow).where(_where_id(s.SeatRow.id, ids))).all()
    pools = _grouped(session, s.SeatPoolRow, s.SeatPoolRow.seat, ids)
    return [
        from_row(Seat, r, pool=tuple(from_row(PoolMember, p) for p in pools.get(r.id, [])))
        for r in rows
    ]


def read_meetings(session: Session, ids: Sequence[str] | None = None) -> list[Meeting]:
    rows = session.scalars(
        select(s.MeetingRow).where(_where_id(s.MeetingRow.id, ids)).order_by(s.MeetingRow.starts_at)
    ).all()
    guests = _grouped(session, s.MeetingGuestRow, s.MeetingGuestRow.meeting, ids)
    items = _grouped(session, s.AgendaItemRow, s.AgendaItemRow.meeting, ids)
    return [
        from_row(
            Meeting,
            r,
            guests=tuple(sorted(g.person for g in guests.get(r.id, []))),
            items=tuple(from_row(AgendaItem, i) for i in items.get(r.id, [])),
        )
        for r in rows
    ]


def read_away(session: Session) -> list[Away]:
    rows = session.scalars(select(s.AwayRow).order_by(s.AwayRow.person, s.AwayRow.starts_on))
    return [from_row(Away, r) for r in rows]


# The sections kept in one table each: their domain class and row class.
SIMPLE: dict[str, tuple[type, Any]] = {
    "organisations": (Organisation, s.OrganisationRow),
    "relations": (Relation, s.RelationRow),
    "people": (Person, s.PersonRow),
    "affiliations": (Affiliation, s.AffiliationRow),
    "interests": (Interest, s.InterestRow),
    "gifts": (Gift, s.GiftRow),
}


def read_simple(session: Session, section: str, ids: Sequence[str] | None = None) -> list[Any]:
    """The records of a one-table section (all, or those with these ids), ordered by id."""
    cls, row_cls = SIMPLE[section]
    query = select(row_cls).where(_where_id(row_cls.id, ids)).order_by(row_cls.id)
    return [from_row(cls, r) for r in session.scalars(query)]


def read_section(session: Session, section: str) -> list[Any]:
    """Every record of one register section, as domain objects in a stable order.

    Sorted here, not by the database: PostgreSQL orders text by its collation (which may
    skip punctuation) and SQLite by code point, and a dump must be the same on both.
    """
    if section in SIMPLE:
        return sorted(read_simple(session, section), key=lambda r: r.id)
    match section:
        case "bodies":
            return sorted(read_bodies(session), key=lambda b: b.id)
        case "seats":
            return sorted(read_seats(session), key=lambda b: b.id)
        case "meetings":
            return sorted(read_meetings(session), key=lambda m: (m.start, m.id))
        case "away":
            return sorted(read_away(session), key=lambda a: (a.person, a.start, a.end, a.reason))
        case "rota":
            return sorted(read_slots(session), key=lambda x: (x.seat, x.meeting, x.person))
        case "attendance":
            return sorted(read_attendance(session), key=lambda a: (a.meeting, a.person))
    raise ValueError(section)


def read_register(session: Session) -> Register:
    """The whole register, as ``coi dump`` writes it."""
    return Register(**{section: tuple(read_section(session, section)) for section in SECTIONS})


def known(session: Session) -> Known:
    """Ids, time zones and graph edges already stored, for checking files that refer to them."""
    ids = {
        "organisations": set(session.scalars(select(s.OrganisationRow.id))),
        "people": set(session.scalars(select(s.PersonRow.id))),
        "bodies": set(session.scalars(select(s.BodyRow.id))),
        "seats": set(session.scalars(select(s.SeatRow.id))),
        "meetings": set(session.scalars(select(s.MeetingRow.id))),
    }
    bodies = session.execute(select(s.BodyRow.id, s.BodyRow.timezone, s.BodyRow.parent)).all()
    relations = session.execute(
        select(s.RelationRow.kind, s.RelationRow.source, s.RelationRow.target)
    ).all()
    return Known(
        ids=ids,
        timezones={b.id: b.timezone for b in bodies},
        relations=[(r.kind, r.source, r.target) for r in relations],
        body_parents={b.id: b.parent for b in bodies},
    )
