"""Issue 12 point 1: what RFC 5545 and the readers tried against coi's files require.

Each test here failed on the export before issue 12: VTIMEZONE dates on one RDATE line
and a COMMENT there, unescaped text, ATTENDEE without ORGANIZER, no refresh interval,
130-character titles without the person, cancelled events without "Cancelled:" or reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from icalendar import Calendar, Timezone

from coi.domain.model import Meeting, MeetingStatus
from coi.formats import ics
from coi.formats.ics import CalendarEntry, calendar_objects, rota_calendar, short_name
from test_ics import MEETINGS, NOW, entries  # tests/ is on sys.path under pytest

UTC = dt.UTC


def export(items: list[CalendarEntry] | None = None, calname: str = "LIT rota") -> bytes:
    return rota_calendar(entries() if items is None else items, now=NOW, calname=calname)


def vtimezone_lines(data: bytes) -> list[str]:
    text = data.decode().replace("\r\n ", "")
    start, end = text.index("BEGIN:VTIMEZONE"), text.index("END:VTIMEZONE")
    return text[start:end].split("\r\n")


def test_one_rdate_per_line_and_no_comment_in_vtimezone() -> None:
    lines = vtimezone_lines(export())
    rdates = [x for x in lines if x.startswith("RDATE")]
    assert rdates, "the golden calendar spans clock changes after the first"
    assert all("," not in x for x in rdates), rdates
    assert not [x for x in lines if x.startswith("COMMENT")]
    # The clock changes are all still there: the zone places every meeting as before.
    cal = Calendar.from_ical(export())
    assert cal.get_missing_tzids() == set()
    april = next(e for e in cal.walk("VEVENT") if e["UID"].startswith("lit-2025-04"))
    assert april["DTSTART"].dt.astimezone(UTC) == MEETINGS["lit-2025-04"].start


def test_the_vtimezone_is_built_once_per_export(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    made = Timezone.from_tzid

    def counting(name: str, **kwargs: dt.date) -> Timezone:
        calls.append(name)
        return made(name, **kwargs)

    monkeypatch.setattr(ics.Timezone, "from_tzid", counting)
    objects = calendar_objects(entries(), now=NOW)
    assert len(objects) > 1 and calls == ["Europe/London"]
    calls.clear()
    export()
    assert calls == ["Europe/London"]


@pytest.mark.parametrize("where", ["person", "seat", "body", "calname"])
def test_line_breaks_commas_and_semicolons_in_names_survive(where: str) -> None:
    vobject = pytest.importorskip("vobject", reason="vobject not installed (pip install vobject)")
    awkward = "Reps, VCS; x\nsecond line"
    entry = entries()[0]
    changed = {
        "person": {"person_name": awkward},
        "seat": {"seat_name": awkward},
        "body": {"body_name": awkward},
        "calname": {},
    }[where]
    data = export([dataclasses.replace(entry, **changed)], calname=awkward)  # type: ignore[arg-type]
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
    cal = vobject.readOne(data.decode())
    assert cal.contents["x-wr-calname"][0].value == awkward
    event = cal.vevent
    summary, description = event.summary.value, event.description.value
    if where == "person":
        assert "Reps, VCS; x second line" in summary
        assert awkward in description
        assert event.attendee.params["CN"] == ["Reps, VCS; x second line"]
    elif where == "seat":
        assert summary == "LIT: Ann Sutton, Reps, VCS; x second line"
    elif where == "body":
        assert summary == f"{short_name(awkward)}: Ann Sutton, VCS seat"
        assert awkward in description
    assert Calendar.from_ical(data)["X-WR-CALNAME"] == "Reps\\, VCS\\; x\\nsecond line"


def test_organizer_wherever_there_is_an_attendee() -> None:
    for data in [export(), *calendar_objects(entries(), now=NOW).values()]:
        for event in Calendar.from_ical(data).walk("VEVENT"):
            if "ATTENDEE" in event:
                assert "ORGANIZER" in event
    event = Calendar.from_ical(export()).walk("VEVENT")[0]
    # No secretary set: an address that cannot be written to, and a name that says so.
    assert str(event["ORGANIZER"]) == "mailto:secretary@coi.invalid"
    assert "not set" in event["ORGANIZER"].params["CN"]


@pytest.mark.parametrize(
    ("secretary", "address", "name"),
    [
        ("kate@lit.example.org", "mailto:kate@lit.example.org", None),
        (
            "Kate Lethbridge <kate@lit.example.org>",
            "mailto:kate@lit.example.org",
            "Kate Lethbridge",
        ),
        ("Kate Lethbridge", "mailto:secretary@coi.invalid", "Kate Lethbridge"),
    ],
)
def test_organizer_is_the_bodys_secretary(secretary: str, address: str, name: str | None) -> None:
    items = [dataclasses.replace(e, secretary=secretary) for e in entries()]
    event = Calendar.from_ical(export(items)).walk("VEVENT")[0]
    assert str(event["ORGANIZER"]) == address
    assert event["ORGANIZER"].params.get("CN") == name


def test_feeds_say_how_often_to_refresh() -> None:
    cal = Calendar.from_ical(export())
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in export()
    assert b"X-PUBLISHED-TTL:PT12H\r\n" in export()
    assert "REFRESH-INTERVAL" in cal


def test_short_titles_name_the_person() -> None:
    titles = {str(e["UID"]): str(e["SUMMARY"]) for e in Calendar.from_ical(export()).walk("VEVENT")}
    assert titles["lit-2025-03.vcs-mh.ann@coi"] == "LIT: Ann Sutton, VCS seat"
    assert titles["lit-2025-04.vcs-mh.bob@coi"] == "LIT: Bob Pearce, VCS seat"
    assert max(len(t) for t in titles.values()) <= 60


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Adult Mental Health LIT", "LIT"),
        ("Plymouth Joint Commissioning Board", "PJCB"),
        ("Local Implementation Team for Adult Mental Health", "LIT"),
        ("Board of the ICB", "ICB"),
        ("LIT", "LIT"),
        ("Small Board", "Small Board"),
    ],
)
def test_short_body_names(name: str, short: str) -> None:
    assert short_name(name) == short


def test_an_explicit_short_name_wins() -> None:
    entry = dataclasses.replace(entries()[0], body_short="AMH")
    event = Calendar.from_ical(export([entry])).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "AMH: Ann Sutton, VCS seat"


def test_cancelled_events_say_so_with_the_reason_and_keep_their_flags() -> None:
    meeting = dataclasses.replace(
        MEETINGS["lit-2025-04"],
        status=MeetingStatus.CANCELLED,
        notes="Not quorate: moved to May",
    )
    flagged = next(e for e in entries() if e.uid == "lit-2025-04.vcs-mh.bob@coi")
    entry = dataclasses.replace(flagged, meeting=meeting)
    event = Calendar.from_ical(export([entry])).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Cancelled: LIT: Bob Pearce, VCS seat"
    assert str(event["STATUS"]) == "CANCELLED"
    text = str(event["DESCRIPTION"])
    assert "has been cancelled: Not quorate: moved to May" in text
    assert "withdraw for item 5" in text
    swapped = Calendar.from_ical(export([entries()[2]])).walk("VEVENT")[0]
    assert str(swapped["SUMMARY"]).startswith("Cancelled: LIT: Ann Sutton")


def test_a_meeting_without_a_reason_is_still_cancelled_plainly() -> None:
    meeting = Meeting("m", "lit", "LIT", dt.datetime(2025, 5, 1, 9, tzinfo=UTC))
    entry = CalendarEntry(
        dataclasses.replace(meeting, status=MeetingStatus.CANCELLED),
        "LIT",
        "Europe/London",
        "s",
        "seat",
        "a",
        "A",
    )
    event = Calendar.from_ical(export([entry])).walk("VEVENT")[0]
    assert "has been cancelled." in str(event["DESCRIPTION"])
