"""``coi body``: commissioning bodies, who commissions through them, and their members."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import FormatOption, ListFormat, RecordArgument, Repeated
from coi.cli.field_options import field_options
from coi.cli.rename import add_rename
from coi.domain.words import DEFAULT_TIMEZONE
from coi.formats.tabular import columns

app = common.group(
    "Bodies: boards, LITs and partnerships, their commissioners, members and seats.\n\n"
    "Example:\n\n\b\n    coi body add 'LIT for Adult Mental Health' --id lit-adult-mh\n"
    "    coi body member lit-adult-mh sam-chair --role chair"
)

BODY_COLUMNS = columns(
    "id",
    "name",
    "parent=Under",
    "commissioners",
    "members",
    "seats",
    "quorum",
    "timezone=Time zone",
)

ParentOption = Annotated[str | None, typer.Option("--parent", help="The body this one sits under.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The body's name.")],
    id: common.IdOption = None,
    parent: ParentOption = None,
    commissioners: Annotated[
        Repeated,
        typer.Option("--commissioner", help="An organisation that commissions here (repeat)."),
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="Meeting times are local to this zone.")
    ] = DEFAULT_TIMEZONE,
    quorum: Annotated[
        int | None, typer.Option("--quorum", help="Members needed for a decision.")
    ] = None,
    notes: common.NotesOption = "",
) -> None:
    """Add a body.

    Example:

    \b
        coi body add "Children's Trust Board" --parent childrens-trust-executive \\
            --commissioner plymouth-city-council --commissioner nhs-plymouth --quorum 5
    """
    from coi.services.bodies import add_body

    with common.session(write=True) as s:
        saved = add_body(s, **common.options(ctx))
    common.report("added body", saved.id, saved.changed)


@app.command("list")
def list_(fmt: FormatOption = ListFormat.table) -> None:
    """List bodies with their commissioners and how many sit on them today.

    Example:

    \b
        coi body list --format json
    """
    from coi.cli.output import emit
    from coi.services.bodies import list_bodies

    with common.session() as s:
        bodies = list_bodies(s)
    rows = [
        {
            "id": x.body.id,
            "name": x.body.name,
            "parent": x.body.parent,
            "commissioners": list(x.body.commissioners),
            "members": x.members,
            "seats": x.seats,
            "quorum": x.body.quorum,
            "timezone": x.body.timezone,
        }
        for x in bodies
    ]
    emit(rows, BODY_COLUMNS, fmt.value, title="Bodies", empty="no bodies")


@app.command("show")
def show(body: RecordArgument, fmt: FormatOption = ListFormat.table) -> None:
    """Show a body: members, seats with places, pool and mandate, commissioners and the
    bodies under it.

    Example:

    \b
        coi body show lit-adult-mh
    """
    from coi.cli.output import PERIOD, behalf, data_formats, period, table
    from coi.services.bodies import show_body

    today = dt.date.today()
    with common.session() as s:
        found = show_body(s, body)
    b, names = found.body, found.names
    members = [
        {"person": m.person, "name": names.person(m.person), "role": m.role}
        | behalf(names, m.on_behalf_of)
        | {"voting": m.voting}
        | period(m.start, m.end, today)
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
                    "name": names.person(p.person),
                    "on_behalf_of": p.on_behalf_of,
                }
                for p in x.pool
            ],
            "pool_names": [
                names.person(p.person)
                + (f" ({names.org(p.on_behalf_of)})" if p.on_behalf_of else "")
                for p in x.pool
            ],
            "shared": x.shared,
            "mandate": x.mandate,
            "selection": x.selection,
            "voting": x.voting,
            **period(x.term_start, x.term_end, today),
        }
        for x in found.seats
    ]
    detail: dict[str, Any] = {
        "id": b.id,
        "name": b.name,
        "parent": b.parent,
        "commissioners": [{"id": c, "name": names.org(c)} for c in b.commissioners],
        "timezone": b.timezone,
        "quorum": b.quorum,
        "notes": b.notes,
        "members": members,
        "seats": seat_rows,
        "children": [{"id": c.id, "name": c.name} for c in found.children],
    }
    if fmt == ListFormat.csv:
        detail = detail | {"commissioners": [c["id"] for c in detail["commissioners"]]}
    csv_columns = [c for c in BODY_COLUMNS if c.key not in ("members", "seats")]
    if data_formats(detail, fmt.value, csv_columns):
        return
    out = common.stdout()
    out.print(f"[bold]{b.name}[/bold] ({b.id})")
    parent_name = next((x.name for x in found.bodies if x.id == b.parent), b.parent)
    lines = {
        "under": f"{parent_name} ({b.parent})" if b.parent else "",
        "commissioners": ", ".join(c["name"] for c in detail["commissioners"]),
        "bodies under it": ", ".join(c["name"] for c in detail["children"]),
        "quorum": str(b.quorum) if b.quorum is not None else "",
        "time zone": b.timezone,
        "conflicts policy": found.policy,
        "notes": b.notes,
    }
    for key, text in lines.items():
        if text:
            out.print(f"  {key}: {text}")
    member_columns = columns(
        "name=Member", "role", "on_behalf_of_name=On behalf of", "voting", *PERIOD
    )
    table(members, member_columns, "Members", "no members")
    seat_columns = columns(
        "id=Seat", "name", "places", "pool_names=Pool", "shared", "mandate", *PERIOD
    )
    table(seat_rows, seat_columns, "Seats", "no seats")


@app.command("edit")
@field_options(
    "bodies", "name", "commissioners", "timezone", "quorum", "notes", "secretary", "short_name"
)
def edit(
    ctx: typer.Context,
    body: RecordArgument,
    parent: ParentOption = None,
    no_parent: Annotated[
        bool, typer.Option("--no-parent", help="It no longer sits under another body.")
    ] = False,
    no_quorum: Annotated[bool, typer.Option("--no-quorum", help="Drop the quorum rule.")] = False,
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
    **changes: object,
) -> None:
    """Change a body's details.

    Example:

    \b
        coi body edit lit-adult-mh --add-commissioner plymouth-city-council --quorum 6
        coi body edit lit-adult-mh --policy policies/lit.yaml
    """
    from coi.services.bodies import edit_body

    with common.session(write=True) as s:
        edit = common.edits(ctx, "bodies", skip=("default_policy",), no_policy=default_policy)
        saved = edit_body(s, body, edit)
    common.report("updated body", saved.id, saved.changed)


@app.command("member")
def member(
    body: Annotated[str, typer.Argument(help="Id, id prefix or name of the body.")],
    person: Annotated[str, typer.Argument(help="Id, id prefix or name of the person.")],
    role: Annotated[str, typer.Option("--role", help="e.g. chair, officer.")] = "member",
    on_behalf_of: Annotated[
        str | None, typer.Option("--on-behalf-of", help="The organisation they sit for.")
    ] = None,
    voting: common.VotingOption = True,
    start: common.StartOption = None,
) -> None:
    """Add a person to a body as a member (a place that is not a seat: chair, officer,
    commissioner lead).

    Example:

    \b
        coi body member lit-adult-mh sam-chair --role chair --on-behalf-of nhs-plymouth
    """
    from coi.services.bodies import add_member

    start_on = common.parse_date_option(start, "--from")
    with common.session(write=True) as s:
        saved = add_member(
            s, body, person, role=role, on_behalf_of=on_behalf_of, voting=voting, start=start_on
        )
    common.report("added", f"{saved.id} as {role.strip()}", saved.changed)


@app.command("end")
def end(
    body: Annotated[str, typer.Argument(help="Id, id prefix or name of the body.")],
    member: Annotated[str, typer.Option("--member", help="The person whose membership ends.")],
    day: common.OnOption,
) -> None:
    """End a person's membership of a body on a date; the history is kept. (Bodies
    themselves have no end date.)

    Example:

    \b
        coi body end lit-adult-mh --member sam-chair --on 2027-03-31
    """
    from coi.services.bodies import end_member

    with common.session(write=True) as s:
        done = end_member(s, body, member, day)
    common.report("ended", f"{done.id} ({', '.join(done.roles)}) on {day}", done.changed)


add_rename(app, "bodies", "body", "coi body rename lit-adult-mh lit-amh")
