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
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SRC = ROOT.parent / "src"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr.decode()}")
    return time.perf_counter() - start


def build(path: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT))
    from bench_log import NOW, batches

    from coi.store import log
    from coi.store.db import open_engine

    engine = open_engine(str(path))
    for items in batches(0, n):
        log.append_many(engine, items, recorded_by="bench", now=NOW)
    engine.dispose()


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
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        reference = [sys.executable, str(ROOT / "verify_log_reference.py"), str(db)]
        verify = [sys.executable, "-m", "coi", "--db", str(db), "log", "verify"]
        runs = {
            "reference (sqlite3+hashlib)": (reference, env),
            "coi log verify (this tree)": (verify, env),
        }
        if args.before:
            old = {**os.environ, "PYTHONPATH": str(args.before)}
            runs["coi log verify (before)"] = (verify, old)
        for cmd, e in runs.values():  # warm caches
            timed(cmd, e)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, (cmd, e) in runs.items():
                times[name].append(timed(cmd, e))
    ref = statistics.median(times["reference (sqlite3+hashlib)"])
    for name, values in times.items():
        m = statistics.median(values)
        print(f"{name:30} median {m:6.2f} s  {m / ref:.2f}x the reference")


if __name__ == "__main__":
    main()
