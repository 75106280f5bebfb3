"""Who may declare which interest: a pure rule over register records, no database."""

from __future__ import annotations

import pytest

from coi.domain.declarable import acting_for, check_declarable
from coi.domain.model import (
    Affiliation,
    Body,
    Category,
    Interest,
    InterestKind,
    Membership,
    PoolMember,
    Relation,
    RelationKind,
    Seat,
)
from coi.errors import UsageError

AFFILIATIONS = [
    Affiliation("a1", "priya", "zone", "chief executive"),
    Affiliation("a2", "tom", "harbour", "director", on_behalf_of="forum"),
]
RELATIONS = [
    Relation("r1", "zone", RelationKind.MEMBER_OF, "consortium"),
    Relation("r2", "rival", RelationKind.MEMBER_OF, "consortium"),
]
SEATS = [Seat("s1", "lit", "VCSE seat", pool=(PoolMember("sunil", on_behalf_of="vcse"),))]
BODIES = [Body("lit", "LIT", members=(Membership("ann", on_behalf_of="council"),))]


def interest(*, person: str | None = None, organisation: str | None = None) -> Interest:
    return Interest(
        "i1",
        Category.FINANCIAL,
        InterestKind.HOLDS_CONTRACT,
        "holds a contract",
        person=person,
        organisation=organisation,
    )


def declarable(person: str, holder: Interest) -> bool:
    try:
        check_declarable(person, holder, AFFILIATIONS, RELATIONS, SEATS, BODIES)
    except UsageError:
        return False
    return True


def test_acting_for_gathers_roles_seats_and_memberships() -> None:
    assert acting_for("tom", AFFILIATIONS, SEATS, BODIES) == {"forum"}
    assert acting_for("sunil", AFFILIATIONS, SEATS, BODIES) == {"vcse"}
    assert acting_for("ann", AFFILIATIONS, SEATS, BODIES) == {"council"}
    assert acting_for("priya", AFFILIATIONS, SEATS, BODIES) == frozenset()


@pytest.mark.parametrize(
    ("person", "holder", "ok"),
    [
        ("priya", interest(person="priya"), True),  # their own
        ("priya", interest(person="tom"), False),  # someone else's
        ("priya", interest(organisation="zone"), True),  # an organisation they work for
        ("priya", interest(organisation="consortium"), True),  # up to its consortium
        ("priya", interest(organisation="rival"), False),  # not across to fellow members
        ("tom", interest(organisation="forum"), True),  # one they act for through a role
        ("sunil", interest(organisation="vcse"), True),  # one they sit for on a seat
        ("ann", interest(organisation="council"), True),  # one they sit for as a member
        ("ann", interest(organisation="zone"), False),
    ],
)
def test_who_may_declare_which_interest(person: str, holder: Interest, ok: bool) -> None:
    assert declarable(person, holder) is ok


def test_refusal_names_the_holder_and_the_way_out() -> None:
    with pytest.raises(UsageError, match="i1 is held by tom, which priya has no role in"):
        check_declarable("priya", interest(person="tom"), AFFILIATIONS, RELATIONS, SEATS, BODIES)
