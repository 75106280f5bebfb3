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


# Words a short id leaves out: they say nothing about which record it is.
_FILLER = frozenset(
    {"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with", "seat", "place"}
)


def short_words(text: str, limit: int = 20) -> str:
    """The part of a default id made from a name, short enough to type and read: the
    name's meaningful words when they fit in ``limit`` characters ("Providers" ->
    "providers"), else their initials ("Voluntary and Community Sector seat" -> "vcs")."""
    every = slug(text).split("-")
    words = [w for w in every if w not in _FILLER] or every
    joined = "-".join(words)
    if len(joined) <= limit:
        return joined
    if len(words) == 1:
        return joined[:limit]
    return "".join(w[0] for w in words)[:limit]


def short_id(record_id: str, limit: int = 12) -> str:
    """A long id shortened for use inside another id: the initials of all its words
    but the last, then the last ("childrens-trust-board" -> "ct-board"); an id of
    ``limit`` characters or fewer, or of one word, stays as it is."""
    parts = [p for p in re.split(r"[-._]+", record_id) if p]
    if len(record_id) <= limit or len(parts) < 2:
        return record_id
    head = "".join(p[0] for p in parts[:-1] if p not in _FILLER) or parts[0][0]
    last = parts[-1]
    return f"{head}-{last}" if len(last) <= 10 else head + last[0]


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
