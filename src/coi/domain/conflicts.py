"""The conflict-detection engine: who is expected at a meeting, which interests bear on which items.

For each expected attendee the engine finds every *route* to an interest: the person's
own interests, the interests of organisations they have a role in at the meeting date,
and the interests of organisations related to those (a consortium, a parent, a
subsidiary) -- transitively, breadth first, each organisation visited once so that
cycles end. Which relations carry interests is the policy's ``travel`` setting; by default
a consortium's interests reach its members' people, a parent's reach its subsidiaries'
people and a subsidiary's reach its parent's people, but one member's interests do not
reach the other members of the consortium.

An interest bears on an item when the item names one of its organisations (the holding
organisation or a counterparty; by id, identifier, name, alias, or a fuzzy name match
with its score), shares a tender or contract reference with it, overlaps it in service
area, or is commissioned by its counterparty (for supplier interests, and only when the
item names no organisation or reference and its service areas do not say it is about
something else: a budget or a strategy touches every supplier). A role in an organisation the item
names is a link even when no interest was declared for it (the policy's
``role_category``). The body's commissioners are on the other side of every item at
their own body: naming them links nobody, and their own interests do not conflict their
own staff there.

Each route and basis is a :class:`Path` with its policy action and a sentence a person can
check; a :class:`Flag` gathers every path between one person and one item and takes the
strongest action. Indexes (names, interests by holder, relations by end, interests by
reference and service area per attendee) keep the work proportional to what matches, not
to the size of the register.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from coi.domain import servicearea
from coi.domain.attendees import ExpectedAttendee, expected_attendees, merge_attendees
from coi.domain.findings import CheckResult, Flag, ItemFinding, Path, PathStep
from coi.domain.interest_words import interest_phrase, interest_sentence
from coi.domain.model import (
    AgendaItem,
    Body,
    Interest,
    Meeting,
    Register,
    active_on,
    meeting_day,
)
from coi.domain.names import NameMatch
from coi.domain.policy import LinkKind, MatchBasis, Policy
from coi.domain.register_index import RegisterIndex, normalise_identifier, normalise_reference
from coi.domain.words import (
    DEFAULT_TIMEZONE,
    Action,
    InterestKind,
)

DEFAULT_FUZZY_THRESHOLD = 90.0

# Interests that make someone a supplier of the commissioner; only these link through the
# commissioner alone (an employee of the commissioner is not conflicted by working there).
SUPPLIER_KINDS = frozenset(
    {InterestKind.PROVIDES_SERVICE, InterestKind.HOLDS_CONTRACT, InterestKind.BIDDING_FOR_TENDER}
)

_ORG_ID = re.compile(r"\b[A-Za-z]{2}-[A-Za-z0-9]+-[A-Za-z0-9](?:[A-Za-z0-9./-]*[A-Za-z0-9])?")
_REFERENCE = re.compile(r"[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class _Route:
    """How a person reaches an organisation (or, with ``organisation`` None, themselves)."""

    link: LinkKind
    steps: tuple[PathStep, ...]
    organisation: str | None


@dataclass(frozen=True, slots=True)
class _Mention:
    organisation: str
    basis: MatchBasis
    rank: int  # lower is a surer mention, to keep the best one per organisation
    text: str  # "item 5 names Harbour ..."
    score: float | None


# --------------------------------------------------------------------------- sentences


# --------------------------------------------------------------------------- the engine


@dataclass
class _Reach:
    """Everything one attendee reaches, indexed by what an item can match on."""

    links: list[tuple[_Route, Interest]] = field(default_factory=list)
    areas: list[tuple[str, ...]] = field(default_factory=list)  # each link's, normalised
    prefixes: dict[int, list[str]] = field(default_factory=dict)  # each link's sentence parts
    chains: dict[int, str] = field(default_factory=dict)  # each link's short chain
    by_party: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_reference: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_area_below: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_area: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    suppliers: list[int] = field(default_factory=list)
    roles: dict[str, list[_Route]] = field(default_factory=lambda: defaultdict(list))


class _Checker:
    def __init__(
        self,
        index: RegisterIndex,
        meeting: Meeting,
        body: Body | None,
        policy: Policy,
        day: dt.date,
        fuzzy_threshold: float,
    ) -> None:
        self.index = index
        self.meeting = meeting
        self.policy = policy
        self.day = day
        self.fuzzy_threshold = fuzzy_threshold
        self.commissioners = frozenset(body.commissioners) if body else frozenset()

    # -- routes and the interests at their ends

    def routes(self, attendee: ExpectedAttendee) -> list[_Route]:
        ix = self.index
        direct: list[_Route] = []
        for aff in ix.affiliations_by_person.get(attendee.person, ()):
            if not active_on(aff.start, aff.end, self.day):
                continue
            step = PathStep(
                "affiliation",
                aff.id,
                aff.organisation,
                f"{aff.role} of {ix.org_name(aff.organisation)}",
            )
            direct.append(_Route(LinkKind.AFFILIATION, (step,), aff.organisation))
            if aff.on_behalf_of and aff.on_behalf_of != aff.organisation:
                acting = PathStep(
                    "acts-for",
                    aff.id,
                    aff.on_behalf_of,
                    f"acting for {ix.org_name(aff.on_behalf_of)}",
                )
                direct.append(_Route(LinkKind.AFFILIATION, (step, acting), aff.on_behalf_of))
        reached = {r.organisation for r in direct}
        obo = attendee.on_behalf_of
        if obo and obo not in reached:
            step = PathStep(
                "sits-for", None, obo, f"sits for {ix.org_name(obo)} ({attendee.capacity})"
            )
            direct.append(_Route(LinkKind.AFFILIATION, (step,), obo))
            reached.add(obo)
        routes = [_Route(LinkKind.OWN, (), None), *direct]
        for route in direct:
            assert route.organisation is not None
            for org, hops in ix.related(route.organisation, self.day, self.policy.travel):
                # A direct role in the organisation is the stronger, shorter path to it.
                if org not in reached:
                    routes.append(_Route(LinkKind.RELATION, route.steps + hops, org))
        return routes

    def reach(self, attendee: ExpectedAttendee) -> _Reach:
        ix = self.index
        out = _Reach()
        for route in self.routes(attendee):
            if route.organisation is None:
                interests = ix.interests_by_person.get(attendee.person, [])
            elif route.organisation in self.commissioners:
                continue  # a commissioner's own business is no conflict for its people here
            else:
                interests = ix.interests_by_org.get(route.organisation, [])
                if self.policy.role_category is not None:
                    out.roles[route.organisation].append(route)
            for interest in interests:
                if not active_on(interest.start, interest.end, self.day):
                    continue
                n = len(out.links)
                out.links.append((route, interest))
                areas = tuple(sorted({servicearea.normalise(a) for a in interest.service_areas}))
                out.areas.append(tuple(a for a in areas if a))
                parties = set(interest.counterparties) - self.commissioners
                if interest.organisation and interest.organisation not in self.commissioners:
                    parties.add(interest.organisation)
                for party in parties:
                    out.by_party[party].append(n)
                for ref in {normalise_reference(r) for r in interest.references} - {""}:
                    out.by_reference[ref].append(n)
                for area in out.areas[n]:
                    out.by_area[area].append(n)
                    for above in servicearea.ancestors(area):
                        out.by_area_below[above].append(n)
                if interest.kind in SUPPLIER_KINDS and self.commissioners.intersection(
                    interest.counterparties
                ):
                    out.suppliers.append(n)
        return out

    # -- what an item names

    def mentions(self, item: AgendaItem) -> dict[str, _Mention]:
        ix = self.index
        label = f"item {item.number}"
        found: dict[str, _Mention] = {}

        def offer(m: _Mention) -> None:
            if m.organisation in self.commissioners:
                return
            old = found.get(m.organisation)
            if old is None or m.rank < old.rank:
                found[m.organisation] = m

        for entry in item.organisations:
            if entry in ix.organisations:
                offer(
                    _Mention(
                        entry, MatchBasis.NAMED, 0, f"{label} names {ix.org_name(entry)}", None
                    )
                )
                continue
            key = entry.strip().casefold()
            if key in ix.identifiers:
                for org in ix.identifiers[key]:
                    text = f"{label} names {ix.org_name(org)} by identifier {entry}"
                    offer(_Mention(org, MatchBasis.IDENTIFIER, 2, text, None))
                continue
            for org in ix.names.lookup(entry):
                offer(_Mention(org, MatchBasis.NAMED, 0, f"{label} names {ix.org_name(org)}", None))
        for who, where, words in _sources(item):
            for raw in _ORG_ID.findall(words):
                for org in ix.identifiers.get(raw.casefold(), ()):
                    text = f"{who} names {ix.org_name(org)} by identifier {raw}{where}"
                    offer(_Mention(org, MatchBasis.IDENTIFIER, 2, text, None))
            for m in ix.names.find_named(words, self.fuzzy_threshold):
                offer(self._name_mention(who, where, m))
        # Records that share an identifier are the same legal body under two ids.
        for org, mention in sorted(found.items()):
            if mention.basis is MatchBasis.FUZZY:
                continue
            for key in ix.org_identifiers.get(org, ()):
                for other in ix.identifiers[key]:
                    if other != org:
                        text = (
                            f"{label} names {ix.org_name(org)}, which shares identifier "
                            f"{key.upper()} with {ix.org_name(other)}"
                        )
                        offer(_Mention(other, MatchBasis.IDENTIFIER, 3, text, None))
        return found

    def _name_mention(self, label: str, where: str, m: NameMatch) -> _Mention:
        name = self.index.org_name(m.organisation)
        seen = f'"{m.text}"{where}'
        if m.basis == "name":
            return _Mention(
                m.organisation, MatchBasis.NAMED, 1, f"{label} names {name} ({seen})", None
            )
        if m.basis == "alias":
            text = f'{label} names {name} by its other name "{m.name}" ({seen})'
            return _Mention(m.organisation, MatchBasis.ALIAS, 4, text, None)
        text = (
            f'{label} may name {name}: {seen} is close to "{m.name}" '
            f"(fuzzy match, score {m.score:g}; check)"
        )
        return _Mention(m.organisation, MatchBasis.FUZZY, 5, text, m.score)

    def references(self, item: AgendaItem) -> dict[str, str]:
        """Normalised reference -> how the item gives it."""
        label = f"item {item.number}"
        refs: dict[str, str] = {}
        for ref in item.references:
            key = normalise_reference(ref)
            if key:
                refs.setdefault(key, f"{label} names {ref}")
        for who, where, words in _sources(item):
            for raw in _REFERENCE.findall(words):
                # Only references some interest holds: "2027/28" in a title is a year.
                key = normalise_reference(raw)
                if key in self.index.references and any(c.isdigit() for c in raw):
                    refs.setdefault(key, f"{who} mentions {raw}{where}")
        return refs

    # -- paths

    def _prefix(self, attendee: ExpectedAttendee, reach: _Reach, n: int) -> list[str]:
        """The sentence parts from the person to the interest, made once per link."""
        cached = reach.prefixes.get(n)
        if cached is not None:
            return cached
        ix = self.index
        route, interest = reach.links[n]
        holder = (
            ix.person_name(interest.person)
            if interest.person
            else ix.org_name(interest.organisation or "")
        )
        sentence = interest_sentence(interest, holder, ix)
        if route.link is LinkKind.OWN:
            parts = [sentence]
        else:
            parts = [ix.person_name(attendee.person), *(s.text for s in route.steps), sentence]
        reach.prefixes[n] = parts
        return parts

    def _chain(self, attendee: ExpectedAttendee, reach: _Reach, n: int) -> str:
        """The short chain from the person to the interest, made once per link."""
        cached = reach.chains.get(n)
        if cached is None:
            route, interest = reach.links[n]
            phrase = interest_phrase(interest, self.index)
            if route.link is LinkKind.RELATION:  # say who holds it: not the person's own org
                phrase = f"{self.index.org_name(route.organisation or '')} {phrase}"
            steps = [s.text for s in route.steps]
            cached = " -> ".join([self.index.person_name(attendee.person), *steps, phrase])
            reach.chains[n] = cached
        return cached

    def _path(
        self,
        attendee: ExpectedAttendee,
        item: AgendaItem,
        route: _Route,
        interest: Interest | None,
        parts: list[str],
        basis: MatchBasis,
        detail: str,
        score: float | None,
        chain: str,
    ) -> Path | None:
        category = self.policy.role_category if interest is None else interest.category
        if category is None:
            return None
        action = self.policy.action_for(category, route.link, item.kind, basis)
        if action is Action.NONE:
            return None  # asks nothing of anyone: no reason for a flag
        return Path(
            person=attendee.person,
            item=item.number,
            link=route.link,
            steps=route.steps,
            interest=interest.id if interest else None,
            category=category,
            basis=basis,
            action=action,
            rule=self.policy.explain(category, route.link, item.kind, basis),
            detail=detail,
            score=score,
            text=" -> ".join(parts),
            chain=chain,
            because=parts[-1],
        )

    def item_paths(
        self,
        attendee: ExpectedAttendee,
        item: AgendaItem,
        reach: _Reach,
        mentions: dict[str, _Mention],
        refs: dict[str, str],
        areas: list[str],
    ) -> list[Path]:
        found: list[Path | None] = []

        def link(n: int, basis: MatchBasis, how: str, detail: str, score: float | None) -> None:
            route, interest = reach.links[n]
            parts = [*self._prefix(attendee, reach, n), how]
            chain = self._chain(attendee, reach, n)
            found.append(
                self._path(attendee, item, route, interest, parts, basis, detail, score, chain)
            )

        ix = self.index
        for org, mention in mentions.items():
            for n in reach.by_party.get(org, ()):
                link(n, mention.basis, mention.text, ix.org_name(org), mention.score)
            for route in reach.roles.get(org, ()):
                parts = [ix.person_name(attendee.person), *(s.text for s in route.steps)]
                parts.append(mention.text)
                found.append(
                    self._path(
                        attendee,
                        item,
                        route,
                        None,
                        parts,
                        mention.basis,
                        ix.org_name(org),
                        mention.score,
                        " -> ".join(parts[:-1]),
                    )
                )
        for key, how in refs.items():
            for n in reach.by_reference.get(key, ()):
                _, interest = reach.links[n]
                shown = next((r for r in interest.references if normalise_reference(r) == key), key)
                link(n, MatchBasis.REFERENCE, how, shown, None)
        area_hits: dict[int, tuple[str, str]] = {}
        for area in areas:
            for n in reach.by_area_below.get(area, ()):
                theirs = next((a for a in reach.areas[n] if servicearea.overlaps(area, a)), area)
                area_hits.setdefault(n, (area, theirs))
            for above in servicearea.ancestors(area)[1:]:
                for n in reach.by_area.get(above, ()):
                    area_hits.setdefault(n, (area, above))
        label = f"item {item.number}"
        for n, (ours, theirs) in sorted(area_hits.items()):
            how = f"{label} is about {ours}" + (f" (overlaps {theirs})" if theirs != ours else "")
            link(n, MatchBasis.SERVICE_AREA, how, f"{ours} ~ {theirs}", None)
        # Through the buyer alone only when the item does not say what it is about: it names
        # no organisation and no tender, and its service areas (if both sides have any) do
        # not overlap -- a budget or a strategy, which touches every supplier.
        specific = bool(mentions or refs)
        for n in reach.suppliers:
            if specific or n in area_hits:
                continue
            if areas and reach.areas[n]:
                continue  # the item is about a different service
            _, interest = reach.links[n]
            buyer = sorted(self.commissioners.intersection(interest.counterparties))[0]
            how = f"{label} is commissioned by {ix.org_name(buyer)}"
            link(n, MatchBasis.COMMISSIONER, how, buyer, None)
        unique = {(p.text, p.basis): p for p in found if p is not None}
        return sorted(unique.values(), key=lambda p: (-p.action.strength, p.text, p.basis))


def _sources(item: AgendaItem) -> Iterator[tuple[str, str, str]]:
    """The texts an item is searched in, each as (who says it, where, the text): its title
    and text, then each page of each paper ("item 4's paper evaluation.pdf, page 3,")."""
    label = f"item {item.number}"
    yield label, " in its title", item.title
    yield label, " in its text", item.text
    for paper in item.papers:
        paged = len(paper.pages) > 1 or paper.name.lower().endswith(".pdf")
        for number, page in enumerate(paper.pages, start=1):
            if page:
                where = f", page {number}," if paged else ""
                yield f"{label}'s paper {paper.name}{where}", "", page


def _quorum_count(
    attendees: Sequence[ExpectedAttendee], out: set[str], index: RegisterIndex
) -> tuple[int, int]:
    """(voting members expected, voting members left once ``out`` leave) for one item.

    An unrostered shared seat counts as its places, filled while enough of its pool
    remain: any of them could be the one who comes.
    """
    definite = {a.person for a in attendees if a.voting and not a.if_attending}
    pools: dict[str, set[str]] = defaultdict(set)
    for a in attendees:
        if a.voting and a.if_attending and a.seat and a.person not in definite:
            pools[a.seat].add(a.person)
    expected = len(definite)
    left = len(definite - out)
    for seat_id, pool in pools.items():
        seat = index.seats.get(seat_id)
        places = seat.places if seat else len(pool)
        expected += min(places, len(pool))
        left += min(places, len(pool - out))
    return expected, left


def check_meeting(
    register: Register | RegisterIndex,
    meeting: Meeting,
    policy: Policy,
    attendees: Sequence[ExpectedAttendee],
    *,
    fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
) -> CheckResult:
    """Every flag for every item of ``meeting``, and which items the flags leave inquorate.

    Pass a :class:`RegisterIndex` instead of the register to check several meetings
    without indexing the register again. Only interests, affiliations and relations
    active on the meeting's date (in the body's time zone) count. Items come in agenda
    order, flags strongest first then by person, paths strongest first; nothing depends
    on the order of the register's records or of ``attendees``.
    """
    index = register if isinstance(register, RegisterIndex) else RegisterIndex(register)
    body = index.bodies.get(meeting.body)
    day = meeting_day(meeting, body.timezone if body else DEFAULT_TIMEZONE)
    people = merge_attendees(attendees)
    checker = _Checker(index, meeting, body, policy, day, fuzzy_threshold)
    reaches = {a.person: checker.reach(a) for a in people}
    findings = []
    for item in meeting.items:
        mentions = checker.mentions(item)
        refs = checker.references(item)
        areas = sorted({servicearea.normalise(a) for a in item.service_areas} - {""})
        flags = []
        for a in people:
            paths = checker.item_paths(a, item, reaches[a.person], mentions, refs, areas)
            if not paths or paths[0].action is Action.NONE:
                continue
            flags.append(
                Flag(
                    meeting=meeting.id,
                    item=item.number,
                    person=a.person,
                    person_name=index.person_name(a.person),
                    action=paths[0].action,
                    paths=tuple(paths),
                    categories=tuple(sorted({p.category for p in paths})),
                    bases=tuple(sorted({p.basis for p in paths})),
                    interests=tuple(sorted({p.interest for p in paths if p.interest})),
                    capacity=a.capacity,
                    voting=a.voting,
                    if_attending=a.if_attending,
                )
            )
        flags.sort(key=lambda f: (-f.action.strength, f.person))
        out = {f.person for f in flags if f.action in policy.quorum_without}
        expected, left = _quorum_count(people, out, index)
        quorum = body.quorum if body else None
        findings.append(
            ItemFinding(
                item=item.number,
                title=item.title,
                kind=item.kind,
                flags=tuple(flags),
                quorum=quorum,
                voting_expected=expected,
                voting_left=left,
                inquorate=quorum is not None and left < quorum,
            )
        )
    return CheckResult(
        meeting=meeting.id,
        body=meeting.body,
        day=day,
        attendees=tuple(people),
        items=tuple(findings),
    )


__all__ = [
    "DEFAULT_FUZZY_THRESHOLD",
    "SUPPLIER_KINDS",
    "CheckResult",
    "ExpectedAttendee",
    "Flag",
    "ItemFinding",
    "Path",
    "PathStep",
    "RegisterIndex",
    "check_meeting",
    "expected_attendees",
    "normalise_identifier",
    "normalise_reference",
]
