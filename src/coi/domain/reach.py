"""The interests that reach a person through their organisations on a day: those of the
organisations they hold a role in or act for, and of the organisations whose interests
travel to those along relations (a consortium its members belong to, a parent).

The conflicts check walks the same routes for a meeting (``domain/conflicts.py``); this
is the plain list a secretary reads on ``coi person show``, with the route in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coi.domain.model import Interest, Register, active_on
from coi.domain.policy import DEFAULT_TRAVEL, Travel
from coi.domain.register_index import RegisterIndex


@dataclass(frozen=True, slots=True)
class Reached:
    """An organisation's interest that reaches a person, and the route, in words."""

    interest: Interest
    organisation: str
    via: str  # "chief executive of Harbour; Harbour is a member of Plymouth CYP CIC"


def interests_reaching(
    register: Register | RegisterIndex,
    person: str,
    day: dt.date,
    travel: frozenset[Travel] = DEFAULT_TRAVEL,
) -> list[Reached]:
    """Organisations' interests open on ``day`` that reach ``person`` (not their own: those
    are theirs to list), nearest route first, each interest once."""
    index = register if isinstance(register, RegisterIndex) else RegisterIndex(register)
    routes: list[tuple[str, str]] = []  # (organisation, route in words)
    for aff in index.affiliations_by_person.get(person, ()):
        if not active_on(aff.start, aff.end, day):
            continue
        role = f"{aff.role} of {index.org_name(aff.organisation)}"
        routes.append((aff.organisation, role))
        if aff.on_behalf_of and aff.on_behalf_of != aff.organisation:
            routes.append(
                (aff.on_behalf_of, f"{role}, acting for {index.org_name(aff.on_behalf_of)}")
            )
    direct = list(routes)
    for org, words in direct:
        for other, hops in index.related(org, day, travel):
            routes.append((other, "; ".join([words, *(h.text for h in hops)])))
    seen: set[str] = set()
    out: list[Reached] = []
    for org, words in routes:
        for interest in index.interests_by_org.get(org, ()):
            if interest.id in seen or not active_on(interest.start, interest.end, day):
                continue
            seen.add(interest.id)
            out.append(Reached(interest, org, words))
    return out
