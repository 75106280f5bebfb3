"""Who may declare which interest at a meeting: their own, and those of the organisations
they have a role in or act for, and of the organisations related to those.

This guards against minuting someone else's interest by mistake; it is not a conflicts
rule, so dates are ignored on purpose.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from coi.domain.model import Affiliation, Body, Interest, Relation, Seat
from coi.domain.words import RelationKind
from coi.errors import UsageError


def acting_for(
    person: str, affiliations: Iterable[Affiliation], seats: Iterable[Seat], bodies: Iterable[Body]
) -> frozenset[str]:
    """The organisations ``person`` acts for: through a role, a seat's pool or a body's members."""
    found = {a.on_behalf_of for a in affiliations if a.person == person and a.on_behalf_of}
    for seat in seats:
        found |= {p.on_behalf_of for p in seat.pool if p.person == person and p.on_behalf_of}
    for body in bodies:
        found |= {m.on_behalf_of for m in body.members if m.person == person and m.on_behalf_of}
    return frozenset(found)


def within_reach(
    person: str,
    affiliations: Iterable[Affiliation],
    relations: Iterable[Relation],
    acting_for: Iterable[str] = (),
) -> frozenset[str]:
    """The holders whose interests ``person`` may declare: themselves, the organisations
    they have (or had) a role in or act for, and the organisations those reach.

    From an organisation, interests are reachable up to the consortia it is a member of
    (not across to fellow members, as in the default policy), both ways between a parent
    and its subsidiaries, and both ways between partners; transitively. Dates are ignored
    on purpose: this guards against minuting someone else's interest by mistake, it is
    not a conflicts rule.
    """
    start = {a.organisation for a in affiliations if a.person == person}
    start |= {o for o in acting_for if o}
    onward: dict[str, set[str]] = defaultdict(set)
    for r in relations:
        onward[r.source].add(r.target)
        if r.kind is not RelationKind.MEMBER_OF:
            onward[r.target].add(r.source)
    seen = set(start)
    todo = list(start)
    while todo:
        org = todo.pop()
        for other in onward.get(org, ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return frozenset({person, *seen})


def check_declarable(
    person: str,
    interest: Interest,
    affiliations: Iterable[Affiliation],
    relations: Iterable[Relation],
    seats: Iterable[Seat],
    bodies: Iterable[Body],
) -> None:
    """Refuse ``interest`` unless ``person`` may declare it (see :func:`within_reach`)."""
    affiliations = list(affiliations)
    holder = interest.person or interest.organisation
    reach = within_reach(
        person, affiliations, relations, acting_for(person, affiliations, seats, bodies)
    )
    if holder not in reach:
        raise UsageError(
            f"--interest: {interest.id} is held by {holder}, which {person} has no role in, "
            "acts for or is related to on the register: record the affiliation first, or "
            "describe the interest with --nature"
        )
