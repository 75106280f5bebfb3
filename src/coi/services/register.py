"""The register as a whole: create the database, load files, dump, and publish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.publish import RegisterLine
    from coi.formats.register.diff import RecordChange
    from coi.formats.register.reader import Stored

# Given how many records there are, a context that yields the function to call with each
# batch saved (or None for no progress shown).
Progress = Callable[[int], AbstractContextManager[Callable[[int], None] | None]]


@dataclass(frozen=True)
class Ready:
    """A database at this coi's schema."""

    url: str
    revision: str | None


@dataclass(frozen=True)
class Loaded:
    """Per section, how many records were created, updated and left unchanged, and how
    many fields were cleared; ``changes`` says record by record, field by field (in a dry
    run every record written; otherwise the records updated)."""

    counts: dict[str, dict[str, int]]
    dry_run: bool
    changes: tuple[RecordChange, ...] = ()

    @property
    def cleared(self) -> int:
        return sum(c.cleared for c in self.changes)


def init_database(db: str | None = None) -> Ready:
    """``coi init``: create the database or bring an older one up to this schema."""
    from coi.store.db import current_revision, database_url, shared_engine

    revision = current_revision(shared_engine(db))
    return Ready(database_url(db), revision)


def load(
    s: Session,
    files: Sequence[Path | str],
    *,
    dry_run: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
) -> Loaded:
    """``coi load``: check every file (all problems at once) and save them in the session's
    transaction; with ``dry_run`` nothing is kept.

    A record already stored is merged, as an upsert does: a field the file leaves out
    keeps its stored value (a list given replaces the whole list). With ``replace`` the
    file is authoritative for the records it names: what it leaves out is cleared.
    """
    import gc
    from contextlib import nullcontext

    from coi.formats.register import read_register
    from coi.formats.register.diff import changes
    from coi.formats.yamlread import collector_paused
    from coi.store.register import known, save_register

    stored = None if replace else _stored(s)
    before = known(s)
    # Parsing and building the domain objects allocate millions of long-lived containers
    # and no cyclic garbage: the collector would rescan them all, again and again.
    with collector_paused():
        register = read_register([Path(f) for f in files], before, stored)
    total = sum(len(getattr(register, f)) for f in register.__dataclass_fields__)
    # While saving, the collector runs (SQLAlchemy makes some cyclic garbage), but the
    # register built above is set aside so that no collection walks it again.
    gc.freeze()
    try:
        with progress(total) if progress else nullcontext() as advance:
            report = save_register(s, register, advance)
    finally:
        gc.unfreeze()
    zones = {**before.timezones, **{b.id: b.timezone for b in register.bodies}}
    # Only updates clear fields; listing every new record's fields is for a dry run.
    written = {k: [w for w in v if dry_run or w[0] is not None] for k, v in report.written.items()}
    done = changes(written, zones)
    cleared: dict[str, int] = {}
    for change in done:
        cleared[change.section] = cleared.get(change.section, 0) + change.cleared
    counts = {k: {**v, "cleared": cleared.get(k, 0)} for k, v in report.as_dict().items()}
    if dry_run:
        s.rollback()
    return Loaded(counts, dry_run, tuple(done))


def _stored(s: Session) -> Stored:
    """The stored records a file's records are merged over, fetched section by section."""
    from coi.formats.register.fields import KEYS, key_of
    from coi.store.register import stored_records

    def lookup(section: str, keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], Any]:
        if not keys:
            return {}
        ids = None if section in KEYS else [k[0] for k in keys]
        wanted = set(keys)
        found = ((key_of(section, r), r) for r in stored_records(s, section, ids))
        return {k: r for k, r in found if k in wanted}

    return lookup


def dump(s: Session) -> str:
    """``coi dump``: the whole register as YAML that ``load`` reads back the same."""
    from coi.formats.register import dump_register
    from coi.store.register import read_register

    return dump_register(read_register(s))


def published(
    s: Session,
    as_of: dt.date | None = None,
    *,
    body: str | None = None,
    person: str | None = None,
) -> list[RegisterLine]:
    """``coi register``: the published register as it stood on ``as_of`` (default
    today), for everyone, one body's people or one person."""
    from coi.domain.declarations import effective_declarations
    from coi.domain.publish import register_lines
    from coi.store import log
    from coi.store.lookup import resolve
    from coi.store.register import read_register

    body_id = resolve(s, "bodies", body) if body else None
    person_id = resolve(s, "people", person) if person else None
    day = as_of or dt.date.today()
    # Who made an annual return: "nil" and "no return made" are different answers.
    returns = effective_declarations(log.entries(s))
    return register_lines(read_register(s), day, body=body_id, person=person_id, returns=returns)
