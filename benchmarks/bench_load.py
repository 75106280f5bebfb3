"""`coi load` of a large register, as a ratio to PyYAML's C loader just parsing the file.

    python benchmarks/bench_load.py                # 10,000 orgs, 20,000 people, 100,000 interests
    python benchmarks/bench_load.py --scale 0.1    # a tenth of that, for a quick look

Aim (issue 14): at most 2x PyYAML's C parse with the garbage collector off, and a peak
memory (max RSS of the child process) at most 1.5x that parse's. Also reports the parse
with the collector on, and a second load of the same file (all "unchanged").
--before OLD_SRC also loads with an older coi's src folder, in the same run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate import synthetic_register, write

PARSE = (
    "import sys, yaml\nyaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)
PARSE_NO_GC = "import gc\ngc.disable()\n" + PARSE


def run(cmd: list[str], src: Path | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one child process (in a fresh process of its own,
    since RUSAGE_CHILDREN keeps the largest child so far)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True, env=env
    ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", type=Path, help="Folder to keep the generated file in.")
    parser.add_argument("--before", type=Path, help="An older coi's src folder to compare.")
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
    mib = path.stat().st_size / 2**20
    print(f"register: {sizes} ({mib:.1f} MiB of YAML)")
    parse_s, parse_rss = run([sys.executable, "-c", PARSE_NO_GC, str(path)])
    print(f"parse only, collector off:  {parse_s:6.2f} s  {parse_rss / 1024:6.0f} MiB  (the base)")
    gc_s, gc_rss = run([sys.executable, "-c", PARSE, str(path)])
    print(f"parse only, collector on:   {gc_s:6.2f} s  {gc_rss / 1024:6.0f} MiB")
    trees = [("this tree", None)] + ([("before", args.before)] if args.before else [])
    for name, src in trees:
        db = folder / f"load-{args.scale:g}-{name.replace(' ', '-')}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        coi = [sys.executable, "-m", "coi", "--db", str(db), "load", str(path), "--format", "json"]
        for step in ("coi load (empty db)", "coi load again (no-op)"):
            s, rss = run(coi, src)
            print(
                f"{step} {name}: {s:6.2f} s  {rss / 1024:6.0f} MiB  = {s / parse_s:.2f}x the "
                f"base's time, {rss / parse_rss:.2f}x its memory (aim 2x and 1.5x)"
            )


if __name__ == "__main__":
    main()
