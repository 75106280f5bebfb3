"""The register's integrity rules, with no file and no database: references and cycles."""

from __future__ import annotations

from coi.domain.integrity import (
    Ref,
    body_cycles,
    cycles,
    missing_references,
    relation_cycles,
)
from coi.domain.model import Body, Relation
from coi.domain.words import RelationKind
from coi.errors import Problem


def at(line: int, fld: str) -> Problem:
    return Problem("", file="r.yaml", line=line, field=fld)


def rel(source: str, kind: RelationKind, target: str) -> Relation:
    return Relation(id=f"{source}.{kind}.{target}", source=source, kind=kind, target=target)


def test_a_reference_to_an_unknown_id_is_a_problem_with_a_hint() -> None:
    refs = [
        Ref("organisations", "the-zon", at(9, "affiliations[0].organisation")),
        Ref("people", "alex", at(10, "affiliations[1].person")),
        Ref("bodies", "nowhere", at(11, "seats[0].body")),
    ]
    ids = {"organisations": {"the-zone", "harbour"}, "people": {"alex"}}
    assert [str(p) for p in missing_references(refs, ids)] == [
        "r.yaml:9: affiliations[0].organisation: no organisation with id 'the-zon' "
        "(did you mean 'the-zone'?)",
        "r.yaml:11: seats[0].body: no body with id 'nowhere'",
    ]


def test_a_member_of_cycle_is_reported_at_a_relation_from_the_files() -> None:
    kind = RelationKind.MEMBER_OF
    located = [
        (rel("a", kind, "b"), at(2, "relations[0]")),
        (rel("b", kind, "c"), at(3, "relations[1]")),
    ]
    problems = relation_cycles(located, [(kind.value, "c", "a")])
    assert [str(p) for p in problems] == [
        "r.yaml:2: relations[0]: relations form a cycle: a member_of b member_of c member_of a"
    ]


def test_partners_may_be_mutual_and_stored_cycles_are_not_the_files_fault() -> None:
    partner = RelationKind.PARTNER_OF
    located = [(rel("a", partner, "b"), at(2, "r[0]")), (rel("b", partner, "a"), at(3, "r[1]"))]
    assert relation_cycles(located) == []
    stored = [("subsidiary_of", "x", "y"), ("subsidiary_of", "y", "x")]
    assert relation_cycles([], stored) == []


def test_bodies_under_each_other_are_a_cycle_at_the_parent_field() -> None:
    bodies = [
        (Body(id="a", name="A", parent="b"), at(2, "bodies[0]")),
        (Body(id="b", name="B"), at(3, "bodies[1]")),
    ]
    problems = body_cycles(bodies, {"b": "a"})
    # The file says b has no parent, which replaces the stored one: no cycle.
    assert problems == []
    problems = body_cycles(bodies[:1], {"b": "a"})
    assert [str(p) for p in problems] == [
        "r.yaml:2: bodies[0].parent: bodies sit under each other in a cycle: a under b under a"
    ]


def test_cycles_finds_each_loop_once_and_ignores_trees() -> None:
    assert cycles([("a", "b"), ("b", "c")]) == []
    assert cycles([("a", "b"), ("b", "a"), ("c", "c")]) == [["a", "b", "a"], ["c", "c"]]
