"""Issue 11: seats, interests and meetings added with no id get short ids a person can
type and read; they stay unique, and ids already stored never change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.test_cli_entities import coi, ok

from coi.services.records import short_id, short_words

REGISTER = """
organisations:
  - {id: harbour, name: Harbour}
  - {id: nhs-plymouth, name: NHS Plymouth, kind: commissioner}
people:
  - {id: jo-bright, name: Jo Bright}
bodies:
  - {id: childrens-trust-board, name: Children's Trust Board, commissioners: [nhs-plymouth]}
  - {id: council-tax-board, name: Council Tax Board, commissioners: [nhs-plymouth]}
  - {id: lit, name: Local Implementation Team, commissioners: [nhs-plymouth]}
seats:
  - {id: lit.old-style-seat, body: lit, name: Old style seat, places: 1}
"""


def ids(db: str, noun: str) -> list[str]:
    rows: Any = json.loads(ok(db, noun, "list", "--format", "json"))
    return sorted(r["id"] for r in rows)


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    path = tmp_path / "register.yaml"
    path.write_text(REGISTER)
    ok(db_url, "load", str(path))
    return db_url


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Voluntary and Community Sector seat", "vcs"),
        ("VCS seat", "vcs"),
        ("Providers", "providers"),
        ("Service users", "service-users"),
        ("Children's services", "childrens-services"),
        ("Service user representatives", "sur"),
        ("Supercalifragilisticexpialidocious", "supercalifragilistic"),
        ("The seat", "the-seat"),
    ],
)
def test_short_words_keep_a_name_typeable(name: str, expected: str) -> None:
    assert short_words(name) == expected


@pytest.mark.parametrize(
    ("record_id", "expected"),
    [
        ("lit", "lit"),
        ("lit-adult-mh", "lit-adult-mh"),
        ("childrens-trust-board", "ct-board"),
        ("childrens-trust-executive", "ct-executive"),
        ("childrens-trust-partnership", "ctp"),
        ("plymouthcitycouncilboard", "plymouthcitycouncilboard"),
    ],
)
def test_short_id_of_a_long_body_id(record_id: str, expected: str) -> None:
    assert short_id(record_id) == expected


def test_seat_ids_are_the_body_short_id_and_the_names_initials(loaded: str) -> None:
    ok(loaded, "seat", "add", "childrens-trust-board", "Voluntary and Community Sector seat")
    ok(loaded, "seat", "add", "childrens-trust-board", "Voluntary & community sector")
    ok(loaded, "seat", "add", "lit", "Providers")
    assert ids(loaded, "seat") == [
        "ct-board-vcs",
        "ct-board-vcs-2",  # numbered on a clash, never an error
        "lit-providers",
        "lit.old-style-seat",  # an id already stored never changes
    ]
    # The short id is what a person types to find it again.
    assert "ct-board-vcs" in ok(loaded, "seat", "show", "ct-board-vcs")


def test_interest_ids_are_the_holder_and_the_kind_numbered_on_a_clash(loaded: str) -> None:
    base = ["interest", "add", "--category", "financial", "--kind", "holds-contract"]
    ok(loaded, *base, "--org", "harbour", "--description", "Crisis house contract")
    ok(loaded, *base, "--org", "Harbour", "--description", "Day services contract")
    family = ["--category", "non-financial-personal", "--kind", "family"]
    ok(loaded, "interest", "add", "--person", "jo-bright", *family, "--description", "Partner")
    ok(loaded, *base, "--org", "harbour", "--description", "Given", "--id", "harbour.own")
    assert ids(loaded, "interest") == [
        "harbour.holds-contract",
        "harbour.holds-contract-2",
        "harbour.own",
        "jo-bright.family",
    ]


def test_meeting_ids_are_the_body_short_id_and_the_date(loaded: str) -> None:
    ok(loaded, "meeting", "add", "childrens-trust-board", "--start", "2027-01-12 14:00")
    ok(loaded, "meeting", "add", "lit", "--start", "2027-01-12 10:00")
    # Another body with the same short id that day keeps its full id: no clash, no error.
    ok(loaded, "meeting", "add", "council-tax-board", "--start", "2027-01-12 10:00")
    assert ids(loaded, "meeting") == [
        "council-tax-board-2027-01-12",
        "ct-board-2027-01-12",
        "lit-2027-01-12",
    ]
    # The same body twice on one day is most likely the same meeting added twice.
    code, _, err = coi(loaded, "meeting", "add", "childrens-trust-board", "--start",
                       "2027-01-12 18:00")  # fmt: skip
    assert code == 2
    assert "a meeting with id 'ct-board-2027-01-12' exists" in err
    assert len(ids(loaded, "meeting")) == 3
