"""``coi org``: organisations, their aliases and identifiers, and relations between them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from coi.cli import common, records
from coi.cli.common import ListFormat
from coi.domain.words import OrgKind, RelationKind
from coi.errors import UsageError
from coi.formats.tabular import Column

app = typer.Typer(
    help="Organisations: providers, commissioners, consortia, forums.\n\n"
    "Example:\n\n\b\n    coi org add 'Harbour' --kind provider --alias 'Harbour Centre'",
    no_args_is_help=True,
)

ORG_COLUMNS = [
    Column("id", "Id"),
    Column("name", "Name"),
    Column("kind", "Kind"),
    Column("aliases", "Also known as"),
    Column("identifiers", "Identifiers"),
    Column("service_areas", "Service areas"),
    Column("dissolved", "Dissolved"),
]


def _identifiers(values: list[str] | None) -> list[dict[str, str]]:
    out = []
    for v in values or []:
        scheme, sep, ident = v.partition(":")
        if not sep or not scheme or not ident:
            raise UsageError(f"--identifier: {v!r} should be SCHEME:ID, e.g. GB-CHC:1000001")
        out.append({"scheme": scheme, "id": ident})
    return out


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    id: Annotated[str | None, typer.Option("--id", help="Short id; default from the name.")] = None,
    kind: Annotated[OrgKind, typer.Option("--kind")] = OrgKind.PROVIDER,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name (repeat).")
    ] = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--identifier", help="SCHEME:ID, e.g. GB-CHC:1000001.")
    ] = None,
    service_area: Annotated[
        list[str] | None, typer.Option("--service-area", help="e.g. mental-health/adult.")
    ] = None,
    founded: Annotated[str | None, typer.Option("--founded", help="YYYY-MM-DD")] = None,
    notes: Annotated[str, typer.Option("--notes")] = "",
) -> None:
    """Add an organisation.

    Example:

    \b
        coi org add "Routeways" --service-area employment --identifier GB-CHC:1000003
    """
    org_id = id or records.slug(name)
    data = {
        "id": org_id,
        "name": name,
        "kind": kind.value,
        "aliases": alias or [],
        "identifiers": _identifiers(identifier),
        "service_areas": service_area or [],
        "founded": records.date_text(founded, "--founded"),
        "notes": notes,
    }
    with common.session(write=True) as s:
        from coi.store import schema

        if s.get(schema.OrganisationRow, org_id) is not None:
            raise UsageError(f"an organisation with id {org_id!r} exists: use `coi org edit`")
        counts = records.save_data(s, {"organisations": [data]})
    records.report("added organisation", org_id, counts)


@app.command("list")
def list_(
    kind: Annotated[OrgKind | None, typer.Option("--kind", help="Only this kind.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List organisations.

    Example:

    \b
        coi org list --kind consortium --format json
    """
    from coi.cli.output import emit
    from coi.store.register import read_section

    with common.session() as s:
        orgs = read_section(s, "organisations")
    rows = [
        {
            "id": o.id,
            "name": o.name,
            "kind": o.kind,
            "aliases": list(o.aliases),
            "identifiers": [f"{i.scheme}:{i.id}" for i in o.identifiers],
            "service_areas": list(o.service_areas),
            "founded": o.founded,
            "dissolved": o.dissolved,
        }
        for o in orgs
        if kind is None or o.kind == kind
    ]
    emit(rows, ORG_COLUMNS, fmt.value, title="Organisations", empty="no organisations")


@app.command("show")
def show(
    org: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show an organisation with its relations, people and interests.

    Example:

    \b
        coi org show the-zone
    """
    from coi.cli.output import emit
    from coi.domain.model import active_on
    from coi.formats.tabular import to_json
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    with common.session() as s:
        org_id = resolve(s, "organisations", org)
        o = next(x for x in read_section(s, "organisations") if x.id == org_id)
        names = {x.id: x.name for x in read_section(s, "organisations")}
        people = {p.id: p.name for p in read_section(s, "people")}
        rels = [r for r in read_section(s, "relations") if org_id in (r.source, r.target)]
        affs = [a for a in read_section(s, "affiliations") if a.organisation == org_id]
        ints = [i for i in read_section(s, "interests") if i.organisation == org_id]
    today = dt.date.today()
    relations = [
        {
            "id": r.id,
            "relation": f"{names.get(r.source, r.source)} {r.kind} {names.get(r.target, r.target)}",
            "from": r.start,
            "to": r.end,
            "current": active_on(r.start, r.end, today),
        }
        for r in rels
    ]
    affiliations = [
        {
            "id": a.id,
            "person": people.get(a.person, a.person),
            "role": a.role,
            "from": a.start,
            "to": a.end,
            "current": active_on(a.start, a.end, today),
        }
        for a in affs
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
        }
        for i in ints
    ]
    detail: dict[str, Any] = {
        "id": o.id,
        "name": o.name,
        "kind": o.kind,
        "aliases": list(o.aliases),
        "identifiers": [f"{i.scheme}:{i.id}" for i in o.identifiers],
        "service_areas": list(o.service_areas),
        "founded": o.founded,
        "dissolved": o.dissolved,
        "notes": o.notes,
    }
    if fmt == ListFormat.json:
        detail |= {"relations": relations, "people": affiliations, "interests": interests}
        common.write(to_json(detail))
        return
    if fmt == ListFormat.csv:
        emit([detail], ORG_COLUMNS, "csv")
        return
    out = common.stdout()
    out.print(f"[bold]{o.name}[/bold] ({o.id}), {o.kind.value}")
    for key in ("aliases", "identifiers", "service_areas", "founded", "dissolved", "notes"):
        if detail[key]:
            value = detail[key]
            text = ", ".join(value) if isinstance(value, list) else str(value)
            out.print(f"  {key.replace('_', ' ')}: {text}")
    period = [Column("from", "From"), Column("to", "To")]
    emit(
        relations,
        [Column("id", "Id"), Column("relation", "Relation"), *period],
        "table",
        title="Relations",
        empty="no relations",
    )
    emit(
        affiliations,
        [Column("person", "Person"), Column("role", "Role"), *period],
        "table",
        title="People",
        empty="no people affiliated",
    )
    emit(
        interests,
        [
            Column("id", "Id"),
            Column("category", "Type"),
            Column("kind", "Kind"),
            Column("description", "Description"),
            *period,
        ],
        "table",
        title="Interests",
        empty="no interests held",
    )


@app.command("edit")
def edit(
    org: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    name: Annotated[str | None, typer.Option("--name")] = None,
    kind: Annotated[OrgKind | None, typer.Option("--kind")] = None,
    add_alias: Annotated[list[str] | None, typer.Option("--add-alias")] = None,
    remove_alias: Annotated[list[str] | None, typer.Option("--remove-alias")] = None,
    add_identifier: Annotated[list[str] | None, typer.Option("--add-identifier")] = None,
    add_service_area: Annotated[list[str] | None, typer.Option("--add-service-area")] = None,
    remove_service_area: Annotated[list[str] | None, typer.Option("--remove-service-area")] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
) -> None:
    """Change an organisation's details.

    Example:

    \b
        coi org edit harbour --add-alias "Harbour Drug and Alcohol Service"
    """
    from coi.store.lookup import resolve

    def change(d: dict[str, Any]) -> None:
        records.set_if(d, "name", name)
        records.set_if(d, "kind", kind.value if kind else None)
        records.set_if(d, "notes", notes)
        records.add_remove(d, "aliases", add_alias, remove_alias)
        records.add_remove(d, "service_areas", add_service_area, remove_service_area)
        d["identifiers"] = list(d.get("identifiers") or []) + _identifiers(add_identifier)

    with common.session(write=True) as s:
        org_id = resolve(s, "organisations", org)
        counts = records.edit(s, "organisations", org_id, change)
    records.report("updated organisation", org_id, counts)


@app.command("end")
def end(
    org: Annotated[str, typer.Argument(help="Id, id prefix or name.")],
    on: Annotated[str, typer.Option("--on", help="The date it folded, YYYY-MM-DD.")],
) -> None:
    """Record that an organisation has folded: it keeps its record, with a dissolved date,
    and its open relations and affiliations end on that date.

    Example:

    \b
        coi org end pcp --on 2008-03-31
    """
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    day = records.date_text(on, "--on")
    with common.session(write=True) as s:
        org_id = resolve(s, "organisations", org)
        counts = records.edit(s, "organisations", org_id, lambda d: d.update(dissolved=day))
        ended = 0
        for section, keys in (
            ("relations", ("source", "target")),
            ("affiliations", ("organisation",)),
        ):
            for r in read_section(s, section):
                if r.end is None and any(getattr(r, k) == org_id for k in keys):
                    records.edit(s, section, r.id, lambda d: d.update(end=day))
                    ended += 1
    records.report("dissolved", f"{org_id} on {day}; {ended} open link(s) ended", counts)


@app.command("relate")
def relate(
    source: Annotated[str, typer.Argument(help="The member, subsidiary or partner.")],
    kind: Annotated[RelationKind, typer.Argument(help="member_of, subsidiary_of or partner_of.")],
    target: Annotated[str, typer.Argument(help="The consortium, parent or partner.")],
    start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
) -> None:
    """Record that one organisation is a member, subsidiary or partner of another.

    Example:

    \b
        coi org relate the-zone member_of change-up --from 2008-04-01
    """
    from coi.store.lookup import resolve

    with common.session(write=True) as s:
        a, b = resolve(s, "organisations", source), resolve(s, "organisations", target)
        data = {"from": a, "kind": kind.value, "to": b, "start": records.date_text(start, "--from")}
        counts = records.save_data(s, {"relations": [data]})
    records.report("recorded", f"{a} {kind.value} {b}", counts)


@app.command("unrelate")
def unrelate(
    relation: Annotated[str, typer.Argument(help="Relation id (see `coi org show`).")],
    on: Annotated[str, typer.Option("--on", help="The last day it held, YYYY-MM-DD.")],
) -> None:
    """End a relation between organisations; the history is kept.

    Example:

    \b
        coi org unrelate the-zone.member_of.change-up --on 2027-03-31
    """
    from coi.store.lookup import resolve

    day = records.date_text(on, "--on")
    with common.session(write=True) as s:
        rel_id = resolve(s, "relations", relation)
        counts = records.edit(s, "relations", rel_id, lambda d: d.update(end=day))
    records.report("ended", f"{rel_id} on {day}", counts)
