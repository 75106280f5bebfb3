"""Meetings of bodies and the items on their agendas.

Times are typed in the body's local time (``YYYY-MM-DD HH:MM``) and stored in UTC; the
agenda is a list in order, each item known by its printed number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coi.domain.words import ItemKind, MeetingStatus
from coi.errors import UsageError
from coi.services import records
from coi.services.changes import Changes, resolved, stem
from coi.services.names import Names, read_names
from coi.services.records import FileRecord, Saved

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from coi.domain.model import Body, Meeting

    AgendaChange = Callable[[Meeting, list[FileRecord]], None]


@dataclass(frozen=True)
class Scheduled:
    """A meeting with its body, whose time zone its times are shown in."""

    meeting: Meeting
    body: Body

    @property
    def zone(self) -> str:
        return self.body.timezone


@dataclass(frozen=True)
class MeetingDetail(Scheduled):
    names: Names = field(default_factory=Names)


@dataclass(frozen=True)
class MeetingSaved(Saved):
    """An added meeting, with its times for the message."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    zone: str = ""


def _parse_time(value: str, zone: str, option: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    from coi.formats.register import parse_local_datetime

    moment, why = parse_local_datetime(value, ZoneInfo(zone))
    if moment is None:
        raise UsageError(f"{option}: {why}")
    return moment


def _parse_end(value: str, start: dt.datetime, zone: str) -> dt.datetime:
    """``--end`` as a full date and time, or a bare ``HH:MM`` on the day the meeting starts."""
    from coi.domain.meeting_times import display_time, end_text

    end = _parse_time(end_text(value, start, zone), zone, "--end")
    if end <= start:
        raise UsageError(f"--end: {value!r} is not after the start ({display_time(start, zone)})")
    return end


def _resolve_all(s: Session, section: str, values: list[str] | None) -> list[str]:
    from coi.store.lookup import resolve

    return list(dict.fromkeys(resolve(s, section, v) for v in values or []))


def find(s: Session, meeting: str) -> Scheduled:
    """The meeting a person names (id, id prefix or title), with its body."""
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings

    (m,) = read_meetings(s, [resolve(s, "meetings", meeting)])
    (body,) = read_bodies(s, [m.body])
    return Scheduled(m, body)


def _default_id(s: Session, body_id: str, starts: dt.datetime) -> str:
    """``<body short>-<yyyy-mm-dd>`` ("ct-board-2027-01-12"). When another body whose
    short id is the same already meets that day, the body's full id, then a number,
    keeps it unique; the body's own meeting that day is left to clash (it is most
    likely the same meeting added twice, and the caller says so)."""
    from coi.store.lookup import first_free, meeting_body, numbered

    day = f"{starts:%Y-%m-%d}"
    short = f"{records.short_id(body_id)}-{day}"
    if meeting_body(s, short) in (None, body_id):
        return short
    return first_free(s, "meetings", numbered(f"{body_id}-{day}", "-"))


def add_meeting(
    s: Session,
    body: str,
    start: str,
    *,
    end: str | None = None,
    duration: dt.timedelta | None = None,
    title: str | None = None,
    location: str = "",
    guests: list[str] | None = None,
    id: str | None = None,
) -> MeetingSaved:
    """``coi meeting add``: ``start`` and ``end`` in the body's local time; the id
    defaults to ``<body short>-<YYYY-MM-DD>`` (``_default_id``)."""
    from coi.domain.meeting_times import local
    from coi.formats.register import ID_RE, format_local
    from coi.store.lookup import exists, resolve
    from coi.store.register import read_bodies

    if end is not None and duration is not None:
        raise UsageError("--end and --duration: give one or the other")
    if id is not None and not ID_RE.match(id):
        raise UsageError(
            f"--id: {id!r} is not a valid id (lowercase letters, digits, '-', '_', '.')"
        )
    (b,) = read_bodies(s, [resolve(s, "bodies", body)])
    zone = b.timezone
    starts = _parse_time(start, zone, "--start")
    ends = _parse_end(end, starts, zone) if end is not None else None
    if duration is not None:
        ends = starts + duration
    meeting_id = id or _default_id(s, b.id, local(starts, zone))
    if exists(s, "meetings", meeting_id):
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
        "guests": _resolve_all(s, "people", guests),
    }
    saved = records.add(s, "meetings", data)
    return MeetingSaved(saved.id, saved.changed, start=starts, end=ends, zone=zone)


def list_meetings(
    s: Session,
    *,
    body: str | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    status: MeetingStatus | None = None,
) -> list[Scheduled]:
    """``coi meeting list``: in time order; ``first`` and ``last`` are local dates."""
    from coi.domain.model import meeting_day
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings

    body_id = resolve(s, "bodies", body) if body else None
    bodies = {b.id: b for b in read_bodies(s)}
    out = []
    for m in read_meetings(s):
        b = bodies[m.body]
        day = meeting_day(m, b.timezone)
        if (
            (body_id is None or m.body == body_id)
            and (status is None or m.status == status)
            and (first is None or day >= first)
            and (last is None or day <= last)
        ):
            out.append(Scheduled(m, b))
    return out


def show_meeting(s: Session, meeting: str) -> MeetingDetail:
    """``coi meeting show``: the meeting, its agenda, and the names it mentions."""

    found = find(s, meeting)
    return MeetingDetail(
        found.meeting,
        found.body,
        names=read_names(s),
    )


def edit_meeting(
    s: Session,
    meeting: str,
    changes: Changes,
    *,
    duration: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> Saved:
    """``coi meeting edit``: ``start`` and ``end`` are set as local times in the body's
    zone, ``end`` also as a bare ``HH:MM``; moving the start moves the end with it unless
    ``end`` or ``duration`` is given."""
    from coi.domain.agenda import may_be_held, may_change
    from coi.domain.meeting_times import moved_end
    from coi.formats.register import format_local

    start, end = changes.set.get("start"), changes.set.get("end")
    if end is not None and duration is not None:
        raise UsageError("--end and --duration: give one or the other")
    found = find(s, meeting)
    m, zone = found.meeting, found.zone
    status = changes.set.get("status")
    may_change(m, status, bool(changes.but("status")) or duration is not None)
    starts = _parse_time(start, zone, "--start") if start is not None else m.start
    ends = moved_end(m.start, m.end, starts)
    if end is not None:
        ends = _parse_end(end, starts, zone)
    elif duration is not None:
        ends = starts + duration
    may_be_held(status, starts, now or dt.datetime.now(dt.UTC), zone)
    edit = resolved(s, "meetings", changes.but("start", "end")).setting(
        start=format_local(starts, zone), end=format_local(ends, zone) if ends else None
    )

    def missing(_: str, person: str, __: list[str]) -> str:
        return f"--remove-guest: {person!r} is not a guest of {m.id}"

    return records.edit(s, "meetings", m.id, lambda d: edit.apply(d, missing))


def cancel_meeting(s: Session, meeting: str, reason: str | None = None) -> Saved:
    """``coi meeting cancel``: the record and agenda stay; the reason goes in the notes."""
    from coi.domain.agenda import may_cancel

    m = find(s, meeting).meeting
    may_cancel(m)

    def change(d: FileRecord) -> None:
        d["status"] = MeetingStatus.CANCELLED.value
        if reason:
            d["notes"] = "\n".join(x for x in (d.get("notes"), f"Cancelled: {reason}") if x)

    return records.edit(s, "meetings", m.id, change)


# -- the agenda ---------------------------------------------------------------


def _change_agenda(s: Session, meeting: str, change: AgendaChange) -> Saved:
    """Apply ``change`` to the agenda (file-format items, in order) of a meeting that is on."""
    from coi.domain.agenda import agenda_open

    m = find(s, meeting).meeting
    agenda_open(m)

    def apply(d: FileRecord) -> None:
        items = [dict(i) for i in d.get("items") or []]
        change(m, items)
        d["items"] = items

    return records.edit(s, "meetings", m.id, apply)


def _numbers(items: list[FileRecord]) -> list[str]:
    return [str(i["number"]) for i in items]


def add_item(
    s: Session,
    meeting: str,
    number: str,
    title: str,
    *,
    kind: ItemKind = ItemKind.DISCUSSION,
    text: str | None = None,
    service_areas: list[str] | None = None,
    orgs: list[str] | None = None,
    references: list[str] | None = None,
    value: float | None = None,
    after: str | None = None,
    papers: Sequence[str | Path] | None = None,
) -> Saved:
    """``coi agenda add``: at the end unless ``after`` names the item it follows.
    ``papers`` are file paths, read into text here, once (a bad paper changes nothing)."""
    from coi.domain.agenda import check_number, check_value, no_clash, position

    item_number = check_number(number)
    check_value(value)
    item = {
        "number": item_number,
        "title": title,
        "kind": kind.value,
        "text": text or "",
        "service_areas": service_areas or [],
        "references": references or [],
        "value": value,
        "organisations": _resolve_all(s, "organisations", orgs),
        # Absolute, so the reader does not take them as relative to a register file.
        "papers": [str(Path(p).expanduser().absolute()) for p in papers or ()],
    }

    def change(m: Meeting, items: list[FileRecord]) -> None:
        numbers = _numbers(items)
        no_clash(m.id, numbers, item_number)
        at = len(items) if after is None else position(m.id, numbers, after.strip()) + 1
        items.insert(at, item)

    return _change_agenda(s, meeting, change)


def edit_item(s: Session, meeting: str, number: str, changes: Changes) -> Saved:
    """``coi agenda edit``: the item keeps its place in the agenda; setting its
    ``number`` renumbers it."""
    from coi.domain.agenda import check_number, check_value, no_clash, position

    item_number = check_number(number)
    new_number = changes.set.get("number")
    renumber = check_number(new_number) if new_number is not None else None
    check_value(changes.set.get("value"))
    if changes.both("value"):
        raise UsageError("--value and --no-value: give one or the other")
    edit = resolved(s, "item", changes.but("number", "papers"))
    # Papers are named by their file name to take out; added ones are paths, read on save.
    adding = [str(Path(p).expanduser().absolute()) for p in changes.add.get("papers", [])]
    removing = [str(p) for p in changes.remove.get("papers", [])]

    def missing(name: str, v: str, current: list[str]) -> str:
        return (
            f"--remove-{stem(name).replace('_', '-')}: {v!r} is not on item {item_number} "
            f"({', '.join(current) or 'none'})"
        )

    def change(m: Meeting, items: list[FileRecord]) -> None:
        item = items[position(m.id, _numbers(items), item_number)]
        if renumber is not None and renumber != item_number:
            no_clash(m.id, _numbers(items), renumber)
            item["number"] = renumber
        edit.apply(item, missing)
        if adding or removing:
            current = item.get("papers") or []
            item["papers"] = _changed_papers(item_number, current, adding, removing)

    return _change_agenda(s, meeting, change)


def _changed_papers(
    number: str, papers: list[object], adding: list[str], removing: list[str]
) -> list[object]:
    """An item's papers with some taken out (by file name) and new ones (paths) added."""

    def name(paper: object) -> str:
        return str(paper["name"]) if isinstance(paper, dict) else Path(str(paper)).name

    kept = list(papers)
    for gone in removing:
        found = [p for p in kept if name(p) == Path(gone).name]
        if not found:
            names = ", ".join(name(p) for p in kept) or "none"
            raise UsageError(f"--remove-paper: {gone!r} is not on item {number} ({names})")
        kept.remove(found[0])
    return kept + adding


def remove_item(s: Session, meeting: str, number: str) -> Saved:
    """``coi agenda remove``: the other items keep their numbers and order."""
    from coi.domain.agenda import check_number, position

    item_number = check_number(number)

    def change(m: Meeting, items: list[FileRecord]) -> None:
        del items[position(m.id, _numbers(items), item_number)]

    return _change_agenda(s, meeting, change)
