"""Organisation name normalisation and finding the organisations a text names."""

from __future__ import annotations

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
