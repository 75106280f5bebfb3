"""Who holds what on a date, and what ending a record means: pure rules, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from coi.domain.membership import (
    current_affiliations,
    current_members,
    open_links,
    open_memberships,
    same_open_role,
    seats_in_term,
    sits_on,
    still_open,
)
from coi.domain.model import (
    Affiliation,
    Body,
    Membership,
    PoolMember,
    Relation,
    RelationKind,
    Seat,
)
from coi.errors import UsageError

D = dt.date
JAN, MARCH_31, JUL = D(2027, 1, 14), D(2027, 3, 31), D(2027, 7, 14)

BODY = Body(
    "lit",
    "LIT",
    members=(
        Membership("sam", "chair", start=D(2020, 1, 1)),
        Membership("kim", "officer", end=D(2027, 3, 31)),
        Membership("lee", "member", start=D(2027, 6, 1)),
    ),
)
SEATS = [
    Seat(
        "lit-vcs", "lit", "VCS", pool=(PoolMember("jo"), PoolMember("al")), term_end=D(2027, 3, 31)
    ),
    Seat("lit-user", "lit", "Users", pool=(PoolMember("pat"),)),
    Seat("other", "board", "Other", pool=(PoolMember("zed"),)),
]


def test_a_membership_counts_to_its_last_day_inclusive() -> None:
    assert [m.person for m in current_members(BODY, JAN)] == ["sam", "kim"]
    assert [m.person for m in current_members(BODY, D(2027, 3, 31))] == ["sam", "kim"]
    assert [m.person for m in current_members(BODY, JUL)] == ["sam", "lee"]


def test_people_in_the_pool_of_a_seat_in_term_sit_on_the_body() -> None:
    assert sits_on([BODY], SEATS, "lit", JAN) == {"sam", "kim", "jo", "al", "pat"}
    assert sits_on([BODY], SEATS, "lit", JUL) == {"sam", "lee", "pat"}
    assert [x.id for x in seats_in_term(SEATS, "lit", JUL)] == ["lit-user"]


def test_current_affiliations_are_the_persons_own_on_the_day() -> None:
    affs = [
        Affiliation("a1", "jo", "zone", "worker", start=D(2020, 1, 1)),
        Affiliation("a2", "jo", "harbour", "trustee", end=D(2026, 12, 31)),
        Affiliation("a3", "al", "zone", "chair"),
    ]
    assert [a.id for a in current_affiliations(affs, "jo", JAN)] == ["a1"]


def test_an_organisation_that_folds_ends_its_open_links_only() -> None:
    relations = [
        Relation("r1", "zone", RelationKind.MEMBER_OF, "cic"),
        Relation("r2", "cic", RelationKind.PARTNER_OF, "zone", end=D(2020, 1, 1)),
        Relation("r3", "harbour", RelationKind.MEMBER_OF, "cic"),
        Relation("r4", "cic", RelationKind.SUBSIDIARY_OF, "zone"),
    ]
    affs = [
        Affiliation("a1", "jo", "zone", "worker"),
        Affiliation("a2", "al", "zone", "chair", end=D(2021, 1, 1)),
    ]
    assert open_links("zone", relations, affs) == [
        ("relations", "r1"),
        ("relations", "r4"),
        ("affiliations", "a1"),
    ]


def test_the_same_open_role_is_found_in_any_case() -> None:
    assert same_open_role(BODY.members, "sam", "CHAIR") == BODY.members[0]
    assert same_open_role(BODY.members, "kim", "officer") is None  # it has ended
    assert [m.role for m in open_memberships(BODY, "sam")] == ["chair"]
    assert open_memberships(BODY, "kim") == []


def test_a_record_ends_only_once() -> None:
    still_open("seat lit-user", None)
    with pytest.raises(UsageError, match="seat lit-vcs already ended on 2027-03-31"):
        still_open("seat lit-vcs", D(2027, 3, 31))
