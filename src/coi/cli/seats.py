"""``coi seat``: places on a body filled from a pool of people, with a mandate and a term."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import FormatOption, ListFormat, RecordArgument, Repeated
from coi.cli.field_options import field_options
from coi.cli.rename import add_rename
from coi.domain.model import Selection
from coi.formats.tabular import columns

if TYPE_CHECKING:
    from coi.domain.model import Seat

app = common.group(
    "Seats: places on a body filled from a pool, shared when the pool outnumbers the "
    "places.\n\n"
    "Example:\n\n\b\n    coi seat add lit-adult-mh 'VCS representatives' --places 2 \\\n"
    "        --pool alex-morgan@the-zone --pool jo-bright"
)

SEAT_COLUMNS = columns(
    "id", "body", "name", "places", "pool_size=Pool", "shared", "selection", "voting", "from", "to"
)

POOL_COLUMNS = columns(
    "name=Person", "on_behalf_of_name=On behalf of", "organisations=Current roles"
)

POOL_HELP = "PERSON, or PERSON@ORG when they sit on behalf of an organisation (repeat)."
TermStartOption = Annotated[str | None, typer.Option("--term-start", help="YYYY-MM-DD")]


def _seat_row(x: Seat, today: dt.date, extra: dict[str, Any]) -> dict[str, Any]:
    """A seat as a row; ``extra`` comes after the pool size (the pool in a list, the body's
    name in a show)."""
    from coi.cli.output import period

    return {
        "id": x.id,
        "body": x.body,
        "name": x.name,
        "places": x.places,
        "pool_size": len(x.pool),
        **extra,
        "shared": x.shared,
        "selection": x.selection,
        "voting": x.voting,
        **period(x.term_start, x.term_end, today),
    }


@app.command("add")
def add(
    ctx: typer.Context,
    body: Annotated[str, typer.Argument(help="Id, id prefix or name of the body.")],
    name: Annotated[str, typer.Argument(help="The seat's name, e.g. 'VCS representatives'.")],
    id: Annotated[
        str | None, typer.Option("--id", help="Short id; default BODY-INITIALS (ct-board-vcs).")
    ] = None,
    places: Annotated[int, typer.Option("--places", help="How many may sit at once.")] = 1,
    pool: Annotated[Repeated, typer.Option("--pool", help=POOL_HELP)] = None,
    mandate: Annotated[
        str, typer.Option("--mandate", help="Whom the seat speaks for, and within what limits.")
    ] = "",
    selection: Annotated[Selection, typer.Option("--selection")] = Selection.NOMINATED,
    term_start: TermStartOption = None,
    voting: common.VotingOption = True,
) -> None:
    """Add a seat to a body.

    Example:

    \b
        coi seat add lit-adult-mh "VCS representatives" --id lit-vcs --places 2 \\
            --pool alex-morgan@the-zone --pool jo-bright --mandate "Speak for VCS providers"
    """
    from coi.services.seats import add_seat

    start = common.parse_date_option(term_start, "--term-start")
    with common.session(write=True) as s:
        saved = add_seat(s, **common.options(ctx, term_start=start))
    common.report("added seat", saved.id, saved.changed)


@app.command("list")
def list_(
    body: Annotated[str | None, typer.Option("--body", help="Only this body's seats.")] = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """List seats with their places, pool size and whether they are shared.

    Example:

    \b
        coi seat list --body lit-adult-mh --format json
    """
    from coi.cli.output import emit
    from coi.services.seats import list_seats

    today = dt.date.today()
    with common.session() as s:
        seats = list_seats(s, body)
    rows = [_seat_row(x, today, {"pool": [p.person for p in x.pool]}) for x in seats]
    emit(rows, SEAT_COLUMNS, fmt.value, title="Seats", empty="no seats")


@app.command("show")
def show(seat: RecordArgument, fmt: FormatOption = ListFormat.table) -> None:
    """Show a seat: its mandate in full and its pool, with the organisations each person
    sits for and works in.

    Example:

    \b
        coi seat show lit-vcs
    """
    from coi.cli.output import behalf, data_formats, table
    from coi.domain.membership import current_affiliations
    from coi.services.seats import show_seat

    today = dt.date.today()
    with common.session() as s:
        found = show_seat(s, seat)
    x, b, names = found.seat, found.body, found.names
    pool = [
        {
            "person": p.person,
            "name": names.person(p.person),
            **behalf(names, p.on_behalf_of),
            "organisations": [
                f"{a.role} at {names.org(a.organisation)}"
                for a in current_affiliations(found.affiliations, p.person, today)
            ],
        }
        for p in x.pool
    ]
    detail = {"id": x.id, "body": x.body, "body_name": b.name}
    detail |= _seat_row(x, today, {}) | {"mandate": x.mandate, "pool": pool}
    if data_formats(detail, fmt.value, columns(*SEAT_COLUMNS, "mandate")):
        return
    out = common.stdout()
    out.print(f"[bold]{x.name}[/bold] ({x.id}) on {b.name}")
    sharing = f", shared by {len(x.pool)}" if x.shared else ""
    out.print(f"  places: {x.places}{sharing}")
    out.print(f"  selection: {x.selection.value}; {'voting' if x.voting else 'non-voting'}")
    if x.term_start or x.term_end:
        term_from = x.term_start.isoformat() if x.term_start else "…"
        term_to = x.term_end.isoformat() if x.term_end else "…"
        out.print(f"  term: {term_from} to {term_to}")
    out.print("  mandate:")
    out.print(f"    {x.mandate}" if x.mandate else "    [dim](none recorded)[/dim]")
    table(pool, POOL_COLUMNS, "Pool", "nobody in the pool")


@app.command("edit")
@field_options("seats", "name", "places", "mandate", "selection")
def edit(
    ctx: typer.Context,
    seat: RecordArgument,
    add_pool: Annotated[Repeated, typer.Option("--add-pool", help=POOL_HELP)] = None,
    remove_pool: Annotated[
        Repeated, typer.Option("--remove-pool", help="PERSON to take out (repeat).")
    ] = None,
    term_start: TermStartOption = None,
    voting: Annotated[bool | None, typer.Option("--voting/--non-voting")] = None,
    **changes: object,
) -> None:
    """Change a seat: its places, mandate, pool or selection.

    Example:

    \b
        coi seat edit lit-vcs --places 2 --add-pool sue-hext@plym-recovery --remove-pool jo-bright
    """
    from coi.services.seats import edit_seat

    start = common.parse_date_option(term_start, "--term-start")
    with common.session(write=True) as s:
        saved = edit_seat(s, seat, common.edits(ctx, "seats", term_start=start))
    common.report("updated seat", saved.id, saved.changed)


@app.command("end")
def end(seat: RecordArgument, day: common.OnOption) -> None:
    """End a seat's term on a date; the seat and its pool stay on the register.

    Example:

    \b
        coi seat end lit-vcs --on 2027-03-31
    """
    from coi.services.seats import end_seat

    with common.session(write=True) as s:
        saved = end_seat(s, seat, day)
    common.report("ended", f"seat {saved.id} on {day}", saved.changed)


add_rename(app, "seats", "seat", "coi seat rename lit.vcs-representatives lit-vcs")
