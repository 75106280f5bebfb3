"""Seats: places on a body filled from a pool of people, with a mandate and a term."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coi.domain.model import Selection
from coi.errors import UsageError
from coi.services import records
from coi.services.changes import Changes
from coi.services.names import Names, read_names
from coi.services.records import FileRecord, Saved

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.model import Affiliation, Body, Seat


@dataclass(frozen=True)
class SeatDetail:
    """A seat with its body, and what the people in its pool do elsewhere."""

    seat: Seat
    body: Body
    affiliations: list[Affiliation]
    names: Names = field(default_factory=Names)


def _pool_entry(s: Session, text: str) -> FileRecord:
    """``PERSON`` or ``PERSON@ORG`` as a pool entry in the file format, both resolved."""
    from coi.store.lookup import resolve

    person, sep, org = text.rpartition("@") if "@" in text else (text, "", "")
    if sep and not (person.strip() and org.strip()):
        raise UsageError(f"--pool: {text!r} should be PERSON or PERSON@ORG")
    entry: FileRecord = {"person": resolve(s, "people", person)}
    if sep:
        entry["on_behalf_of"] = resolve(s, "organisations", org)
    return entry


def _pool_person(entry: str | FileRecord) -> str:
    return str(entry if isinstance(entry, str) else entry["person"])


def _default_id(body_id: str, name: str) -> str:
    """A seat's id when none is given, as a secretary would write it: the body's short
    id and the name's initials or words ("ct-board" + "Voluntary and Community Sector
    seat" -> "ct-board-vcs"), numbered on a clash."""
    return f"{records.short_id(body_id)}-{records.short_words(name)}"


def add_seat(
    s: Session,
    body: str,
    name: str,
    *,
    id: str | None = None,
    places: int = 1,
    pool: list[str] | None = None,
    mandate: str = "",
    selection: Selection = Selection.NOMINATED,
    term_start: dt.date | None = None,
    voting: bool = True,
) -> Saved:
    """``coi seat add``; ``pool`` holds ``PERSON`` or ``PERSON@ORG`` texts."""
    from coi.store.lookup import exists, first_free, numbered, resolve

    name = records.not_blank(name, "NAME")
    body_id = resolve(s, "bodies", body)
    if id is not None and exists(s, "seats", id):
        raise UsageError(f"a seat with id {id!r} exists: use `coi seat edit`")
    data = {
        "id": id or first_free(s, "seats", numbered(_default_id(body_id, name), "-")),
        "body": body_id,
        "name": name,
        "places": places,
        "pool": [_pool_entry(s, p) for p in pool or []],
        "mandate": mandate,
        "selection": selection.value,
        "term_start": records.iso(term_start),
        "voting": voting,
    }
    return records.add(s, "seats", data)


def list_seats(s: Session, body: str | None = None) -> list[Seat]:
    """``coi seat list``: every seat, or one body's."""
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    body_id = resolve(s, "bodies", body) if body else None
    return [x for x in read_section(s, "seats") if body_id is None or x.body == body_id]


def show_seat(s: Session, seat: str) -> SeatDetail:
    """``coi seat show``."""
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_seats, read_section

    (x,) = read_seats(s, [resolve(s, "seats", seat)])
    (b,) = read_bodies(s, [x.body])
    return SeatDetail(
        seat=x,
        body=b,
        affiliations=read_section(s, "affiliations"),
        names=read_names(s),
    )


def edit_seat(s: Session, seat: str, changes: Changes) -> Saved:
    """``coi seat edit``; the pool gains ``PERSON`` or ``PERSON@ORG`` texts. Adding someone
    already in the pool replaces their entry: that is how the organisation they sit for
    changes."""
    from coi.store.lookup import resolve

    changes = changes.not_blank("name", "--name")
    seat_id = resolve(s, "seats", seat)
    adding = [_pool_entry(s, p) for p in changes.add.get("pool", [])]
    removing = [resolve(s, "people", p) for p in changes.remove.get("pool", [])]

    def change(d: FileRecord) -> None:
        changes.but("pool").apply(d)
        current = list(d.get("pool") or [])
        in_pool = [_pool_person(e) for e in current]
        for person in removing:
            if person not in in_pool:
                raise UsageError(f"--remove-pool: {person!r} is not in the pool of {seat_id}")
        current = [e for e in current if _pool_person(e) not in removing]
        for entry in adding:
            current = [e for e in current if _pool_person(e) != entry["person"]]
            current.append(entry)
        d["pool"] = current

    return records.edit(s, "seats", seat_id, change)


def end_seat(s: Session, seat: str, on: dt.date) -> Saved:
    """``coi seat end``: the term ends; the seat and its pool stay on the register."""
    from coi.domain.membership import still_open
    from coi.store.lookup import resolve
    from coi.store.register import read_seats

    seat_id = resolve(s, "seats", seat)
    (x,) = read_seats(s, [seat_id])
    still_open(f"seat {seat_id}", x.term_end)
    return records.end(s, "seats", seat_id, on, key="term_end")
