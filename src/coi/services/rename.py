"""``coi org|person|body|seat|meeting rename OLD NEW``: change an id everywhere it is
used, in the command's one transaction, and keep the old id as an alias; and the
declarations log read through those aliases, since its entries keep the ids they were
written with."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coi.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.declarations import Declaration
    from coi.domain.hashchain import LogEntry

# The sections a person can rename, and the noun their commands use.
RENAMEABLE = {
    "organisations": "organisation",
    "people": "person",
    "bodies": "body",
    "seats": "seat",
    "meetings": "meeting",
}


@dataclass(frozen=True)
class Renamed:
    """What a rename did: the record's old and new id, and how many other records it
    pointed at the new id."""

    section: str
    old: str
    new: str
    references: int

    @property
    def summary(self) -> str:
        return f"{self.old} -> {self.new} ({self.references} other record(s) changed)"


def rename(s: Session, section: str, old: str, new: str) -> Renamed:
    """Rename the record ``old`` names (an id, or what ``resolve`` accepts) to ``new``.

    A ``new`` that is not a valid id or is taken, or an ``old`` that names nothing, is a
    one-line error and changes nothing."""
    from coi.formats.register import ID_RE
    from coi.formats.register.fields import ID_LIMIT
    from coi.store import rename as store
    from coi.store.lookup import exists, resolve

    noun = RENAMEABLE[section]
    current = resolve(s, section, old)
    new = new.strip()
    if not ID_RE.match(new) or len(new) > ID_LIMIT:
        raise UsageError(
            f"NEW: {new!r} is not a valid id (lowercase letters, digits, '-', '_', '.'; "
            f"at most {ID_LIMIT} characters)"
        )
    if new == current:
        raise UsageError(f"{noun} {current!r} already has that id: nothing to rename")
    if exists(s, section, new):
        article = "an" if noun[0] in "aeiou" else "a"
        raise UsageError(f"{article} {noun} with id {new!r} exists: choose another id")
    changed = store.rename(s, section, current, new)
    return Renamed(section, current, new, changed)


def _earlier_ids(s: Session, section: str, record_id: str | None) -> list[str | None]:
    from coi.store.rename import aliases

    if record_id is None:
        return [None]
    return [record_id, *sorted(o for o, n in aliases(s, section).items() if n == record_id)]


def log_entries(
    s: Session, *, meeting: str | None = None, person: str | None = None
) -> list[LogEntry]:
    """The log's entries about a meeting and/or a person (current ids) under every id
    they have had, in seq order."""
    from coi.store import log

    found: dict[int, LogEntry] = {}
    for m in _earlier_ids(s, "meetings", meeting):
        for p in _earlier_ids(s, "people", person):
            found.update((e.seq, e) for e in log.entries(s, meeting=m, person=p))
    return [found[seq] for seq in sorted(found)]


def current_ids(s: Session, made: Iterable[Declaration]) -> list[Declaration]:
    """Declarations with the meeting and person they name as those records are called
    now, so that they meet the flags and the register made with today's ids."""
    from coi.store.rename import aliases

    meetings, people = aliases(s, "meetings"), aliases(s, "people")
    if not meetings and not people:
        return list(made)
    return [
        dataclasses.replace(
            d,
            meeting=meetings.get(d.meeting, d.meeting) if d.meeting else d.meeting,
            person=people.get(d.person, d.person) if d.person else d.person,
        )
        for d in made
    ]


def declarations(
    s: Session,
    *,
    meeting: str | None = None,
    person: str | None = None,
    include_retracted: bool = False,
) -> list[Declaration]:
    """The effective declarations about a meeting and/or person, under today's ids."""
    from coi.domain.declarations import effective_declarations

    entries = log_entries(s, meeting=meeting, person=person)
    return current_ids(s, effective_declarations(entries, include_retracted=include_retracted))
