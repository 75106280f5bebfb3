"""Organisations, their aliases and identifiers, and the relations between them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coi.domain.words import OrgKind, RelationKind
from coi.errors import UsageError
from coi.services import records
from coi.services.changes import Changes
from coi.services.names import Names, read_names
from coi.services.records import FileRecord, Saved

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.model import Affiliation, Interest, Organisation, Relation


@dataclass(frozen=True)
class OrganisationDetail:
    """One organisation with its relations, the people affiliated and its interests."""

    organisation: Organisation
    relations: list[Relation]
    affiliations: list[Affiliation]
    interests: list[Interest]
    names: Names = field(default_factory=Names)


@dataclass(frozen=True)
class Dissolved(Saved):
    links_ended: int = 0


def identifiers(values: list[str] | None) -> list[FileRecord]:
    """``SCHEME:ID`` texts as identifier records."""
    out: list[FileRecord] = []
    for v in values or []:
        scheme, sep, ident = v.partition(":")
        if not sep or not scheme or not ident:
            raise UsageError(f"--identifier: {v!r} should be SCHEME:ID, e.g. GB-CHC:1000001")
        out.append({"scheme": scheme, "id": ident})
    return out


def add_organisation(
    s: Session,
    name: str,
    *,
    id: str | None = None,
    kind: OrgKind = OrgKind.PROVIDER,
    aliases: list[str] | None = None,
    identifier: list[str] | None = None,
    service_areas: list[str] | None = None,
    founded: dt.date | None = None,
    notes: str = "",
) -> Saved:
    """``coi org add``."""
    from coi.store.lookup import exists

    org_id = id or records.slug(name)
    data = {
        "id": org_id,
        "name": name,
        "kind": kind.value,
        "aliases": aliases or [],
        "identifiers": identifiers(identifier),
        "service_areas": service_areas or [],
        "founded": records.iso(founded),
        "notes": notes,
    }
    if exists(s, "organisations", org_id):
        raise UsageError(f"an organisation with id {org_id!r} exists: use `coi org edit`")
    return records.add(s, "organisations", data)


def list_organisations(s: Session, kind: OrgKind | None = None) -> list[Organisation]:
    """``coi org list``: every organisation, or those of one kind."""
    from coi.store.register import read_section

    return [o for o in read_section(s, "organisations") if kind is None or o.kind == kind]


def show_organisation(s: Session, org: str) -> OrganisationDetail:
    """``coi org show``."""
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    org_id = resolve(s, "organisations", org)
    orgs = read_section(s, "organisations")
    return OrganisationDetail(
        organisation=next(x for x in orgs if x.id == org_id),
        relations=[r for r in read_section(s, "relations") if org_id in (r.source, r.target)],
        affiliations=[a for a in read_section(s, "affiliations") if a.organisation == org_id],
        interests=[i for i in read_section(s, "interests") if i.organisation == org_id],
        names=read_names(s),
    )


def edit_organisation(s: Session, org: str, changes: Changes) -> Saved:
    """``coi org edit``: identifiers are added as ``SCHEME:ID`` texts."""
    from coi.store.lookup import resolve

    def change(d: FileRecord) -> None:
        changes.but("identifiers").apply(d)
        added = identifiers(changes.add.get("identifiers"))
        d["identifiers"] = list(d.get("identifiers") or []) + added

    return records.edit(s, "organisations", resolve(s, "organisations", org), change)


def dissolve(s: Session, org: str, on: dt.date) -> Dissolved:
    """``coi org end``: the organisation keeps its record with a dissolved date, and its
    open relations and affiliations end that day."""
    from coi.domain.membership import open_links
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    org_id = resolve(s, "organisations", org)
    saved = records.end(s, "organisations", org_id, on, key="dissolved")
    links = open_links(org_id, read_section(s, "relations"), read_section(s, "affiliations"))
    for section, record_id in links:
        records.end(s, section, record_id, on)
    return Dissolved(org_id, saved.changed, links_ended=len(links))


def relate(
    s: Session, source: str, kind: RelationKind, target: str, start: dt.date | None = None
) -> Saved:
    """``coi org relate``: ``source`` is ``kind`` of ``target``."""
    from coi.store.lookup import resolve

    a, b = resolve(s, "organisations", source), resolve(s, "organisations", target)
    data = {"from": a, "kind": kind.value, "to": b, "start": records.iso(start)}
    return Saved(f"{a} {kind.value} {b}", records.save(s, {"relations": [data]}))


def unrelate(s: Session, relation: str, on: dt.date) -> Saved:
    """``coi org unrelate``: the relation ends; its history stays."""
    from coi.store.lookup import resolve

    return records.end(s, "relations", resolve(s, "relations", relation), on)
