"""The register as a whole: create the database, load files, dump, and publish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.publish import RegisterLine

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
    """Per section, how many records were created, updated and left unchanged."""

    counts: dict[str, dict[str, int]]
    dry_run: bool


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
    progress: Progress | None = None,
) -> Loaded:
    """``coi load``: check every file (all problems at once) and save them in the session's
    transaction; with ``dry_run`` nothing is kept."""
    from contextlib import nullcontext

    from coi.formats.register import read_register
    from coi.store.register import known, save_register

    register = read_register([Path(f) for f in files], known(s))
    total = sum(len(getattr(register, f)) for f in register.__dataclass_fields__)
    with progress(total) if progress else nullcontext() as advance:
        report = save_register(s, register, advance)
    if dry_run:
        s.rollback()
    return Loaded(report.as_dict(), dry_run)


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
    from coi.domain.publish import register_lines
    from coi.store.lookup import resolve
    from coi.store.register import read_register

    body_id = resolve(s, "bodies", body) if body else None
    person_id = resolve(s, "people", person) if person else None
    day = as_of or dt.date.today()
    return register_lines(read_register(s), day, body=body_id, person=person_id)
