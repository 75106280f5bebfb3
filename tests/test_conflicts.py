"""The conflict-detection engine on small registers built from the Plymouth case study."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from typing import TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coi.domain.conflicts import (
    CheckResult,
    Flag,
    RegisterIndex,
    check_meeting,
    expected_attendees,
)
from coi.domain.model import (
    Affiliation,
    AgendaItem,
    Body,
    Identifier,
    Interest,
    Meeting,
    Membership,
    Organisation,
    Person,
    PoolMember,
    Register,
    Relation,
    RotaSlot,
    Seat,
    meeting_day,
)
from coi.domain.policy import LinkKind, MatchBasis, load_policy, policy_from_dict
from coi.domain.words import Action, Category, InterestKind, ItemKind, OrgKind, RelationKind

POLICY = load_policy()
T = TypeVar("T")
D = dt.date
MEETING_START = dt.datetime(2027, 1, 14, 10, 0, tzinfo=dt.UTC)

ORGS = (
    Organisation(
        "the-zone",
        "The Zone",
        aliases=("Zone Plymouth",),
        identifiers=(Identifier("GB-CHC", "1000001"),),
        service_areas=("children-young-people/youth-work",),
    ),
    Organisation(
        "harbour",
        "Harbour",
        aliases=("Harbour Drugs Service",),
        identifiers=(Identifier("GB-CHC", "1000002"),),
        service_areas=("substance-misuse",),
    ),
    Organisation("routeways", "Routeways Centre Ltd"),
    Organisation("cyp-cic", "Plymouth CYP Collaborative CIC", kind=OrgKind.CONSORTIUM),
    Organisation("change-up", "Change Up Consortium", kind=OrgKind.CONSORTIUM),
    Organisation("plymouth-mind", "Plymouth Mind"),
    Organisation("nhs-plymouth", "NHS Plymouth", kind=OrgKind.COMMISSIONER),
    Organisation("pcc", "Plymouth City Council", kind=OrgKind.COMMISSIONER),
)
RELATIONS = (
    Relation("zone-cic", "the-zone", RelationKind.MEMBER_OF, "cyp-cic", start=D(2009, 6, 1)),
    Relation("harbour-cic", "harbour", RelationKind.MEMBER_OF, "cyp-cic", start=D(2009, 6, 1)),
    Relation("zone-changeup", "the-zone", RelationKind.MEMBER_OF, "change-up"),
)
PEOPLE = (
    Person("ruth", "Ruth Marriott"),
    Person("sam", "Sam Reed"),
    Person("jo", "Jo Bright"),
    Person("lee", "Lee Carter"),
    Person("pat", "Pat Okafor"),
    Person("kim", "Kim Shah"),
    Person("guest", "Gail Guest"),
)
AFFILIATIONS = (
    Affiliation("ruth.zone", "ruth", "the-zone", "chief executive", start=D(2004, 1, 1)),
    Affiliation("sam.harbour", "sam", "harbour", "chief executive"),
    Affiliation("jo.routeways", "jo", "routeways", "manager"),
    Affiliation("lee.mind", "lee", "plymouth-mind", "service lead"),
    Affiliation("pat.nhs", "pat", "nhs-plymouth", "commissioning lead"),
    Affiliation("kim.pcc", "kim", "pcc", "commissioning officer"),
)
LIT = Body(
    "lit",
    "LIT for Adult Mental Health",
    commissioners=("nhs-plymouth",),
    quorum=3,
    members=(
        Membership("pat", "chair", on_behalf_of="nhs-plymouth"),
        Membership("kim", "member", on_behalf_of="pcc"),
    ),
)
VCS_SEAT = Seat(
    "lit-vcs",
    "lit",
    "VCS representatives",
    places=2,
    pool=(
        PoolMember("ruth", "the-zone"),
        PoolMember("sam", "harbour"),
        PoolMember("jo", "routeways"),
        PoolMember("lee", "plymouth-mind"),
    ),
)
HARBOUR_TENDER = Interest(
    "harbour-tender-2027-014",
    Category.FINANCIAL,
    InterestKind.BIDDING_FOR_TENDER,
    "Bid for the community substance-misuse service",
    organisation="harbour",
    service_areas=("substance-misuse",),
    counterparties=("nhs-plymouth",),
    references=("T-2027-014",),
    start=D(2026, 9, 1),
)
CIC_BID = Interest(
    "cic-crisis-house",
    Category.FINANCIAL,
    InterestKind.BIDDING_FOR_TENDER,
    "Collective bid for the crisis house",
    organisation="cyp-cic",
    service_areas=("mental-health/adult",),
    counterparties=("nhs-plymouth",),
    references=("T-2027-020",),
)
RUTH_TRUSTEE = Interest(
    "ruth-trustee-routeways",
    Category.NON_FINANCIAL_PROFESSIONAL,
    InterestKind.TRUSTEESHIP,
    "Trustee of Routeways",
    person="ruth",
    counterparties=("routeways",),
)
MIND_CONTRACT = Interest(
    "mind-contract",
    Category.FINANCIAL,
    InterestKind.HOLDS_CONTRACT,
    "Adult mental-health day services",
    organisation="plymouth-mind",
    counterparties=("nhs-plymouth",),
    references=("C-2025-007",),
    service_areas=("mental-health/adult",),
)
INTERESTS = (HARBOUR_TENDER, CIC_BID, RUTH_TRUSTEE, MIND_CONTRACT)


def item(number: str, title: str, kind: ItemKind = ItemKind.DECISION, **kw: object) -> AgendaItem:
    return AgendaItem(number, title, kind, **kw)  # type: ignore[arg-type]


def meeting(*items: AgendaItem, guests: tuple[str, ...] = ()) -> Meeting:
    return Meeting("lit-2027-01", "lit", "LIT", MEETING_START, items=items, guests=guests)


def register(m: Meeting, **changes: object) -> Register:
    reg = Register(
        organisations=ORGS,
        relations=RELATIONS,
        people=PEOPLE,
        affiliations=AFFILIATIONS,
        bodies=(LIT,),
        seats=(VCS_SEAT,),
        interests=INTERESTS,
        meetings=(m,),
    )
    return replace(reg, **changes)  # type: ignore[arg-type]


def run(m: Meeting, reg: Register | None = None, **kw: object) -> CheckResult:
    reg = reg or register(m)
    body = next(b for b in reg.bodies if b.id == m.body)
    attendees = expected_attendees(body, reg.seats, m, [])
    return check_meeting(reg, m, POLICY, attendees, **kw)  # type: ignore[arg-type]


def flags_of(result: CheckResult, number: str) -> dict[str, Flag]:
    found = next(i for i in result.items if i.item == number)
    return {f.person: f for f in found.flags}


# --------------------------------------------------------------------------- attendees


def test_before_the_rota_every_pool_member_is_expected_if_attending() -> None:
    m = meeting(guests=("guest",))
    people = expected_attendees(LIT, [VCS_SEAT], m, [])
    by = {a.person: a for a in people}
    assert set(by) == {"pat", "kim", "ruth", "sam", "jo", "lee", "guest"}
    assert not by["pat"].if_attending and by["pat"].voting and by["pat"].capacity == "chair"
    assert all(by[p].if_attending and by[p].seat == "lit-vcs" for p in ("ruth", "sam", "jo", "lee"))
    assert by["ruth"].on_behalf_of == "the-zone"
    assert not by["guest"].voting and by["guest"].capacity == "guest"


def test_once_rostered_only_the_assigned_are_expected() -> None:
    m = meeting()
    slots = [
        RotaSlot("lit-vcs", m.id, "ruth"),
        RotaSlot("lit-vcs", m.id, "jo", status="swapped-out"),
        RotaSlot("lit-vcs", m.id, "lee"),
        RotaSlot("lit-vcs", "another-meeting", "sam"),
    ]
    people = expected_attendees(LIT, [VCS_SEAT], m, slots)
    vcs = {a.person for a in people if a.capacity == "VCS representatives"}
    assert vcs == {"ruth", "lee"}
    assert not any(a.if_attending for a in people)


def test_dates_decide_membership_and_seats() -> None:
    m = meeting()
    body = replace(
        LIT,
        members=(
            Membership("pat", "chair", end=D(2026, 12, 31)),
            Membership("kim", "member", start=D(2027, 2, 1)),
        ),
    )
    old_seat = replace(VCS_SEAT, term_end=D(2026, 3, 31))
    assert expected_attendees(body, [old_seat], m, []) == []


def test_unshared_seat_is_held_by_its_pool_and_people_appear_once() -> None:
    seat = Seat("lit-carer", "lit", "Carers' voice", places=1, pool=(PoolMember("pat"),))
    people = expected_attendees(LIT, [seat], meeting(guests=("pat",)), [])
    [pat] = [a for a in people if a.person == "pat"]
    assert pat.capacity == "Carers' voice; chair; guest"
    assert pat.voting and not pat.if_attending


def test_meeting_date_is_taken_in_the_body_time_zone() -> None:
    late = replace(meeting(), start=dt.datetime(2027, 6, 30, 23, 30, tzinfo=dt.UTC))
    assert meeting_day(late, "Europe/London") == D(2027, 7, 1)
    assert meeting_day(late, "UTC") == D(2027, 6, 30)


# --------------------------------------------------------------------------- flags


def test_a_bidder_is_excluded_with_a_path_a_person_can_check() -> None:
    m = meeting(
        item(
            "5",
            "Award of the community substance-misuse contract",
            ItemKind.CONTRACT_AWARD,
            references=("T-2027-014",),
        )
    )
    flags = flags_of(run(m), "5")
    assert set(flags) == {"sam"}
    sam = flags["sam"]
    assert sam.action is Action.EXCLUDE and sam.if_attending
    [path] = sam.paths
    assert str(path) == (
        "Sam Reed -> chief executive of Harbour -> Harbour bids for tender T-2027-014 "
        "from NHS Plymouth -> item 5 names T-2027-014"
    )
    assert (path.link, path.basis, path.interest) == (
        LinkKind.AFFILIATION,
        MatchBasis.REFERENCE,
        "harbour-tender-2027-014",
    )
    assert path.rule.startswith("rule 5: exclude")


def test_one_persons_flags_and_the_fail_on_threshold() -> None:
    m = meeting(
        item("5", "Award of the contract", ItemKind.CONTRACT_AWARD, references=("T-2027-014",))
    )
    result = run(m)
    assert result.asks_at_least(Action.EXCLUDE)
    assert not result.asks_at_least(Action.NONE)  # "none" never fails a check
    mine = result.for_person("sam")
    assert [f.person for f in mine.flags] == ["sam"]
    assert mine.for_person("nobody").flags == ()
    assert not mine.for_person("nobody").asks_at_least(Action.DECLARE)
    assert [i.quorum for i in mine.items] == [i.quorum for i in result.items]


def test_every_path_is_listed_and_the_strongest_wins() -> None:
    m = meeting(
        item(
            "3",
            "Crisis house procurement",
            ItemKind.PROCUREMENT,
            text="Bids from Plymouth CYP Collaborative CIC and Routeways Centre.",
            service_areas=("mental-health",),
        )
    )
    flags = flags_of(run(m), "3")
    ruth = flags["ruth"]
    texts = [str(p) for p in ruth.paths]
    assert ruth.action is Action.WITHDRAW
    assert (
        "Ruth Marriott -> chief executive of The Zone -> The Zone is a member of Plymouth CYP "
        "Collaborative CIC -> Plymouth CYP Collaborative CIC bids for tender T-2027-020 from "
        'NHS Plymouth -> item 3 names Plymouth CYP Collaborative CIC ("Plymouth CYP '
        'Collaborative CIC" in its text)'
    ) in texts
    assert any(t.startswith("Ruth Marriott is a trustee of Routeways Centre Ltd") for t in texts)
    assert [p.action.strength for p in ruth.paths] == sorted(
        (p.action.strength for p in ruth.paths), reverse=True
    )
    assert set(ruth.categories) == {Category.FINANCIAL, Category.NON_FINANCIAL_PROFESSIONAL}
    assert {p.link for p in ruth.paths} >= {LinkKind.OWN, LinkKind.RELATION}
    # Plymouth Mind's adult mental-health contract lies in the item's field.
    assert flags["lee"].action is Action.WITHDRAW
    assert flags["lee"].bases == (MatchBasis.SERVICE_AREA,)
    # Jo's role in the named Routeways counts though Routeways declared nothing.
    assert flags["jo"].action is Action.EXCLUDE and flags["jo"].paths[0].interest is None


def test_name_alias_identifier_and_fuzzy_bases() -> None:
    m = meeting(
        item("1", "Zone Plymouth performance", ItemKind.PERFORMANCE_REVIEW),
        item("2", "Grant to charity GB-CHC-1000002", ItemKind.DECISION),
        item("3", "Routeweys Centre expansion", ItemKind.DECISION),
        item("4", "Harbour", ItemKind.DECISION, organisations=("the-zone",)),
    )
    result = run(m)
    [zone_path] = flags_of(result, "1")["ruth"].paths
    assert zone_path.basis is MatchBasis.ALIAS
    assert "other name" in str(zone_path)
    assert flags_of(result, "2")["sam"].bases == (MatchBasis.IDENTIFIER,)
    jo = flags_of(result, "3")["jo"]
    assert jo.bases == (MatchBasis.FUZZY,) and jo.needs_check
    assert jo.paths[0].score is not None and 90 <= jo.paths[0].score < 100
    assert "fuzzy match, score" in str(jo.paths[0])
    assert set(flags_of(result, "4")) == {"ruth", "sam"}
    assert flags_of(result, "4")["ruth"].paths[0].basis is MatchBasis.NAMED


def test_shared_identifier_links_two_records_of_one_body() -> None:
    dup = Organisation(
        "harbour-charity",
        "Harbour Charitable Trust",
        identifiers=(Identifier("GB-CHC", "1000002"),),
    )
    m = meeting(item("1", "Contract variation", organisations=("harbour-charity",)))
    reg = register(m, organisations=(*ORGS, dup))
    sam = flags_of(run(m, reg), "1")["sam"]
    assert sam.bases == (MatchBasis.IDENTIFIER,)
    assert "shares identifier GB-CHC-1000002" in str(sam.paths[0])


def test_fuzzy_match_below_the_threshold_flags_nobody() -> None:
    m = meeting(
        item("3", "Routeweys Centre expansion", ItemKind.DECISION, service_areas=("housing",))
    )
    assert set(flags_of(run(m), "3")) == {"jo", "ruth"}
    assert flags_of(run(m, fuzzy_threshold=99.5), "3") == {}


def test_unrelated_item_produces_no_flags() -> None:
    m = meeting(
        item("9", "Parks maintenance budget", ItemKind.DECISION, service_areas=("environment",)),
        item("10", "Minutes of the last meeting", ItemKind.INFORMATION),
    )
    result = run(m)
    assert result.flags == ()
    assert not any(i.inquorate for i in result.items)


def test_interests_outside_their_dates_produce_no_flags() -> None:
    m = meeting(item("5", "Tender award", ItemKind.CONTRACT_AWARD, references=("T-2027-014",)))
    ended = replace(HARBOUR_TENDER, end=D(2027, 1, 13))
    future = replace(HARBOUR_TENDER, start=D(2027, 1, 15))
    last_day = replace(HARBOUR_TENDER, end=D(2027, 1, 14))
    for interest, flagged in ((ended, False), (future, False), (last_day, True)):
        reg = register(m, interests=(interest,))
        assert bool(flags_of(run(m, reg), "5")) is flagged


def test_affiliations_and_relations_outside_their_dates_are_not_travelled() -> None:
    m = meeting(
        item("3", "Crisis house award", ItemKind.CONTRACT_AWARD, references=("T-2027-020",))
    )
    assert set(flags_of(run(m), "3")) == {"ruth", "sam"}
    ended_relations = tuple(replace(r, end=D(2026, 12, 31)) for r in RELATIONS)
    assert flags_of(run(m, register(m, relations=ended_relations)), "3") == {}
    ended_affs = tuple(
        replace(a, end=D(2026, 12, 31)) if a.person == "ruth" else a for a in AFFILIATIONS
    )
    # Ruth's role at The Zone has ended; she still sits for it on the seat, and only that
    # link remains.
    ruth = flags_of(run(m, register(m, affiliations=ended_affs)), "3")["ruth"]
    assert all(str(p).startswith("Ruth Marriott -> sits for The Zone") for p in ruth.paths)
    pool = tuple(replace(p, on_behalf_of=None) for p in VCS_SEAT.pool)
    reg = register(m, affiliations=ended_affs, seats=(replace(VCS_SEAT, pool=pool),))
    assert set(flags_of(run(m, reg), "3")) == {"sam"}


def test_a_members_interests_do_not_reach_the_other_members() -> None:
    # Harbour and The Zone share the CIC; Harbour's own tender is not The Zone's business.
    m = meeting(item("5", "Tender award", ItemKind.CONTRACT_AWARD, references=("T-2027-014",)))
    assert set(flags_of(run(m), "5")) == {"sam"}


def test_cycles_in_relations_end() -> None:
    loop = (
        Relation("a", "the-zone", RelationKind.MEMBER_OF, "cyp-cic"),
        Relation("b", "cyp-cic", RelationKind.MEMBER_OF, "change-up"),
        Relation("c", "change-up", RelationKind.MEMBER_OF, "the-zone"),
        Relation("d", "cyp-cic", RelationKind.MEMBER_OF, "the-zone"),
    )
    bid = Interest(
        "changeup-bid",
        Category.FINANCIAL,
        InterestKind.BIDDING_FOR_TENDER,
        "Infrastructure support bid",
        organisation="change-up",
        references=("T-2027-099",),
    )
    m = meeting(item("7", "Award", ItemKind.CONTRACT_AWARD, references=("T-2027-099",)))
    reg = register(m, relations=loop, interests=(bid,))
    [path] = flags_of(run(m, reg), "7")["ruth"].paths
    assert str(path).startswith(
        "Ruth Marriott -> chief executive of The Zone -> The Zone is a member of Plymouth CYP "
        "Collaborative CIC -> Plymouth CYP Collaborative CIC is a member of Change Up Consortium"
    )


def test_interests_travel_between_parent_and_subsidiary_both_ways() -> None:
    orgs = (*ORGS, Organisation("harbour-group", "Harbour Group"))
    group_bid = Interest(
        "group-bid",
        Category.FINANCIAL,
        InterestKind.BIDDING_FOR_TENDER,
        "x",
        organisation="harbour-group",
        references=("T-1",),
    )
    sub_bid = replace(group_bid, id="sub-bid", organisation="harbour", references=("T-2",))
    rel = Relation("h", "harbour", RelationKind.SUBSIDIARY_OF, "harbour-group")
    affs = (*AFFILIATIONS, Affiliation("guest.group", "guest", "harbour-group", "director"))
    m = meeting(
        item("1", "Award", ItemKind.CONTRACT_AWARD, references=("T-1",)),
        item("2", "Award", ItemKind.CONTRACT_AWARD, references=("T-2",)),
        guests=("guest",),
    )
    reg = register(
        m, organisations=orgs, relations=(rel,), interests=(group_bid, sub_bid), affiliations=affs
    )
    result = run(m, reg)
    assert set(flags_of(result, "1")) == {"sam", "guest"}
    assert "Harbour is a subsidiary of Harbour Group" in str(flags_of(result, "1")["sam"].paths[0])
    assert set(flags_of(result, "2")) == {"sam", "guest"}
    assert "Harbour Group is the parent of Harbour" in str(flags_of(result, "2")["guest"].paths[0])
    assert flags_of(result, "2")["guest"].paths[0].link is LinkKind.RELATION


def test_commissioner_links_only_where_the_item_does_not_say_otherwise() -> None:
    no_area = replace(MIND_CONTRACT, service_areas=())
    m = meeting(
        item("1", "Budget allocation 2027/28", ItemKind.DECISION),
        item("2", "Youth work plan", ItemKind.DECISION, service_areas=("children-young-people",)),
        item("3", "NHS Plymouth commissioning intentions", ItemKind.DISCUSSION),
    )
    result = run(m, register(m, interests=(no_area,)))
    lee = flags_of(result, "1")["lee"]
    assert lee.action is Action.DECLARE and lee.bases == (MatchBasis.COMMISSIONER,)
    assert str(lee.paths[0]).endswith("item 1 is commissioned by NHS Plymouth")
    with_area = run(m, register(m, interests=(MIND_CONTRACT,)))
    assert flags_of(with_area, "2") == {}
    # Naming the commissioner links nobody, not even its own staff.
    assert "pat" not in flags_of(result, "3")


def test_own_interest_by_counterparty_and_the_sentence() -> None:
    shares = Interest(
        "kim-shares",
        Category.FINANCIAL,
        InterestKind.SHAREHOLDING,
        "Shares",
        person="kim",
        counterparties=("routeways",),
    )
    m = meeting(item("4", "Contract award", ItemKind.CONTRACT_AWARD, organisations=("routeways",)))
    kim = flags_of(run(m, register(m, interests=(shares,))), "4")["kim"]
    assert kim.action is Action.EXCLUDE
    assert [str(p) for p in kim.paths] == [
        "Kim Shah holds shares in Routeways Centre Ltd -> item 4 names Routeways Centre Ltd"
    ]
    assert kim.paths[0].link is LinkKind.OWN and not kim.if_attending


def test_quorum_counts_voting_members_left_after_withdrawals() -> None:
    m = meeting(
        item("3", "Crisis house award", ItemKind.CONTRACT_AWARD, references=("T-2027-020",)),
        item("4", "Crisis house", ItemKind.DISCUSSION, references=("T-2027-020",)),
    )
    result = run(m)
    award, talk = result.items
    # pat + kim + 2 shared places; ruth and sam withdraw, jo and lee still fill the places.
    assert (award.voting_expected, award.voting_left, award.quorum) == (4, 4, 3)
    assert not award.inquorate
    slots = [RotaSlot("lit-vcs", m.id, "ruth"), RotaSlot("lit-vcs", m.id, "sam")]
    rostered = expected_attendees(LIT, [VCS_SEAT], m, slots)
    result = check_meeting(register(m), m, POLICY, rostered)
    award, talk = result.items
    assert (award.voting_expected, award.voting_left) == (4, 2)
    assert award.inquorate and result.inquorate_items == ("3",)
    # A discussion asks only no-vote of them, which the default policy still counts.
    assert not talk.inquorate and talk.voting_left == 4


def test_a_policy_can_count_no_vote_out_of_the_quorum() -> None:
    strict = policy_from_dict(
        {"quorum_without": ["exclude", "withdraw", "no-vote"], "default": "no-vote"}, "s.yaml"
    )
    m = meeting(item("4", "Crisis house", ItemKind.DISCUSSION, references=("T-2027-020",)))
    slots = [RotaSlot("lit-vcs", m.id, "ruth"), RotaSlot("lit-vcs", m.id, "sam")]
    rostered = expected_attendees(LIT, [VCS_SEAT], m, slots)
    [talk] = check_meeting(register(m), m, strict, rostered).items
    assert talk.voting_left == 2 and talk.inquorate


def test_index_can_be_reused_across_meetings() -> None:
    m = meeting(item("5", "Tender", ItemKind.CONTRACT_AWARD, references=("T-2027-014",)))
    index = RegisterIndex(register(m))
    attendees = expected_attendees(LIT, [VCS_SEAT], m, [])
    assert check_meeting(index, m, POLICY, attendees) == check_meeting(
        register(m), m, POLICY, attendees
    )


# --------------------------------------------------------------------------- properties

AGENDA = (
    item(
        "1",
        "Crisis house procurement",
        ItemKind.PROCUREMENT,
        text="Bids from Plymouth CYP Collaborative CIC and Routeweys Centre",
        service_areas=("mental-health",),
    ),
    item("2", "Substance misuse award", ItemKind.CONTRACT_AWARD, references=("T-2027-014",)),
    item("3", "Budget", ItemKind.DECISION),
    item("4", "Zone Plymouth update", ItemKind.INFORMATION, service_areas=("housing",)),
    item("5", "Parks", ItemKind.DISCUSSION, service_areas=("environment",)),
)
HOLDERS = [o.id for o in ORGS] + [p.id for p in PEOPLE]
AREAS = ["mental-health", "mental-health/adult", "substance-misuse", "housing", "environment"]


@st.composite
def interests(draw: st.DrawFn) -> Interest:
    holder = draw(st.sampled_from(HOLDERS))
    is_person = holder in {p.id for p in PEOPLE}
    start = draw(st.none() | st.dates(D(2026, 1, 1), D(2027, 12, 31)))
    return Interest(
        f"x-{draw(st.integers(0, 10**6))}",
        draw(st.sampled_from(list(Category))),
        draw(st.sampled_from(list(InterestKind))),
        "generated",
        person=holder if is_person else None,
        organisation=None if is_person else holder,
        service_areas=tuple(draw(st.lists(st.sampled_from(AREAS), max_size=2))),
        counterparties=tuple(draw(st.lists(st.sampled_from([o.id for o in ORGS]), max_size=2))),
        references=tuple(draw(st.lists(st.sampled_from(["T-2027-014", "T-9"]), max_size=1))),
        start=start,
        end=draw(st.none() | st.dates(D(2026, 1, 1), D(2028, 1, 1))),
    )


def _summary(result: CheckResult) -> dict[tuple[str, str], int]:
    return {(f.item, f.person): f.action.strength for f in result.flags}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(interests(), max_size=6, unique_by=lambda i: i.id),
    st.randoms(use_true_random=False),
)
def test_flags_do_not_depend_on_input_order(extra: list[Interest], rnd: random.Random) -> None:
    m = meeting(*AGENDA, guests=("guest",))
    reg = register(m, interests=(*INTERESTS, *extra))
    attendees = expected_attendees(LIT, [VCS_SEAT], m, [])
    expected = check_meeting(reg, m, POLICY, attendees)

    def shuffled(values: tuple[T, ...]) -> tuple[T, ...]:
        out = list(values)
        rnd.shuffle(out)
        return tuple(out)

    mixed = replace(
        reg,
        organisations=shuffled(reg.organisations),
        relations=shuffled(reg.relations),
        people=shuffled(reg.people),
        affiliations=shuffled(reg.affiliations),
        interests=shuffled(reg.interests),
    )
    assert check_meeting(mixed, m, POLICY, shuffled(tuple(attendees))) == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(interests(), max_size=4, unique_by=lambda i: i.id), interests())
def test_adding_an_interest_never_removes_or_weakens_a_flag(
    base: list[Interest], added: Interest
) -> None:
    added = replace(added, id="added")  # a new record, not a second copy of an id
    m = meeting(*AGENDA, guests=("guest",))
    attendees = expected_attendees(LIT, [VCS_SEAT], m, [])
    before = check_meeting(register(m, interests=(*INTERESTS, *base)), m, POLICY, attendees)
    after = check_meeting(register(m, interests=(*INTERESTS, *base, added)), m, POLICY, attendees)
    old, new = _summary(before), _summary(after)
    for key, strength in old.items():
        assert key in new and new[key] >= strength


@settings(max_examples=40, deadline=None)
@given(st.lists(interests(), max_size=6))
def test_unrelated_items_never_flag(extra: list[Interest]) -> None:
    # Names no one, no references, an area no interest touches: nothing to flag whatever
    # the register holds. (An interest with no service area at all could be about
    # libraries, so it may link through the commissioner; give each one an area.)
    m = meeting(item("1", "Library opening hours", ItemKind.DECISION, service_areas=("libraries",)))
    extra = [i if i.service_areas else replace(i, service_areas=("housing",)) for i in extra]
    reg = register(m, interests=(*INTERESTS, *extra))
    assert run(m, reg).flags == ()
