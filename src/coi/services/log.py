"""``coi log``: verify the declarations log's hash chain, export it to publish its head, and
import an exported log into an empty database (the move to another database)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.hashchain import LogEntry, VerifyReport


def verify(s: Session, anchor: str | None = None) -> VerifyReport:
    """The database's log checked from its first entry; ``anchor`` is a head published
    earlier (SEQ:HASH) that must still be there. A broken chain raises IntegrityFailure."""
    from coi.domain.hashchain import parse_anchor
    from coi.store import log

    return log.verify(s, anchor=parse_anchor(anchor))


def verify_file(path: str, anchor: str | None = None) -> VerifyReport:
    """An exported JSONL log (``-`` for stdin) checked with no database."""
    from coi.domain.hashchain import parse_anchor
    from coi.formats.log_jsonl import verify_jsonl

    return verify_jsonl(path, anchor=parse_anchor(anchor))


@dataclass(frozen=True)
class Exported:
    count: int
    report: VerifyReport


def export(s: Session, stream: TextIO) -> Exported:
    """Write the whole log to ``stream`` as JSON lines, verifying the chain as it goes.

    A broken chain is still written in full (the report says where it breaks), so that
    the copy shows what the database holds.
    """
    from coi.domain.hashchain import verify_chain
    from coi.formats.log_jsonl import write_jsonl
    from coi.store import log

    count = 0

    def written() -> Iterator[LogEntry]:
        nonlocal count
        for entry in log.entries(s):
            count += write_jsonl([entry], stream)
            yield entry

    source = written()
    report = verify_chain(source, anchor=None)
    for _ in source:  # verification stops at a fault; the export does not
        pass
    return Exported(count, report)


def import_log(s: Session, path: str) -> VerifyReport:
    """``coi log import``: the exported log at ``path`` (``-`` for stdin) stored exactly as
    it was (seq, recorded_at, recorded_by, hashes), so the head stays the one published.

    A chain that does not verify, or a database whose log is not empty, raises
    IntegrityFailure (exit 3) and stores nothing; a line that is not an entry, InputFileError.
    """
    from coi.domain.hashchain import verify_chain
    from coi.formats.log_jsonl import read_jsonl
    from coi.store import log

    entries = list(read_jsonl(path))
    report = verify_chain(entries).raise_if_broken()
    log.import_entries(s, entries)
    return report
