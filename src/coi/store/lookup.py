"""Find a record from what a person types: its id, an unambiguous id prefix, or its name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from coi.errors import AmbiguousError, NotFoundError
from coi.store import schema as s

# section -> (row class, noun for messages, has a name column)
_TABLES: dict[str, tuple[Any, str]] = {
    "organisations": (s.OrganisationRow, "organisation"),
    "people": (s.PersonRow, "person"),
    "bodies": (s.BodyRow, "body"),
    "seats": (s.SeatRow, "seat"),
    "interests": (s.InterestRow, "interest"),
    "gifts": (s.GiftRow, "gift"),
    "meetings": (s.MeetingRow, "meeting"),
    "relations": (s.RelationRow, "relation"),
    "affiliations": (s.AffiliationRow, "affiliation"),
}

_LABEL = {
    "interests": "description",
    "gifts": "description",
    "meetings": "title",
    "relations": None,
    "affiliations": "role",
}


def resolve(session: Session, section: str, text: str) -> str:
    """The id of the one record ``text`` names, tried in order: exact id, exact name
    (any case), id prefix, name prefix. None or several matches is an error that lists
    the candidates."""
    row, noun = _TABLES[section]
    needle = text.strip()
    if not needle:
        raise NotFoundError(f"no {noun} given")
    if session.get(row, needle) is not None:
        return needle
    label_name = _LABEL.get(section, "name")
    label = getattr(row, label_name) if label_name else row.id
    tries = [
        select(row.id, label).where(func.lower(label) == needle.lower()),
        select(row.id, label).where(row.id.startswith(needle.lower(), autoescape=True)),
        select(row.id, label).where(
            or_(
                func.lower(label).startswith(needle.lower(), autoescape=True),
                func.lower(label).contains(f" {needle.lower()}", autoescape=True),
            )
        ),
    ]
    for query in tries:
        found = session.execute(query.order_by(row.id).limit(11)).all()
        if len(found) == 1:
            return str(found[0][0])
        if len(found) > 1:
            listed = ", ".join(f"{r[0]} ({r[1]})" for r in found[:10])
            more = " and more" if len(found) > 10 else ""
            raise AmbiguousError(f"{text!r} could be any of several {noun}s: {listed}{more}")
    raise NotFoundError(f"no {noun} matches {text!r} (try `coi {noun_command(section)} list`)")


def exists(session: Session, section: str, record_id: str) -> bool:
    return session.get(_TABLES[section][0], record_id) is not None


def first_free(session: Session, section: str, candidates: Iterable[str]) -> str:
    """The first of ``candidates`` that no record of ``section`` has as its id yet."""
    return next(c for c in candidates if not exists(session, section, c))


def numbered(base: str, sep: str) -> Iterable[str]:
    """``base``, then ``base<sep>2``, ``base<sep>3`` ...: candidate ids for ``first_free``."""
    yield base
    n = 2
    while True:
        yield f"{base}{sep}{n}"
        n += 1


def noun_command(section: str) -> str:
    return {
        "organisations": "org",
        "people": "person",
        "bodies": "body",
        "seats": "seat",
        "interests": "interest",
        "gifts": "gift",
        "meetings": "meeting",
        "relations": "org",
        "affiliations": "person",
    }[section]
