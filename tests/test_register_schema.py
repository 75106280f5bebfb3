"""The register file's JSON Schema: data/plymouth.yaml passes it, mistakes do not, and
`coi schema` prints it as stable JSON."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from coi.cli.app import app
from coi.formats.register.jsonschema import register_schema, register_schema_json
from coi.formats.yamlread import read_yaml


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def load(path: Path) -> Any:
    data, problems = read_yaml(path)
    assert not problems
    return plain(data)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = register_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(validator: Draft202012Validator, text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [e.message for e in validator.iter_errors(load(path))]


def test_the_example_register_is_valid(validator: Draft202012Validator, example: Path) -> None:
    assert [e.message for e in validator.iter_errors(load(example))] == []


def test_an_unknown_key_fails(validator: Draft202012Validator, tmp_path: Path) -> None:
    found = errors(validator, "people:\n  - {id: jo, name: Jo, emial: x}\n", tmp_path)
    assert any("'emial' was unexpected" in e for e in found), found


def test_a_wrong_enum_value_fails(validator: Draft202012Validator, tmp_path: Path) -> None:
    found = errors(validator, "organisations:\n  - {id: o, name: O, kind: charity}\n", tmp_path)
    assert any("'charity' is not one of" in e for e in found), found


def test_a_missing_required_field_fails(validator: Draft202012Validator, tmp_path: Path) -> None:
    found = errors(validator, "people:\n  - {id: jo}\n", tmp_path)
    assert found == ["'name' is a required property"]


def test_an_unknown_section_and_a_text_too_long_fail(
    validator: Draft202012Validator, tmp_path: Path
) -> None:
    title = "x" * 301  # one more than a meeting title holds
    text = f"peeple: []\nmeetings:\n  - {{id: m, body: b, title: {title}, start: 2027-01-01 9:00}}"
    found = errors(validator, text, tmp_path)
    assert len(found) == 2, found


def test_coi_schema_prints_stable_sorted_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == register_schema_json()
    printed = json.loads(result.stdout)
    assert printed == register_schema()
    assert result.stdout == json.dumps(printed, indent=2, sort_keys=True) + "\n"
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_coi_schema_writes_a_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "register.schema.json"
    result = runner.invoke(app, ["schema", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == register_schema()
    assert f"wrote {out}" in result.stderr
