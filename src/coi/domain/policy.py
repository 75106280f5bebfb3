"""The conflicts policy: which action an interest asks for, by category, link, item kind and basis.

A policy is an ordered list of rules. Each rule has optional match keys -- ``category``
(the interest's NHS England type), ``link`` (how the interest reaches the person: their
``own``, through an ``affiliation`` with an organisation, or through an organisation
``relation``), ``item_kind`` and ``basis`` (why the interest matches the item) -- each a
value or a list of values, and an ``action``. A missing key matches anything. **The first
rule that matches wins**, as in a firewall or a mail filter, so that an exception ("on
information items declare at most") is written above the general rule it limits; when
no rule matches, the policy's ``default`` applies.

Besides the rules a policy says which organisation relations interests travel along
(``travel``), how a role in an organisation an item names counts when no declared interest
explains it (``role_category``), and which actions take a member out of the quorum count
(``quorum_without``). The packaged default is ``coi/data/policy.yaml``.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from coi.domain.model import Body
from coi.domain.words import Action, Category, ItemKind
from coi.errors import InputFileError, Problem


class LinkKind(StrEnum):
    """How an interest reaches a person."""

    OWN = "own"  # the person's own interest
    AFFILIATION = "affiliation"  # an interest of an organisation the person has a role in
    RELATION = "relation"  # an interest of an organisation related to one of those


class MatchBasis(StrEnum):
    """Why an interest bears on an agenda item."""

    NAMED = "named"  # the item lists the organisation or gives its name
    IDENTIFIER = "identifier"  # the item gives an org-id identifier the organisation holds
    ALIAS = "alias"  # the item gives one of the organisation's other names
    FUZZY = "fuzzy"  # the item gives a name close to the organisation's (scored)
    REFERENCE = "reference"  # item and interest share a tender or contract reference
    SERVICE_AREA = "service-area"  # their service areas overlap
    COMMISSIONER = "commissioner"  # the interest's counterparty commissions for the body


class Travel(StrEnum):
    """A direction in which an organisation's interests reach another organisation's people."""

    MEMBER_OF = "member_of"  # a consortium's interests reach its members' people
    HAS_MEMBER = "has_member"  # a member's interests reach the consortium's people
    SUBSIDIARY_OF = "subsidiary_of"  # a parent's interests reach its subsidiary's people
    PARENT_OF = "parent_of"  # a subsidiary's interests reach its parent's people
    PARTNER_OF = "partner_of"  # a partner's interests reach the other partner's people


DEFAULT_TRAVEL = frozenset({Travel.MEMBER_OF, Travel.SUBSIDIARY_OF, Travel.PARENT_OF})
DEFAULT_QUORUM_WITHOUT = frozenset({Action.EXCLUDE, Action.WITHDRAW})

_RULE_KEYS = ("category", "link", "item_kind", "basis")
_TOP_KEYS = ("name", "default", "role_category", "travel", "quorum_without", "rules")


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of a policy; a ``None`` match key matches anything."""

    number: int  # 1-based position in the policy, as messages and flags cite it
    action: Action
    categories: frozenset[Category] | None = None
    links: frozenset[LinkKind] | None = None
    item_kinds: frozenset[ItemKind] | None = None
    bases: frozenset[MatchBasis] | None = None
    why: str = ""

    def matches(
        self, category: Category, link: LinkKind, item_kind: ItemKind, basis: MatchBasis
    ) -> bool:
        return (
            (self.categories is None or category in self.categories)
            and (self.links is None or link in self.links)
            and (self.item_kinds is None or item_kind in self.item_kinds)
            and (self.bases is None or basis in self.bases)
        )

    def describe(self) -> str:
        """``rule 3: exclude (financial interest; own/affiliation; procurement) -- why``."""
        parts = []
        for values in (self.categories, self.links, self.item_kinds, self.bases):
            if values is not None:
                parts.append("/".join(sorted(str(v) for v in values)))
        scope = f" ({'; '.join(parts)})" if parts else ""
        why = f" - {self.why}" if self.why else ""
        return f"rule {self.number}: {self.action}{scope}{why}"


@dataclass(frozen=True)
class Policy:
    """A conflicts policy as loaded; ask it with :meth:`action_for`."""

    rules: tuple[Rule, ...] = ()
    default: Action = Action.DECLARE
    name: str = ""
    source: str = ""
    role_category: Category | None = Category.FINANCIAL
    travel: frozenset[Travel] = DEFAULT_TRAVEL
    quorum_without: frozenset[Action] = DEFAULT_QUORUM_WITHOUT
    _table: dict[tuple[Category, LinkKind, ItemKind, MatchBasis], Rule | None] = field(
        init=False, repr=False, compare=False, hash=False
    )

    _explained: dict[tuple[Category, LinkKind, ItemKind, MatchBasis], str] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        # Every combination is known in advance (4 x 3 x 6 x 7), so answer from a table
        # instead of walking the rules for each of thousands of paths.
        table: dict[tuple[Category, LinkKind, ItemKind, MatchBasis], Rule | None] = {}
        for c in Category:
            for lk in LinkKind:
                for k in ItemKind:
                    for b in MatchBasis:
                        table[(c, lk, k, b)] = next(
                            (r for r in self.rules if r.matches(c, lk, k, b)), None
                        )
        object.__setattr__(self, "_table", table)
        explained = {
            key: f"default: {self.default}" if rule is None else rule.describe()
            for key, rule in table.items()
        }
        object.__setattr__(self, "_explained", explained)

    def rule_for(
        self, category: Category, link: LinkKind, item_kind: ItemKind, basis: MatchBasis
    ) -> Rule | None:
        """The first rule that matches, or ``None`` when the default applies."""
        return self._table[(category, link, item_kind, basis)]

    def action_for(
        self, category: Category, link: LinkKind, item_kind: ItemKind, basis: MatchBasis
    ) -> Action:
        """What this policy asks of a person whose interest reaches an item this way."""
        rule = self.rule_for(category, link, item_kind, basis)
        return self.default if rule is None else rule.action

    def explain(
        self, category: Category, link: LinkKind, item_kind: ItemKind, basis: MatchBasis
    ) -> str:
        """Which rule gave the action, in words (``rule 3: exclude (...)`` or the default)."""
        return self._explained[(category, link, item_kind, basis)]


E = TypeVar("E", bound=StrEnum)

# Messages quote at most 200 characters of a value (the middle of a longer one is cut).
_QUOTE = reprlib.Repr()
_QUOTE.maxstring = 200


class _Reader:
    """Collects every problem in a policy file before giving up, each with its field."""

    def __init__(self, source: str, lines: Mapping[tuple[str | int, ...], int]) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, message: str, path: tuple[str | int, ...]) -> None:
        line = None
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                line = self.lines[path[:n]]
                break
        name = ""
        for part in path:
            name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else part)
        self.problems.append(Problem(message, file=self.source, line=line, field=name or None))

    def one(self, enum: type[E], value: Any, path: tuple[str | int, ...]) -> E | None:
        if not isinstance(value, str):
            self.problem(f"expected one of {', '.join(e.value for e in enum)}", path)
            return None
        try:
            return enum(value.strip())
        except ValueError:
            choices = ", ".join(e.value for e in enum)
            self.problem(f"unknown value {_QUOTE.repr(value)}; expected one of {choices}", path)
            return None

    def many(self, enum: type[E], value: Any, path: tuple[str | int, ...]) -> frozenset[E] | None:
        values = value if isinstance(value, list) else [value]
        if not values:
            self.problem("an empty list matches nothing; leave the key out to match any", path)
            return None
        found = [
            self.one(enum, v, (*path, i) if isinstance(value, list) else path)
            for i, v in enumerate(values)
        ]
        if any(f is None for f in found):
            return None
        return frozenset(f for f in found if f is not None)

    def optional_set(
        self, enum: type[E], data: Mapping[str, Any], key: str, default: frozenset[E]
    ) -> frozenset[E]:
        """A top-level list of values: ``default`` when the key is left out, nothing when
        it is empty (unlike a rule's list, where empty would match nothing by mistake)."""
        if key not in data:
            return default
        if data[key] in (None, []):
            return frozenset()
        return self.many(enum, data[key], (key,)) or default


def policy_from_dict(
    data: Any, source: str, lines: Mapping[tuple[str | int, ...], int] | None = None
) -> Policy:
    """Check and build a policy from parsed YAML; raise InputFileError listing every fault.

    ``source`` names the file in messages; ``lines`` maps a key path such as
    ``("rules", 2, "action")`` (0-based list positions) to its line in the file. Fields in
    messages number rules from 1: ``rules[3].action``.
    """
    r = _Reader(source, lines or {})
    if not isinstance(data, Mapping):
        r.problem("a policy is a mapping with at least 'rules' (a list of rules)", ())
        raise InputFileError(f"{source}: not a policy", r.problems)
    for key in data:
        if key not in _TOP_KEYS:
            r.problem(f"unknown key; expected one of {', '.join(_TOP_KEYS)}", (str(key),))
    name = data.get("name", "")
    if not isinstance(name, str):
        r.problem("expected text", ("name",))
        name = ""
    default = Action.DECLARE
    if "default" in data:
        default = r.one(Action, data["default"], ("default",)) or default
    role_category: Category | None = Category.FINANCIAL
    if "role_category" in data:
        value = data["role_category"]
        role_category = None if value is None else r.one(Category, value, ("role_category",))
    travel = r.optional_set(Travel, data, "travel", DEFAULT_TRAVEL)
    quorum_without = r.optional_set(Action, data, "quorum_without", DEFAULT_QUORUM_WITHOUT)
    rules: list[Rule] = []
    raw_rules = data.get("rules", [])
    if raw_rules is None:
        raw_rules = []
    if not isinstance(raw_rules, list):
        r.problem("expected a list of rules", ("rules",))
        raw_rules = []
    for i, raw in enumerate(raw_rules):
        rule = _rule(r, raw, i)
        if rule is not None:
            rules.append(rule)
    if r.problems:
        raise InputFileError(f"{source}: the policy has {len(r.problems)} problem(s)", r.problems)
    return Policy(
        rules=tuple(rules),
        default=default,
        name=name,
        source=source,
        role_category=role_category,
        travel=travel,
        quorum_without=quorum_without,
    )


def _rule(r: _Reader, raw: Any, i: int) -> Rule | None:
    at: tuple[str | int, ...] = ("rules", i)
    if not isinstance(raw, Mapping):
        r.problem("a rule is a mapping with an 'action' and optional match keys", at)
        return None
    before = len(r.problems)
    for key in raw:
        if key not in (*_RULE_KEYS, "action", "why"):
            allowed = ", ".join((*_RULE_KEYS, "action", "why"))
            r.problem(f"unknown key; expected one of {allowed}", (*at, str(key)))
    action = None
    if "action" not in raw:
        r.problem("every rule needs an action", at)
    else:
        action = r.one(Action, raw["action"], (*at, "action"))
    categories = r.many(Category, raw["category"], (*at, "category")) if "category" in raw else None
    links = r.many(LinkKind, raw["link"], (*at, "link")) if "link" in raw else None
    kinds = r.many(ItemKind, raw["item_kind"], (*at, "item_kind")) if "item_kind" in raw else None
    bases = r.many(MatchBasis, raw["basis"], (*at, "basis")) if "basis" in raw else None
    why = raw.get("why", "")
    if not isinstance(why, str):
        r.problem("expected text", (*at, "why"))
    if action is None or len(r.problems) > before:
        return None
    return Rule(i + 1, action, categories, links, kinds, bases, why.strip())


# libyaml's safe loader where available: the commented default policy is read by every
# command that checks a meeting.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def governing_body(body_id: str, bodies: Iterable[Body]) -> Body | None:
    """The body whose own policy checks ``body_id``'s meetings: the body itself if it has a
    policy, else the nearest parent that has one (up the levels of, say, a Children's
    Trust); ``None`` when none does and the packaged default applies. A cycle of parents
    (refused on load, so only from hand-edited data) ends the walk instead of looping."""
    by_id = {b.id: b for b in bodies}
    current, seen = by_id.get(body_id), set[str]()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if current.policy:
            return current
        current = by_id.get(current.parent) if current.parent else None
    return None


def policy_label(body: Body, bodies: Iterable[Body]) -> str:
    """Which policy checks ``body``'s meetings, in words: its own (by the policy's name),
    a parent's, or the default."""
    source = governing_body(body.id, bodies)
    if source is None:
        return "the default (NHS England's guidance)"
    try:
        data = yaml.load(source.policy, Loader=_LOADER) or {}
    except yaml.YAMLError:  # checked when loaded; only a database edited by hand lands here
        data = {}
    name = data.get("name") if isinstance(data, dict) else None
    label = f'"{name}"' if name else "a policy of its own"
    return label if source.id == body.id else f"{label}, from {source.name} ({source.id})"


def default_policy_path() -> Path:
    """Where the packaged default policy is."""
    return Path(str(resources.files("coi") / "data" / "policy.yaml"))


def load_policy() -> Policy:
    """The packaged NHS England default policy.

    A policy file a person gives (``--policy``, a body's ``policy:``) is read by
    ``coi.formats.yamlread.read_policy``: it may be hostile (huge, an alias bomb), and its
    problems name lines. The packaged file is neither, so this pure read serves the rules'
    own tests and the benchmarks.
    """
    text = default_policy_path().read_text(encoding="utf-8")
    return policy_from_dict(yaml.load(text, Loader=_LOADER), str(default_policy_path()))
