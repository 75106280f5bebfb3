"""``coi rota``: share a seat's places fairly among its pool, change them, and export calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coi.cli import common
from coi.errors import UsageError
from coi.formats.tabular import Column, columns

if TYPE_CHECKING:
    from coi.services.rota import Place, PlanOutcome

app = typer.Typer(
    help="Rotas for shared seats: who fills the places at each meeting, swaps, calendars.\n\n"
    "Example:\n\n    coi rota plan lit-vcs --from 2027-01-01 --to 2027-12-31",
    no_args_is_help=True,
)

# Planning more than this many meetings at once gets a progress bar on a terminal.
PROGRESS_FROM = 24

PLAN_COLUMNS = columns(
    "seat", "meeting", "date", "names=People", "changes", "note=Shortage or flag"
)

SLOT_COLUMNS = columns(
    "date", "meeting", "seat", "person", "name", "on_behalf_of=For", "status", "locked", "sequence"
)

AWAY_COLUMNS = columns("person", "start=From", "end=To", "reason")


@contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on a watched terminal for big jobs; a no-op otherwise."""
    if not common.show_progress() or total < PROGRESS_FROM:
        yield lambda n: None
        return
    from rich.progress import Progress

    with Progress(console=common.stderr(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def progress(label: str) -> Callable[[int], AbstractContextManager[Callable[[int], None]]]:
    """What a service calls with the size of a job: a progress bar labelled ``label``."""
    return partial(_progress, label)


# -- plan ---------------------------------------------------------------------


@app.command("plan")
def plan(
    ctx: typer.Context,
    seats: Annotated[
        list[str], typer.Argument(metavar="SEAT", help="Seat id(s), id prefix or name.")
    ],
    start: common.FromOption = None,
    end: common.ToOption = None,
    continuity: Annotated[
        bool,
        typer.Option(
            "--continuity", help="Keep one person on from each meeting to the next where fair."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan, store nothing.")
    ] = False,
    policy_file: common.PolicyOption = None,
    today: common.TodayOption = None,
    fmt: Annotated[common.ListFormat, typer.Option("--format", "-f")] = common.ListFormat.table,
) -> None:
    """Fill a seat's places at every meeting of its body from --from (default today) to
    --to (default: every meeting stored), within the seat's term, with people from its
    pool.

    Every meeting gets exactly the seat's places, or a shortage that says why; nobody is
    planned while away (`coi rota away`); past meetings and locked places (`coi rota
    lock`, `coi rota swap`) are kept. Within that the plan shares places as evenly as it
    can, counting the seat's history; prefers people with no exclude/withdraw flag on
    the meeting's agenda; avoids two people from one organisation at one meeting; and
    rotates. Places the new plan takes from someone are kept as "swapped-out", so
    exported calendars cancel them.

    Example:

    \b
        coi rota plan lit-vcs --from 2027-01-01 --to 2027-12-31 --dry-run
    """
    from coi.services.rota import plan as plan_seats

    day0 = common.today_option(today)
    first, last = common.date_range(start, end)
    with common.session(write=True) as s:
        outcome = plan_seats(
            s,
            **common.options(
                ctx, "fmt", today=day0, start=first, end=last, progress=progress("Planning")
            ),
        )
    _show_plan(outcome, fmt.value)
    verb = "would store" if dry_run else "stored"
    changes = outcome.changes
    common.message(
        f"{verb} {changes.created} new and {changes.updated} changed slot(s); "
        f"{changes.unchanged} unchanged" + ("; dry run: nothing was changed" if dry_run else "")
    )


def _show_plan(outcome: PlanOutcome, fmt: str) -> None:
    from coi.cli.output import emit

    names = outcome.names
    rows: list[tuple[tuple[dt.date, str, str], dict[str, object]]] = []
    for seat in outcome.seats:
        if seat.meetings is None:
            common.message(f"{seat.seat}: no meetings fall within the seat's term")
            continue
        for x in seat.meetings:
            notes = ["meeting cancelled"] if x.cancelled else []
            if x.shortage is not None:
                gap = x.shortage
                notes.append(f"SHORT {gap.filled} of {gap.needed}: {gap.reason}")
            notes += [f"{names.get(p, p)} flagged ({what})" for p, what in x.flagged]
            row = {
                "seat": x.seat,
                "meeting": x.meeting,
                "date": x.date,
                "people": list(x.people),
                "names": [names.get(p, p) for p in x.people],
                "swapped_out": list(x.swapped_out),
                "locked": list(x.locked),
                "changes": list(x.changes),
                "shortage": x.shortage.reason if x.shortage else None,
                "note": "; ".join(notes),
            }
            rows.append(((x.date, x.meeting, x.seat), row))
        if fmt == "table":
            held = ", ".join(f"{names.get(p, p)} {n}" for p, n in seat.held.items())
            common.message(
                f"{seat.seat}: places held on the whole rota: {held} (spread {seat.spread})"
            )
    rows.sort(key=lambda r: r[0])
    emit(
        [r for _, r in rows],
        PLAN_COLUMNS,
        fmt,
        title="Rota plan",
        empty="no meetings to plan in that range",
    )


# -- show ---------------------------------------------------------------------

MeetingArg = Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")]
SeatOption = Annotated[str | None, typer.Option("--seat", help="Only this seat's places.")]
PersonOption = Annotated[str | None, typer.Option("--person", help="Only this person's.")]
FormatOption = Annotated[common.ListFormat, typer.Option("--format", "-f")]


@app.command("show")
def show(
    seat: Annotated[str | None, typer.Argument(help="Seat id, id prefix or name.")] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="Only this person's places.")
    ] = None,
    start: common.FromOption = None,
    end: common.ToOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include places swapped out to someone else.")
    ] = False,
    fmt: FormatOption = common.ListFormat.table,
) -> None:
    """Show who holds which place at which meeting.

    Example:

    \b
        coi rota show lit-vcs --from 2027-01-01
        coi rota show --person priya-nair --format csv
    """
    from dataclasses import asdict

    from coi.cli.output import emit
    from coi.services.rota import places

    first, last = common.date_range(start, end)
    with common.session() as s:
        found = places(s, seat=seat, person=person, start=first, end=last, swapped_out=all_)
    if fmt is common.ListFormat.table and person is None and found:
        grid, cols = _grid(found)
        emit(grid, cols, fmt.value, title="Rota")
        return
    rows = [asdict(x) for x in found]
    emit(rows, SLOT_COLUMNS, fmt.value, title="Rota", empty="no rota places: see `coi rota plan`")


def _grid(found: Sequence[Place]) -> tuple[list[dict[str, object]], list[Column]]:
    """The rota as people read one on paper: a row a meeting and seat, a column a place.

    A locked place is marked (locked); with --all, who gave up a place is in a column of
    its own. JSON and CSV keep one row a place, so scripts see one shape whatever the filter.
    """
    from coi.domain.words import SlotStatus

    rows: dict[tuple[dt.date, str, str], dict[str, object]] = {}
    held: dict[tuple[dt.date, str, str], list[str]] = {}
    for x in found:
        key = (x.date, x.meeting, x.seat)
        row = rows.setdefault(key, {"date": x.date, "meeting": x.meeting, "seat": x.seat})
        if x.status is SlotStatus.ASSIGNED:
            held.setdefault(key, []).append(x.name + (" (locked)" if x.locked else ""))
        else:
            row["swapped_out"] = ", ".join(filter(None, [str(row.get("swapped_out", "")), x.name]))
    width = max((len(v) for v in held.values()), default=0)
    for key, labels in held.items():
        rows[key].update({f"place_{i + 1}": label for i, label in enumerate(labels)})
    cols = [*columns("date", "meeting", "seat")]
    cols += [Column(f"place_{i + 1}", f"Place {i + 1}") for i in range(width)]
    if any("swapped_out" in r for r in rows.values()):
        cols += columns("swapped_out=Swapped out")
    return list(rows.values()), cols


# -- swap, lock ---------------------------------------------------------------


@app.command("swap")
def swap(
    meeting: MeetingArg,
    out: Annotated[str, typer.Argument(help="The person giving up their place.")],
    in_: Annotated[str, typer.Argument(metavar="IN", help="The pool member taking it.")],
    seat: Annotated[
        str | None,
        typer.Option("--seat", help="The seat, when OUT holds places on more than one."),
    ] = None,
    policy: common.PolicyOption = None,
    today: common.TodayOption = None,
) -> None:
    """Give one person's place at a meeting to another member of the seat's pool.

    Both places are then locked, so re-planning keeps the swap; calendars exported
    afterwards cancel OUT's event and add IN's.

    Example:

    \b
        coi rota swap lit-2027-01 tom-rowe owen-pascoe
    """
    from coi.services.rota import swap as swap_place

    day0 = common.today_option(today)
    with common.session(write=True) as s:
        done = swap_place(s, meeting, out, in_, seat=seat, today=day0, policy_file=policy)
    common.message(
        f"{done.in_person} takes {done.out_person}'s place on {done.seat} at {done.meeting} "
        f"({done.date}); both places are locked"
    )
    for what in done.flags:
        common.message(
            f"note: {done.in_person} is expected to {what} at {done.meeting} "
            f"(see `coi check {done.meeting} --person {done.in_person}`)"
        )


def _set_lock(meeting: str, seat: str | None, person: str | None, locked: bool) -> None:
    from coi.services.rota import set_lock

    with common.session(write=True) as s:
        done = set_lock(s, meeting, locked, seat=seat, person=person)
    verb = "locked" if locked else "unlocked"
    common.message(
        f"{verb} {done.changed} place(s) at {done.meeting}; {done.already} already {verb}"
    )


@app.command("lock")
def lock(meeting: MeetingArg, seat: SeatOption = None, person: PersonOption = None) -> None:
    """Lock the places at a meeting so that re-planning keeps them as they are.

    Example:

    \b
        coi rota lock lit-2027-03 --seat lit-vcs
    """
    _set_lock(meeting, seat, person, True)


@app.command("unlock")
def unlock(meeting: MeetingArg, seat: SeatOption = None, person: PersonOption = None) -> None:
    """Unlock places at a meeting so that the next plan may move them.

    Example:

    \b
        coi rota unlock lit-2027-03 --person tom-rowe
    """
    _set_lock(meeting, seat, person, False)


# -- away ---------------------------------------------------------------------


@app.command("away")
def away(
    person: Annotated[str, typer.Argument(help="Person id, id prefix or name.")],
    start: Annotated[str | None, typer.Option("--from", help="First day away, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day away (inclusive).")] = None,
    reason: Annotated[str, typer.Option("--reason", help="e.g. annual leave.")] = "",
    fmt: FormatOption = common.ListFormat.table,
) -> None:
    """Record when someone cannot attend, so plans leave them out; with no dates, list
    their away periods.

    Places they already hold in that period are listed: re-plan or swap them.

    Example:

    \b
        coi rota away owen-pascoe --from 2027-01-11 --to 2027-01-15 --reason "annual leave"
    """
    from dataclasses import asdict

    from coi.cli.output import emit
    from coi.services.rota import away_periods, record_away

    first, last = common.date_range(start, end)
    if (first is None) != (last is None):
        raise UsageError("give both --from and --to (or neither, to list away periods)")
    if first is None or last is None:
        with common.session() as s:
            person_id, periods = away_periods(s, person)
        rows = [asdict(a) for a in periods]
        emit(rows, AWAY_COLUMNS, fmt.value, title="Away", empty=f"{person_id} is never away")
        return
    with common.session(write=True) as s:
        done = record_away(s, person, first, last, reason)
    person_id = done.away.person
    common.message(f"{done.outcome}: {person_id} away {first} to {last}")
    if done.clashes:
        common.message(
            f"{person_id} holds places in that period at {', '.join(done.clashes)}: "
            "re-plan with `coi rota plan` or use `coi rota swap`"
        )


# -- export -------------------------------------------------------------------


def _parse_now(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now: {value!r} is not an ISO date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@app.command("export")
def export(
    person: Annotated[str | None, typer.Option("--person", help="One person's places.")] = None,
    seat: Annotated[str | None, typer.Option("--seat", help="One seat's places.")] = None,
    body: Annotated[str | None, typer.Option("--body", help="All seats of one body.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The .ics file; default stdout.")
    ] = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="DTSTAMP of the events, ISO date-time; default now."),
    ] = None,
    policy: common.PolicyOption = None,
) -> None:
    """Write rota places as an iCalendar (.ics) file to import or subscribe to.

    Titles read "LIT: Priya Nair, VCS seat" (a long body name shortens to its acronym or
    initials); the body's secretary is the ORGANIZER. With no places, nothing is written.

    Each place is an event whose UID stays the same across exports, so importing again
    updates it; its SEQUENCE rises when the meeting or the place changes; a cancelled
    meeting or a place swapped away is STATUS:CANCELLED. The description holds the
    agenda and what the person is expected to do on each item.

    Example:

    \b
        coi rota export --person priya-nair -o priya.ics
    """
    from coi.services.calendar import export_calendar

    common.one_of(person=person, seat=seat, body=body)
    stamp, bar = _parse_now(now), progress("Checking agendas")
    with common.session() as s:
        done = export_calendar(
            s, stamp, person=person, seat=seat, body=body, policy_file=policy, progress=bar
        )
    if not done.events:
        # A calendar with no events imports as nothing and hides the mistake: say so.
        common.message("no rota places to export: nothing written")
        return
    if output is None or str(output) == "-":
        import sys

        sys.stdout.buffer.write(done.data)
        sys.stdout.flush()
        return
    common.write_output(output, done.data)
    common.message(f"wrote {done.events} event(s) to {output} ({done.cancelled} cancelled)")
