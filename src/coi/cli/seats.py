"""``coi seat``: places on a body filled from a pool of people, with a mandate and a term."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common, records
from coi.cli.common import ListFormat
from coi.domain.model import Selection, active_on
from coi.errors import UsageError
from coi.formats.tabular import Column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(
    help="Seats: places on a body filled from a pool, shared when the pool outnumbers the "
    "places.\n\n"
    "Example:\n\n\b\n    coi seat add lit-adult-mh 'VCS representatives' --places 2 \\\n"
    "        --pool alex-morgan@the-zone --pool jo-bright",
    no_args_is_help=True,
)

SEAT_COLUMNS = [
    Column("id", "Id"),
    Column("body", "Body"),
    Column("name", "Name"),
    Column("places", "Places"),
    Column("pool_size", "Pool"),
    Column("shared", "Shared"),
    Column("selection", "Selection"),
    Column("voting", "Voting"),
    Column("from", "From"),
    Column("to", "To"),
]

POOL_HELP = "PERSON, or PERSON@ORG when they sit on behalf of an organisation (repeat)."


def _pool_entry(s: Session, text: str) -> dict[str, Any]:
    """``PERSON`` or ``PERSON@ORG`` as a pool entry in the file format, both resolved."""
    from coi.store.lookup import resolve

    person, sep, org = text.rpartition("@") if "@" in text else (text, "", "")
    if sep and not (person.strip() and org.strip()):
        raise UsageError(f"--pool: {text!r} should be PERSON or PERSON@ORG")
    entry: dict[str, Any] = {"person": resolve(s, "people", person)}
    if sep:
        entry["on_behalf_of"] = resolve(s, "organisations", org)
    return entry


def _pool_person(entry: Any) -> str:
    return str(entry if isinstance(entry, str) else entry["person"])


def _seat_id(s: Session, body_id: str, name: str) -> str:
    """``<body>.<name slug>``, numbered when a seat of that name exists already."""
    from coi.store import schema

    base = f"{body_id}.{records.slug(name)}"
    candidate, n = base, 1
    while s.get(schema.SeatRow, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@app.command("add")
def add(
    body: Annotated[str, typer.Argument(help="Id, id prefix or name of the body.")],
    name: Annotated[str, typer.Argument(help="The seat's name, e.g. 'VCS representatives'.")],
    id: Annotated[
        str | None, typer.Option("--id", help="Short id; default BODY.NAME-SLUG.")
    ] = None,
    places: Annotated[int, typer.Option("--places", help="How many may sit at once.")] = 1,
    pool: Annotated[list[str] | None, typer.Option("--pool", help=POOL_HELP)] = None,
    mandate: Annotated[
        str, typer.Option("--mandate", help="Whom the seat speaks for, and within what limits.")
    ] = "",
    selection: Annotated[Selection, typer.Option("--selection")] = Selection.NOMINATED,
    term_start: Annotated[str | None, typer.Option("--term-start", help="YYYY-MM-DD")] = None,
    voting: Annotated[bool, typer.Option("--voting/--non-voting")] = True,
) -> None:
    """Add a seat to a body.

    Example:

    \b
        coi seat add lit-adult-mh "VCS representatives" --id lit-vcs --places 2 \\
            --pool alex-morgan@the-zone --pool jo-bright --mandate "Speak for VCS providers"
    """
    from coi.store import schema
    from coi.store.lookup import resolve

    if not name.strip():
        raise UsageError("NAME: must not be empty")
    start = records.date_text(term_start, "--term-start")
    with common.session(write=True) as s:
        body_id = resolve(s, "bodies", body)
        if id is not None and s.get(schema.SeatRow, id) is not None:
            raise UsageError(f"a seat with id {id!r} exists: use `coi seat edit`")
        seat_id = id or _seat_id(s, body_id, name)
        data = {
            "id": seat_id,
            "body": body_id,
            "name": name.strip(),
            "places": places,
            "pool": [_pool_entry(s, p) for p in pool or []],
            "mandate": mandate,
            "selection": selection.value,
            "term_start": start,
            "voting": voting,
        }
        counts = records.save_data(s, {"seats": [data]})
    records.report("added seat", seat_id, counts)


@app.command("list")
def list_(
    body: Annotated[str | None, typer.Option("--body", help="Only this body's seats.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List seats with their places, pool size and whether they are shared.

    Example:

    \b
        coi seat list --body lit-adult-mh --format json
    """
    from coi.cli.output import emit
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    today = dt.date.today()
    with common.session() as s:
        body_id = resolve(s, "bodies", body) if body else None
        seats = read_section(s, "seats")
    rows = [
        {
            "id": x.id,
            "body": x.body,
            "name": x.name,
            "places": x.places,
            "pool_size": len(x.pool),
            "pool": [p.person for p in x.pool],
            "shared": x.shared,
            "selection": x.selection,
            "voting": x.voting,
            "from": x.term_start,
            "to": x.term_end,
            "current": active_on(x.term_start, x.term_end, today),
        }
        for x in seats
        if body_id is None or x.body == body_id
    ]
    emit(rows, SEAT_COLUMNS, fmt.value, title="Seats", empty="no seats")


@app.command("show")
def show(
    seat: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show a seat: its mandate in full and its pool, with the organisations each person
    sits for and works in.

    Example:

    \b
        coi seat show lit-vcs
    """
    from coi.cli.output import emit
    from coi.formats.tabular import to_json
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_seats, read_section

    today = dt.date.today()
    with common.session() as s:
        seat_id = resolve(s, "seats", seat)
        (x,) = read_seats(s, [seat_id])
        (b,) = read_bodies(s, [x.body])
        orgs = {o.id: o.name for o in read_section(s, "organisations")}
        people = {p.id: p.name for p in read_section(s, "people")}
        affs = read_section(s, "affiliations")
    pool = [
        {
            "person": p.person,
            "name": people.get(p.person, p.person),
            "on_behalf_of": p.on_behalf_of,
            "on_behalf_of_name": orgs.get(p.on_behalf_of, p.on_behalf_of)
            if p.on_behalf_of
            else None,
            "organisations": [
                f"{a.role} at {orgs.get(a.organisation, a.organisation)}"
                for a in affs
                if a.person == p.person and active_on(a.start, a.end, today)
            ],
        }
        for p in x.pool
    ]
    detail: dict[str, Any] = {
        "id": x.id,
        "body": x.body,
        "body_name": b.name,
        "name": x.name,
        "places": x.places,
        "pool_size": len(x.pool),
        "shared": x.shared,
        "selection": x.selection,
        "voting": x.voting,
        "from": x.term_start,
        "to": x.term_end,
        "current": active_on(x.term_start, x.term_end, today),
        "mandate": x.mandate,
        "pool": pool,
    }
    if fmt == ListFormat.json:
        common.write(to_json(detail))
        return
    if fmt == ListFormat.csv:
        emit([detail], [*SEAT_COLUMNS, Column("mandate", "Mandate")], "csv")
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
    emit(
        pool,
        [
            Column("name", "Person"),
            Column("on_behalf_of_name", "On behalf of"),
            Column("organisations", "Current roles"),
        ],
        "table",
        title="Pool",
        empty="nobody in the pool",
    )


@app.command("edit")
def edit(
    seat: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    name: Annotated[str | None, typer.Option("--name")] = None,
    places: Annotated[int | None, typer.Option("--places")] = None,
    mandate: Annotated[str | None, typer.Option("--mandate")] = None,
    add_pool: Annotated[list[str] | None, typer.Option("--add-pool", help=POOL_HELP)] = None,
    remove_pool: Annotated[
        list[str] | None, typer.Option("--remove-pool", help="PERSON to take out (repeat).")
    ] = None,
    selection: Annotated[Selection | None, typer.Option("--selection")] = None,
    term_start: Annotated[str | None, typer.Option("--term-start", help="YYYY-MM-DD")] = None,
    voting: Annotated[bool | None, typer.Option("--voting/--non-voting")] = None,
) -> None:
    """Change a seat: its places, mandate, pool or selection.

    Example:

    \b
        coi seat edit lit-vcs --places 2 --add-pool sue-hext@plym-recovery --remove-pool jo-bright
    """
    from coi.store.lookup import resolve

    if name is not None and not name.strip():
        raise UsageError("--name: must not be empty")
    start = records.date_text(term_start, "--term-start")
    with common.session(write=True) as s:
        seat_id = resolve(s, "seats", seat)
        adding = [_pool_entry(s, p) for p in add_pool or []]
        removing = [resolve(s, "people", p) for p in remove_pool or []]

        def change(d: dict[str, Any]) -> None:
            records.set_if(d, "name", name.strip() if name else None)
            records.set_if(d, "places", places)
            records.set_if(d, "mandate", mandate)
            records.set_if(d, "selection", selection.value if selection else None)
            records.set_if(d, "term_start", start)
            records.set_if(d, "voting", voting)
            current = list(d.get("pool") or [])
            in_pool = [_pool_person(e) for e in current]
            for person in removing:
                if person not in in_pool:
                    raise UsageError(f"--remove-pool: {person!r} is not in the pool of {seat_id}")
            current = [e for e in current if _pool_person(e) not in removing]
            for entry in adding:
                # Re-adding someone replaces their entry: that is how on_behalf_of changes.
                current = [e for e in current if _pool_person(e) != entry["person"]]
                current.append(entry)
            d["pool"] = current

        counts = records.edit(s, "seats", seat_id, change)
    records.report("updated seat", seat_id, counts)


@app.command("end")
def end(
    seat: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    on: Annotated[str, typer.Option("--on", help="The last day of the term, YYYY-MM-DD.")],
) -> None:
    """End a seat's term on a date; the seat and its pool stay on the register.

    Example:

    \b
        coi seat end lit-vcs --on 2027-03-31
    """
    from coi.store.lookup import resolve
    from coi.store.register import read_seats

    day = records.date_text(on, "--on")
    with common.session(write=True) as s:
        seat_id = resolve(s, "seats", seat)
        (x,) = read_seats(s, [seat_id])
        if x.term_end is not None:
            raise UsageError(f"seat {seat_id} already ended on {x.term_end.isoformat()}")
        counts = records.edit(s, "seats", seat_id, lambda d: d.update(term_end=day))
    records.report("ended", f"seat {seat_id} on {day}", counts)
