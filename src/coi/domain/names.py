"""Organisation names: normalising them, and finding which organisations a piece of text names.

Normalising folds case and accents, reads ``&`` and ``+`` as "and", drops possessive
``'s`` and other apostrophes, turns all other punctuation into word breaks, and strips
legal-form suffixes (Ltd, CIC, Community Interest Company, plc, LLP, CIO, Trust ...) at the
*end* of a name only. "Trust" is also a word that carries meaning ("Children's Trust" is a
body, not a company called "Children's"), so it is stripped only when at least two
significant words remain.

:class:`NameIndex` is built once from the organisations. It maps every normalised name
and alias to its organisations (read with "St" as "Saint", and also without an NHS
trust's "NHS (Foundation) Trust"), and finds exact mentions by sliding word windows over
the normalised text (cost: words x longest name, never organisations x items). A name or
alias the register writes as one word in capitals ("PCP") is an acronym and names its
organisation only where the text writes it in capitals.

Fuzzy mentions, names as people write them, are looked for only among the few names that
share a *rare* word with the text (found through an index of one-letter deletions, so a
misspelt rare word still finds its name), whose two words the text writes as one
("Youngdevon"), or one of whose words the text writes as two ("Health Watch"). Each
candidate's words are lined up with the text's (``name_align``): words left out, added,
misspelt, joined or split; rules refuse the near-misses ("Plymouth Hospice" is not St
Luke's Hospice Plymouth), rapidfuzz scores the rest. Initials of a name of three words or
more ("PRT" for Plym Recovery Trust) are a fuzzy match too, taken only when written in
capitals as a word of their own. A fuzzy mention always says so and carries its score.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from coi.domain.model import Organisation
from coi.domain.name_align import align, judge
from coi.domain.name_words import COMMON_ACRONYMS, STOPWORDS, WEAK_WORDS

NameBasis = Literal["name", "alias", "fuzzy"]

# A token is a run of letters/digits, possibly joined by apostrophes (Children's), or an
# ampersand/plus standing for "and".
_TOKEN = re.compile(r"[&+]|[^\W_]+(?:['\u2019\u02bc`][^\W_]+)*")
_APOSTROPHES = "'\u2019\u02bc`"
# A lower-case letter followed by a capital: where a camel-case word splits.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

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
_STOPWORDS = STOPWORDS

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
    """The normalised words of ``text`` with their character spans in the original.

    A word written in camel case is two words ("YoungDevon" is "young devon"), as people
    join a name's words that way in file names, hashtags and e-mail subjects.
    """
    out = []
    if _CAMEL.search(text) is None:
        # Most texts have no camel-case word: the plain loop, without splitting each word.
        for m in _TOKEN.finditer(text):
            word = _fold(m.group())
            if word:
                out.append((word, m.start(), m.end()))
        return out
    for m in _TOKEN.finditer(text):
        start = m.start()
        for part in _CAMEL.split(m.group()):
            word = _fold(part)
            if word:
                out.append((word, start, start + len(part)))
            start += len(part)
    return out


def normalise_text(text: str) -> str:
    """``text`` as normalised words separated by single spaces (no suffix stripping)."""
    return " ".join(word for word, _, _ in tokenise(text))


def _significant(words: list[str]) -> int:
    return len(words) - (1 if words and words[0] == "the" else 0)


def _strip_suffixes(words: list[str], *, weak: bool = True) -> list[str]:
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
            if weak and words[-1] in WEAK_SUFFIXES and _significant(words[:-1]) >= 2:
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


# Words written two ways for one meaning, read as one in matching ("St Luke's" and
# "Saint Luke's"). Only the index reads them so; normalise_name keeps the words as written.
_SYNONYMS = {"st": "saint", "centre": "center"}

# How the NHS names its trusts; dropped like a legal form when two words remain.
_NHS_FORMS: tuple[tuple[str, ...], ...] = (
    ("nhs", "foundation", "trust"),
    ("nhs", "trust"),
    ("foundation", "trust"),
    ("nhs",),
)


def _match_word(word: str) -> str:
    return _SYNONYMS.get(word, word)


def _match_words(text: str) -> list[tuple[str, int, int]]:
    return [(_match_word(w), s, e) for w, s, e in tokenise(text)]


def _without_nhs_form(words: list[str]) -> list[str]:
    for form in _NHS_FORMS:
        n = len(form)
        if len(words) >= n + 2 and tuple(words[-n:]) == form:
            return words[:-n]
    return words


def name_keys(name: str) -> set[str]:
    """Every normalised form under which a name is looked up in text."""
    return _keys_of([_match_word(w) for w, _, _ in tokenise(name)])


def _keys_of(words: list[str]) -> set[str]:
    keys = {" ".join(words), _canonical(words), " ".join(_without_nhs_form(words))}
    return {k for k in keys if k}


def initials(name: str) -> set[str]:
    """The acronyms a name of three words or more is known by, in capitals.

    "Plym Recovery Trust" gives PRT; "Devon Partnership NHS Trust" DPNT and DPT;
    "Plymouth Access to Housing" PATH and PAH (with and without its small words).
    """
    return _initials_of([w for w, _, _ in tokenise(name)])


def _initials_of(words: list[str]) -> set[str]:
    if len(words) < 3 or not "".join(w[0] for w in words).isalpha():
        return set()
    legal = _strip_suffixes(words, weak=False)
    forms = {
        tuple(legal),
        tuple(_without_nhs_form(legal)),
        tuple(w for w in legal if w != "nhs"),
        tuple(_strip_suffixes(words)),
    }
    found: set[str] = set()
    for form in forms:
        if form and form[0] == "the":
            form = form[1:]
        if sum(1 for w in form if w not in STOPWORDS) < 3:
            continue
        found.add("".join(w[0] for w in form).upper())
        found.add("".join(w[0] for w in form if w not in STOPWORDS).upper())
    return found


def _is_acronym(name: str) -> bool:
    """A name written as one word in capitals ("PCP", "ACT"): matched only as written."""
    letters = name.strip()
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One organisation named in a text: how, by which of its names, and where."""

    organisation: str
    basis: NameBasis
    name: str  # the register's name or alias that matched, as written there
    text: str  # the words of the searched text that matched, as written there
    score: float  # 100.0 for an exact match; the fuzzy score (see name_align) for a fuzzy one
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
    acronym: bool = False  # written in capitals in the register: matched only so in text


_BASIS_RANK = {"name": 0, "alias": 1, "fuzzy": 2}

_NO_WORDS: frozenset[str] = frozenset()

# A word shared by this many organisations (or one in a hundred, if more) tells none of
# them apart: it may be left out of a name like a place or a generic word.
_COMMON_ORGS = 3

# Initials derived from a name score by their length: three letters are a guess that
# collides more often than five.
_INITIALS_SCORE = {3: 91.0, 4: 94.0}
_INITIALS_LONG_SCORE = 96.0


class _WeakWords:
    """Words a name may leave out: the built-in weak words, and any word the names of
    ``_COMMON_ORGS`` organisations (or one in a hundred) share. Counted when first asked,
    so that building the index costs nothing for words no match ever leaves out."""

    def __init__(self, index: NameIndex) -> None:
        self._index = index
        self._known: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in WEAK_WORDS:
            return True
        found = self._known.get(word)
        if found is None:
            ix = self._index
            orgs = {
                e.organisation
                for key_id in ix._token_keys.get(word, ())
                for e in ix._exact[ix._keys[key_id]]
            }
            found = self._known[word] = len(orgs) >= ix._common
        return found


@dataclass(frozen=True, slots=True)
class _Search:
    """One text being searched for fuzzy mentions, and where its exact ones lie."""

    text: str
    toks: list[tuple[str, int, int]]
    taken: list[tuple[int, int]]  # word spans of exact matches
    threshold: float
    offer: Callable[[NameMatch], None]
    exact_orgs: set[str]  # organisations already named exactly


class NameIndex:
    """Every organisation name and alias, indexed for finding mentions in agenda text."""

    def __init__(
        self, organisations: Iterable[Organisation], *, rare_token_limit: int = RARE_TOKEN_LIMIT
    ) -> None:
        self.rare_token_limit = rare_token_limit
        entries: dict[str, set[_Entry]] = defaultdict(set)
        by_initials: dict[str, set[_Entry]] = defaultdict(set)
        count = 0
        for org in organisations:
            count += 1
            for basis, label in (("name", org.name), *(("alias", a) for a in org.aliases)):
                entry = _Entry(org.id, basis, label, _is_acronym(label))  # type: ignore[arg-type]
                written = [w for w, _, _ in tokenise(label)]
                words = [_match_word(w) for w in written]
                for key in _keys_of(words):
                    entries[key].add(entry)
                for letters in _initials_of(written):
                    by_initials[letters].add(_Entry(org.id, "fuzzy", org.name))
        # Sorted so that results never depend on the order organisations came in.
        self._exact: dict[str, tuple[_Entry, ...]] = {
            key: tuple(sorted(found, key=lambda e: (e.organisation, _BASIS_RANK[e.basis], e.name)))
            for key, found in entries.items()
        }
        # Initials stand for an organisation only when they stand for one alone, are no
        # declared name or alias, and are no everyday acronym (NHS, ICB, SEND...).
        self._initials: dict[str, _Entry] = {
            letters: next(iter(found))
            for letters, found in by_initials.items()
            if len({e.organisation for e in found}) == 1
            and letters.casefold() not in self._exact
            and letters not in COMMON_ACRONYMS
        }
        self._common = max(_COMMON_ORGS, count // 100)
        self._weak = _WeakWords(self)
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
        joined: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, words_of in enumerate(self._key_words):
            for word in set(words_of):
                token_keys[word].append(i)
            # Two of a name's words written as one ("YoungDevon", "Youngdevon").
            for j in range(len(words_of) - 1):
                pair = words_of[j] + words_of[j + 1]
                if len(pair) >= 6 and pair.isalpha():
                    joined[pair].append((i, j))
        self._token_keys: dict[str, list[int]] = dict(token_keys)
        self._joined: dict[str, list[tuple[int, int]]] = dict(joined)
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
        not also name "Harbour"). A name or alias the register writes in capitals as one
        word ("PCP") is an acronym: it names the organisation only where the text writes
        it in capitals too, unless the whole text is in capitals. A fuzzy match is kept
        only when its score is at least ``threshold``, its organisation is not named
        exactly, and its words are not already part of an exact match.
        """
        toks = _match_words(text)
        words = [w for w, _, _ in toks]
        cased = any(c.islower() for c in text)
        spans = []
        for i, j, found in self._exact_spans(words):
            written = text[toks[i][1] : toks[j - 1][2]]
            if cased and not written.isupper():
                found = tuple(e for e in found if not e.acronym)
            if found:
                spans.append((i, j, found))
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
            search = _Search(text, toks, [(i, j) for i, j, _ in spans], threshold, offer, set(best))
            self._fuzzy(search, cased)
            if cased:
                self._by_initials(search)
        return sorted(best.values(), key=lambda m: (m.start, m.organisation))

    def _by_initials(self, search: _Search) -> None:
        """Initials written in capitals as a word of their own, in a text not all capitals.

        Case decides: "ACT" in "the ACT bid" may be initials, "act" and "Act" ("the Care
        Act") never are; and a whole word only, never letters inside another word.
        """
        if not self._initials:
            return
        text, toks = search.text, search.toks
        for p, (_, start, end) in enumerate(toks):
            written = text[start:end]
            if not (3 <= len(written) <= 8 and written.isalpha() and written.isupper()):
                continue
            entry = self._initials.get(written)
            if entry is None or entry.organisation in search.exact_orgs:
                continue
            if any(a <= p < b for a, b in search.taken):
                continue
            before = [w for w, _, _ in toks[max(0, p - 2 * len(written)) : p]]
            spelt = "".join(w[0] for w in before if w not in _STOPWORDS)
            if spelt.upper().endswith(written):
                # "Community Health Services (CHS)": the text defines its own initials.
                continue
            score = _INITIALS_SCORE.get(len(written), _INITIALS_LONG_SCORE)
            if score >= search.threshold:
                search.offer(
                    NameMatch(entry.organisation, "fuzzy", entry.name, written, score, start, end)
                )

    def _candidates(self, words: list[str], skip: list[bool]) -> Iterator[tuple[int, int]]:
        """(name key, text position where the key would start) for every fuzzy candidate.

        Only through a rare word of a name (or a misspelling of one), a text word that is
        two of a name's words joined, or two text words that join into a rare word.
        """
        n = len(words)
        for p, word in enumerate(words):
            if skip[p]:
                # A word inside an exact match never starts a fuzzy one.
                continue
            for near in self._rare_neighbours(word):
                for key_id in self._token_keys[near]:
                    yield key_id, p - self._key_words[key_id].index(near)
            for key_id, j in self._joined.get(word, ()):
                yield key_id, p - j
            if p + 1 < n:
                both = word + words[p + 1]
                for near in self._near.get(both, _NO_WORDS):
                    if near == both:
                        for key_id in self._token_keys[near]:
                            yield key_id, p - self._key_words[key_id].index(near)

    def _fuzzy(self, search: _Search, cased: bool) -> None:
        text, toks = search.text, search.toks
        words = [w for w, _, _ in toks]
        n = len(words)
        # covered[i]: how many of the first i words lie in exact matches, so that a window
        # is tested against all of them in constant time.
        covered = [0] * (n + 1)
        marks = [False] * n
        for a, b in search.taken:
            for i in range(a, b):
                marks[i] = True
        for i, mark in enumerate(marks):
            covered[i + 1] = covered[i] + mark
        for key_id, at in sorted(set(self._candidates(words, marks))):
            key = self._key_words[key_id]
            lo, hi = max(0, at - 2), min(n, at + len(key) + 2)
            found = align(key, words, lo, hi, self._token_keys)
            if found is None or covered[found.end] - covered[found.start]:
                continue
            score = judge(key, words, found, self._weak)
            if score is None or score < search.threshold:
                continue
            start, end = toks[found.start][1], toks[found.end - 1][2]
            if cased and not any(c.isupper() for c in text[start:end]):
                # Names are written with capitals; "access to housing in Plymouth" as
                # lower-case prose is a description, not a name.
                continue
            for entry in self._exact[self._keys[key_id]]:
                if entry.organisation in search.exact_orgs:
                    continue
                search.offer(
                    NameMatch(
                        entry.organisation, "fuzzy", entry.name, text[start:end], score, start, end
                    )
                )
