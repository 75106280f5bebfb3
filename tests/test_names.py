"""Organisation name normalisation and finding the organisations a text names."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coi.domain.model import Organisation
from coi.domain.names import NameIndex, NameMatch, normalise_name, normalise_text

ORGS = (
    Organisation("the-zone", "The Zone", aliases=("Zone Plymouth",)),
    Organisation("harbour", "Harbour", aliases=("Harbour Drugs Service",)),
    Organisation("harbour-housing", "Harbour Housing Ltd"),
    Organisation("routeways", "Routeways Centre Ltd"),
    Organisation("cyp-cic", "Plymouth CYP Collaborative Community Interest Company"),
    Organisation("childrens-trust", "Children's Trust"),
    Organisation("pcp", "Plymouth Community Partnership"),
    Organisation("nhs-plymouth", "NHS Plymouth"),
)


def names(matches: list[NameMatch]) -> list[tuple[str, str]]:
    return [(m.organisation, m.basis) for m in matches]


def test_case_punctuation_and_ampersand() -> None:
    assert normalise_name("SMITH & JONES") == normalise_name("Smith and Jones")
    assert normalise_name("St. Luke's Hospice") == "st luke hospice"
    assert normalise_text("Harbour\u2019s bid, (Plymouth)") == "harbour bid plymouth"
    assert normalise_name("Café Zoë") == "cafe zoe"


def test_legal_suffixes_are_stripped_at_the_end_only() -> None:
    assert normalise_name("Harbour Ltd") == "harbour"
    assert normalise_name("Harbour Limited") == "harbour"
    assert normalise_name("Routeways CIC") == "routeways"
    assert normalise_name("Routeways C.I.C.") == "routeways"
    assert normalise_name("Routeways Community Interest Company") == "routeways"
    assert normalise_name("Acme plc") == "acme"
    assert normalise_name("Acme LLP") == "acme"
    assert normalise_name("Plymouth Mind CIO") == "plymouth mind"
    assert normalise_name("Smith & Co CIC Ltd") == "smith and co"
    # In the middle a suffix word is part of the name.
    assert normalise_name("CIC Partners") == "cic partners"
    assert normalise_name("Limited Editions Press") == "limited editions press"
    # A name that is only a suffix keeps it rather than becoming nothing.
    assert normalise_name("Ltd") == "ltd"


def test_trust_is_kept_when_it_carries_the_name() -> None:
    assert normalise_name("Children's Trust") == "children trust"
    assert normalise_name("The Children's Trust") == "children trust"
    assert normalise_name("Plymouth Hospitals NHS Trust") == "plymouth hospitals nhs"
    assert normalise_name("The Zone") == "the zone"


def test_finds_a_name_and_an_alias_in_text() -> None:
    index = NameIndex(ORGS)
    found = index.find_named("Update from Zone Plymouth on Harbour's new premises")
    assert names(found) == [("the-zone", "alias"), ("harbour", "name")]
    assert found[1].text == "Harbour's"
    assert found[1].score == 100.0 and found[1].exact


def test_legal_suffix_in_text_still_matches() -> None:
    index = NameIndex(ORGS)
    assert names(index.find_named("a bid from Routeways Centre Limited")) == [("routeways", "name")]
    assert names(index.find_named("Plymouth CYP Collaborative CIC has bid")) == [
        ("cyp-cic", "name")
    ]


def test_longer_name_hides_the_shorter_one_inside_it() -> None:
    index = NameIndex(ORGS)
    assert names(index.find_named("Harbour Housing Ltd wins")) == [("harbour-housing", "name")]


def test_generic_words_do_not_name_an_organisation() -> None:
    index = NameIndex(ORGS)
    assert index.find_named("children's services in the exclusion zone") == []
    assert index.find_named("") == []


def test_fuzzy_match_is_labelled_with_its_score() -> None:
    index = NameIndex(ORGS)
    [match] = index.find_named("the Plymouth Communities Partnership met")
    assert match.organisation == "pcp"
    assert match.basis == "fuzzy" and not match.exact
    assert 90 <= match.score < 100
    assert match.text == "Plymouth Communities Partnership"


def test_misspelt_rare_word_is_still_found() -> None:
    index = NameIndex(ORGS)
    [match] = index.find_named("Routeweys Centre bid")
    assert (match.organisation, match.basis) == ("routeways", "fuzzy")


def test_fuzzy_match_below_threshold_is_dropped() -> None:
    index = NameIndex(ORGS)
    [match] = index.find_named("Plymouth Communities Partnership")
    assert index.find_named("Plymouth Communities Partnership", threshold=match.score + 1) == []
    assert index.find_named("Plymouth Communities Partnership", fuzzy=False) == []


def test_common_words_do_not_pull_in_fuzzy_candidates() -> None:
    # 40 organisations share "community"; the word alone must not be scored against them.
    many = [Organisation(f"o{i}", f"Community Group {i}") for i in range(40)]
    index = NameIndex(many)
    assert index.find_named("Community Grup 7") == []
    assert index._rare_neighbours("community") == set()


def test_lookup_by_name() -> None:
    index = NameIndex(ORGS)
    assert index.lookup("HARBOUR LIMITED") == ["harbour"]
    assert index.lookup("nobody") == []


@settings(max_examples=40, deadline=None)
@given(st.permutations(ORGS))
def test_matches_do_not_depend_on_organisation_order(orgs: list[Organisation]) -> None:
    text = (
        "Zone Plymouth, Harbour Housing Ltd, Routeweys Centre and Plymouth Communities Partnership"
    )
    assert NameIndex(orgs).find_named(text) == NameIndex(ORGS).find_named(text)


# -- names as people write them (issue 11)

PEOPLES = (
    Organisation("st-lukes", "St Luke's Hospice Plymouth"),
    Organisation("barnardos", "Barnardo's"),
    Organisation("young-devon", "Young Devon"),
    Organisation("age-uk-plymouth", "Age UK Plymouth"),
    Organisation("healthwatch", "Healthwatch Plymouth"),
    Organisation("memory", "Memory Matters South West"),
    Organisation("act", "Access to Community Transport"),
    Organisation("prt", "Plym Recovery Trust"),
    Organisation("dpt", "Devon Partnership NHS Trust"),
    Organisation("pcp", "Plymouth Community Partnership", aliases=("PCP",)),
    Organisation("careers", "Careers South West Ltd"),
    Organisation("carers", "Devon Carers"),
    Organisation("argyle", "Plymouth Argyle Community Trust"),
    Organisation("trevi", "Trevi House"),
)


def found_in(text: str, orgs: tuple[Organisation, ...] = PEOPLES) -> list[tuple[str, str]]:
    return names(NameIndex(orgs).find_named(text))


def test_the_three_misses_are_found_and_labelled_fuzzy_with_a_score() -> None:
    index = NameIndex(PEOPLES)
    for text, org in (
        ("Update from St Lukes Hospice on beds", "st-lukes"),
        ("Barnados family support", "barnardos"),
        ("Youngdevon contract", "young-devon"),
    ):
        [match] = index.find_named(text)
        assert (match.organisation, match.basis) == (org, "fuzzy")
        assert 90 <= match.score < 100
    # Written in camel case, the words are the name's own: an exact match.
    assert found_in("YoungDevon contract") == [("young-devon", "name")]


def test_a_dropped_distinctive_word_or_a_substituted_word_is_no_match() -> None:
    assert found_in("Plymouth Hospice bed numbers") == []
    assert found_in("St Luke's Church Plymouth hall hire") == []
    assert found_in("St Luke's Primary School governors") == []
    assert found_in("St Luke's Hospice Exeter") == []
    assert found_in("Age UK Cornwall") == []
    assert found_in("Young Cornwall") == []
    assert found_in("Plymouth Partnership") == []  # every word generic: none may go
    assert found_in("Plymouth Argyle Football Club") == []
    assert found_in("Trevi Fountain House") == []


def test_dropped_places_and_generic_words_saint_split_and_joined_words() -> None:
    assert found_in("Saint Luke's Hospice") == [("st-lukes", "fuzzy")]
    assert found_in("St Luke's Hospice Plymouth") == [("st-lukes", "name")]
    assert found_in("Saint Luke's Hospice Plymouth") == [("st-lukes", "name")]
    assert found_in("Health Watch Plymouth report") == [("healthwatch", "fuzzy")]
    assert found_in("Memory Matters dementia cafe") == [("memory", "fuzzy")]
    assert found_in("Argyle Community Trust schools") == [("argyle", "fuzzy")]
    assert found_in("Trevi House CIO") == [("trevi", "name")]


def test_a_misspelling_of_one_word_keeps_its_first_and_last_letters() -> None:
    assert found_in("Barnardos") == [("barnardos", "fuzzy")]
    assert found_in("a visit to Barnard Castle") == []


def test_a_word_of_another_name_is_not_a_misspelling() -> None:
    assert found_in("Carers South West") == []
    assert found_in("Careers Southwest") == [("careers", "fuzzy")]


def test_lower_case_prose_is_no_fuzzy_name() -> None:
    assert found_in("memory matters to all of us") == []
    assert found_in("Memory Matters to all of us") == [("memory", "fuzzy")]


def test_initials_only_in_capitals_as_a_word_of_their_own() -> None:
    # Case decides: "ACT" in a text with lower-case letters is written as initials;
    # "act" and "Act" are the word; letters inside a word never count.
    assert found_in("the ACT minibus contract") == [("act", "fuzzy")]
    assert found_in("under the Care Act 2014") == []
    assert found_in("we must act now") == []
    assert found_in("an ACTION plan") == []
    # In a text all in capitals every word looks like initials, so none is taken as such.
    assert found_in("ACT NOW ON TRANSPORT") == []
    assert found_in("PRT recovery cafe") == [("prt", "fuzzy")]
    assert found_in("DPT crisis team") == [("dpt", "fuzzy")]
    # The score says how much three letters are a guess.
    [match] = NameIndex(PEOPLES).find_named("the ACT bid")
    assert match.name == "Access to Community Transport" and 90 <= match.score < 100


def test_initials_that_two_organisations_share_or_everyday_acronyms_name_nobody() -> None:
    orgs = (
        Organisation("a", "Plymouth Recovery Trust"),
        Organisation("b", "Plym River Trust"),
        Organisation("n", "National Health Society"),
    )
    assert found_in("PRT update", orgs) == []
    assert found_in("NHS update", orgs) == []


def test_a_declared_acronym_names_only_where_written_in_capitals() -> None:
    assert found_in("PCP annual meeting") == [("pcp", "alias")]
    assert found_in("the pcp annual meeting") == []
    assert found_in("THE PCP ANNUAL MEETING") == [("pcp", "alias")]


def test_fuzzy_scoring_stays_with_the_candidates_a_rare_word_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Matching stays indexed: 2,000 organisations, and a text naming one of them with a
    # dropped word aligns only the names that share a rare word with it.
    import coi.domain.names as names_module

    orgs = [Organisation(f"o{i}", f"Zorb{i:04d} Hospice Plymouth") for i in range(2000)]
    index = NameIndex([*orgs, *PEOPLES])
    calls: list[object] = []
    real = names_module.align

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(names_module, "align", counting)
    found = index.find_named("Update from St Lukes Hospice on beds")
    assert [m.organisation for m in found] == ["st-lukes"]
    assert len(calls) <= 3
