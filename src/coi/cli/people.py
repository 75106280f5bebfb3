"""``coi person``: people, their roles in organisations (affiliations) and where they sit."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common, records
from coi.cli.common import ListFormat
from coi.domain.model import active_on
from coi.errors import UsageError
from coi.formats.tabular import Column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(
    help="People: their affiliations with organisations, seats, memberships, interests "
    "and gifts.\n\n"
    "Example:\n\n\b\n    coi person add 'Alex Morgan'\n"
    "    coi person affiliate alex-morgan the-zone --role 'chief executive'",
    no_args_is_help=True,
)

PERSON_COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("email", "Email"),
    Column("positions", "Positions"),
    Column("bodies", "Sits on"),
]

PERIOD = [Column("from", "From"), Column("to", "To")]


def _not_blank(value: str, option: str) -> str:
    if not value.strip():
        raise UsageError(f"{option}: must not be empty")
    return value.strip()


def _positions(affiliations: list[Any], org_names: dict[str, str], day: dt.date) -> list[str]:
    return [
        f"{a.role} at {org_names.get(a.organisation, a.organisation)}"
        for a in affiliations
        if active_on(a.start, a.end, day)
    ]


def _on_body(bodies: list[Any], seats: list[Any], body: str, day: dt.date) -> set[str]:
    """People who sit on ``body`` that day, as members or in the pool of a seat in term."""
    people = {
        m.person
        for b in bodies
        if b.id == body
        for m in b.members
        if active_on(m.start, m.end, day)
    }
    for seat in seats:
        if seat.body == body and active_on(seat.term_start, seat.term_end, day):
            people |= {p.person for p in seat.pool}
    return people


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The person's full name.")],
    id: Annotated[str | None, typer.Option("--id", help="Short id; default from the name.")] = None,
    email: Annotated[str, typer.Option("--email")] = "",
    notes: Annotated[str, typer.Option("--notes")] = "",
) -> None:
    """Add a person.

    Example:

    \b
        coi person add "Alex Morgan" --email alex@example.org
    """
    name = _not_blank(name, "NAME")
    person_id = id or records.slug(name)
    data = {"id": person_id, "name": name, "email": email, "notes": notes}
    with common.session(write=True) as s:
        from coi.store import schema

        if s.get(schema.PersonRow, person_id) is not None:
            raise UsageError(
                f"a person with id {person_id!r} exists: use `coi person edit` or give another --id"
            )
        counts = records.save_data(s, {"people": [data]})
    records.report("added person", person_id, counts)


@app.command("list")
def list_(
    body: Annotated[
        str | None, typer.Option("--body", help="Only people who sit on this body today.")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List people with their current positions and the bodies they sit on.

    Example:

    \b
        coi person list --body lit-adult-mh --format csv
    """
    from coi.cli.output import emit
    from coi.domain.model import Register
    from coi.domain.publish import seats_held
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    today = dt.date.today()
    with common.session() as s:
        body_id = resolve(s, "bodies", body) if body else None
        people = read_section(s, "people")
        org_names = {o.id: o.name for o in read_section(s, "organisations")}
        affs = read_section(s, "affiliations")
        bodies = read_section(s, "bodies")
        seats = read_section(s, "seats")
    sits = seats_held(Register(bodies=tuple(bodies), seats=tuple(seats)), today)
    if body_id is not None:
        on = _on_body(bodies, seats, body_id, today)
        people = [p for p in people if p.id in on]
    rows = [
        {
            "id": p.id,
            "name": p.name,
            "email": p.email,
            "positions": _positions([a for a in affs if a.person == p.id], org_names, today),
            "bodies": sits.get(p.id, []),
        }
        for p in people
    ]
    emit(rows, PERSON_COLUMNS, fmt.value, title="People", empty="no people")


def _detail(s: Session, person_id: str, today: dt.date) -> dict[str, Any]:
    """Everything recorded about one person, as plain rows for tables and JSON."""
    from coi.store.register import read_section

    p = next(x for x in read_section(s, "people") if x.id == person_id)
    orgs = {o.id: o.name for o in read_section(s, "organisations")}
    bodies = read_section(s, "bodies")
    body_names = {b.id: b.name for b in bodies}
    affiliations = [
        {
            "id": a.id,
            "organisation": a.organisation,
            "organisation_name": orgs.get(a.organisation, a.organisation),
            "role": a.role,
            "on_behalf_of": a.on_behalf_of,
            "on_behalf_of_name": orgs.get(a.on_behalf_of) if a.on_behalf_of else None,
            "from": a.start,
            "to": a.end,
            "current": active_on(a.start, a.end, today),
        }
        for a in read_section(s, "affiliations")
        if a.person == person_id
    ]
    memberships = [
        {
            "body": b.id,
            "body_name": b.name,
            "role": m.role,
            "on_behalf_of": m.on_behalf_of,
            "on_behalf_of_name": orgs.get(m.on_behalf_of) if m.on_behalf_of else None,
            "voting": m.voting,
            "from": m.start,
            "to": m.end,
            "current": active_on(m.start, m.end, today),
        }
        for b in bodies
        for m in b.members
        if m.person == person_id
    ]
    seats = [
        {
            "seat": x.id,
            "seat_name": x.name,
            "body": x.body,
            "body_name": body_names.get(x.body, x.body),
            "on_behalf_of": pm.on_behalf_of,
            "on_behalf_of_name": orgs.get(pm.on_behalf_of) if pm.on_behalf_of else None,
            "places": x.places,
            "pool_size": len(x.pool),
            "from": x.term_start,
            "to": x.term_end,
            "current": active_on(x.term_start, x.term_end, today),
        }
        for x in read_section(s, "seats")
        for pm in x.pool
        if pm.person == person_id
    ]
    interests = [
        {
            "id": i.id,
            "category": i.category,
            "kind": i.kind,
            "description": i.description,
            "references": list(i.references),
            "from": i.start,
            "to": i.end,
            "declared_on": i.declared_on,
            "action_agreed": i.action_agreed,
            "publish": i.publish,
        }
        for i in read_section(s, "interests")
        if i.person == person_id
    ]
    gifts = [
        {
            "id": g.id,
            "offeror": g.offeror,
            "description": g.description,
            "value": g.value,
            "offered_on": g.offered_on,
            "accepted": g.accepted,
            "declared_on": g.declared_on,
        }
        for g in read_section(s, "gifts")
        if g.person == person_id
    ]
    return {
        "id": p.id,
        "name": p.name,
        "email": p.email,
        "notes": p.notes,
        "affiliations": affiliations,
        "memberships": memberships,
        "seats": seats,
        "interests": interests,
        "gifts": gifts,
    }


@app.command("show")
def show(
    person: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show a person: affiliations with dates, seats and body memberships, their own
    interests and gifts.

    Example:

    \b
        coi person show alex-morgan --format json
    """
    from coi.cli.output import emit
    from coi.formats.tabular import to_json
    from coi.store.lookup import resolve

    with common.session() as s:
        person_id = resolve(s, "people", person)
        detail = _detail(s, person_id, dt.date.today())
    if fmt == ListFormat.json:
        common.write(to_json(detail))
        return
    if fmt == ListFormat.csv:
        emit([detail], PERSON_COLUMNS[:3], "csv")
        return
    out = common.stdout()
    out.print(f"[bold]{detail['name']}[/bold] ({detail['id']})")
    for key in ("email", "notes"):
        if detail[key]:
            out.print(f"  {key}: {detail[key]}")
    emit(
        detail["affiliations"],
        [
            Column("id", "Id"),
            Column("organisation_name", "Organisation"),
            Column("role", "Role"),
            Column("on_behalf_of_name", "On behalf of"),
            *PERIOD,
        ],
        "table",
        title="Affiliations",
        empty="no affiliations",
    )
    emit(
        detail["memberships"],
        [
            Column("body_name", "Body"),
            Column("role", "Role"),
            Column("on_behalf_of_name", "On behalf of"),
            Column("voting", "Voting"),
            *PERIOD,
        ],
        "table",
        title="Body memberships",
        empty="no body memberships",
    )
    emit(
        detail["seats"],
        [
            Column("seat", "Seat"),
            Column("body_name", "Body"),
            Column("on_behalf_of_name", "On behalf of"),
            Column("places", "Places"),
            Column("pool_size", "Pool"),
            *PERIOD,
        ],
        "table",
        title="Seats (in the pool)",
        empty="in no seat pool",
    )
    emit(
        detail["interests"],
        [
            Column("id", "Id"),
            Column("category", "Type"),
            Column("kind", "Kind"),
            Column("description", "Description"),
            *PERIOD,
        ],
        "table",
        title="Own interests",
        empty="no interests held",
    )
    emit(
        detail["gifts"],
        [
            Column("id", "Id"),
            Column("offeror", "Offered by"),
            Column("description", "Description"),
            Column("value", "Value"),
            Column("offered_on", "Offered on"),
            Column("accepted", "Accepted"),
        ],
        "table",
        title="Gifts and hospitality",
        empty="no gifts or hospitality",
    )


@app.command("edit")
def edit(
    person: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    name: Annotated[str | None, typer.Option("--name")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
) -> None:
    """Change a person's details (the id stays).

    Example:

    \b
        coi person edit alex-morgan --email alex.morgan@example.org
    """
    from coi.store.lookup import resolve

    if name is not None:
        name = _not_blank(name, "--name")

    def change(d: dict[str, Any]) -> None:
        records.set_if(d, "name", name)
        records.set_if(d, "email", email)
        records.set_if(d, "notes", notes)

    with common.session(write=True) as s:
        person_id = resolve(s, "people", person)
        counts = records.edit(s, "people", person_id, change)
    records.report("updated person", person_id, counts)


@app.command("end")
def end(
    person: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    on: Annotated[str, typer.Option("--on", help="The last day they held them, YYYY-MM-DD.")],
) -> None:
    """End all of a person's open affiliations and body memberships on a date.

    The person and the history stay on the register. Seat pools have no dates: a pool the
    person is still in is named, to change with `coi seat edit --remove-pool`.

    Example:

    \b
        coi person end alex-morgan --on 2027-03-31
    """
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    day = records.date_text(on, "--on")
    with common.session(write=True) as s:
        person_id = resolve(s, "people", person)
        ended = 0
        for a in read_section(s, "affiliations"):
            if a.person == person_id and a.end is None:
                records.edit(s, "affiliations", a.id, lambda d: d.update(end=day))
                ended += 1
        for b in read_section(s, "bodies"):
            if any(m.person == person_id and m.end is None for m in b.members):

                def close(d: dict[str, Any]) -> None:
                    for m in d.get("members") or []:
                        if m["person"] == person_id and not m.get("end"):
                            m["end"] = day

                records.edit(s, "bodies", b.id, close)
                ended += sum(1 for m in b.members if m.person == person_id and m.end is None)
        pools = [
            x.id for x in read_section(s, "seats") if any(p.person == person_id for p in x.pool)
        ]
    if ended:
        common.message(f"ended {ended} affiliation(s) and membership(s) of {person_id} on {day}")
    else:
        common.message(f"{person_id}: no open affiliations or memberships to end")
    if pools:
        common.message(
            f"{person_id} is still in the pool of seat(s) {', '.join(pools)}: "
            "use `coi seat edit SEAT --remove-pool PERSON` if they leave them"
        )


def _affiliation_id(s: Session, person_id: str, org_id: str) -> str:
    """``<person>.<organisation>``, or with a number when that id holds an earlier role."""
    from coi.store import schema

    base = f"{person_id}.{org_id}"
    candidate, n = base, 1
    while s.get(schema.AffiliationRow, candidate) is not None:
        n += 1
        candidate = f"{base}.{n}"
    return candidate


@app.command("affiliate")
def affiliate(
    person: Annotated[str, typer.Argument(help="Id, id prefix or name of the person.")],
    org: Annotated[str, typer.Argument(help="Id, id prefix or name of the organisation.")],
    role: Annotated[str, typer.Option("--role", help="e.g. chief executive, trustee.")],
    on_behalf_of: Annotated[
        str | None,
        typer.Option("--on-behalf-of", help="The organisation they act for, when not ORG."),
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Short id; default PERSON.ORG (numbered if taken).")
    ] = None,
) -> None:
    """Record a person's role in an organisation (an affiliation).

    Example:

    \b
        coi person affiliate alex-morgan the-zone --role "chief executive" --from 2004-01-01
    """
    from coi.store import schema
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    role = _not_blank(role, "--role")
    start_text = records.date_text(start, "--from")
    with common.session(write=True) as s:
        person_id = resolve(s, "people", person)
        org_id = resolve(s, "organisations", org)
        behalf = resolve(s, "organisations", on_behalf_of) if on_behalf_of else None
        for a in read_section(s, "affiliations"):
            if (
                a.person == person_id
                and a.organisation == org_id
                and a.end is None
                and a.role.lower() == role.lower()
            ):
                raise UsageError(
                    f"{person_id} is already {a.role} of {org_id} (affiliation {a.id}, open)"
                )
        if id is not None and s.get(schema.AffiliationRow, id) is not None:
            raise UsageError(f"--id: an affiliation with id {id!r} exists")
        aff_id = id or _affiliation_id(s, person_id, org_id)
        data = {
            "id": aff_id,
            "person": person_id,
            "organisation": org_id,
            "role": role,
            "on_behalf_of": behalf,
            "start": start_text,
        }
        counts = records.save_data(s, {"affiliations": [data]})
    records.report("recorded affiliation", f"{aff_id} ({role})", counts)


@app.command("unaffiliate")
def unaffiliate(
    affiliation: Annotated[
        str, typer.Argument(help="Affiliation id (see `coi person show`), prefix or role.")
    ],
    on: Annotated[str, typer.Option("--on", help="The last day of the role, YYYY-MM-DD.")],
) -> None:
    """End an affiliation on a date; the history is kept.

    Example:

    \b
        coi person unaffiliate alex-morgan.the-zone --on 2027-03-31
    """
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    day = records.date_text(on, "--on")
    with common.session(write=True) as s:
        aff_id = resolve(s, "affiliations", affiliation)
        current = next(a for a in read_section(s, "affiliations") if a.id == aff_id)
        if current.end is not None:
            raise UsageError(f"affiliation {aff_id} already ended on {current.end.isoformat()}")
        counts = records.edit(s, "affiliations", aff_id, lambda d: d.update(end=day))
    records.report("ended", f"{aff_id} on {day}", counts)
