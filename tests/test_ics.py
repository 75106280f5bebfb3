"""iCalendar export of the rota: golden file, RFC 5545 details, and a second parser (vobject)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from icalendar import Calendar

from coi.domain.model import (
    AgendaItem,
    Body,
    ItemKind,
    Meeting,
    MeetingStatus,
    Person,
    PoolMember,
    RotaSlot,
    Seat,
)
from coi.errors import UsageError
from coi.formats.ics import CalendarEntry, calendar_objects, entry_for, rota_calendar

GOLDEN = Path(__file__).parent / "golden" / "lit_rota.ics"
NOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
UTC = dt.UTC

BODY = Body("lit", "Adult Mental Health LIT", timezone="Europe/London")
SEAT = Seat(
    "vcs-mh",
    "lit",
    "VCS adult mental-health seat",
    2,
    tuple(PoolMember(p) for p in ("ann", "bob", "cat", "dan")),
)
PEOPLE = {
    "ann": Person("ann", "Ann Sutton", "ann@zone.example.org"),
    "bob": Person("bob", "Bob Pearce", "bob@mind.example.org"),
    "cat": Person("cat", "Cat Rowe"),
    "dan": Person("dan", "Dan Okafor"),
}
TENDER = AgendaItem("5", "Adult mental-health day services tender", ItemKind.PROCUREMENT)
MEETINGS = {
    # 13:00 UTC is 13:00 GMT in March and 14:00 BST in April: the clocks change between.
    "lit-2025-03": Meeting(
        "lit-2025-03",
        "lit",
        "LIT March",
        dt.datetime(2025, 3, 20, 13, 0, tzinfo=UTC),
        dt.datetime(2025, 3, 20, 15, 30, tzinfo=UTC),
        location="Windsor House, Plymouth",
        items=(AgendaItem("1", "Minutes of the last meeting", ItemKind.INFORMATION),),
    ),
    "lit-2025-04": Meeting(
        "lit-2025-04",
        "lit",
        "LIT April",
        dt.datetime(2025, 4, 17, 13, 0, tzinfo=UTC),
        location="Windsor House, Plymouth",
        items=(AgendaItem("1", "Minutes", ItemKind.INFORMATION), TENDER),
        sequence=1,
    ),
    "lit-2025-05": Meeting(
        "lit-2025-05",
        "lit",
        "LIT May",
        dt.datetime(2025, 5, 15, 13, 0, tzinfo=UTC),
        status=MeetingStatus.CANCELLED,
        sequence=2,
    ),
}
SLOTS = (
    RotaSlot("vcs-mh", "lit-2025-03", "ann"),
    RotaSlot("vcs-mh", "lit-2025-03", "bob"),
    RotaSlot("vcs-mh", "lit-2025-04", "ann", locked=True, status="swapped-out", sequence=1),
    RotaSlot("vcs-mh", "lit-2025-04", "cat", locked=True),
    RotaSlot("vcs-mh", "lit-2025-04", "bob"),
    RotaSlot("vcs-mh", "lit-2025-05", "cat"),
    RotaSlot("vcs-mh", "lit-2025-05", "dan"),
)
FLAGS = {
    ("lit-2025-04", "bob"): (
        "you are expected to withdraw for item 5: Mind Plymouth is bidding for this tender",
    ),
}


def entries(slots: tuple[RotaSlot, ...] = SLOTS) -> list[CalendarEntry]:
    return [
        entry_for(
            MEETINGS[s.meeting],
            BODY,
            SEAT,
            s,
            PEOPLE[s.person],
            FLAGS.get((s.meeting, s.person), ()),
        )
        for s in slots
    ]


def export(items: list[CalendarEntry] | None = None, now: dt.datetime = NOW) -> bytes:
    return rota_calendar(entries() if items is None else items, now=now, calname="LIT rota")


def events(data: bytes) -> dict[str, Calendar]:
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_golden_file() -> None:
    data = export()
    if os.environ.get("COI_REGEN_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes(), "set COI_REGEN_GOLDEN=1 to regenerate after a change"


def test_same_inputs_give_the_same_bytes_in_any_order() -> None:
    assert export(entries()[::-1]) == export()
    later = export(now=NOW + dt.timedelta(days=3))
    assert later != export()
    assert later.replace(b"DTSTAMP:20250304T", b"DTSTAMP:20250301T") == export()


def test_rfc5545_framing() -> None:
    data = export()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    for line in data.split(b"\r\n"):
        assert b"\n" not in line
        assert len(line) <= 75
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//coi//")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert cal.get_missing_tzids() == set()


def test_one_event_per_meeting_and_person_with_stable_uids() -> None:
    got = events(export())
    assert sorted(got) == sorted(f"{s.meeting}.vcs-mh.{s.person}@coi" for s in SLOTS), (
        "UIDs derive from meeting, seat and person"
    )
    # A later export after a change keeps the UIDs and raises SEQUENCE.
    changed = (*SLOTS[:4], RotaSlot("vcs-mh", "lit-2025-04", "bob", sequence=1), *SLOTS[5:])
    again = events(export(entries(changed)))
    assert again.keys() == got.keys()
    uid = "lit-2025-04.vcs-mh.bob@coi"
    assert int(got[uid]["SEQUENCE"]) == 1  # meeting.sequence 1 + slot 0
    assert int(again[uid]["SEQUENCE"]) == 2


def test_status_times_location_and_description() -> None:
    got = events(export())
    march = got["lit-2025-03.vcs-mh.ann@coi"]
    april = got["lit-2025-04.vcs-mh.bob@coi"]
    swapped = got["lit-2025-04.vcs-mh.ann@coi"]
    cancelled = got["lit-2025-05.vcs-mh.dan@coi"]

    assert str(march["STATUS"]) == "CONFIRMED"
    assert str(swapped["STATUS"]) == "CANCELLED"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 2

    # Local wall-clock times in the body's zone, either side of the clock change.
    assert march["DTSTART"].params["TZID"] == "Europe/London"
    assert march["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2025, 3, 20, 13, 0)
    assert march["DTEND"].dt.replace(tzinfo=None) == dt.datetime(2025, 3, 20, 15, 30)
    assert april["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2025, 4, 17, 14, 0)
    assert april["DTSTART"].dt.astimezone(UTC) == MEETINGS["lit-2025-04"].start
    assert april["DTEND"].dt - april["DTSTART"].dt == dt.timedelta(hours=2)
    assert april["DTSTAMP"].dt == NOW

    assert str(april["LOCATION"]) == "Windsor House, Plymouth"
    text = str(april["DESCRIPTION"])
    assert "5. Adult mental-health day services tender (procurement)" in text
    assert "you are expected to withdraw for item 5" in text
    assert "withdraw" not in str(got["lit-2025-04.vcs-mh.cat@coi"]["DESCRIPTION"])
    assert "no longer holds a place" in str(swapped["DESCRIPTION"])
    assert "cancelled" in str(cancelled["DESCRIPTION"])
    assert str(april["ATTENDEE"]) == "mailto:bob@mind.example.org"
    assert "ATTENDEE" not in got["lit-2025-04.vcs-mh.cat@coi"]


def test_entry_for_adds_meeting_and_slot_sequences() -> None:
    entry = entries()[2]
    assert entry.person_id == "ann"
    assert entry.sequence == 2  # meeting 1 + slot 1
    assert entry.cancelled
    assert entry.agenda[1] == "5. Adult mental-health day services tender (procurement)"


def test_a_second_implementation_reads_the_same_instants() -> None:
    vobject = pytest.importorskip("vobject", reason="vobject not installed (pip install vobject)")
    cal = vobject.readOne(export().decode())
    seen = {}
    for event in cal.vevent_list:
        seen[event.uid.value] = (
            event.dtstart.value.astimezone(UTC),
            event.status.value,
            int(event.sequence.value),
        )
    assert len(seen) == len(SLOTS)
    # vobject knows "Europe/London" by name.  Under a name nobody knows, only the file's
    # own VTIMEZONE (read by dateutil through vobject) can place the local times.
    renamed = vobject.readOne(export().decode().replace("Europe/London", "Coi/Test-Zone"))
    zone = renamed.vtimezone.gettzinfo()
    for event in renamed.vevent_list:
        local = event.dtstart.value
        assert local.tzinfo is None
        assert local.replace(tzinfo=zone).astimezone(UTC) == seen[event.uid.value][0]
    for s in SLOTS:
        start, status, sequence = seen[f"{s.meeting}.vcs-mh.{s.person}@coi"]
        meeting = MEETINGS[s.meeting]
        assert start == meeting.start
        assert sequence == meeting.sequence + s.sequence
        cancelled = s.status != "assigned" or meeting.status == MeetingStatus.CANCELLED
        assert status == ("CANCELLED" if cancelled else "CONFIRMED")


@pytest.mark.parametrize(
    ("utc_start", "written"),
    [
        # The night the clocks go back, 01:30 happens twice in London: readers disagree
        # on which one a local time means, so both are written in UTC.
        (dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC), "DTSTART:20251026T003000Z"),
        (dt.datetime(2025, 10, 26, 1, 30, tzinfo=UTC), "DTSTART:20251026T013000Z"),
        # The night they go forward: 01:00 UTC is 02:00 BST.
        (dt.datetime(2025, 3, 30, 1, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20250330T020000"),
    ],
)
def test_clock_change_nights_are_unambiguous(utc_start: dt.datetime, written: str) -> None:
    meeting = Meeting("night", "lit", "Night", utc_start)
    entry = CalendarEntry(meeting, "LIT", "Europe/London", "vcs-mh", "seat", "ann", "Ann")
    data = rota_calendar([entry], now=NOW, calname="x")
    assert written.encode() in data
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert event["DTSTART"].dt.astimezone(UTC) == utc_start
    assert event["DTEND"].dt.astimezone(UTC) == utc_start + dt.timedelta(hours=2)
    vobject = pytest.importorskip("vobject", reason="vobject not installed (pip install vobject)")
    parsed = vobject.readOne(data.decode()).vevent
    assert parsed.dtstart.value.astimezone(UTC) == utc_start


def test_other_zones_and_utc() -> None:
    meeting = MEETINGS["lit-2025-03"]
    paris = CalendarEntry(meeting, "Board", "Europe/Paris", "s", "seat", "ann", "Ann")
    utc = CalendarEntry(meeting, "Board", "UTC", "s", "seat", "bob", "Bob")
    data = rota_calendar([paris, utc], now=NOW, calname="x")
    cal = Calendar.from_ical(data)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert b"DTSTART;TZID=Europe/Paris:20250320T140000" in data
    assert b"DTSTART:20250320T130000Z" in data


def test_calendar_objects_hold_one_event_each_with_its_timezone() -> None:
    objects = calendar_objects(entries(), now=NOW)
    assert len(objects) == len(SLOTS)
    for uid, data in objects.items():
        cal = Calendar.from_ical(data)
        assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [uid]
        assert len(cal.walk("VTIMEZONE")) == 1
        assert b"METHOD" not in data  # not allowed in a CalDAV resource


def test_errors() -> None:
    bad = CalendarEntry(MEETINGS["lit-2025-03"], "LIT", "Mars/Olympus", "s", "seat", "a", "A")
    with pytest.raises(UsageError, match="unknown time zone"):
        rota_calendar([bad], now=NOW, calname="x")
    with pytest.raises(ValueError, match="timezone-aware"):
        rota_calendar(entries(), now=dt.datetime(2025, 1, 1), calname="x")


def test_empty_calendar_is_valid() -> None:
    cal = Calendar.from_ical(rota_calendar([], now=NOW, calname="empty"))
    assert cal.walk("VEVENT") == []
    assert str(cal["X-WR-CALNAME"]) == "empty"
