"""`coi load` of a large register, as a ratio to PyYAML's C loader just parsing the file.

    python benchmarks/bench_load.py                # 10,000 orgs, 20,000 people, 100,000 interests
    python benchmarks/bench_load.py --scale 0.1    # a tenth of that, for a quick look

Aim: load under 3x the parse time. Also reports the load's peak memory (max RSS of the
child process) and a second load of the same file (nothing changes, all "unchanged").
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate import synthetic_register, write

PARSE = (
    "import sys, yaml\nyaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(after, before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", type=Path, help="Folder to keep the generated file in.")
    args = parser.parse_args()
    if not hasattr(yaml, "CSafeLoader"):
        sys.exit("PyYAML was built without libyaml: the baseline needs its C loader")
    sizes = {
        "orgs": int(10_000 * args.scale),
        "people": int(20_000 * args.scale),
        "interests": int(100_000 * args.scale),
    }
    folder = args.keep or Path(tempfile.mkdtemp(prefix="coi-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"register-{args.scale:g}.yaml"
    if not path.exists():
        write(path, synthetic_register(**sizes))
    db = folder / f"load-{args.scale:g}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)

    parse_s, parse_rss = run([sys.executable, "-c", PARSE, str(path)])
    coi = [sys.executable, "-m", "coi", "--db", str(db), "load", str(path), "--format", "json"]
    load_s, load_rss = run(coi)
    reload_s, _ = run(coi)
    mib = path.stat().st_size / 2**20
    print(f"register: {sizes} ({mib:.1f} MiB of YAML)")
    print(f"parse only (CSafeLoader): {parse_s:6.2f} s")
    print(f"coi load (empty db):      {load_s:6.2f} s  = {load_s / parse_s:.2f}x parse (aim < 3x)")
    print(f"coi load again (no-op):   {reload_s:6.2f} s  = {reload_s / parse_s:.2f}x parse")
    print(
        f"peak memory: parse {parse_rss / 1024:.0f} MiB, load {load_rss / 1024:.0f} MiB (max RSS)"
    )


if __name__ == "__main__":
    main()
