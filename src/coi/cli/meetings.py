"""``coi meeting`` and ``coi agenda``: meetings of bodies and the items on their agendas."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import FormatOption, ListFormat, Repeated
from coi.cli.field_options import field_options
from coi.cli.rename import add_rename
from coi.domain.words import ItemKind, MeetingStatus
from coi.errors import UsageError
from coi.formats.tabular import columns, pick

if TYPE_CHECKING:
    from coi.domain.model import AgendaItem
    from coi.services.meetings import Scheduled

app = common.group(
    "Meetings of bodies: when, where, who is invited, and their status.\n\n"
    "Example:\n\n    coi meeting add lit-adult-mh --start '2027-01-14 10:00' --duration 2h"
)

agenda_app = common.group(
    "Agenda items of a meeting, in order: number, title, kind and what they concern.\n\n"
    "Example:\n\n    coi agenda add lit-2027-01 5 'Crisis house' --kind contract-award"
)

MEETING_COLUMNS = columns(
    "id",
    "body",
    "title",
    "start",
    "end",
    "timezone=Time zone",
    "location",
    "status",
    "item_count=Items",
)

ITEM_COLUMNS = columns(
    "number=No.", "title", "kind", "service_areas", "organisations", "references", "value",
    "papers",
)  # fmt: skip

MeetingArgument = Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")]
NumberArgument = Annotated[str, typer.Argument(help="The item's number.")]
EndOption = Annotated[
    str | None, typer.Option("--end", help="YYYY-MM-DD HH:MM, or HH:MM on the same day.")
]
DurationOption = Annotated[
    str | None, typer.Option("--duration", help="Instead of --end: 2h, 90m, 1h30m.")
]
TextFileOption = Annotated[
    Path | None, typer.Option("--text-file", help="Read the text from a file (- for stdin).")
]


class ShowFormat(StrEnum):
    """Formats of ``coi meeting show``: a header and an agenda, which CSV cannot hold."""

    table = "table"
    json = "json"
    md = "md"


def _duration(end: str | None, duration: str | None) -> dt.timedelta | None:
    from coi.domain.meeting_times import parse_duration

    if end is not None and duration is not None:
        raise UsageError("--end and --duration: give one or the other")
    return parse_duration(duration) if duration is not None else None


def _meeting_row(found: Scheduled, fmt: str) -> dict[str, Any]:
    from coi.domain.meeting_times import display_time, iso_local

    m, body, zone = found.meeting, found.body, found.zone
    shown = display_time if fmt == "table" else iso_local
    return {
        "id": m.id,
        "body": m.body,
        "body_name": body.name,
        "title": m.title,
        "start": shown(m.start, zone),
        "end": shown(m.end, zone),
        "timezone": zone,
        "start_utc": m.start.astimezone(dt.UTC).isoformat(),
        "end_utc": m.end.astimezone(dt.UTC).isoformat() if m.end else None,
        "location": m.location,
        "status": m.status.value,
        "guests": list(m.guests),
        "item_count": len(m.items),
        "sequence": m.sequence,
    }


def _item_row(item: AgendaItem) -> dict[str, Any]:
    return pick(
        item, "number", "title", "kind", "text", "service_areas", "organisations", "references"
    ) | {"value": item.value, "papers": [paper.name for paper in item.papers]}


def _read_text(text: str | None, text_file: Path | None) -> str | None:
    """The item text from ``--text`` or ``--text-file`` (``-`` reads standard input)."""
    if text is not None and text_file is not None:
        raise UsageError("--text and --text-file: give one or the other")
    if text_file is None:
        return text
    from coi.formats.yamlread import POLICY_LIMIT, read_text, size_limit

    if str(text_file) == "-":
        return sys.stdin.read(size_limit(POLICY_LIMIT)).strip()
    # Bounded like a policy file: an item's text is a page or two, never /dev/zero.
    read, problems = read_text(text_file, size_limit(POLICY_LIMIT))
    if read is None:
        raise UsageError(f"--text-file: {problems[0]}")
    return read.strip()


# -- coi meeting --------------------------------------------------------------


@app.command("add")
def add(
    ctx: typer.Context,
    body: Annotated[str, typer.Argument(help="The body that meets: id, id prefix or name.")],
    start: Annotated[
        str,
        typer.Option(
            "--start", help="Local time in the body's zone, YYYY-MM-DD HH:MM.", show_default=False
        ),
    ],
    end: EndOption = None,
    duration: DurationOption = None,
    title: Annotated[str | None, typer.Option("--title", help="Default: the body's name.")] = None,
    location: Annotated[str, typer.Option("--location")] = "",
    guests: Annotated[
        Repeated,
        typer.Option("--guest", help="A person invited besides members (repeat)."),
    ] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Short id; default <body short>-<YYYY-MM-DD>.")
    ] = None,
) -> None:
    """Add a meeting of a body. Times are the body's local time (stored in UTC).

    Example:

        coi meeting add lit-adult-mh --start "2027-01-14 10:00" --end 12:00
    """
    from coi.domain.meeting_times import when
    from coi.services.meetings import add_meeting

    length = _duration(end, duration)
    with common.session(write=True) as s:
        saved = add_meeting(s, **common.options(ctx, duration=length))
    assert saved.start is not None
    what = f"{saved.id}: {when(saved.start, saved.end, saved.zone)}"
    common.report("added meeting", what, saved.changed)


@app.command("list")
def list_(
    body: Annotated[str | None, typer.Option("--body", help="Only this body's meetings.")] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Meetings on or after YYYY-MM-DD (local).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Meetings on or before YYYY-MM-DD (local).")
    ] = None,
    status: Annotated[MeetingStatus | None, typer.Option("--status")] = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """List meetings in time order, with local times and the time zone.

    JSON and CSV give times as ISO 8601 with the local offset (and ``start_utc``).

    Example:

        coi meeting list --body lit-adult-mh --from 2027-01-01 --format json
    """
    from coi.cli.output import emit
    from coi.services.meetings import list_meetings

    first = common.parse_date_option(start, "--from")
    last = common.parse_date_option(until, "--to")
    if first and last and last < first:
        raise UsageError(f"--to: {until} is before --from {start}")
    with common.session() as s:
        found = list_meetings(s, body=body, first=first, last=last, status=status)
    rows = [_meeting_row(x, fmt.value) for x in found]
    emit(rows, MEETING_COLUMNS, fmt.value, title="Meetings", empty="no meetings")


@app.command("show")
def show(
    meeting: MeetingArgument,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.table,
) -> None:
    """Show a meeting: when and where, who is invited, and its agenda in order.

    Example:

        coi meeting show lit-2027-01 --format md > agenda.md
    """
    from rich.markup import escape

    from coi.cli.output import emit
    from coi.domain.meeting_times import when
    from coi.formats.tabular import cell_text, to_json
    from coi.services.meetings import show_meeting

    with common.session() as s:
        found = show_meeting(s, meeting)
    m, b, zone, names = found.meeting, found.body, found.zone, found.names
    detail = _meeting_row(found, "json")
    detail["guest_names"] = [names.person(g) for g in m.guests]
    detail["items"] = [_item_row(i) for i in m.items]
    if fmt == ShowFormat.json:
        common.write(to_json(detail))
        return
    shown = [
        {**_item_row(i), "organisations": [names.org(o) for o in i.organisations]} for i in m.items
    ]
    guests = ", ".join(detail["guest_names"])
    if fmt == ShowFormat.md:
        lines = [
            f"# {m.title}",
            "",
            f"- **Body:** {b.name}",
            f"- **When:** {when(m.start, m.end, zone)} ({zone})",
        ]
        if m.location:
            lines.append(f"- **Where:** {m.location}")
        lines.append(f"- **Status:** {m.status.value}")
        if guests:
            lines.append(f"- **Guests:** {guests}")
        lines += ["", "## Agenda", ""]
        if not shown:
            lines += ["No items.", ""]
        for item in shown:
            lines += [f"### {item['number']}. {item['title']}", ""]
            facts = [f"*{item['kind']}*"]
            for key in ("service_areas", "organisations", "references", "value"):
                if item[key] not in (None, []):
                    facts.append(f"{key.replace('_', ' ')}: {cell_text(item[key])}")
            lines += [" · ".join(facts), ""]
            if item["text"]:
                lines += [item["text"], ""]
        common.write("\n".join(lines))
        return
    out = common.stdout()
    out.print(f"[bold]{escape(m.title)}[/bold] ({escape(m.id)}), {m.status.value}")
    out.print(f"  body: {escape(b.name)} ({escape(b.id)})")
    out.print(f"  when: {when(m.start, m.end, zone)} ({zone})")
    if m.location:
        out.print(f"  where: {escape(m.location)}")
    if guests:
        out.print(f"  guests: {escape(guests)}")
    emit(shown, ITEM_COLUMNS, "table", title="Agenda", empty="no agenda items")


@app.command("edit")
@field_options("meetings", "title", "location", "guests")
def edit(
    ctx: typer.Context,
    meeting: MeetingArgument,
    start: Annotated[
        str | None,
        typer.Option("--start", help="YYYY-MM-DD HH:MM local; the end moves with it."),
    ] = None,
    end: EndOption = None,
    duration: DurationOption = None,
    status: Annotated[
        MeetingStatus | None,
        typer.Option("--status", help="held once it has taken place; scheduled to reinstate."),
    ] = None,
    **changes: object,
) -> None:
    """Change a meeting's time, place, title, guests or status.

    Moving the start moves the end with it unless --end or --duration is given.

    Example:

        coi meeting edit lit-2027-01 --start "2027-01-21 14:00" --end 16:00
    """
    from coi.services.meetings import edit_meeting

    length = _duration(end, duration)
    with common.session(write=True) as s:
        edit = common.edits(ctx, "meetings", skip=("duration",))
        saved = edit_meeting(s, meeting, edit, duration=length)
    common.report("updated meeting", saved.id, saved.changed)


@app.command("cancel")
def cancel(
    meeting: MeetingArgument,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why; kept in the meeting's notes.")
    ] = None,
) -> None:
    """Cancel a meeting. Its record and agenda stay; calendars are told it changed.

    Example:

    \b
        coi meeting cancel lit-2027-01 --reason "Not quorate: moved to February"
    """
    from coi.services.meetings import cancel_meeting

    with common.session(write=True) as s:
        saved = cancel_meeting(s, meeting, reason)
    common.report("cancelled meeting", saved.id, saved.changed)


# -- coi agenda ---------------------------------------------------------------


PaperOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--paper",
        help="A paper (PDF, DOCX, HTML or text) whose text is searched like the item's (repeat).",
    ),
]


@agenda_app.command("add")
def agenda_add(
    ctx: typer.Context,
    meeting: MeetingArgument,
    number: Annotated[str, typer.Argument(help="Item number as printed: 5, 5.1, 7a.")],
    title: Annotated[str, typer.Argument(help="The item's title.")],
    kind: Annotated[ItemKind, typer.Option("--kind")] = ItemKind.DISCUSSION,
    text: Annotated[str | None, typer.Option("--text", help="The item's text or summary.")] = None,
    text_file: TextFileOption = None,
    service_areas: common.ServiceAreasOption = None,
    orgs: Annotated[
        Repeated,
        typer.Option("--org", help="An organisation the item names: id or name (repeat)."),
    ] = None,
    references: common.ReferencesOption = None,
    value: Annotated[float | None, typer.Option("--value", help="Value in pounds.")] = None,
    after: Annotated[
        str | None, typer.Option("--after", help="Put it after this item (default: at the end).")
    ] = None,
    papers: PaperOption = None,
) -> None:
    """Add an item to a meeting's agenda, at the end unless --after says where.

    A paper's text is read once, now, and stored with the item; `coi check` searches it
    like the item's text.

    Example:

        coi agenda add lit-2027-01 5 "Crisis house" --kind contract-award --paper evaluation.pdf
    """
    from coi.services.meetings import add_item

    body_text = _read_text(text, text_file)
    with common.session(write=True) as s:
        saved = add_item(s, **common.options(ctx, "text_file", text=body_text))
    common.report("added item", f"{number.strip()} to {saved.id}", saved.changed)


@agenda_app.command("list")
def agenda_list(meeting: MeetingArgument, fmt: FormatOption = ListFormat.table) -> None:
    """List a meeting's agenda items in order (JSON includes each item's text).

    Example:

        coi agenda list lit-2027-01 --format json
    """
    from coi.cli.output import emit
    from coi.services.meetings import find

    with common.session() as s:
        m = find(s, meeting).meeting
    rows = [_item_row(i) for i in m.items]
    title = f"Agenda: {m.title}"
    if fmt == ListFormat.table:  # rich reads [brackets] in a table title as markup
        from rich.markup import escape

        title = escape(title)
    emit(rows, ITEM_COLUMNS, fmt.value, title=title, empty="no agenda items")


@agenda_app.command("edit")
@field_options("item", "title", "kind", "service_areas", "organisations", "references", "value")
def agenda_edit(
    ctx: typer.Context,
    meeting: MeetingArgument,
    number: NumberArgument,
    new_number: Annotated[str | None, typer.Option("--number", help="Renumber the item.")] = None,
    text: Annotated[str | None, typer.Option("--text")] = None,
    text_file: TextFileOption = None,
    no_value: Annotated[bool, typer.Option("--no-value", help="Clear the value.")] = False,
    add_paper: Annotated[
        list[Path] | None,
        typer.Option("--add-paper", help="Attach a paper, read now (PDF, DOCX, HTML, text)."),
    ] = None,
    remove_paper: Annotated[
        list[str] | None,
        typer.Option("--remove-paper", help="Take off a paper, by its file name (repeat)."),
    ] = None,
    **changes: object,
) -> None:
    """Change an agenda item; it keeps its place in the agenda.

    Example:

        coi agenda edit lit-2027-01 5 --add-org change-up --value 300000
    """
    from coi.services.meetings import edit_item

    body_text = _read_text(text, text_file)
    with common.session(write=True) as s:
        edit = common.edits(
            ctx, "item", skip=("new_number", "text_file"), number=new_number, text=body_text
        )
        saved = edit_item(s, meeting, number, edit)
    shown = (new_number if new_number is not None else number).strip()
    common.report("updated item", f"{shown} of {saved.id}", saved.changed)


@agenda_app.command("remove")
def agenda_remove(meeting: MeetingArgument, number: NumberArgument) -> None:
    """Take an item off a meeting's agenda; the other items keep their numbers and order.

    Example:

        coi agenda remove lit-2027-01 5.1
    """
    from coi.services.meetings import remove_item

    with common.session(write=True) as s:
        saved = remove_item(s, meeting, number)
    common.report("removed item", f"{number.strip()} from {saved.id}", saved.changed)


add_rename(app, "meetings", "meeting", "coi meeting rename lit-adult-mh-2027-07-15 lit-2027-07")
