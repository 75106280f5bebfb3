"""Declarable interests of people and organisations, and gifts and hospitality offered
to people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from coi.domain.model import Category, InterestKind
from coi.errors import UsageError
from coi.services import records
from coi.services.changes import Changes, resolved, stem
from coi.services.names import Names, read_names
from coi.services.records import FileRecord, Saved

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.model import Gift, Interest


@dataclass(frozen=True)
class Interests:
    """Interests, with the names of people and organisations that hold or face them."""

    interests: list[Interest]
    names: Names = field(default_factory=Names)


@dataclass(frozen=True)
class Gifts:
    gifts: list[Gift]
    names: Names = field(default_factory=Names)


def _withhold(reason: str | None) -> FileRecord:
    if reason is None:
        return {}
    if not reason.strip():
        raise UsageError("--withhold: give the reason the entry is withheld from publication")
    return {"publish": False, "withheld_reason": reason.strip()}


def add_interest(
    s: Session,
    category: Category,
    kind: InterestKind,
    description: str,
    *,
    person: str | None = None,
    org: str | None = None,
    service_areas: list[str] | None = None,
    counterparties: list[str] | None = None,
    references: list[str] | None = None,
    start: dt.date | None = None,
    declared_on: dt.date | None = None,
    action_agreed: str = "",
    withhold: str | None = None,
    id: str | None = None,
) -> Saved:
    """``coi interest add``: held by exactly one of ``person`` or ``org``; ``withhold``
    gives the reason it is not published."""
    from coi.store.lookup import exists, first_free, numbered, resolve

    if (person is None) == (org is None):
        raise UsageError("give exactly one of --person or --org (who holds the interest)")
    description = records.not_blank(description, "--description")
    hidden = _withhold(withhold)
    holder_key = "person" if person else "organisation"
    holder = resolve(s, "people", person) if person else resolve(s, "organisations", org or "")
    if id is not None and exists(s, "interests", id):
        raise UsageError(f"an interest with id {id!r} exists: use `coi interest edit`")
    data = {
        # Short and readable: the holder and the kind ("jo-bright.family"), numbered
        # when the holder has another of that kind ("harbour.holds-contract-2").
        "id": id or first_free(s, "interests", numbered(f"{holder[:96]}.{kind.value}", "-")),
        holder_key: holder,
        "category": category.value,
        "kind": kind.value,
        "description": description,
        "service_areas": service_areas or [],
        "counterparties": [resolve(s, "organisations", c) for c in counterparties or []],
        "references": references or [],
        "start": records.iso(start),
        "declared_on": records.iso(declared_on),
        "action_agreed": action_agreed,
        **hidden,
    }
    return records.add(s, "interests", data)


def list_interests(
    s: Session,
    *,
    person: str | None = None,
    org: str | None = None,
    active_on: dt.date | None = None,
    category: Category | None = None,
) -> Interests:
    """``coi interest list``: ended ones included unless ``active_on`` is given; withheld
    entries in full (this is the secretary's view, not the published register)."""
    from coi.domain.model import active_on as held_on
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    person_id = resolve(s, "people", person) if person else None
    org_id = resolve(s, "organisations", org) if org else None
    return Interests(
        [
            i
            for i in read_section(s, "interests")
            if (person_id is None or i.person == person_id)
            and (org_id is None or i.organisation == org_id)
            and (active_on is None or held_on(i.start, i.end, active_on))
            and (category is None or i.category == category)
        ],
        read_names(s),
    )


def _find(s: Session, interest: str) -> Interest:
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    interest_id = resolve(s, "interests", interest)
    return next(x for x in read_section(s, "interests") if x.id == interest_id)


def show_interest(s: Session, interest: str) -> Interests:
    """``coi interest show``: the one interest, with the names it mentions."""
    return Interests([_find(s, interest)], read_names(s))


def edit_interest(s: Session, interest: str, changes: Changes) -> Saved:
    """``coi interest edit`` (ending one is ``end_interest``): setting a
    ``withheld_reason`` withholds the interest from publication, clearing ``publish``
    publishes it again."""
    from coi.store.lookup import resolve

    if "withheld_reason" in changes.set and "publish" in changes.clear:
        raise UsageError("give --withhold or --publish, not both")
    changes = changes.not_blank("description", "--description")
    changes = changes.but("withheld_reason").setting(
        **_withhold(changes.set.get("withheld_reason"))
    )
    if "publish" in changes.clear:
        changes = replace(changes, clear=changes.clear | {"withheld_reason"})
    interest_id = resolve(s, "interests", interest)

    def missing(name: str, value: str, current: list[str]) -> str:
        return f"--remove-{stem(name).replace('_', '-')}: {value!r} is not among {current}"

    edit = resolved(s, "interests", changes)
    return records.edit(s, "interests", interest_id, lambda d: edit.apply(d, missing))


def end_interest(s: Session, interest: str, on: dt.date) -> Saved:
    """``coi interest end``: never deleted, so the register as it stood earlier shows it."""
    from coi.domain.membership import still_open

    i = _find(s, interest)
    still_open(f"interest {i.id}", i.end)
    return records.end(s, "interests", i.id, on)


def add_gift(
    s: Session,
    person: str,
    offeror: str,
    description: str,
    value: float,
    on: dt.date,
    *,
    accepted: bool = False,
    declared_on: dt.date | None = None,
    id: str | None = None,
) -> Saved:
    """``coi gift add``; the id defaults to the next free ``g-<year>-<nnn>``."""
    from coi.store.lookup import exists, first_free, resolve

    offeror = records.not_blank(offeror, "--offeror")
    description = records.not_blank(description, "--description")
    if value < 0:
        raise UsageError(f"--value: cannot be negative, got {value}")
    person_id = resolve(s, "people", person)
    if id is not None and exists(s, "gifts", id):
        raise UsageError(f"a gift with id {id!r} exists")
    numbers = (f"g-{on.year}-{n:03d}" for n in range(1, 1_000_000))
    data = {
        "id": id or first_free(s, "gifts", numbers),
        "person": person_id,
        "offeror": offeror,
        "description": description,
        "value": value,
        "offered_on": on.isoformat(),
        "accepted": accepted,
        "declared_on": records.iso(declared_on),
    }
    return records.add(s, "gifts", data)


def list_gifts(s: Session, person: str | None = None) -> Gifts:
    """``coi gift list``: accepted and declined."""
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    person_id = resolve(s, "people", person) if person else None
    gifts = [g for g in read_section(s, "gifts") if person_id is None or g.person == person_id]
    return Gifts(gifts, read_names(s))
