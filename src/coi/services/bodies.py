"""Commissioning bodies, who commissions through them, and their members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coi.domain.words import DEFAULT_TIMEZONE
from coi.errors import UsageError
from coi.services import records
from coi.services.changes import Changes, resolved
from coi.services.names import Names, read_names
from coi.services.records import FileRecord, Saved

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.model import Body, Membership, Seat


@dataclass(frozen=True)
class BodySummary:
    body: Body
    members: int  # current members
    seats: int  # seats in term


@dataclass(frozen=True)
class BodyDetail:
    """One body with its seats, the bodies under it and the policy it follows."""

    body: Body
    bodies: list[Body]  # every body, for the parent and children
    seats: list[Seat]
    policy: str  # where its conflicts policy comes from
    names: Names = field(default_factory=Names)

    @property
    def children(self) -> list[Body]:
        return [c for c in self.bodies if c.parent == self.body.id]


@dataclass(frozen=True)
class MembershipEnded(Saved):
    roles: list[str] = field(default_factory=list)


def add_body(
    s: Session,
    name: str,
    *,
    id: str | None = None,
    parent: str | None = None,
    commissioners: list[str] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    quorum: int | None = None,
    notes: str = "",
) -> Saved:
    """``coi body add``."""
    from coi.store.lookup import exists, resolve

    name = records.not_blank(name, "NAME")
    body_id = id or records.slug(name)
    if exists(s, "bodies", body_id):
        raise UsageError(f"a body with id {body_id!r} exists: use `coi body edit`")
    data = {
        "id": body_id,
        "name": name,
        "parent": resolve(s, "bodies", parent) if parent else None,
        "commissioners": [resolve(s, "organisations", c) for c in commissioners or []],
        "timezone": timezone,
        "quorum": quorum,
        "notes": notes,
    }
    return records.add(s, "bodies", data)


def list_bodies(s: Session, today: dt.date | None = None) -> list[BodySummary]:
    """``coi body list``: each body with how many sit on it today."""
    from coi.domain.membership import current_members, seats_in_term
    from coi.store.register import read_section

    day = today or dt.date.today()
    seats = read_section(s, "seats")
    return [
        BodySummary(b, len(current_members(b, day)), len(seats_in_term(seats, b.id, day)))
        for b in read_section(s, "bodies")
    ]


def show_body(s: Session, body: str) -> BodyDetail:
    """``coi body show``."""
    from coi.domain.policy import policy_label
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    body_id = resolve(s, "bodies", body)
    bodies = read_section(s, "bodies")
    b = next(x for x in bodies if x.id == body_id)
    return BodyDetail(
        body=b,
        bodies=bodies,
        seats=[x for x in read_section(s, "seats") if x.body == body_id],
        policy=policy_label(b, bodies),
        names=read_names(s),
    )


def edit_body(s: Session, body: str, changes: Changes) -> Saved:
    """``coi body edit``; a ``policy`` is a YAML file stored with the body, by its path."""
    from coi.store.lookup import resolve

    for name, options in (
        ("parent", "--parent or --no-parent"),
        ("quorum", "--quorum or --no-quorum"),
        ("policy", "--policy or --default-policy"),
    ):
        if changes.both(name):
            raise UsageError(f"give {options}, not both")
    changes = changes.not_blank("name", "--name")
    body_id = resolve(s, "bodies", body)
    return records.edit(s, "bodies", body_id, resolved(s, "bodies", changes).apply)


def add_member(
    s: Session,
    body: str,
    person: str,
    *,
    role: str = "member",
    on_behalf_of: str | None = None,
    voting: bool = True,
    start: dt.date | None = None,
) -> Saved:
    """``coi body member``: a place on the body that is not a seat. The result's id reads
    ``PERSON to BODY``."""
    from coi.domain.membership import same_open_role
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies

    role = records.not_blank(role, "--role")
    body_id = resolve(s, "bodies", body)
    person_id = resolve(s, "people", person)
    behalf = resolve(s, "organisations", on_behalf_of) if on_behalf_of else None
    (b,) = read_bodies(s, [body_id])
    if held := same_open_role(b.members, person_id, role):
        raise UsageError(f"{person_id} is already {held.role} of {body_id}")
    entry = {
        "person": person_id,
        "role": role,
        "on_behalf_of": behalf,
        "voting": voting,
        "start": records.iso(start),
    }
    saved = records.edit(
        s, "bodies", body_id, lambda d: d.update(members=[*(d.get("members") or []), entry])
    )
    return Saved(f"{person_id} to {body_id}", saved.changed)


def end_member(s: Session, body: str, member: str, on: dt.date) -> MembershipEnded:
    """``coi body end``: the person's open memberships of the body end on ``on``."""
    from coi.domain.membership import open_memberships
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies

    body_id = resolve(s, "bodies", body)
    person_id = resolve(s, "people", member)
    (b,) = read_bodies(s, [body_id])
    open_: list[Membership] = open_memberships(b, person_id)
    if not open_:
        raise UsageError(f"{person_id} has no open membership of {body_id}")

    saved = records.edit(s, "bodies", body_id, closing_memberships(person_id, on))
    return MembershipEnded(
        f"{person_id} on {body_id}", saved.changed, roles=[m.role for m in open_]
    )


def closing_memberships(person: str, on: dt.date) -> records.Change:
    """The change to a body's record that ends the person's open memberships on ``on``."""

    def close(d: FileRecord) -> None:
        for m in d.get("members") or []:
            if m["person"] == person and not m.get("end"):
                m["end"] = on.isoformat()

    return close
