"""Meeting times as people type them: lengths (``2h``, ``90m``, ``1h30m``, ``1:30``), a
bare clock time meaning "on the day it starts", and the end moving with the start."""

from __future__ import annotations

import datetime as dt
import re

from coi.errors import UsageError

_HOURS_MINUTES = re.compile(r"(\d+):([0-5]\d)")
_UNITS = re.compile(r"(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?|s)?)?)?")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")


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


def end_text(value: str, start_local: dt.datetime) -> str:
    """An end as typed: a bare ``HH:MM`` is on the (local) day the meeting starts."""
    text = value.strip()
    if _CLOCK.fullmatch(text):
        return f"{start_local:%Y-%m-%d} {text}"
    return text


def moved_end(
    start: dt.datetime, end: dt.datetime | None, new_start: dt.datetime
) -> dt.datetime | None:
    """Moving a meeting's start moves its end with it: the length stays."""
    return end + (new_start - start) if end else None
