"""The labelled name pairs (tests/data/name_pairs.csv) and how well the name index does on them.

Each row is a text as a secretary might write it in an agenda, an organisation's
registered name and aliases, and whether the text must name that organisation. Every
organisation in the file goes into one register, so a near-miss has to be told apart from
all of them at once, as in `coi check`. Used by tests/test_name_pairs.py and
benchmarks/bench_names.py.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from coi.domain.model import Organisation
from coi.domain.names import NameIndex

PAIRS = Path(__file__).parent / "data" / "name_pairs.csv"


@dataclass(frozen=True)
class Pair:
    line: int
    text: str
    organisation: str
    must_match: bool
    case: str


@dataclass(frozen=True)
class Score:
    threshold: float
    true_pos: int
    false_pos: int
    false_neg: int
    true_neg: int
    misses: tuple[Pair, ...]
    wrong: tuple[Pair, ...]

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0


def _org_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold().replace("'", "")).strip("-")


def load_pairs(path: Path = PAIRS) -> tuple[list[Organisation], list[Pair]]:
    """The register the pairs name, and the pairs."""
    orgs: dict[str, Organisation] = {}
    pairs: list[Pair] = []
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            org_id = _org_id(row["name"])
            aliases = tuple(a for a in row["aliases"].split("|") if a)
            org = Organisation(org_id, row["name"], aliases=aliases)
            if orgs.setdefault(org_id, org) != org:
                raise ValueError(f"{path}:{line}: {row['name']} has other aliases above")
            if row["match"] not in ("yes", "no"):
                raise ValueError(f"{path}:{line}: match must be yes or no")
            pairs.append(Pair(line, row["text"], org_id, row["match"] == "yes", row["case"]))
    return list(orgs.values()), pairs


def score(index: NameIndex, pairs: list[Pair], threshold: float) -> Score:
    """Precision and recall of ``index.find_named`` over the pairs at ``threshold``."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    misses: list[Pair] = []
    wrong: list[Pair] = []
    for pair in pairs:
        found = {m.organisation for m in index.find_named(pair.text, threshold)}
        hit = pair.organisation in found
        if pair.must_match:
            counts["tp" if hit else "fn"] += 1
            if not hit:
                misses.append(pair)
        else:
            counts["fp" if hit else "tn"] += 1
            if hit:
                wrong.append(pair)
    return Score(
        threshold,
        counts["tp"],
        counts["fp"],
        counts["fn"],
        counts["tn"],
        tuple(misses),
        tuple(wrong),
    )
