"""What may change on a meeting and its agenda: item numbers are unique within a meeting
and short, values are amounts of money, a cancelled meeting's agenda is frozen, and a held
meeting cannot be cancelled (nor a future one marked held)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from coi.domain.meeting_times import display_time
from coi.domain.model import Meeting
from coi.domain.words import MeetingStatus
from coi.errors import UsageError

# The agenda_items.number column holds at most this many characters.
MAX_NUMBER = 20


def check_number(number: str) -> str:
    """An item number as printed (``5``, ``5.1``, ``7a``), trimmed."""
    text = number.strip()
    if not text:
        raise UsageError("NUMBER: an item needs a number, e.g. 5 or 5.1")
    if len(text) > MAX_NUMBER:
        raise UsageError(f"NUMBER: {text!r} is longer than {MAX_NUMBER} characters")
    return text


def check_value(value: float | None) -> None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise UsageError(f"--value: {value} is not an amount of money (a number, 0 or more)")


def position(meeting: str, numbers: Sequence[str], number: str) -> int:
    """Where item ``number`` stands on the agenda."""
    for n, have in enumerate(numbers):
        if have == number:
            return n
    listed = ", ".join(numbers) or "none"
    raise UsageError(f"meeting {meeting!r} has no item {number!r} (items: {listed})")


def no_clash(meeting: str, numbers: Sequence[str], number: str) -> None:
    if number in numbers:
        raise UsageError(
            f"meeting {meeting!r} already has an item {number!r}: "
            f"use `coi agenda edit {meeting} {number}` or another number"
        )


def agenda_open(m: Meeting) -> None:
    """A cancelled meeting's agenda stays as it was when it was cancelled."""
    if m.status == MeetingStatus.CANCELLED:
        raise UsageError(
            f"meeting {m.id!r} is cancelled, so its agenda cannot change "
            f"(reinstate it with `coi meeting edit {m.id} --status scheduled`)"
        )


def may_cancel(m: Meeting) -> None:
    if m.status == MeetingStatus.HELD:
        raise UsageError(f"meeting {m.id!r} was held: it cannot be cancelled")


def may_change(m: Meeting, status: MeetingStatus | None, other_changes: bool) -> None:
    """A cancelled meeting changes only by being reinstated; a held one stays held."""
    if (
        m.status == MeetingStatus.CANCELLED
        and status in (None, MeetingStatus.CANCELLED)
        and other_changes
    ):
        raise UsageError(
            f"meeting {m.id!r} is cancelled: reinstate it with --status scheduled to change it"
        )
    if status == MeetingStatus.CANCELLED:
        may_cancel(m)


def may_be_held(
    status: MeetingStatus | None, starts: dt.datetime, now: dt.datetime, zone: str
) -> None:
    """A meeting is marked held only once it has begun."""
    if status == MeetingStatus.HELD and starts > now:
        raise UsageError(
            f"--status held: the meeting has not started yet ({display_time(starts, zone)})"
        )
