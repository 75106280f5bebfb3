"""``coi meeting`` and ``coi agenda``: meetings of bodies and the items on their agendas."""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer

from coi.cli import common, records
from coi.cli.common import ListFormat
from coi.domain.words import ItemKind, MeetingStatus
from coi.errors import UsageError
from coi.formats.tabular import Column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.model import AgendaItem, Body, Meeting

app = typer.Typer(
    help="Meetings of bodies: when, where, who is invited, and their status.\n\n"
    "Example:\n\n    coi meeting add lit-adult-mh --start '2027-01-14 10:00' --duration 2h",
    no_args_is_help=True,
)

agenda_app = typer.Typer(
    help="Agenda items of a meeting, in order: number, title, kind and what they concern.\n\n"
    "Example:\n\n    coi agenda add lit-2027-01 5 'Crisis house' --kind contract-award",
    no_args_is_help=True,
)

MEETING_COLUMNS = [
    Column("id", "Id"),
    Column("body", "Body"),
    Column("title", "Title"),
    Column("start", "Start"),
    Column("end", "End"),
    Column("timezone", "Time zone"),
    Column("location", "Location"),
    Column("status", "Status"),
    Column("item_count", "Items"),
]

ITEM_COLUMNS = [
    Column("number", "No."),
    Column("title", "Title"),
    Column("kind", "Kind"),
    Column("service_areas", "Service areas"),
    Column("organisations", "Organisations"),
    Column("references", "References"),
    Column("value", "Value"),
]

# The agenda_items.number column holds at most this many characters.
MAX_NUMBER = 20

_HOURS_MINUTES = re.compile(r"(\d+):([0-5]\d)")
_UNITS = re.compile(r"(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?|s)?)?)?")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")


class ShowFormat(StrEnum):
    """Formats of ``coi meeting show``: a header and an agenda, which CSV cannot hold."""

    table = "table"
    json = "json"
    md = "md"


def parse_duration(text: str, option: str = "--duration") -> dt.timedelta:
    """A meeting length from ``2h``, ``90m``, ``1h30m``, ``1.5h`` or ``1:30``."""
    t = text.strip().lower()
    hours: float = 0
    minutes = 0
    clock = _HOURS_MINUTES.fullmatch(t)
    units = _UNITS.fullmatch(t)
    if clock:
        hours, minutes = int(clock[1]), int(clock[2])
    elif units and (units[1] or units[2]):
        hours, minutes = float(units[1] or 0), int(units[2] or 0)
    else:
        raise UsageError(f"{option}: {text!r} is not a length of time (e.g. 2h, 90m, 1h30m)")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    if delta <= dt.timedelta(0):
        raise UsageError(f"{option}: {text!r} is no time at all")
    return delta


def local(moment: dt.datetime, zone: str) -> dt.datetime:
    """A stored (UTC) time as the body's wall-clock time."""
    return moment.astimezone(ZoneInfo(zone))


def display_time(moment: dt.datetime | None, zone: str) -> str:
    """``2027-07-14 10:00 BST``: the wall-clock time with the zone's abbreviation."""
    if moment is None:
        return ""
    here = local(moment, zone)
    return here.strftime("%Y-%m-%d %H:%M ") + (here.tzname() or zone)


def iso_local(moment: dt.datetime | None, zone: str) -> str | None:
    """``2027-07-14T10:00:00+01:00``: the local time with its UTC offset, for scripts."""
    return local(moment, zone).isoformat() if moment else None


def when(start_at: dt.datetime, end_at: dt.datetime | None, zone: str) -> str:
    """``Wed 14 Jul 2027 10:00 to 12:00 BST`` (the end's date only when it differs)."""
    start = local(start_at, zone)
    text = start.strftime("%a %d %b %Y %H:%M")
    if end_at is None:
        return f"{text} {start.tzname()}"
    end = local(end_at, zone)
    if end.date() == start.date() and end.tzname() == start.tzname():
        return f"{text} to {end:%H:%M} {end.tzname()}"
    return f"{text} {start.tzname()} to {end:%a %d %b %Y %H:%M} {end.tzname()}"


def _parse_time(value: str, zone: str, option: str) -> dt.datetime:
    from coi.formats.register_yaml import parse_local_datetime

    moment, why = parse_local_datetime(value, ZoneInfo(zone))
    if moment is None:
        raise UsageError(f"{option}: {why}")
    return moment


def _parse_end(value: str, start: dt.datetime, zone: str) -> dt.datetime:
    """``--end`` as a full date and time, or a bare ``HH:MM`` on the day the meeting starts."""
    text = value.strip()
    if _CLOCK.fullmatch(text):
        text = f"{local(start, zone):%Y-%m-%d} {text}"
    end = _parse_time(text, zone, "--end")
    if end <= start:
        raise UsageError(f"--end: {value!r} is not after the start ({display_time(start, zone)})")
    return end


def _load(s: Session, text: str) -> tuple[Meeting, Body]:
    """The meeting a person names, with its body (whose zone its times are shown in)."""
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings

    (meeting,) = read_meetings(s, [resolve(s, "meetings", text)])
    (body,) = read_bodies(s, [meeting.body])
    return meeting, body


def _names(s: Session, section: str) -> dict[str, str]:
    from coi.store.register import read_section

    return {r.id: r.name for r in read_section(s, section)}


def _resolve_all(s: Session, section: str, values: list[str] | None) -> list[str]:
    from coi.store.lookup import resolve

    return list(dict.fromkeys(resolve(s, section, v) for v in values or []))


def _meeting_row(m: Meeting, body: Body, fmt: str) -> dict[str, Any]:
    zone = body.timezone
    table = fmt == "table"
    return {
        "id": m.id,
        "body": m.body,
        "body_name": body.name,
        "title": m.title,
        "start": display_time(m.start, zone) if table else iso_local(m.start, zone),
        "end": display_time(m.end, zone) if table else iso_local(m.end, zone),
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
    return {
        "number": item.number,
        "title": item.title,
        "kind": item.kind.value,
        "text": item.text,
        "service_areas": list(item.service_areas),
        "organisations": list(item.organisations),
        "references": list(item.references),
        "value": item.value,
    }


def _check_value(value: float | None) -> None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise UsageError(f"--value: {value} is not an amount of money (a number, 0 or more)")


def _check_number(number: str) -> str:
    text = number.strip()
    if not text:
        raise UsageError("NUMBER: an item needs a number, e.g. 5 or 5.1")
    if len(text) > MAX_NUMBER:
        raise UsageError(f"NUMBER: {text!r} is longer than {MAX_NUMBER} characters")
    return text


def _read_text(text: str | None, text_file: Path | None) -> str | None:
    """The item text from ``--text`` or ``--text-file`` (``-`` reads standard input)."""
    if text is not None and text_file is not None:
        raise UsageError("--text and --text-file: give one or the other")
    if text_file is None:
        return text
    if str(text_file) == "-":
        return sys.stdin.read().strip()
    try:
        return text_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise UsageError(f"--text-file: {text_file}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--text-file: {text_file}: cannot read it ({exc})") from None


def _not_cancelled(m: Meeting) -> None:
    if m.status == MeetingStatus.CANCELLED:
        raise UsageError(
            f"meeting {m.id!r} is cancelled, so its agenda cannot change "
            f"(reinstate it with `coi meeting edit {m.id} --status scheduled`)"
        )


# -- coi meeting --------------------------------------------------------------


@app.command("add")
def add(
    body: Annotated[str, typer.Argument(help="The body that meets: id, id prefix or name.")],
    start: Annotated[
        str,
        typer.Option(
            "--start", help="Local time in the body's zone, YYYY-MM-DD HH:MM.", show_default=False
        ),
    ],
    end: Annotated[
        str | None,
        typer.Option("--end", help="YYYY-MM-DD HH:MM, or HH:MM on the same day."),
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", help="Instead of --end: 2h, 90m, 1h30m.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Default: the body's name.")] = None,
    location: Annotated[str, typer.Option("--location")] = "",
    guest: Annotated[
        list[str] | None,
        typer.Option("--guest", help="A person invited besides members (repeat)."),
    ] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Short id; default <body>-<YYYY-MM-DD>.")
    ] = None,
) -> None:
    """Add a meeting of a body. Times are the body's local time (stored in UTC).

    Example:

        coi meeting add lit-adult-mh --start "2027-01-14 10:00" --end 12:00
    """
    from coi.formats.register_yaml import ID_RE, format_local
    from coi.store import schema
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies

    if end is not None and duration is not None:
        raise UsageError("--end and --duration: give one or the other")
    if id is not None and not ID_RE.match(id):
        raise UsageError(
            f"--id: {id!r} is not a valid id (lowercase letters, digits, '-', '_', '.')"
        )
    length = parse_duration(duration) if duration is not None else None
    with common.session(write=True) as s:
        (b,) = read_bodies(s, [resolve(s, "bodies", body)])
        zone = b.timezone
        starts = _parse_time(start, zone, "--start")
        ends = _parse_end(end, starts, zone) if end is not None else None
        if length is not None:
            ends = starts + length
        meeting_id = id or f"{b.id}-{local(starts, zone):%Y-%m-%d}"
        if s.get(schema.MeetingRow, meeting_id) is not None:
            raise UsageError(
                f"a meeting with id {meeting_id!r} exists: use `coi meeting edit`, "
                "or --id for a second meeting that day"
            )
        data = {
            "id": meeting_id,
            "body": b.id,
            "title": title if title is not None else b.name,
            "start": format_local(starts, zone),
            "end": format_local(ends, zone) if ends else None,
            "location": location,
            "guests": _resolve_all(s, "people", guest),
        }
        counts = records.save_data(s, {"meetings": [data]})
    records.report("added meeting", f"{meeting_id}: {when(starts, ends, zone)}", counts)


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
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List meetings in time order, with local times and the time zone.

    JSON and CSV give times as ISO 8601 with the local offset (and ``start_utc``).

    Example:

        coi meeting list --body lit-adult-mh --from 2027-01-01 --format json
    """
    from coi.cli.output import emit
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings

    first: dt.date | None = common.parse_date_option(start, "--from")
    last: dt.date | None = common.parse_date_option(until, "--to")
    if first and last and last < first:
        raise UsageError(f"--to: {until} is before --from {start}")
    with common.session() as s:
        body_id = resolve(s, "bodies", body) if body else None
        bodies = {b.id: b for b in read_bodies(s)}
        meetings = read_meetings(s)
    rows = []
    for m in meetings:
        b = bodies[m.body]
        day = local(m.start, b.timezone).date()
        if (
            (body_id is None or m.body == body_id)
            and (status is None or m.status == status)
            and (first is None or day >= first)
            and (last is None or day <= last)
        ):
            rows.append(_meeting_row(m, b, fmt.value))
    emit(rows, MEETING_COLUMNS, fmt.value, title="Meetings", empty="no meetings")


@app.command("show")
def show(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.table,
) -> None:
    """Show a meeting: when and where, who is invited, and its agenda in order.

    Example:

        coi meeting show lit-2027-01 --format md > agenda.md
    """
    from rich.markup import escape

    from coi.cli.output import emit
    from coi.formats.tabular import cell_text, to_json

    with common.session() as s:
        m, b = _load(s, meeting)
        orgs = _names(s, "organisations")
        people = _names(s, "people")
    zone = b.timezone
    detail = _meeting_row(m, b, "json")
    detail["guest_names"] = [people.get(g, g) for g in m.guests]
    detail["items"] = [_item_row(i) for i in m.items]
    if fmt == ShowFormat.json:
        common.write(to_json(detail))
        return
    shown = [
        {**_item_row(i), "organisations": [orgs.get(o, o) for o in i.organisations]}
        for i in m.items
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
def edit(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    start: Annotated[
        str | None,
        typer.Option("--start", help="YYYY-MM-DD HH:MM local; the end moves with it."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="YYYY-MM-DD HH:MM, or HH:MM on the same day.")
    ] = None,
    duration: Annotated[str | None, typer.Option("--duration", help="2h, 90m, 1h30m.")] = None,
    title: Annotated[str | None, typer.Option("--title")] = None,
    location: Annotated[str | None, typer.Option("--location")] = None,
    status: Annotated[
        MeetingStatus | None,
        typer.Option("--status", help="held once it has taken place; scheduled to reinstate."),
    ] = None,
    add_guest: Annotated[list[str] | None, typer.Option("--add-guest")] = None,
    remove_guest: Annotated[list[str] | None, typer.Option("--remove-guest")] = None,
) -> None:
    """Change a meeting's time, place, title, guests or status.

    Moving the start moves the end with it unless --end or --duration is given.

    Example:

        coi meeting edit lit-2027-01 --start "2027-01-21 14:00" --end 16:00
    """
    from coi.formats.register_yaml import format_local

    if end is not None and duration is not None:
        raise UsageError("--end and --duration: give one or the other")
    length = parse_duration(duration) if duration is not None else None
    with common.session(write=True) as s:
        m, b = _load(s, meeting)
        zone = b.timezone
        others = (start, end, duration, title, location, add_guest, remove_guest)
        if (
            m.status == MeetingStatus.CANCELLED
            and status in (None, MeetingStatus.CANCELLED)
            and any(o is not None for o in others)
        ):
            raise UsageError(
                f"meeting {m.id!r} is cancelled: reinstate it with --status scheduled to change it"
            )
        if status == MeetingStatus.CANCELLED and m.status == MeetingStatus.HELD:
            raise UsageError(f"meeting {m.id!r} was held: it cannot be cancelled")
        starts = _parse_time(start, zone, "--start") if start is not None else m.start
        ends = m.end + (starts - m.start) if m.end else None
        if end is not None:
            ends = _parse_end(end, starts, zone)
        elif length is not None:
            ends = starts + length
        if status == MeetingStatus.HELD and starts > dt.datetime.now(dt.UTC):
            raise UsageError(
                f"--status held: the meeting has not started yet ({display_time(starts, zone)})"
            )
        add_ids = _resolve_all(s, "people", add_guest)
        remove_ids = _resolve_all(s, "people", remove_guest)

        def change(d: dict[str, Any]) -> None:
            d["start"] = format_local(starts, zone)
            d["end"] = format_local(ends, zone) if ends else None
            records.set_if(d, "title", title)
            records.set_if(d, "location", location)
            records.set_if(d, "status", status.value if status else None)
            guests = list(d.get("guests") or [])
            for person in remove_ids:
                if person not in guests:
                    raise UsageError(f"--remove-guest: {person!r} is not a guest of {m.id}")
                guests.remove(person)
            d["guests"] = guests + [p for p in add_ids if p not in guests]

        counts = records.edit(s, "meetings", m.id, change)
    records.report("updated meeting", m.id, counts)


@app.command("cancel")
def cancel(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why; kept in the meeting's notes.")
    ] = None,
) -> None:
    """Cancel a meeting. Its record and agenda stay; calendars are told it changed.

    Example:

    \b
        coi meeting cancel lit-2027-01 --reason "Not quorate: moved to February"
    """
    with common.session(write=True) as s:
        m, _ = _load(s, meeting)
        if m.status == MeetingStatus.HELD:
            raise UsageError(f"meeting {m.id!r} was held: it cannot be cancelled")

        def change(d: dict[str, Any]) -> None:
            d["status"] = MeetingStatus.CANCELLED.value
            if reason:
                d["notes"] = "\n".join(x for x in (d.get("notes"), f"Cancelled: {reason}") if x)

        counts = records.edit(s, "meetings", m.id, change)
    records.report("cancelled meeting", m.id, counts)


# -- coi agenda ---------------------------------------------------------------


def _change_agenda(
    s: Session, meeting: str, change: Callable[[Meeting, list[dict[str, Any]]], None]
) -> tuple[str, dict[str, dict[str, int]]]:
    """Apply ``change`` to the agenda (file-format items, in order) of a meeting that is on."""
    m, _ = _load(s, meeting)
    _not_cancelled(m)

    def apply(d: dict[str, Any]) -> None:
        items = [dict(i) for i in d.get("items") or []]
        change(m, items)
        d["items"] = items

    return m.id, records.edit(s, "meetings", m.id, apply)


def _position(m: Meeting, items: list[dict[str, Any]], number: str) -> int:
    for n, item in enumerate(items):
        if str(item["number"]) == number:
            return n
    have = ", ".join(str(i["number"]) for i in items) or "none"
    raise UsageError(f"meeting {m.id!r} has no item {number!r} (items: {have})")


def _no_clash(m: Meeting, items: list[dict[str, Any]], number: str) -> None:
    if any(str(i["number"]) == number for i in items):
        raise UsageError(
            f"meeting {m.id!r} already has an item {number!r}: "
            f"use `coi agenda edit {m.id} {number}` or another number"
        )


@agenda_app.command("add")
def agenda_add(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    number: Annotated[str, typer.Argument(help="Item number as printed: 5, 5.1, 7a.")],
    title: Annotated[str, typer.Argument(help="The item's title.")],
    kind: Annotated[ItemKind, typer.Option("--kind")] = ItemKind.DISCUSSION,
    text: Annotated[str | None, typer.Option("--text", help="The item's text or summary.")] = None,
    text_file: Annotated[
        Path | None, typer.Option("--text-file", help="Read the text from a file (- for stdin).")
    ] = None,
    service_area: Annotated[
        list[str] | None, typer.Option("--service-area", help="e.g. mental-health/adult (repeat).")
    ] = None,
    org: Annotated[
        list[str] | None,
        typer.Option("--org", help="An organisation the item names: id or name (repeat)."),
    ] = None,
    reference: Annotated[
        list[str] | None, typer.Option("--reference", help="Tender or contract id (repeat).")
    ] = None,
    value: Annotated[float | None, typer.Option("--value", help="Value in pounds.")] = None,
    after: Annotated[
        str | None, typer.Option("--after", help="Put it after this item (default: at the end).")
    ] = None,
) -> None:
    """Add an item to a meeting's agenda, at the end unless --after says where.

    Example:

        coi agenda add lit-2027-01 5 "Crisis house" --kind contract-award
    """
    item_number = _check_number(number)
    body_text = _read_text(text, text_file)
    _check_value(value)
    item = {
        "number": item_number,
        "title": title,
        "kind": kind.value,
        "text": body_text or "",
        "service_areas": service_area or [],
        "references": reference or [],
        "value": value,
    }
    with common.session(write=True) as s:
        item["organisations"] = _resolve_all(s, "organisations", org)

        def change(m: Meeting, items: list[dict[str, Any]]) -> None:
            _no_clash(m, items, item_number)
            at = len(items) if after is None else _position(m, items, after.strip()) + 1
            items.insert(at, item)

        meeting_id, counts = _change_agenda(s, meeting, change)
    records.report("added item", f"{item_number} to {meeting_id}", counts)


@agenda_app.command("list")
def agenda_list(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List a meeting's agenda items in order (JSON includes each item's text).

    Example:

        coi agenda list lit-2027-01 --format json
    """
    from coi.cli.output import emit

    with common.session() as s:
        m, _ = _load(s, meeting)
    rows = [_item_row(i) for i in m.items]
    title = f"Agenda: {m.title}"
    if fmt == ListFormat.table:  # rich reads [brackets] in a table title as markup
        from rich.markup import escape

        title = escape(title)
    emit(rows, ITEM_COLUMNS, fmt.value, title=title, empty="no agenda items")


@agenda_app.command("edit")
def agenda_edit(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    number: Annotated[str, typer.Argument(help="The item's number.")],
    new_number: Annotated[str | None, typer.Option("--number", help="Renumber the item.")] = None,
    title: Annotated[str | None, typer.Option("--title")] = None,
    kind: Annotated[ItemKind | None, typer.Option("--kind")] = None,
    text: Annotated[str | None, typer.Option("--text")] = None,
    text_file: Annotated[
        Path | None, typer.Option("--text-file", help="Read the text from a file (- for stdin).")
    ] = None,
    add_service_area: Annotated[list[str] | None, typer.Option("--add-service-area")] = None,
    remove_service_area: Annotated[list[str] | None, typer.Option("--remove-service-area")] = None,
    add_org: Annotated[list[str] | None, typer.Option("--add-org")] = None,
    remove_org: Annotated[list[str] | None, typer.Option("--remove-org")] = None,
    add_reference: Annotated[list[str] | None, typer.Option("--add-reference")] = None,
    remove_reference: Annotated[list[str] | None, typer.Option("--remove-reference")] = None,
    value: Annotated[float | None, typer.Option("--value")] = None,
    no_value: Annotated[bool, typer.Option("--no-value", help="Clear the value.")] = False,
) -> None:
    """Change an agenda item; it keeps its place in the agenda.

    Example:

        coi agenda edit lit-2027-01 5 --add-org change-up --value 300000
    """
    item_number = _check_number(number)
    renumber = _check_number(new_number) if new_number is not None else None
    body_text = _read_text(text, text_file)
    _check_value(value)
    if value is not None and no_value:
        raise UsageError("--value and --no-value: give one or the other")
    with common.session(write=True) as s:
        orgs_in = _resolve_all(s, "organisations", add_org)
        orgs_out = _resolve_all(s, "organisations", remove_org)

        def change(m: Meeting, items: list[dict[str, Any]]) -> None:
            at = _position(m, items, item_number)
            item = items[at]
            if renumber is not None and renumber != item_number:
                _no_clash(m, items, renumber)
                item["number"] = renumber
            records.set_if(item, "title", title)
            records.set_if(item, "kind", kind.value if kind else None)
            records.set_if(item, "text", body_text)
            if no_value:
                item["value"] = None
            records.set_if(item, "value", value)
            for key, option, add, remove in (
                ("service_areas", "service-area", add_service_area, remove_service_area),
                ("organisations", "org", orgs_in, orgs_out),
                ("references", "reference", add_reference, remove_reference),
            ):
                current = list(item.get(key) or [])
                for v in remove or []:
                    if v not in current:
                        raise UsageError(
                            f"--remove-{option}: {v!r} is not on item {item_number} "
                            f"({', '.join(current) or 'none'})"
                        )
                    current.remove(v)
                item[key] = current + [v for v in dict.fromkeys(add or []) if v not in current]

        meeting_id, counts = _change_agenda(s, meeting, change)
    shown = renumber if renumber is not None else item_number
    records.report("updated item", f"{shown} of {meeting_id}", counts)


@agenda_app.command("remove")
def agenda_remove(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    number: Annotated[str, typer.Argument(help="The item's number.")],
) -> None:
    """Take an item off a meeting's agenda; the other items keep their numbers and order.

    Example:

        coi agenda remove lit-2027-01 5.1
    """
    item_number = _check_number(number)
    with common.session(write=True) as s:

        def change(m: Meeting, items: list[dict[str, Any]]) -> None:
            del items[_position(m, items, item_number)]

        meeting_id, counts = _change_agenda(s, meeting, change)
    records.report("removed item", f"{item_number} from {meeting_id}", counts)
