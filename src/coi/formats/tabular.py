"""Rows of plain values written as JSON, CSV, Markdown or HTML: the machine and paper formats.

Every list and report goes through here, so the same guarantees hold everywhere:
JSON is a stable list of objects with the documented keys; CSV cells that a spreadsheet
would run as a formula are neutralised; HTML is escaped; in Markdown no value starts a
new line (so never a new table row or heading) and pipes in a table are escaped.
(Terminal tables are drawn by ``coi.cli.output`` with rich.)
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

# A leading character that makes Excel, LibreOffice or Sheets evaluate a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str


def columns(*specs: str | Column) -> list[Column]:
    """Columns from ``"key=Header"`` texts, a bare key headed by its own words
    ("service_areas": "Service areas"), or columns as they are."""
    return [spec if isinstance(spec, Column) else _column(spec) for spec in specs]


def _column(spec: str) -> Column:
    key, _, header = spec.partition("=")
    return Column(key, header or key.replace("_", " ").capitalize())


def pick(record: object, *names: str) -> dict[str, Any]:
    """Attributes of a record as a row, each under its own name (tuples as lists)."""
    return {n: list(v) if isinstance(v := getattr(record, n), tuple) else v for n in names}


def plain(value: Any) -> Any:
    """A value as JSON would hold it: dates as ISO text, enums as their value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value


def cell_text(value: Any, *, grouped: bool = True) -> str:
    """A value as text for a table cell; ``grouped`` writes 250000.0 as 250,000 for people.

    CSV passes ``grouped=False`` so that spreadsheets read numbers as numbers.
    """
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell_text(v, grouped=grouped) for v in value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}" if grouped else f"{value:.0f}"
    return str(value)


def safe_csv_cell(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection) by prefixing a quote character."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_json(rows: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> str:
    return json.dumps(plain(rows), indent=2, ensure_ascii=False) + "\n"


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([safe_csv_cell(cell_text(row.get(c.key), grouped=False)) for c in columns])
    return out.getvalue()


def md_inline(value: Any) -> str:
    """A value on one Markdown line: every line break (CR, LF, and the Unicode ones that
    some renderers honour) becomes a space, so a value never starts a row or a heading."""
    return " ".join(cell_text(value).splitlines())


def _md_cell(value: Any) -> str:
    # Backslashes first: otherwise a value's own backslash before a pipe would escape the
    # backslash added for the pipe, and leave the pipe bare to split the cell.
    return md_inline(value).replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], title: str | None = None
) -> str:
    lines = [f"## {md_inline(title)}", ""] if title else []
    lines.append("| " + " | ".join(_md_cell(c.header) for c in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    lines.extend("| " + " | ".join(_md_cell(r.get(c.key)) for c in columns) + " |" for r in rows)
    return "\n".join(lines) + "\n"


def html_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    head = "".join(f"<th>{html.escape(c.header)}</th>" for c in columns)
    body = "\n".join(
        "<tr>"
        + "".join(f"<td>{html.escape(cell_text(r.get(c.key)))}</td>" for c in columns)
        + "</tr>"
        for r in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def html_page(title: str, sections: Sequence[tuple[str, str]]) -> str:
    """A standalone, printable HTML page; ``sections`` are (heading, already-escaped html)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "margin-bottom:1.5em}th,td{border:1px solid #999;padding:4px 8px;text-align:left;"
        "vertical-align:top}th{background:#eee}</style>",
        "</head>",
        "<body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, content in sections:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(content)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def to_html(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], title: str = "coi"
) -> str:
    return html_page(title, [("", html_table(rows, columns))])
