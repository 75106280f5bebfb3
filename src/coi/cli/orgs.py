"""``coi org``: organisations, their aliases and identifiers, and relations between them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from coi.cli import common
from coi.cli.common import FormatOption, ListFormat, RecordArgument, Repeated
from coi.cli.field_options import field_options
from coi.cli.rename import add_rename
from coi.domain.words import OrgKind, RelationKind
from coi.formats.tabular import columns

app = common.group(
    "Organisations: providers, commissioners, consortia, forums.\n\n"
    "Example:\n\n\b\n    coi org add 'Harbour' --kind provider --alias 'Harbour Centre'"
)

ORG_COLUMNS = columns(
    "id", "name", "kind", "aliases=Also known as", "identifiers", "service_areas", "dissolved"
)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    id: common.IdOption = None,
    kind: Annotated[OrgKind, typer.Option("--kind")] = OrgKind.PROVIDER,
    aliases: Annotated[Repeated, typer.Option("--alias", help="Another name (repeat).")] = None,
    identifier: Annotated[
        Repeated, typer.Option("--identifier", help="SCHEME:ID, e.g. GB-CHC:1000001.")
    ] = None,
    service_areas: common.ServiceAreasOption = None,
    founded: Annotated[str | None, typer.Option("--founded", help="YYYY-MM-DD")] = None,
    notes: common.NotesOption = "",
) -> None:
    """Add an organisation.

    Example:

    \b
        coi org add "Routeways" --service-area employment --identifier GB-CHC:1000003
    """
    from coi.services.organisations import add_organisation

    founded_on = common.parse_date_option(founded, "--founded")
    with common.session(write=True) as s:
        saved = add_organisation(s, **common.options(ctx, founded=founded_on))
    common.report("added organisation", saved.id, saved.changed)


def _org_row(o: Any) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "kind": o.kind,
        "aliases": list(o.aliases),
        "identifiers": [f"{i.scheme}:{i.id}" for i in o.identifiers],
        "service_areas": list(o.service_areas),
        "founded": o.founded,
        "dissolved": o.dissolved,
    }


@app.command("list")
def list_(
    kind: Annotated[OrgKind | None, typer.Option("--kind", help="Only this kind.")] = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """List organisations.

    Example:

    \b
        coi org list --kind consortium --format json
    """
    from coi.cli.output import emit
    from coi.services.organisations import list_organisations

    with common.session() as s:
        orgs = list_organisations(s, kind)
    rows = [_org_row(o) for o in orgs]
    emit(rows, ORG_COLUMNS, fmt.value, title="Organisations", empty="no organisations")


@app.command("show")
def show(org: RecordArgument, fmt: FormatOption = ListFormat.table) -> None:
    """Show an organisation with its relations, people and interests.

    Example:

    \b
        coi org show the-zone
    """
    from coi.cli.interests import BRIEF_COLUMNS, interest_brief
    from coi.cli.output import PERIOD, data_formats, period, table
    from coi.services.organisations import show_organisation

    with common.session() as s:
        found = show_organisation(s, org)
    o, names = found.organisation, found.names
    today = dt.date.today()
    relations = [
        {
            "id": r.id,
            "relation": f"{names.org(r.source)} {r.kind} {names.org(r.target)}",
            **period(r.start, r.end, today),
        }
        for r in found.relations
    ]
    affiliations = [
        {
            "id": a.id,
            "person": names.person(a.person),
            "role": a.role,
            **period(a.start, a.end, today),
        }
        for a in found.affiliations
    ]
    interests = [interest_brief(i) for i in found.interests]
    detail = _org_row(o) | {"notes": o.notes}
    if fmt == ListFormat.json:
        detail |= {"relations": relations, "people": affiliations, "interests": interests}
    if data_formats(detail, fmt.value, ORG_COLUMNS):
        return
    out = common.stdout()
    out.print(f"[bold]{o.name}[/bold] ({o.id}), {o.kind.value}")
    for key in ("aliases", "identifiers", "service_areas", "founded", "dissolved", "notes"):
        if detail[key]:
            value = detail[key]
            text = ", ".join(value) if isinstance(value, list) else str(value)
            out.print(f"  {key.replace('_', ' ')}: {text}")
    relation_columns = columns("id", "relation", *PERIOD)
    table(relations, relation_columns, "Relations", "no relations")
    people_columns = columns("person", "role", *PERIOD)
    table(affiliations, people_columns, "People", "no people affiliated")
    table(interests, BRIEF_COLUMNS, "Interests", "no interests held")


@app.command("edit")
@field_options("organisations", "name", "kind", "aliases", "service_areas", "notes")
def edit(
    ctx: typer.Context,
    org: RecordArgument,
    add_identifier: Annotated[
        Repeated, typer.Option("--add-identifier", help="SCHEME:ID, e.g. GB-CHC:1000001.")
    ] = None,
    **changes: object,
) -> None:
    """Change an organisation's details.

    Example:

    \b
        coi org edit harbour --add-alias "Harbour Drug and Alcohol Service"
    """
    from coi.services.organisations import edit_organisation

    with common.session(write=True) as s:
        saved = edit_organisation(s, org, common.edits(ctx, "organisations"))
    common.report("updated organisation", saved.id, saved.changed)


@app.command("end")
def end(org: RecordArgument, day: common.OnOption) -> None:
    """Record that an organisation has folded: it keeps its record, with a dissolved date,
    and its open relations and affiliations end on that date.

    Example:

    \b
        coi org end pcp --on 2008-03-31
    """
    from coi.services.organisations import dissolve

    with common.session(write=True) as s:
        done = dissolve(s, org, day)
    what = f"{done.id} on {day}; {done.links_ended} open link(s) ended"
    common.report("dissolved", what, done.changed)


@app.command("relate")
def relate(
    source: Annotated[str, typer.Argument(help="The member, subsidiary or partner.")],
    kind: Annotated[RelationKind, typer.Argument(help="member_of, subsidiary_of or partner_of.")],
    target: Annotated[str, typer.Argument(help="The consortium, parent or partner.")],
    start: common.StartOption = None,
) -> None:
    """Record that one organisation is a member, subsidiary or partner of another.

    Example:

    \b
        coi org relate the-zone member_of change-up --from 2008-04-01
    """
    from coi.services.organisations import relate as relate_

    start_on = common.parse_date_option(start, "--from")
    with common.session(write=True) as s:
        saved = relate_(s, source, kind, target, start_on)
    common.report("recorded", saved.id, saved.changed)


@app.command("unrelate")
def unrelate(
    relation: Annotated[str, typer.Argument(help="Relation id (see `coi org show`).")],
    day: common.OnOption,
) -> None:
    """End a relation between organisations; the history is kept.

    Example:

    \b
        coi org unrelate the-zone.member_of.change-up --on 2027-03-31
    """
    from coi.services.organisations import unrelate as unrelate_

    with common.session(write=True) as s:
        saved = unrelate_(s, relation, day)
    common.report("ended", f"{saved.id} on {day}", saved.changed)


add_rename(app, "organisations", "organisation", "coi org rename cyp-cic plymouth-cyp-cic")
