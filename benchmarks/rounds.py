"""Whole commands timed side by side: each run in turn, round after round, so that a
busy machine slows them alike; the figures are medians. Shared by the benchmarks that
compare coi with a yardstick and with an older coi (--before OLD_SRC)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

Run = tuple[list[str], dict[str, str] | None]


def env_for(src: Path) -> dict[str, str]:
    """The environment that runs the coi in the source folder ``src``."""
    return {**os.environ, "PYTHONPATH": str(src)}


def timed(cmd: list[str], env: dict[str, str] | None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode not in (0, 1):  # 1: a check that asks someone to act
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr.decode()}")
    return time.perf_counter() - start


def medians(runs: dict[str, Run], rounds: int) -> dict[str, float]:
    """Each run's median wall time over ``rounds`` rounds, after one warming round."""
    for cmd, env in runs.values():
        timed(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, (cmd, env) in runs.items():
            times[name].append(timed(cmd, env))
    return {name: statistics.median(values) for name, values in times.items()}


def compare(runs: dict[str, Run], rounds: int, base: str) -> None:
    """Print each run's median and its ratio to the ``base`` run's."""
    found = medians(runs, rounds)
    for name, m in found.items():
        print(f"{name:30} median {m:7.3f} s  {m / found[base]:.2f}x {base}")
