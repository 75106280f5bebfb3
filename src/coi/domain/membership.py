"""Who holds what on a date, and what ending a record means.

A membership, affiliation, relation or seat term is current on a day when
``model.active_on`` says so (inclusive end). Ending a record never deletes it: it gains
its last day, so the register as it stood on an earlier date still shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar

from coi.domain.model import Affiliation, Body, Membership, Relation, Seat, active_on
from coi.errors import UsageError

Role = TypeVar("Role", Affiliation, Membership)


def current_affiliations(
    affiliations: Iterable[Affiliation], person: str, day: dt.date
) -> list[Affiliation]:
    """The person's roles in organisations that hold on ``day``."""
    return [a for a in affiliations if a.person == person and active_on(a.start, a.end, day)]


def current_members(body: Body, day: dt.date) -> list[Membership]:
    return [m for m in body.members if active_on(m.start, m.end, day)]


def seats_in_term(seats: Iterable[Seat], body: str, day: dt.date) -> list[Seat]:
    return [x for x in seats if x.body == body and active_on(x.term_start, x.term_end, day)]


def sits_on(bodies: Iterable[Body], seats: Iterable[Seat], body: str, day: dt.date) -> set[str]:
    """People who sit on ``body`` that day: current members, and everyone in the pool of
    one of its seats in term (a shared seat's pool all sit, in turn)."""
    people = {m.person for b in bodies if b.id == body for m in current_members(b, day)}
    for seat in seats_in_term(seats, body, day):
        people |= {p.person for p in seat.pool}
    return people


def open_memberships(body: Body, person: str) -> list[Membership]:
    """The person's memberships of the body that have no last day yet."""
    return [m for m in body.members if m.person == person and m.end is None]


def open_links(
    organisation: str, relations: Sequence[Relation], affiliations: Sequence[Affiliation]
) -> list[tuple[str, str]]:
    """What ends with an organisation that folds, as (section, id): its open relations
    (either side) and the open affiliations of people with it."""
    return [
        ("relations", r.id)
        for r in relations
        if r.end is None and organisation in (r.source, r.target)
    ] + [
        ("affiliations", a.id)
        for a in affiliations
        if a.end is None and a.organisation == organisation
    ]


def same_open_role(roles: Iterable[Role], person: str, role: str) -> Role | None:
    """An open role of the person with this name (any case): giving it twice is a mistake."""
    return next(
        (
            r
            for r in roles
            if r.person == person and r.end is None and r.role.lower() == role.lower()
        ),
        None,
    )


def still_open(what: str, end: dt.date | None) -> None:
    """A record ends once: ending it again would rewrite its history."""
    if end is not None:
        raise UsageError(f"{what} already ended on {end.isoformat()}")
