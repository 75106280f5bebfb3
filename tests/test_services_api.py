"""The services as a script uses them: the Python API under the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coi.domain.words import OrgKind, RelationKind
from coi.errors import NotFoundError, UsageError
from coi.services import open_session
from coi.services.meetings import add_item, add_meeting, find
from coi.services.organisations import (
    add_organisation,
    dissolve,
    list_organisations,
    relate,
    show_organisation,
)
from coi.services.people import add_person, affiliate, list_people
from coi.services.register import dump, load, published

PLYMOUTH = Path(__file__).parent.parent / "data" / "plymouth.yaml"


def test_load_a_file_and_list_organisations(sqlite_url: str) -> None:
    with open_session(sqlite_url, write=True) as s:
        loaded = load(s, [PLYMOUTH])
    assert loaded.counts["organisations"]["created"] >= 10

    with open_session(sqlite_url) as s:
        consortia = [o.name for o in list_organisations(s, OrgKind.CONSORTIUM)]
        everyone = list_people(s, body="lit-adult-mh")
        lines = published(s, dt.date(2027, 1, 14), body="lit-adult-mh")
    assert consortia
    assert everyone and all(p.bodies for p in everyone)
    assert {line.person for line in lines} == {p.person.id for p in everyone}


def test_a_script_records_changes_through_the_one_write_path(sqlite_url: str) -> None:
    with open_session(sqlite_url, write=True) as s:
        assert add_organisation(s, "Harbour Centre", kind=OrgKind.PROVIDER).changed
        add_organisation(s, "Change Up", kind=OrgKind.CONSORTIUM)
        relate(s, "harbour", RelationKind.MEMBER_OF, "change up", dt.date(2020, 4, 1))
        add_person(s, "Alex Morgan")
        saved = affiliate(s, "alex", "harbour-centre", "chief executive")
    assert saved.id == "alex-morgan.harbour-centre"

    with open_session(sqlite_url, write=True) as s:
        ended = dissolve(s, "harbour-centre", dt.date(2027, 3, 31))
    assert ended.links_ended == 2  # the relation and the affiliation

    with open_session(sqlite_url) as s:
        shown = show_organisation(s, "Harbour")
        text = dump(s)
    assert shown.organisation.dissolved == dt.date(2027, 3, 31)
    assert all(r.end == dt.date(2027, 3, 31) for r in shown.relations)
    assert shown.names.person("alex-morgan") == "Alex Morgan"
    assert "harbour-centre" in text


def test_a_mistake_raises_and_changes_nothing(sqlite_url: str) -> None:
    with pytest.raises(NotFoundError), open_session(sqlite_url, write=True) as s:
        add_person(s, "Jo Bright")
        affiliate(s, "jo-bright", "no-such-organisation", "trustee")
    with open_session(sqlite_url) as s:
        assert list_people(s) == []  # the write block rolled back as a whole


def test_meetings_and_agendas_from_python(example_sqlite_url: str) -> None:
    with open_session(example_sqlite_url, write=True) as s:
        added = add_meeting(s, "lit-adult-mh", "2027-07-14 10:00", end="12:00", id="lit-july")
        add_item(s, "lit-july", "1", "Welcome")
        add_item(s, "lit-july", "5", "Crisis house", orgs=["harbour"], value=250_000)
        with pytest.raises(UsageError, match="already has an item '5'"):
            add_item(s, "lit-july", "5", "Again")
    assert added.start == dt.datetime(2027, 7, 14, 9, 0, tzinfo=dt.UTC)  # 10:00 BST

    with open_session(example_sqlite_url) as s:
        meeting = find(s, "lit-july").meeting
    assert [(i.number, i.organisations) for i in meeting.items] == [
        ("1", ()),
        ("5", ("harbour",)),
    ]


def test_generated_ids_drop_apostrophes_as_people_type_them() -> None:
    from coi.services.records import slug

    assert slug("Children's Trust Executive") == "childrens-trust-executive"
    assert slug("St Luke\u2019s Hospice (Plymouth)") == "st-lukes-hospice-plymouth"
    assert slug("Café Zoë") == "cafe-zoe"
