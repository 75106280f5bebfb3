"""Reading register files: every problem named by file, line and field; dumps read back."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coi.domain.integrity import Known
from coi.domain.model import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Away,
    Body,
    Category,
    Interest,
    InterestKind,
    ItemKind,
    Meeting,
    MeetingStatus,
    Organisation,
    OrgKind,
    Person,
    PoolMember,
    Register,
    Relation,
    RelationKind,
    RotaSlot,
    Seat,
)
from coi.domain.words import SlotStatus
from coi.errors import InputFileError
from coi.formats.register import dump_register, read_register


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, known: Known | None = None) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        read_register([path], known)
    return info.value.lines()


BASE = """\
organisations:
  - {id: the-zone, name: The Zone}
  - {id: harbour, name: Harbour}
people:
  - {id: alex, name: Alex Morgan}
bodies:
  - {id: lit, name: LIT}
"""


def test_reads_a_small_register(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        BASE
        + """\
seats:
  - {id: lit-vcs, body: lit, name: VCS, places: 1, pool: [alex]}
meetings:
  - id: m1
    body: lit
    title: January
    start: 2027-01-14 10:00
    items:
      - {number: 1, title: Award, kind: contract-award, organisations: [harbour]}
""",
    )
    reg = read_register([path])
    assert [o.id for o in reg.organisations] == ["the-zone", "harbour"]
    assert reg.seats[0].pool == (PoolMember("alex"),)
    meeting = reg.meetings[0]
    # 10:00 in London in January is 10:00 UTC; items keep their number as text.
    assert meeting.start == dt.datetime(2027, 1, 14, 10, 0, tzinfo=dt.UTC)
    assert meeting.items[0].number == "1"
    assert meeting.items[0].kind is ItemKind.CONTRACT_AWARD


def test_summer_meeting_time_is_local_british_summer_time(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        BASE + "meetings:\n  - {id: m1, body: lit, title: J, start: 2027-07-01 10:00}\n",
    )
    assert read_register([path]).meetings[0].start == dt.datetime(2027, 7, 1, 9, tzinfo=dt.UTC)


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    lines = problems(tmp_path, "organisations:\n  - id: x\n    name: X\n    alias: [Y]\n")
    assert lines == [
        f"{tmp_path / 'r.yaml'}:4: organisations[0].alias: unknown key 'alias' "
        "(did you mean 'aliases'?)"
    ]


def test_every_missing_reference_is_listed_with_its_line(tmp_path: Path) -> None:
    lines = problems(
        tmp_path,
        BASE
        + """\
affiliations:
  - {person: alex, organisation: the-zon, role: ceo}
  - {person: nobody, organisation: harbour, role: ceo}
""",
    )
    assert len(lines) == 2
    assert ":9: affiliations[0].organisation: no organisation with id 'the-zon'" in lines[0]
    assert "did you mean 'the-zone'" in lines[0]
    assert ":10: affiliations[1].person: no person with id 'nobody'" in lines[1]


def test_references_to_records_already_stored_are_accepted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "people:\n  - {id: jo, name: Jo}\naffiliations:\n"
        "  - {person: jo, organisation: stored-org, role: trustee}\n",
    )
    reg = read_register([path], Known(ids={"organisations": {"stored-org"}}))
    assert reg.affiliations[0].organisation == "stored-org"


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("  - {id: p, name: P, founded: 2027-02-30}", "'2027-02-30' is not a real date"),
        ("  - {id: p, name: P, founded: 14/01/2027}", "is not a date: use YYYY-MM-DD"),
        ("  - {id: p, name: P, kind: charity}", "'charity' is not one of provider"),
        ("  - {id: P Q, name: P}", "is not a valid id"),
        ("  - {id: p}", "organisations[0].name: missing required field"),
        ("  - {id: p, name: [a, b]}", "expected text, got a list"),
        ("  - {id: p, name: P, aliases: {a: 1}}", "expected a list, got a mapping"),
        ("  - {id: p, name: P, service_areas: ['Mental Health']}", "is not a service area"),
        ("  - {id: p, name: P, founded: 2020-01-01, dissolved: 2019-01-01}", "ends (2019"),
    ],
)
def test_field_problems_name_line_and_field(tmp_path: Path, snippet: str, expected: str) -> None:
    lines = problems(tmp_path, "organisations:\n" + snippet + "\n")
    assert len(lines) == 1, lines
    assert f"{tmp_path / 'r.yaml'}:2: organisations[0]." in lines[0]
    assert expected in lines[0]


def test_places_below_one_and_bad_time_zone_and_quorum(tmp_path: Path) -> None:
    lines = problems(
        tmp_path,
        """\
people: [{id: a, name: A}]
bodies:
  - {id: b, name: B, timezone: Europe/Plymouth, quorum: 0}
seats:
  - {id: s, body: b, name: S, places: 0, pool: [a]}
""",
    )
    text = "\n".join(lines)
    assert "bodies[0].timezone: unknown time zone 'Europe/Plymouth'" in text
    assert "bodies[0].quorum: quorum must be at least 1" in text
    assert ":5: seats[0].places: places must be at least 1, got 0" in text


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    a = write(tmp_path, "people:\n  - {id: jo, name: Jo}\n", "a.yaml")
    b = write(tmp_path, "people:\n  - {id: x, name: X}\n  - {id: jo, name: Jo B}\n", "b.yaml")
    with pytest.raises(InputFileError) as info:
        read_register([a, b])
    assert info.value.lines() == [
        f"{b}:3: people[1].id: duplicate id 'jo' (also at {a}:2)",
    ]


def test_relation_cycle_is_refused_but_partners_may_be_mutual(tmp_path: Path) -> None:
    orgs = "organisations:\n  - {id: a, name: A}\n  - {id: b, name: B}\n  - {id: c, name: C}\n"
    lines = problems(
        tmp_path,
        orgs
        + """\
relations:
  - {from: a, kind: member_of, to: b}
  - {from: b, kind: member_of, to: c}
  - {from: c, kind: member_of, to: a}
  - {from: a, kind: partner_of, to: b}
  - {from: b, kind: partner_of, to: a}
""",
    )
    assert len(lines) == 1
    assert "relations form a cycle: a member_of b member_of c member_of a" in lines[0]


def test_body_parent_cycle_is_refused(tmp_path: Path) -> None:
    lines = problems(
        tmp_path, "bodies:\n  - {id: a, name: A, parent: b}\n  - {id: b, name: B, parent: a}\n"
    )
    assert any("bodies sit under each other in a cycle" in line for line in lines)


def test_python_tags_are_refused_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    lines = problems(
        tmp_path,
        f"people:\n  - !!python/object/apply:os.system ['touch {marker}']\n",
    )
    assert "is not allowed: only plain YAML is read" in lines[0]
    assert ":2:" in lines[0]
    assert not marker.exists()


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    lines = problems(tmp_path, "people:\n  - {id: a, name: A\n  - {id: b}\n")
    assert lines[0].startswith(f"{tmp_path / 'r.yaml'}:")
    assert "YAML syntax" in lines[0]


def test_duplicate_keys_are_problems(tmp_path: Path) -> None:
    lines = problems(tmp_path, "people:\n  - id: a\n    name: A\n    name: B\n")
    assert lines == [f"{tmp_path / 'r.yaml'}:4: duplicate key 'name' in one mapping"]


def test_interest_needs_exactly_one_holder_and_withheld_needs_a_reason(tmp_path: Path) -> None:
    lines = problems(
        tmp_path,
        BASE
        + """\
interests:
  - {id: i1, category: financial, kind: other, description: x}
  - {id: i2, person: alex, category: financial, kind: other, description: x, publish: false}
""",
    )
    text = "\n".join(lines)
    assert "interests[0].person: give exactly one of person or organisation" in text
    assert "interests[1].withheld_reason: an entry withheld from publication needs" in text


def test_meeting_time_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    # The clocks go forward at 01:00 on 28 March 2027 in London: 01:30 never happens.
    lines = problems(
        tmp_path, BASE + "meetings:\n  - {id: m, body: lit, title: T, start: 2027-03-28 01:30}\n"
    )
    assert "does not exist in Europe/London" in lines[0]


def test_an_empty_file_is_an_empty_register(tmp_path: Path) -> None:
    assert read_register([write(tmp_path, "")]) == Register()


# -- round trip ---------------------------------------------------------------

ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s != "")
tags = st.from_regex(r"[a-z]{1,6}(/[a-z]{1,6}){0,2}", fullmatch=True)
dates = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))


@st.composite
def registers(draw: st.DrawFn) -> Register:
    org_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    orgs = tuple(
        Organisation(
            id=o,
            name=draw(names),
            kind=draw(st.sampled_from(OrgKind)),
            aliases=tuple(draw(st.lists(names, max_size=2, unique=True))),
            service_areas=tuple(draw(st.lists(tags, max_size=2, unique=True))),
            founded=draw(dates),
            notes=draw(st.sampled_from(["", "line one\nline two", "x: y"])),
        )
        for o in org_ids
    )
    people = tuple(
        Person(id=p, name=draw(names))
        for p in draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    )
    person_ids = [p.id for p in people]
    relations = ()
    if len(org_ids) >= 2:
        relations = (
            Relation(
                id=f"{org_ids[0]}.partner_of.{org_ids[1]}",
                source=org_ids[0],
                kind=RelationKind.PARTNER_OF,
                target=org_ids[1],
                start=draw(dates),
            ),
        )
    body = Body(
        id="b",
        name=draw(names),
        commissioners=tuple(draw(st.lists(st.sampled_from(org_ids), max_size=2, unique=True))),
        timezone=draw(st.sampled_from(["Europe/London", "America/New_York", "UTC"])),
        quorum=draw(st.one_of(st.none(), st.integers(1, 9))),
    )
    seat = Seat(
        id="s",
        body="b",
        name=draw(names),
        places=draw(st.integers(1, 3)),
        pool=tuple(
            PoolMember(p, draw(st.one_of(st.none(), st.sampled_from(org_ids)))) for p in person_ids
        ),
        mandate=draw(st.sampled_from(["", "Speak for VCS providers\nnot the sector"])),
    )
    interests = tuple(
        Interest(
            id=f"i{n}",
            category=draw(st.sampled_from(Category)),
            kind=draw(st.sampled_from(InterestKind)),
            description=draw(names),
            person=holder if n % 2 == 0 else None,
            organisation=None if n % 2 == 0 else draw(st.sampled_from(org_ids)),
            references=tuple(
                draw(
                    st.lists(
                        st.from_regex(r"[A-Z]-[0-9]{2}", fullmatch=True), max_size=2, unique=True
                    )
                )
            ),
            start=draw(dates),
            publish=(publish := draw(st.booleans())),
            withheld_reason="" if publish else "safety",
        )
        for n, holder in enumerate(draw(st.lists(st.sampled_from(person_ids), max_size=4)))
    )
    minute = draw(st.integers(0, 60 * 24 * 365 * 3))
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)
    meeting = Meeting(
        id="m",
        body="b",
        title=draw(names),
        start=start,
        end=draw(st.one_of(st.none(), st.just(start + dt.timedelta(hours=2)))),
        status=draw(st.sampled_from(MeetingStatus)),
        guests=tuple(sorted(draw(st.lists(st.sampled_from(person_ids), max_size=2, unique=True)))),
        items=(
            AgendaItem(
                number="1",
                title=draw(names),
                kind=draw(st.sampled_from(ItemKind)),
                value=draw(st.one_of(st.none(), st.floats(0, 1e7, allow_nan=False))),
            ),
        ),
        sequence=draw(st.integers(0, 5)),
    )
    rota = tuple(
        RotaSlot(
            "s",
            "m",
            p,
            locked=draw(st.booleans()),
            status=draw(st.sampled_from(SlotStatus)),
            sequence=draw(st.integers(0, 5)),
        )
        for p in draw(st.lists(st.sampled_from(person_ids), max_size=3, unique=True))
    )
    attendance = []
    for p in draw(st.lists(st.sampled_from(person_ids), max_size=3, unique=True)):
        status = draw(st.sampled_from(AttendanceStatus))
        others = [o for o in person_ids if o != p]
        if status is AttendanceStatus.SUBSTITUTE and not others:
            status = AttendanceStatus.PRESENT
        stood_for = draw(st.sampled_from(others)) if status is AttendanceStatus.SUBSTITUTE else None
        seat_id = draw(st.sampled_from([None, "s"]))
        attendance.append(Attendance("m", p, status, stood_for, seat_id))
    away = tuple(
        Away(
            p,
            day,
            day + dt.timedelta(days=draw(st.integers(0, 30))),
            draw(st.sampled_from(["", "leave"])),
        )
        for p, day in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(person_ids), st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))
                ),
                max_size=2,
                unique=True,
            )
        )
    )
    return Register(
        organisations=orgs,
        relations=relations,
        people=people,
        bodies=(body,),
        seats=(seat,),
        interests=interests,
        meetings=(meeting,),
        away=away,
        rota=rota,
        attendance=tuple(attendance),
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(registers())
def test_dump_reads_back_to_the_same_register(tmp_path: Path, register: Register) -> None:
    path = tmp_path / "dump.yaml"
    path.write_text(dump_register(register), encoding="utf-8")
    assert read_register([path]) == register


def test_text_longer_than_the_database_holds_is_a_problem(tmp_path: Path) -> None:
    lines = problems(tmp_path, f"people:\n  - {{id: p, name: {'x' * 301}}}\n")
    assert lines == [
        f"{tmp_path / 'r.yaml'}:2: people[0].name: too long: 301 characters, at most 300"
    ]
