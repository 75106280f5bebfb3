"""``coi declarations`` and ``coi reconcile``: the declarations log as minutes, and a
meeting's minutes held to its flags."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from coi.cli import common
from coi.cli.common import ListFormat, PolicyOption, message
from coi.formats.tabular import columns

if TYPE_CHECKING:
    from coi.domain.declarations import Declaration
    from coi.domain.minutes import MinutedInterest
    from coi.services.minutes import Minutes

Row = dict[str, object]

# ---- coi declarations -----------------------------------------------------------------------


class MinutesFormat(StrEnum):
    """The list formats and Markdown minutes (no HTML)."""

    table = "table"
    csv = "csv"
    md = "md"
    json = "json"


DECLARATION_COLUMNS = columns(
    "seq=Entry",
    "item",
    "name=Person",
    "organisation",
    "nature=Nature of interest",
    "action",
    "left",
    "returned",
    "note",
)
FLAT_COLUMNS = columns(
    "seq=Entry",
    "kind",
    "meeting",
    "meeting_date=Date",
    "item",
    "person=Person id",
    "name=Person",
    "organisation",
    "interest",
    "nature=Nature of interest",
    "action",
    "left",
    "returned",
    "reviewed_on",
    "recorded_by",
    "recorded_at",
    "note",
)


def _note(d: Declaration) -> str:
    parts = []
    if d.amended_by:
        parts.append("amended by entry " + ", ".join(str(n) for n in d.amended_by))
    if d.retracted:
        parts.append(f"RETRACTED by entry {d.retracted_by}: {d.reason or ''}".rstrip(": "))
    return "; ".join(parts)


def _nature(d: Declaration, interest: MinutedInterest | None) -> str:
    from coi.domain.declarations import EntryKind

    if d.kind is EntryKind.NIL:
        return "nothing to declare"
    if d.kind is EntryKind.RETURN:
        return "annual return" + (": nil" if d.nil else "")
    if interest is not None and interest.withheld:
        # Words minuted beside a withheld interest (older entries may have both) would
        # publish what the register withholds.
        return interest.description
    return d.nature or (interest.description if interest else "") or d.interest or ""


def declaration_row(d: Declaration, found: Minutes) -> Row:
    """One declaration as a report row, with its meeting, names and interest spelt out."""
    held = found.meetings.get(d.meeting) if d.meeting else None
    interest = found.interests.get(d.interest) if d.interest else None
    return {
        "seq": d.seq,
        "kind": d.kind.value,
        "meeting": d.meeting,
        "meeting_title": held.title or None if held else None,
        "meeting_date": held.day if held else None,
        "body": held.body or None if held else None,
        "item": d.item,
        "person": d.person,
        "name": found.names.get(d.person or "", d.person),
        "organisation": interest.organisations if interest else "",
        "interest": interest.id if interest else d.interest,
        "nature": _nature(d, interest),
        "action": d.action.value if d.action else None,
        "left": d.left.strftime("%H:%M") if d.left else None,
        "returned": d.returned.strftime("%H:%M") if d.returned else None,
        "reviewed_on": d.reviewed_on,
        "nil": d.nil,
        "recorded_by": d.recorded_by,
        "recorded_at": d.recorded_at,
        "amended_by": list(d.amended_by),
        "retracted": d.retracted,
        "retracted_by": d.retracted_by,
        "retract_reason": d.reason,
        "note": _note(d),
    }


def declarations(
    meeting: Annotated[str | None, typer.Option("--meeting", help="Only this meeting.")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person.")] = None,
    body: Annotated[str | None, typer.Option("--body", help="Only meetings of this body.")] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only meetings held (annual returns reviewed) on or after YYYY-MM-DD.",
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show retracted entries too, marked RETRACTED.")
    ] = False,
    fmt: Annotated[MinutesFormat, typer.Option("--format", "-f")] = MinutesFormat.table,
) -> None:
    """The declarations log as minutes, "Declarations of interest" meeting by meeting:
    item, person, organisation, nature, action, and when they left and returned.

    Amendments are applied; retracted entries are hidden unless --all. Filters combine.
    Annual returns are listed after the meetings when no meeting or body is chosen.

    Example:

    \b
        coi declarations --meeting lit-2027-01 --format md > minutes-declarations.md
    """
    from coi.services.minutes import minutes

    first = common.parse_date_option(since, "--since")
    with common.session() as s:
        found = minutes(
            s, meeting=meeting, person=person, body=body, since=first, include_retracted=show_all
        )
    _render_minutes(found, fmt)


def _blocks(found: Minutes) -> list[tuple[str, bool, list[Row]]]:
    """The minutes meeting by meeting, then the annual returns: (title, returns?, rows)."""
    blocks: dict[str, tuple[bool, list[Row]]] = {}
    for d in found.declarations:
        held = found.meetings.get(d.meeting) if d.meeting else None
        if d.meeting is None:
            title = "Annual returns"
        else:
            day = held.day.isoformat() if held else "date unknown"
            title = f"{held.title if held and held.title else d.meeting}, {day} ({d.meeting})"
        blocks.setdefault(title, (d.meeting is None, []))[1].append(declaration_row(d, found))
    return [(title, returns, rows) for title, (returns, rows) in blocks.items()]


RETURN_COLUMNS = columns(
    "seq=Entry", "name=Person", "reviewed_on", "nature=Return", "recorded_by", "note"
)


def _render_minutes(found: Minutes, fmt: MinutesFormat) -> None:
    from coi.cli.output import emit, rich_table
    from coi.formats.tabular import to_markdown

    if fmt in (MinutesFormat.json, MinutesFormat.csv) or not found.declarations:
        rows = [declaration_row(d, found) for d in found.declarations]
        emit(rows, FLAT_COLUMNS, fmt, title="Declarations of interest", empty="no declarations")
        return
    blocks = _blocks(found)
    if fmt is MinutesFormat.md:
        parts = ["# Declarations of interest\n"]
        for title, returns, rows in blocks:
            parts.append(
                to_markdown(rows, RETURN_COLUMNS if returns else DECLARATION_COLUMNS, title)
            )
        common.write("\n".join(parts))
        return
    out = common.stdout()
    for title, returns, rows in blocks:
        columns = RETURN_COLUMNS if returns else DECLARATION_COLUMNS
        heading = title if returns else f"Declarations of interest: {title}"
        out.print(rich_table(rows, columns, title=heading))


# ---- coi reconcile --------------------------------------------------------------------------


RECONCILE_COLUMNS = columns(
    "item",
    "finding",
    "name=Person",
    "asked=Policy asks",
    "declared",
    "entries",
    "interests",
    "advice=What to do",
)
# On a terminal the advice is a sentence or two: in a column it would be folded into a
# strip a dozen characters wide, so the table carries a note number and the advice is
# printed beneath it, full width. Data formats keep the ``advice`` key as it was.
RECONCILE_TABLE_COLUMNS = [
    *(c for c in RECONCILE_COLUMNS if c.key != "advice"),
    *columns("note=See"),
]


def reconcile(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when anything is found (for scripts).")
    ] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    policy: PolicyOption = None,
) -> None:
    """Compare a meeting's flags (`coi check`) with the declarations minuted for it:
    flags with no declaration, declarations the register does not explain (with the
    interest to add), and actions weaker than the policy asked.

    Flags of people recorded absent or sending apologies do not count; a shared-seat
    pool member with no attendance recorded counts "if they attended". Leaving the
    room (withdrew, left-meeting) meets exclude and withdraw; no-vote meets no-vote;
    remained meets declare.

    Example:

    \b
        coi reconcile lit-2027-01 --strict
    """
    from coi.cli.output import emit
    from coi.domain.reconcile import FindingKind
    from coi.services.reconcile import reconcile as compare

    with common.session() as s:
        done = compare(s, meeting, policy)
    m, result, names = done.checked.meeting, done.result, done.checked.names()
    rows: list[Row] = [
        {
            "meeting": m.id,
            "item": f.item,
            "finding": f.kind.value,
            "person": f.person,
            "name": names.get(f.person, f.person),
            "asked": f.asked.value if f.asked else None,
            "declared": ("nil" if f.nil else f.declared.value if f.declared else None),
            "entries": list(f.entries),
            "interests": list(f.interests),
            "nature": f.nature,
            "if_attending": f.if_attending,
            "advice": f.advice,
        }
        for f in result.findings
    ]
    title = f"Reconciliation of {m.id}: flags against declarations"
    empty = f"{m.id}: every flag is declared and every declaration is flagged"
    if fmt == ListFormat.table:
        _reconcile_table(rows, title, empty)
    else:
        emit(rows, RECONCILE_COLUMNS, fmt, title=title, empty=empty)
    counts = ", ".join(f"{len(result.of_kind(k))} {k.value}" for k in FindingKind)
    summary = (
        f"{len(result.findings)} finding(s): {counts}; {result.matched} flag(s) declared as asked"
    )
    if result.excused:
        summary += f"; not counted (absent or apologies): {', '.join(result.excused)}"
    message(summary)
    if not done.minuted:
        message(f"no declarations are minuted for {m.id} yet: record them with `coi declare`")
    if strict and result.findings:
        raise typer.Exit(1)


def advice_notes(rows: list[Row]) -> list[str]:
    """Number each distinct piece of advice, in the order of the rows, and put its
    number ("[1]") in the row's ``note``; the same advice on two rows shares a number."""
    notes: list[str] = []
    for r in rows:
        advice = r.get("advice")
        if not advice:
            r["note"] = ""
            continue
        if advice not in notes:
            notes.append(str(advice))
        r["note"] = f"[{notes.index(str(advice)) + 1}]"
    return notes


def _reconcile_table(rows: Sequence[Row], title: str, empty: str) -> None:
    import textwrap

    from coi.cli.common import stdout
    from coi.cli.output import emit

    shown = [dict(r) for r in rows]
    notes = advice_notes(shown)
    emit(shown, RECONCILE_TABLE_COLUMNS, ListFormat.table, title=title, empty=empty)
    if not notes:
        return
    console = stdout()
    out = console.file
    out.write("What to do:\n")
    width = len(str(len(notes))) + 2
    for number, advice in enumerate(notes, 1):
        # Hanging indent, broken between words only: an id such as
        # ``owen-pascoe.memory-service`` is never split across lines.
        mark = f"{'[' + str(number) + ']':>{width}} "
        out.write(
            textwrap.fill(
                advice,
                width=max(console.width, 40),
                initial_indent=mark,
                subsequent_indent=" " * len(mark),
                break_long_words=False,
                break_on_hyphens=False,
            )
            + "\n"
        )
