"""Which database, how to connect, and keeping its schema at this version of coi.

The database is ``--db``, else ``$COI_DB``, else ``coi.db`` in the current directory.
A bare path means SQLite; anything with ``://`` is an SQLAlchemy URL
(``postgresql+psycopg://user@host/db``). SQLite runs with foreign keys on and WAL.
"""

from __future__ import annotations

import functools
import os
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from coi.errors import DatabaseVersionError, UsageError

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_DB = "coi.db"
# The newest migration script's revision. Every command compares the database's version
# with it, and importing Alembic to learn it would cost more than the command itself on a
# small register (about 145 ms), so it is written here; tests/test_store.py holds it equal
# to the head of migrations/versions. Alembic is imported only when the two differ.
HEAD_REVISION = "0007"


def database_url(db: str | None = None) -> str:
    """The URL to use: the given one, else $COI_DB, else ./coi.db, as an SQLAlchemy URL."""
    chosen = db or os.environ.get("COI_DB") or DEFAULT_DB
    if "://" in chosen:
        return chosen
    return f"sqlite:///{chosen}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Writers wait for each other instead of failing at once (concurrent declarations).
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# The first bytes of every SQLite database file (https://sqlite.org/fileformat.html).
_SQLITE_HEADER = b"SQLite format 3\x00"
# A PostgreSQL server that does not answer is reported after this many seconds, not after
# the operating system's TCP timeout (minutes); a URL's own connect_timeout wins.
CONNECT_TIMEOUT = 10


def _one_line(error: BaseException) -> str:
    """A driver's message on one line (libpq adds hints on lines of their own)."""
    return " ".join(str(error).split())


def _check_sqlite_file(database: str) -> None:
    """Refuse, before SQLite touches it, a --db path that is not a SQLite database file:
    SQLite would otherwise fail deep in a command, or turn a stray file into a database."""
    path = Path(database).expanduser()
    if not path.exists():
        parent = path.resolve().parent
        if not parent.is_dir():
            raise UsageError(f"--db: folder does not exist: {parent}")
        return
    if path.is_dir():
        raise UsageError(f"--db: {database} is a folder, not a database file")
    if not path.is_file():
        raise UsageError(f"--db: {database} is not a regular file, so not a database")
    try:
        with path.open("rb") as f:
            head = f.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise UsageError(f"--db: cannot read {database}: {exc.strerror or exc}") from None
    if head and head != _SQLITE_HEADER:  # an empty file is a database not yet begun
        raise UsageError(f"--db: {database} is not a SQLite database (nor a coi database)")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise UsageError(f"--db: not a database path or URL: {url!r}") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                _check_sqlite_file(database)
            engine = create_engine(parsed, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        connect: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            connect["connect_timeout"] = CONNECT_TIMEOUT
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect)
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"--db: the driver for {parsed.drivername} is not installed "
            "(for PostgreSQL: pip install 'coi[postgres]')"
        ) from exc
    except (ArgumentError, TypeError, ValueError) as exc:
        # An unknown dialect (foo://) or options the driver refuses.
        raise UsageError(f"--db: not a database coi can use: {url!r}: {_one_line(exc)}") from exc


@functools.cache
def _scripts() -> ScriptDirectory:
    # Reading the migration scripts costs more than the check itself: once per process.
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


def head_revision() -> str:
    """This coi's schema version (HEAD_REVISION, which a test holds to the scripts' head)."""
    return HEAD_REVISION


def _version_rows(engine: Engine) -> list[str] | None:
    """The rows of Alembic's version table in one plain query; None when there is no such
    table (a new database, or one coi did not make)."""
    with engine.connect() as conn:  # a database that cannot be opened fails here, as before
        try:
            result = conn.execute(text("SELECT version_num FROM alembic_version"))
        except DBAPIError:
            # No version table. The slow path looks at the tables to say which case it is
            # (and meets any other error again, where it is reported in one line).
            return None
        return [row[0] for row in result]


def current_revision(engine: Engine) -> str | None:
    rows = _version_rows(engine)
    if not rows:
        return None
    if len(rows) > 1:  # branches, which coi's linear history never makes: ask Alembic
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return rows[0]


def upgrade(engine: Engine) -> None:
    """Bring the schema to this coi's head; refuse a database made by a newer coi."""
    try:
        _upgrade(engine)
    except DBAPIError as exc:
        # The file or server is not a database we can open (not SQLite, unreadable,
        # read-only, no server answering): one line naming it, never a traceback.
        where = engine.url.render_as_string(hide_password=True)
        raise UsageError(
            f"--db: cannot open the database {where}: {_one_line(exc.orig or exc)}"
        ) from exc


def _upgrade(engine: Engine) -> None:
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return  # the usual case, every command: no Alembic import at all
    if current is None:
        tables = set(inspect(engine).get_table_names())
        if tables and "organisations" not in tables:
            raise DatabaseVersionError(
                f"{engine.url.render_as_string()}: not a coi database "
                f"(it has tables {', '.join(sorted(tables)[:5])} but no coi schema)"
            )
    else:
        try:
            _scripts().get_revision(current)
        except Exception as exc:
            raise DatabaseVersionError(
                f"the database is at schema version {current}, which this coi "
                f"({head_revision()}) does not know: it was made by a newer coi; upgrade coi"
            ) from exc
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_engine(db: str | None = None, *, migrate: bool = True) -> Engine:
    engine = make_engine(database_url(db))
    if migrate:
        upgrade(engine)
    return engine


_ENGINES: OrderedDict[str, Engine] = OrderedDict()
_KEEP = 4


def shared_engine(db: str | None = None) -> Engine:
    """An engine for this process, reused by later commands on the same database.

    A command-line run makes one; a program or test running many commands in one
    process keeps its connections and compiled statements. The schema version is
    checked on every call, so a database changed behind our back is still refused.
    """
    url = database_url(db)
    engine = _ENGINES.pop(url, None)
    if engine is None:
        engine = make_engine(url)
    try:
        upgrade(engine)
    except Exception:
        engine.dispose()
        raise
    _ENGINES[url] = engine
    while len(_ENGINES) > _KEEP:
        _, old = _ENGINES.popitem(last=False)
        old.dispose()
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
