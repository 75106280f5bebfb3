"""What a meeting's check finds: the paths that link a person to an item, the flags
they add up to, each item's finding and the whole result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from coi.domain.attendees import ExpectedAttendee
from coi.domain.policy import LinkKind, MatchBasis
from coi.domain.words import Action, Category, ItemKind


@dataclass(frozen=True, slots=True)
class PathStep:
    """One hop from a person towards an interest: a role, acting for, or a relation."""

    kind: str  # "affiliation" | "acts-for" | "sits-for" | "relation"
    record: str | None  # the affiliation or relation id behind the hop
    organisation: str  # the organisation the hop arrives at
    text: str  # "chief executive of Harbour"


@dataclass(frozen=True, slots=True)
class Path:
    """One way a person is linked to an item, with the policy's action for it.

    ``str(path)`` is the sentence to check, e.g. "A. Smith -> chief executive of Harbour
    -> Harbour bids for tender T-2027-014 -> item 5 names T-2027-014".
    """

    person: str
    item: str
    link: LinkKind
    steps: tuple[PathStep, ...]
    interest: str | None  # None for a role in an organisation the item names
    category: Category
    basis: MatchBasis
    action: Action
    rule: str  # which policy rule gave the action
    detail: str  # what matched: a reference, the words found, the overlapping areas
    score: float | None  # the fuzzy score, for a fuzzy name match
    text: str
    # The same link in two short parts, for a terminal: the chain from the person to the
    # interest ("Priya Nair -> chief executive of Plym Recovery Trust -> bids for
    # T-2027-014"), shared by every basis, and why the item touches it ("item 5 names
    # Plym Recovery Trust").
    chain: str = ""
    because: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Flag:
    """An expected attendee with at least one link to an item that asks for some action."""

    meeting: str
    item: str
    person: str
    person_name: str
    action: Action  # the strongest of the paths' actions
    paths: tuple[Path, ...]  # strongest first
    categories: tuple[Category, ...]
    bases: tuple[MatchBasis, ...]
    interests: tuple[str, ...]
    capacity: str
    voting: bool
    if_attending: bool

    @property
    def needs_check(self) -> bool:
        """True when every path behind the flag is a fuzzy name match."""
        return all(p.basis is MatchBasis.FUZZY for p in self.paths)


@dataclass(frozen=True, slots=True)
class ItemFinding:
    """One agenda item: its flags and whether enough voting members remain to decide it."""

    item: str
    title: str
    kind: ItemKind
    flags: tuple[Flag, ...]
    quorum: int | None
    voting_expected: int
    voting_left: int
    inquorate: bool


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The whole check of one meeting, items in agenda order."""

    meeting: str
    body: str
    day: dt.date
    attendees: tuple[ExpectedAttendee, ...]
    items: tuple[ItemFinding, ...]

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(f for item in self.items for f in item.flags)

    @property
    def inquorate_items(self) -> tuple[str, ...]:
        return tuple(i.item for i in self.items if i.inquorate)

    def for_person(self, person: str) -> CheckResult:
        """The same check with only ``person``'s flags (quorum as for everyone)."""
        items = tuple(
            replace(f, flags=tuple(x for x in f.flags if x.person == person)) for f in self.items
        )
        return replace(self, items=items)

    def asks_at_least(self, action: Action) -> bool:
        """Whether a flag asks for ``action`` or a stronger one (never, for ``none``)."""
        return action is not Action.NONE and any(
            f.action.strength >= action.strength for f in self.flags
        )
