"""The use cases of coi, and its Python API: what the command line does, callable from a script.

Each function takes an open SQLAlchemy session (``open_session`` gives one), takes what
a person would type (ids, prefixes or names, dates) and returns plain result
dataclasses; a mistake raises a ``coi.errors.CoiError`` with the exit code it deserves.
An edit takes one ``coi.services.changes.Changes``: the fields to set, the values to add
to or take out of list fields, and the fields to clear, by the register file's names.
Nothing here prints or knows about the terminal: ``coi.cli`` renders the results, and
the rules themselves are pure functions in ``coi.domain``.

    from coi.services import open_session
    from coi.services.checking import check

    with open_session("coi.db") as s:
        checked = check(s, "lit-2027-01")
        for finding in checked.result.items:
            print(finding.item, [f.person for f in finding.flags])
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@contextmanager
def open_session(db: str | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session on the database ``db`` (a path or URL; else ``$COI_DB``, else ``./coi.db``),
    migrated to this coi's schema.

    With ``write`` the whole block is one transaction: committed if it finishes, rolled
    back if anything (a user mistake included) goes wrong, so bad input changes nothing.
    """
    from coi.store.db import session_factory, shared_engine

    engine = shared_engine(db)
    with session_factory(engine)() as s:
        if write:
            with s.begin():
                yield s
        else:
            yield s
