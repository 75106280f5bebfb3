"""Rota slots as RFC 5545 iCalendar: one event per meeting and person, stable across exports.

Each event's UID comes from the meeting, seat and person ids, so exporting again updates
the events already in someone's calendar instead of adding new ones; SEQUENCE (the
meeting's plus the slot's) rises with every change, and a cancelled meeting or a place
swapped away becomes STATUS:CANCELLED.  Times are written in the body's time zone with a
VTIMEZONE for it.  Given the same entries and ``now`` the bytes are always the same.

Readers differ more than RFC 5545 suggests, so the files keep to what every reader
tested takes the same way (tests/test_ics_readers.py): one RDATE per line in a VTIMEZONE
(Mozilla's ical.js reads only the first date of a list), no COMMENT there, every text
value escaped, an ORGANIZER wherever there is an ATTENDEE.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vText

from coi.domain.conflicts import Flag
from coi.domain.model import Body, Meeting, MeetingStatus, Person, RotaSlot, Seat
from coi.domain.words import Action, SlotStatus
from coi.errors import UsageError

PRODID = "-//coi//shared-seat rota//EN"
DEFAULT_DURATION = dt.timedelta(hours=2)
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Z"})
# How often a subscribed client should fetch the calendar again (RFC 7986 and Outlook's).
REFRESH = dt.timedelta(hours=12)
# Named when a body has no secretary: ".invalid" can never be delivered to (RFC 2606).
NO_SECRETARY = "secretary@coi.invalid"
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on"})
_CUT_WORDS = frozenset({"for", "of", "in", "on"})  # what follows says what the body is for
BODY_LIMIT, SEAT_LIMIT = 12, 24  # characters a name keeps before it is shortened


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
    body_short: str = ""  # "" means derived from body_name (short_name)
    secretary: str = ""  # the body's: an email or "Name <email>"; "" means none set

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
        secretary=body.secretary,
        body_short=body.short_name,
    )


def short_name(name: str) -> str:
    """A body's name as a calendar title starts: short enough to read on a phone.

    Used when the body sets no short name of its own.  A name of up to 12 characters
    stays as it is; otherwise its acronym (the last all-capitals word: "Adult Mental
    Health LIT" -> "LIT"), else the initials of the words before the first "for", "of",
    "in" or "on" ("Local Implementation Team for Adult Mental Health" -> "LIT",
    "Plymouth Joint Commissioning Board" -> "PJCB").
    """
    name = " ".join(name.split())
    if len(name) <= BODY_LIMIT:
        return name
    words = name.split()
    acronyms = [w for w in words if _ACRONYM.match(w)]
    if acronyms:
        return acronyms[-1]
    lead = [w for w in words if w[:1].isalnum()]
    for i, word in enumerate(lead):
        if word.lower() in _CUT_WORDS and i >= 2:
            lead = lead[:i]
            break
    initials = "".join(w[0].upper() for w in lead if w.lower() not in _SMALL_WORDS)
    return initials if len(initials) >= 2 else _clip(name, BODY_LIMIT)


def short_seat(name: str) -> str:
    """A seat's name in a title: as it is when short, else its acronyms and "seat"
    ("VCS adult mental-health seat" -> "VCS seat"), else cut at a word."""
    name = " ".join(name.split())
    if len(name) <= SEAT_LIMIT:
        return name
    acronyms = [w for w in name.split() if _ACRONYM.match(w)]
    if acronyms:
        return " ".join([*acronyms, "seat"])
    return _clip(name, SEAT_LIMIT)


def _clip(text: str, limit: int) -> str:
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def title(entry: CalendarEntry) -> str:
    """ "LIT: Priya Nair, VCS seat", with "Cancelled: " before it when it will not happen
    for this person (the meeting is cancelled or the place went to someone else)."""
    body = " ".join(entry.body_short.split()) or short_name(entry.body_name)
    person = " ".join(entry.person_name.split())
    text = f"{body}: {person}, {short_seat(entry.seat_name)}"
    return f"Cancelled: {text}" if entry.cancelled else text


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
    stamp = _stamp(now)
    zones = _timezones(entries)
    cal = _calendar(zones.values())
    # vText escapes what a name may hold (line breaks, commas, semicolons).
    cal.add("X-WR-CALNAME", vText(calname))
    cal.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    for entry in sorted(entries, key=_order):
        cal.add_component(_event(entry, stamp, default_duration))
    return cal.to_ical()


def calendar_objects(
    entries: Sequence[CalendarEntry],
    *,
    now: dt.datetime,
    default_duration: dt.timedelta = DEFAULT_DURATION,
) -> dict[str, bytes]:
    """One calendar per event, keyed by UID: what a CalDAV server stores per resource."""
    stamp = _stamp(now)
    zones = _timezones(entries)
    out: dict[str, bytes] = {}
    for entry in sorted(entries, key=_order):
        cal = _calendar([zones[entry.timezone]] if entry.timezone in zones else [])
        cal.add_component(_event(entry, stamp, default_duration))
        out[entry.uid] = cal.to_ical()
    return out


def _order(entry: CalendarEntry) -> tuple[dt.datetime, str, str, str]:
    return (entry.meeting.start, entry.meeting.id, entry.seat_id, entry.person_id)


def _stamp(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(dt.UTC).replace(microsecond=0)


def _calendar(zones: Iterable[Timezone]) -> Calendar:
    """A VCALENDAR holding ``zones`` and no events yet."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    for zone in zones:
        cal.add_component(zone)
    return cal


def _timezones(entries: Sequence[CalendarEntry]) -> dict[str, Timezone]:
    """A VTIMEZONE per zone the entries use, built once for the whole export.

    Whole years either side keep the output stable for golden files and cover any
    clock change a meeting in the calendar could fall near.
    """
    if not entries:
        return {}
    years = [e.meeting.start.year for e in entries]
    first, last = dt.date(min(years) - 1, 1, 1), dt.date(max(years) + 1, 12, 31)
    out: dict[str, Timezone] = {}
    for name in sorted({e.timezone for e in entries} - _UTC_NAMES):
        _zone(name)
        made = Timezone.from_tzid(name, first_date=first, last_date=last).to_ical()
        zone = Timezone.from_ical(_one_rdate_per_line(made))
        assert isinstance(zone, Timezone)  # from_ical builds the class it is called on
        out[name] = zone
    return out


def _one_rdate_per_line(vtimezone: bytes) -> bytes:
    """icalendar's VTIMEZONE with each change date on its own RDATE line and no COMMENT.

    ical.js reads only the first date of a comma-separated RDATE, so every later summer
    came out an hour late in Thunderbird and Nextcloud; RFC 5545 allows no COMMENT in a
    VTIMEZONE, and libical and ruby's icalendar refuse the file over it.
    """
    out: list[str] = []
    for line in vtimezone.decode().replace("\r\n ", "").split("\r\n"):
        name = line.split(":", 1)[0].split(";", 1)[0].upper()
        if name == "COMMENT":
            continue
        if name == "RDATE":
            head, values = line.split(":", 1)
            out += [f"{head}:{value}" for value in values.split(",")]
        else:
            out.append(line)
    return "\r\n".join(out).encode()


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
    event.add("SUMMARY", title(entry))
    if meeting.location:
        event.add("LOCATION", meeting.location)
    event.add("STATUS", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("TRANSP", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    event.add("DESCRIPTION", _description(entry))
    if entry.person_email:
        # RFC 5545: an event with attendees names its organizer.
        event.add("ORGANIZER", _organizer(entry))
        attendee = vCalAddress(f"mailto:{entry.person_email}")
        attendee.params["CN"] = _param(entry.person_name)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        event.add("ATTENDEE", attendee)
    return event


def _organizer(entry: CalendarEntry) -> vCalAddress:
    """The body's secretary; when none is set, an address that cannot be written to and
    a name that says so."""
    text = " ".join(entry.secretary.split())
    match = re.fullmatch(r"(.*?)\s*<([^<>\s]+@[^<>\s]+)>", text)
    if match:
        name, email = match.group(1).strip('" '), match.group(2)
    elif "@" in text:
        name, email = "", text.removeprefix("mailto:")
    elif text:  # a name alone: no address to write to, but the name is still worth showing
        name, email = text, NO_SECRETARY
    else:
        name = f"{entry.body_name} secretary (not set: coi body edit --secretary)"
        email = NO_SECRETARY
    organizer = vCalAddress(f"mailto:{email}")
    if name:
        organizer.params["CN"] = _param(name)
    return organizer


def _param(text: str) -> str:
    # A parameter value cannot hold a line break or a double quote (RFC 5545 3.2).
    return " ".join(text.split()).replace('"', "'")


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
        reason = _reason(meeting.notes)
        lead = f"This meeting of {entry.body_name} ({meeting.title}) has been cancelled" + (
            f": {reason}" if reason else "."
        )
    elif entry.slot_status != SlotStatus.ASSIGNED:
        lead = (
            f"{entry.person_name} no longer holds a place for {entry.seat_name} at this "
            "meeting: it has gone to another member of the pool."
        )
    else:
        lead = (
            f"{entry.person_name} holds a place for {entry.seat_name} at this meeting of "
            f"{entry.body_name} ({meeting.title})."
        )
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


def _reason(notes: str) -> str:
    """Why a meeting was cancelled: the last "Cancelled: ..." line `coi meeting cancel
    --reason` added to its notes, else the notes as they are (a file may say it plainly)."""
    given = [x.strip() for x in notes.splitlines() if x.strip().lower().startswith("cancelled:")]
    text = given[-1].split(":", 1)[1] if given else notes
    return " ".join(text.split())
