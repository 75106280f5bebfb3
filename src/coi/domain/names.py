"""Organisation names: normalising them, and finding which organisations a piece of text names.

Normalising folds case and accents, reads ``&`` and ``+`` as "and", drops possessive
``'s`` and other apostrophes, turns all other punctuation into word breaks, and strips
legal-form suffixes (Ltd, CIC, Community Interest Company, plc, LLP, CIO, Trust ...) at the
*end* of a name only. "Trust" is also a word that carries meaning ("Children's Trust" is a
body, not a company called "Children's"), so it is stripped only when at least two
significant words remain.

:class:`NameIndex` is built once from the organisations. It maps every normalised name
and alias to its organisations, and finds exact mentions by sliding word windows over the
normalised text (cost: words x longest name, never organisations x items). Fuzzy mentions
(misspellings, a dropped word) are scored with rapidfuzz only against the few names that
share a *rare* word with the text, found through an index of one-letter deletions so
that a misspelt rare word still finds its name; a fuzzy mention always says so and
carries its score.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from coi.domain.model import Organisation

NameBasis = Literal["name", "alias", "fuzzy"]

# A token is a run of letters/digits, possibly joined by apostrophes (Children's), or an
# ampersand/plus standing for "and".
_TOKEN = re.compile(r"[&+]|[^\W_]+(?:['\u2019\u02bc`][^\W_]+)*")
_APOSTROPHES = "'\u2019\u02bc`"

# Legal forms, as normalised token sequences. Several may stack ("... CIC Ltd").
LEGAL_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        {
            ("ltd",),
            ("limited",),
            ("ltd", "by", "guarantee"),
            ("limited", "by", "guarantee"),
            ("company", "limited", "by", "guarantee"),
            ("cic",),
            ("c", "i", "c"),
            ("community", "interest", "company"),
            ("plc",),
            ("p", "l", "c"),
            ("public", "limited", "company"),
            ("llp",),
            ("l", "l", "p"),
            ("limited", "liability", "partnership"),
            ("cio",),
            ("c", "i", "o"),
            ("charitable", "incorporated", "organisation"),
            ("charitable", "incorporated", "organization"),
            ("inc",),
            ("incorporated",),
            ("llc",),
            ("cyf",),
            ("cyfyngedig",),
        },
        key=lambda s: (-len(s), s),
    )
)

_SUFFIX_ENDS = frozenset(suffix[-1] for suffix in LEGAL_SUFFIXES)

# Words that are a legal form in some names and the substance of others.
WEAK_SUFFIXES: frozenset[str] = frozenset({"trust"})

# Words too common to make two names alike; never used to find fuzzy candidates.
_STOPWORDS = frozenset(
    {"the", "and", "of", "for", "in", "on", "at", "to", "a", "an", "with", "by", "from"}
)

# Fuzzy candidates come only through words held by at most this many names, and only
# words of at least this length are looked up with a one-letter tolerance.
RARE_TOKEN_LIMIT = 25
_TYPO_MIN_LENGTH = 5
_FUZZY_MIN_LENGTH = 4


@lru_cache(maxsize=1 << 16)
def _fold(token: str) -> str:
    if token in ("&", "+"):
        return "and"
    folded = unicodedata.normalize("NFKD", token.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    for mark in _APOSTROPHES:
        if folded.endswith(mark + "s"):
            folded = folded[:-2]
            break
    for mark in _APOSTROPHES:
        folded = folded.replace(mark, "")
    return folded


def tokenise(text: str) -> list[tuple[str, int, int]]:
    """The normalised words of ``text`` with their character spans in the original."""
    out = []
    for m in _TOKEN.finditer(text):
        word = _fold(m.group())
        if word:
            out.append((word, m.start(), m.end()))
    return out


def normalise_text(text: str) -> str:
    """``text`` as normalised words separated by single spaces (no suffix stripping)."""
    return " ".join(word for word, _, _ in tokenise(text))


def _significant(words: list[str]) -> int:
    return len(words) - (1 if words and words[0] == "the" else 0)


def _strip_suffixes(words: list[str]) -> list[str]:
    words = list(words)
    while True:
        if not words or (words[-1] not in _SUFFIX_ENDS and words[-1] not in WEAK_SUFFIXES):
            return words
        for suffix in LEGAL_SUFFIXES:
            n = len(suffix)
            if len(words) > n and tuple(words[-n:]) == suffix:
                words = words[:-n]
                break
        else:
            if words and words[-1] in WEAK_SUFFIXES and _significant(words[:-1]) >= 2:
                words = words[:-1]
                continue
            return words


def normalise_name(name: str) -> str:
    """The canonical form of an organisation name, for comparing names with each other.

    ``"Harbour Ltd"`` and ``"HARBOUR limited"`` both give ``harbour``; ``"Smith & Co"``
    gives ``smith and co``; ``"The Children's Trust"`` gives ``children trust`` (stripping
    "Trust" would leave one generic word); a leading "The" goes only when two words
    remain (``"The Zone"`` stays ``the zone``: "zone" alone would match any zone).
    """
    return _canonical([w for w, _, _ in tokenise(name)])


def _canonical(words: list[str]) -> str:
    words = _strip_suffixes(words)
    if len(words) >= 3 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def name_keys(name: str) -> set[str]:
    """Every normalised form under which a name is looked up in text."""
    words = [w for w, _, _ in tokenise(name)]
    keys = {" ".join(words), _canonical(words)}
    return {k for k in keys if k}


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One organisation named in a text: how, by which of its names, and where."""

    organisation: str
    basis: NameBasis
    name: str  # the register's name or alias that matched, as written there
    text: str  # the words of the searched text that matched, as written there
    score: float  # 100.0 for an exact match; the rapidfuzz ratio for a fuzzy one
    start: int
    end: int

    @property
    def exact(self) -> bool:
        return self.basis != "fuzzy"


@dataclass(frozen=True, slots=True)
class _Entry:
    organisation: str
    basis: NameBasis
    name: str


_BASIS_RANK = {"name": 0, "alias": 1, "fuzzy": 2}


_NO_WORDS: frozenset[str] = frozenset()


class NameIndex:
    """Every organisation name and alias, indexed for finding mentions in agenda text."""

    def __init__(
        self, organisations: Iterable[Organisation], *, rare_token_limit: int = RARE_TOKEN_LIMIT
    ) -> None:
        self.rare_token_limit = rare_token_limit
        entries: dict[str, set[_Entry]] = defaultdict(set)
        for org in organisations:
            for key in name_keys(org.name):
                entries[key].add(_Entry(org.id, "name", org.name))
            for alias in org.aliases:
                for key in name_keys(alias):
                    entries[key].add(_Entry(org.id, "alias", alias))
        # Sorted so that results never depend on the order organisations came in.
        self._exact: dict[str, tuple[_Entry, ...]] = {
            key: tuple(sorted(found, key=lambda e: (e.organisation, _BASIS_RANK[e.basis], e.name)))
            for key, found in entries.items()
        }
        self._prefixes: set[str] = set()
        self._longest = 0
        for key in self._exact:
            words = key.split(" ")
            self._longest = max(self._longest, len(words))
            for n in range(1, len(words) + 1):
                self._prefixes.add(" ".join(words[:n]))
        self._keys: list[str] = sorted(self._exact)
        self._key_words: list[tuple[str, ...]] = [tuple(k.split(" ")) for k in self._keys]
        token_keys: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self._keys):
            for word in set(key.split(" ")):
                token_keys[word].append(i)
        self._token_keys: dict[str, list[int]] = dict(token_keys)
        near: dict[str, set[str]] = defaultdict(set)
        for word, ids in self._token_keys.items():
            if len(ids) > rare_token_limit or word in _STOPWORDS:
                continue
            near[word].add(word)
            if len(word) >= _TYPO_MIN_LENGTH:
                for d in _deletions(word):
                    near[d].add(word)
        # Kept as built (not copied into frozensets): at 10,000 organisations the copy
        # alone cost a third of the index's build time.
        self._near: dict[str, set[str]] = near

    def __len__(self) -> int:
        return len(self._keys)

    def lookup(self, name: str) -> list[str]:
        """Organisation ids whose name or alias normalises to the same as ``name``."""
        found: set[str] = set()
        for key in name_keys(name):
            found.update(e.organisation for e in self._exact.get(key, ()))
        return sorted(found)

    def _rare_neighbours(self, word: str) -> set[str]:
        if len(word) < _FUZZY_MIN_LENGTH or word in _STOPWORDS:
            return set()
        probes = {word}
        if len(word) >= _TYPO_MIN_LENGTH:
            probes |= _deletions(word)
        found: set[str] = set()
        for probe in probes:
            found |= self._near.get(probe, _NO_WORDS)
        return found

    def _exact_spans(self, words: list[str]) -> Iterator[tuple[int, int, tuple[_Entry, ...]]]:
        n = len(words)
        for i in range(n):
            key = ""
            for j in range(i, min(n, i + self._longest)):
                key = words[j] if j == i else key + " " + words[j]
                if key not in self._prefixes:
                    break
                found = self._exact.get(key)
                if found:
                    yield i, j + 1, found

    def find_named(
        self, text: str, threshold: float = 90.0, *, fuzzy: bool = True
    ) -> list[NameMatch]:
        """The organisations ``text`` names, one match each (the best), in text order.

        An exact match on a longer name hides matches inside it ("Harbour Housing" does
        not also name "Harbour"). A fuzzy match is kept only when its rapidfuzz ratio is
        at least ``threshold``, its organisation is not named exactly, and its words are
        not already part of an exact match.
        """
        toks = tokenise(text)
        words = [w for w, _, _ in toks]
        spans = list(self._exact_spans(words))
        spans = [
            (i, j, found)
            for i, j, found in spans
            if not any(a <= i and j <= b and (a, b) != (i, j) for a, b, _ in spans)
        ]
        best: dict[str, NameMatch] = {}

        def offer(match: NameMatch) -> None:
            old = best.get(match.organisation)
            if old is None or (
                (_BASIS_RANK[match.basis], -match.score, match.start)
                < (_BASIS_RANK[old.basis], -old.score, old.start)
            ):
                best[match.organisation] = match

        for i, j, found in spans:
            start, end = toks[i][1], toks[j - 1][2]
            for entry in found:
                offer(
                    NameMatch(
                        entry.organisation,
                        entry.basis,
                        entry.name,
                        text[start:end],
                        100.0,
                        start,
                        end,
                    )
                )
        if fuzzy and threshold <= 100.0:
            self._fuzzy(text, toks, [(i, j) for i, j, _ in spans], threshold, offer, set(best))
        return sorted(best.values(), key=lambda m: (m.start, m.organisation))

    def _fuzzy(
        self,
        text: str,
        toks: list[tuple[str, int, int]],
        taken: list[tuple[int, int]],
        threshold: float,
        offer: Callable[[NameMatch], None],
        exact_orgs: set[str],
    ) -> None:
        words = [w for w, _, _ in toks]
        n = len(words)
        # covered[i]: how many of the first i words lie in exact matches, so that a window
        # is tested against all of them in constant time.
        covered = [0] * (n + 1)
        marks = [False] * n
        for a, b in taken:
            for i in range(a, b):
                marks[i] = True
        for i, mark in enumerate(marks):
            covered[i + 1] = covered[i] + mark
        tried: set[tuple[int, int, int]] = set()
        for p, word in enumerate(words):
            candidates: set[tuple[int, int]] = set()
            for near in self._rare_neighbours(word):
                for key_id in self._token_keys[near]:
                    candidates.add((key_id, self._key_words[key_id].index(near)))
            for key_id, j in sorted(candidates):
                key = self._keys[key_id]
                size = len(self._key_words[key_id])
                # Windows that line the rare word up with the key's, allowing one word
                # missing or one word extra on either side of it.
                windows = (
                    (p - j, size),
                    (p - j, size - 1),
                    (p - j + 1, size - 1),
                    (p - j, size + 1),
                    (p - j - 1, size + 1),
                )
                for s, length in windows:
                    e = s + length
                    if length < 1 or s < 0 or e > n or not s <= p < e:
                        continue
                    if (key_id, s, e) in tried:
                        continue
                    tried.add((key_id, s, e))
                    if covered[e] - covered[s]:
                        continue
                    score = fuzz.ratio(key, " ".join(words[s:e]), score_cutoff=threshold)
                    if not score or score >= 100.0:
                        # 100 means the window is the key itself, already exact.
                        continue
                    start, end = toks[s][1], toks[e - 1][2]
                    for entry in self._exact[key]:
                        if entry.organisation in exact_orgs:
                            continue
                        offer(
                            NameMatch(
                                entry.organisation,
                                "fuzzy",
                                entry.name,
                                text[start:end],
                                round(score, 1),
                                start,
                                end,
                            )
                        )
