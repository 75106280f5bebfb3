"""What a load does to each record, field by field, in the register file's own words.

Both sides are written as the dump writes them (``writer.record_to_data``), so a change
reads like the file: ``location: 'Room 2' -> (cleared)``, times in the body's zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coi.formats.register.fields import RECORDS, key_of
from coi.formats.register.writer import record_to_data


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one record: ``set`` (it was empty), ``changed`` or ``cleared``."""

    field: str
    change: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One record a load creates or updates, and its fields that change."""

    section: str
    record: str  # its id, or its key fields for records with no id
    change: str  # created | updated
    fields: tuple[FieldChange, ...]

    @property
    def cleared(self) -> int:
        return sum(1 for f in self.fields if f.change == "cleared")


def record_change(
    section: str, before: Any | None, after: Any, zones: Mapping[str, str]
) -> RecordChange:
    """What storing ``after`` over ``before`` (None: nothing stored) changes."""
    zones = dict(zones)
    old = record_to_data(section, before, zones) if before is not None else {}
    new = record_to_data(section, after, zones)
    fields = []
    for f in RECORDS[section]:
        a, b = old.get(f.name), new.get(f.name)
        if a == b:
            continue
        change = "set" if a is None else "cleared" if b is None else "changed"
        fields.append(FieldChange(f.name, change, a, b))
    what = "created" if before is None else "updated"
    return RecordChange(section, " ".join(key_of(section, after)), what, tuple(fields))


def changes(
    written: Mapping[str, Sequence[tuple[Any | None, Any]]], zones: Mapping[str, str]
) -> list[RecordChange]:
    """Every record written, section by section in the order they were saved."""
    return [
        record_change(section, before, after, zones)
        for section, pairs in written.items()
        for before, after in pairs
    ]
