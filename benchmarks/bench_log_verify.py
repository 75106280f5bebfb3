"""Whole-process `coi log verify` of a 100,000-entry log against the least it can cost:
benchmarks/verify_log_reference.py, the same checks with only sqlite3 and hashlib.
Aim: at most 1.3x.

    python benchmarks/bench_log_verify.py [--entries 100000] [--runs 5] [--before OLD_SRC]
        [--keep PATH]

The log is appended through coi (as bench_log.py does) into a SQLite file, kept at
--keep PATH for later runs. --before runs an older coi's src folder in the same rounds
(`git archive main src | tar -x -C /tmp/old`, then --before /tmp/old/src). The commands
run alternately; the figures are medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from rounds import Run, compare, env_for  # noqa: E402

SRC = ROOT.parent / "src"


def build(path: Path, n: int) -> None:
    from bench_log import NOW, batches

    from coi.store import log
    from coi.store.db import open_engine

    engine = open_engine(str(path))
    for items in batches(0, n):
        log.append_many(engine, items, recorded_by="bench", now=NOW)
    engine.dispose()


def in_process(db: Path, rounds: int) -> None:
    """The verification alone, without either process's start-up (coi's imports of
    SQLAlchemy, typer and rich cost more than the reference's whole run)."""
    import contextlib
    import io
    import statistics

    from verify_log_reference import main as reference

    from coi.store import log
    from coi.store.db import open_engine

    engine = open_engine(str(db))
    times: dict[str, list[float]] = {"reference": [], "coi.store.log.verify": []}
    for _ in range(rounds):
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            reference(str(db))
        times["reference"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        log.verify(engine)
        times["coi.store.log.verify"].append(time.perf_counter() - t0)
    engine.dispose()
    ref = statistics.median(times["reference"])
    for name, values in times.items():
        m = statistics.median(values)
        print(f"in one process: {name:22} median {m:7.3f} s  {m / ref:.2f}x the reference")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="an older coi's src folder to compare")
    parser.add_argument("--keep", type=Path, help="the log's SQLite file, made if missing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "log.db"
        if not db.exists():
            t0 = time.perf_counter()
            build(db, args.entries)
            print(f"appended {args.entries:,} entries in {time.perf_counter() - t0:.1f} s")
        env = env_for(SRC)
        reference = [sys.executable, str(ROOT / "verify_log_reference.py"), str(db)]
        verify = [sys.executable, "-m", "coi", "--db", str(db), "log", "verify"]
        runs: dict[str, Run] = {
            "reference (sqlite3+hashlib)": (reference, env),
            "coi log verify (this tree)": (verify, env),
        }
        if args.before:
            runs["coi log verify (before)"] = (verify, env_for(args.before))
        compare(runs, args.runs, "reference (sqlite3+hashlib)")
        in_process(db, args.runs)


if __name__ == "__main__":
    main()
