"""The declarations log's hash chain: canonical encoding, entry hashes and streaming verification.

Each entry's hash is the SHA-256 of the canonical JSON of all its fields except ``hash``
itself (``seq``, ``recorded_at``, ``recorded_by``, ``kind``, ``meeting``, ``person``,
``payload`` and ``prev_hash``), so anyone holding an export can recompute it in any
language: ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
encoded as UTF-8, times as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC, dates as ISO dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from coi.errors import IntegrityFailure, UsageError

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry: there is nothing before it."""

HASHED_FIELDS = ("seq", "recorded_at", "recorded_by", "kind", "meeting", "person", "payload")


def format_utc(moment: dt.datetime) -> str:
    """``moment`` as the canonical UTC text, always with microseconds and a ``Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r} in a log entry: times must be UTC-aware")
    if moment.tzinfo is not dt.UTC:
        moment = moment.astimezone(dt.UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_utc(text: str) -> dt.datetime:
    """The aware UTC datetime written by :func:`format_utc` (any ISO form with an offset)."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset (expected e.g. 2024-05-01T18:30:00Z)")
    return moment.astimezone(dt.UTC)


# Exact types that pass through untouched. StrEnum members are str and encode as their value.
_SCALARS = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data; anything the canonical form cannot pin down is refused."""
    kind = type(value)
    if kind in _SCALARS or isinstance(value, str | int):
        return value
    if kind is dict or isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise ValueError(f"log entry keys must be strings, not {key!r}")
            # Scalars inline: this runs for every field of every entry verified.
            out[key] = item if type(item) in _SCALARS else _plain(item)
        return out
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        # Float text differs between languages, which would make hashes unreproducible.
        raise ValueError("floats are not allowed in log entries; use an integer or a string")
    if isinstance(value, dt.datetime):
        return format_utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    raise ValueError(f"cannot put {type(value).__name__} {value!r} in a log entry")


def dumps_canonical(plain: Any) -> str:
    """Canonical text of data that is already plain JSON (as parsed), unchecked and fast."""
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """The one text form of ``value`` that hashes are computed over."""
    return json.dumps(
        _plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def entry_hash(prev: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``fields`` together with ``prev_hash=prev``."""
    if "prev_hash" in fields or "hash" in fields:
        raise ValueError("entry_hash: pass prev separately; fields must not hold prev_hash or hash")
    body = canonical_json({**fields, "prev_hash": prev})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LogEntry:
    """One entry of the declarations log, exactly as stored and exported."""

    seq: int
    recorded_at: dt.datetime
    recorded_by: str
    kind: str
    meeting: str | None
    person: str | None
    payload: Mapping[str, Any] = field(hash=False)
    prev_hash: str
    hash: str

    def hashed_fields(self) -> dict[str, Any]:
        """The fields the hash covers, ``prev_hash`` apart."""
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def computed_hash(self) -> str:
        """What ``hash`` must be if nothing in this entry was changed."""
        return entry_hash(self.prev_hash, self.hashed_fields())

    def to_json(self) -> dict[str, Any]:
        """Every field as plain JSON data (the JSONL export line)."""
        data: dict[str, Any] = _plain(self.hashed_fields())
        data["prev_hash"] = self.prev_hash
        data["hash"] = self.hash
        return data


def make_entry(
    prev_seq: int,
    prev_hash: str,
    *,
    recorded_at: dt.datetime,
    recorded_by: str,
    kind: str,
    meeting: str | None,
    person: str | None,
    payload: Mapping[str, Any],
) -> LogEntry:
    """The hashed entry that follows the entry ``(prev_seq, prev_hash)``; ``(0, GENESIS)`` first."""
    recorded_at = recorded_at.astimezone(dt.UTC)
    fields: dict[str, Any] = {
        "seq": prev_seq + 1,
        "recorded_at": recorded_at,
        "recorded_by": recorded_by,
        "kind": kind,
        "meeting": meeting,
        "person": person,
        "payload": payload,
    }
    return LogEntry(**fields, prev_hash=prev_hash, hash=entry_hash(prev_hash, fields))


class Fault(StrEnum):
    """What verification found wrong with the first bad entry."""

    EDITED = "edited"
    REMOVED = "removed"
    INSERTED = "inserted"
    OUT_OF_PLACE = "inserted-or-reordered"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of checking a chain: how far it is sound and, if broken, where and why.

    ``count``, ``last_seq`` and ``head`` describe the sound prefix; when ``ok`` they
    describe the whole log, and ``(last_seq, head)`` is what to publish as an anchor.
    """

    ok: bool
    count: int
    last_seq: int
    head: str
    bad_seq: int | None = None
    fault: Fault | None = None
    reason: str = ""

    @classmethod
    def broken(cls, count: int, head: str, bad_seq: int, fault: Fault, reason: str) -> VerifyReport:
        """A chain sound for its first ``count`` entries, up to ``head``, then broken."""
        return cls(False, count, count, head, bad_seq, fault, reason)

    @property
    def message(self) -> str:
        if self.ok:
            return f"the declarations log verifies: {self.count} entries, head {self.head}"
        return f"the declarations log does not verify: seq {self.bad_seq}: {self.reason}"

    def raise_if_broken(self) -> VerifyReport:
        """This report, or :class:`IntegrityFailure` (exit 3) naming the first bad seq."""
        if not self.ok:
            raise IntegrityFailure(self.message)
        return self


def _short(digest: str) -> str:
    return digest[:12] + "…"


def _sibling(entry: LogEntry, last: LogEntry) -> bool:
    """True when ``entry`` is the genuine entry that was written where ``last`` now stands.

    That is the mark of an insertion: ``last`` was slipped in ahead of the original, which
    follows it as it was, or renumbered one place on (and perhaps re-linked to ``last``).
    The original's own hash still matches its first place, so an entry whose hash fails
    there too is reported as edited, not as the victim of an insertion.
    """
    if entry.hash == last.hash:
        return False
    fields = entry.hashed_fields()
    try:
        return any(
            entry_hash(last.prev_hash, {**fields, "seq": seq}) == entry.hash
            for seq in {entry.seq, last.seq}
        )
    except ValueError:
        return False


def _after(seq: int) -> str:
    return f"entry {seq}" if seq >= 1 else "the start of the log"


def _fault(
    entry: LogEntry, expected: int, prev_hash: str, anchor: tuple[int, str] | None
) -> tuple[Fault, str] | None:
    """What is wrong with ``entry`` standing where entry ``expected`` should; None if sound."""
    before = _after(expected - 1)
    if entry.seq > expected:
        missing = (
            f"entry {expected} is"
            if entry.seq == expected + 1
            else f"entries {expected} to {entry.seq - 1} are"
        )
        return Fault.REMOVED, (
            f"{missing} missing: entry {entry.seq} follows {before} "
            "(removed, or moved elsewhere in the log)"
        )
    if entry.seq < expected:
        return Fault.OUT_OF_PLACE, (
            f"the entry after {before} claims seq {entry.seq}, which is out of order "
            "(an entry was inserted, or entries were reordered or renumbered)"
        )
    if entry.prev_hash != prev_hash:
        return Fault.OUT_OF_PLACE, (
            f"entry {expected} does not follow {before}: its prev_hash "
            f"{_short(entry.prev_hash)} is not {_short(prev_hash)} (an entry was inserted "
            f"or reordered here, or {before} was edited and re-hashed)"
        )
    try:
        computed = entry.computed_hash()
    except ValueError as exc:
        return Fault.EDITED, f"entry {expected} was edited: it cannot be encoded: {exc}"
    if computed != entry.hash:
        return Fault.EDITED, (
            f"entry {expected} was edited: its content hashes to {_short(computed)}, "
            f"not the recorded {_short(entry.hash)}"
        )
    if anchor is not None and entry.seq == anchor[0] and entry.hash != anchor[1]:
        return Fault.EDITED, (
            f"entry {expected} has hash {_short(entry.hash)}, not the published "
            f"{_short(anchor[1])}: the log was rewritten up to this entry"
        )
    return None


def parse_anchor(text: str | None) -> tuple[int, str] | None:
    """A published head, ``SEQ:HASH`` (an entry number and 64 hex digits), as a pair."""
    if text is None:
        return None
    seq, sep, digest = text.strip().partition(":")
    digest = digest.lower()
    if (
        not sep
        or not seq.isdigit()
        or int(seq) < 1
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise UsageError(
            f"--anchor: {text!r} is not SEQ:HASH (an entry number, a colon and the 64 hex "
            "digits `coi log export` printed)"
        )
    return int(seq), digest


def verify_chain(
    entries: Iterable[LogEntry], *, anchor: tuple[int, str] | None = None
) -> VerifyReport:
    """Check ``entries`` (in stored order) link up from the genesis; stop at the first fault.

    One pass, constant memory. The report names the first bad seq: where an entry was
    edited, removed, inserted, or where entries were reordered. ``anchor`` is an earlier
    published ``(seq, hash)``: the log must still hold that very entry, which also
    catches entries removed from the end and a chain rewritten and re-hashed.
    """
    prev_hash = GENESIS
    last: LogEntry | None = None
    count = 0
    stream = iter(entries)
    for entry in stream:
        expected = count + 1
        found = _fault(entry, expected, prev_hash, anchor)
        if found is None:
            last, prev_hash, count = entry, entry.hash, expected
            continue
        if found[0] is Fault.REMOVED and entry.seq == expected + 1:
            # One look ahead tells a swap of two neighbours from a removal.
            following = next(stream, None)
            if following is not None and following.seq == expected:
                found = (
                    Fault.OUT_OF_PLACE,
                    f"entries {expected} and {entry.seq} were swapped: entry {entry.seq} "
                    f"comes straight after {_after(expected - 1)}",
                )
        if last is not None and _sibling(entry, last):
            reason = (
                f"entry {last.seq} was inserted: the entry after it (now seq {entry.seq}) "
                f"is the one first recorded after {_after(last.seq - 1)}"
            )
            return VerifyReport.broken(count - 1, last.prev_hash, last.seq, Fault.INSERTED, reason)
        fault, reason = found
        return VerifyReport.broken(count, prev_hash, expected, fault, reason)
    if anchor is not None and anchor[0] > count:
        reason = (
            f"the log ends at entry {count}, but entry {anchor[0]} was published "
            f"(hash {_short(anchor[1])}): entries from {count + 1} on were removed"
        )
        return VerifyReport.broken(count, prev_hash, count + 1, Fault.REMOVED, reason)
    return VerifyReport(ok=True, count=count, last_seq=count, head=prev_hash)


# json's own C string encoder (as ensure_ascii=False uses): json.dumps builds a new
# encoder on every call with non-default options, which costs more than the encoding.
_encode_basestring: Callable[[str], str] = json.encoder.encode_basestring


def _str_or_null(value: str | None) -> str:
    return "null" if value is None else _encode_basestring(value)


def stored_body(
    seq: int,
    recorded_at: str,
    recorded_by: str,
    kind: str,
    meeting: str | None,
    person: str | None,
    payload_text: str,
    prev_hash: str,
) -> str:
    """The canonical text an entry's hash covers, built around its payload's stored text.

    It is ``canonical_json`` of the entry's fields, written out: the keys in sorted order
    and each scalar encoded as json.dumps does, with the payload's canonical text (as coi
    stores it) put in place instead of being parsed and encoded again. A test holds the
    two equal. ``recorded_at`` is already the canonical UTC text (:func:`format_utc`).
    """
    return (
        f'{{"kind":{_encode_basestring(kind)},"meeting":{_str_or_null(meeting)},'
        f'"payload":{payload_text},"person":{_str_or_null(person)},'
        f'"prev_hash":"{prev_hash}","recorded_at":"{recorded_at}",'
        f'"recorded_by":{_encode_basestring(recorded_by)},"seq":{seq}}}'
    )


def _stored_utc(value: str | dt.datetime) -> str:
    """A stored naive-UTC time as the canonical text: a datetime, or SQL's text of one
    with microseconds (``YYYY-MM-DD HH:MM:SS.ffffff``, as SQLite holds it)."""
    if type(value) is str:
        return value[:10] + "T" + value[11:] + "Z"
    assert isinstance(value, dt.datetime)
    return value.isoformat(timespec="microseconds") + "Z"


StoredRow = tuple[int, str | dt.datetime, str, str, str | None, str | None, str, str, str]
"""``(seq, recorded_at in naive UTC, recorded_by, kind, meeting, person, payload text,
prev_hash, hash)``: an entry as stored."""


def chain_sound(
    rows: Iterable[StoredRow], *, anchor: tuple[int, str] | None = None
) -> VerifyReport | None:
    """The report on a sound chain when ``rows`` form one (and hold ``anchor``), else None;
    it does not say what is wrong (:func:`verify_chain` does, on the parsed entries).

    Why hashing the stored payload text is enough: the hash covers those exact bytes, so
    an entry that verifies holds the very text that was hashed when it was appended, and
    coi only ever appends (or imports, after re-encoding) the canonical text. A text
    that is not canonical yet hashes right can only be written by someone who computes
    the chain's hashes themselves, which is a rewrite of the chain from there on; a
    canonical text would hide that just as well, and only a published anchor exposes it,
    which this checks as before. Where the canonical form matters to others, in an
    export, the entries are re-encoded from their parsed payloads and verified again.
    """
    prev = GENESIS
    count = 0
    sha256 = hashlib.sha256
    anchor_seq, anchor_hash = anchor if anchor is not None else (0, "")
    for seq, at, by, kind, meeting, person, payload, prev_hash, digest in rows:
        count += 1
        if seq != count or prev_hash != prev or not payload.startswith("{"):
            return None
        body = stored_body(seq, _stored_utc(at), by, kind, meeting, person, payload, prev_hash)
        if sha256(body.encode("utf-8")).hexdigest() != digest:
            return None
        if seq == anchor_seq and digest != anchor_hash:
            return None
        prev = digest
    if anchor_seq > count:
        return None
    return VerifyReport(ok=True, count=count, last_seq=count, head=prev)
