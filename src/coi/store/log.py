"""The declarations log in the database: append safely under concurrency, stream, verify.

Appends take the log's write lock before reading the tail (``BEGIN IMMEDIATE`` on
SQLite, a transaction-scoped advisory lock on PostgreSQL), so concurrent writers queue
instead of forking the chain; the UNIQUE ``prev_hash`` is the backstop, and a writer that
still loses a race rolls back and retries on the new tail. Nothing here updates or
deletes an entry.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import random
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, Engine, Row, String, Table, insert, select, type_coerce
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from coi.domain import declarations
from coi.domain.hashchain import (
    GENESIS,
    HASHED_FIELDS,
    LogEntry,
    VerifyReport,
    canonical_json,
    chain_sound,
    dumps_canonical,
    make_entry,
    verify_chain,
)
from coi.errors import CoiError, IntegrityFailure, UsageError
from coi.store.schema import LogEntryRow

LOG = cast(Table, LogEntryRow.__table__)
Writer = Engine | Connection | Session

MAX_ATTEMPTS = 30
"""How often an append is tried before giving up on a log that stays busy."""

# Any fixed 64-bit number; all coi processes on one PostgreSQL database share it.
_PG_LOCK_KEY = 0x636F_696C_6F67  # "coilog"
_RECORDED_BY_MAX = 200


def default_recorder() -> str:
    """The operating-system user, who is recorded when no one else is named."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _recorder(recorded_by: str | None) -> str:
    who = (recorded_by or "").strip() or default_recorder()
    if len(who) > _RECORDED_BY_MAX:
        raise UsageError(f"recorded_by: longer than {_RECORDED_BY_MAX} characters")
    return who


def _to_entry(row: Row[Any], *, strict: bool = False) -> LogEntry:
    """A stored row as a LogEntry; a payload that is not what coi wrote is an integrity fault."""
    try:
        payload = json.loads(row.payload)
    except (TypeError, ValueError):
        raise IntegrityFailure(
            f"the declarations log does not verify: seq {row.seq}: entry {row.seq} was edited: "
            "its payload is not valid JSON"
        ) from None
    if not isinstance(payload, dict):
        raise IntegrityFailure(
            f"the declarations log does not verify: seq {row.seq}: entry {row.seq} was edited: "
            "its payload is not a JSON object"
        )
    # coi writes the canonical text; any other text means someone rewrote the row.
    if strict and dumps_canonical(payload) != row.payload:
        raise IntegrityFailure(
            f"the declarations log does not verify: seq {row.seq}: entry {row.seq} was edited: "
            "its payload text is not the canonical form coi writes"
        )
    stored = {name: getattr(row, name) for name in HASHED_FIELDS if name != "payload"}
    return LogEntry(**stored, payload=payload, prev_hash=row.prev_hash, hash=row.hash)


def _take_write_lock(conn: Connection) -> None:
    """Make this transaction the log's only writer until it ends."""
    if conn.dialect.name == "sqlite":
        dbapi = conn.connection.dbapi_connection
        # pysqlite only opens a transaction at the first write; if one is open we already
        # hold the write lock. Otherwise take it now, before reading the tail: a deferred
        # transaction would read a tail that another writer may move before we write.
        if dbapi is not None and not dbapi.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": _PG_LOCK_KEY})


def _tail(conn: Connection) -> tuple[int, str]:
    row = conn.execute(select(LOG.c.seq, LOG.c.hash).order_by(LOG.c.seq.desc()).limit(1)).first()
    return (0, GENESIS) if row is None else (row.seq, row.hash)


def _resolve(conn: Connection, draft: declarations.Draft) -> declarations.Draft:
    """A correction checked against its target and the corrections already made to it."""
    seq = draft.target
    if seq is None:
        return draft
    row = conn.execute(select(LOG).where(LOG.c.seq == seq)).first()
    if row is None:
        return declarations.check_correction(draft, None, ())
    target = _to_entry(row)
    # Corrections carry their target's meeting and person, so the person index finds them
    # without scanning the log.
    later = conn.execute(
        select(LOG)
        .where(
            LOG.c.seq > seq,
            LOG.c.person == target.person,
            LOG.c.meeting == target.meeting,
            LOG.c.kind.in_(
                [declarations.EntryKind.AMEND.value, declarations.EntryKind.RETRACT.value]
            ),
        )
        .order_by(LOG.c.seq)
    )
    return declarations.check_correction(draft, target, (_to_entry(r) for r in later))


def _write(
    conn: Connection,
    drafts: Sequence[declarations.Draft],
    recorded_by: str,
    now: dt.datetime | None,
) -> list[LogEntry]:
    _take_write_lock(conn)
    prev_seq, prev_hash = _tail(conn)
    written: list[LogEntry] = []
    pending: list[dict[str, Any]] = []

    def flush() -> None:
        if pending:
            conn.execute(insert(LOG), pending)  # one executemany for a run of entries
            pending.clear()

    for draft in drafts:
        if draft.target is not None:
            flush()  # the correction's checks must see the entries written before it
        resolved = _resolve(conn, draft)
        entry = make_entry(
            prev_seq,
            prev_hash,
            recorded_at=now or _now(),
            recorded_by=recorded_by,
            kind=resolved.kind.value,
            meeting=resolved.meeting,
            person=resolved.person,
            payload=resolved.payload,
        )
        pending.append(
            {
                "seq": entry.seq,
                "recorded_at": entry.recorded_at,
                "recorded_by": entry.recorded_by,
                "kind": entry.kind,
                "meeting": entry.meeting,
                "person": entry.person,
                "payload": canonical_json(entry.payload),
                "prev_hash": entry.prev_hash,
                "hash": entry.hash,
            }
        )
        written.append(entry)
        prev_seq, prev_hash = entry.seq, entry.hash
    flush()
    return written


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text


def append_many(
    writer: Writer,
    items: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    recorded_by: str | None = None,
    now: dt.datetime | None = None,
) -> list[LogEntry]:
    """Append ``(kind, payload)`` items in order, all or none; the entries as written.

    Every item is checked first (UsageError names the field; nothing is written). Given
    an Engine, this commits and retries a lost race on the new tail. Given a Session or
    Connection, it writes inside the caller's transaction, holding the log's write lock
    until the caller commits or rolls back.
    """
    if now is not None and (now.tzinfo is None or now.utcoffset() is None):
        raise ValueError("now must be timezone-aware")
    who = _recorder(recorded_by)
    drafts = [declarations.normalise(kind, payload) for kind, payload in items]
    if not drafts:
        return []
    if isinstance(writer, Session):
        return _write(writer.connection(), drafts, who, now)
    if isinstance(writer, Connection):
        return _write(writer, drafts, who, now)
    problem: Exception | None = None
    for attempt in range(MAX_ATTEMPTS):
        with writer.connect() as conn:
            try:
                written = _write(conn, drafts, who, now)
                conn.commit()
                return written
            except IntegrityError as exc:
                # Someone else's entry took our seq or prev_hash: start again on the new tail.
                conn.rollback()
                problem = exc
            except OperationalError as exc:
                conn.rollback()
                if not _is_busy(exc):
                    raise
                problem = exc
        time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
    raise CoiError(
        f"could not append to the declarations log after {MAX_ATTEMPTS} attempts: "
        f"other writers kept it busy ({problem})"
    )


def append(
    writer: Writer,
    kind: str,
    payload: Mapping[str, Any],
    *,
    recorded_by: str | None = None,
    now: dt.datetime | None = None,
) -> LogEntry:
    """Append one entry (see :mod:`coi.domain.declarations` for kinds and payloads).

    ``recorded_by`` defaults to the operating-system user and ``now`` to the current UTC
    time. Returns the entry as written, with its seq and hash. Bad input, or a correction
    of an entry that does not exist or was already retracted, raises UsageError and
    appends nothing.
    """
    return append_many(writer, [(kind, payload)], recorded_by=recorded_by, now=now)[0]


def import_entries(session: Session, entries: Sequence[LogEntry]) -> None:
    """Store a verified chain as it is (seq, times, recorders, hashes) in an empty log, in
    the caller's transaction; a log that holds anything is refused (IntegrityFailure): two
    chains cannot be joined without re-hashing one, which would break its published head.
    """
    conn = session.connection()
    _take_write_lock(conn)
    seq, _ = _tail(conn)
    if seq:
        raise IntegrityFailure(
            f"the declarations log already holds entries (up to seq {seq}): a log is only "
            "imported into an empty one"
        )
    rows = [
        {
            "seq": e.seq,
            "recorded_at": e.recorded_at,
            "recorded_by": e.recorded_by,
            "kind": e.kind,
            "meeting": e.meeting,
            "person": e.person,
            "payload": canonical_json(e.payload),
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in entries
    ]
    for start in range(0, len(rows), 1000):
        conn.execute(insert(LOG), rows[start : start + 1000])


@contextmanager
def _reading(source: Writer) -> Iterator[Connection]:
    if isinstance(source, Session):
        yield source.connection()
    elif isinstance(source, Connection):
        yield source
    else:
        with source.connect() as conn:
            yield conn


def entries(
    source: Writer,
    *,
    meeting: str | None = None,
    person: str | None = None,
    since: dt.datetime | dt.date | None = None,
    after_seq: int | None = None,
    strict: bool = False,
) -> Iterator[LogEntry]:
    """The log's entries in seq order, fetched in batches, optionally filtered.

    ``since`` keeps entries recorded at or after that moment (a date means its start in
    UTC); ``after_seq`` keeps entries after that seq. Corrections carry their target's
    meeting and person, so a filtered listing still holds the corrections of what it holds.
    """
    stmt = select(LOG).order_by(LOG.c.seq)
    if meeting is not None:
        stmt = stmt.where(LOG.c.meeting == meeting)
    if person is not None:
        stmt = stmt.where(LOG.c.person == person)
    if since is not None:
        if not isinstance(since, dt.datetime):
            since = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
        elif since.tzinfo is None:
            raise ValueError("since must be timezone-aware")
        stmt = stmt.where(LOG.c.recorded_at >= since)
    if after_seq is not None:
        stmt = stmt.where(LOG.c.seq > after_seq)
    with _reading(source) as conn:
        # Per statement: Connection.execution_options would stick to a caller's
        # connection and turn its later INSERTs into server-side cursors on PostgreSQL.
        result = conn.execute(stmt, execution_options={"yield_per": 1000})
        try:
            for row in result:
                yield _to_entry(row, strict=strict)
        finally:
            result.close()


def head(source: Writer) -> tuple[int, str]:
    """The last entry's ``(seq, hash)``, ``(0, GENESIS)`` when empty: publish it as an anchor."""
    with _reading(source) as conn:
        return _tail(conn)


def verify(source: Writer, *, anchor: tuple[int, str] | None = None) -> VerifyReport:
    """Check the whole log in one streaming pass; IntegrityFailure names the first bad seq.

    ``anchor`` is a ``(seq, hash)`` published earlier (see :func:`head`): the log must
    still contain that very entry.
    """
    with _reading(source) as conn:
        # Plain rows and the payload text as stored: nothing parsed, no entry objects.
        # recorded_at as the driver gives it: SQLite's text, PostgreSQL's naive datetime.
        at = type_coerce(LOG.c.recorded_at, String())
        stmt = select(
            LOG.c.seq, at, LOG.c.recorded_by, LOG.c.kind, LOG.c.meeting, LOG.c.person,
            LOG.c.payload, LOG.c.prev_hash, LOG.c.hash,
        ).order_by(LOG.c.seq)  # fmt: skip
        result = conn.execute(stmt, execution_options={"yield_per": 5000})
        try:
            sound = chain_sound(result, anchor=anchor)
        finally:
            result.close()
    if sound is not None:
        return sound
    # Broken somewhere: the full check on parsed entries names the first fault and why.
    return verify_chain(entries(source, strict=True), anchor=anchor).raise_if_broken()
