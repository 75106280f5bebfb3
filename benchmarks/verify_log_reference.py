"""The least a verification of coi's declarations log can cost: the same checks as
`coi log verify` with nothing but sqlite3 and hashlib (the yardstick for bench_log_verify.py).

    python benchmarks/verify_log_reference.py coi.db

For each entry in seq order: its seq follows the last, its prev_hash is the last entry's
hash, and the SHA-256 of the canonical JSON of its fields (the stored payload text put in
as it is) is its hash. Prints the count and head, or the first bad seq (exit 3).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys


def main(path: str) -> int:
    conn = sqlite3.connect(path)
    enc = json.JSONEncoder(ensure_ascii=False).encode
    prev, count = "0" * 64, 0
    rows = conn.execute(
        "SELECT seq, recorded_at, recorded_by, kind, meeting, person, payload, prev_hash, hash"
        " FROM log_entries ORDER BY seq"
    )
    for seq, at, by, kind, meeting, person, payload, prev_hash, digest in rows:
        count += 1
        # SQLite holds "YYYY-MM-DD HH:MM:SS.ffffff" (naive UTC); the hash covers ...T...Z.
        at = at.replace(" ", "T") + ("Z" if "." in at else ".000000Z")
        body = (
            f'{{"kind":{enc(kind)},"meeting":{enc(meeting)},"payload":{payload},'
            f'"person":{enc(person)},"prev_hash":"{prev_hash}","recorded_at":"{at}",'
            f'"recorded_by":{enc(by)},"seq":{seq}}}'
        )
        if (
            seq != count
            or prev_hash != prev
            or hashlib.sha256(body.encode("utf-8")).hexdigest() != digest
        ):
            print(f"does not verify at seq {count}")
            return 3
        prev = digest
    print(f"verifies: {count} entries, head {prev}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
