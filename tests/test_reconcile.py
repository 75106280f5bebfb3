"""Reconciling flags with declarations, who may declare what, and what the register is owed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coi.domain.conflicts import Flag
from coi.domain.declarable import within_reach
from coi.domain.declarations import (
    Declaration,
    EntryKind,
    amend_payload,
    declaration_payload,
    effective_declarations,
    retract_payload,
)
from coi.domain.due import (
    DueStatus,
    add_months,
    late_interests,
    people_on_register,
    returns_due,
)
from coi.domain.hashchain import GENESIS, LogEntry, make_entry
from coi.domain.model import (
    Action,
    Affiliation,
    AgendaItem,
    AttendanceStatus,
    Body,
    Category,
    DeclaredAction,
    Interest,
    InterestKind,
    Membership,
    PoolMember,
    Register,
    Relation,
    RelationKind,
    Seat,
)
from coi.domain.reconcile import (
    DECLARED_STRENGTH,
    FindingKind,
    item_key,
    reconcile,
    satisfies,
)

M = "lit-2027-01"
T0 = dt.datetime(2027, 1, 14, 12, 0, tzinfo=dt.UTC)


def flag(person: str, item: str, action: Action = Action.WITHDRAW, **extra: Any) -> Flag:
    return Flag(
        meeting=extra.pop("meeting", M),
        item=item,
        person=person,
        person_name=person.title(),
        action=action,
        paths=(),
        categories=(Category.FINANCIAL,),
        bases=(),
        interests=extra.pop("interests", (f"{person}.interest",)),
        capacity="member",
        voting=True,
        if_attending=extra.pop("if_attending", False),
    )


def decl(
    seq: int,
    person: str,
    item: str | None,
    action: DeclaredAction | None = DeclaredAction.WITHDREW,
    **extra: Any,
) -> Declaration:
    kind = extra.pop("kind", EntryKind.DECLARATION if item else EntryKind.NIL)
    return Declaration(
        seq=seq,
        kind=kind,
        meeting=extra.pop("meeting", M),
        person=person,
        item=item,
        interest=extra.pop("interest", None),
        nature=extra.pop("nature", "trustee" if item else None),
        action=action if kind is EntryKind.DECLARATION else None,
        left=None,
        returned=None,
        reviewed_on=extra.pop("reviewed_on", None),
        nil=kind is EntryKind.NIL or extra.pop("nil", False),
        recorded_at=T0,
        recorded_by="secretary",
        retracted=extra.pop("retracted", False),
    )


# ---- the action scale --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "asked", "ok"),
    [
        (DeclaredAction.LEFT_MEETING, Action.EXCLUDE, True),
        (DeclaredAction.WITHDREW, Action.EXCLUDE, True),
        (DeclaredAction.WITHDREW, Action.WITHDRAW, True),
        (DeclaredAction.NO_VOTE, Action.EXCLUDE, False),
        (DeclaredAction.NO_VOTE, Action.WITHDRAW, False),
        (DeclaredAction.NO_VOTE, Action.NO_VOTE, True),
        (DeclaredAction.REMAINED, Action.WITHDRAW, False),
        (DeclaredAction.REMAINED, Action.NO_VOTE, False),
        (DeclaredAction.REMAINED, Action.DECLARE, True),
        (DeclaredAction.NO_VOTE, Action.DECLARE, True),
    ],
)
def test_declared_actions_map_onto_the_policy_scale(
    declared: DeclaredAction, asked: Action, ok: bool
) -> None:
    assert satisfies(declared, asked) is ok


def test_every_declared_action_has_a_strength() -> None:
    assert set(DECLARED_STRENGTH) == set(DeclaredAction)


def test_item_numbers_sort_in_reading_order() -> None:
    assert sorted(["10", "5.2", "2", "5", "10a", "1"], key=item_key) == [
        "1",
        "2",
        "5",
        "5.2",
        "10",
        "10a",
    ]


# ---- the three kinds of finding ----------------------------------------------------------


def test_a_flag_met_by_a_strong_enough_declaration_reconciles() -> None:
    result = reconcile(M, [flag("jo", "5")], [decl(1, "jo", "5", DeclaredAction.LEFT_MEETING)])
    assert result.clean
    assert result.matched == 1


def test_a_flag_with_no_declaration_is_undeclared_with_a_command_to_record_it() -> None:
    result = reconcile(M, [flag("jo", "5", Action.EXCLUDE)], [], names={"jo": "Jo Bright"})
    (finding,) = result.findings
    assert (finding.kind, finding.item, finding.person, finding.asked) == (
        FindingKind.UNDECLARED,
        "5",
        "jo",
        Action.EXCLUDE,
    )
    assert finding.entries == ()
    assert "Jo Bright (jo)" in finding.advice
    assert f"coi declare {M} --person jo --item 5" in finding.advice


def test_a_nil_declaration_by_someone_flagged_is_undeclared() -> None:
    result = reconcile(M, [flag("jo", "5")], [decl(7, "jo", None)])
    (finding,) = result.findings
    assert finding.kind is FindingKind.UNDECLARED
    assert finding.nil is True
    assert finding.entries == (7,)
    assert "nothing to declare (entry 7)" in finding.advice


def test_a_weaker_action_is_reported_with_what_was_asked() -> None:
    flags = [flag("jo", "5", Action.WITHDRAW), flag("sam", "5", Action.NO_VOTE)]
    made = [
        decl(1, "jo", "5", DeclaredAction.NO_VOTE),
        decl(2, "sam", "5", DeclaredAction.REMAINED),
    ]
    result = reconcile(M, flags, made)
    weaker = result.of_kind(FindingKind.WEAKER)
    assert [(f.person, f.asked, f.declared) for f in weaker] == [
        ("jo", Action.WITHDRAW, DeclaredAction.NO_VOTE),
        ("sam", Action.NO_VOTE, DeclaredAction.REMAINED),
    ]
    assert "did not vote" in weaker[0].advice and "asks withdraw" in weaker[0].advice


def test_the_strongest_of_several_declarations_on_an_item_counts() -> None:
    made = [
        decl(1, "jo", "5", DeclaredAction.REMAINED),
        decl(2, "jo", "5", DeclaredAction.WITHDREW),
    ]
    assert reconcile(M, [flag("jo", "5")], made).clean


def test_an_unflagged_declaration_in_words_says_what_interest_to_add() -> None:
    item = AgendaItem(
        "6", "Crisis house", references=("T-2027-014",), service_areas=("mental-health/adult",)
    )
    made = [decl(3, "tom", "6", nature="partner works at Harbour")]
    result = reconcile(M, [], made, items={"6": item}, names={"tom": "Tom Rowe"})
    (finding,) = result.findings
    assert finding.kind is FindingKind.UNFLAGGED
    assert finding.advice.startswith(
        "add an interest for Tom Rowe (tom) about item 6 (Crisis house) "
        "(nature: partner works at Harbour)"
    )
    assert "reference T-2027-014" in finding.advice
    assert "service area mental-health/adult" in finding.advice


def test_an_unflagged_declaration_of_a_known_interest_says_it_does_not_link() -> None:
    interest = Interest(
        "tom.shares", Category.FINANCIAL, InterestKind.SHAREHOLDING, "Shares", person="tom"
    )
    item = AgendaItem("6", "Crisis house", organisations=("harbour",))
    made = [decl(3, "tom", "6", interest="tom.shares", nature=None)]
    (finding,) = reconcile(
        M, [], made, items={"6": item}, interests={"tom.shares": interest}
    ).findings
    assert finding.interests == ("tom.shares",)
    assert "tom.shares (tom: Shares) is on the register but does not link to item 6" in (
        finding.advice
    )
    assert "counterparty harbour" in finding.advice


def test_a_declaration_on_another_item_than_the_flag_is_both_undeclared_and_unflagged() -> None:
    result = reconcile(M, [flag("jo", "5")], [decl(1, "jo", "4")])
    assert [(f.kind, f.item) for f in result.findings] == [
        (FindingKind.UNFLAGGED, "4"),
        (FindingKind.UNDECLARED, "5"),
    ]


def test_other_meetings_retracted_entries_and_none_actions_are_ignored() -> None:
    flags = [flag("jo", "5"), flag("sam", "5", Action.NONE), flag("al", "5", meeting="other")]
    made = [
        decl(1, "jo", "5", meeting="other"),
        decl(2, "jo", "5", retracted=True),
        decl(3, "pat", "5", kind=EntryKind.RETURN, meeting=None, reviewed_on=dt.date(2027, 1, 1)),
    ]
    result = reconcile(M, flags, made)
    assert [(f.kind, f.person) for f in result.findings] == [(FindingKind.UNDECLARED, "jo")]


# ---- attendance --------------------------------------------------------------------------


def test_people_recorded_absent_are_excused() -> None:
    flags = [flag("jo", "5"), flag("sam", "5"), flag("al", "5")]
    attendance = {
        "jo": AttendanceStatus.APOLOGIES,
        "sam": AttendanceStatus.ABSENT,
        "al": AttendanceStatus.PRESENT,
    }
    result = reconcile(M, flags, [], attendance=attendance)
    assert [f.person for f in result.findings] == ["al"]
    assert result.excused == ("jo", "sam")


def test_if_attending_flags_count_only_if_they_attended() -> None:
    flags = [flag("jo", "5", if_attending=True), flag("sam", "5", if_attending=True)]
    result = reconcile(M, flags, [], attendance={"sam": AttendanceStatus.PRESENT})
    by_person = {f.person: f for f in result.findings}
    assert by_person["jo"].if_attending is True
    assert by_person["jo"].advice.startswith("if they attended: ")
    assert by_person["sam"].if_attending is False
    assert not by_person["sam"].advice.startswith("if they attended")


# ---- with the real log -------------------------------------------------------------------


def chain(*items: tuple[str, dict[str, Any]]) -> list[LogEntry]:
    out: list[LogEntry] = []
    seq, prev = 0, GENESIS
    for kind, payload in items:
        entry = make_entry(
            seq,
            prev,
            recorded_at=T0,
            recorded_by="secretary",
            kind=kind,
            meeting=payload.get("meeting"),
            person=payload.get("person"),
            payload=payload,
        )
        out.append(entry)
        seq, prev = entry.seq, entry.hash
    return out


def test_amendments_and_retractions_in_the_log_are_what_is_reconciled() -> None:
    entries = chain(
        ("declaration", declaration_payload(M, "jo", "5", "remained", nature="trustee")),
        ("declaration", declaration_payload(M, "sam", "5", "withdrew", nature="employee")),
        ("amend", amend_payload(1, {"action": "withdrew"}, reason="minuted wrongly")),
        ("retract", retract_payload(2, "wrong person")),
    )
    # The corrections carry their target's meeting and person, as the store writes them.
    made = effective_declarations(entries)
    result = reconcile(M, [flag("jo", "5"), flag("sam", "5")], made)
    assert [(f.kind, f.person) for f in result.findings] == [(FindingKind.UNDECLARED, "sam")]
    assert result.matched == 1


# ---- properties --------------------------------------------------------------------------

people = st.sampled_from(["al", "jo", "sam", "pat"])
items = st.sampled_from(["2", "3", "5", "5.1", "10"])
actions = st.sampled_from(list(Action))
declared_actions = st.sampled_from(list(DeclaredAction))

flag_sets = st.dictionaries(
    st.tuples(people, items), st.tuples(actions, st.booleans()), max_size=12
)
decl_lists = st.lists(st.tuples(people, st.one_of(st.none(), items), declared_actions), max_size=12)


def build(
    flag_map: dict[tuple[str, str], tuple[Action, bool]],
    decls: list[tuple[str, str | None, DeclaredAction]],
) -> tuple[list[Flag], list[Declaration]]:
    flags = [flag(p, i, a, if_attending=c) for (p, i), (a, c) in flag_map.items()]
    made = [decl(n, p, i, a) for n, (p, i, a) in enumerate(decls, start=1)]
    return flags, made


@settings(max_examples=40, deadline=None)
@given(flag_sets, decl_lists)
def test_every_counted_flag_is_matched_or_found_once(
    flag_map: dict[tuple[str, str], tuple[Action, bool]],
    decls: list[tuple[str, str | None, DeclaredAction]],
) -> None:
    flags, made = build(flag_map, decls)
    result = reconcile(M, flags, made)
    counted = {(f.person, f.item) for f in flags if f.action is not Action.NONE}
    about_flags = [
        (f.person, f.item) for f in result.findings if f.kind is not FindingKind.UNFLAGGED
    ]
    assert len(about_flags) == len(set(about_flags))
    assert set(about_flags) <= counted
    assert result.matched + len(about_flags) == len(counted)
    unflagged = [f for f in result.findings if f.kind is FindingKind.UNFLAGGED]
    expected = [d for d in made if d.item is not None and (d.person, d.item) not in counted]
    assert sorted(f.entries[0] for f in unflagged) == sorted(d.seq for d in expected)
    assert [item_key(f.item) for f in result.findings] == sorted(
        item_key(f.item) for f in result.findings
    )


@settings(max_examples=60, deadline=None)
@given(flag_sets, decl_lists)
def test_leaving_the_room_leaves_nothing_weaker(
    flag_map: dict[tuple[str, str], tuple[Action, bool]],
    decls: list[tuple[str, str | None, DeclaredAction]],
) -> None:
    flags, made = build(flag_map, decls)
    before = reconcile(M, flags, made)
    stronger = [decl(d.seq, d.person or "", d.item, DeclaredAction.LEFT_MEETING) for d in made]
    after = reconcile(M, flags, stronger)
    assert not after.of_kind(FindingKind.WEAKER)
    assert after.of_kind(FindingKind.UNDECLARED) == before.of_kind(FindingKind.UNDECLARED)
    assert after.matched == before.matched + len(before.of_kind(FindingKind.WEAKER))


@settings(max_examples=60, deadline=None)
@given(flag_sets, decl_lists)
def test_when_everyone_sent_apologies_only_unflagged_declarations_remain(
    flag_map: dict[tuple[str, str], tuple[Action, bool]],
    decls: list[tuple[str, str | None, DeclaredAction]],
) -> None:
    flags, made = build(flag_map, decls)
    away = dict.fromkeys(["al", "jo", "sam", "pat"], AttendanceStatus.APOLOGIES)
    result = reconcile(M, flags, made, attendance=away)
    assert {f.kind for f in result.findings} <= {FindingKind.UNFLAGGED}
    assert set(result.excused) == {f.person for f in flags if f.action is not Action.NONE}


# ---- who may declare which interest ------------------------------------------------------


def test_reach_goes_up_to_consortia_not_across_to_fellow_members() -> None:
    affiliations = [Affiliation("a1", "priya", "plym-recovery", "chief executive")]
    relations = [
        Relation("r1", "plym-recovery", RelationKind.MEMBER_OF, "assembly"),
        Relation("r2", "harbour", RelationKind.MEMBER_OF, "assembly"),
        Relation("r3", "plym-recovery", RelationKind.PARTNER_OF, "cattewater"),
        Relation("r4", "sub", RelationKind.SUBSIDIARY_OF, "cattewater"),
        Relation("r5", "assembly", RelationKind.MEMBER_OF, "plym-recovery"),  # a cycle
    ]
    reach = within_reach("priya", affiliations, relations)
    assert reach == {"priya", "plym-recovery", "assembly", "cattewater", "sub"}
    assert "harbour" not in reach
    # Acting for an organisation counts like a role in it.
    assert "harbour" in within_reach("priya", affiliations, relations, acting_for=["harbour"])
    assert within_reach("nobody", affiliations, relations) == {"nobody"}


# ---- what the register is owed -----------------------------------------------------------


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2026, 11, 25), 14) == dt.date(2028, 1, 25)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)), st.integers(1, 60))
def test_add_months_moves_by_whole_months(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or later.day < day.day
    assert 28 * months <= (later - day).days <= 31 * months


def register() -> Register:
    body = Body(
        "lit",
        "LIT",
        members=(
            Membership("chair"),
            Membership("gone", end=dt.date(2025, 12, 31)),
        ),
    )
    seat = Seat("lit-vcs", "lit", "VCS", pool=(PoolMember("pool1"), PoolMember("pool2")))
    old_seat = Seat("old", "lit", "Old", pool=(PoolMember("former"),), term_end=dt.date(2020, 1, 1))
    interests = (
        Interest("holder.x", Category.FINANCIAL, InterestKind.OTHER, "x", person="holder"),
        Interest(
            "ended.x",
            Category.FINANCIAL,
            InterestKind.OTHER,
            "x",
            person="ended",
            end=dt.date(2026, 1, 1),
        ),
    )
    return Register(bodies=(body,), seats=(seat, old_seat), interests=interests)


def test_people_on_the_register_are_members_pools_and_holders_now() -> None:
    assert people_on_register(register(), dt.date(2026, 11, 25)) == [
        "chair",
        "holder",
        "pool1",
        "pool2",
    ]


def ret(seq: int, person: str, day: dt.date, **extra: Any) -> Declaration:
    return decl(seq, person, None, kind=EntryKind.RETURN, meeting=None, reviewed_on=day, **extra)


def test_returns_due_lists_the_never_and_the_overdue() -> None:
    as_of = dt.date(2026, 11, 25)
    returns = [
        ret(1, "chair", dt.date(2025, 11, 24)),  # twelve months and a day ago
        ret(2, "pool1", dt.date(2025, 11, 25)),  # exactly twelve months: not yet over
        ret(3, "pool2", dt.date(2024, 1, 1)),
        ret(4, "pool2", dt.date(2026, 6, 1), nil=True),  # the latest counts
        ret(5, "holder", dt.date(2026, 12, 1)),  # after the as-of date: not made yet
    ]
    due = {r.person: r for r in returns_due(register(), returns, as_of)}
    assert set(due) == {"chair", "holder"}
    assert due["chair"].status is DueStatus.OVERDUE
    assert (due["chair"].last, due["chair"].due, due["chair"].days_overdue) == (
        dt.date(2025, 11, 24),
        dt.date(2026, 11, 24),
        1,
    )
    assert due["chair"].last_entry == 1
    assert due["holder"].status is DueStatus.NEVER
    assert due["holder"].last is None
    # Every six months instead: pool1 (November 2025) is overdue too; pool2 (June) is not.
    six = {r.person for r in returns_due(register(), returns, as_of, months=6)}
    assert six == {"chair", "holder", "pool1"}


def test_retracted_returns_do_not_count() -> None:
    returns = [ret(1, "chair", dt.date(2026, 10, 1), retracted=True)]
    due = {r.person: r.status for r in returns_due(register(), returns, dt.date(2026, 11, 25))}
    assert due["chair"] is DueStatus.NEVER


def interest(iid: str, start: dt.date | None, declared: dt.date | None) -> Interest:
    return Interest(
        iid,
        Category.FINANCIAL,
        InterestKind.OTHER,
        "x",
        organisation="org",
        start=start,
        declared_on=declared,
    )


def test_late_and_undeclared_interests() -> None:
    d = dt.date
    reg = Register(
        interests=(
            interest("on-time", d(2026, 1, 1), d(2026, 1, 29)),  # day 28: in time
            interest("late", d(2026, 1, 1), d(2026, 1, 30)),  # day 29: one day late
            interest("missing-old", d(2026, 1, 1), None),
            interest("missing-new", d(2026, 11, 20), None),  # still inside its 28 days
            interest("undated", None, None),
            interest("future", d(2027, 4, 1), None),
            interest("declared-later", d(2026, 1, 1), d(2026, 12, 20)),
        )
    )
    found = {x.interest: x for x in late_interests(reg, d(2026, 11, 25))}
    assert set(found) == {"late", "missing-old", "undated", "declared-later"}
    assert (found["late"].status, found["late"].days_late) == (DueStatus.LATE, 1)
    assert found["late"].due == d(2026, 1, 29)
    assert found["missing-old"].status is DueStatus.UNDECLARED
    assert found["missing-old"].days_late == (d(2026, 11, 25) - d(2026, 1, 29)).days
    assert found["undated"].days_late is None
    # Declared after the as-of date: on that day it had not been declared.
    assert found["declared-later"].status is DueStatus.UNDECLARED
    assert found["declared-later"].holder == "org"


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
    st.integers(0, 400),
)
def test_an_interest_is_late_exactly_when_declared_after_28_days(
    start: dt.date, after: int
) -> None:
    declared = start + dt.timedelta(days=after)
    reg = Register(interests=(interest("i", start, declared),))
    found = late_interests(reg, declared)
    assert bool(found) is (after > 28)
    if found:
        assert found[0].days_late == after - 28
