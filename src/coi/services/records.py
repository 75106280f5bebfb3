"""The one write path for records: every add, edit and end builds register-file data and
saves it through the register reader (the same checks as ``coi load``) and
``save_register``, so nothing can be stored that a file load would refuse."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coi.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SOURCE = "command line"

# One record in the register file's shape (the mapping `coi load` reads from YAML).
FileRecord = dict[str, Any]
# A change made to one record in that shape.
Change = Callable[[FileRecord], None]


@dataclass(frozen=True)
class Saved:
    """What a change did: the record it names, and whether anything was stored."""

    id: str
    changed: bool


def slug(text: str) -> str:
    """An id from a name: "The Zone (Plymouth)" -> "the-zone-plymouth".

    Apostrophes vanish rather than split a word, so that "Children's Trust" becomes
    "childrens-trust", the id a person would type, not "children-s-trust"."""
    text = re.sub(r"['\u2018\u2019\u02bc`]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "x"


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def not_blank(value: str, option: str) -> str:
    if not value.strip():
        raise UsageError(f"{option}: must not be empty")
    return value.strip()


def save(s: Session, data: dict[str, list[FileRecord]]) -> bool:
    """Check register data and save it; whether anything was created or updated."""
    from coi.formats.register import read_register_data
    from coi.store.register import known, save_register

    register = read_register_data(data, SOURCE, known(s))
    counts = save_register(s, register).sections.values()
    return any(c.created or c.updated for c in counts)


def add(s: Session, section: str, record: FileRecord) -> Saved:
    return Saved(str(record["id"]), save(s, {section: [record]}))


def stored(s: Session, section: str, record_id: str) -> FileRecord:
    """One stored record in the file format, for editing."""
    from coi.domain.model import Register
    from coi.formats.register import register_to_data
    from coi.store.register import read_bodies, read_section

    records = [r for r in read_section(s, section) if getattr(r, "id", None) == record_id]
    extra: dict[str, Any] = {}
    if section == "meetings":  # the body's time zone decides how times are written
        extra["bodies"] = tuple(read_bodies(s, [records[0].body]))
    data = register_to_data(Register(**{section: tuple(records)}, **extra))
    return dict(data[section][0])


def edit(s: Session, section: str, record_id: str, change: Change) -> Saved:
    """Change one stored record through the write path."""
    data = stored(s, section, record_id)
    change(data)
    return Saved(record_id, save(s, {section: [data]}))


def end(s: Session, section: str, record_id: str, day: dt.date, key: str = "end") -> Saved:
    """Ending keeps the record: it only gains its last day."""
    return edit(s, section, record_id, lambda d: d.update({key: day.isoformat()}))
