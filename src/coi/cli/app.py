"""The ``coi`` command: the root, its global options, and the one place errors become exits.

Sub-command groups live in their own modules (one per noun) and are attached here.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from coi import __version__
from coi.cli import common, entities
from coi.errors import CoiError


def _short(text: str, limit: int) -> str:
    """The first sentence, cut at a word to fit ``limit`` (what click does for loaded ones)."""
    first = text.split(". ")[0].rstrip(".")
    if len(first) <= limit:
        return first + ("." if text.rstrip().endswith(".") or ". " in text else "")
    return first[: limit - 3].rsplit(" ", 1)[0] + "..."


def _unforeseen(exc: Exception) -> str:
    """One line for an exception no command turned into a CoiError."""
    driver = getattr(exc, "orig", None)
    if type(exc).__module__ == "sqlalchemy.exc" and driver is not None:
        # The database said no (read-only, locked past the wait, disk full, server gone):
        # its own words, without the SQL statement SQLAlchemy adds.
        return f"error: the database refused: {' '.join(str(driver).split())[:200]}"
    what = " ".join(str(exc).split())[:200]
    return (
        f"error: {type(exc).__name__}: {what} (a bug in coi: please report it with the "
        "command you ran; COI_DEBUG=1 shows where it happened)"
    )


class _CoiGroup(TyperGroup):
    """The root group: loads noun groups on first use, and turns every CoiError raised by
    any command into its message and exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(g.name for g in entities.GROUPS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in entities.BY_NAME:
            command = entities.load_command(cmd_name)
            self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # Summaries of unloaded groups come from the table, so help imports nothing more.
        rows = []
        limit = formatter.width - 6 - max(len(n) for n in self.list_commands(ctx))
        for name in self.list_commands(ctx):
            command = super().get_command(ctx, name)
            if command is not None:
                if not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
            elif name in entities.BY_NAME:
                rows.append((name, _short(entities.BY_NAME[name].summary, limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        # Bytes that are not UTF-8 reach Python as lone surrogates, which no database,
        # file or terminal takes: refuse them here, once, rather than deep in a command.
        words = sys.argv[1:] if args is None else list(args)
        for number, word in enumerate(words, 1):
            try:
                str(word).encode("utf-8")
            except UnicodeEncodeError:
                raw = str(word).encode("utf-8", "surrogateescape")  # the bytes as typed
                shown = raw.decode("ascii", "backslashreplace")
                print(f"error: argument {number} is not UTF-8 text: {shown}", file=sys.stderr)
                sys.exit(2)
        return super().main(args, *rest, **options)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CoiError as exc:
            from rich.markup import escape

            console = common.stderr()
            for line in exc.lines():
                # The message quotes what the user typed: "[x]" in it is text, not markup.
                text = f"[bold red]error:[/bold red] {escape(line)}"
                console.print(text, markup=True, soft_wrap=True)
            ctx.exit(exc.exit_code)
        except (typer.Exit, typer.Abort, typer.TyperException, BrokenPipeError):
            raise  # click's own ends: exit codes, usage errors, a closed pipe
        except Exception as exc:
            # The last net: a mistake coi failed to catch is still one line, not a traceback.
            # Tests and bug reports set COI_DEBUG=1 to see where it came from.
            if os.environ.get("COI_DEBUG"):
                raise
            common.stderr().print(_unforeseen(exc), markup=False, soft_wrap=True)
            ctx.exit(2)


app = typer.Typer(
    name="coi",
    cls=_CoiGroup,
    help=(
        "Keep a conflict-of-interest register for commissioning bodies and run their "
        "meeting governance.\n\n"
        "Example:\n\n"
        "    coi load data/plymouth.yaml && coi register --body lit-adult-mh"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coi {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="COI_DB",
            help="Database: a SQLite file path or an SQLAlchemy URL "
            "(postgresql+psycopg://user@host/db). Default: ./coi.db",
            show_envvar=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    common.STATE.db = db


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="coi")
    except CoiError as exc:  # raised outside a command (e.g. while parsing): same treatment
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        sys.exit(exc.exit_code)
