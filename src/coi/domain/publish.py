"""The published register of interests: who sits where, and what they and their organisations hold.

Follows the columns of NHS England's register (name, position, body, type, description,
from, to, action agreed). An entry withheld from publication shows as withheld with no
detail; a person with nothing on the register shows a "nil" line when they have made
an annual return (a nil return, or one whose entries have since ended) and a
"no return made" line when they never made one, so silence is never mistaken for a
nil return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from coi.domain.declarations import Declaration, EntryKind
from coi.domain.membership import current_affiliations, current_members, sits_on
from coi.domain.model import Register, active_on

WITHHELD = "withheld"
NO_RETURN = "no return"
NO_RETURN_TEXT = "no return made"


def made_returns(returns: Iterable[Declaration], as_of: dt.date) -> set[str]:
    """People who had made an annual return by ``as_of`` (the effective record: a
    retracted return was never made)."""
    return {
        r.person
        for r in returns
        if r.kind is EntryKind.RETURN
        and not r.retracted
        and r.person
        and r.reviewed_on is not None
        and r.reviewed_on <= as_of
    }


@dataclass(frozen=True, slots=True)
class RegisterLine:
    """One row of the published register."""

    person: str
    name: str
    position: str
    bodies: str
    type: str
    held_by: str
    description: str
    start: dt.date | None = None
    end: dt.date | None = None
    action_agreed: str = ""
    interest: str | None = None  # None for a withheld or nil line
    reviewed_on: dt.date | None = None  # when its holder last confirmed it (annual return)


def _positions(register: Register, person: str, day: dt.date) -> list[str]:
    orgs = {o.id: o.name for o in register.organisations}
    return [
        f"{a.role}, {orgs.get(a.organisation, a.organisation)}"
        for a in current_affiliations(register.affiliations, person, day)
    ]


def seats_held(register: Register, day: dt.date) -> dict[str, list[str]]:
    """Person id -> names of the bodies they sit on that day (as member or seat pool)."""
    names = {b.id: b.name for b in register.bodies}
    out: dict[str, list[str]] = {}
    for body in register.bodies:
        for m in current_members(body, day):
            out.setdefault(m.person, []).append(f"{body.name} ({m.role})")
    for seat in register.seats:
        if not active_on(seat.term_start, seat.term_end, day):
            continue
        for p in seat.pool:
            label = f"{names.get(seat.body, seat.body)} ({seat.name})"
            out.setdefault(p.person, []).append(label)
    return out


def register_lines(
    register: Register,
    as_of: dt.date,
    *,
    body: str | None = None,
    person: str | None = None,
    returns: Iterable[Declaration] | None = None,
) -> list[RegisterLine]:
    """The register as at ``as_of``, for everyone who sits on a body or holds an interest.

    A person's lines are their own interests and those of the organisations they are
    affiliated with that day (held_by names the organisation). Someone with none has
    one line: "nil" if they had made an annual return by then (``returns``, the
    effective log), else "no return made"; with ``returns`` not given, "nil".
    """
    returned = made_returns(returns, as_of) if returns is not None else None
    sits = seats_held(register, as_of)
    own: dict[str, list[str]] = {}
    for i in register.interests:
        if i.person:
            own.setdefault(i.person, []).append(i.id)
    interests = {i.id: i for i in register.interests}
    by_org: dict[str, list[str]] = {}
    for i in register.interests:
        if i.organisation:
            by_org.setdefault(i.organisation, []).append(i.id)
    orgs = {o.id: o.name for o in register.organisations}

    people = [p for p in register.people if p.id in sits or p.id in own]
    if body is not None:
        on = sits_on(register.bodies, register.seats, body, as_of)
        people = [p for p in people if p.id in on]
    if person is not None:
        people = [p for p in register.people if p.id == person]

    lines: list[RegisterLine] = []
    for p in sorted(people, key=lambda p: (p.name.lower(), p.id)):
        position = "; ".join(_positions(register, p.id, as_of))
        bodies = "; ".join(sits.get(p.id, []))
        held: list[tuple[str, str]] = [(iid, "self") for iid in own.get(p.id, [])]
        for a in register.affiliations:
            if a.person == p.id and active_on(a.start, a.end, as_of):
                held += [(iid, a.organisation) for iid in by_org.get(a.organisation, [])]
        who = (p.id, p.name, position, bodies)
        entries = []
        for iid, holder in held:
            i = interests[iid]
            if not active_on(i.start, i.end, as_of):
                continue
            holder_name = "self" if holder == "self" else orgs.get(holder, holder)
            if not i.publish:
                entries.append(RegisterLine(*who, WITHHELD, holder_name, WITHHELD))
                continue
            entries.append(
                RegisterLine(
                    *who,
                    type=i.category.value,
                    held_by=holder_name,
                    description=f"{i.kind.value}: {i.description}",
                    start=i.start,
                    end=i.end,
                    action_agreed=i.action_agreed,
                    interest=i.id,
                    reviewed_on=i.reviewed_on,
                )
            )
        if not entries and returned is not None and p.id not in returned:
            entries.append(RegisterLine(*who, NO_RETURN, "", NO_RETURN_TEXT))
        elif not entries:
            entries.append(RegisterLine(*who, "nil", "", "nothing to declare"))
        lines.extend(
            sorted(entries, key=lambda e: (e.held_by != "self", e.held_by, e.type, e.description))
        )
    return lines
