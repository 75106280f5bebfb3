"""Issue 9: every input is checked on the one write path (the register reader), so a file
load and an add/edit command refuse the same things: blank ids, names and titles; control
characters and bidi overrides; numbers that are not finite, negative where meaningless or
too large for their column; dates and times out of range. Each message names file, line
and field, and quotes at most 200 characters of the value."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coi.domain.meeting_times import parse_duration
from coi.errors import InputFileError, UsageError
from coi.formats.register import read_register, read_register_data
from coi.formats.register.fields import (
    INT_MAX,
    MULTI_LINE_PATTERN,
    ONE_LINE_PATTERN,
    RECORDS,
    Type,
)
from coi.formats.register.jsonschema import YEAR_PATTERN, register_schema
from coi.formats.register.times import FIRST_YEAR, LAST_YEAR, parse_date


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_register([path])
    return info.value.lines()


def data_problems(data: dict[str, object]) -> list[str]:
    with pytest.raises(InputFileError) as info:
        read_register_data(data, "command line")
    return info.value.lines()


BODY = "bodies:\n  - {id: lit, name: LIT}\n"
PERSON = "people:\n  - {id: a, name: A}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("organisations:\n  - {id: '', name: X}\n", ":2: organisations[0].id: must not be empty"),
        ("organisations:\n  - {id: x, name: '  '}\n", ":2: organisations[0].name: must not be"),
        ("people:\n  - {id: x, name: ''}\n", ":2: people[0].name: must not be empty"),
        (
            BODY + "meetings:\n  - {id: m, body: lit, title: '', start: 2027-01-14 10:00}\n",
            ":4: meetings[0].title: must not be empty",
        ),
        (
            BODY
            + "meetings:\n  - {id: m, body: lit, title: M, start: 2027-01-14 10:00,\n"
            + "     items: [{number: '1', title: ' '}]}\n",
            ":5: meetings[0].items[0].title: must not be empty",
        ),
        (
            PERSON + "affiliations:\n  - {person: '', organisation: o, role: r}\n",
            "affiliations[0].person: must not be empty",
        ),
        (
            "organisations:\n  - {id: x, name: X, aliases: ['']}\n",
            ":2: organisations[0].aliases[0]: must not be empty",
        ),
    ],
)
def test_blank_ids_names_and_titles_are_refused(tmp_path: Path, text: str, expected: str) -> None:
    assert any(expected in line for line in problems(tmp_path, text)), problems(tmp_path, text)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("A\\nB", "U+000A"),
        ("A\\tB", "U+0009"),
        ("A\\0B", "U+0000"),
        ("A\\x1bB", "U+001B"),
        ("A\\x85B", "U+0085"),
        ("A\\u202eB", "U+202E"),
        ("A\\u2066B", "U+2066"),
        ("A\\u2028B", "U+2028"),
    ],
)
def test_control_characters_are_refused_in_one_line_text(
    tmp_path: Path, value: str, code: str
) -> None:
    text = f'organisations:\n  - id: x\n    name: "{value}"\n'
    [line] = problems(tmp_path, text)
    assert f"r.yaml:3: organisations[0].name: the character {code}" in line
    assert "not allowed in one-line text" in line


@pytest.mark.parametrize(
    ("record", "field", "value"),
    [
        ("bodies", "name", "LIT\n"),
        ("meetings", "location", "Room\t1"),
        ("people", "email", "a@b\r"),
        ("affiliations", "role", "trustee\u202e"),
        ("organisations", "aliases", ["Harbour\u0007"]),
        ("gifts", "offeror", "Acme\u0000"),
    ],
)
def test_one_line_fields_refuse_controls_from_the_command_line(
    record: str, field: str, value: object
) -> None:
    base: dict[str, dict[str, object]] = {
        "bodies": {"id": "lit", "name": "LIT"},
        "meetings": {"id": "m", "body": "lit", "title": "M", "start": "2027-01-14 10:00"},
        "people": {"id": "a", "name": "A"},
        "affiliations": {"person": "a", "organisation": "o", "role": "r"},
        "organisations": {"id": "o", "name": "O"},
        "gifts": {"id": "g", "person": "a", "offeror": "X", "description": "D"},
    }
    data: dict[str, object] = {k: [dict(v)] for k, v in base.items()}
    records = data[record]
    assert isinstance(records, list)
    records[0][field] = value
    lines = data_problems(data)
    assert any(f"command line: {record}[0].{field}" in line and "U+" in line for line in lines)


def test_multi_line_fields_keep_newlines_and_tabs_but_not_nul_or_bidi(tmp_path: Path) -> None:
    text = (
        PERSON + "interests:\n  - id: i\n    person: a\n    category: financial\n"
        '    kind: other\n    description: "line one\\n\\tline two"\n'
        '    action_agreed: "{}"\n'
    )
    read_register([_write(tmp_path, text.replace("{}", "fine\\nand fine"))])
    [nul] = problems(tmp_path, text.replace("{}", "no\\0"))
    assert "interests[0].action_agreed: the character U+0000" in nul
    [bidi] = problems(tmp_path, text.replace("{}", "no\\u202d"))
    assert "interests[0].action_agreed: the character U+202D" in bidi
    assert "not allowed in text" in bidi


def test_the_field_descriptions_say_which_text_may_span_lines() -> None:
    multi = {(kind, f.name) for kind, fields in RECORDS.items() for f in fields if f.lines}
    assert ("people", "notes") in multi and ("item", "text") in multi
    assert ("interests", "description") in multi
    assert ("meetings", "title") not in multi and ("meetings", "location") not in multi
    assert ("organisations", "name") not in multi


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("value: .nan", "gifts[0].value: expected a finite number, got the number nan"),
        ("value: .inf", "gifts[0].value: expected a finite number, got the number inf"),
        ("value: -.inf", "gifts[0].value: expected a finite number"),
        ("value: -5", "gifts[0].value: value cannot be negative, got -5"),
        (f"value: 1{'0' * 400}", "gifts[0].value: expected a finite number"),
    ],
)
def test_gift_values_must_be_finite_and_not_negative(
    tmp_path: Path, snippet: str, expected: str
) -> None:
    text = PERSON + f"gifts:\n  - {{id: g, person: a, offeror: X, description: D, {snippet}}}\n"
    assert any(expected in line for line in problems(tmp_path, text))


def test_an_items_value_cannot_be_negative_or_infinite(tmp_path: Path) -> None:
    text = (
        BODY + "meetings:\n  - id: m\n    body: lit\n    title: M\n    start: 2027-01-14 10:00\n"
        "    items:\n      - {number: '1', title: A, value: -1}\n"
        "      - {number: '2', title: B, value: .inf}\n"
    )
    lines = problems(tmp_path, text)
    assert any("items[0].value: value cannot be negative" in line for line in lines)
    assert any("items[1].value: expected a finite number" in line for line in lines)


def test_whole_numbers_beyond_the_column_are_refused(tmp_path: Path) -> None:
    text = BODY.replace("LIT}", f"LIT, quorum: {INT_MAX + 1}}}") + (
        "seats:\n  - {id: s, body: lit, name: S, places: 99999999999999999999}\n"
    )
    lines = problems(tmp_path, text)
    assert any("bodies[0].quorum: quorum is too large: at most 2,147,483,647" in x for x in lines)
    assert any(
        ":4: seats[0].places: places is too large: at most 2,147,483,647, "
        "got 99999999999999999999" in x
        for x in lines
    )
    read_register([_write(tmp_path, BODY.replace("LIT}", f"LIT, quorum: {INT_MAX}}}"))])


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("start: 1899-12-31", "'1899-12-31' is out of range: years 1900 to 2200"),
        ("start: 2201-01-01", "'2201-01-01' is out of range"),
        ("start: 0001-01-01", "out of range"),
        ("end: 9999-12-31", "out of range"),
    ],
)
def test_dates_out_of_range_are_refused(tmp_path: Path, snippet: str, expected: str) -> None:
    text = (
        "organisations:\n  - {id: o, name: O}\n" + PERSON + "affiliations:\n"
        f"  - {{person: a, organisation: o, role: r, {snippet}}}\n"
    )
    assert any(expected in line for line in problems(tmp_path, text))


@pytest.mark.parametrize(
    "start",
    [
        "9999-12-31 23:59 -12:00",
        "0001-01-01 00:00 +14:00",
        "2300-01-01 10:00",
        "2027-01-14 10:00 +99:99",
    ],
)
def test_meeting_times_that_would_overflow_are_refused(tmp_path: Path, start: str) -> None:
    text = BODY + f"meetings:\n  - {{id: m, body: lit, title: M, start: '{start}'}}\n"
    [line] = problems(tmp_path, text)
    assert ":4: meetings[0].start:" in line


def test_the_year_range_and_the_schema_pattern_agree() -> None:
    import re

    assert re.fullmatch(YEAR_PATTERN, str(FIRST_YEAR))
    assert re.fullmatch(YEAR_PATTERN, str(LAST_YEAR))
    assert not re.fullmatch(YEAR_PATTERN, str(FIRST_YEAR - 1))
    assert not re.fullmatch(YEAR_PATTERN, str(LAST_YEAR + 1))
    assert parse_date(f"{FIRST_YEAR}-01-01")[0] is not None
    assert parse_date(f"{LAST_YEAR}-12-31")[0] is not None


def test_messages_quote_at_most_200_characters(tmp_path: Path) -> None:
    long = "Z" * 5000
    text = (
        f"organisations:\n  - {{id: {long.lower()}, name: X, kind: {long}, founded: {long},\n"
        f"     service_areas: ['{long}!']}}\n"
    )
    lines = problems(tmp_path, text)
    assert len(lines) >= 4
    for line in lines:
        assert "Z" * 201 not in line and "z" * 201 not in line
    assert any("\u2026" in line for line in lines)


def test_durations_out_of_range_are_refused() -> None:
    assert parse_duration("168h").days == 7
    for text in ("999999999h", "169h", "1" * 500 + "h", "99999999999999999999999m"):
        with pytest.raises(UsageError, match="longer than a week"):
            parse_duration(text)
    with pytest.raises(UsageError) as info:
        parse_duration("x" * 1000)
    assert len(info.value.message) < 200


def test_the_json_schema_follows_the_checks() -> None:
    defs = register_schema()["$defs"]
    name = defs["organisations"]["properties"]["name"]
    assert name["minLength"] == 1 and name["pattern"] == ONE_LINE_PATTERN
    notes = defs["organisations"]["properties"]["notes"]
    assert notes["pattern"] == MULTI_LINE_PATTERN and "minLength" not in notes
    assert defs["seats"]["properties"]["places"]["maximum"] == INT_MAX
    assert defs["seats"]["properties"]["places"]["minimum"] == 1
    assert defs["gifts"]["properties"]["value"]["minimum"] == 0
    assert defs["organisations"]["properties"]["id"]["minLength"] == 1
    start = defs["affiliations"]["properties"]["start"]
    assert start["pattern"].startswith(f"^{YEAR_PATTERN}-")
    assert all(
        f.type is not Type.TEXT or "pattern" in defs[k.replace(" ", "_")]["properties"][f.name]
        for k, fields in RECORDS.items()
        for f in fields
    )


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_negative_sequence_is_one_problem_not_two() -> None:
    data = {
        "rota": [{"seat": "s", "meeting": "m", "person": "p", "sequence": -3}],
    }
    with pytest.raises(InputFileError) as caught:
        read_register_data(data, "x.yaml")
    said = [str(p) for p in caught.value.problems if "sequence" in str(p)]
    assert said == ["x.yaml: rota[0].sequence: sequence cannot be negative, got -3"]
