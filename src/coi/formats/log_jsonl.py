"""The declarations log as JSON Lines, one entry a line with its hashes: verifiable without a DB.

Each line is the canonical JSON of one entry (keys sorted, no spaces, UTF-8), so the
line minus its ``hash`` key is exactly the text that ``hash`` is the SHA-256 of.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from coi.domain.hashchain import LogEntry, VerifyReport, canonical_json, parse_utc, verify_chain
from coi.errors import InputFileError, Problem

FIELDS = (
    "seq",
    "recorded_at",
    "recorded_by",
    "kind",
    "meeting",
    "person",
    "payload",
    "prev_hash",
    "hash",
)


def write_jsonl(entries: Iterable[LogEntry], stream: TextIO) -> int:
    """Write ``entries`` to ``stream``, one line each; how many were written."""
    count = 0
    for entry in entries:
        stream.write(canonical_json(entry.to_json()))
        stream.write("\n")
        count += 1
    return count


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # An edited line could carry a key twice so that readers disagree on its value.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _entry(data: Any, name: str, line: int) -> LogEntry:
    def bad(message: str, field: str | None = None) -> InputFileError:
        problem = Problem(message, file=name, line=line, field=field)
        return InputFileError(str(problem), [problem])

    if not isinstance(data, dict):
        raise bad("each line must be a JSON object (one log entry)")
    for field in FIELDS:
        if field not in data:
            raise bad("missing", field)
    for field in data:
        if field not in FIELDS:
            raise bad("is not a field of a log entry", field)
    seq = data["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise bad(f"{seq!r} is not an entry number (1 or more)", "seq")
    for field in ("recorded_at", "recorded_by", "kind", "prev_hash", "hash"):
        if not isinstance(data[field], str):
            raise bad("must be a string", field)
    for field in ("meeting", "person"):
        if data[field] is not None and not isinstance(data[field], str):
            raise bad("must be a string or null", field)
    if not isinstance(data["payload"], dict):
        raise bad("must be a JSON object", "payload")
    try:
        recorded_at = parse_utc(data["recorded_at"])
    except ValueError as exc:
        raise bad(str(exc), "recorded_at") from None
    return LogEntry(
        seq=seq,
        recorded_at=recorded_at,
        recorded_by=data["recorded_by"],
        kind=data["kind"],
        meeting=data["meeting"],
        person=data["person"],
        payload=data["payload"],
        prev_hash=data["prev_hash"],
        hash=data["hash"],
    )


# The longest line an exported entry can take (its description is text of a page or two);
# a longer one is no log, and /dev/zero, which has no line ends, is not read for ever.
MAX_LINE = 2**20


def _bounded(stream: TextIO, name: str) -> Iterator[str]:
    number = 0
    while line := stream.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            message = f"longer than {MAX_LINE // 2**10} KiB: not an exported log entry"
            problem = Problem(message, file=name, line=number)
            raise InputFileError(str(problem), [problem])
        yield line


def _lines(path: str | os.PathLike[str]) -> Iterator[str]:
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        if str(path) == "-":
            yield from _bounded(sys.stdin, name)
            return
        with Path(path).open(encoding="utf-8-sig") as stream:
            yield from _bounded(stream, name)
    except UnicodeDecodeError:
        # A binary file (or another encoding). Text is decoded a block at a time, so the
        # lines read so far do not say where the bad byte is: no line number.
        problem = Problem("not UTF-8 text: an exported log is JSON lines", file=name)
        raise InputFileError(str(problem), [problem]) from None
    except OSError as exc:
        problem = Problem(f"cannot read: {exc.strerror or exc}", file=name)
        raise InputFileError(str(problem), [problem]) from None


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[LogEntry]:
    """The entries of an exported log, one line at a time (``-`` reads standard input).

    A line that is not a well-formed entry raises InputFileError naming file and line;
    blank lines are skipped. Whether the entries verify is :func:`verify_jsonl`'s job.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    for number, text in enumerate(_lines(path), start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        except _DuplicateKey as exc:
            problem = Problem("appears twice in the line", file=name, line=number, field=str(exc))
            raise InputFileError(str(problem), [problem]) from None
        except ValueError as exc:
            problem = Problem(f"not valid JSON: {exc}", file=name, line=number)
            raise InputFileError(str(problem), [problem]) from None
        except RecursionError:
            problem = Problem("not a log entry: nested too deeply", file=name, line=number)
            raise InputFileError(str(problem), [problem]) from None
        yield _entry(data, name, number)


def verify_jsonl(
    path: str | os.PathLike[str], *, anchor: tuple[int, str] | None = None
) -> VerifyReport:
    """Check an exported log in one streaming pass; IntegrityFailure names the first bad seq."""
    return verify_chain(read_jsonl(path), anchor=anchor).raise_if_broken()
