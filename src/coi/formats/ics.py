"""Rota slots as RFC 5545 iCalendar: one event per meeting and person, stable across exports.

Each event's UID comes from the meeting, seat and person ids, so exporting again updates
the events already in someone's calendar instead of adding new ones; SEQUENCE (the
meeting's plus the slot's) rises with every change, and a cancelled meeting or a place
swapped away becomes STATUS:CANCELLED.  Times are written in the body's time zone with a
VTIMEZONE for it.  Given the same entries and ``now`` the bytes are always the same.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vCalAddress

from coi.domain.conflicts import Flag
from coi.domain.model import Body, Meeting, MeetingStatus, Person, RotaSlot, Seat
from coi.domain.words import Action, SlotStatus
from coi.errors import UsageError

PRODID = "-//coi//shared-seat rota//EN"
DEFAULT_DURATION = dt.timedelta(hours=2)
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Z"})


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One person's place (or former place) at one meeting, with what their calendar shows.

    ``sequence`` is the caller's meeting.sequence + slot.sequence; ``agenda`` and ``flags``
    are ready-made lines ("5. Mental health day services tender (procurement)", "you are
    expected to withdraw for item 5").
    """

    meeting: Meeting
    body_name: str
    timezone: str
    seat_id: str
    seat_name: str
    person_id: str
    person_name: str
    slot_status: SlotStatus = SlotStatus.ASSIGNED
    sequence: int = 0
    agenda: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    person_email: str = ""

    @property
    def uid(self) -> str:
        return f"{self.meeting.id}.{self.seat_id}.{self.person_id}@coi"

    @property
    def cancelled(self) -> bool:
        return (
            self.meeting.status == MeetingStatus.CANCELLED
            or self.slot_status != SlotStatus.ASSIGNED
        )


# What a calendar tells a person the policy expects of them, per action.
FLAG_WORDS = {
    Action.EXCLUDE: "You are expected to be excluded (no papers, not present) from item {item}",
    Action.WITHDRAW: "You are expected to withdraw for item {item}",
    Action.NO_VOTE: "You may speak but not vote on item {item}",
    Action.DECLARE: "You are expected to declare an interest in item {item}",
}


def flag_lines(flags: Iterable[Flag]) -> dict[str, tuple[str, ...]]:
    """Person -> what their calendar should say they must do, one line per flag, in order."""
    out: dict[str, list[str]] = {}
    for flag in flags:
        lead = FLAG_WORDS[flag.action].format(item=flag.item)
        out.setdefault(flag.person, []).append(f"{lead}: {flag.paths[0].text}")
    return {p: tuple(lines) for p, lines in out.items()}


def entry_for(
    meeting: Meeting,
    body: Body,
    seat: Seat,
    slot: RotaSlot,
    person: Person,
    flags: Iterable[str] = (),
) -> CalendarEntry:
    """The calendar entry for ``slot``, with the agenda taken from the meeting's items."""
    agenda = tuple(
        f"{item.number}. {item.title} ({item.kind.value.replace('-', ' ')})"
        for item in meeting.items
    )
    return CalendarEntry(
        meeting=meeting,
        body_name=body.name,
        timezone=body.timezone,
        seat_id=seat.id,
        seat_name=seat.name,
        person_id=person.id,
        person_name=person.name,
        slot_status=SlotStatus(slot.status),
        sequence=meeting.sequence + slot.sequence,
        agenda=agenda,
        flags=tuple(flags),
        person_email=person.email,
    )


def rota_calendar(
    entries: Sequence[CalendarEntry],
    *,
    now: dt.datetime,
    calname: str,
    default_duration: dt.timedelta = DEFAULT_DURATION,
) -> bytes:
    """A whole calendar (a file to import or subscribe to) holding every entry's event.

    ``now`` is the DTSTAMP of every event and must be timezone-aware; meetings without an
    end last ``default_duration``.  Raises UsageError for an unknown time zone.
    """
    cal = _calendar(entries)
    cal.add("X-WR-CALNAME", calname)
    for entry in sorted(entries, key=_order):
        cal.add_component(_event(entry, _stamp(now), default_duration))
    return cal.to_ical()


def calendar_objects(
    entries: Sequence[CalendarEntry],
    *,
    now: dt.datetime,
    default_duration: dt.timedelta = DEFAULT_DURATION,
) -> dict[str, bytes]:
    """One calendar per event, keyed by UID: what a CalDAV server stores per resource."""
    stamp = _stamp(now)
    out: dict[str, bytes] = {}
    for entry in sorted(entries, key=_order):
        cal = _calendar([entry])
        cal.add_component(_event(entry, stamp, default_duration))
        out[entry.uid] = cal.to_ical()
    return out


def _order(entry: CalendarEntry) -> tuple[dt.datetime, str, str, str]:
    return (entry.meeting.start, entry.meeting.id, entry.seat_id, entry.person_id)


def _stamp(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(dt.UTC).replace(microsecond=0)


def _calendar(entries: Sequence[CalendarEntry]) -> Calendar:
    """An empty VCALENDAR with a VTIMEZONE for every zone the entries use."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    if not entries:
        return cal
    years = [e.meeting.start.year for e in entries]
    first, last = min(years) - 1, max(years) + 1
    for name in sorted({e.timezone for e in entries} - _UTC_NAMES):
        _zone(name)
        cal.add_component(Timezone.from_ical(_vtimezone(name, first, last)))
    return cal


@functools.lru_cache(maxsize=64)
def _vtimezone(name: str, first_year: int, last_year: int) -> bytes:
    # Whole years either side keep the output stable for golden files and cover any
    # clock change a meeting in the calendar could fall near.
    return Timezone.from_tzid(
        name, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
    ).to_ical()


def _zone(name: str) -> dt.tzinfo:
    if name in _UTC_NAMES:
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"unknown time zone {name!r}") from exc


def _event(entry: CalendarEntry, stamp: dt.datetime, default_duration: dt.timedelta) -> Event:
    meeting = entry.meeting
    zone = _zone(entry.timezone)
    # Durations are added in UTC: on the clock-change night wall-clock sums are an hour out.
    begins = _aware(meeting.start).astimezone(dt.UTC)
    ends = _aware(meeting.end) if meeting.end else begins + default_duration
    start, end = _local(begins, zone), _local(ends, zone)
    event = Event()
    event.add("UID", entry.uid)
    event.add("DTSTAMP", stamp)
    event.add("SEQUENCE", entry.sequence)
    event.add("DTSTART", start)
    event.add("DTEND", end)
    event.add("SUMMARY", f"{entry.body_name}: {meeting.title} ({entry.seat_name})")
    if meeting.location:
        event.add("LOCATION", meeting.location)
    event.add("STATUS", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("TRANSP", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    event.add("DESCRIPTION", _description(entry))
    if entry.person_email:
        attendee = vCalAddress(f"mailto:{entry.person_email}")
        attendee.params["CN"] = entry.person_name
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        event.add("ATTENDEE", attendee)
    return event


def _local(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """``moment`` on the body's clock, or in UTC when that clock shows the time twice.

    RFC 5545 reads a repeated local time (01:30 on the night the clocks go back) as its
    first occurrence, but not every reader does (vobject takes the second), so either
    occurrence is written in UTC, which every reader takes the same way.
    """
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(dt.UTC)
    return local


def _aware(moment: dt.datetime) -> dt.datetime:
    # The model keeps meeting times aware (UTC once stored); a naive one is taken as UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _description(entry: CalendarEntry) -> str:
    meeting = entry.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        lead = f"This meeting of {entry.body_name} has been cancelled."
    elif entry.slot_status != SlotStatus.ASSIGNED:
        lead = (
            f"{entry.person_name} no longer holds a place for {entry.seat_name} at this "
            "meeting: it has gone to another member of the pool."
        )
    else:
        lead = f"{entry.person_name} holds a place for {entry.seat_name} at this meeting."
    lines = [lead, ""]
    if entry.agenda:
        lines += ["Agenda:", *(f"  {line}" for line in entry.agenda)]
    else:
        lines.append("Agenda: not yet published.")
    lines.append("")
    if entry.flags:
        lines += ["Your conflicts of interest on this agenda:", *(f"  - {f}" for f in entry.flags)]
    else:
        lines.append("No conflicts of interest are flagged for you on this agenda.")
    return "\n".join(lines)
