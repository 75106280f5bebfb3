"""Whole-process cost of `coi check lit-2027-01` on the example, as a ratio to "the floor"
(`python -c "import sqlalchemy.orm, typer, rich, yaml, icalendar"`): what any coi command
must pay before it does anything. Aim: at most 1.3x.

    python benchmarks/bench_check_startup.py [--runs 5] [--before OLD_SRC]

--before runs an older coi's source folder (say `git archive main src | tar -x -C /tmp/old`,
then --before /tmp/old/src) in the same rounds, so both are measured side by side on the
same busy machine. The commands run alternately; the figures are medians.
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

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "plymouth.yaml"
FLOOR = [sys.executable, "-c", "import sqlalchemy.orm, typer, rich, yaml, icalendar"]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def env_for(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="an older coi's src folder to compare")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "coi.db")
        coi = [sys.executable, "-m", "coi", "--db", db]
        subprocess.run(
            [*coi, "load", str(EXAMPLE)],
            env=env_for(ROOT / "src"),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        check = [*coi, "check", "lit-2027-01"]
        runs: dict[str, tuple[list[str], dict[str, str] | None]] = {
            "floor": (FLOOR, None),
            "coi check (this tree)": (check, env_for(ROOT / "src")),
        }
        if args.before:
            runs["coi check (before)"] = (check, env_for(args.before))
        for cmd, env in runs.values():  # warm the bytecode caches
            timed(cmd, env)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, (cmd, env) in runs.items():
                times[name].append(timed(cmd, env))
    floor = statistics.median(times["floor"])
    for name, values in times.items():
        m = statistics.median(values)
        print(f"{name:24} median {m * 1000:7.1f} ms  {m / floor:.2f}x the floor")


if __name__ == "__main__":
    main()
