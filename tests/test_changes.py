"""Changes: one edit of one record, read from options by name and applied one way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from coi.domain.words import OrgKind
from coi.errors import UsageError
from coi.services.changes import Changes, stem


def test_options_are_read_by_the_names_of_the_record_s_fields() -> None:
    changes = Changes.of(
        "organisations",
        {
            "name": "Harbour",
            "kind": None,  # not given
            "add_alias": ["HDAS"],
            "remove_service_area": ["housing"],
            "notes": "",
        },
    )
    assert changes == Changes(
        set={"name": "Harbour", "notes": ""},
        add={"aliases": ["HDAS"]},
        remove={"service_areas": ["housing"]},
    )
    assert Changes.of("bodies", {"no_parent": True, "no_quorum": False}).clear == {"parent"}
    assert not Changes.of("people", {"name": None, "email": None})


def test_an_option_that_names_no_field_is_a_mistake_in_the_command() -> None:
    with pytest.raises(KeyError, match="add_colour"):
        Changes.of("organisations", {"add_colour": ["red"]})


def test_list_options_are_named_after_one_of_the_list() -> None:
    assert [stem(n) for n in ("aliases", "counterparties", "references", "pool")] == [
        "alias",
        "counterparty",
        "reference",
        "pool",
    ]
    assert stem("organisations") == "org"  # --add-org on an agenda item


def test_apply_sets_clears_adds_and_takes_out_in_the_file_s_terms() -> None:
    data: dict[str, Any] = {"name": "Old", "quorum": 5, "aliases": ["A", "B"]}
    Changes(
        set={"kind": OrgKind.CONSORTIUM, "founded": dt.date(2020, 4, 1)},
        add={"aliases": ["C", "C", "A"]},
        remove={"aliases": ["B"]},
        clear=frozenset({"quorum"}),
    ).apply(data)
    assert data == {
        "name": "Old",
        "kind": "consortium",
        "founded": "2020-04-01",
        "aliases": ["A", "C"],
    }


def test_taking_out_a_value_that_is_not_there_says_so() -> None:
    with pytest.raises(UsageError, match=r"--remove-service-area: 'x' is not in \['y'\]"):
        Changes(remove={"service_areas": ["x"]}).apply({"service_areas": ["y"]})
    # The error names the option as typed: --remove-alias, not --remove-aliase.
    with pytest.raises(UsageError, match=r"^--remove-alias: 'x' is not in \['y'\]"):
        Changes(remove={"aliases": ["x"]}).apply({"aliases": ["y"]})
    with pytest.raises(UsageError, match="'x' is not a guest"):
        Changes(remove={"guests": ["x"]}).apply({}, lambda _, v, __: f"{v!r} is not a guest")


def test_a_field_both_set_and_cleared_is_found_and_blank_text_refused() -> None:
    changes = Changes(set={"parent": "p", "name": "  New  "}, clear=frozenset({"parent"}))
    assert changes.both("parent")
    assert changes.not_blank("name", "--name").set["name"] == "New"
    with pytest.raises(UsageError, match="--name: must not be empty"):
        Changes(set={"name": " "}).not_blank("name", "--name")
    assert changes.but("parent") == Changes(set={"name": "  New  "})
