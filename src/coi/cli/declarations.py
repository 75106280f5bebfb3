"""``coi declare``, ``coi return``, ``coi log``, ``coi declarations``, ``coi reconcile`` and
``coi register due``: minute declarations in the hash-chained log and hold the register to them.

``coi declare`` is a group whose default command is ``add``: ``coi declare MEETING ...``
means ``coi declare add MEETING ...`` unless MEETING is one of the sub-command names
(``add``, ``amend``, ``retract``), so the literal form of the issue and the corrections
both parse. A meeting whose id is literally one of those names is reached with
``coi declare add amend ...``. Nothing here updates or deletes a log entry: corrections
are new entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from coi.cli import common
from coi.cli.common import ListFormat, PolicyOption, message
from coi.domain.words import DEFAULT_TIMEZONE, DeclaredAction
from coi.errors import UsageError
from coi.formats.tabular import Column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.declarations import Declaration
    from coi.domain.hashchain import LogEntry
    from coi.domain.model import Meeting


class _DefaultAddGroup(TyperGroup):
    """A group that runs ``add`` when the first word is not one of its sub-commands."""

    default_command = "add"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


declare_app = typer.Typer(
    cls=_DefaultAddGroup,
    help=(
        "Minute declarations of interest at a meeting in the tamper-evident log; amend or "
        "retract them with new entries.\n\n"
        "`coi declare MEETING ...` is short for `coi declare add MEETING ...`.\n\n"
        "Example:\n\n\b\n"
        "    coi declare lit-2027-01 --person priya-nair --item 5 "
        "--interest plym-recovery.t-2027-014 --action withdrew --left 10:40 --returned 11:05\n"
        "    coi declare lit-2027-01 --person sunil-bhatt --nil\n"
        "    coi declare amend 5 --action left-meeting --clear returned --reason 'did not return'\n"
        "    coi declare retract 6 --reason 'minuted against the wrong person'"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

log_app = typer.Typer(
    help=(
        "The declarations log: verify its hash chain, export it to publish its head.\n\n"
        "Example:\n\n\b\n"
        "    coi log export -o log.jsonl\n"
        "    coi log verify --file log.jsonl --anchor 42:9f86d081884c7d65..."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who recorded it. Default: the operating-system user."),
]
EntryArgument = Annotated[int, typer.Argument(help="The log entry (seq) to correct.")]
ItemOption = Annotated[str | None, typer.Option("--item", help="Agenda item number, e.g. 5.")]
InterestOption = Annotated[
    str | None, typer.Option("--interest", help="The interest declared: its id on the register.")
]
NatureOption = Annotated[
    str | None,
    typer.Option("--nature", help="The interest in words, when it is not on the register."),
]
LeftOption = Annotated[
    str | None, typer.Option("--left", help="When they left the room, HH:MM (24-hour).")
]
ReturnedOption = Annotated[
    str | None, typer.Option("--returned", help="When they came back, HH:MM (24-hour).")
]


# ---- checks against the register ------------------------------------------------------------


def _meeting(s: Session, ref: str) -> Meeting:
    from coi.domain.model import MeetingStatus
    from coi.services.checking import find_meeting

    m = find_meeting(s, ref, allow_cancelled=True)
    if m.status is MeetingStatus.CANCELLED:
        raise UsageError(f"meeting {m.id} is cancelled: nothing can be declared at it")
    return m


def _item(m: Meeting, number: str) -> str:
    numbers = [i.number for i in m.items]
    wanted = number.strip()
    if wanted not in numbers:
        listed = ", ".join(numbers) if numbers else "none: add them with `coi agenda add`"
        raise UsageError(f"--item: meeting {m.id} has no item {wanted!r} (its items: {listed})")
    return wanted


def _interest(s: Session, person: str, ref: str) -> str:
    """The interest's id, if ``person`` can declare it: theirs, or reached through an
    organisation they have a role in or act for, or one related to those."""
    from coi.domain.reconcile import within_reach
    from coi.store import schema
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    interest_id = resolve(s, "interests", ref)
    row = s.get(schema.InterestRow, interest_id)
    assert row is not None
    holder = row.person or row.organisation
    affiliations = read_section(s, "affiliations")
    acting_for = {a.on_behalf_of for a in affiliations if a.person == person and a.on_behalf_of}
    for seat in read_section(s, "seats"):
        acting_for |= {p.on_behalf_of for p in seat.pool if p.person == person and p.on_behalf_of}
    for body in read_section(s, "bodies"):
        acting_for |= {
            m.on_behalf_of for m in body.members if m.person == person and m.on_behalf_of
        }
    reach = within_reach(person, affiliations, read_section(s, "relations"), acting_for)
    if holder not in reach:
        raise UsageError(
            f"--interest: {interest_id} is held by {holder}, which {person} has no role in, "
            "acts for or is related to on the register: record the affiliation first, or "
            "describe the interest with --nature"
        )
    return interest_id


def _entry(seq: int) -> LogEntry | None:
    """Entry ``seq`` as stored, read in a session of its own.

    Entries never change, so reading it before the write transaction is safe; and
    ``log.entries`` sets streaming options on the connection it reads from, which a
    later INSERT on that same connection must not inherit (PostgreSQL refuses it).
    """
    from coi.store import log

    if seq < 1:
        return None
    with common.session() as s:
        found = next(log.entries(s, after_seq=seq - 1), None)
    return found if found is not None and found.seq == seq else None


def _recorded(entry: LogEntry, what: str) -> None:
    message(f"entry {entry.seq} recorded by {entry.recorded_by}: {what} (hash {entry.hash[:12]}…)")


# ---- coi declare ----------------------------------------------------------------------------


@declare_app.command("add")
def add(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    person: Annotated[str, typer.Option("--person", help="Who declared: id, prefix or name.")],
    item: ItemOption = None,
    interest: InterestOption = None,
    nature: NatureOption = None,
    action: Annotated[
        DeclaredAction | None,
        typer.Option("--action", help="What they did: withdrew, no-vote, remained, left-meeting."),
    ] = None,
    left: LeftOption = None,
    returned: ReturnedOption = None,
    nil: Annotated[
        bool, typer.Option("--nil", help="They had nothing to declare at this meeting.")
    ] = False,
    by: ByOption = None,
) -> None:
    """Minute one declaration: a person, an item, the interest (or its nature) and the
    action taken, with the times they left and returned; or --nil for nothing to declare.

    The meeting, person, item and interest are checked against the register before
    anything is written.

    Example:

    \b
        coi declare lit-2027-01 --person tom-rowe --item 5 \\
            --nature "partner works at Harbour" --action withdrew --left 10:40 --returned 11:05
    """
    from coi.domain import declarations as d
    from coi.store import log
    from coi.store.lookup import resolve

    if nil:
        given = {
            "--item": item,
            "--interest": interest,
            "--nature": nature,
            "--action": action,
            "--left": left,
            "--returned": returned,
        }
        extra = [k for k, v in given.items() if v is not None]
        if extra:
            raise UsageError(f"--nil declares nothing: leave out {', '.join(extra)}")
    else:
        missing = [k for k, v in (("--item", item), ("--action", action)) if v is None]
        if missing:
            raise UsageError(f"give {' and '.join(missing)} (or --nil for nothing to declare)")
        if interest is None and (nature is None or not nature.strip()):
            raise UsageError("give --interest ID (on the register) or --nature TEXT")
    with common.session(write=True) as s:
        m = _meeting(s, meeting)
        person_id = resolve(s, "people", person)
        if nil:
            payload = d.nil_payload(m.id, person_id)
            entry = log.append(s, d.EntryKind.NIL, payload, recorded_by=by)
            what = f"{person_id} had nothing to declare at {m.id}"
        else:
            assert item is not None and action is not None
            number = _item(m, item)
            interest_id = _interest(s, person_id, interest) if interest else None
            payload = d.declaration_payload(
                m.id,
                person_id,
                number,
                action,
                interest=interest_id,
                nature=nature,
                left=left,
                returned=returned,
            )
            entry = log.append(s, d.EntryKind.DECLARATION, payload, recorded_by=by)
            what = f"{person_id} declared on item {number} of {m.id} and {action.value}"
    _recorded(entry, what)


class Clearable(StrEnum):
    interest = "interest"
    nature = "nature"
    left = "left"
    returned = "returned"


@declare_app.command("amend")
def amend(
    entry: EntryArgument,
    item: ItemOption = None,
    interest: InterestOption = None,
    nature: NatureOption = None,
    action: Annotated[
        DeclaredAction | None,
        typer.Option("--action", help="withdrew, no-vote, remained or left-meeting."),
    ] = None,
    left: LeftOption = None,
    returned: ReturnedOption = None,
    reviewed_on: Annotated[
        str | None,
        typer.Option("--reviewed-on", help="An annual return's review date, YYYY-MM-DD."),
    ] = None,
    nil: Annotated[
        bool | None,
        typer.Option("--nil/--not-nil", help="Whether an annual return is a nil return."),
    ] = None,
    clear: Annotated[
        list[Clearable] | None,
        typer.Option("--clear", help="Remove a field's value (repeat): interest, nature, ..."),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why it is amended.")] = "",
    by: ByOption = None,
) -> None:
    """Correct a declaration or annual return by appending an amendment; the original
    entry stays in the log as it was.

    Example:

    \b
        coi declare amend 5 --action withdrew --left 10:40 --reason "minuted wrongly"
    """
    from coi.domain import declarations as d
    from coi.store import log

    changes: dict[str, Any] = {}
    for name, value in (
        ("item", item),
        ("interest", interest),
        ("nature", nature),
        ("action", action),
        ("left", left),
        ("returned", returned),
        ("reviewed_on", reviewed_on),
        ("nil", nil),
    ):
        if value is not None:
            changes[name] = value
    for field in clear or []:
        if field.value in changes:
            raise UsageError(f"--clear {field.value}: you also gave --{field.value}")
        changes[field.value] = None
    if not changes:
        raise UsageError("give at least one field to change (see --help)")
    target = _entry(entry)
    if target is None:
        raise UsageError(f"ENTRY: entry {entry} does not exist")
    with common.session(write=True) as s:
        if target.kind == d.EntryKind.DECLARATION and target.meeting and target.person:
            if item is not None:
                from coi.services.checking import find_meeting

                changes["item"] = _item(find_meeting(s, target.meeting, allow_cancelled=True), item)
            if interest is not None:
                changes["interest"] = _interest(s, target.person, interest)
        payload = d.amend_payload(entry, changes, reason=reason)
        written = log.append(s, d.EntryKind.AMEND, payload, recorded_by=by)
    _recorded(written, f"amends entry {entry} ({', '.join(sorted(changes))})")


@declare_app.command("retract")
def retract(
    entry: EntryArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn (required).")],
    by: ByOption = None,
) -> None:
    """Withdraw a declaration, nil declaration or annual return made in error by appending
    a retraction; the original stays in the log, and `coi declarations --all` shows it.

    Example:

    \b
        coi declare retract 6 --reason "minuted against the wrong person"
    """
    from coi.domain import declarations as d
    from coi.store import log

    payload = d.retract_payload(entry, reason)
    with common.session(write=True) as s:
        written = log.append(s, d.EntryKind.RETRACT, payload, recorded_by=by)
    _recorded(written, f"retracts entry {entry}")


# ---- coi return -----------------------------------------------------------------------------


def return_(
    person: Annotated[str, typer.Argument(help="Person id, id prefix or name.")],
    nil: Annotated[
        bool, typer.Option("--nil", help="A nil return: they have no interests to declare.")
    ] = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="The day they reviewed their entries, YYYY-MM-DD. Default: today."
        ),
    ] = None,
    by: ByOption = None,
) -> None:
    """Record an annual return: the person reviewed their entries on the register on a
    date (--nil when they have nothing to declare). `coi register due` lists who is due.

    Example:

    \b
        coi return sunil-bhatt --nil --on 2027-01-10
    """
    from coi.domain import declarations as d
    from coi.store import log
    from coi.store.lookup import resolve

    today = dt.date.today()
    day = common.parse_date_option(on, "--on") or today
    if day > today:
        raise UsageError(f"--on: {day} is in the future: a return records a review already made")
    with common.session(write=True) as s:
        person_id = resolve(s, "people", person)
        payload = d.return_payload(person_id, day, nil=nil)
        entry = log.append(s, d.EntryKind.RETURN, payload, recorded_by=by)
    kind = "nil return" if nil else "annual return"
    _recorded(entry, f"{kind} of {person_id}, reviewed on {day.isoformat()}")


# ---- coi log --------------------------------------------------------------------------------


def _anchor(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    seq, sep, digest = text.strip().partition(":")
    digest = digest.lower()
    if (
        not sep
        or not seq.isdigit()
        or int(seq) < 1
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise UsageError(
            f"--anchor: {text!r} is not SEQ:HASH (an entry number, a colon and the 64 hex "
            "digits `coi log export` printed)"
        )
    return int(seq), digest


@log_app.command("verify")
def verify(
    file: Annotated[
        str | None,
        typer.Option(
            "--file", help="Verify an exported JSONL file (- for stdin) instead of the database."
        ),
    ] = None,
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor", help="A head published earlier, SEQ:HASH: it must still be there."
        ),
    ] = None,
) -> None:
    """Check the whole hash chain, from the database or an exported file (no database
    needed), and name the first entry that was edited, removed, inserted or reordered.

    Exit 0 with "N entries, head SEQ:HASH" when it verifies, 3 when it does not.

    Example:

    \b
        coi log verify --file log.jsonl --anchor 42:9f86d081884c7d659a2feaa0c55ad015...
    """
    pin = _anchor(anchor)
    if file is not None:
        from coi.formats.log_jsonl import verify_jsonl

        report = verify_jsonl(file, anchor=pin)
    else:
        from coi.store import log

        with common.session() as s:
            report = log.verify(s, anchor=pin)
    common.write(f"{report.count} entries, head {report.last_seq}:{report.head}\n")


class ExportFormat(StrEnum):
    jsonl = "jsonl"


@log_app.command("export")
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Write the whole log, one entry a line with its hashes, and print its head
    (SEQ:HASH) on stderr to publish: anyone can later check a copy with `coi log verify`.

    The chain is verified as it is written; if it is broken the file is still written
    in full, and the command exits 3 naming the first bad entry.

    Example:

    \b
        coi log export -o declarations-2027.jsonl
    """
    import sys
    from collections.abc import Iterator

    from coi.domain.hashchain import verify_chain
    from coi.errors import IntegrityFailure
    from coi.formats.log_jsonl import write_jsonl
    from coi.store import log

    assert fmt is ExportFormat.jsonl
    with common.session() as s:
        stream = output.open("w", encoding="utf-8", newline="\n") if output else sys.stdout
        try:
            count = 0

            def written() -> Iterator[LogEntry]:
                nonlocal count
                for entry in log.entries(s):
                    count += write_jsonl([entry], stream)
                    yield entry

            source = written()
            report = verify_chain(source, anchor=None)
            for _ in source:  # verification stops at a fault; the export does not
                pass
        finally:
            if output:
                stream.close()
            else:
                stream.flush()
    if output:
        message(f"wrote {count} entries to {output}")
    if not report.ok:
        raise IntegrityFailure(report.message)
    message(f"head {report.last_seq}:{report.head}")


# ---- coi declarations -----------------------------------------------------------------------


class MinutesFormat(StrEnum):
    table = "table"
    csv = "csv"
    md = "md"
    json = "json"


DECLARATION_COLUMNS = [
    Column("seq", "Entry"),
    Column("item", "Item"),
    Column("name", "Person"),
    Column("organisation", "Organisation"),
    Column("nature", "Nature of interest"),
    Column("action", "Action"),
    Column("left", "Left"),
    Column("returned", "Returned"),
    Column("note", "Note"),
]
FLAT_COLUMNS = [
    Column("seq", "Entry"),
    Column("kind", "Kind"),
    Column("meeting", "Meeting"),
    Column("meeting_date", "Date"),
    Column("item", "Item"),
    Column("person", "Person id"),
    Column("name", "Person"),
    Column("organisation", "Organisation"),
    Column("interest", "Interest"),
    Column("nature", "Nature of interest"),
    Column("action", "Action"),
    Column("left", "Left"),
    Column("returned", "Returned"),
    Column("reviewed_on", "Reviewed on"),
    Column("recorded_by", "Recorded by"),
    Column("recorded_at", "Recorded at"),
    Column("note", "Note"),
]


def _note(d: Declaration) -> str:
    parts = []
    if d.amended_by:
        parts.append("amended by entry " + ", ".join(str(n) for n in d.amended_by))
    if d.retracted:
        parts.append(f"RETRACTED by entry {d.retracted_by}: {d.reason or ''}".rstrip(": "))
    return "; ".join(parts)


def declaration_rows(
    found: Iterable[Declaration],
    meetings: Mapping[str, tuple[str, dt.date, str]],
    names: Mapping[str, str],
    interests: Mapping[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    """Declarations as report rows; ``meetings`` maps ids to (title, date, body),
    ``interests`` maps ids to (description, organisation names)."""
    from coi.domain.declarations import EntryKind

    rows = []
    for d in found:
        title, day, body = meetings.get(d.meeting or "", ("", None, ""))
        description, organisation = interests.get(d.interest or "", ("", ""))
        if d.kind is EntryKind.NIL:
            nature = "nothing to declare"
        elif d.kind is EntryKind.RETURN:
            nature = "annual return" + (": nil" if d.nil else "")
        else:
            nature = d.nature or description or d.interest or ""
        rows.append(
            {
                "seq": d.seq,
                "kind": d.kind.value,
                "meeting": d.meeting,
                "meeting_title": title or None,
                "meeting_date": day,
                "body": body or None,
                "item": d.item,
                "person": d.person,
                "name": names.get(d.person or "", d.person),
                "organisation": organisation,
                "interest": d.interest,
                "nature": nature,
                "action": d.action.value if d.action else None,
                "left": d.left.strftime("%H:%M") if d.left else None,
                "returned": d.returned.strftime("%H:%M") if d.returned else None,
                "reviewed_on": d.reviewed_on,
                "nil": d.nil,
                "recorded_by": d.recorded_by,
                "recorded_at": d.recorded_at,
                "amended_by": list(d.amended_by),
                "retracted": d.retracted,
                "retracted_by": d.retracted_by,
                "retract_reason": d.reason,
                "note": _note(d),
            }
        )
    return rows


def _minutes_order(row: Mapping[str, Any]) -> tuple[Any, ...]:
    from coi.domain.reconcile import item_key

    return (
        row["meeting"] is None,  # annual returns after the meetings
        row["meeting_date"] or row["reviewed_on"] or dt.date.min,
        row["meeting"] or "",
        row["item"] is None,  # nil declarations after an item's declarations
        item_key(row["item"] or ""),
        row["seq"],
    )


def declarations(
    meeting: Annotated[str | None, typer.Option("--meeting", help="Only this meeting.")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person.")] = None,
    body: Annotated[str | None, typer.Option("--body", help="Only meetings of this body.")] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only meetings held (annual returns reviewed) on or after YYYY-MM-DD.",
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show retracted entries too, marked RETRACTED.")
    ] = False,
    fmt: Annotated[MinutesFormat, typer.Option("--format", "-f")] = MinutesFormat.table,
) -> None:
    """The declarations log as minutes, "Declarations of interest" meeting by meeting:
    item, person, organisation, nature, action, and when they left and returned.

    Amendments are applied; retracted entries are hidden unless --all. Filters combine.
    Annual returns are listed after the meetings when no meeting or body is chosen.

    Example:

    \b
        coi declarations --meeting lit-2027-01 --format md > minutes-declarations.md
    """
    from coi.domain.declarations import effective_declarations
    from coi.domain.model import meeting_day
    from coi.store import log
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings, read_section

    first = common.parse_date_option(since, "--since")
    with common.session() as s:
        meeting_id = resolve(s, "meetings", meeting) if meeting else None
        person_id = resolve(s, "people", person) if person else None
        body_id = resolve(s, "bodies", body) if body else None
        found = effective_declarations(
            log.entries(s, meeting=meeting_id, person=person_id), include_retracted=show_all
        )
        ids = sorted({d.meeting for d in found if d.meeting})
        zones = {b.id: (b.timezone, b.name) for b in read_bodies(s)}
        meetings = {}
        for m in read_meetings(s, ids) if ids else []:
            zone, _ = zones.get(m.body, (DEFAULT_TIMEZONE, ""))
            meetings[m.id] = (m.title, meeting_day(m, zone), m.body)
        names = {p.id: p.name for p in read_section(s, "people")}
        org_names = {o.id: o.name for o in read_section(s, "organisations")}
        wanted = {d.interest for d in found if d.interest}
        interests = {
            i.id: (
                i.description,
                org_names.get(i.organisation, i.organisation)
                if i.organisation
                else ", ".join(org_names.get(c, c) for c in i.counterparties),
            )
            for i in read_section(s, "interests")
            if i.id in wanted
        }
    if body_id is not None:
        found = [
            d for d in found if d.meeting and meetings.get(d.meeting, ("", None, ""))[2] == body_id
        ]
    if first is not None:
        found = [
            d
            for d in found
            if (d.reviewed_on and d.reviewed_on >= first)
            or (
                d.meeting
                and (meetings.get(d.meeting, ("", dt.date.min, ""))[1] or dt.date.min) >= first
            )
        ]
    rows = sorted(declaration_rows(found, meetings, names, interests), key=_minutes_order)
    _render_minutes(rows, fmt.value)


def _blocks(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    blocks: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["meeting"] is None:
            title = "Annual returns"
        else:
            day = r["meeting_date"].isoformat() if r["meeting_date"] else "date unknown"
            title = f"{r['meeting_title'] or r['meeting']}, {day} ({r['meeting']})"
        blocks.setdefault(title, []).append(r)
    return list(blocks.items())


RETURN_COLUMNS = [
    Column("seq", "Entry"),
    Column("name", "Person"),
    Column("reviewed_on", "Reviewed on"),
    Column("nature", "Return"),
    Column("recorded_by", "Recorded by"),
    Column("note", "Note"),
]


def _render_minutes(rows: list[dict[str, Any]], fmt: str) -> None:
    from coi.cli.output import emit, rich_table
    from coi.formats.tabular import to_markdown

    if fmt in ("json", "csv") or not rows:
        emit(rows, FLAT_COLUMNS, fmt, title="Declarations of interest", empty="no declarations")
        return
    blocks = _blocks(rows)
    if fmt == "md":
        parts = ["# Declarations of interest\n"]
        for title, items in blocks:
            columns = RETURN_COLUMNS if items[0]["meeting"] is None else DECLARATION_COLUMNS
            parts.append(to_markdown(items, columns, title))
        common.write("\n".join(parts))
        return
    out = common.stdout()
    for title, items in blocks:
        columns = RETURN_COLUMNS if items[0]["meeting"] is None else DECLARATION_COLUMNS
        heading = title if items[0]["meeting"] is None else f"Declarations of interest: {title}"
        out.print(rich_table(items, columns, title=heading))


# ---- coi reconcile --------------------------------------------------------------------------


RECONCILE_COLUMNS = [
    Column("item", "Item"),
    Column("finding", "Finding"),
    Column("name", "Person"),
    Column("asked", "Policy asks"),
    Column("declared", "Declared"),
    Column("entries", "Entries"),
    Column("interests", "Interests"),
    Column("advice", "What to do"),
]


def reconcile(
    meeting: Annotated[str, typer.Argument(help="Meeting id, id prefix or title.")],
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when anything is found (for scripts).")
    ] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    policy: PolicyOption = None,
) -> None:
    """Compare a meeting's flags (`coi check`) with the declarations minuted for it:
    flags with no declaration, declarations the register does not explain (with the
    interest to add), and actions weaker than the policy asked.

    Flags of people recorded absent or sending apologies do not count; a shared-seat
    pool member with no attendance recorded counts "if they attended". Leaving the
    room (withdrew, left-meeting) meets exclude and withdraw; no-vote meets no-vote;
    remained meets declare.

    Example:

    \b
        coi reconcile lit-2027-01 --strict
    """
    from coi.domain.declarations import effective_declarations
    from coi.domain.reconcile import FindingKind
    from coi.domain.reconcile import reconcile as compare
    from coi.services.checking import find_meeting, load_policy_option, run_check
    from coi.store import log
    from coi.store.rota import read_attendance

    rules = load_policy_option(policy)
    with common.session() as s:
        m = find_meeting(s, meeting)
        checked = run_check(s, m, rules)
        made = effective_declarations(log.entries(s, meeting=m.id))
        present = {a.person: a.status for a in read_attendance(s, meetings=[m.id])}
    names = checked.names()
    result = compare(
        m.id,
        checked.result.flags,
        made,
        attendance=present,
        items={i.number: i for i in m.items},
        interests={i.id: i for i in checked.register.interests},
        names=names,
    )
    rows = [
        {
            "meeting": m.id,
            "item": f.item,
            "finding": f.kind.value,
            "person": f.person,
            "name": names.get(f.person, f.person),
            "asked": f.asked.value if f.asked else None,
            "declared": ("nil" if f.nil else f.declared.value if f.declared else None),
            "entries": list(f.entries),
            "interests": list(f.interests),
            "nature": f.nature,
            "if_attending": f.if_attending,
            "advice": f.advice,
        }
        for f in result.findings
    ]
    from coi.cli.output import emit

    emit(
        rows,
        RECONCILE_COLUMNS,
        fmt.value,
        title=f"Reconciliation of {m.id}: flags against declarations",
        empty=f"{m.id}: every flag is declared and every declaration is flagged",
    )
    counts = ", ".join(f"{len(result.of_kind(k))} {k.value}" for k in FindingKind)
    summary = (
        f"{len(result.findings)} finding(s): {counts}; {result.matched} flag(s) declared as asked"
    )
    if result.excused:
        summary += f"; not counted (absent or apologies): {', '.join(result.excused)}"
    message(summary)
    if not made:
        message(f"no declarations are minuted for {m.id} yet: record them with `coi declare`")
    if strict and result.findings:
        raise typer.Exit(1)


# ---- coi register due -----------------------------------------------------------------------


DUE_COLUMNS = [
    Column("type", "Type"),
    Column("who", "Who"),
    Column("name", "Name"),
    Column("interest", "Interest"),
    Column("status", "Status"),
    Column("last", "Last return / declared"),
    Column("start", "Began"),
    Column("due", "Due"),
    Column("days", "Days over"),
]


def due(as_of: str | None, months: int, fmt: str) -> None:
    """What `coi register due` shows: overdue annual returns and late declarations."""
    from coi.cli.output import emit, rich_table
    from coi.domain.declarations import effective_declarations
    from coi.domain.due import DECLARE_WITHIN_DAYS, late_interests, returns_due
    from coi.store import log
    from coi.store.register import read_register

    if months < 1:
        raise UsageError(f"--months: {months} must be 1 or more")
    day = common.parse_date_option(as_of, "--as-of") or dt.date.today()
    with common.session() as s:
        register = read_register(s)
        returns = effective_declarations(log.entries(s))
    names = {o.id: o.name for o in register.organisations}
    names.update({p.id: p.name for p in register.people})
    return_rows = [
        {
            "type": "return",
            "who": r.person,
            "name": names.get(r.person, r.person),
            "interest": None,
            "status": r.status.value,
            "last": r.last,
            "last_entry": r.last_entry,
            "nil": r.nil,
            "start": None,
            "due": r.due,
            "days": r.days_overdue,
        }
        for r in returns_due(register, returns, day, months=months)
    ]
    interest_rows = [
        {
            "type": "interest",
            "who": i.holder,
            "name": names.get(i.holder, i.holder),
            "interest": i.interest,
            "status": i.status.value,
            "last": i.declared_on,
            "last_entry": None,
            "nil": None,
            "start": i.start,
            "due": i.due,
            "days": i.days_late,
        }
        for i in late_interests(register, day)
    ]
    rows = return_rows + interest_rows
    if fmt in ("json", "csv"):
        emit(rows, DUE_COLUMNS, fmt, empty="nothing is due")
        return
    out = common.stdout()
    returns_title = f"Annual returns due as at {day.isoformat()} (every {months} months)"
    late_title = (
        f"Interests declared more than {DECLARE_WITHIN_DAYS} days after they began, "
        f"or not at all, as at {day.isoformat()}"
    )
    if return_rows:
        columns = [c for c in DUE_COLUMNS if c.key not in ("type", "interest", "start")]
        out.print(rich_table(return_rows, columns, title=returns_title))
    else:
        out.print(f"[dim]{returns_title}: none[/dim]")
    if interest_rows:
        columns = [c for c in DUE_COLUMNS if c.key != "type"]
        out.print(rich_table(interest_rows, columns, title=late_title))
    else:
        out.print(f"[dim]{late_title}: none[/dim]")
    late = len(interest_rows)
    message(f"{len(return_rows)} return(s) due, {late} interest(s) declared late or not at all")
