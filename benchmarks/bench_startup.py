"""Start-up cost of `coi --help`, as a ratio to `python -c "import typer"` (aim: under 1.5x).

Also checks that `coi --help` imports no SQLAlchemy. Runs both commands alternately,
many times, and compares medians so that a busy machine skews both alike.

    python benchmarks/bench_startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HELP = [sys.executable, "-m", "coi", "--help"]
TYPER = [sys.executable, "-c", "import typer"]
PROBE = (
    "import sys\nsys.argv=['coi','--help']\nfrom coi.cli.app import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy','alembic','yaml'}),"
    " file=sys.stderr)"
)


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    for cmd in (HELP, TYPER):  # warm the bytecode caches
        timed(cmd)
    coi_times, typer_times = [], []
    for _ in range(args.runs):
        coi_times.append(timed(HELP))
        typer_times.append(timed(TYPER))
    heavy = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stderr.strip()
    c, t = statistics.median(coi_times), statistics.median(typer_times)
    print(f"coi --help        median {c * 1000:7.1f} ms")
    print(f"import typer      median {t * 1000:7.1f} ms")
    print(f"ratio             {c / t:.2f}x (aim: under 1.5x)")
    print(f"heavy modules imported by coi --help: {heavy}")


if __name__ == "__main__":
    main()
