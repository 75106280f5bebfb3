"""Meeting times as people type and read them: lengths (``2h``, ``90m``, ``1h30m``,
``1:30``), a bare clock time meaning "on the day it starts", the end moving with the
start, and stored UTC times shown as the body's wall-clock time."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from coi.errors import UsageError

_HOURS_MINUTES = re.compile(r"(\d+):([0-5]\d)")
_UNITS = re.compile(r"(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?|s)?)?)?")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
# The longest meeting: a week-long event is the most any body holds; anything longer is a
# typing mistake (and 999999999h would run past the end of the calendar).
MAX_DURATION = dt.timedelta(days=7)


def parse_duration(text: str, option: str = "--duration") -> dt.timedelta:
    """A meeting length from ``2h``, ``90m``, ``1h30m``, ``1.5h`` or ``1:30``, at most a week."""
    t = text.strip().lower()
    shown = repr(text if len(text) <= 60 else text[:59] + "\u2026")  # messages stay one line
    hours: float = 0
    minutes = 0
    clock = _HOURS_MINUTES.fullmatch(t)
    units = _UNITS.fullmatch(t)
    if clock:
        hours, minutes = int(clock[1]), int(clock[2])
    elif units and (units[1] or units[2]):
        hours, minutes = float(units[1] or 0), int(units[2] or 0)
    else:
        raise UsageError(f"{option}: {shown} is not a length of time (e.g. 2h, 90m, 1h30m)")
    if hours * 60 + minutes > MAX_DURATION.total_seconds() / 60:
        raise UsageError(f"{option}: {shown} is longer than a week, the longest a meeting may be")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    if delta <= dt.timedelta(0):
        raise UsageError(f"{option}: {shown} is no time at all")
    return delta


def end_text(value: str, start: dt.datetime, zone: str) -> str:
    """An end as typed: a bare ``HH:MM`` is on the (local) day the meeting starts."""
    text = value.strip()
    if _CLOCK.fullmatch(text):
        return f"{local(start, zone):%Y-%m-%d} {text}"
    return text


def moved_end(
    start: dt.datetime, end: dt.datetime | None, new_start: dt.datetime
) -> dt.datetime | None:
    """Moving a meeting's start moves its end with it: the length stays."""
    return end + (new_start - start) if end else None


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
