"""``coi attend`` and ``coi attendance``: minute who came, and report who turns up and how
evenly a shared seat is really shared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from coi.cli import common
from coi.formats.tabular import Column, columns

if TYPE_CHECKING:
    from coi.domain.attendance import AttendanceReport, Evenness, SeatSpread, Tally

TALLY_COLUMNS = columns(
    "id",
    "name",
    "rostered",
    "attended",
    "apologies",
    "absent",
    "substitute=As substitute",
    "not_recorded",
)

SEAT_COLUMNS = columns(
    "seat",
    "places",
    "meetings",
    "filled=Places filled",
    "from_rota",
    "pool",
    "people",
    "organisations=Orgs",
    "spread",
    "gini",
    "top_share",
    "shares=Places per person",
)

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
    person: Annotated[
        str | None,
        typer.Argument(help="Person id, id prefix or name (one person's form)."),
    ] = None,
    status: Annotated[
        str | None,
        typer.Argument(metavar="STATUS", help="present, apologies, absent or substitute."),
    ] = None,
    for_: Annotated[
        str | None,
        typer.Option("--for", help="With substitute: whom PERSON stood in for."),
    ] = None,
    seat: Annotated[
        str | None, typer.Option("--seat", help="The seat, when it cannot be worked out.")
    ] = None,
    present: Annotated[
        list[str] | None, typer.Option("--present", help="People present: a,b,c (repeatable).")
    ] = None,
    apologies: Annotated[
        list[str] | None, typer.Option("--apologies", help="People who sent apologies: a,b.")
    ] = None,
    absent: Annotated[
        list[str] | None, typer.Option("--absent", help="People absent without apologies: a,b.")
    ] = None,
    substitute: Annotated[
        list[str] | None,
        typer.Option("--substitute", help="WHO:FOR, WHO stood in for FOR (repeatable, or a,b)."),
    ] = None,
    as_rostered: Annotated[
        bool,
        typer.Option(
            "--as-rostered",
            help="Everyone expected (members, seat holders, the rostered) present, "
            "then the other options correct it.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Record even an overfull seat or two capacities."),
    ] = False,
    today: common.TodayOption = None,
) -> None:
    """Record who attended a meeting: one person, or the whole meeting in one go.

    A substitute stands in --for a member, or a pool member rostered for that meeting,
    and is counted in that person's seat. Apologies may be sent in advance; the other
    statuses only once the meeting has happened.

    Or record the whole meeting at once, in one transaction (one bad name and nothing is
    stored): --present, --apologies, --absent and --substitute WHO:FOR, each taking
    several people separated by commas; --as-rostered starts from everyone expected
    present. A seat holding more people than its places, or someone attending in two
    capacities, is refused (exit 2) unless --force.

    Example:

    \b
        coi attend lit-2027-01 tom-rowe apologies
        coi attend lit-2027-01 sarah-pike substitute --for tom-rowe
        coi attend lit-2027-01 --present liz-doidge,ben-okafor --apologies nadia-quinn
        coi attend lit-2027-01 --as-rostered --apologies owen --substitute tom:owen
    """
    day0 = common.today_option(today)
    lists = {"--present": present, "--apologies": apologies, "--absent": absent}
    whole = [k for k, v in {**lists, "--substitute": substitute}.items() if v] + (
        ["--as-rostered"] if as_rostered else []
    )
    if person is not None or status is not None:
        if whole or force:
            from coi.errors import UsageError

            extra = ", ".join(whole + (["--force"] if force else []))
            raise UsageError(f"{extra}: not with PERSON STATUS (name everyone with the options)")
        if person is None or status is None:
            from coi.errors import UsageError

            raise UsageError("PERSON needs a STATUS: present, apologies, absent or substitute")
        _attend_one(meeting, person, status, for_, seat, day0)
        return
    if for_ is not None or seat is not None:
        from coi.errors import UsageError

        raise UsageError("--for and --seat are for one person: coi attend MEETING PERSON STATUS")
    _attend_all(meeting, lists, substitute or [], as_rostered, force, day0)


def _split(values: list[str] | None) -> list[str]:
    return [x.strip() for v in values or [] for x in v.split(",") if x.strip()]


def _attend_one(
    meeting: str, person: str, status: str, for_: str | None, seat: str | None, day0: dt.date
) -> None:
    from coi.services.attendance import record_attendance

    with common.session(write=True) as s:
        done = record_attendance(
            s, meeting, person, status, today=day0, substitute_for=for_, seat=seat
        )
    r = done.record
    what = f"{r.person} {r.status}" + (f" for {r.substitute_for}" if r.substitute_for else "")
    where = f" ({r.seat})" if r.seat else ""
    common.message(f"{done.outcome}: {what} at {r.meeting}{where}")


def _attend_all(
    meeting: str,
    lists: Mapping[str, list[str] | None],
    substitute: list[str],
    as_rostered: bool,
    force: bool,
    day0: dt.date,
) -> None:
    from coi.cli.output import rich_table
    from coi.errors import UsageError
    from coi.services.attendance import record_roll

    if not as_rostered and not any(lists.values()) and not substitute:
        raise UsageError(
            "name PERSON STATUS, or the whole meeting with --present, --apologies, "
            "--absent, --substitute or --as-rostered"
        )
    with common.session(write=True) as s:
        done = record_roll(
            s,
            meeting,
            today=day0,
            present=_split(lists["--present"]),
            apologies=_split(lists["--apologies"]),
            absent=_split(lists["--absent"]),
            substitutes=_split(substitute),
            as_rostered=as_rostered,
            force=force,
        )
    for w in done.warnings:
        common.message(f"warning: {done.meeting}: {w} (recorded, --force)")
    for note in done.notes:
        common.message(f"note: {note}")
    rows = [
        {
            "person": m.record.person,
            "status": str(m.record.status),
            "for": m.record.substitute_for or "",
            "seat": m.record.seat or "",
            "outcome": m.outcome,
        }
        for m in done.minuted
    ]
    cols = columns("person", "status", "for=For whom", "seat", "outcome")
    common.stdout().print(rich_table(rows, cols, title=f"Attendance at {done.meeting}"))
    common.message(f"{len(rows)} record(s) at {done.meeting}")


def attendance(
    body: Annotated[str | None, typer.Option("--body", help="Only this body's meetings.")] = None,
    seat: Annotated[str | None, typer.Option("--seat", help="Only this seat.")] = None,
    start: common.FromOption = None,
    end: common.ToOption = None,
    by: Annotated[By, typer.Option("--by", help="Which tables to show.")] = By.all,
    fmt: Annotated[common.ListFormat, typer.Option("--format", "-f")] = common.ListFormat.table,
    today: common.TodayOption = None,
) -> None:
    """Report attendance at meetings held so far: per person and per organisation, the
    meetings they were rostered for, attended, sent apologies to or missed; and per
    shared seat, how many different people and organisations filled its places and how
    evenly ("not just the same old faces").

    Without --from/--to every meeting held so far counts: marked held, dated up to
    today (--today), or with attendance recorded. An organisation is credited for the
    person who came for it: a substitute counts for the organisation they came for, and
    an organisation whose representative sent apologies is not credited.

    Evenness: spread is the most places one person filled minus the fewest (pool
    members who never came count as 0); Gini runs from 0 (all shared equally) to 1 (one
    person filled every place); top share is the most frequent attender's share.

    Example:

    \b
        coi attendance --seat lit-vcs --from 2026-01-01
        coi attendance --body lit-adult-mh --by organisation --format csv
    """
    from coi.services.attendance import attendance as attendance_at

    common.one_of(body=body, seat=seat)
    first, last = common.date_range(start, end)
    day0 = common.today_option(today)
    with common.session() as s:
        view = attendance_at(s, today=day0, body=body, seat=seat, start=first, end=last)
    where = "" if first is None and last is None else " in that range"
    _render(view.report, view.names, by, fmt.value, f"no meetings held by {day0}{where}")


def _tally_row(t: Tally, names: Mapping[str, str], kind: str) -> dict[str, object]:
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


def _even(e: Evenness) -> dict[str, object]:
    return {"spread": e.spread, "gini": _ratio(e.gini), "top_share": _ratio(e.top_share)}


def _seat_row(x: SeatSpread, names: Mapping[str, str]) -> dict[str, object]:
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


def _render(
    report: AttendanceReport, names: Mapping[str, str], by: By, fmt: str, empty: str
) -> None:
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
        data: dict[str, object] = {"meetings": list(report.meetings)}
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
        out.print(f"[dim]{empty}[/dim]")
        return
    if want["person"]:
        out.print(rich_table(people, TALLY_COLUMNS, title="People"))
    if want["organisation"]:
        out.print(rich_table(orgs, TALLY_COLUMNS, title="Organisations"))
    if want["seat"] and seats:
        out.print(rich_table(seats, SEAT_COLUMNS, title="Who filled each shared seat"))
    common.message(f"{len(report.meetings)} meeting(s): {', '.join(report.meetings)}")
