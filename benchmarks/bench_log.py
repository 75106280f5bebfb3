"""How fast the declarations log appends and verifies, and that verification grows linearly.

    python benchmarks/bench_log.py                      # 100,000 entries on SQLite
    python benchmarks/bench_log.py --quick              # 20,000 entries
    python benchmarks/bench_log.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench

Appends synthetic declarations through ``coi.store.log.append_many`` (the write path the
CLI uses, checks and hash chain included) in batches, and verifies the whole chain with
``coi.store.log.verify`` (what ``coi log verify`` runs) when the log reaches 10k, 20k, 50k
and 100k entries. Also times single-entry appends (one transaction each, as one
``coi declare`` makes), an export to JSONL and the verification of that file
(``coi log verify --file``). Prints entries per second and microseconds per entry; a
flat "µs per entry" column for verification is the linear growth. A PostgreSQL URL is
used as given: point it at a scratch database, its log_entries table is emptied first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from coi.domain import declarations as d
from coi.formats.log_jsonl import verify_jsonl, write_jsonl
from coi.store import log
from coi.store.db import open_engine

CHECKPOINTS = (10_000, 20_000, 50_000, 100_000)
BATCH = 1_000
SINGLE = 1_000
NOW = dt.datetime(2027, 1, 14, 12, 0, tzinfo=dt.UTC)
ACTIONS = ("withdrew", "no-vote", "remained", "left-meeting")


def declaration(n: int) -> tuple[str, dict[str, Any]]:
    """The n-th synthetic declaration: varied people, meetings, items and actions."""
    action = ACTIONS[n % 4]
    away = action in ("withdrew", "left-meeting")
    payload = d.declaration_payload(
        f"meeting-{n // 40:05d}",
        f"person-{n % 997:04d}",
        str(n % 12 + 1),
        action,
        interest=f"interest-{n % 5003:05d}" if n % 3 else None,
        nature=None if n % 3 else "Trustee of a provider named in the item",
        left="10:40" if away else None,
        returned="11:05" if action == "withdrew" else None,
    )
    return "declaration", payload


def batches(start: int, stop: int) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    for first in range(start, stop, BATCH):
        yield [declaration(n) for n in range(first, min(first + BATCH, stop))]


def append_upto(engine: Engine, have: int, want: int) -> float:
    """Seconds to append entries ``have`` .. ``want`` in batches (payloads built first)."""
    work = list(batches(have, want))
    t0 = time.perf_counter()
    for items in work:
        log.append_many(engine, items, recorded_by="bench", now=NOW)
    return time.perf_counter() - t0


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="stop at 20,000 entries")
    parser.add_argument("--db", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--repeat", type=int, default=3, help="verifications per checkpoint")
    args = parser.parse_args()
    checkpoints = CHECKPOINTS[:2] if args.quick else CHECKPOINTS

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = open_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM log_entries"))
        backend = engine.dialect.name
        print(f"backend: {backend}; batches of {BATCH:,} entries per transaction\n")

        # One entry per transaction, as `coi declare` writes.
        items = [declaration(n) for n in range(SINGLE)]
        t0 = time.perf_counter()
        for kind, payload in items:
            log.append(engine, kind, payload, recorded_by="bench", now=NOW)
        single = time.perf_counter() - t0
        print(
            f"single appends: {SINGLE:,} entries in {single:.2f} s = "
            f"{SINGLE / single:,.0f} entries/s ({single / SINGLE * 1e3:.2f} ms each)\n"
        )

        have = SINGLE
        appended = 0.0
        print("| entries | append s (total) | append entries/s (this step) | verify s "
              "| verify entries/s | verify µs per entry |")  # fmt: skip
        print("|---:|---:|---:|---:|---:|---:|")
        for target in checkpoints:
            step = append_upto(engine, have, target)
            appended += step
            rate = (target - have) / step
            have = target
            seconds = best(lambda: log.verify(engine), args.repeat)
            report = log.verify(engine)
            assert report.ok and report.count == target, report
            print(
                f"| {target:,} | {appended:.1f} | {rate:,.0f} "
                f"| {seconds:.2f} | {target / seconds:,.0f} | {seconds / target * 1e6:.1f} |"
            )

        path = Path(tmp) / "log.jsonl"
        t0 = time.perf_counter()
        with path.open("w", encoding="utf-8") as stream:
            written = write_jsonl(log.entries(engine), stream)
        exported = time.perf_counter() - t0
        seconds = best(lambda: verify_jsonl(path), args.repeat)
        size = os.path.getsize(path) / 1e6
        print(
            f"\nexport {written:,} entries to JSONL: {exported:.2f} s ({size:.1f} MB); "
            f"verify the file: {seconds:.2f} s = {written / seconds:,.0f} entries/s"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
