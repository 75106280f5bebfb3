"""``coi person``: people, their roles in organisations (affiliations) and where they sit."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import FormatOption, ListFormat, RecordArgument
from coi.cli.field_options import field_options
from coi.cli.rename import add_rename
from coi.formats.tabular import Column, columns

if TYPE_CHECKING:
    from coi.services.people import PersonDetail

app = common.group(
    "People: their affiliations with organisations, seats, memberships, interests "
    "and gifts.\n\n"
    "Example:\n\n\b\n    coi person add 'Alex Morgan'\n"
    "    coi person affiliate alex-morgan the-zone --role 'chief executive'"
)

PERSON_COLUMNS = columns("id", "name", "email", "positions", "bodies=Sits on")


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The person's full name.")],
    id: common.IdOption = None,
    email: Annotated[str, typer.Option("--email")] = "",
    notes: common.NotesOption = "",
) -> None:
    """Add a person.

    Example:

    \b
        coi person add "Alex Morgan" --email alex@example.org
    """
    from coi.services.people import add_person

    with common.session(write=True) as s:
        saved = add_person(s, **common.options(ctx))
    common.report("added person", saved.id, saved.changed)


@app.command("list")
def list_(
    body: Annotated[
        str | None, typer.Option("--body", help="Only people who sit on this body today.")
    ] = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """List people with their current positions and the bodies they sit on.

    Example:

    \b
        coi person list --body lit-adult-mh --format csv
    """
    from coi.cli.output import emit
    from coi.services.people import list_people

    with common.session() as s:
        people = list_people(s, body)
    rows = [
        {
            "id": x.person.id,
            "name": x.person.name,
            "email": x.person.email,
            "positions": x.positions,
            "bodies": x.bodies,
        }
        for x in people
    ]
    emit(rows, PERSON_COLUMNS, fmt.value, title="People", empty="no people")


def _detail(found: PersonDetail, today: dt.date) -> dict[str, Any]:
    """Everything recorded about one person, as plain rows for tables and JSON."""
    from coi.cli.interests import gift_row, interest_brief
    from coi.cli.output import behalf, period

    p, names = found.person, found.names
    body_names = {b.id: b.name for b in found.bodies}

    affiliations = [
        {
            "id": a.id,
            "organisation": a.organisation,
            "organisation_name": names.org(a.organisation),
            "role": a.role,
            **behalf(names, a.on_behalf_of),
            **period(a.start, a.end, today),
        }
        for a in found.affiliations
    ]
    memberships = [
        {
            "body": b.id,
            "body_name": b.name,
            "role": m.role,
            **behalf(names, m.on_behalf_of),
            "voting": m.voting,
            **period(m.start, m.end, today),
        }
        for b in found.bodies
        for m in b.members
        if m.person == p.id
    ]
    seats = [
        {
            "seat": x.id,
            "seat_name": x.name,
            "body": x.body,
            "body_name": body_names.get(x.body, x.body),
            **behalf(names, pm.on_behalf_of),
            "places": x.places,
            "pool_size": len(x.pool),
            **period(x.term_start, x.term_end, today),
        }
        for x in found.seats
        for pm in x.pool
        if pm.person == p.id
    ]
    interests = [
        interest_brief(i)
        | {"declared_on": i.declared_on, "action_agreed": i.action_agreed, "publish": i.publish}
        for i in found.interests
    ]
    gifts = [gift_row(g) for g in found.gifts]
    through = [
        interest_brief(r.interest)
        | {
            "held_by": r.organisation,
            "held_by_name": names.org(r.organisation),
            "via": r.via,
            "publish": r.interest.publish,
        }
        for r in found.reached
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
        "through_organisations": through,
        "gifts": gifts,
    }


def _show_tables() -> list[tuple[str, str, list[Column], str]]:
    """The tables of `coi person show`: detail key, title, columns, what to say when empty."""
    from coi.cli.interests import BRIEF_COLUMNS
    from coi.cli.output import PERIOD

    behalf = "on_behalf_of_name=On behalf of"
    return [
        (
            "affiliations",
            "Affiliations",
            columns("id=Id", "organisation_name=Organisation", "role=Role", behalf, *PERIOD),
            "no affiliations",
        ),
        (
            "memberships",
            "Body memberships",
            columns("body_name=Body", "role=Role", behalf, "voting=Voting", *PERIOD),
            "no body memberships",
        ),
        (
            "seats",
            "Seats (in the pool)",
            columns(
                "seat=Seat", "body_name=Body", behalf, "places=Places", "pool_size=Pool", *PERIOD
            ),
            "in no seat pool",
        ),
        ("interests", "Own interests", BRIEF_COLUMNS, "no interests held"),
        (
            "through_organisations",
            "Interests through their organisations",
            columns("held_by_name=Held by", "via=Through", *BRIEF_COLUMNS),
            "none reach them through an organisation",
        ),
        (
            "gifts",
            "Gifts and hospitality",
            columns(
                "id=Id",
                "offeror=Offered by",
                "description=Description",
                "value=Value",
                "offered_on=Offered on",
                "accepted=Accepted",
            ),
            "no gifts or hospitality",
        ),
    ]


@app.command("show")
def show(person: RecordArgument, fmt: FormatOption = ListFormat.table) -> None:
    """Show a person: affiliations with dates, seats and body memberships, their own
    interests, the interests that reach them through their organisations, and gifts.

    Example:

    \b
        coi person show alex-morgan --format json
    """
    from coi.cli.output import data_formats, table
    from coi.services.people import show_person

    with common.session() as s:
        detail = _detail(show_person(s, person), dt.date.today())
    if data_formats(detail, fmt.value, PERSON_COLUMNS[:3]):
        return
    out = common.stdout()
    out.print(f"[bold]{detail['name']}[/bold] ({detail['id']})")
    for key in ("email", "notes"):
        if detail[key]:
            out.print(f"  {key}: {detail[key]}")
    for key, title, headed, empty in _show_tables():
        table(detail[key], headed, title, empty)


@app.command("edit")
@field_options("people", "name", "email", "notes")
def edit(
    ctx: typer.Context,
    person: RecordArgument,
    **changes: object,
) -> None:
    """Change a person's details (the id stays).

    Example:

    \b
        coi person edit alex-morgan --email alex.morgan@example.org
    """
    from coi.services.people import edit_person

    with common.session(write=True) as s:
        saved = edit_person(s, person, common.edits(ctx, "people"))
    common.report("updated person", saved.id, saved.changed)


@app.command("end")
def end(person: RecordArgument, day: common.OnOption) -> None:
    """End all of a person's open affiliations and body memberships on a date.

    The person and the history stay on the register. Seat pools have no dates: a pool the
    person is still in is named, to change with `coi seat edit --remove-pool`.

    Example:

    \b
        coi person end alex-morgan --on 2027-03-31
    """
    from coi.services.people import end_person

    with common.session(write=True) as s:
        done = end_person(s, person, day)
    if done.ended:
        common.message(f"ended {done.ended} affiliation(s) and membership(s) of {done.id} on {day}")
    else:
        common.message(f"{done.id}: no open affiliations or memberships to end")
    if done.pools:
        common.message(
            f"{done.id} is still in the pool of seat(s) {', '.join(done.pools)}: "
            "use `coi seat edit SEAT --remove-pool PERSON` if they leave them"
        )


@app.command("affiliate")
def affiliate(
    person: Annotated[str, typer.Argument(help="Id, id prefix or name of the person.")],
    org: Annotated[str, typer.Argument(help="Id, id prefix or name of the organisation.")],
    role: Annotated[str, typer.Option("--role", help="e.g. chief executive, trustee.")],
    on_behalf_of: Annotated[
        str | None,
        typer.Option("--on-behalf-of", help="The organisation they act for, when not ORG."),
    ] = None,
    start: common.StartOption = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Short id; default PERSON.ORG (numbered if taken).")
    ] = None,
) -> None:
    """Record a person's role in an organisation (an affiliation).

    Example:

    \b
        coi person affiliate alex-morgan the-zone --role "chief executive" --from 2004-01-01
    """
    from coi.services.people import affiliate as affiliate_

    start_on = common.parse_date_option(start, "--from")
    with common.session(write=True) as s:
        saved = affiliate_(s, person, org, role, on_behalf_of=on_behalf_of, start=start_on, id=id)
    common.report("recorded affiliation", f"{saved.id} ({role.strip()})", saved.changed)


@app.command("unaffiliate")
def unaffiliate(
    affiliation: Annotated[
        str, typer.Argument(help="Affiliation id (see `coi person show`), prefix or role.")
    ],
    day: common.OnOption,
) -> None:
    """End an affiliation on a date; the history is kept.

    Example:

    \b
        coi person unaffiliate alex-morgan.the-zone --on 2027-03-31
    """
    from coi.services.people import unaffiliate as unaffiliate_

    with common.session(write=True) as s:
        saved = unaffiliate_(s, affiliation, day)
    common.report("ended", f"{saved.id} on {day}", saved.changed)


add_rename(app, "people", "person", "coi person rename j-smith jo-smith")
