"""``coi rota``: share a seat's places fairly among its pool, change them, and export calendars."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import (
    FromOption,
    ListFormat,
    PolicyOption,
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
    from collections.abc import Callable, Iterator, Sequence

    from sqlalchemy.orm import Session

    from coi.domain.conflicts import RegisterIndex
    from coi.domain.model import Meeting, Register, RotaSlot, Seat
    from coi.domain.policy import Policy
    from coi.domain.rota import Plan

app = typer.Typer(
    help="Rotas for shared seats: who fills the places at each meeting, swaps, calendars.\n\n"
    "Example:\n\n    coi rota plan lit-vcs --from 2027-01-01 --to 2027-12-31",
    no_args_is_help=True,
)

# Planning more than this many meetings at once gets a progress bar on a terminal.
PROGRESS_FROM = 24

PLAN_COLUMNS = [
    Column("seat", "Seat"),
    Column("meeting", "Meeting"),
    Column("date", "Date"),
    Column("names", "People"),
    Column("changes", "Changes"),
    Column("note", "Shortage or flag"),
]

SLOT_COLUMNS = [
    Column("date", "Date"),
    Column("meeting", "Meeting"),
    Column("seat", "Seat"),
    Column("person", "Person"),
    Column("name", "Name"),
    Column("on_behalf_of", "For"),
    Column("status", "Status"),
    Column("locked", "Locked"),
    Column("sequence", "Sequence"),
]

AWAY_COLUMNS = [
    Column("person", "Person"),
    Column("start", "From"),
    Column("end", "To"),
    Column("reason", "Reason"),
]


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def zone_of(register: Register, body: str) -> str:
    return next((b.timezone for b in register.bodies if b.id == body), DEFAULT_TIMEZONE)


def pool_attendees(seat: Seat) -> list[Any]:
    """The whole pool as "if attending" attendees: whom a flag could fall on at a meeting."""
    from coi.domain.conflicts import ExpectedAttendee

    return [
        ExpectedAttendee(p.person, seat.name or seat.id, True, seat.voting, p.on_behalf_of, seat.id)
        for p in seat.pool
    ]


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on a watched terminal for big jobs; a no-op otherwise."""
    if not common.show_progress() or total < PROGRESS_FROM:
        yield lambda n: None
        return
    from rich.progress import Progress

    with Progress(console=common.stderr(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


# -- plan ---------------------------------------------------------------------


def _serious_flags(
    index: RegisterIndex,
    seat: Seat,
    meetings: Sequence[Meeting],
    rules: Policy,
    advance: Callable[[int], None],
) -> dict[tuple[str, str], str]:
    """(meeting, person) -> the strongest exclude/withdraw the pool would meet, per meeting."""
    from coi.domain.conflicts import check_meeting
    from coi.domain.words import Action

    attendees = pool_attendees(seat)
    out: dict[tuple[str, str], str] = {}
    for m in meetings:
        for flag in check_meeting(index, m, rules, attendees).flags:
            if flag.action in (Action.EXCLUDE, Action.WITHDRAW):
                key = (m.id, flag.person)
                if key not in out or flag.action is Action.EXCLUDE:
                    out[key] = f"{flag.action.value} for item {flag.item}"
        advance(1)
    return out


def _clamp(
    seat: Seat, first: dt.date | None, last: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The requested range cut to the seat's term: outside it the seat does not exist."""
    if seat.term_start is not None and (first is None or first < seat.term_start):
        first = seat.term_start
    if seat.term_end is not None and (last is None or last > seat.term_end):
        last = seat.term_end
    return first, last


@app.command("plan")
def plan(
    seats: Annotated[
        list[str], typer.Argument(metavar="SEAT", help="Seat id(s), id prefix or name.")
    ],
    start: FromOption = None,
    end: ToOption = None,
    continuity: Annotated[
        bool,
        typer.Option(
            "--continuity", help="Keep one person on from each meeting to the next where fair."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan, store nothing.")
    ] = False,
    policy: PolicyOption = None,
    today: TodayOption = None,
    fmt: Annotated[PlanFormat, typer.Option("--format", "-f")] = PlanFormat.table,
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
    from coi.domain.conflicts import RegisterIndex
    from coi.domain.model import Away, MeetingStatus
    from coi.domain.rota import ASSIGNED, meeting_day, plan_rota
    from coi.services.checking import load_policy_option
    from coi.store.lookup import resolve
    from coi.store.register import read_register
    from coi.store.rota import read_slots, save_slots

    day0 = today_option(today)
    first, last = date_range(start, end)
    first = first or day0
    if last is not None and first > last:
        raise UsageError(f"--to {last} is before today ({first}): give --from as well")
    rules = load_policy_option(policy)
    with common.session(write=True) as s:
        ids = list(dict.fromkeys(resolve(s, "seats", x) for x in seats))
        register = read_register(s)
        by_id = {x.id: x for x in register.seats}
        stored = read_slots(s, seats=ids)
        index = RegisterIndex(register)
        jobs = []
        for seat_id in ids:
            seat = by_id[seat_id]
            zone = zone_of(register, seat.body)
            lo, hi = _clamp(seat, first, last)
            to_check = [
                m
                for m in register.meetings
                if m.body == seat.body
                and m.status != MeetingStatus.CANCELLED
                and (lo is None or lo <= meeting_day(m, zone))
                and (hi is None or meeting_day(m, zone) <= hi)
                and meeting_day(m, zone) >= day0
            ]
            jobs.append((seat, zone, lo, hi, to_check))
        # Who already holds a place at each meeting, on which seat: nobody fills two
        # seats at one meeting, whether the other seat was planned before or just now.
        taken: dict[str, dict[str, str]] = defaultdict(dict)
        for x in read_slots(s):
            if x.status == ASSIGNED:
                taken[x.meeting][x.person] = x.seat
        plans: list[tuple[Seat, str, Plan | None, dict[tuple[str, str], str]]] = []
        total = sum(len(j[4]) + 1 for j in jobs)
        with progress(total, "Planning") as advance:
            for seat, zone, lo, hi, to_check in jobs:
                if lo is not None and hi is not None and lo > hi:
                    plans.append((seat, zone, None, {}))
                    advance(len(to_check) + 1)
                    continue
                flags = _serious_flags(
                    index, seat, to_check, rules.for_body(register, seat.body), advance
                )
                pool = {p.person for p in seat.pool}
                elsewhere = [
                    Away(person, day, day, f"holds a place on {other} at {m.id}")
                    for m in to_check
                    for person, other in taken[m.id].items()
                    if other != seat.id and person in pool
                    for day in [meeting_day(m, zone)]
                ]
                result = plan_rota(
                    seat,
                    register.meetings,
                    [x for x in stored if x.seat == seat.id],
                    [*register.away, *elsewhere],
                    today=day0,
                    start=lo,
                    end=hi,
                    conflicted=set(flags),
                    continuity=continuity,
                    timezone=zone,
                )
                plans.append((seat, zone, result, flags))
                for x in result.slots:
                    if x.status == ASSIGNED:
                        taken[x.meeting][x.person] = seat.id
                    elif taken[x.meeting].get(x.person) == seat.id:
                        del taken[x.meeting][x.person]
                advance(1)
        changes = save_slots(s, [x for _, _, p, _ in plans if p for x in p.slots])
        if dry_run:
            s.rollback()
    _show_plan(register, plans, stored, fmt.value)
    verb = "would store" if dry_run else "stored"
    message(
        f"{verb} {changes.created} new and {changes.updated} changed slot(s); "
        f"{changes.unchanged} unchanged" + ("; dry run: nothing was changed" if dry_run else "")
    )


def _show_plan(
    register: Register,
    plans: Sequence[tuple[Seat, str, Plan | None, dict[tuple[str, str], str]]],
    stored: Sequence[RotaSlot],
    fmt: str,
) -> None:
    from coi.cli.output import emit
    from coi.domain.model import MeetingStatus
    from coi.domain.rota import ASSIGNED, meeting_day, rota_counts

    names = {p.id: p.name for p in register.people}
    meetings = {m.id: m for m in register.meetings}
    before = {(x.seat, x.meeting, x.person): x for x in stored}
    rows: list[dict[str, Any]] = []
    for seat, zone, result, flags in plans:
        if result is None:
            message(f"{seat.id}: no meetings fall within the seat's term")
            continue
        short = {x.meeting: x for x in result.shortages}
        by_meeting: dict[str, list[RotaSlot]] = defaultdict(list)
        for x in result.slots:
            by_meeting[x.meeting].append(x)
        shown = dict.fromkeys([*by_meeting, *short])
        for meeting_id in shown:
            m, slots = meetings[meeting_id], by_meeting.get(meeting_id, [])
            people = [x.person for x in slots if x.status == ASSIGNED]
            changes = []
            for x in slots:
                old = before.get((x.seat, x.meeting, x.person))
                if old is None and x.status == ASSIGNED:
                    changes.append(f"+{x.person}")
                elif old is not None and old.status != x.status:
                    changes.append(("+" if x.status == ASSIGNED else "-") + x.person)
            notes = ["meeting cancelled"] if m.status == MeetingStatus.CANCELLED else []
            if meeting_id in short:
                gap = short[meeting_id]
                notes.append(f"SHORT {gap.filled} of {gap.needed}: {gap.reason}")
            notes += [
                f"{names.get(p, p)} flagged ({flags[(meeting_id, p)]})"
                for p in people
                if (meeting_id, p) in flags
            ]
            rows.append(
                {
                    "seat": seat.id,
                    "meeting": meeting_id,
                    "date": meeting_day(m, zone),
                    "people": people,
                    "names": [names.get(p, p) for p in people],
                    "swapped_out": [x.person for x in slots if x.status != ASSIGNED],
                    "locked": [x.person for x in slots if x.locked],
                    "changes": changes,
                    "shortage": short[meeting_id].reason if meeting_id in short else None,
                    "note": "; ".join(notes),
                }
            )
        if fmt == "table":
            counts = rota_counts(
                {(x.seat, x.meeting, x.person): x for x in [*stored, *result.slots]}.values(),
                seat,
                meetings=register.meetings,
            )
            held = ", ".join(f"{names.get(p, p)} {n}" for p, n in counts.items())
            spread = max(counts.values()) - min(counts.values()) if counts else 0
            message(f"{seat.id}: places held on the whole rota: {held} (spread {spread})")
    rows.sort(key=lambda r: (r["date"], r["meeting"], r["seat"]))
    emit(rows, PLAN_COLUMNS, fmt, title="Rota plan", empty="no meetings to plan in that range")


# -- show ---------------------------------------------------------------------


@app.command("show")
def show(
    seat: Annotated[str | None, typer.Argument(help="Seat id, id prefix or name.")] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="Only this person's places.")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include places swapped out to someone else.")
    ] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show who holds which place at which meeting.

    Example:

    \b
        coi rota show lit-vcs --from 2027-01-01
        coi rota show --person priya-nair --format csv
    """
    from coi.cli.output import emit
    from coi.domain.rota import ASSIGNED, meeting_day
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings, read_seats
    from coi.store.rota import read_slots

    first, last = date_range(start, end)
    with common.session() as s:
        seat_id = resolve(s, "seats", seat) if seat else None
        person_id = resolve(s, "people", person) if person else None
        slots = read_slots(
            s,
            seats=[seat_id] if seat_id else None,
            people=[person_id] if person_id else None,
        )
        meetings = {m.id: m for m in read_meetings(s, sorted({x.meeting for x in slots}))}
        zones = {b.id: b.timezone for b in read_bodies(s)}
        seats = {x.id: x for x in read_seats(s, sorted({x.seat for x in slots}))}
        names = _names(s, "people")
    rows = []
    for x in slots:
        if x.status != ASSIGNED and not all_:
            continue
        m = meetings[x.meeting]
        day = meeting_day(m, zones.get(m.body, DEFAULT_TIMEZONE))
        if (first and day < first) or (last and day > last):
            continue
        pool = {p.person: p.on_behalf_of for p in seats[x.seat].pool}
        rows.append(
            {
                "date": day,
                "meeting": x.meeting,
                "meeting_status": m.status,
                "seat": x.seat,
                "person": x.person,
                "name": names.get(x.person, x.person),
                "on_behalf_of": pool.get(x.person),
                "status": x.status,
                "locked": x.locked,
                "sequence": x.sequence,
            }
        )
    rows.sort(key=lambda r: (r["date"], r["meeting"], r["seat"], r["person"]))
    emit(rows, SLOT_COLUMNS, fmt.value, title="Rota", empty="no rota places: see `coi rota plan`")


def _names(s: Session, section: str) -> dict[str, str]:
    from coi.store.register import read_section

    return {r.id: r.name for r in read_section(s, section)}


# -- swap, lock ---------------------------------------------------------------


@app.command("swap")
def swap(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    out: Annotated[str, typer.Argument(help="The person giving up their place.")],
    in_: Annotated[str, typer.Argument(metavar="IN", help="The pool member taking it.")],
    seat: Annotated[
        str | None,
        typer.Option("--seat", help="The seat, when OUT holds places on more than one."),
    ] = None,
    policy: PolicyOption = None,
    today: TodayOption = None,
) -> None:
    """Give one person's place at a meeting to another member of the seat's pool.

    Both places are then locked, so re-planning keeps the swap; calendars exported
    afterwards cancel OUT's event and add IN's.

    Example:

    \b
        coi rota swap lit-2027-01 tom-rowe owen-pascoe
    """
    from coi.domain.conflicts import RegisterIndex
    from coi.domain.rota import ASSIGNED, meeting_day
    from coi.domain.rota import swap as swap_slots
    from coi.services.checking import find_meeting, load_policy_option
    from coi.store.lookup import resolve
    from coi.store.register import read_away, read_bodies, read_register, read_seats
    from coi.store.rota import read_slots, save_slots

    day0 = today_option(today)
    rules = load_policy_option(policy)
    with common.session(write=True) as s:
        m = find_meeting(s, meeting, allow_cancelled=True)
        out_id = resolve(s, "people", out)
        in_id = resolve(s, "people", in_)
        seats = {x.id: x for x in read_seats(s) if x.body == m.body}
        slots = read_slots(s, meetings=[m.id])
        if seat is not None:
            seat_id = resolve(s, "seats", seat)
            if seat_id not in seats:
                raise UsageError(f"seat {seat_id} is not a seat of {m.body}, which {m.id} is of")
        else:
            held = sorted({x.seat for x in slots if x.person == out_id and x.status == ASSIGNED})
            if not held:
                raise UsageError(
                    f"{out_id} holds no place at {m.id}: see `coi rota show --person {out_id}`"
                )
            if len(held) > 1:
                raise UsageError(
                    f"{out_id} holds places on several seats at {m.id} ({', '.join(held)}): "
                    "choose one with --seat"
                )
            seat_id = held[0]
        (body,) = read_bodies(s, [m.body])
        target = seats[seat_id]
        mine = [x for x in slots if x.seat == seat_id]
        changed = swap_slots(
            mine,
            m,
            out_id,
            in_id,
            target,
            read_away(s),
            today=day0,
            timezone=body.timezone,
        )
        save_slots(s, changed)
        register = read_register(s)
    message(
        f"{in_id} takes {out_id}'s place on {seat_id} at {m.id} "
        f"({meeting_day(m, body.timezone)}); both places are locked"
    )
    # The swap stands (people swap for reasons the register cannot see), but the
    # incoming person should know at once what the agenda asks of them.
    body_policy = rules.for_body(register, target.body)
    flags = _serious_flags(RegisterIndex(register), target, [m], body_policy, lambda n: None)
    for (_, who), what in sorted(flags.items()):
        if who == in_id:
            message(
                f"note: {in_id} is expected to {what} at {m.id} "
                f"(see `coi check {m.id} --person {in_id}`)"
            )


def _set_lock(meeting: str, seat: str | None, person: str | None, locked: bool) -> None:
    from dataclasses import replace

    from coi.services.checking import find_meeting
    from coi.store.lookup import resolve
    from coi.store.rota import read_slots, save_slots

    with common.session(write=True) as s:
        m = find_meeting(s, meeting, allow_cancelled=True)
        seat_id = resolve(s, "seats", seat) if seat else None
        person_id = resolve(s, "people", person) if person else None
        slots = [
            x
            for x in read_slots(s, meetings=[m.id])
            if (seat_id is None or x.seat == seat_id)
            and (person_id is None or x.person == person_id)
        ]
        if not slots:
            which = "".join(
                f" {k} {v}" for k, v in (("for seat", seat_id), ("for", person_id)) if v
            )
            raise UsageError(f"no rota places at {m.id}{which}: plan the rota first")
        todo = [replace(x, locked=locked) for x in slots if x.locked != locked]
        save_slots(s, todo)
    verb = "locked" if locked else "unlocked"
    message(f"{verb} {len(todo)} place(s) at {m.id}; {len(slots) - len(todo)} already {verb}")


@app.command("lock")
def lock(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    seat: Annotated[str | None, typer.Option("--seat", help="Only this seat's places.")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person's.")] = None,
) -> None:
    """Lock the places at a meeting so that re-planning keeps them as they are.

    Example:

    \b
        coi rota lock lit-2027-03 --seat lit-vcs
    """
    _set_lock(meeting, seat, person, True)


@app.command("unlock")
def unlock(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    seat: Annotated[str | None, typer.Option("--seat", help="Only this seat's places.")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person's.")] = None,
) -> None:
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
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Record when someone cannot attend, so plans leave them out; with no dates, list
    their away periods.

    Places they already hold in that period are listed: re-plan or swap them.

    Example:

    \b
        coi rota away owen-pascoe --from 2027-01-11 --to 2027-01-15 --reason "annual leave"
    """
    from coi.cli.output import emit
    from coi.domain.model import Away, Register
    from coi.domain.rota import ASSIGNED, meeting_day
    from coi.store.lookup import resolve
    from coi.store.register import read_away, read_bodies, read_meetings, save_register
    from coi.store.rota import read_slots

    first, last = date_range(start, end)
    if (first is None) != (last is None):
        raise UsageError("give both --from and --to (or neither, to list away periods)")
    if first is None or last is None:
        with common.session() as s:
            person_id = resolve(s, "people", person)
            periods = [a for a in read_away(s) if a.person == person_id]
        rows = [
            {"person": a.person, "start": a.start, "end": a.end, "reason": a.reason}
            for a in periods
        ]
        emit(rows, AWAY_COLUMNS, fmt.value, title="Away", empty=f"{person_id} is never away")
        return
    with common.session(write=True) as s:
        person_id = resolve(s, "people", person)
        report = save_register(s, Register(away=(Away(person_id, first, last, reason),)))
        slots = [x for x in read_slots(s, people=[person_id]) if x.status == ASSIGNED]
        meetings = read_meetings(s, sorted({x.meeting for x in slots}))
        zones = {b.id: b.timezone for b in read_bodies(s)}
    clashes = sorted(
        f"{m.id} ({x.seat})"
        for x in slots
        for m in meetings
        if m.id == x.meeting and first <= meeting_day(m, zones.get(m.body, "UTC")) <= last
    )
    counts = report.sections["away"]
    what = "recorded" if counts.created else "updated" if counts.updated else "already recorded"
    message(f"{what}: {person_id} away {first} to {last}")
    if clashes:
        message(
            f"{person_id} holds places in that period at {', '.join(clashes)}: "
            "re-plan with `coi rota plan` or use `coi rota swap`"
        )


# -- export -------------------------------------------------------------------


FLAG_WORDS = {
    "exclude": "You are expected to be excluded (no papers, not present) from item {item}",
    "withdraw": "You are expected to withdraw for item {item}",
    "no-vote": "You may speak but not vote on item {item}",
    "declare": "You are expected to declare an interest in item {item}",
}


def flag_lines(
    index: RegisterIndex, meeting: Meeting, rules: Policy, register: Register
) -> dict[str, tuple[str, ...]]:
    """Person -> what their calendar should say they must do at ``meeting``, item by item.

    Everyone who might attend is checked (the whole pool of a shared seat), so a person
    swapped in later, or swapped out, sees their own flags.
    """
    from coi.domain.conflicts import check_meeting, expected_attendees

    body = index.bodies[meeting.body]
    seats = [x for x in register.seats if x.body == body.id]
    attendees = expected_attendees(body, seats, meeting, [])
    out: dict[str, list[str]] = defaultdict(list)
    for flag in check_meeting(index, meeting, rules, attendees).flags:
        lead = FLAG_WORDS[flag.action.value].format(item=flag.item)
        out[flag.person].append(f"{lead}: {flag.paths[0].text}")
    return {p: tuple(lines) for p, lines in out.items()}


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
    policy: PolicyOption = None,
) -> None:
    """Write rota places as an iCalendar (.ics) file to import or subscribe to.

    Each place is an event whose UID stays the same across exports, so importing again
    updates it; its SEQUENCE rises when the meeting or the place changes; a cancelled
    meeting or a place swapped away is STATUS:CANCELLED. The description holds the
    agenda and what the person is expected to do on each item.

    Example:

    \b
        coi rota export --person priya-nair -o priya.ics
    """
    from coi.domain.conflicts import RegisterIndex
    from coi.domain.model import MeetingStatus
    from coi.formats.ics import entry_for, rota_calendar
    from coi.services.checking import load_policy_option
    from coi.store.lookup import resolve
    from coi.store.register import read_register
    from coi.store.rota import read_slots

    one_of(person=person, seat=seat, body=body)
    stamp = _parse_now(now)
    rules = load_policy_option(policy)
    with common.session() as s:
        person_id = resolve(s, "people", person) if person else None
        seat_id = resolve(s, "seats", seat) if seat else None
        body_id = resolve(s, "bodies", body) if body else None
        register = read_register(s)
        slots = read_slots(
            s,
            seats=[seat_id] if seat_id else None,
            people=[person_id] if person_id else None,
        )
    seats = {x.id: x for x in register.seats}
    if body_id:
        slots = [x for x in slots if seats[x.seat].body == body_id]
    meetings = {m.id: m for m in register.meetings}
    bodies = {b.id: b for b in register.bodies}
    people = {p.id: p for p in register.people}
    index = RegisterIndex(register)
    to_check = sorted(
        {x.meeting for x in slots if meetings[x.meeting].status != MeetingStatus.CANCELLED}
    )
    flags: dict[str, dict[str, tuple[str, ...]]] = {}
    with progress(len(to_check), "Checking agendas") as advance:
        for meeting_id in to_check:
            m = meetings[meeting_id]
            flags[meeting_id] = flag_lines(index, m, rules.for_body(register, m.body), register)
            advance(1)
    entries = [
        entry_for(
            meetings[x.meeting],
            bodies[seats[x.seat].body],
            seats[x.seat],
            x,
            people[x.person],
            flags.get(x.meeting, {}).get(x.person, ()),
        )
        for x in slots
    ]
    if person_id:
        calname = f"{people[person_id].name}: rota"
    elif seat_id:
        calname = f"{seats[seat_id].name} ({seat_id}): rota"
    elif body_id:
        calname = f"{bodies[body_id].name}: rota"
    else:
        calname = "coi rota"
    data = rota_calendar(entries, now=stamp, calname=calname)
    if output is None or str(output) == "-":
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    output.write_bytes(data)
    cancelled = sum(1 for e in entries if e.cancelled)
    message(f"wrote {len(entries)} event(s) to {output} ({cancelled} cancelled)")
