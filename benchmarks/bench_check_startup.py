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
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rounds import Run, compare, env_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "plymouth.yaml"
FLOOR = [sys.executable, "-c", "import sqlalchemy.orm, typer, rich, yaml, icalendar"]


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
        runs: dict[str, Run] = {
            "floor": (FLOOR, None),
            "coi check (this tree)": (check, env_for(ROOT / "src")),
        }
        if args.before:
            runs["coi check (before)"] = (check, env_for(args.before))
        compare(runs, args.runs, "floor")


if __name__ == "__main__":
    main()
