"""``coi interest`` and ``coi gift``: declarable interests of people and organisations, and
the gifts and hospitality offered to people."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import FormatOption, ListFormat, Repeated
from coi.cli.field_options import field_options
from coi.domain.model import Category, InterestKind
from coi.formats.tabular import columns, pick

if TYPE_CHECKING:
    from coi.domain.model import Gift, Interest
    from coi.services.names import Names

app = common.group(
    "Interests held by a person or an organisation, with dates; ending one keeps it.\n\n"
    "Example:\n\n\b\n    coi interest add --org harbour --category financial \\\n"
    "        --kind bidding-for-tender --description 'Bid for the substance-misuse service'\n"
    "    coi interest list --org harbour --active-on 2027-01-14"
)

gift_app = common.group(
    "Gifts and hospitality offered to people, accepted or declined.\n\n"
    "Example:\n\n\b\n    coi gift add alex-morgan --offeror 'Acme Training Ltd' \\\n"
    "        --description 'Conference dinner' --value 45 --on 2026-10-02 --declined"
)

INTEREST_COLUMNS = columns(
    "id",
    "holder=Held by",
    "category=Type",
    "kind",
    "description",
    "from",
    "to",
    "declared_on=Declared",
    "publish=Published",
)

GIFT_COLUMNS = columns(
    "id",
    "person",
    "offeror=Offered by",
    "description",
    "value",
    "offered_on",
    "accepted",
    "declared_on=Declared",
)

InterestArgument = Annotated[str, typer.Argument(help="Id, id prefix or description.")]
DeclaredOnOption = Annotated[str | None, typer.Option("--declared-on", help="YYYY-MM-DD")]
WithholdOption = Annotated[
    str | None,
    typer.Option("--withhold", metavar="REASON", help="Withhold it from publication."),
]


BRIEF_COLUMNS = columns("id", "category=Type", "kind", "description", "from", "to")


def interest_brief(i: Interest) -> dict[str, Any]:
    """An interest as a row of another record's show (an organisation's, a person's)."""
    return pick(i, "id", "category", "kind", "description", "references") | {
        "from": i.start,
        "to": i.end,
    }


def gift_row(g: Gift) -> dict[str, Any]:
    return pick(g, "id", "offeror", "description", "value", "offered_on", "accepted", "declared_on")


def _interest_row(i: Interest, names: Names) -> dict[str, Any]:
    listed = ("description", "service_areas", "counterparties", "references")
    return (
        pick(i, "id", "person", "organisation")
        | {"holder": names.holder(i.holder)}
        | pick(i, "category", "kind", *listed)
        | {"from": i.start, "to": i.end}
        | pick(i, "declared_on", "reviewed_on", "action_agreed", "publish", "withheld_reason")
    )


@app.command("add")
def add(
    ctx: typer.Context,
    category: Annotated[Category, typer.Option("--category", help="NHS England's type.")],
    kind: Annotated[InterestKind, typer.Option("--kind")],
    description: Annotated[str, typer.Option("--description", help="What the interest is.")],
    person: Annotated[str | None, typer.Option("--person", help="The person who holds it.")] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="The organisation that holds it.")
    ] = None,
    service_areas: common.ServiceAreasOption = None,
    counterparties: Annotated[
        Repeated,
        typer.Option("--counterparty", help="Organisation on the other side (repeat)."),
    ] = None,
    references: common.ReferencesOption = None,
    start: common.StartOption = None,
    declared_on: DeclaredOnOption = None,
    action_agreed: Annotated[
        str, typer.Option("--action-agreed", help="How it is to be managed.")
    ] = "",
    withhold: WithholdOption = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Short id; default HOLDER.KIND (jo-bright.family).")
    ] = None,
) -> None:
    """Record an interest held by a person or by an organisation.

    Example:

    \b
        coi interest add --org harbour --category financial --kind bidding-for-tender \\
            --description "Bid for the community substance-misuse service" \\
            --service-area substance-misuse --counterparty nhs-plymouth \\
            --reference T-2027-014 --from 2026-09-01 --declared-on 2026-09-10
    """
    from coi.services.interests import add_interest

    start_on = common.parse_date_option(start, "--from")
    declared = common.parse_date_option(declared_on, "--declared-on")
    with common.session(write=True) as s:
        saved = add_interest(s, **common.options(ctx, start=start_on, declared_on=declared))
    common.report("recorded interest", saved.id, saved.changed)


@app.command("list")
def list_(
    person: Annotated[str | None, typer.Option("--person", help="Held by this person.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Held by this organisation.")] = None,
    active: Annotated[
        str | None, typer.Option("--active-on", help="Only those held on YYYY-MM-DD.")
    ] = None,
    category: Annotated[Category | None, typer.Option("--category")] = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """List interests, ended ones included unless --active-on is given.

    Entries withheld from publication are listed here in full, marked unpublished: this is
    the secretary's view, not the published register (`coi register`).

    Example:

    \b
        coi interest list --org harbour --active-on 2027-01-14 --format json
    """
    from coi.cli.output import emit
    from coi.services.interests import list_interests

    day = common.parse_date_option(active, "--active-on")
    with common.session() as s:
        found = list_interests(s, person=person, org=org, active_on=day, category=category)
    rows = [_interest_row(i, found.names) for i in found.interests]
    emit(rows, INTEREST_COLUMNS, fmt.value, title="Interests", empty="no interests")


@app.command("show")
def show(interest: InterestArgument, fmt: FormatOption = ListFormat.table) -> None:
    """Show one interest in full.

    Example:

    \b
        coi interest show harbour-tender-2027-014
    """
    from coi.cli.output import data_formats
    from coi.domain.model import active_on
    from coi.formats.tabular import cell_text
    from coi.services.interests import show_interest

    with common.session() as s:
        found = show_interest(s, interest)
    (i,), names = found.interests, found.names
    detail = _interest_row(i, names)
    detail["counterparty_names"] = [names.holder(c) for c in i.counterparties]
    detail["current"] = active_on(i.start, i.end, dt.date.today())
    if data_formats(detail, fmt.value, INTEREST_COLUMNS):
        return
    out = common.stdout()
    out.print(f"[bold]{i.description}[/bold] ({i.id})")
    held = "person" if i.person else "organisation"
    lines = {
        "held by": f"{detail['holder']} ({held} {i.holder})",
        "type": f"{i.category.value}, {i.kind.value}",
        "service areas": cell_text(list(i.service_areas)),
        "counterparties": cell_text(detail["counterparty_names"]),
        "references": cell_text(list(i.references)),
        "from": cell_text(i.start),
        "to": cell_text(i.end),
        "declared on": cell_text(i.declared_on),
        "last reviewed": cell_text(i.reviewed_on),
        "action agreed": i.action_agreed,
        "published": "yes" if i.publish else f"no: withheld ({i.withheld_reason})",
    }
    for key, text in lines.items():
        if text:
            out.print(f"  {key}: {text}")


@app.command("edit")
@field_options(
    "interests",
    "category",
    "kind",
    "description",
    "service_areas",
    "counterparties",
    "references",
    "action_agreed",
)
def edit(
    ctx: typer.Context,
    interest: InterestArgument,
    start: common.StartOption = None,
    declared_on: DeclaredOnOption = None,
    withhold: WithholdOption = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Publish it again (clears the withheld reason).")
    ] = False,
    **changes: object,
) -> None:
    """Change an interest's details (to end it, use `coi interest end`).

    Example:

    \b
        coi interest edit harbour-tender-2027-014 --action-agreed "Withdraw from the award"
    """
    from coi.services.interests import edit_interest

    start_on = common.parse_date_option(start, "--from")
    declared = common.parse_date_option(declared_on, "--declared-on")
    with common.session(write=True) as s:
        edit = common.edits(
            ctx,
            "interests",
            skip=("withhold", "publish"),
            start=start_on,
            declared_on=declared,
            withheld_reason=withhold,
            no_publish=publish,
        )
        saved = edit_interest(s, interest, edit)
    common.report("updated interest", saved.id, saved.changed)


@app.command("end")
def end(interest: InterestArgument, day: common.OnOption) -> None:
    """Record that an interest ended on a date. It is never deleted: the register as it
    stood on an earlier date still shows it.

    Example:

    \b
        coi interest end harbour-tender-2027-014 --on 2027-03-31
    """
    from coi.services.interests import end_interest

    with common.session(write=True) as s:
        saved = end_interest(s, interest, day)
    common.report("ended", f"interest {saved.id} on {day}", saved.changed)


@gift_app.command("add")
def gift_add(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Id, id prefix or name of the person offered it.")],
    offeror: Annotated[str, typer.Option("--offeror", help="Who offered it.")],
    description: Annotated[str, typer.Option("--description", help="What was offered.")],
    value: Annotated[float, typer.Option("--value", help="Estimated value in pounds.")],
    on: Annotated[str, typer.Option("--on", help="The day it was offered, YYYY-MM-DD.")],
    accepted: Annotated[
        bool, typer.Option("--accepted/--declined", help="Whether it was accepted.")
    ] = False,
    declared_on: DeclaredOnOption = None,
    id: Annotated[str | None, typer.Option("--id", help="Short id; default g-YEAR-NNN.")] = None,
) -> None:
    """Record a gift or hospitality offered to a person.

    Example:

    \b
        coi gift add alex-morgan --offeror "Acme Training Ltd" --description "Conference dinner" \\
            --value 45 --on 2026-10-02 --declined --declared-on 2026-10-05
    """
    from coi.services.interests import add_gift

    offered = common.on_date(on)
    declared = common.parse_date_option(declared_on, "--declared-on")
    with common.session(write=True) as s:
        saved = add_gift(s, **common.options(ctx, on=offered, declared_on=declared))
    what = f"{saved.id} ({'accepted' if accepted else 'declined'})"
    common.report("recorded gift", what, saved.changed)


@gift_app.command("list")
def gift_list(
    person: Annotated[str | None, typer.Option("--person", help="Offered to this person.")] = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """List gifts and hospitality, accepted and declined.

    Example:

    \b
        coi gift list --person alex-morgan --format csv
    """
    from coi.cli.output import emit
    from coi.services.interests import list_gifts

    with common.session() as s:
        found = list_gifts(s, person)
    rows = [
        {"id": g.id, "person": g.person, "person_name": found.names.person(g.person)} | gift_row(g)
        for g in found.gifts
    ]
    emit(rows, GIFT_COLUMNS, fmt.value, title="Gifts and hospitality", empty="no gifts")
