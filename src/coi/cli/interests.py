"""``coi interest`` and ``coi gift``: declarable interests of people and organisations, and
the gifts and hospitality offered to people."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coi.cli import common, records
from coi.cli.common import ListFormat
from coi.domain.model import Category, InterestKind, active_on
from coi.errors import UsageError
from coi.formats.tabular import Column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(
    help="Interests held by a person or an organisation, with dates; ending one keeps it.\n\n"
    "Example:\n\n\b\n    coi interest add --org harbour --category financial \\\n"
    "        --kind bidding-for-tender --description 'Bid for the substance-misuse service'\n"
    "    coi interest list --org harbour --active-on 2027-01-14",
    no_args_is_help=True,
)

gift_app = typer.Typer(
    help="Gifts and hospitality offered to people, accepted or declined.\n\n"
    "Example:\n\n\b\n    coi gift add alex-morgan --offeror 'Acme Training Ltd' \\\n"
    "        --description 'Conference dinner' --value 45 --on 2026-10-02 --declined",
    no_args_is_help=True,
)

INTEREST_COLUMNS = [
    Column("id", "Id"),
    Column("holder", "Held by"),
    Column("category", "Type"),
    Column("kind", "Kind"),
    Column("description", "Description"),
    Column("from", "From"),
    Column("to", "To"),
    Column("declared_on", "Declared"),
    Column("publish", "Published"),
]

GIFT_COLUMNS = [
    Column("id", "Id"),
    Column("person", "Person"),
    Column("offeror", "Offered by"),
    Column("description", "Description"),
    Column("value", "Value"),
    Column("offered_on", "Offered on"),
    Column("accepted", "Accepted"),
    Column("declared_on", "Declared"),
]


def _not_blank(value: str, option: str) -> str:
    if not value.strip():
        raise UsageError(f"{option}: must not be empty")
    return value.strip()


def _unique_id(s: Session, row: Any, base: str) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is free."""
    candidate, n = base, 1
    while s.get(row, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _withhold(reason: str | None) -> dict[str, Any]:
    if reason is None:
        return {}
    if not reason.strip():
        raise UsageError("--withhold: give the reason the entry is withheld from publication")
    return {"publish": False, "withheld_reason": reason.strip()}


def _interest_row(i: Any, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": i.id,
        "person": i.person,
        "organisation": i.organisation,
        "holder": names.get(i.holder, i.holder),
        "category": i.category,
        "kind": i.kind,
        "description": i.description,
        "service_areas": list(i.service_areas),
        "counterparties": list(i.counterparties),
        "references": list(i.references),
        "from": i.start,
        "to": i.end,
        "declared_on": i.declared_on,
        "action_agreed": i.action_agreed,
        "publish": i.publish,
        "withheld_reason": i.withheld_reason,
    }


def _holder_names(s: Session) -> dict[str, str]:
    from coi.store.register import read_section

    names = {o.id: o.name for o in read_section(s, "organisations")}
    names.update({p.id: p.name for p in read_section(s, "people")})
    return names


@app.command("add")
def add(
    category: Annotated[Category, typer.Option("--category", help="NHS England's type.")],
    kind: Annotated[InterestKind, typer.Option("--kind")],
    description: Annotated[str, typer.Option("--description", help="What the interest is.")],
    person: Annotated[str | None, typer.Option("--person", help="The person who holds it.")] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="The organisation that holds it.")
    ] = None,
    service_area: Annotated[
        list[str] | None, typer.Option("--service-area", help="e.g. mental-health/adult.")
    ] = None,
    counterparty: Annotated[
        list[str] | None,
        typer.Option("--counterparty", help="Organisation on the other side (repeat)."),
    ] = None,
    reference: Annotated[
        list[str] | None, typer.Option("--reference", help="Contract or tender id (repeat).")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    declared_on: Annotated[str | None, typer.Option("--declared-on", help="YYYY-MM-DD")] = None,
    action_agreed: Annotated[
        str, typer.Option("--action-agreed", help="How it is to be managed.")
    ] = "",
    withhold: Annotated[
        str | None,
        typer.Option("--withhold", metavar="REASON", help="Withhold it from publication."),
    ] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Short id; default from holder and description.")
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
    from coi.store import schema
    from coi.store.lookup import resolve

    if (person is None) == (org is None):
        raise UsageError("give exactly one of --person or --org (who holds the interest)")
    description = _not_blank(description, "--description")
    start_text = records.date_text(start, "--from")
    declared_text = records.date_text(declared_on, "--declared-on")
    hidden = _withhold(withhold)
    with common.session(write=True) as s:
        holder_key = "person" if person else "organisation"
        holder = resolve(s, "people", person) if person else resolve(s, "organisations", org or "")
        if id is not None and s.get(schema.InterestRow, id) is not None:
            raise UsageError(f"an interest with id {id!r} exists: use `coi interest edit`")
        interest_id = id or _unique_id(
            s, schema.InterestRow, records.slug(f"{holder} {description}")
        )
        data = {
            "id": interest_id,
            holder_key: holder,
            "category": category.value,
            "kind": kind.value,
            "description": description,
            "service_areas": service_area or [],
            "counterparties": [resolve(s, "organisations", c) for c in counterparty or []],
            "references": reference or [],
            "start": start_text,
            "declared_on": declared_text,
            "action_agreed": action_agreed,
            **hidden,
        }
        counts = records.save_data(s, {"interests": [data]})
    records.report("recorded interest", interest_id, counts)


@app.command("list")
def list_(
    person: Annotated[str | None, typer.Option("--person", help="Held by this person.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Held by this organisation.")] = None,
    active: Annotated[
        str | None, typer.Option("--active-on", help="Only those held on YYYY-MM-DD.")
    ] = None,
    category: Annotated[Category | None, typer.Option("--category")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List interests, ended ones included unless --active-on is given.

    Entries withheld from publication are listed here in full, marked unpublished: this is
    the secretary's view, not the published register (`coi register`).

    Example:

    \b
        coi interest list --org harbour --active-on 2027-01-14 --format json
    """
    from coi.cli.output import emit
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    day = common.parse_date_option(active, "--active-on")
    with common.session() as s:
        person_id = resolve(s, "people", person) if person else None
        org_id = resolve(s, "organisations", org) if org else None
        names = _holder_names(s)
        interests = read_section(s, "interests")
    rows = [
        _interest_row(i, names)
        for i in interests
        if (person_id is None or i.person == person_id)
        and (org_id is None or i.organisation == org_id)
        and (day is None or active_on(i.start, i.end, day))
        and (category is None or i.category == category)
    ]
    emit(rows, INTEREST_COLUMNS, fmt.value, title="Interests", empty="no interests")


@app.command("show")
def show(
    interest: Annotated[str, typer.Argument(help="Id, id prefix or description.")],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """Show one interest in full.

    Example:

    \b
        coi interest show harbour-tender-2027-014
    """
    from coi.cli.output import emit
    from coi.formats.tabular import cell_text, to_json
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    with common.session() as s:
        interest_id = resolve(s, "interests", interest)
        i = next(x for x in read_section(s, "interests") if x.id == interest_id)
        names = _holder_names(s)
    detail = _interest_row(i, names)
    detail["counterparty_names"] = [names.get(c, c) for c in i.counterparties]
    detail["current"] = active_on(i.start, i.end, dt.date.today())
    if fmt == ListFormat.json:
        common.write(to_json(detail))
        return
    if fmt == ListFormat.csv:
        emit([detail], INTEREST_COLUMNS, "csv")
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
        "action agreed": i.action_agreed,
        "published": "yes" if i.publish else f"no: withheld ({i.withheld_reason})",
    }
    for key, text in lines.items():
        if text:
            out.print(f"  {key}: {text}")


def _add_remove(
    d: dict[str, Any], key: str, option: str, add: list[str], remove: list[str]
) -> None:
    current = list(d.get(key) or [])
    for value in remove:
        if value not in current:
            raise UsageError(f"--remove-{option}: {value!r} is not among {current}")
        current.remove(value)
    current += [v for v in add if v not in current]
    d[key] = current


@app.command("edit")
def edit(
    interest: Annotated[str, typer.Argument(help="Id, id prefix or description.")],
    category: Annotated[Category | None, typer.Option("--category")] = None,
    kind: Annotated[InterestKind | None, typer.Option("--kind")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    add_service_area: Annotated[list[str] | None, typer.Option("--add-service-area")] = None,
    remove_service_area: Annotated[list[str] | None, typer.Option("--remove-service-area")] = None,
    add_counterparty: Annotated[list[str] | None, typer.Option("--add-counterparty")] = None,
    remove_counterparty: Annotated[list[str] | None, typer.Option("--remove-counterparty")] = None,
    add_reference: Annotated[list[str] | None, typer.Option("--add-reference")] = None,
    remove_reference: Annotated[list[str] | None, typer.Option("--remove-reference")] = None,
    start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    declared_on: Annotated[str | None, typer.Option("--declared-on", help="YYYY-MM-DD")] = None,
    action_agreed: Annotated[str | None, typer.Option("--action-agreed")] = None,
    withhold: Annotated[
        str | None,
        typer.Option("--withhold", metavar="REASON", help="Withhold it from publication."),
    ] = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Publish it again (clears the withheld reason).")
    ] = False,
) -> None:
    """Change an interest's details (to end it, use `coi interest end`).

    Example:

    \b
        coi interest edit harbour-tender-2027-014 --action-agreed "Withdraw from the award"
    """
    from coi.store.lookup import resolve

    if withhold is not None and publish:
        raise UsageError("give --withhold or --publish, not both")
    if description is not None:
        description = _not_blank(description, "--description")
    start_text = records.date_text(start, "--from")
    declared_text = records.date_text(declared_on, "--declared-on")
    hidden = _withhold(withhold)
    with common.session(write=True) as s:
        interest_id = resolve(s, "interests", interest)
        add_cp = [resolve(s, "organisations", c) for c in add_counterparty or []]
        remove_cp = [resolve(s, "organisations", c) for c in remove_counterparty or []]

        def change(d: dict[str, Any]) -> None:
            records.set_if(d, "category", category.value if category else None)
            records.set_if(d, "kind", kind.value if kind else None)
            records.set_if(d, "description", description)
            records.set_if(d, "start", start_text)
            records.set_if(d, "declared_on", declared_text)
            records.set_if(d, "action_agreed", action_agreed)
            d.update(hidden)
            if publish:
                d.pop("publish", None)
                d.pop("withheld_reason", None)
            _add_remove(
                d,
                "service_areas",
                "service-area",
                add_service_area or [],
                remove_service_area or [],
            )
            _add_remove(d, "counterparties", "counterparty", add_cp, remove_cp)
            _add_remove(d, "references", "reference", add_reference or [], remove_reference or [])

        counts = records.edit(s, "interests", interest_id, change)
    records.report("updated interest", interest_id, counts)


@app.command("end")
def end(
    interest: Annotated[str, typer.Argument(help="Id, id prefix or description.")],
    on: Annotated[str, typer.Option("--on", help="The last day it was held, YYYY-MM-DD.")],
) -> None:
    """Record that an interest ended on a date. It is never deleted: the register as it
    stood on an earlier date still shows it.

    Example:

    \b
        coi interest end harbour-tender-2027-014 --on 2027-03-31
    """
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    day = records.date_text(on, "--on")
    with common.session(write=True) as s:
        interest_id = resolve(s, "interests", interest)
        i = next(x for x in read_section(s, "interests") if x.id == interest_id)
        if i.end is not None:
            raise UsageError(f"interest {interest_id} already ended on {i.end.isoformat()}")
        counts = records.edit(s, "interests", interest_id, lambda d: d.update(end=day))
    records.report("ended", f"interest {interest_id} on {day}", counts)


def _gift_id(s: Session, offered: dt.date) -> str:
    """The next free ``g-<year>-<nnn>`` for the year the gift was offered."""
    from coi.store import schema

    n = 1
    while s.get(schema.GiftRow, f"g-{offered.year}-{n:03d}") is not None:
        n += 1
    return f"g-{offered.year}-{n:03d}"


@gift_app.command("add")
def gift_add(
    person: Annotated[str, typer.Argument(help="Id, id prefix or name of the person offered it.")],
    offeror: Annotated[str, typer.Option("--offeror", help="Who offered it.")],
    description: Annotated[str, typer.Option("--description", help="What was offered.")],
    value: Annotated[float, typer.Option("--value", help="Estimated value in pounds.")],
    on: Annotated[str, typer.Option("--on", help="The day it was offered, YYYY-MM-DD.")],
    accepted: Annotated[
        bool, typer.Option("--accepted/--declined", help="Whether it was accepted.")
    ] = False,
    declared_on: Annotated[str | None, typer.Option("--declared-on", help="YYYY-MM-DD")] = None,
    id: Annotated[str | None, typer.Option("--id", help="Short id; default g-YEAR-NNN.")] = None,
) -> None:
    """Record a gift or hospitality offered to a person.

    Example:

    \b
        coi gift add alex-morgan --offeror "Acme Training Ltd" --description "Conference dinner" \\
            --value 45 --on 2026-10-02 --declined --declared-on 2026-10-05
    """
    from coi.store import schema
    from coi.store.lookup import resolve

    offeror = _not_blank(offeror, "--offeror")
    description = _not_blank(description, "--description")
    if value < 0:
        raise UsageError(f"--value: cannot be negative, got {value}")
    offered = common.parse_date_option(on, "--on")
    assert offered is not None  # --on is a required option
    declared_text = records.date_text(declared_on, "--declared-on")
    with common.session(write=True) as s:
        person_id = resolve(s, "people", person)
        if id is not None and s.get(schema.GiftRow, id) is not None:
            raise UsageError(f"a gift with id {id!r} exists")
        gift_id = id or _gift_id(s, offered)
        data = {
            "id": gift_id,
            "person": person_id,
            "offeror": offeror,
            "description": description,
            "value": value,
            "offered_on": offered.isoformat(),
            "accepted": accepted,
            "declared_on": declared_text,
        }
        counts = records.save_data(s, {"gifts": [data]})
    records.report("recorded gift", f"{gift_id} ({'accepted' if accepted else 'declined'})", counts)


@gift_app.command("list")
def gift_list(
    person: Annotated[str | None, typer.Option("--person", help="Offered to this person.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List gifts and hospitality, accepted and declined.

    Example:

    \b
        coi gift list --person alex-morgan --format csv
    """
    from coi.cli.output import emit
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    with common.session() as s:
        person_id = resolve(s, "people", person) if person else None
        names = {p.id: p.name for p in read_section(s, "people")}
        gifts = read_section(s, "gifts")
    rows = [
        {
            "id": g.id,
            "person": g.person,
            "person_name": names.get(g.person, g.person),
            "offeror": g.offeror,
            "description": g.description,
            "value": g.value,
            "offered_on": g.offered_on,
            "accepted": g.accepted,
            "declared_on": g.declared_on,
        }
        for g in gifts
        if person_id is None or g.person == person_id
    ]
    emit(rows, GIFT_COLUMNS, fmt.value, title="Gifts and hospitality", empty="no gifts")
