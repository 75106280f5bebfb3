"""People, their roles in organisations (affiliations), and where they sit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coi.errors import UsageError
from coi.services import records
from coi.services.changes import Changes
from coi.services.names import Names, read_names
from coi.services.records import Saved

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.model import Affiliation, Body, Gift, Interest, Person, Seat
    from coi.domain.reach import Reached


@dataclass(frozen=True)
class PersonSummary:
    """A person with their current positions and the bodies they sit on."""

    person: Person
    positions: list[str]
    bodies: list[str]


@dataclass(frozen=True)
class PersonDetail:
    """Everything recorded about one person."""

    person: Person
    affiliations: list[Affiliation]
    bodies: list[Body]  # every body, for the person's memberships and the seats' bodies
    seats: list[Seat]  # the seats whose pool they are in
    interests: list[Interest]
    gifts: list[Gift]
    names: Names = field(default_factory=Names)
    # Organisations' interests that reach them today, with the route (domain/reach.py).
    reached: list[Reached] = field(default_factory=list)


@dataclass(frozen=True)
class Ended(Saved):
    """``coi person end``: how many roles ended, and the seat pools the person is still in."""

    ended: int = 0
    pools: list[str] = field(default_factory=list)


def add_person(
    s: Session, name: str, *, id: str | None = None, email: str = "", notes: str = ""
) -> Saved:
    """``coi person add``."""
    from coi.store.lookup import exists

    name = records.not_blank(name, "NAME")
    person_id = id or records.slug(name)
    if exists(s, "people", person_id):
        raise UsageError(
            f"a person with id {person_id!r} exists: use `coi person edit` or give another --id"
        )
    return records.add(s, "people", {"id": person_id, "name": name, "email": email, "notes": notes})


def list_people(
    s: Session, body: str | None = None, today: dt.date | None = None
) -> list[PersonSummary]:
    """``coi person list``: everyone, or those who sit on ``body`` today."""
    from coi.domain.membership import current_affiliations, sits_on
    from coi.domain.model import Register
    from coi.domain.publish import seats_held
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    day = today or dt.date.today()
    body_id = resolve(s, "bodies", body) if body else None
    people = read_section(s, "people")
    org_names = {o.id: o.name for o in read_section(s, "organisations")}
    affs = read_section(s, "affiliations")
    bodies = read_section(s, "bodies")
    seats = read_section(s, "seats")
    sits = seats_held(Register(bodies=tuple(bodies), seats=tuple(seats)), day)
    if body_id is not None:
        on = sits_on(bodies, seats, body_id, day)
        people = [p for p in people if p.id in on]
    return [
        PersonSummary(
            person=p,
            positions=[
                f"{a.role} at {org_names.get(a.organisation, a.organisation)}"
                for a in current_affiliations(affs, p.id, day)
            ],
            bodies=sits.get(p.id, []),
        )
        for p in people
    ]


def show_person(s: Session, person: str, today: dt.date | None = None) -> PersonDetail:
    """``coi person show``: the person's records, and the interests that reach them
    through their organisations on ``today``."""
    from coi.domain.reach import interests_reaching
    from coi.store.lookup import resolve
    from coi.store.register import read_register, read_section

    person_id = resolve(s, "people", person)
    reached = interests_reaching(read_register(s), person_id, today or dt.date.today())
    return PersonDetail(
        person=next(x for x in read_section(s, "people") if x.id == person_id),
        affiliations=[a for a in read_section(s, "affiliations") if a.person == person_id],
        bodies=read_section(s, "bodies"),
        seats=[x for x in read_section(s, "seats") if any(p.person == person_id for p in x.pool)],
        interests=[i for i in read_section(s, "interests") if i.person == person_id],
        gifts=[g for g in read_section(s, "gifts") if g.person == person_id],
        names=read_names(s),
        reached=reached,
    )


def edit_person(s: Session, person: str, changes: Changes) -> Saved:
    """``coi person edit`` (the id stays)."""
    from coi.store.lookup import resolve

    changes = changes.not_blank("name", "--name")
    return records.edit(s, "people", resolve(s, "people", person), changes.apply)


def end_person(s: Session, person: str, on: dt.date) -> Ended:
    """``coi person end``: every open affiliation and body membership ends on ``on``.
    Seat pools have no dates: those the person is still in are named."""
    from coi.domain.membership import open_memberships
    from coi.services.bodies import closing_memberships
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    person_id = resolve(s, "people", person)
    ended = 0
    for a in read_section(s, "affiliations"):
        if a.person == person_id and a.end is None:
            records.end(s, "affiliations", a.id, on)
            ended += 1
    for b in read_section(s, "bodies"):
        if closing := open_memberships(b, person_id):
            records.edit(s, "bodies", b.id, closing_memberships(person_id, on))
            ended += len(closing)
    pools = [x.id for x in read_section(s, "seats") if any(p.person == person_id for p in x.pool)]
    return Ended(person_id, ended > 0, ended=ended, pools=pools)


def affiliate(
    s: Session,
    person: str,
    org: str,
    role: str,
    *,
    on_behalf_of: str | None = None,
    start: dt.date | None = None,
    id: str | None = None,
) -> Saved:
    """``coi person affiliate``: a person's role in an organisation."""
    from coi.domain.membership import same_open_role
    from coi.store.lookup import exists, first_free, numbered, resolve
    from coi.store.register import read_section

    role = records.not_blank(role, "--role")
    person_id = resolve(s, "people", person)
    org_id = resolve(s, "organisations", org)
    behalf = resolve(s, "organisations", on_behalf_of) if on_behalf_of else None
    same_org = [a for a in read_section(s, "affiliations") if a.organisation == org_id]
    if held := same_open_role(same_org, person_id, role):
        raise UsageError(
            f"{person_id} is already {held.role} of {org_id} (affiliation {held.id}, open)"
        )
    if id is not None and exists(s, "affiliations", id):
        raise UsageError(f"--id: an affiliation with id {id!r} exists")
    aff_id = id or first_free(s, "affiliations", numbered(f"{person_id}.{org_id}", "."))
    data = {
        "id": aff_id,
        "person": person_id,
        "organisation": org_id,
        "role": role,
        "on_behalf_of": behalf,
        "start": records.iso(start),
    }
    return records.add(s, "affiliations", data)


def unaffiliate(s: Session, affiliation: str, on: dt.date) -> Saved:
    """``coi person unaffiliate``: the affiliation ends; its history stays."""
    from coi.domain.membership import still_open
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    aff_id = resolve(s, "affiliations", affiliation)
    current = next(a for a in read_section(s, "affiliations") if a.id == aff_id)
    still_open(f"affiliation {aff_id}", current.end)
    return records.end(s, "affiliations", aff_id, on)
