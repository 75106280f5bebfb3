"""The rota's iCalendar read by Mozilla's ical.js (Thunderbird, Nextcloud) under Node.

ical.js read only the first date of a comma-separated RDATE in a VTIMEZONE, so every
summer meeting from the second year of a file on showed an hour late.  The script
tests/js/read_ics.mjs prints what ical.js makes of a file; .ci/run installs ical.js from
the npm registry (npm install --prefix tests/js).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coi.domain.model import Meeting
from coi.formats.ics import CalendarEntry, rota_calendar
from test_ics import NOW, SLOTS, entries  # tests/ is on sys.path under pytest

JS = Path(__file__).parent / "js"
NODE = shutil.which("node")
UTC = dt.UTC

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed (apt-get install nodejs)"),
    pytest.mark.skipif(
        not (JS / "node_modules" / "ical.js" / "package.json").exists(),
        reason="ical.js is not installed (npm install --prefix tests/js ical.js, as .ci/run does)",
    ),
]


def ical_js(data: bytes, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "rota.ics"
    path.write_bytes(data)
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(JS / "read_ics.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def entry(start: dt.datetime, person: str = "ann") -> CalendarEntry:
    meeting = Meeting(f"m-{start:%Y-%m}", "lit", "LIT", start)
    return CalendarEntry(
        meeting, "Adult Mental Health LIT", "Europe/London", "vcs", "VCS seat", person, "Ann"
    )


def test_a_june_meeting_two_years_out_is_at_10_london(tmp_path: Path) -> None:
    # 10:00 in London in June is 09:00Z.  The file spans three years, so June 2027 is
    # placed by the third date of the VTIMEZONE's daylight rule, not the first.
    meetings = [
        dt.datetime(2025, 1, 16, 10, 0, tzinfo=UTC),
        dt.datetime(2025, 6, 19, 9, 0, tzinfo=UTC),
        dt.datetime(2026, 6, 18, 9, 0, tzinfo=UTC),
        dt.datetime(2027, 6, 17, 9, 0, tzinfo=UTC),
        dt.datetime(2027, 11, 18, 10, 0, tzinfo=UTC),
    ]
    data = rota_calendar([entry(m) for m in meetings], now=NOW, calname="LIT rota")
    assert b"DTSTART;TZID=Europe/London:20270617T100000" in data
    seen = {e["uid"]: e for e in ical_js(data, tmp_path)["events"]}
    for m in meetings:
        got = seen[f"m-{m:%Y-%m}.vcs.ann@coi"]
        assert got["start"] == m.strftime("%Y-%m-%dT%H:%M:%SZ"), got
    assert seen["m-2027-06.vcs.ann@coi"]["start"] == "2027-06-17T09:00:00Z"


def test_ical_js_reads_the_golden_calendar_whole(tmp_path: Path) -> None:
    got = ical_js(rota_calendar(entries(), now=NOW, calname="LIT rota"), tmp_path)
    assert got["name"] == "LIT rota"
    events = {e["uid"]: e for e in got["events"]}
    assert len(events) == len(SLOTS)
    april = events["lit-2025-04.vcs-mh.bob@coi"]
    assert april["start"] == "2025-04-17T13:00:00Z"  # 14:00 BST
    assert april["summary"] == "LIT: Bob Pearce, VCS seat"
    assert april["organizer"] == "mailto:secretary@coi.invalid"
    assert april["attendees"] == ["mailto:bob@mind.example.org"]
    cancelled = events["lit-2025-05.vcs-mh.dan@coi"]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["summary"].startswith("Cancelled: LIT: Dan Okafor")
