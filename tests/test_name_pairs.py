"""The labelled name pairs: recall at least 0.95 at precision at least 0.98 at the default
threshold, and the three misses of issue 11 found."""

from __future__ import annotations

import pytest

from coi.domain.conflicts import DEFAULT_FUZZY_THRESHOLD
from coi.domain.names import NameIndex
from name_pairs import Pair, load_pairs, score


@pytest.fixture(scope="module")
def index_and_pairs() -> tuple[NameIndex, list[Pair]]:
    orgs, pairs = load_pairs()
    return NameIndex(orgs), pairs


def test_the_set_is_large_and_has_both_kinds() -> None:
    _, pairs = load_pairs()
    assert len(pairs) >= 300
    assert sum(p.must_match for p in pairs) >= 150
    assert sum(not p.must_match for p in pairs) >= 150


def test_recall_and_precision_at_the_default_threshold(
    index_and_pairs: tuple[NameIndex, list[Pair]],
) -> None:
    index, pairs = index_and_pairs
    result = score(index, pairs, DEFAULT_FUZZY_THRESHOLD)
    wrong = [f"line {p.line}: {p.text!r} ({p.case})" for p in result.wrong]
    missed = [f"line {p.line}: {p.text!r} ({p.case})" for p in result.misses]
    assert result.precision >= 0.98, wrong
    assert result.recall >= 0.95, missed


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ("St Lukes Hospice", "st-lukes-hospice-plymouth"),
        ("Barnados", "barnardos"),
        ("YoungDevon", "young-devon"),
    ],
)
def test_the_three_misses_of_issue_11_are_found(
    index_and_pairs: tuple[NameIndex, list[Pair]],
    text: str,
    organisation: str,
) -> None:
    index, _ = index_and_pairs
    found = index.find_named(f"Update from {text} on the contract", DEFAULT_FUZZY_THRESHOLD)
    assert [m.organisation for m in found] == [organisation]
