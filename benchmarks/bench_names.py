"""How well `coi check` finds organisation names as people write them: precision and recall.

    python benchmarks/bench_names.py             # the default threshold and a sweep
    python benchmarks/bench_names.py --list      # and every pair it gets wrong

Runs the name index (coi.domain.names.NameIndex) over the labelled pairs in
tests/data/name_pairs.csv: every organisation in the file in one register, each text
searched as an agenda item's text is, and the pair counted found when the text names its
organisation. A pair that must match and is found is a true positive; one that must not
and is found, a false positive. Also times the search, per text.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from coi.domain.conflicts import DEFAULT_FUZZY_THRESHOLD  # noqa: E402
from coi.domain.names import NameIndex  # noqa: E402
from name_pairs import load_pairs, score  # noqa: E402

SWEEP = (70.0, 80.0, 85.0, 88.0, 90.0, 92.0, 94.0, 95.0, 96.0, 98.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every pair got wrong")
    args = parser.parse_args()
    orgs, pairs = load_pairs()
    index = NameIndex(orgs)
    wanted = sum(p.must_match for p in pairs)
    print(
        f"{len(pairs)} pairs ({wanted} must match, {len(pairs) - wanted} must not),"
        f" {len(orgs)} organisations in one register"
    )
    start = time.perf_counter()
    result = score(index, pairs, DEFAULT_FUZZY_THRESHOLD)
    per_text = (time.perf_counter() - start) / len(pairs)
    print(
        f"\nat the default threshold {DEFAULT_FUZZY_THRESHOLD:g}: precision"
        f" {result.precision:.3f}, recall {result.recall:.3f}"
        f" (TP {result.true_pos}, FP {result.false_pos}, FN {result.false_neg},"
        f" TN {result.true_neg}); {per_text * 1e6:.0f} µs per text"
    )
    print(f"\n{'threshold':>9} {'precision':>9} {'recall':>7} {'TP':>4} {'FP':>4} {'FN':>4}")
    for threshold in SWEEP:
        r = score(index, pairs, threshold)
        print(
            f"{threshold:>9g} {r.precision:>9.3f} {r.recall:>7.3f}"
            f" {r.true_pos:>4} {r.false_pos:>4} {r.false_neg:>4}"
        )
    if args.list:
        for pair in result.misses:
            print(f"missed  line {pair.line}: {pair.text!r} ({pair.case})")
        for pair in result.wrong:
            found = index.find_named(pair.text, DEFAULT_FUZZY_THRESHOLD)
            how = ", ".join(f"{m.basis} {m.score:g} {m.text!r}" for m in found)
            print(f"wrong   line {pair.line}: {pair.text!r} ({pair.case}): {how}")


if __name__ == "__main__":
    main()
