"""Register records between the database and domain objects: read them, upsert them, count.

``save_register`` is the one write path for register records, used by ``coi load`` and
by every ``add``/``edit``/``end`` command, so both report created / updated / unchanged
the same way and keep history the same way: nothing here deletes a register record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from coi.domain.model import (
    Affiliation,
    AgendaItem,
    Away,
    Body,
    Category,
    Gift,
    Identifier,
    Interest,
    InterestKind,
    ItemKind,
    Meeting,
    MeetingStatus,
    Membership,
    Organisation,
    OrgKind,
    Person,
    PoolMember,
    Register,
    Relation,
    RelationKind,
    Seat,
    Selection,
)
from coi.formats.register_yaml import SECTIONS, Known
from coi.store import schema as s

T = TypeVar("T")

# Insert in this order so that foreign keys always point at rows that already exist.
WRITE_ORDER = (
    "organisations",
    "people",
    "relations",
    "affiliations",
    "bodies",
    "seats",
    "interests",
    "gifts",
    "meetings",
    "away",
)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class SaveReport:
    """What a save did, per section, for the user and for ``--format json``."""

    sections: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in SECTIONS})

    @property
    def total(self) -> Counts:
        out = Counts()
        for c in self.sections.values():
            out.created += c.created
            out.updated += c.updated
            out.unchanged += c.unchanged
        return out

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            name: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
            for name, c in self.sections.items()
            if c.created or c.updated or c.unchanged
        }


# -- rows to domain objects ---------------------------------------------------


def _org(r: s.OrganisationRow) -> Organisation:
    return Organisation(
        id=r.id,
        name=r.name,
        kind=OrgKind(r.kind),
        aliases=tuple(r.aliases or ()),
        identifiers=tuple(Identifier(i["scheme"], i["id"]) for i in r.identifiers or ()),
        service_areas=tuple(r.service_areas or ()),
        founded=r.founded,
        dissolved=r.dissolved,
        notes=r.notes or "",
    )


def _relation(r: s.RelationRow) -> Relation:
    return Relation(
        id=r.id,
        source=r.source,
        kind=RelationKind(r.kind),
        target=r.target,
        start=r.starts_on,
        end=r.ends_on,
    )


def _person(r: s.PersonRow) -> Person:
    return Person(id=r.id, name=r.name, email=r.email or "", notes=r.notes or "")


def _affiliation(r: s.AffiliationRow) -> Affiliation:
    return Affiliation(
        id=r.id,
        person=r.person,
        organisation=r.organisation,
        role=r.role,
        on_behalf_of=r.on_behalf_of,
        start=r.starts_on,
        end=r.ends_on,
    )


def _interest(r: s.InterestRow) -> Interest:
    return Interest(
        id=r.id,
        category=Category(r.category),
        kind=InterestKind(r.kind),
        description=r.description,
        person=r.person,
        organisation=r.organisation,
        service_areas=tuple(r.service_areas or ()),
        counterparties=tuple(r.counterparties or ()),
        references=tuple(r.references or ()),
        start=r.starts_on,
        end=r.ends_on,
        declared_on=r.declared_on,
        action_agreed=r.action_agreed or "",
        publish=r.publish,
        withheld_reason=r.withheld_reason or "",
    )


def _gift(r: s.GiftRow) -> Gift:
    return Gift(
        id=r.id,
        person=r.person,
        offeror=r.offeror,
        description=r.description,
        value=r.value or 0.0,
        offered_on=r.offered_on,
        accepted=r.accepted,
        declared_on=r.declared_on,
    )


def _grouped(rows: Iterable[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


def _where_id(column: Any, ids: Sequence[str] | None) -> Any:
    return column.in_(ids) if ids is not None else True


def read_bodies(session: Session, ids: Sequence[str] | None = None) -> list[Body]:
    rows = session.scalars(select(s.BodyRow).where(_where_id(s.BodyRow.id, ids))).all()
    comm = _grouped(
        session.scalars(
            select(s.BodyCommissionerRow)
            .where(_where_id(s.BodyCommissionerRow.body, ids))
            .order_by(s.BodyCommissionerRow.position)
        ),
        lambda r: r.body,
    )
    members = _grouped(
        session.scalars(
            select(s.BodyMemberRow)
            .where(_where_id(s.BodyMemberRow.body, ids))
            .order_by(s.BodyMemberRow.position)
        ),
        lambda r: r.body,
    )
    return [
        Body(
            id=r.id,
            name=r.name,
            parent=r.parent,
            commissioners=tuple(c.organisation for c in comm.get(r.id, [])),
            timezone=r.timezone,
            quorum=r.quorum,
            members=tuple(
                Membership(
                    person=m.person,
                    role=m.role,
                    on_behalf_of=m.on_behalf_of,
                    voting=m.voting,
                    start=m.starts_on,
                    end=m.ends_on,
                )
                for m in members.get(r.id, [])
            ),
            notes=r.notes or "",
            policy=r.policy or "",
        )
        for r in rows
    ]


def read_seats(session: Session, ids: Sequence[str] | None = None) -> list[Seat]:
    rows = session.scalars(select(s.SeatRow).where(_where_id(s.SeatRow.id, ids))).all()
    pools = _grouped(
        session.scalars(
            select(s.SeatPoolRow)
            .where(_where_id(s.SeatPoolRow.seat, ids))
            .order_by(s.SeatPoolRow.position)
        ),
        lambda r: r.seat,
    )
    return [
        Seat(
            id=r.id,
            body=r.body,
            name=r.name,
            places=r.places,
            pool=tuple(PoolMember(p.person, p.on_behalf_of) for p in pools.get(r.id, [])),
            mandate=r.mandate or "",
            selection=Selection(r.selection),
            term_start=r.term_start,
            term_end=r.term_end,
            voting=r.voting,
        )
        for r in rows
    ]


def read_meetings(session: Session, ids: Sequence[str] | None = None) -> list[Meeting]:
    rows = session.scalars(
        select(s.MeetingRow).where(_where_id(s.MeetingRow.id, ids)).order_by(s.MeetingRow.starts_at)
    ).all()
    guests = _grouped(
        session.scalars(select(s.MeetingGuestRow).where(_where_id(s.MeetingGuestRow.meeting, ids))),
        lambda r: r.meeting,
    )
    items = _grouped(
        session.scalars(
            select(s.AgendaItemRow)
            .where(_where_id(s.AgendaItemRow.meeting, ids))
            .order_by(s.AgendaItemRow.position)
        ),
        lambda r: r.meeting,
    )
    return [
        Meeting(
            id=r.id,
            body=r.body,
            title=r.title,
            start=r.starts_at,
            end=r.ends_at,
            location=r.location or "",
            status=MeetingStatus(r.status),
            guests=tuple(sorted(g.person for g in guests.get(r.id, []))),
            items=tuple(
                AgendaItem(
                    number=i.number,
                    title=i.title,
                    kind=ItemKind(i.kind),
                    text=i.text or "",
                    service_areas=tuple(i.service_areas or ()),
                    organisations=tuple(i.organisations or ()),
                    references=tuple(i.references or ()),
                    value=i.value,
                )
                for i in items.get(r.id, [])
            ),
            sequence=r.sequence,
            notes=r.notes or "",
        )
        for r in rows
    ]


def read_away(session: Session) -> list[Away]:
    rows = session.scalars(select(s.AwayRow).order_by(s.AwayRow.person, s.AwayRow.starts_on))
    return [Away(r.person, r.starts_on, r.ends_on, r.reason or "") for r in rows]


def _read_simple(session: Session, row: Any, conv: Callable[[Any], T], order: Any) -> list[T]:
    return [conv(r) for r in session.scalars(select(row).order_by(order))]


def read_section(session: Session, section: str) -> list[Any]:
    """Every record of one register section, as domain objects in a stable order."""
    match section:
        case "organisations":
            return _read_simple(session, s.OrganisationRow, _org, s.OrganisationRow.id)
        case "relations":
            return _read_simple(session, s.RelationRow, _relation, s.RelationRow.id)
        case "people":
            return _read_simple(session, s.PersonRow, _person, s.PersonRow.id)
        case "affiliations":
            return _read_simple(session, s.AffiliationRow, _affiliation, s.AffiliationRow.id)
        case "bodies":
            return sorted(read_bodies(session), key=lambda b: b.id)
        case "seats":
            return sorted(read_seats(session), key=lambda b: b.id)
        case "interests":
            return _read_simple(session, s.InterestRow, _interest, s.InterestRow.id)
        case "gifts":
            return _read_simple(session, s.GiftRow, _gift, s.GiftRow.id)
        case "meetings":
            return read_meetings(session)
        case "away":
            return read_away(session)
    raise ValueError(section)


def read_register(session: Session) -> Register:
    """The whole register, as ``coi dump`` writes it."""
    return Register(**{section: tuple(read_section(session, section)) for section in SECTIONS})


def known(session: Session) -> Known:
    """Ids, time zones and graph edges already stored, for checking files that refer to them."""
    ids = {
        "organisations": set(session.scalars(select(s.OrganisationRow.id))),
        "people": set(session.scalars(select(s.PersonRow.id))),
        "bodies": set(session.scalars(select(s.BodyRow.id))),
        "seats": set(session.scalars(select(s.SeatRow.id))),
        "meetings": set(session.scalars(select(s.MeetingRow.id))),
    }
    bodies = session.execute(select(s.BodyRow.id, s.BodyRow.timezone, s.BodyRow.parent)).all()
    relations = session.execute(
        select(s.RelationRow.kind, s.RelationRow.source, s.RelationRow.target)
    ).all()
    return Known(
        ids=ids,
        timezones={b.id: b.timezone for b in bodies},
        relations=[(r.kind, r.source, r.target) for r in relations],
        body_parents={b.id: b.parent for b in bodies},
    )


# -- domain objects to rows ---------------------------------------------------


def _org_row(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "kind": o.kind.value,
        "aliases": list(o.aliases),
        "identifiers": [{"scheme": i.scheme, "id": i.id} for i in o.identifiers],
        "service_areas": list(o.service_areas),
        "founded": o.founded,
        "dissolved": o.dissolved,
        "notes": o.notes,
    }


def _relation_row(r: Relation) -> dict[str, Any]:
    return {
        "id": r.id,
        "source": r.source,
        "kind": r.kind.value,
        "target": r.target,
        "starts_on": r.start,
        "ends_on": r.end,
    }


def _person_row(p: Person) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "email": p.email, "notes": p.notes}


def _affiliation_row(a: Affiliation) -> dict[str, Any]:
    return {
        "id": a.id,
        "person": a.person,
        "organisation": a.organisation,
        "role": a.role,
        "on_behalf_of": a.on_behalf_of,
        "starts_on": a.start,
        "ends_on": a.end,
    }


def _body_row(b: Body) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "parent": b.parent,
        "timezone": b.timezone,
        "quorum": b.quorum,
        "notes": b.notes,
        "policy": b.policy,
    }


def _seat_row(x: Seat) -> dict[str, Any]:
    return {
        "id": x.id,
        "body": x.body,
        "name": x.name,
        "places": x.places,
        "mandate": x.mandate,
        "selection": x.selection.value,
        "term_start": x.term_start,
        "term_end": x.term_end,
        "voting": x.voting,
    }


def _interest_row(i: Interest) -> dict[str, Any]:
    return {
        "id": i.id,
        "category": i.category.value,
        "kind": i.kind.value,
        "description": i.description,
        "person": i.person,
        "organisation": i.organisation,
        "service_areas": list(i.service_areas),
        "counterparties": list(i.counterparties),
        "references": list(i.references),
        "starts_on": i.start,
        "ends_on": i.end,
        "declared_on": i.declared_on,
        "action_agreed": i.action_agreed,
        "publish": i.publish,
        "withheld_reason": i.withheld_reason,
    }


def _gift_row(g: Gift) -> dict[str, Any]:
    return {
        "id": g.id,
        "person": g.person,
        "offeror": g.offeror,
        "description": g.description,
        "value": g.value,
        "offered_on": g.offered_on,
        "accepted": g.accepted,
        "declared_on": g.declared_on,
    }


def _meeting_row(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.id,
        "body": m.body,
        "title": m.title,
        "starts_at": m.start,
        "ends_at": m.end,
        "location": m.location,
        "status": m.status.value,
        "sequence": m.sequence,
        "notes": m.notes,
    }


_SIMPLE: dict[str, tuple[Any, Callable[[Any], dict[str, Any]]]] = {
    "organisations": (s.OrganisationRow, _org_row),
    "relations": (s.RelationRow, _relation_row),
    "people": (s.PersonRow, _person_row),
    "affiliations": (s.AffiliationRow, _affiliation_row),
    "interests": (s.InterestRow, _interest_row),
    "gifts": (s.GiftRow, _gift_row),
}

_FROM_ROW: dict[str, Callable[[Any], Any]] = {
    "organisations": _org,
    "relations": _relation,
    "people": _person,
    "affiliations": _affiliation,
    "interests": _interest,
    "gifts": _gift,
}


def _existing(session: Session, section: str, ids: list[str]) -> dict[str, Any]:
    """The stored records with these ids, as domain objects, fetched in a few big queries."""
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        if section in _SIMPLE:
            row_cls, _ = _SIMPLE[section]
            conv = _FROM_ROW[section]
            rows = session.scalars(select(row_cls).where(row_cls.id.in_(chunk)))
            found.update((r.id, conv(r)) for r in rows)
        elif section == "bodies":
            found.update((b.id, b) for b in read_bodies(session, chunk))
        elif section == "seats":
            found.update((x.id, x) for x in read_seats(session, chunk))
        elif section == "meetings":
            found.update((m.id, m) for m in read_meetings(session, chunk))
    return found


def _parents_first(bodies: Sequence[Body]) -> list[Body]:
    """Bodies ordered so that a parent given in the same save is written before its children."""
    by_id = {b.id: b for b in bodies}
    out: list[Body] = []
    done: set[str] = set()

    def visit(b: Body, trail: frozenset[str]) -> None:
        if b.id in done or b.id in trail:
            return
        if b.parent in by_id:
            visit(by_id[b.parent], trail | {b.id})
        done.add(b.id)
        out.append(b)

    for b in bodies:
        visit(b, frozenset())
    return out


def _write_children(session: Session, section: str, records: Sequence[Any]) -> None:
    """Replace the child rows (pools, members, items, ...) of records that changed."""
    if not records:
        return
    ids = [r.id for r in records]
    if section == "bodies":
        session.execute(delete(s.BodyCommissionerRow).where(s.BodyCommissionerRow.body.in_(ids)))
        session.execute(delete(s.BodyMemberRow).where(s.BodyMemberRow.body.in_(ids)))
        comm = [
            {"body": b.id, "organisation": o, "position": n}
            for b in records
            for n, o in enumerate(dict.fromkeys(b.commissioners))
        ]
        members = [
            {
                "body": b.id,
                "person": m.person,
                "role": m.role,
                "on_behalf_of": m.on_behalf_of,
                "voting": m.voting,
                "starts_on": m.start,
                "ends_on": m.end,
                "position": n,
            }
            for b in records
            for n, m in enumerate(b.members)
        ]
        if comm:
            session.execute(insert(s.BodyCommissionerRow), comm)
        if members:
            session.execute(insert(s.BodyMemberRow), members)
    elif section == "seats":
        session.execute(delete(s.SeatPoolRow).where(s.SeatPoolRow.seat.in_(ids)))
        pool = [
            {"seat": x.id, "person": p.person, "on_behalf_of": p.on_behalf_of, "position": n}
            for x in records
            for n, p in enumerate(x.pool)
        ]
        if pool:
            session.execute(insert(s.SeatPoolRow), pool)
    elif section == "meetings":
        session.execute(delete(s.MeetingGuestRow).where(s.MeetingGuestRow.meeting.in_(ids)))
        session.execute(delete(s.AgendaItemRow).where(s.AgendaItemRow.meeting.in_(ids)))
        guests = [{"meeting": m.id, "person": g} for m in records for g in dict.fromkeys(m.guests)]
        items = [
            {
                "meeting": m.id,
                "number": i.number,
                "position": n,
                "title": i.title,
                "kind": i.kind.value,
                "text": i.text,
                "service_areas": list(i.service_areas),
                "organisations": list(i.organisations),
                "references": list(i.references),
                "value": i.value,
            }
            for m in records
            for n, i in enumerate(m.items)
        ]
        if guests:
            session.execute(insert(s.MeetingGuestRow), guests)
        if items:
            session.execute(insert(s.AgendaItemRow), items)


_ROWS: dict[str, tuple[Any, Callable[[Any], dict[str, Any]]]] = {
    **_SIMPLE,
    "bodies": (s.BodyRow, _body_row),
    "seats": (s.SeatRow, _seat_row),
    "meetings": (s.MeetingRow, _meeting_row),
}


def _same_meeting(old: Meeting, new: Meeting) -> bool:
    # A file or command does not know the stored sequence; compare all else.
    return replace(new, sequence=old.sequence, guests=tuple(sorted(new.guests))) == old


def _normalised(record: Any) -> Any:
    if isinstance(record, Meeting):
        return replace(record, guests=tuple(sorted(set(record.guests))))
    return record


def save_register(
    session: Session, register: Register, progress: Callable[[int], None] | None = None
) -> SaveReport:
    """Upsert every record by id in the caller's transaction; report what changed.

    Records not mentioned are left alone (files may hold part of a register). A changed
    meeting gets its sequence raised so calendar exports tell clients to update.
    """
    report = SaveReport()
    for section in WRITE_ORDER:
        records: list[Any] = list(getattr(register, section))
        if not records:
            continue
        counts = report.sections[section]
        if section == "away":
            _save_away(session, records, counts)
            if progress:
                progress(len(records))
            continue
        if section == "bodies":
            records = _parents_first(records)
        old = _existing(session, section, [r.id for r in records])
        row_cls, to_row = _ROWS[section]
        fresh: list[Any] = []
        changed: list[Any] = []
        for record in records:
            before = old.get(record.id)
            if before is None:
                fresh.append(record)
            elif isinstance(record, Meeting):
                if _same_meeting(before, record):
                    counts.unchanged += 1
                else:
                    changed.append(replace(record, sequence=before.sequence + 1))
            elif before == _normalised(record):
                counts.unchanged += 1
            else:
                changed.append(record)
        if fresh:
            if section == "bodies":
                # Rows one at a time in parent-first order: a body's parent may be new too.
                for b in fresh:
                    session.execute(insert(row_cls), [to_row(b)])
            else:
                session.execute(insert(row_cls), [to_row(r) for r in fresh])
        if changed:
            session.execute(update(row_cls), [to_row(r) for r in changed])
        _write_children(session, section, [*fresh, *changed])
        counts.created += len(fresh)
        counts.updated += len(changed)
        if progress:
            progress(len(records))
    session.flush()
    return report


def _save_away(session: Session, records: Sequence[Away], counts: Counts) -> None:
    """Away periods have no id: the same person and dates is the same period."""
    stored = {(r.person, r.starts_on, r.ends_on): r for r in session.scalars(select(s.AwayRow))}
    for a in records:
        row = stored.get((a.person, a.start, a.end))
        if row is None:
            session.add(
                s.AwayRow(person=a.person, starts_on=a.start, ends_on=a.end, reason=a.reason)
            )
            counts.created += 1
        elif (row.reason or "") != a.reason:
            row.reason = a.reason
            counts.updated += 1
        else:
            counts.unchanged += 1
