"""Dates, meeting times and time zones as the register file writes them.

A meeting time is the body's wall-clock time (``YYYY-MM-DD HH:MM``), with an offset only
where the clocks going back make a wall time happen twice.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coi.formats.yamlread import quote

# The years a register's dates may fall in: wide enough for any founding date or term, and
# far enough from the ends of Python's calendar that a time-zone shift cannot overflow it.
FIRST_YEAR = 1900
LAST_YEAR = 2200

DATETIME_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_date(value: object) -> tuple[dt.date | None, str]:
    """A date from ``YYYY-MM-DD``; returns (date, "") or (None, why not)."""
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None, f"{quote(text)} is not a date: use YYYY-MM-DD"
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, f"{text!r} is not a real date"
    return (day, "") if _in_range(day) else (None, _out_of_range(text))


def _in_range(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _out_of_range(text: str) -> str:
    return f"{text!r} is out of range: years {FIRST_YEAR} to {LAST_YEAR}"


def parse_local_datetime(value: object, zone: ZoneInfo) -> tuple[dt.datetime | None, str]:
    """An aware datetime from ``YYYY-MM-DD HH:MM[:SS][offset]``, local to ``zone`` if no offset."""
    text = str(value).strip()
    match = DATETIME_RE.match(text)
    if not match:
        return None, f"{quote(text)} is not a date and time: use YYYY-MM-DD HH:MM"
    day, hour, minute, second, offset = match.groups()
    try:
        naive = dt.datetime.fromisoformat(f"{day}T{int(hour):02d}:{minute}:{second or '00'}")
    except ValueError:
        return None, f"{text!r} is not a real date and time"
    if not _in_range(naive):
        return None, _out_of_range(text)
    if offset:
        try:
            tz = (
                dt.UTC
                if offset == "Z"
                else dt.datetime.strptime(offset.replace(":", ""), "%z").tzinfo
            )
        except ValueError:  # +99:99
            return None, f"{text!r} has no real UTC offset (e.g. +01:00)"
        return naive.replace(tzinfo=tz).astimezone(dt.UTC), ""
    local = naive.replace(tzinfo=zone)
    # A wall time that the clocks skip over (spring forward) does not exist.
    if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None, f"{text!r} does not exist in {zone.key} (the clocks change then)"
    return local.astimezone(dt.UTC), ""


def format_local(moment: dt.datetime, zone_name: str) -> str:
    """A meeting time as the body's wall-clock time, with an offset only where ambiguous."""
    zone = ZoneInfo(zone_name)
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M") + (f":{local.second:02d}" if local.second else "")
    again, _ = parse_local_datetime(text, zone)
    if again != moment:  # the clocks went back: the same wall time happens twice
        text += local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    return text


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
