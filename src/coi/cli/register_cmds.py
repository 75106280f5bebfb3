"""``coi init``, ``coi load``, ``coi dump`` and ``coi register``: the register as a whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import ReportFormat
from coi.formats.tabular import columns

if TYPE_CHECKING:
    from coi.formats.register.diff import RecordChange


def init() -> None:
    """Create the database (or bring an older one up to this version's schema).

    Example:

    \b
        coi --db register.db init
    """
    from coi.services.register import init_database

    ready = init_database(common.STATE.db)
    common.message(f"coi database ready at {ready.url} (schema {ready.revision})")


def load(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Register YAML files; sections may be split across files.", show_default=False
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Check the files and list, record by record and field by field, what "
            "would be created, changed and cleared; change nothing.",
        ),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="The file is authoritative for the records it names: fields it leaves "
            "out are cleared (default: they keep their stored values).",
        ),
    ] = False,
    fmt: Annotated[
        common.ListFormat, typer.Option("--format", "-f", help="Output format of the report.")
    ] = common.ListFormat.table,
) -> None:
    """Load register files in one transaction: all of them or nothing.

    Records are matched by id (rota places, attendance and away periods by what they
    are of): new ones are created, changed ones updated, the rest left alone. A field a
    file leaves out keeps its stored value; a list given (items, members, pool) replaces
    the whole list; `--replace` clears what the file leaves out instead. Loading the same
    file twice changes nothing the second time. Any problem in any file (listed with
    file, line and field) stops the load and exits 2.

    Example:

    \b
        coi load data/plymouth.yaml
        coi load --dry-run changes.yaml
    """
    from coi.services.register import load as load_files

    with common.session(write=True) as s:
        loaded = load_files(s, files, dry_run=dry_run, replace=replace, progress=_progress)
    if dry_run and fmt is common.ListFormat.table:
        _show_changes(loaded.changes)
    _report_counts(loaded.counts, fmt.value, dry_run, loaded.changes if dry_run else ())
    if not dry_run and loaded.cleared:
        common.message(f"cleared {loaded.cleared} field(s) the files left empty")


def _show_changes(changes: Sequence[RecordChange]) -> None:
    """Each record a dry run would write, and each field it would set, change or clear."""
    lines = []
    for c in changes:
        lines.append(f"{c.change} {c.section} {c.record}")
        for f in c.fields:
            old = "(empty)" if f.old is None else _shown(f.old)
            new = "(cleared)" if f.new is None else _shown(f.new)
            lines.append(
                f"  {f.field}: {new}" if c.change == "created" else f"  {f.field}: {old} -> {new}"
            )
    if lines:
        common.write("\n".join(lines) + "\n")


def _shown(value: Any) -> str:
    """A value on one line, as JSON (quotes make an empty or padded text visible)."""
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar for big loads watched at a terminal."""
    if not (common.show_progress() and total > 2000):
        yield None
        return
    from rich.progress import Progress

    with Progress(console=common.stderr(), transient=True) as bar:
        task = bar.add_task("Loading", total=total)
        yield lambda n: bar.advance(task, n)


def _report_counts(
    counts: dict[str, dict[str, int]],
    fmt: str,
    dry_run: bool,
    changes: Sequence[RecordChange] = (),
) -> None:
    from dataclasses import asdict

    from coi.cli.output import emit

    rows: list[dict[str, Any]] = [{"section": k, **v} for k, v in counts.items()]
    if fmt == "json" and dry_run:  # what each record would become, under its section
        for row in rows:
            row["changes"] = [
                {k: v for k, v in asdict(c).items() if k != "section"}
                for c in changes
                if c.section == row["section"]
            ]
    loaded = columns("section", "created", "updated", "unchanged", "cleared")
    title = "Dry run: nothing was changed" if dry_run else "Loaded"
    emit(rows, loaded, fmt, title=title, empty="the files hold no records")


def dump(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Write the whole register as YAML that `coi load` reads back to the same register.

    Example:

    \b
        coi dump -o backup.yaml
    """
    from coi.services.register import dump as dump_text

    with common.session() as s:
        text = dump_text(s)
    if output is None:
        common.write(text)
    else:
        common.write_output(output, text)
        common.message(f"wrote {output}")


REGISTER_COLUMNS = columns(
    "name",
    "position",
    "bodies=Body",
    "type",
    "held_by",
    "description",
    "from",
    "to",
    "action_agreed",
    "reviewed_on=Last reviewed",
)


register_app = typer.Typer(
    invoke_without_command=True,
    rich_markup_mode=None,
)


@register_app.callback()
def register(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The register as it stood on YYYY-MM-DD.")
    ] = None,
    body: Annotated[
        str | None, typer.Option("--body", help="Only people who sit on this body.")
    ] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person.")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
) -> None:
    """Publish the register of interests, grouped by person, with NHS England's columns.

    Entries withheld from publication show as withheld with no detail; a person with
    nothing on the register shows "nil" once they have made an annual return, and
    "no return made" until they have. `coi register due` lists returns and
    declarations that are overdue.

    Example:

    \b
        coi register --body lit-adult-mh --format html > register.html
    """
    if ctx.invoked_subcommand is not None:
        return
    from coi.services.register import published

    day = common.parse_date_option(as_of, "--as-of") or dt.date.today()
    with common.session() as s:
        lines = published(s, day, body=body, person=person)
    rows: list[dict[str, Any]] = [
        {
            "person": ln.person,
            "name": ln.name,
            "position": ln.position,
            "bodies": ln.bodies,
            "type": ln.type,
            "held_by": ln.held_by,
            "description": ln.description,
            "from": ln.start,
            "to": ln.end,
            "action_agreed": ln.action_agreed,
            "reviewed_on": ln.reviewed_on,
            "interest": ln.interest,
        }
        for ln in lines
    ]
    title = f"Register of interests as at {day.isoformat()}"
    _emit_grouped(rows, fmt.value, title)


@register_app.command("due")
def due(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As things stood on YYYY-MM-DD. Default: today.")
    ] = None,
    months: Annotated[
        int, typer.Option("--months", min=1, help="How often an annual return is due.")
    ] = 12,
    fmt: common.FormatOption = common.ListFormat.table,
) -> None:
    """People whose annual return is overdue or was never made, and interests declared
    more than 28 days after they began or with no declared-on date.

    Example:

    \b
        coi register due --as-of 2027-04-01 --format csv > due.csv
    """
    from coi.cli.declarations import due as report_due

    report_due(as_of, months, fmt.value)


def _emit_grouped(rows: list[dict[str, Any]], fmt: str, title: str) -> None:
    """Tables and pages show one block per person; data formats stay flat for scripts."""
    from coi.cli.output import emit, rich_table
    from coi.formats.tabular import html_page, html_table, to_markdown

    if fmt in ("json", "csv") or not rows:
        emit(rows, REGISTER_COLUMNS, fmt, title=title, empty="no one on the register")
        return
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["person"], []).append(r)
    per_person = [c for c in REGISTER_COLUMNS if c.key not in ("name", "position", "bodies")]
    if fmt == "md":
        parts = [f"# {title}\n"]
        for items in groups.values():
            head = items[0]
            parts.append(f"## {head['name']}\n")
            parts.append(
                f"- Position: {head['position'] or '-'}\n- Body: {head['bodies'] or '-'}\n"
            )
            parts.append(to_markdown(items, per_person))
        common.write("\n".join(parts))
    elif fmt == "html":
        import html as h

        sections = []
        for items in groups.values():
            head = items[0]
            meta = (
                f"<p>Position: {h.escape(head['position'] or '-')}<br>"
                f"Body: {h.escape(head['bodies'] or '-')}</p>"
            )
            sections.append((head["name"], meta + html_table(items, per_person)))
        common.write(html_page(title, sections))
    else:
        out = common.stdout()
        out.print(f"[bold]{title}[/bold]")
        for items in groups.values():
            head = items[0]
            sub = f"{head['name']} — {head['position'] or 'no position'}"
            if head["bodies"]:
                sub += f" — {head['bodies']}"
            out.print(rich_table(items, per_person, title=sub))
