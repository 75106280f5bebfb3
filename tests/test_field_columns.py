"""The database columns hold exactly what the register file's field descriptions allow.

Every text column of a table that stores a register record is held to its field: a
String(n) column to the field's limit (or, for a choice, to its longest value), a Text
column to a field with no limit, so the reader never accepts what a column cannot hold.
"""

from __future__ import annotations

import pytest
from sqlalchemy import String, Text

from coi.formats.register.fields import RECORDS, Field, Type
from coi.store import schema as s

# Table -> the record of the register file it stores.
TABLES = {
    "organisations": "organisations",
    "relations": "relations",
    "people": "people",
    "affiliations": "affiliations",
    "bodies": "bodies",
    "body_members": "member",
    "seats": "seats",
    "seat_pool": "pool member",
    "interests": "interests",
    "gifts": "gifts",
    "meetings": "meetings",
    "agenda_items": "item",
    "away": "away",
}
# Column -> field name, where they differ.
RENAMED = {"starts_on": "start", "ends_on": "end", "source": "from", "target": "to"}
# Text columns that hold something other than a field's value.
NOT_FIELDS = {("bodies", "policy")}  # the checked policy as YAML text


def text_columns() -> list[tuple[str, str, object]]:
    out = []
    for table in s.Base.metadata.sorted_tables:
        if table.name not in TABLES:
            continue
        for column in table.columns:
            if isinstance(column.type, String) and not column.foreign_keys:
                out.append((table.name, column.name, column.type))
    return out


def field_of(table: str, column: str) -> Field:
    name = RENAMED.get(column, column)
    matches = [f for f in RECORDS[TABLES[table]] if f.name == name]
    assert matches, f"{table}.{column} stores no field of {TABLES[table]!r}"
    return matches[0]


def test_every_register_table_is_checked() -> None:
    tables = {t.name for t in s.Base.metadata.sorted_tables}
    assert set(TABLES) <= tables


@pytest.mark.parametrize(("table", "column", "kind"), text_columns())
def test_a_column_holds_what_its_field_allows(table: str, column: str, kind: object) -> None:
    if (table, column) in NOT_FIELDS:
        return
    f = field_of(table, column)
    if isinstance(kind, Text):
        assert f.limit is None, f"{table}.{column} is Text but {f.name} is limited to {f.limit}"
    elif f.type is Type.ENUM:
        assert f.choices is not None
        longest = max(len(e.value) for e in f.choices)
        assert longest <= kind.length, f"{table}.{column} cannot hold {f.name}'s values"
    else:
        assert isinstance(kind, String)
        assert f.limit == kind.length, (
            f"{table}.{column} is String({kind.length}) but {f.name} allows {f.limit}"
        )


def test_every_limited_field_has_a_column_of_that_length() -> None:
    checked = {(TABLES[t], RENAMED.get(c, c)) for t, c, _ in text_columns()}
    for record, fields in RECORDS.items():
        for f in fields:
            if f.limit is not None and record in TABLES.values():
                assert (record, f.name) in checked, f"{record}.{f.name} has no String column"


def test_a_command_line_can_ask_a_field_for_its_limit_and_choices() -> None:
    from coi.domain.words import Category
    from coi.formats.register import choices, limit

    assert limit("item", "title") == 500  # what agenda_items.title holds
    assert limit("interests", "description") is None
    assert choices("interests", "category") == tuple(c.value for c in Category)
    with pytest.raises(KeyError):
        limit("interests", "colour")
