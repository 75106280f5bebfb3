"""The names of people and organisations, so that results can show names for ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Names:
    organisations: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)

    def org(self, org_id: str) -> str:
        return self.organisations.get(org_id, org_id)

    def org_or_none(self, org_id: str | None) -> str | None:
        """The organisation's name when it is given and known."""
        return self.organisations.get(org_id) if org_id else None

    def person(self, person_id: str) -> str:
        return self.people.get(person_id, person_id)

    def holder(self, holder_id: str) -> str:
        """A person's or an organisation's name (a person's where both use the id)."""
        return self.people.get(holder_id) or self.org(holder_id)


def read_names(s: Session) -> Names:
    from coi.store.register import read_section

    return Names(
        {o.id: o.name for o in read_section(s, "organisations")},
        {p.id: p.name for p in read_section(s, "people")},
    )
