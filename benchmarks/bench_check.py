"""How `coi check`'s engine scales: register size and agenda length, against the example.

    python benchmarks/bench_check.py            # full curve up to 100,000 interests
    python benchmarks/bench_check.py --quick    # a smaller curve

Runs the pure engine (index the register, find expected attendees, check the meeting)
on synthetic registers (benchmarks/generate.py: organisations with two aliases each)
and on the bundled example, in one process, and reports times and ratios. Aim: the
10,000-organisation, 100,000-interest register with a 200-item agenda and 60 attendees
under 3x the example register's check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

from generate import synthetic_register  # noqa: E402

from coi.domain.conflicts import RegisterIndex, check_meeting, expected_attendees  # noqa: E402
from coi.domain.model import Register  # noqa: E402
from coi.domain.policy import load_policy  # noqa: E402
from coi.formats.register import read_register_data  # noqa: E402


def as_register(data: dict[str, Any]) -> Register:
    return read_register_data(data, "synthetic")


def time_check(register: Register, meeting_id: str, repeat: int = 3) -> tuple[float, float, int]:
    """Median seconds to index the register and to check one meeting, and the flag count."""
    policy = load_policy()
    meeting = next(m for m in register.meetings if m.id == meeting_id)
    body = next(b for b in register.bodies if b.id == meeting.body)
    seats = [s for s in register.seats if s.body == body.id]
    indexing, checking, flags = [], [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        index = RegisterIndex(register)
        middle = time.perf_counter()
        attendees = expected_attendees(body, seats, meeting, [])
        result = check_meeting(index, meeting, policy, attendees)
        checking.append(time.perf_counter() - middle)
        indexing.append(middle - start)
        flags = len(result.flags)
    return statistics.median(indexing), statistics.median(checking), flags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    from coi.formats.register import read_register

    example = read_register([ROOT / "data" / "plymouth.yaml"])
    ex_index, ex_check, ex_flags = time_check(example, "lit-2027-01", repeat=5)
    print(
        f"example register, lit-2027-01 (7 items): index {ex_index * 1000:.1f} ms,"
        f" check {ex_check * 1000:.1f} ms, {ex_flags} flags"
    )

    interest_steps = [1_000, 10_000, 100_000] if not args.quick else [1_000, 10_000]
    print("\nregister growth: the same 200-item, 60-attendee meeting (orgs = interests/10,")
    print("people = 2x orgs, two aliases per organisation); x = total vs the smallest register")
    print(f"{'interests':>10} {'orgs':>7} {'index ms':>9} {'check ms':>9} {'total':>8} {'x':>5}")
    first = None
    for n in interest_steps:
        orgs = max(100, n // 10)
        reg = as_register(synthetic_register(orgs=orgs, people=orgs * 2, interests=n))
        ix, ck, _ = time_check(reg, "board-1", repeat=3)
        total = ix + ck
        first = first or total
        print(
            f"{n:>10,} {orgs:>7,} {ix * 1000:>9.1f} {ck * 1000:>9.1f}"
            f" {total * 1000:>8.1f} {total / first:>5.2f}"
        )

    print("\nagenda growth (10,000 interests, 1,000 orgs, 60 attendees)")
    print(f"{'items':>10} {'check ms':>10} {'ms/item':>10}")
    for items in (20, 50, 100, 200):
        reg = as_register(
            synthetic_register(orgs=1_000, people=2_000, interests=10_000, items=items)
        )
        _, ck, _ = time_check(reg, "board-1")
        print(f"{items:>10} {ck * 1000:>10.1f} {ck * 1000 / items:>10.2f}")


if __name__ == "__main__":
    main()
