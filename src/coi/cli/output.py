"""Render rows to the terminal (rich) or as data (JSON, CSV, Markdown, HTML) on stdout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from coi.cli.common import stdout, write
from coi.formats.tabular import Column, cell_text, to_csv, to_html, to_json, to_markdown

if TYPE_CHECKING:
    from coi.services.names import Names


def rich_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], title: str | None = None
) -> Table:
    table = Table(title=escape(title) if title else None, title_justify="left")
    for c in columns:
        table.add_column(c.header, overflow="fold")
    for r in rows:
        # Escaped: "[draft]" in a title is text, not rich markup to swallow.
        table.add_row(*(escape(cell_text(r.get(c.key))) for c in columns))
    return table


# The dates of rows that hold for a time, as ``period`` gives them.
PERIOD = (Column("from", "From"), Column("to", "To"))


def table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], title: str, empty: str
) -> None:
    """One titled table of a record's show, or what to say when it has no rows."""
    emit(rows, columns, "table", title=title, empty=empty)


def period(start: dt.date | None, end: dt.date | None, today: dt.date) -> dict[str, Any]:
    """The dates of a row, and whether it holds ``today``."""
    from coi.domain.model import active_on

    return {"from": start, "to": end, "current": active_on(start, end, today)}


def behalf(names: Names, org: str | None) -> dict[str, str | None]:
    """Whom someone acts for in a row: the organisation's id and its name."""
    return {"on_behalf_of": org, "on_behalf_of_name": names.org_or_none(org)}


def data_formats(detail: Mapping[str, Any], fmt: str, csv_columns: Sequence[Column]) -> bool:
    """Write one record's detail as JSON (all of it) or CSV (one row of ``csv_columns``);
    False when the format is for the terminal, which the caller draws."""
    if fmt == "json":
        write(to_json(dict(detail)))
        return True
    if fmt == "csv":
        write(to_csv([detail], csv_columns))
        return True
    return False


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    title: str | None = None,
    empty: str = "nothing to show",
) -> None:
    """Write rows in the chosen format; JSON holds every key of each row, not only columns."""
    if fmt == "json":
        write(to_json(list(rows)))
    elif fmt == "csv":
        write(to_csv(rows, columns))
    elif fmt == "md":
        write(to_markdown(rows, columns, title))
    elif fmt == "html":
        write(to_html(rows, columns, title or "coi"))
    elif not rows:
        stdout().print(f"[dim]{empty}[/dim]")
    else:
        stdout().print(rich_table(rows, columns, title))
