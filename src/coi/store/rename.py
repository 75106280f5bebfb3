"""Change a record's id everywhere it is used, and keep the old id as an alias.

Copy, repoint, delete: the record is copied under its new id, every foreign key and
every JSON list that holds the old id is pointed at the new one, then the old row is
deleted. Each step leaves every foreign key satisfied, so it works with SQLite's
immediate foreign-key checks and PostgreSQL's alike, inside the caller's transaction.
The declarations log is not touched: it is append-only and hash-chained, so its entries
keep the ids they were written with, and ``id_aliases`` says what they are now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, delete, insert, select, update
from sqlalchemy.orm import Session

from coi.store import schema as s

# The tables whose records can be renamed, by register section.
TABLES: dict[str, Any] = {
    "organisations": s.OrganisationRow,
    "people": s.PersonRow,
    "bodies": s.BodyRow,
    "seats": s.SeatRow,
    "meetings": s.MeetingRow,
}

# Lists of ids kept in JSON columns, where no foreign key can follow them.
_T = s.Base.metadata.tables
JSON_LISTS: dict[str, tuple[Column[Any], ...]] = {
    "organisations": (_T["interests"].c.counterparties, _T["agenda_items"].c.organisations),
}


def references(section: str) -> list[Column[Any]]:
    """Every column whose foreign key points at the section's ids, read from the schema
    so that a table added later is followed without a change here."""
    target = _T[TABLES[section].__tablename__]
    found = []
    for table in s.Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target and fk.column.name == "id":
                found.append(fk.parent)
    return found


def rename(session: Session, section: str, old: str, new: str) -> int:
    """Rename ``old`` to ``new`` in ``section`` (both checked by the caller: ``old``
    exists, ``new`` is free); the number of other rows that were changed."""
    table = _T[TABLES[section].__tablename__]
    conn = session.connection()
    session.flush()
    row = conn.execute(select(table).where(table.c.id == old)).mappings().one()
    conn.execute(insert(table).values({**row, "id": new}))
    changed = 0
    for column in references(section):
        result = conn.execute(update(column.table).where(column == old).values({column.name: new}))
        changed += result.rowcount or 0
    for column in JSON_LISTS.get(section, ()):
        changed += _rename_in_lists(session, column, old, new)
    changed += _rederive(session, section, old, new)
    conn.execute(delete(table).where(table.c.id == old))
    _record_alias(session, section, old, new)
    # Rows the session may hold under the old id are stale now.
    session.expire_all()
    return changed


def _rename_in_lists(session: Session, column: Column[Any], old: str, new: str) -> int:
    table = column.table
    keys = list(table.primary_key.columns)
    conn = session.connection()
    changed = 0
    # JSON is not searched the same way on every backend: read the lists, keep those
    # that hold the id. One column of ids, so a large register reads little.
    for found in conn.execute(select(*keys, column)).all():
        values = found[-1] or []
        if old not in values:
            continue
        where = [k == v for k, v in zip(keys, found[:-1], strict=True)]
        renamed = [new if v == old else v for v in values]
        conn.execute(update(table).where(*where).values({column.name: renamed}))
        changed += 1
    return changed


# Relation and affiliation ids a file may leave out are made from their fields
# (formats/register/fields.DERIVED_ID); one made from the old id is made again, so that
# the record reads back the same from a dump. An id a person chose is left alone.
def _derived(section: str, fields: Mapping[str, Any]) -> str | None:
    if section == "relations":
        return f"{fields['source']}.{fields['kind']}.{fields['target']}"
    return f"{fields['person']}.{fields['organisation']}"


def _rederive(session: Session, section: str, old: str, new: str) -> int:
    if section not in ("organisations", "people"):
        return 0
    conn = session.connection()
    changed = 0
    for kind in ("relations", "affiliations") if section == "organisations" else ("affiliations",):
        table = _T[kind]
        for row in conn.execute(select(table)).mappings():
            values = dict(row)
            before = {k: (old if v == new else v) for k, v in values.items() if k != "id"}
            if values["id"] != _derived(kind, before):
                continue
            fresh = _derived(kind, values)
            if fresh != values["id"]:
                conn.execute(update(table).where(table.c.id == values["id"]).values(id=fresh))
                changed += 1
    return changed


def _record_alias(session: Session, section: str, old: str, new: str) -> None:
    table = _T["id_aliases"]
    conn = session.connection()
    # Earlier names of the record now lead to the new id too (a -> b, then b -> c: a -> c),
    # and renaming back to an old id makes it the record's id again, not an alias.
    conn.execute(
        update(table).where(table.c.section == section, table.c.new_id == old).values(new_id=new)
    )
    conn.execute(delete(table).where(table.c.section == section, table.c.old_id == new))
    conn.execute(
        insert(table).values(
            section=section, old_id=old, new_id=new, renamed_at=dt.datetime.now(dt.UTC)
        )
    )


def aliases(session: Session, section: str) -> dict[str, str]:
    """Old id -> current id, for every record of ``section`` that was renamed."""
    table = s.IdAliasRow
    rows = session.execute(select(table.old_id, table.new_id).where(table.section == section)).all()
    return {str(r.old_id): str(r.new_id) for r in rows}


def alias_of(session: Session, section: str, old: str) -> str | None:
    """The current id of a record once called ``old``, None when no record was."""
    found = session.get(s.IdAliasRow, (section, old))
    return None if found is None else str(found.new_id)
