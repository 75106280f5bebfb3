"""A register indexed once for checking any number of its meetings: names, identifiers,
interests by holder, relations by either end, and the organisations each one reaches."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from coi.domain.findings import PathStep
from coi.domain.model import Interest, Organisation, Register, active_on
from coi.domain.names import NameIndex
from coi.domain.policy import Travel
from coi.domain.words import RelationKind

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# How a relation reads from each end, (kind, read from its source) -> the travel setting
# that lets interests cross it that way, and the sentence.
_HOP_WORDING: dict[tuple[RelationKind, bool], tuple[Travel, str]] = {
    (RelationKind.MEMBER_OF, True): (Travel.MEMBER_OF, "{name} is a member of {other}"),
    (RelationKind.SUBSIDIARY_OF, True): (Travel.SUBSIDIARY_OF, "{name} is a subsidiary of {other}"),
    (RelationKind.PARTNER_OF, True): (Travel.PARTNER_OF, "{name} is a partner of {other}"),
    (RelationKind.MEMBER_OF, False): (Travel.HAS_MEMBER, "{name} has {other} as a member"),
    (RelationKind.SUBSIDIARY_OF, False): (Travel.PARENT_OF, "{name} is the parent of {other}"),
    (RelationKind.PARTNER_OF, False): (Travel.PARTNER_OF, "{name} is a partner of {other}"),
}


def normalise_reference(ref: str) -> str:
    """A tender or contract id without case or separators: ``T-2027-014`` -> ``t2027014``."""
    return _NON_ALNUM.sub("", ref.casefold())


def normalise_identifier(scheme: str, ident: str) -> str:
    """An org-id identifier as one string, ``GB-CHC`` + ``1000001`` -> ``gb-chc-1000001``."""
    return re.sub(r"\s+", "", f"{scheme}-{ident}".casefold())


class RegisterIndex:
    """A register indexed once for checking any number of its meetings."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.organisations: dict[str, Organisation] = {o.id: o for o in register.organisations}
        self.people = {p.id: p for p in register.people}
        self.bodies = {b.id: b for b in register.bodies}
        self.seats = {s.id: s for s in register.seats}
        self.names = NameIndex(register.organisations)
        identifiers: dict[str, set[str]] = defaultdict(set)
        self.org_identifiers: dict[str, tuple[str, ...]] = {}
        for org in register.organisations:
            keys = sorted({normalise_identifier(i.scheme, i.id) for i in org.identifiers})
            self.org_identifiers[org.id] = tuple(keys)
            for key in keys:
                identifiers[key].add(org.id)
        self.identifiers = {k: tuple(sorted(v)) for k, v in identifiers.items()}
        self.references = frozenset(
            normalise_reference(r) for i in register.interests for r in i.references
        ) - {""}
        by_person: dict[str, list[Interest]] = defaultdict(list)
        by_org: dict[str, list[Interest]] = defaultdict(list)
        for i in register.interests:
            if i.person:
                by_person[i.person].append(i)
            elif i.organisation:
                by_org[i.organisation].append(i)
        self.interests_by_person = {k: sorted(v, key=lambda i: i.id) for k, v in by_person.items()}
        self.interests_by_org = {k: sorted(v, key=lambda i: i.id) for k, v in by_org.items()}
        affs = defaultdict(list)
        for a in register.affiliations:
            affs[a.person].append(a)
        self.affiliations_by_person = {k: sorted(v, key=lambda a: a.id) for k, v in affs.items()}
        out, into = defaultdict(list), defaultdict(list)
        for r in register.relations:
            out[r.source].append(r)
            into[r.target].append(r)
        self.relations_from = {k: sorted(v, key=lambda r: r.id) for k, v in out.items()}
        self.relations_to = {k: sorted(v, key=lambda r: r.id) for k, v in into.items()}
        self._reach_cache: dict[
            tuple[str, dt.date, frozenset[Travel]], list[tuple[str, tuple[PathStep, ...]]]
        ] = {}

    def org_name(self, org: str) -> str:
        found = self.organisations.get(org)
        return found.name if found else org

    def person_name(self, person: str) -> str:
        found = self.people.get(person)
        return found.name if found else person

    def related(
        self, start: str, day: dt.date, travel: frozenset[Travel]
    ) -> list[tuple[str, tuple[PathStep, ...]]]:
        """Organisations whose interests travel to ``start``'s people, with the hops, nearest first.

        Breadth first over relations active on ``day``; each organisation once (cycles end).
        """
        key = (start, day, travel)
        cached = self._reach_cache.get(key)
        if cached is not None:
            return cached
        seen = {start}
        frontier: list[tuple[str, tuple[PathStep, ...]]] = [(start, ())]
        found: list[tuple[str, tuple[PathStep, ...]]] = []
        while frontier:
            nxt: list[tuple[str, tuple[PathStep, ...]]] = []
            for org, steps in frontier:
                for other, step in self._hops(org, day, travel):
                    if other in seen:
                        continue
                    seen.add(other)
                    route = (*steps, step)
                    found.append((other, route))
                    nxt.append((other, route))
            frontier = nxt
        self._reach_cache[key] = found
        return found

    def _hops(
        self, org: str, day: dt.date, travel: frozenset[Travel]
    ) -> list[tuple[str, PathStep]]:
        name = self.org_name(org)
        hops: list[tuple[str, str, PathStep]] = []
        for outward, relations in ((True, self.relations_from), (False, self.relations_to)):
            for r in relations.get(org, ()):
                other = r.target if outward else r.source
                wording = _HOP_WORDING.get((r.kind, outward))
                if not active_on(r.start, r.end, day) or other == org or wording is None:
                    continue
                if wording[0] not in travel:
                    continue
                text = wording[1].format(name=name, other=self.org_name(other))
                hops.append((other, r.id, PathStep("relation", r.id, other, text)))
        hops.sort(key=lambda h: (h[0], h[1]))
        return [(other, step) for other, _, step in hops]
