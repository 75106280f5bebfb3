"""Hierarchical service-area tags: a tag overlaps its ancestors and descendants, not siblings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coi.domain.servicearea import ancestors, any_overlap, normalise, overlapping, overlaps


def test_normalise_folds_case_spaces_and_empty_levels() -> None:
    assert normalise(" Mental Health / Adult ") == "mental-health/adult"
    assert normalise("children_young_people//youth-work/") == "children-young-people/youth-work"
    assert normalise("--substance--misuse--") == "substance-misuse"
    assert normalise(" / ") == ""


def test_parent_covers_child_and_child_is_part_of_parent() -> None:
    assert overlaps("mental-health", "mental-health/adult")
    assert overlaps("mental-health/adult", "mental-health")
    assert overlaps("mental-health/adult/crisis", "mental-health")
    assert overlaps("Mental Health", "mental-health/adult")


def test_siblings_and_word_prefixes_do_not_overlap() -> None:
    assert not overlaps("mental-health/adult", "mental-health/children")
    assert not overlaps("mental", "mental-health")
    assert not overlaps("substance-misuse", "mental-health")
    assert not overlaps("", "mental-health")
    assert not overlaps("", "")


def test_ancestors_nearest_first() -> None:
    assert ancestors("a/b/c") == ["a/b/c", "a/b", "a"]
    assert ancestors("") == []


def test_overlapping_lists_the_pairs() -> None:
    pairs = overlapping(["mental-health", "housing"], ["mental-health/adult", "parks"])
    assert pairs == [("mental-health", "mental-health/adult")]
    assert not any_overlap(["housing"], ["parks", "mental-health"])


_level = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
_tag = st.lists(_level, min_size=1, max_size=4).map("/".join)


@given(_tag, _tag)
def test_overlap_is_symmetric(a: str, b: str) -> None:
    assert overlaps(a, b) == overlaps(b, a)


@given(_tag, _tag)
def test_a_tag_overlaps_every_descendant(a: str, rest: str) -> None:
    assert overlaps(a, a)
    assert overlaps(a, f"{a}/{rest}")


@given(_tag, _level, _level)
def test_distinct_siblings_never_overlap(parent: str, x: str, y: str) -> None:
    if x != y:
        assert not overlaps(f"{parent}/{x}", f"{parent}/{y}")
