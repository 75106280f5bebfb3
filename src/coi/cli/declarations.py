"""``coi declare`` (add, amend, retract), ``coi return`` and what ``coi register due``
shows: minute declarations and annual returns in the hash-chained log.

``coi declare`` is a group whose default command is ``add``: ``coi declare MEETING ...``
means ``coi declare add MEETING ...`` unless MEETING is one of the sub-command names
(``add``, ``amend``, ``retract``), so the literal form of the issue and the corrections
both parse. A meeting whose id is literally one of those names is reached with
``coi declare add amend ...``. Nothing here updates or deletes a log entry: corrections
are new entries.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from coi.cli import common
from coi.cli.common import message
from coi.domain.words import DeclaredAction
from coi.formats.tabular import Column

if TYPE_CHECKING:
    from coi.services.declarations import Recorded


class _DefaultAddGroup(TyperGroup):
    """A group that runs ``add`` when the first word is not one of its sub-commands."""

    default_command = "add"

    # ctx is typer's vendored click.Context, which typer does not export.
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


def _recorded(written: Recorded, what: str) -> None:
    entry = written.entry
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
    today: common.TodayOption = None,
) -> None:
    """Minute one declaration: a person, an item, the interest (or its nature) and the
    action taken, with the times they left and returned; or --nil for nothing to declare.

    The meeting, person, item and interest are checked against the register before
    anything is written. A meeting that has not started yet takes no declarations,
    except on its standing declarations item ("Apologies and declarations of
    interest") on the day, as the meeting opens.

    Example:

    \b
        coi declare lit-2027-01 --person tom-rowe --item 5 \\
            --nature "partner works at Harbour" --action withdrew --left 10:40 --returned 11:05
    """
    from coi.services.declarations import Details, declare

    said = Details(item, interest, nature, action, left, returned)
    day = common.parse_date_option(today, "--today")
    with common.session(write=True) as s:
        written = declare(s, meeting, person, said, nil=nil, by=by, today=day)
    if written.nil:
        _recorded(written, f"{written.person} had nothing to declare at {written.meeting}")
    else:
        assert written.action is not None
        what = f"declared on item {written.item} of {written.meeting} and {written.action.value}"
        _recorded(written, f"{written.person} {what}")


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
    from coi.services.declarations import amend as append_amendment

    changes = {
        "item": item,
        "interest": interest,
        "nature": nature,
        "action": action,
        "left": left,
        "returned": returned,
        "reviewed_on": reviewed_on,
        "nil": nil,
    }
    fields = [c.value for c in clear or []]
    with common.session(write=True) as s:
        written = append_amendment(s, entry, changes, clear=fields, reason=reason, by=by)
    _recorded(written, f"amends entry {entry} ({', '.join(written.changed)})")


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
    from coi.services.declarations import retract as append_retraction

    with common.session(write=True) as s:
        written = append_retraction(s, entry, reason, by=by)
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
    interest: Annotated[
        list[str] | None,
        typer.Option(
            "--interest",
            help="An entry of their own they confirmed (repeatable). Default: every entry "
            "of theirs open on the day.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Record a nil return even though they have interests still open (the "
            "log entry keeps the warning).",
        ),
    ] = False,
) -> None:
    """Record an annual return: the person reviewed their entries on the register on a
    date (--nil when they have nothing to declare). `coi register due` lists who is due.

    The entries they confirmed (--interest, else all their own still open) show that
    date as "last reviewed" on the published register. A nil return from someone whose
    interests are still open is refused with the list of them, unless --force.

    Example:

    \b
        coi return devika-chandra --on 2027-01-10
        coi return devika-chandra --interest devika-chandra.cic-director
        coi return sunil-bhatt --nil --on 2027-01-10
    """
    from coi.services.declarations import annual_return

    day = common.parse_date_option(on, "--on")
    with common.session(write=True) as s:
        written = annual_return(
            s, person, nil=nil, on=day, by=by, interests=interest or (), force=force
        )
    kind = "nil return" if nil else "annual return"
    assert written.reviewed_on is not None
    confirmed = f"; confirmed {', '.join(written.confirmed)}" if written.confirmed else ""
    reviewed = written.reviewed_on.isoformat()
    _recorded(written, f"{kind} of {written.person}, reviewed on {reviewed}{confirmed}")
    if written.warning:
        message(f"warning: {written.warning}")


# ---- coi register due -----------------------------------------------------------------------


DUE_COLUMNS = [
    Column("type", "Type"),
    Column("who", "Who"),
    Column("name", "Name"),
    Column("interest", "Interest"),
    Column("status", "Status"),
    Column("last", "Last return / declared"),
    Column("start", "Began"),
    Column("took_up", "Took up place"),
    Column("due", "Due"),
    Column("days", "Days over"),
]


def due(as_of: str | None, months: int, fmt: str) -> None:
    """What `coi register due` shows: overdue annual returns and late declarations."""
    from coi.cli.output import emit, rich_table
    from coi.domain.due import DECLARE_WITHIN_DAYS
    from coi.services.minutes import due as owed

    day = common.parse_date_option(as_of, "--as-of")
    with common.session() as s:
        found = owed(s, day, months)
    names = found.names
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
            "took_up": None,
            "due": r.due,
            "days": r.days_overdue,
        }
        for r in found.returns
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
            "took_up": i.took_up,
            "due": i.due,
            "days": i.days_late,
        }
        for i in found.late
    ]
    rows = return_rows + interest_rows
    if fmt in ("json", "csv"):
        emit(rows, DUE_COLUMNS, fmt, empty="nothing is due")
        return
    out = common.stdout()
    on = found.day.isoformat()
    returns_title = f"Annual returns due as at {on} (every {found.months} months)"
    late_title = (
        f"Interests declared more than {DECLARE_WITHIN_DAYS} days after they began or "
        f"their holder took up a place (the later), or not at all, as at {on}"
    )
    if return_rows:
        columns = [c for c in DUE_COLUMNS if c.key not in ("type", "interest", "start", "took_up")]
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
