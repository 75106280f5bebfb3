"""Find a record from what a person types: its id, an unambiguous id prefix, or its name;
a meeting also by its body and date (``lit-adult-mh@2027-01-14``). A miss suggests the
closest ids."""

from __future__ import annotations

import datetime as dt
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
    """The id of the one record ``text`` names, tried in order: exact id, an old id
    the record was renamed from, exact name (any case), id prefix, name prefix. None or
    several matches is an error that lists the candidates."""
    row, noun = _TABLES[section]
    needle = text.strip()
    if not needle:
        raise NotFoundError(f"no {noun} given")
    if session.get(row, needle) is not None:
        return needle
    # An id the record had before a rename still finds it (the log keeps old ids).
    renamed = session.get(s.IdAliasRow, (section, needle))
    if renamed is not None:
        return str(renamed.new_id)
    if section == "meetings" and "@" in needle:
        return _meeting_on(session, *needle.rsplit("@", 1))
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
    hint = _closest(session, row, label, needle)
    raise NotFoundError(
        f"no {noun} matches {text!r}{hint} (try `coi {noun_command(section)} list`)"
    )


def _closest(session: Session, row: Any, label: Any, needle: str) -> str:
    """ ": did you mean a, b?" for the ids (or names) nearest a miss, scored by rapidfuzz;
    "" when nothing is close. Only records sharing the first letter are scored, so a miss
    in a register of a million interests reads a slice, not the table."""
    from rapidfuzz import fuzz, process, utils

    first = needle[:1].lower()
    if not first:
        return ""
    query = (
        select(row.id, label)
        .where(or_(func.lower(row.id).startswith(first), func.lower(label).startswith(first)))
        .order_by(row.id)
        .limit(5000)
    )
    found = session.execute(query).all()
    choices = {str(r[0]): f"{r[0]} {r[1] or ''}" for r in found}
    best = process.extract(
        needle,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=3,
        score_cutoff=75,
    )
    return f": did you mean {', '.join(key for _, _, key in best)}?" if best else ""


def _meeting_on(session: Session, body_text: str, day_text: str) -> str:
    """The one meeting of a body on a date (in the body's time zone): ``BODY@YYYY-MM-DD``."""
    from coi.domain.model import local_day

    body_id = resolve(session, "bodies", body_text)
    try:
        day = dt.date.fromisoformat(day_text.strip())
    except ValueError:
        raise NotFoundError(
            f"{body_text}@{day_text}: {day_text!r} is not a date (BODY@YYYY-MM-DD)"
        ) from None
    zone = session.get(s.BodyRow, body_id).timezone  # type: ignore[union-attr]
    # Stored in UTC: a day either side holds every meeting that falls on ``day`` locally.
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), dt.UTC)
    rows = session.execute(
        select(s.MeetingRow.id, s.MeetingRow.starts_at)
        .where(s.MeetingRow.body == body_id)
        .where(s.MeetingRow.starts_at >= start)
        .where(s.MeetingRow.starts_at < start + dt.timedelta(days=3))
        .order_by(s.MeetingRow.starts_at)
    ).all()
    on_day = [r.id for r in rows if local_day(r.starts_at, zone) == day]
    if len(on_day) == 1:
        return str(on_day[0])
    if on_day:
        raise AmbiguousError(f"{body_id} meets more than once on {day}: {', '.join(on_day)}")
    raise NotFoundError(
        f"{body_id} has no meeting on {day} (try `coi meeting list --body {body_id}`)"
    )


def exists(session: Session, section: str, record_id: str) -> bool:
    return session.get(_TABLES[section][0], record_id) is not None


def meeting_body(session: Session, meeting_id: str) -> str | None:
    """The body a meeting belongs to, None when no meeting has that id."""
    row = session.get(s.MeetingRow, meeting_id)
    return None if row is None else str(row.body)


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
