"""``coi body``: commissioning bodies, who commissions through them, and their members."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common, records
from coi.cli.common import ListFormat
from coi.domain.model import active_on
from coi.domain.words import DEFAULT_TIMEZONE
from coi.errors import UsageError
from coi.formats.tabular import Column

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="Bodies: boards, LITs and partnerships, their commissioners, members and seats.\n\n"
    "Example:\n\n\b\n    coi body add 'LIT for Adult Mental Health' --id lit-adult-mh\n"
    "    coi body member lit-adult-mh sam-chair --role chair",
    no_args_is_help=True,
)

BODY_COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("parent", "Under"),
    Column("commissioners", "Commissioners"),
    Column("members", "Members"),
    Column("seats", "Seats"),
    Column("quorum", "Quorum"),
    Column("timezone", "Time zone"),
]

PERIOD = [Column("from", "From"), Column("to", "To")]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The body's name.")],
    id: Annotated[str | None, typer.Option("--id", help="Short id; default from the name.")] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="The body this one sits under.")
    ] = None,
    commissioner: Annotated[
        list[str] | None,
        typer.Option("--commissioner", help="An organisation that commissions here (repeat)."),
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="Meeting times are local to this zone.")
    ] = DEFAULT_TIMEZONE,
    quorum: Annotated[
        int | None, typer.Option("--quorum", help="Members needed for a decision.")
    ] = None,
    notes: Annotated[str, typer.Option("--notes")] = "",
) -> None:
    """Add a body.

    Example:

    \b
        coi body add "Children's Trust Board" --parent childrens-trust-executive \\
            --commissioner plymouth-city-council --commissioner nhs-plymouth --quorum 5
    """
    from coi.store.lookup import resolve

    if not name.strip():
        raise UsageError("NAME: must not be empty")
    body_id = id or records.slug(name)
    with common.session(write=True) as s:
        from coi.store import schema

        if s.get(schema.BodyRow, body_id) is not None:
            raise UsageError(f"a body with id {body_id!r} exists: use `coi body edit`")
        data = {
            "id": body_id,
            "name": name.strip(),
            "parent": resolve(s, "bodies", parent) if parent else None,
            "commissioners": [resolve(s, "organisations", c) for c in commissioner or []],
            "timezone": timezone,
            "quorum": quorum,
            "notes": notes,
        }
        counts = records.save_data(s, {"bodies": [data]})
    records.report("added body", body_id, counts)


@app.command("list")
def list_(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List bodies with their commissioners and how many sit on them today.

    Example:

    \b
        coi body list --format json
    """
    from coi.cli.output import emit
    from coi.store.register import read_section

    today = dt.date.today()
    with common.session() as s:
        bodies = read_section(s, "bodies")
        seats = read_section(s, "seats")
    rows = [
        {
            "id": b.id,
            "name": b.name,
            "parent": b.parent,
            "commissioners": list(b.commissioners),
            "members": sum(1 for m in b.members if active_on(m.start, m.end, today)),
            "seats": sum(
                1 for x in seats if x.body == b.id and active_on(x.term_start, x.term_end, today)
            ),
            "quorum": b.quorum,
            "timezone": b.timezone,
        }
        for b in bodies
    ]
    emit(rows, BODY_COLUMNS, fmt.value, title="Bodies", empty="no bodies")


@app.command("show")
def show(
    body: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show a body: members, seats with places, pool and mandate, commissioners and the
    bodies under it.

    Example:

    \b
        coi body show lit-adult-mh
    """
    from coi.cli.output import emit
    from coi.formats.tabular import to_json
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    today = dt.date.today()
    with common.session() as s:
        body_id = resolve(s, "bodies", body)
        from coi.domain.policy import policy_label

        bodies = read_section(s, "bodies")
        b = next(x for x in bodies if x.id == body_id)
        orgs = {o.id: o.name for o in read_section(s, "organisations")}
        people = {p.id: p.name for p in read_section(s, "people")}
        seats = [x for x in read_section(s, "seats") if x.body == body_id]
    members = [
        {
            "person": m.person,
            "name": people.get(m.person, m.person),
            "role": m.role,
            "on_behalf_of": m.on_behalf_of,
            "on_behalf_of_name": orgs.get(m.on_behalf_of) if m.on_behalf_of else None,
            "voting": m.voting,
            "from": m.start,
            "to": m.end,
            "current": active_on(m.start, m.end, today),
        }
        for m in b.members
    ]
    seat_rows = [
        {
            "id": x.id,
            "name": x.name,
            "places": x.places,
            "pool": [
                {
                    "person": p.person,
                    "name": people.get(p.person, p.person),
                    "on_behalf_of": p.on_behalf_of,
                }
                for p in x.pool
            ],
            "pool_names": [
                people.get(p.person, p.person)
                + (f" ({orgs.get(p.on_behalf_of, p.on_behalf_of)})" if p.on_behalf_of else "")
                for p in x.pool
            ],
            "shared": x.shared,
            "mandate": x.mandate,
            "selection": x.selection,
            "voting": x.voting,
            "from": x.term_start,
            "to": x.term_end,
            "current": active_on(x.term_start, x.term_end, today),
        }
        for x in seats
    ]
    detail: dict[str, Any] = {
        "id": b.id,
        "name": b.name,
        "parent": b.parent,
        "commissioners": [{"id": c, "name": orgs.get(c, c)} for c in b.commissioners],
        "timezone": b.timezone,
        "quorum": b.quorum,
        "notes": b.notes,
        "members": members,
        "seats": seat_rows,
        "children": [{"id": c.id, "name": c.name} for c in bodies if c.parent == body_id],
    }
    if fmt == ListFormat.json:
        common.write(to_json(detail))
        return
    if fmt == ListFormat.csv:
        flat = detail | {"commissioners": [c["id"] for c in detail["commissioners"]]}
        emit([flat], [c for c in BODY_COLUMNS if c.key not in ("members", "seats")], "csv")
        return
    out = common.stdout()
    out.print(f"[bold]{b.name}[/bold] ({b.id})")
    parent_name = next((x.name for x in bodies if x.id == b.parent), b.parent)
    lines = {
        "under": f"{parent_name} ({b.parent})" if b.parent else "",
        "commissioners": ", ".join(c["name"] for c in detail["commissioners"]),
        "bodies under it": ", ".join(c["name"] for c in detail["children"]),
        "quorum": str(b.quorum) if b.quorum is not None else "",
        "time zone": b.timezone,
        "conflicts policy": policy_label(b, bodies),
        "notes": b.notes,
    }
    for key, text in lines.items():
        if text:
            out.print(f"  {key}: {text}")
    emit(
        members,
        [
            Column("name", "Member"),
            Column("role", "Role"),
            Column("on_behalf_of_name", "On behalf of"),
            Column("voting", "Voting"),
            *PERIOD,
        ],
        "table",
        title="Members",
        empty="no members",
    )
    emit(
        seat_rows,
        [
            Column("id", "Seat"),
            Column("name", "Name"),
            Column("places", "Places"),
            Column("pool_names", "Pool"),
            Column("shared", "Shared"),
            Column("mandate", "Mandate"),
            *PERIOD,
        ],
        "table",
        title="Seats",
        empty="no seats",
    )


@app.command("edit")
def edit(
    body: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    name: Annotated[str | None, typer.Option("--name")] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="The body this one sits under.")
    ] = None,
    no_parent: Annotated[
        bool, typer.Option("--no-parent", help="It no longer sits under another body.")
    ] = False,
    add_commissioner: Annotated[list[str] | None, typer.Option("--add-commissioner")] = None,
    remove_commissioner: Annotated[list[str] | None, typer.Option("--remove-commissioner")] = None,
    timezone: Annotated[str | None, typer.Option("--timezone")] = None,
    quorum: Annotated[int | None, typer.Option("--quorum")] = None,
    no_quorum: Annotated[bool, typer.Option("--no-quorum", help="Drop the quorum rule.")] = False,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="The body's own conflicts policy (a YAML file, stored with the body).",
        ),
    ] = None,
    default_policy: Annotated[
        bool,
        typer.Option("--default-policy", help="Use the parent body's or the default policy."),
    ] = False,
) -> None:
    """Change a body's details.

    Example:

    \b
        coi body edit lit-adult-mh --add-commissioner plymouth-city-council --quorum 6
        coi body edit lit-adult-mh --policy policies/lit.yaml
    """
    from coi.store.lookup import resolve

    if parent is not None and no_parent:
        raise UsageError("give --parent or --no-parent, not both")
    if quorum is not None and no_quorum:
        raise UsageError("give --quorum or --no-quorum, not both")
    if policy is not None and default_policy:
        raise UsageError("give --policy or --default-policy, not both")
    if name is not None and not name.strip():
        raise UsageError("--name: must not be empty")
    with common.session(write=True) as s:
        body_id = resolve(s, "bodies", body)
        parent_id = resolve(s, "bodies", parent) if parent else None
        add = [resolve(s, "organisations", c) for c in add_commissioner or []]
        remove = [resolve(s, "organisations", c) for c in remove_commissioner or []]

        def change(d: dict[str, Any]) -> None:
            records.set_if(d, "name", name.strip() if name else None)
            records.set_if(d, "parent", parent_id)
            if no_parent:
                d.pop("parent", None)
            records.set_if(d, "timezone", timezone)
            records.set_if(d, "quorum", quorum)
            if no_quorum:
                d.pop("quorum", None)
            records.set_if(d, "notes", notes)
            records.add_remove(d, "commissioners", add, remove)
            if policy is not None:
                d["policy"] = str(policy.resolve())
            if default_policy:
                d.pop("policy", None)

        counts = records.edit(s, "bodies", body_id, change)
    records.report("updated body", body_id, counts)


@app.command("member")
def member(
    body: Annotated[str, typer.Argument(help="Id, id prefix or name of the body.")],
    person: Annotated[str, typer.Argument(help="Id, id prefix or name of the person.")],
    role: Annotated[str, typer.Option("--role", help="e.g. chair, officer.")] = "member",
    on_behalf_of: Annotated[
        str | None, typer.Option("--on-behalf-of", help="The organisation they sit for.")
    ] = None,
    voting: Annotated[bool, typer.Option("--voting/--non-voting")] = True,
    start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
) -> None:
    """Add a person to a body as a member (a place that is not a seat: chair, officer,
    commissioner lead).

    Example:

    \b
        coi body member lit-adult-mh sam-chair --role chair --on-behalf-of nhs-plymouth
    """
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies

    if not role.strip():
        raise UsageError("--role: must not be empty")
    start_text = records.date_text(start, "--from")
    with common.session(write=True) as s:
        body_id = resolve(s, "bodies", body)
        person_id = resolve(s, "people", person)
        behalf = resolve(s, "organisations", on_behalf_of) if on_behalf_of else None
        (b,) = read_bodies(s, [body_id])
        for m in b.members:
            if m.person == person_id and m.end is None and m.role.lower() == role.lower():
                raise UsageError(f"{person_id} is already {m.role} of {body_id}")
        entry = {
            "person": person_id,
            "role": role.strip(),
            "on_behalf_of": behalf,
            "voting": voting,
            "start": start_text,
        }

        def change(d: dict[str, Any]) -> None:
            d["members"] = [*(d.get("members") or []), entry]

        counts = records.edit(s, "bodies", body_id, change)
    records.report("added", f"{person_id} to {body_id} as {role.strip()}", counts)


@app.command("end")
def end(
    body: Annotated[str, typer.Argument(help="Id, id prefix or name of the body.")],
    member: Annotated[str, typer.Option("--member", help="The person whose membership ends.")],
    on: Annotated[str, typer.Option("--on", help="Their last day, YYYY-MM-DD.")],
) -> None:
    """End a person's membership of a body on a date; the history is kept. (Bodies
    themselves have no end date.)

    Example:

    \b
        coi body end lit-adult-mh --member sam-chair --on 2027-03-31
    """
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies

    day = records.date_text(on, "--on")
    with common.session(write=True) as s:
        body_id = resolve(s, "bodies", body)
        person_id = resolve(s, "people", member)
        (b,) = read_bodies(s, [body_id])
        open_ = [m for m in b.members if m.person == person_id and m.end is None]
        if not open_:
            raise UsageError(f"{person_id} has no open membership of {body_id}")

        def change(d: dict[str, Any]) -> None:
            for m in d.get("members") or []:
                if m["person"] == person_id and not m.get("end"):
                    m["end"] = day

        counts = records.edit(s, "bodies", body_id, change)
    roles = ", ".join(m.role for m in open_)
    records.report("ended", f"{person_id} on {body_id} ({roles}) on {day}", counts)
