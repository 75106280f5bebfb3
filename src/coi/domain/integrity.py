"""The register's integrity rules: references point at records that exist; no loops.

Pure functions over ids and located records, returning every problem found, so a reader
of files, a command and a test can each ask them without a database. ``Known`` is what
the database already holds; the store builds it and the file reader checks against it.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from coi.domain.model import Body, Relation
from coi.domain.words import RelationKind
from coi.errors import Problem

# The sections a reference may point at, and the noun each is called by in a message.
ORG, PERSON, BODY, SEAT, MEETING = "organisations", "people", "bodies", "seats", "meetings"
NOUN = {ORG: "organisation", PERSON: "person", BODY: "body", SEAT: "seat", MEETING: "meeting"}

# Relations whose direction means "inside": following them must never come back.
ACYCLIC_RELATIONS = (RelationKind.MEMBER_OF, RelationKind.SUBSIDIARY_OF)


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference from one record to another, kept with its location for the exists check."""

    kind: str
    id: str
    where: Problem


@dataclass
class Known:
    """What the database already holds, so files can refer to it and upserts stay consistent."""

    ids: Mapping[str, set[str]] = field(default_factory=dict)
    timezones: Mapping[str, str] = field(default_factory=dict)
    relations: Sequence[tuple[str, str, str]] = ()
    body_parents: Mapping[str, str | None] = field(default_factory=dict)


def at(where: Problem, message: str) -> Problem:
    """The problem ``message`` at the place ``where`` names."""
    return Problem(message, file=where.file, line=where.line, field=where.field)


def missing_references(refs: Iterable[Ref], ids: Mapping[str, set[str]]) -> list[Problem]:
    """Each reference to an id that ``ids`` (per section) lacks, with the closest id as a hint."""
    out = []
    for ref in refs:
        pool = ids.get(ref.kind, set())
        if ref.id in pool:
            continue
        close = difflib.get_close_matches(ref.id, sorted(pool), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        out.append(at(ref.where, f"no {NOUN.get(ref.kind, ref.kind)} with id {ref.id!r}{hint}"))
    return out


def relation_cycles(
    relations: Iterable[tuple[Relation, Problem]], stored: Iterable[tuple[str, str, str]] = ()
) -> list[Problem]:
    """member_of and subsidiary_of must not loop back: nothing is its own parent or member.

    ``relations`` are the new ones with where each was written; ``stored`` the (kind,
    source, target) already in the database. A loop made only of stored relations is not
    reported: the user sees each problem where they can fix it.
    """
    by_pair = {(r.kind, r.source, r.target): where for r, where in relations}
    edges_by_kind: dict[str, set[tuple[str, str]]] = {}
    for kind, source, target in [*stored, *by_pair]:
        edges_by_kind.setdefault(kind, set()).add((source, target))
    out = []
    for kind in ACYCLIC_RELATIONS:
        for cycle in cycles(edges_by_kind.get(kind, set())):
            pairs = itertools.pairwise(cycle)
            spot = next((by_pair[(kind, a, b)] for a, b in pairs if (kind, a, b) in by_pair), None)
            if spot is not None:
                out.append(at(spot, f"relations form a cycle: {f' {kind} '.join(cycle)}"))
    return out


def body_cycles(
    bodies: Iterable[tuple[Body, Problem]], stored: Mapping[str, str | None] | None = None
) -> list[Problem]:
    """No body sits under itself through its parents; reported at a body's ``parent``."""
    parents = {k: v for k, v in (stored or {}).items() if v}
    located: dict[str, Problem] = {}
    for body, where in bodies:
        if body.parent:
            parents[body.id] = body.parent
            located[body.id] = where
        else:
            parents.pop(body.id, None)
    out = []
    for cycle in cycles(parents.items()):
        spot = next((located[b] for b in cycle if b in located), None)
        if spot is not None:
            message = f"bodies sit under each other in a cycle: {' under '.join(cycle)}"
            out.append(
                Problem(message, file=spot.file, line=spot.line, field=f"{spot.field}.parent")
            )
    return out


def cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Every cycle's nodes (one representative list per cycle) in a directed graph."""
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    found: list[list[str]] = []
    for root in sorted(graph):
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph.get(root, []))))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(graph.get(nxt, [])))))
    return found
