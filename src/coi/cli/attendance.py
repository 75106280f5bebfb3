"""``coi attend`` and ``coi attendance``: minute who came, and report who turns up and how
evenly a shared seat is really shared."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import (
    FromOption,
    TodayOption,
    ToOption,
    date_range,
    message,
    one_of,
    today_option,
)
from coi.domain.words import DEFAULT_TIMEZONE
from coi.errors import UsageError
from coi.formats.tabular import Column

if TYPE_CHECKING:
    from coi.domain.attendance import AttendanceReport, Evenness, SeatSpread, Tally

STATUSES = ("present", "apologies", "absent", "substitute")

TALLY_COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("rostered", "Rostered"),
    Column("attended", "Attended"),
    Column("apologies", "Apologies"),
    Column("absent", "Absent"),
    Column("substitute", "As substitute"),
    Column("not_recorded", "Not recorded"),
]

SEAT_COLUMNS = [
    Column("seat", "Seat"),
    Column("places", "Places"),
    Column("meetings", "Meetings"),
    Column("filled", "Places filled"),
    Column("from_rota", "From rota"),
    Column("pool", "Pool"),
    Column("people", "People"),
    Column("organisations", "Orgs"),
    Column("spread", "Spread"),
    Column("gini", "Gini"),
    Column("top_share", "Top share"),
    Column("shares", "Places per person"),
]

CSV_COLUMNS = [
    Column("type", "Type"),
    *TALLY_COLUMNS,
    *(c for c in SEAT_COLUMNS if c.key != "seat"),
    Column("organisation_gini", "Organisation Gini"),
    Column("organisation_top_share", "Organisation top share"),
]


class By(StrEnum):
    all = "all"
    person = "person"
    organisation = "organisation"
    seat = "seat"


def attend(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    person: Annotated[str, typer.Argument(help="Person id, id prefix or name.")],
    status: Annotated[
        str, typer.Argument(metavar="STATUS", help="present, apologies, absent or substitute.")
    ],
    for_: Annotated[
        str | None,
        typer.Option("--for", help="With substitute: whom PERSON stood in for."),
    ] = None,
    seat: Annotated[
        str | None, typer.Option("--seat", help="The seat, when it cannot be worked out.")
    ] = None,
    today: TodayOption = None,
) -> None:
    """Record one person's attendance at a meeting (recording again replaces it).

    A substitute stands in --for a member, or a pool member rostered for that meeting,
    and is counted in that person's seat. Apologies may be sent in advance; the other
    statuses only once the meeting has happened.

    Example:

    \b
        coi attend lit-2027-01 tom-rowe apologies
        coi attend lit-2027-01 sarah-pike substitute --for tom-rowe
    """
    from coi.domain.conflicts import expected_attendees
    from coi.domain.model import Attendance, AttendanceStatus, MeetingStatus
    from coi.domain.rota import meeting_day
    from coi.services.checking import find_meeting
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_seats
    from coi.store.rota import read_slots, save_attendance

    word = status.strip().lower()
    if word not in STATUSES:
        raise UsageError(f"STATUS: {status!r} is not one of {', '.join(STATUSES)}")
    state = AttendanceStatus(word)
    if state is AttendanceStatus.SUBSTITUTE and for_ is None:
        raise UsageError("substitute needs --for: the member or rostered person stood in for")
    if state is not AttendanceStatus.SUBSTITUTE and for_ is not None:
        raise UsageError(f"--for is only for substitute, not {word}")
    day0 = today_option(today)
    with common.session(write=True) as s:
        m = find_meeting(s, meeting, allow_cancelled=True)
        if m.status is MeetingStatus.CANCELLED:
            raise UsageError(f"meeting {m.id} is cancelled: nobody can attend it")
        person_id = resolve(s, "people", person)
        for_id = resolve(s, "people", for_) if for_ else None
        (body,) = read_bodies(s, [m.body])
        day = meeting_day(m, body.timezone)
        if state is not AttendanceStatus.APOLOGIES and day > day0:
            raise UsageError(
                f"meeting {m.id} on {day} has not happened yet: only apologies can be "
                "recorded in advance"
            )
        seats = [x for x in read_seats(s) if x.body == body.id]
        expected = {
            a.person: a
            for a in expected_attendees(body, seats, m, read_slots(s, meetings=[m.id]))
            if a.capacity != "guest"
        }
        anyone = {a.person: a for a in expected_attendees(body, seats, m, [])}
        seat_id = resolve(s, "seats", seat) if seat else None
        if seat_id is not None and seat_id not in {x.id for x in seats}:
            raise UsageError(f"seat {seat_id} is not a seat of {body.id}, which {m.id} is of")
        if for_id is not None:
            if for_id == person_id:
                raise UsageError(f"{person_id} cannot substitute for themselves")
            stood_for = expected.get(for_id)
            if stood_for is None:
                raise UsageError(
                    f"{for_id} was not expected at {m.id} (not a member, nor rostered to a "
                    "seat): a substitute stands in for someone who was"
                )
            seat_id = seat_id or stood_for.seat
        else:
            own = expected.get(person_id) or anyone.get(person_id)
            if own is None:
                raise UsageError(
                    f"{person_id} is not a member, seat holder, pool member or guest of "
                    f"{m.id}: record them as a substitute --for the person they stood in for"
                )
            seat_id = seat_id or own.seat
        record = Attendance(m.id, person_id, state, for_id, seat_id)
        outcome = save_attendance(s, record)
    what = f"{person_id} {word}" + (f" for {for_id}" if for_id else "")
    where = f" ({seat_id})" if seat_id else ""
    message(f"{outcome}: {what} at {m.id}{where}")


def attendance(
    body: Annotated[str | None, typer.Option("--body", help="Only this body's meetings.")] = None,
    seat: Annotated[str | None, typer.Option("--seat", help="Only this seat.")] = None,
    start: FromOption = None,
    end: ToOption = None,
    by: Annotated[By, typer.Option("--by", help="Which tables to show.")] = By.all,
    fmt: Annotated[common.ListFormat, typer.Option("--format", "-f")] = common.ListFormat.table,
    today: TodayOption = None,
) -> None:
    """Report attendance at meetings held so far: per person and per organisation, the
    meetings they were rostered for, attended, sent apologies to or missed; and per
    shared seat, how many different people and organisations filled its places and how
    evenly ("not just the same old faces").

    Evenness: spread is the most places one person filled minus the fewest (pool
    members who never came count as 0); Gini runs from 0 (all shared equally) to 1 (one
    person filled every place); top share is the most frequent attender's share.

    Example:

    \b
        coi attendance --seat lit-vcs --from 2026-01-01
        coi attendance --body lit-adult-mh --by organisation --format csv
    """
    from coi.domain.attendance import attendance_report, expected_at, in_scope
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings, read_seats, read_section
    from coi.store.rota import read_attendance, read_slots

    one_of(body=body, seat=seat)
    first, last = date_range(start, end)
    day0 = today_option(today)
    with common.session() as s:
        body_id = resolve(s, "bodies", body) if body else None
        seat_id = resolve(s, "seats", seat) if seat else None
        bodies = read_bodies(s)
        seats = read_seats(s)
        if seat_id:
            body_id = next(x.body for x in seats if x.id == seat_id)
        zones = {b.id: b.timezone for b in bodies}
        meetings = [
            m
            for m in read_meetings(s)
            if (body_id is None or m.body == body_id)
            and in_scope(m, zones.get(m.body, DEFAULT_TIMEZONE), today=day0, start=first, end=last)
        ]
        ids = [m.id for m in meetings]
        slots = read_slots(s, meetings=ids)
        records = read_attendance(s, meetings=ids)
        names = {p.id: p.name for p in read_section(s, "people")}
        names.update({o.id: o.name for o in read_section(s, "organisations")})
        names.update({f"seat:{x.id}": x.name for x in seats})
    expected = expected_at(bodies, seats, meetings, slots, records, seat=seat_id)
    if seat_id:
        spread_seats = [x for x in seats if x.id == seat_id]
    else:
        spread_seats = [x for x in seats if x.shared and (body_id is None or x.body == body_id)]
    report = attendance_report(meetings, expected, records, spread_seats, slots, seat=seat_id)
    _render(report, names, by, fmt.value)


def _tally_row(t: Tally, names: dict[str, str], kind: str) -> dict[str, Any]:
    return {
        "type": kind,
        "id": t.id,
        "name": names.get(t.id, t.id),
        "rostered": t.rostered,
        "attended": t.attended,
        "apologies": t.apologies,
        "absent": t.absent,
        "substitute": t.substitute,
        "not_recorded": t.not_recorded,
    }


def _ratio(value: float) -> float:
    return round(value, 3)


def _even(e: Evenness) -> dict[str, Any]:
    return {"spread": e.spread, "gini": _ratio(e.gini), "top_share": _ratio(e.top_share)}


def _seat_row(x: SeatSpread, names: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "seat",
        "seat": x.seat,
        "id": x.seat,
        "name": names.get(f"seat:{x.seat}", x.seat),
        "places": x.places,
        "meetings": x.meetings,
        "filled": x.filled,
        "from_rota": x.from_rota,
        "pool": x.pool,
        "people": x.people,
        "organisations": x.organisations,
        **_even(x.by_person),
        "organisation_gini": _ratio(x.by_organisation.gini),
        "organisation_top_share": _ratio(x.by_organisation.top_share),
        "organisation_spread": x.by_organisation.spread,
        "shares": [f"{names.get(p, p)} {n}" for p, n in x.shares],
        "person_shares": dict(x.shares),
        "organisation_shares": dict(x.organisation_shares),
    }


def _render(report: AttendanceReport, names: dict[str, str], by: By, fmt: str) -> None:
    from coi.cli.output import emit, rich_table
    from coi.formats.tabular import to_json

    people = [_tally_row(t, names, "person") for t in report.people]
    orgs = [_tally_row(t, names, "organisation") for t in report.organisations]
    seats = [_seat_row(x, names) for x in report.seats]
    want = {
        "person": by in (By.all, By.person),
        "organisation": by in (By.all, By.organisation),
        "seat": by in (By.all, By.seat),
    }
    if fmt == "json":
        data: dict[str, Any] = {"meetings": list(report.meetings)}
        if want["person"]:
            data["people"] = people
        if want["organisation"]:
            data["organisations"] = orgs
        if want["seat"]:
            data["seats"] = seats
        common.write(to_json(data))
        return
    if fmt == "csv":
        rows = [
            *(people if want["person"] else []),
            *(orgs if want["organisation"] else []),
            *(seats if want["seat"] else []),
        ]
        emit(rows, CSV_COLUMNS, "csv")
        return
    out = common.stdout()
    if not report.meetings:
        out.print("[dim]no meetings held in that range[/dim]")
        return
    if want["person"]:
        out.print(rich_table(people, TALLY_COLUMNS, title="People"))
    if want["organisation"]:
        out.print(rich_table(orgs, TALLY_COLUMNS, title="Organisations"))
    if want["seat"] and seats:
        out.print(rich_table(seats, SEAT_COLUMNS, title="Who filled each shared seat"))
    message(f"{len(report.meetings)} meeting(s): {', '.join(report.meetings)}")
