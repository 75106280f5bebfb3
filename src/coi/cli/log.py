"""``coi log verify``, ``coi log export`` and ``coi log import``: check the declarations
log's hash chain, publish its head, and move it to another database."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coi.cli import common
from coi.cli.common import message

log_app = typer.Typer(
    help=(
        "The declarations log: verify its hash chain, export it to publish its head, import "
        "it into an empty database.\n\n"
        "Example:\n\n\b\n"
        "    coi log export -o log.jsonl\n"
        "    coi log verify --file log.jsonl --anchor 42:9f86d081884c7d65...\n"
        "    coi --db postgresql+psycopg://coi@db/coi log import log.jsonl"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


@log_app.command("verify")
def verify(
    file: Annotated[
        str | None,
        typer.Option(
            "--file", help="Verify an exported JSONL file (- for stdin) instead of the database."
        ),
    ] = None,
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor", help="A head published earlier, SEQ:HASH: it must still be there."
        ),
    ] = None,
) -> None:
    """Check the whole hash chain, from the database or an exported file (no database
    needed), and name the first entry that was edited, removed, inserted or reordered.

    Exit 0 with "N entries, head SEQ:HASH" when it verifies, 3 when it does not.

    Example:

    \b
        coi log verify --file log.jsonl --anchor 42:9f86d081884c7d659a2feaa0c55ad015...
    """
    from coi.services import log

    if file is not None:
        report = log.verify_file(file, anchor)
    else:
        with common.session() as s:
            report = log.verify(s, anchor)
    common.write(f"{report.count} entries, head {report.last_seq}:{report.head}\n")


class ExportFormat(StrEnum):
    jsonl = "jsonl"


@log_app.command("export")
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Write the whole log, one entry a line with its hashes, and print its head
    (SEQ:HASH) on stderr to publish: anyone can later check a copy with `coi log verify`.

    The chain is verified as it is written; if it is broken the file is still written
    in full, and the command exits 3 naming the first bad entry.

    Example:

    \b
        coi log export -o declarations-2027.jsonl
    """
    import io
    import sys

    from coi.errors import IntegrityFailure
    from coi.services import log

    assert fmt is ExportFormat.jsonl
    with common.session() as s:
        if output is None:
            done = log.export(s, sys.stdout)
            sys.stdout.flush()
        else:
            with common.open_output(output) as raw:
                stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                done = log.export(s, stream)
                stream.flush()
                stream.detach()  # the file is closed (and renamed) by open_output
    if output:
        message(f"wrote {done.count} entries to {output}")
    if not done.report.ok:
        raise IntegrityFailure(done.report.message)
    message(f"head {done.report.last_seq}:{done.report.head}")


@log_app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A log written by `coi log export` (- for stdin).")],
) -> None:
    """Import an exported log into a database whose log is empty, exactly as it was
    (entry numbers, times, who recorded them, hashes), so its head stays the one published.

    The chain is verified first: one that does not verify, or a database whose log
    already holds entries, is refused with exit 3 and nothing is stored.

    Example:

    \b
        coi log export -o log.jsonl
        coi --db postgresql+psycopg://coi@db/coi log import log.jsonl
    """
    from coi.services import log

    with common.session(write=True) as s:
        report = log.import_log(s, file)
    message(f"imported {report.count} entries, head {report.last_seq}:{report.head}")
