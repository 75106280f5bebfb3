"""The rota's iCalendar goes into a real CalDAV server (Radicale, on 127.0.0.1) and back out."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from coi.domain.model import RotaSlot
from coi.formats.ics import calendar_objects, rota_calendar
from test_ics import NOW, SLOTS, entries  # tests/ is on sys.path under pytest

pytest.importorskip("radicale", reason="radicale is not installed (pip install radicale)")
caldav = pytest.importorskip("caldav", reason="caldav is not installed (pip install caldav)")

pytestmark = pytest.mark.slow

# Talk to the local server directly, whatever proxy the environment names.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Radicale with no authentication, storing under a temporary folder."""
    root: Path = tmp_path_factory.mktemp("radicale")
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--storage-filesystem-folder",
            str(root / "collections"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"radicale exited early: {err[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("radicale did not start listening within 20 s")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def _events(cal: object) -> dict[str, Calendar]:
    out = {}
    for obj in cal.events():  # type: ignore[attr-defined]
        for event in Calendar.from_ical(obj.data).walk("VEVENT"):
            out[str(event["UID"])] = event
    return out


def test_caldav_round_trip_and_update_in_place(server: str) -> None:
    with caldav.DAVClient(url=server, username="secretary", password="unused") as client:
        principal = client.principal()
        cal = principal.make_calendar(name="LIT rota", cal_id="lit-rota")
        for data in calendar_objects(entries(), now=NOW).values():
            cal.save_event(data.decode())

        stored = _events(cal)
        assert sorted(stored) == sorted(f"{s.meeting}.vcs-mh.{s.person}@coi" for s in SLOTS)
        april = stored["lit-2025-04.vcs-mh.bob@coi"]
        assert april["DTSTART"].params["TZID"] == "Europe/London"
        assert april["DTSTART"].dt.hour == 14
        assert str(stored["lit-2025-04.vcs-mh.ann@coi"]["STATUS"]) == "CANCELLED"
        assert "withdraw for item 5" in str(april["DESCRIPTION"])

        # A swap: bob gives his April place away.  Exporting again updates his event in
        # place (same UID, same resource) rather than adding one.
        changed = tuple(
            RotaSlot(s.seat, s.meeting, s.person, True, "swapped-out", s.sequence + 1)
            if (s.meeting, s.person) == ("lit-2025-04", "bob")
            else s
            for s in SLOTS
        )
        for data in calendar_objects(entries(changed), now=NOW).values():
            cal.save_event(data.decode())
        again = _events(cal)
        assert again.keys() == stored.keys()
        bob = again["lit-2025-04.vcs-mh.bob@coi"]
        assert str(bob["STATUS"]) == "CANCELLED"
        assert int(bob["SEQUENCE"]) == int(april["SEQUENCE"]) + 1


def test_whole_file_upload_over_plain_http(server: str) -> None:
    """What `coi rota export --format ics` writes can be PUT as a calendar and read back."""
    data = rota_calendar(entries(), now=NOW, calname="LIT rota")
    # The principal's own collection first: under xdist this test may run in a worker
    # where the CalDAV test, whose login creates it, never ran (Radicale answers 409).
    mkcol = urllib.request.Request(server + "secretary/", method="MKCOL")
    with contextlib.suppress(urllib.error.HTTPError), contextlib.closing(_http.open(mkcol)):
        pass
    url = server + "secretary/lit-file/"
    put = urllib.request.Request(
        url,
        data=data,
        method="PUT",
        headers={"Content-Type": "text/calendar; charset=utf-8"},
    )
    with contextlib.closing(_http.open(put, timeout=10)) as response:
        assert response.status in (200, 201)
    try:
        with contextlib.closing(_http.open(url, timeout=10)) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:  # pragma: no cover - diagnostic only
        pytest.fail(f"GET {url} failed: {exc}")
    back = Calendar.from_ical(body)
    uids = sorted(str(e["UID"]) for e in back.walk("VEVENT"))
    assert uids == sorted(f"{s.meeting}.vcs-mh.{s.person}@coi" for s in SLOTS)
    assert "Europe/London" in {str(tz["TZID"]) for tz in back.walk("VTIMEZONE")}
