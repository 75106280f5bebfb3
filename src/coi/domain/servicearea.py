"""Hierarchical service-area tags (`mental-health/adult`): normalising them, telling overlaps.

A tag overlaps its ancestors and its descendants: ``mental-health`` covers
``mental-health/adult`` and ``mental-health/adult`` is part of ``mental-health``, so an
interest in either is an interest in an item about the other. Siblings
(``mental-health/adult`` and ``mental-health/children``) do not overlap: a provider of
adult services is not thereby a provider of children's services.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SEPARATOR = "/"

_SPACES = re.compile(r"[\s_]+")
_DASHES = re.compile(r"-{2,}")


def normalise(tag: str) -> str:
    """The canonical form of a tag: lower case, words joined by ``-``, no empty levels.

    ``" Mental Health / Adult "`` becomes ``mental-health/adult``; an empty or all-slash
    tag becomes ``""``, which overlaps nothing.
    """
    levels = []
    for level in tag.split(SEPARATOR):
        word = _SPACES.sub("-", level.strip().casefold())
        word = _DASHES.sub("-", word).strip("-")
        if word:
            levels.append(word)
    return SEPARATOR.join(levels)


def ancestors(tag: str) -> list[str]:
    """The tag and every tag above it, nearest first: ``a/b/c`` -> ``[a/b/c, a/b, a]``."""
    norm = normalise(tag)
    if not norm:
        return []
    levels = norm.split(SEPARATOR)
    return [SEPARATOR.join(levels[:n]) for n in range(len(levels), 0, -1)]


def _covers(upper: str, lower: str) -> bool:
    # A plain prefix test would let "mental" cover "mental-health"; the level separator
    # must follow the prefix.
    return upper == lower or lower.startswith(upper + SEPARATOR)


def overlaps(a: str, b: str) -> bool:
    """True when one tag is the other, an ancestor of it, or a descendant of it."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    return _covers(na, nb) or _covers(nb, na)


def overlapping(first: Iterable[str], second: Iterable[str]) -> list[tuple[str, str]]:
    """Every pair (tag of ``first``, tag of ``second``) that overlaps, normalised, sorted."""
    left = sorted({n for n in (normalise(t) for t in first) if n})
    right = sorted({n for n in (normalise(t) for t in second) if n})
    return [(a, b) for a in left for b in right if _covers(a, b) or _covers(b, a)]


def any_overlap(first: Iterable[str], second: Iterable[str]) -> bool:
    """True when some tag of ``first`` overlaps some tag of ``second``."""
    return bool(overlapping(first, second))
