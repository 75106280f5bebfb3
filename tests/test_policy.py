"""The conflicts policy: reading and checking policy files, and what the default asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coi.domain.policy import (
    DEFAULT_TRAVEL,
    LinkKind,
    MatchBasis,
    Travel,
    default_policy_path,
    load_policy,
    policy_from_dict,
)
from coi.domain.words import Action, Category, ItemKind
from coi.errors import InputFileError
from coi.formats.yamlread import read_policy

DEFAULT = load_policy()
DIRECT = [MatchBasis.NAMED, MatchBasis.IDENTIFIER, MatchBasis.ALIAS, MatchBasis.REFERENCE]


def test_default_policy_is_the_packaged_file() -> None:
    assert default_policy_path().name == "policy.yaml"
    assert default_policy_path().is_file()
    assert DEFAULT.source == str(default_policy_path())
    assert "NHS England" in DEFAULT.name
    assert DEFAULT.travel == DEFAULT_TRAVEL
    assert DEFAULT.quorum_without == {Action.EXCLUDE, Action.WITHDRAW}
    assert DEFAULT.role_category is Category.FINANCIAL


@pytest.mark.parametrize("basis", DIRECT)
@pytest.mark.parametrize("kind", [ItemKind.PROCUREMENT, ItemKind.CONTRACT_AWARD])
def test_a_bidder_is_excluded_from_the_procurement(basis: MatchBasis, kind: ItemKind) -> None:
    for link in (LinkKind.OWN, LinkKind.AFFILIATION):
        assert DEFAULT.action_for(Category.FINANCIAL, link, kind, basis) is Action.EXCLUDE


def test_default_mirrors_the_guidance() -> None:
    a = DEFAULT.action_for
    fin, prof, pers = (
        Category.FINANCIAL,
        Category.NON_FINANCIAL_PROFESSIONAL,
        Category.NON_FINANCIAL_PERSONAL,
    )
    own, aff, rel = LinkKind.OWN, LinkKind.AFFILIATION, LinkKind.RELATION
    named, area = MatchBasis.NAMED, MatchBasis.SERVICE_AREA
    assert a(fin, aff, ItemKind.DECISION, named) is Action.WITHDRAW
    assert a(fin, aff, ItemKind.PROCUREMENT, area) is Action.WITHDRAW
    assert a(fin, rel, ItemKind.CONTRACT_AWARD, named) is Action.WITHDRAW
    assert a(prof, own, ItemKind.DECISION, named) is Action.NO_VOTE
    assert a(pers, own, ItemKind.DISCUSSION, named) is Action.DECLARE
    assert a(fin, own, ItemKind.INFORMATION, named) is Action.DECLARE
    assert a(fin, own, ItemKind.INFORMATION, area) is Action.NONE
    assert a(fin, aff, ItemKind.PROCUREMENT, MatchBasis.COMMISSIONER) is Action.DECLARE
    assert a(fin, aff, ItemKind.DISCUSSION, MatchBasis.COMMISSIONER) is Action.NONE
    assert a(fin, own, ItemKind.PROCUREMENT, MatchBasis.FUZZY) is Action.EXCLUDE


_combo = st.tuples(
    st.sampled_from(list(Category)),
    st.sampled_from(list(ItemKind)),
    st.sampled_from(list(MatchBasis)),
)


@given(_combo)
def test_default_information_items_ask_for_declare_at_most(
    combo: tuple[Category, ItemKind, MatchBasis],
) -> None:
    category, _, basis = combo
    for link in LinkKind:
        action = DEFAULT.action_for(category, link, ItemKind.INFORMATION, basis)
        assert action.strength <= Action.DECLARE.strength


@given(_combo)
def test_default_indirect_links_are_never_stronger_than_direct(
    combo: tuple[Category, ItemKind, MatchBasis],
) -> None:
    category, kind, basis = combo
    via = DEFAULT.action_for(category, LinkKind.RELATION, kind, basis)
    direct = DEFAULT.action_for(category, LinkKind.AFFILIATION, kind, basis)
    assert via.strength <= direct.strength


def test_first_matching_rule_wins_and_default_applies_otherwise() -> None:
    policy = policy_from_dict(
        {
            "default": "none",
            "rules": [
                {"item_kind": "information", "action": "declare"},
                {"category": "financial", "action": "exclude"},
            ],
        },
        "p.yaml",
    )
    fin, named = Category.FINANCIAL, MatchBasis.NAMED
    assert policy.action_for(fin, LinkKind.OWN, ItemKind.INFORMATION, named) is Action.DECLARE
    assert policy.action_for(fin, LinkKind.OWN, ItemKind.DECISION, named) is Action.EXCLUDE
    assert (
        policy.action_for(Category.INDIRECT, LinkKind.OWN, ItemKind.DECISION, named) is Action.NONE
    )
    assert policy.explain(fin, LinkKind.OWN, ItemKind.DECISION, named).startswith("rule 2: exclude")
    assert policy.explain(Category.INDIRECT, LinkKind.OWN, ItemKind.DECISION, named) == (
        "default: none"
    )


def test_lists_and_settings_are_read() -> None:
    policy = policy_from_dict(
        {
            "travel": ["member_of", "partner_of"],
            "quorum_without": ["exclude", "withdraw", "no-vote"],
            "role_category": None,
            "rules": [{"link": ["own", "relation"], "basis": "reference", "action": "no-vote"}],
        },
        "p.yaml",
    )
    assert policy.travel == {Travel.MEMBER_OF, Travel.PARTNER_OF}
    assert Action.NO_VOTE in policy.quorum_without
    assert policy.role_category is None
    rule = policy.rules[0]
    assert rule.links == {LinkKind.OWN, LinkKind.RELATION}
    assert rule.bases == {MatchBasis.REFERENCE}
    assert rule.categories is None
    assert policy_from_dict({"travel": []}, "p.yaml").travel == frozenset()


def _problems(data: object) -> list[tuple[str | None, str]]:
    with pytest.raises(InputFileError) as caught:
        policy_from_dict(data, "body-policy.yaml")
    assert all(p.file == "body-policy.yaml" for p in caught.value.problems)
    return [(p.field, p.message) for p in caught.value.problems]


def test_unknown_values_name_the_field() -> None:
    problems = _problems(
        {
            "rules": [
                {"category": "financial", "action": "exclude"},
                {"category": ["financial", "monetary"], "action": "sack"},
                {"item_kind": "agm", "link": "cousin", "basis": "vibes", "action": "none"},
            ]
        }
    )
    fields = [f for f, _ in problems]
    assert fields == [
        "rules[2].action",
        "rules[2].category[2]",
        "rules[3].link",
        "rules[3].item_kind",
        "rules[3].basis",
    ]
    assert "unknown value 'sack'" in problems[0][1]
    assert "exclude" in problems[0][1]  # the message lists the choices


def test_structural_problems() -> None:
    assert _problems(["not", "a", "mapping"])[0][0] is None
    problems = _problems(
        {"colour": "red", "default": "maybe", "rules": [{"category": []}, "declare"]}
    )
    fields = [f for f, _ in problems]
    assert fields == ["colour", "default", "rules[1]", "rules[1].category", "rules[2]"]
    assert _problems({"rules": [{"action": "none", "when": "always"}]})[0][0] == "rules[1].when"
    assert _problems({"rules": {"action": "none"}})[0][0] == "rules"


def test_read_policy_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "lit.yaml"
    path.write_text(
        "name: LIT policy\nrules:\n  - category: financial\n    action: exclude\n"
        "  - item_kind: information\n    action: sack\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as caught:
        read_policy(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 6, "rules[2].action")
    assert str(problem).startswith(f"{path}:6: rules[2].action: unknown value 'sack'")


def test_read_policy_reads_a_body_policy(tmp_path: Path) -> None:
    path = tmp_path / "lit.yaml"
    path.write_text("name: strict\ndefault: withdraw\nrules: []\n", encoding="utf-8")
    policy = read_policy(path)
    assert policy.name == "strict"
    assert (
        policy.action_for(Category.INDIRECT, LinkKind.OWN, ItemKind.DISCUSSION, MatchBasis.NAMED)
        is Action.WITHDRAW
    )


def test_read_policy_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        read_policy(tmp_path / "missing.yaml")
    assert caught.value.problems[0].message == "file not found"
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules:\n  - action: [exclude\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_policy(broken)
    assert caught.value.problems[0].line is not None
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text("rules: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(InputFileError):
        read_policy(unsafe)


def test_the_nearest_body_with_a_policy_of_its_own_governs() -> None:
    from coi.domain.model import Body
    from coi.domain.policy import governing_body, policy_label

    trust = Body(id="trust", name="Children's Trust", policy="name: Trust rules\n")
    executive = Body(id="exec", name="Executive", parent="trust")
    group = Body(id="group", name="Group", parent="exec")
    own = Body(id="own", name="Own", parent="trust", policy="rules: []\n")
    loose = Body(id="loose", name="Loose")
    bodies = [trust, executive, group, own, loose]
    assert governing_body("group", bodies) == trust
    assert governing_body("own", bodies) == own
    assert governing_body("loose", bodies) is None
    assert policy_label(group, bodies) == '"Trust rules", from Children\'s Trust (trust)'
    assert policy_label(own, bodies) == "a policy of its own"
    assert policy_label(loose, bodies) == "the default (NHS England's guidance)"


def test_a_cycle_of_parents_ends_the_walk() -> None:
    from coi.domain.model import Body
    from coi.domain.policy import governing_body

    a, b = Body(id="a", name="A", parent="b"), Body(id="b", name="B", parent="a")
    assert governing_body("a", [a, b]) is None


@given(st.sampled_from(Category), st.sampled_from(LinkKind))
def test_routine_items_ask_nothing_of_a_commissioner_link_but_a_named_interest_declares(
    category: Category, link: LinkKind
) -> None:
    """Minutes, apologies, matters arising and AOB decide nothing about a provider."""
    routine = ItemKind.PROCEDURAL
    for basis in (MatchBasis.COMMISSIONER, MatchBasis.SERVICE_AREA):
        assert DEFAULT.action_for(category, link, routine, basis) is Action.NONE
    for basis in (MatchBasis.NAMED, MatchBasis.REFERENCE):
        assert DEFAULT.action_for(category, link, routine, basis) is Action.DECLARE
