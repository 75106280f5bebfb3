"""Lining a name's words up with the words of a text, and scoring the match.

The name's words are aligned in order with a stretch of the text's words: each name word
is written (the same word or one that stands for it, see ``name_words.stands_for``),
written joined with the next ("YoungDevon" for "young devon"), written split in two
("Health Watch" for "healthwatch"), or left out; a text word inside the stretch that is
not part of the name is an added word. A substituted word is never an alignment step:
"St Luke's Church" is "Hospice" left out and "Church" added, which the rules below refuse.

The alignment then passes or fails these rules (each a way a near-miss looks like a name):

- only weak words (places, generic words, stopwords) may be left out, at most one (two in
  a name of four words or more, and then only places and regions), and at least two of
  the name's words must be written:
  "Plymouth Hospice" leaves out "Luke" and fails; "Young" alone is not Young Devon;
- a name made only of weak words leaves nothing out ("Plymouth Partnership" is not
  Plymouth Community Partnership);
- at most one added word that is not a stopword, only a weak one, and only when nothing
  was left out: leaving one word out and adding another is a different name;
- a left-out first or last word may not sit next to a weak word the text has in its place
  ("Age UK Cornwall" is not Age UK Plymouth);
- a word that makes a name another body's or a place's may not follow the match
  ("Mount Edgcumbe House", "Plymouth Argyle Football Club", "St Petroc's Church").

What passes is scored by rapidfuzz: ``fuzz.ratio`` of the name's written words against
the text's words as written (normalised, a dropped apostrophe's "s" set aside), less
``DROP_COST`` for each word left out and ``ADD_COST`` for each word added. Misspellings,
joins and splits cost what the ratio says they cost.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from coi.domain.name_words import BODY_WORDS, REGION_WORDS, STOPWORDS, as_compared, stands_for

DROP_COST = 5.0
ADD_COST = 4.0
ADD_STOPWORD_COST = 1.0

_NONE = float("-inf")
# Steps of the alignment: (name words used, text words used, kind).
_MATCH, _JOIN, _SPLIT, _DROP, _ADD = range(5)


@dataclass(frozen=True, slots=True)
class Alignment:
    """A stretch ``start:end`` of the text's words lined up with a name's words."""

    start: int
    end: int
    dropped: tuple[int, ...]  # positions of the name's words left out
    added: tuple[int, ...]  # positions of text words inside the stretch not in the name
    kept: str  # the name's written words, space separated
    compared: str  # the stretch's words as compared with them


def align(
    key: Sequence[str], words: Sequence[str], lo: int, hi: int, known: Collection[str] = ()
) -> Alignment | None:
    """The best alignment of ``key`` with a stretch of ``words[lo:hi]``, or None."""
    m, n = len(key), hi - lo
    alone = m == 1
    # best[i][t]: the best value lining up key[:i] with a stretch ending before words[lo+t].
    best = [[_NONE] * (n + 1) for _ in range(m + 1)]
    back: list[list[tuple[int, int, int] | None]] = [[None] * (n + 1) for _ in range(m + 1)]
    for t in range(n + 1):
        best[0][t] = 0.0
    for i in range(1, m + 1):
        for t in range(n + 1):
            options: list[tuple[float, tuple[int, int, int]]] = []
            if best[i - 1][t] > _NONE:
                options.append((best[i - 1][t] - 1.0, (i - 1, t, _DROP)))
            if t:
                w = words[lo + t - 1]
                if best[i - 1][t - 1] > _NONE:
                    sim = stands_for(w, key[i - 1], alone=alone, known=known)
                    if sim:
                        options.append((best[i - 1][t - 1] + 2 * sim, (i - 1, t - 1, _MATCH)))
                if i >= 2 and best[i - 2][t - 1] > _NONE and w == key[i - 2] + key[i - 1]:
                    options.append((best[i - 2][t - 1] + 3.8, (i - 2, t - 1, _JOIN)))
                if t >= 2 and best[i - 1][t - 2] > _NONE and words[lo + t - 2] + w == key[i - 1]:
                    options.append((best[i - 1][t - 2] + 1.9, (i - 1, t - 2, _SPLIT)))
                if i < m and best[i][t - 1] > _NONE:
                    # An added word (those before the first name word or after the last
                    # are trimmed off the stretch below).
                    cost = 0.5 if w in STOPWORDS else 1.0
                    options.append((best[i][t - 1] - cost, (i, t - 1, _ADD)))
            if options:
                best[i][t], back[i][t] = max(options, key=lambda o: o[0])
    end = max(range(n + 1), key=lambda t: (best[m][t], -t))
    if best[m][end] <= 0:
        return None
    steps: list[tuple[int, int, int, int, int]] = []  # (name from, to, text from, to, kind)
    i, t = m, end
    while i > 0:
        step = back[i][t]
        if step is None:
            return None
        pi, pt, kind = step
        steps.append((pi, i, pt, t, kind))
        i, t = pi, pt
    steps.reverse()
    written = [s for s in steps if s[4] not in (_DROP, _ADD)]
    if not written:
        return None
    # The stretch runs from the first written name word to the last: added words outside
    # it are not part of the match.
    first, last = written[0][2], written[-1][3]
    dropped = tuple(s[0] for s in steps if s[4] == _DROP)
    added = tuple(lo + s[2] for s in steps if s[4] == _ADD and first <= s[2] < last)
    kept: list[str] = []
    compared: list[str] = []
    for pi, i, pt, t, kind in steps:
        if kind == _DROP or not first <= pt < last:
            continue
        if kind == _ADD:
            compared.append(words[lo + pt])
            continue
        kept.append(" ".join(key[pi:i]))
        if kind == _MATCH:
            compared.append(as_compared(words[lo + pt], key[pi]))
        else:
            compared.append(" ".join(words[lo + pt : lo + t]))
    return Alignment(lo + first, lo + last, dropped, added, " ".join(kept), " ".join(compared))


def judge(
    key: Sequence[str], words: Sequence[str], found: Alignment, weak: Container[str]
) -> float | None:
    """The match's score by the rules in this module's docstring, or None when it fails one."""
    m = len(key)
    written = m - len(found.dropped)
    if found.dropped:
        if any(key[i] not in weak for i in found.dropped):
            return None
        if len(found.dropped) > (2 if m >= 4 else 1) or written < 2:
            return None
        if len(found.dropped) > 1 and any(key[i] not in REGION_WORDS for i in found.dropped):
            return None
        if all(w in weak for w in key):
            return None
        if any(words[i] not in STOPWORDS for i in found.added):
            return None
        for edge, beside in ((0, found.start - 1), (m - 1, found.end)):
            if edge in found.dropped and 0 <= beside < len(words):
                near = words[beside]
                if near in weak and near not in STOPWORDS and near not in key:
                    return None
    if found.end < len(words):
        after = words[found.end]
        if after in BODY_WORDS and after not in key:
            return None
    content = [i for i in found.added if words[i] not in STOPWORDS]
    if len(content) > 1 or any(words[i] not in weak for i in content):
        return None
    score = fuzz.ratio(found.kept, found.compared)
    score -= DROP_COST * len(found.dropped)
    score -= ADD_COST * len(content) + ADD_STOPWORD_COST * (len(found.added) - len(content))
    # Never 100: that is an exact match, and this one is not ("Barnardos" is close).
    score = min(score, 99.0)
    return round(score, 1)
