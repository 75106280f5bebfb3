"""What every command shares: the chosen database, a session per command, output formats.

Heavy imports (SQLAlchemy, the store) happen inside functions, so that ``coi --help``
and shell completion stay fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from coi.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy.orm import Session

    from coi.services.changes import Changes


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


@dataclass
class State:
    """Options given before the command (``coi --db X load ...``)."""

    db: str | None = None


STATE = State()


def stdout() -> Console:
    from rich.console import Console

    # Wide when piped so that tables written to files are not wrapped at 80 columns, unless
    # COLUMNS says how wide (a pager, a script that wants a set width).
    columns = os.environ.get("COLUMNS", "")
    piped = int(columns) if columns.isdigit() and int(columns) > 0 else 200
    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else piped)


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def message(text: str) -> None:
    """A note for the person at the terminal (stderr), never mixed into data on stdout.

    One line however long, so that scripts and tests can grep it.
    """
    stderr().print(text, soft_wrap=True)


def write(text: str) -> None:
    """Data for stdout exactly as given (JSON, CSV, Markdown, HTML, YAML)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def write_output(path: Path, data: str | bytes) -> None:
    """Write a command's output file whole, or fail with one line that names the file."""
    with open_output(path) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def open_output(path: Path) -> Iterator[BinaryIO]:
    """A command's output file to write as a stream (a large log export), kept whole.

    The data goes to a temporary file beside it first and is renamed over it only when
    the block finishes, so a full disk, an error or a killed process never leaves half a
    dump, log or calendar behind; a folder or an unwritable path is one line, exit 2.
    """
    import tempfile

    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name (e.g. {path / 'out'})")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        # mkstemp makes the file private; an output file gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def show_progress() -> bool:
    """Progress bars only for a person watching a terminal, never in pipes or CI logs."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def session(*, write: bool = False) -> AbstractContextManager[Session]:
    """A session on the database chosen by ``--db`` (see ``coi.services.open_session``)."""
    from coi.services import open_session

    return open_session(STATE.db, write=write)


def parse_date_option(value: str | None, option: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` option value as a date; a clear exit-2 error otherwise."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None


# -- options and checks shared by several command groups ----------------------

TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="Take this date (YYYY-MM-DD) as today: meetings before it are past. "
        "Default: the real date.",
    ),
]
FromOption = Annotated[str | None, typer.Option("--from", help="First meeting date, YYYY-MM-DD.")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last meeting date, YYYY-MM-DD.")]
PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", help="A policy YAML file; default: NHS England's guidance."),
]


def today_option(value: str | None) -> dt.date:
    return parse_date_option(value, "--today") or dt.date.today()


def date_range(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``--from``/``--to`` as dates; a range that runs backwards is an error."""
    first = parse_date_option(start, "--from")
    last = parse_date_option(end, "--to")
    if first is not None and last is not None and first > last:
        raise UsageError(f"--from {first} is after --to {last}: the dates are the wrong way round")
    return first, last


def on_date(value: str, option: str = "--on") -> dt.date:
    """A required date option (``--on``) as a date."""
    day = parse_date_option(value, option)
    assert day is not None  # typer has made sure the option was given
    return day


# The day something ends, for every command that ends a record; read as a date.
OnOption = Annotated[
    dt.date,
    typer.Option("--on", parser=on_date, help="The last day, YYYY-MM-DD."),
]


def group(help: str) -> typer.Typer:
    """A command group (``coi org``, ``coi person`` ...) that shows its help when bare."""
    return typer.Typer(help=help, no_args_is_help=True)


def report(action: str, what: str, changed: bool) -> None:
    """The one line an add, edit or end prints: what it did, or that nothing changed."""
    message(f"{action} {what}" if changed else f"{what}: no change")


# Options of the record commands, declared once.
FormatOption = Annotated[ListFormat, typer.Option("--format", "-f")]
RecordArgument = Annotated[str, typer.Argument(help="Id, id prefix or name.")]
NotesOption = Annotated[str, typer.Option("--notes")]
IdOption = Annotated[str | None, typer.Option("--id", help="Short id; default from the name.")]
StartOption = Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")]
VotingOption = Annotated[bool, typer.Option("--voting/--non-voting")]
Repeated = list[str] | None
ServiceAreasOption = Annotated[
    Repeated, typer.Option("--service-area", help="e.g. mental-health/adult (repeat).")
]
ReferencesOption = Annotated[
    Repeated, typer.Option("--reference", help="Tender or contract id (repeat).")
]


def options(ctx: typer.Context, *skip: str, **parsed: object) -> dict[str, Any]:
    """A command's parameters by name, for the service whose parameters have the same names
    (a test holds them equal): less those in ``skip``, and with the values the command has
    parsed itself (dates) in ``parsed``."""
    return {k: v for k, v in ctx.params.items() if k not in skip} | parsed


def edits(
    ctx: typer.Context, record: str, *, skip: tuple[str, ...] = (), **parsed: object
) -> Changes:
    """What an edit command's options ask to change in one record of ``record``
    (``Changes.of`` reads them by name); the command's arguments and the options in
    ``skip`` are not changes, and ``parsed`` gives values the command has parsed itself."""
    from coi.services.changes import Changes

    arguments = {p.name for p in ctx.command.params if p.param_type_name == "argument"}
    given = {k: v for k, v in ctx.params.items() if k not in arguments and k not in skip}
    return Changes.of(record, given | parsed)


def one_of(**given: str | None) -> None:
    """At most one of some mutually exclusive options."""
    chosen = [f"--{k.replace('_', '-')}" for k, v in given.items() if v is not None]
    if len(chosen) > 1:
        raise UsageError(f"give only one of {', '.join(chosen)}")
