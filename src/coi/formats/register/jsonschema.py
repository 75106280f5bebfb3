"""The register file's JSON Schema (draft 2020-12), made from ``fields.RECORDS``.

Editors with a YAML language server validate and complete register files with it. It
says what one file may hold; what needs the other files or the database (references,
cycles, a real date, a meeting time the clocks skip) only ``coi load`` can check.
"""

from __future__ import annotations

import json
from typing import Any

from coi.formats.register.fields import (
    ID_RE,
    INT_MAX,
    MULTI_LINE_PATTERN,
    ONE_LINE_PATTERN,
    RECORDS,
    SECTIONS,
    TAG_RE,
    Field,
    Type,
)

# YAML reads `number: 1` and `id: 2024` as numbers; the reader takes them as text.
_TEXT: dict[str, Any] = {"type": ["string", "number"]}
_ONE_LINE: dict[str, Any] = {**_TEXT, "pattern": ONE_LINE_PATTERN}
# The years FIRST_YEAR to LAST_YEAR (1900 to 2200), as a pattern can say it (a test holds
# the two together).
YEAR_PATTERN = r"(19\d{2}|2[01]\d{2}|2200)"
_DAY = YEAR_PATTERN + r"-\d{2}-\d{2}"
_DATE = {"type": "string", "pattern": f"^{_DAY}$"}
_DATETIME = {
    "type": "string",
    "pattern": f"^{_DAY}" + r"[ T]\d{1,2}:\d{2}(:\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?$",
}


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    # A lone value is read as a list of one.
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _definition_name(kind: str) -> str:
    return kind.replace(" ", "_")


def _ref(kind: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{_definition_name(kind)}"}


def _field_schema(f: Field) -> dict[str, Any]:
    out: dict[str, Any]
    match f.type:
        case Type.TEXT | Type.REF:
            out = {**_TEXT, "pattern": MULTI_LINE_PATTERN if f.lines else ONE_LINE_PATTERN}
        case Type.ID:
            out = {**_TEXT, "pattern": ID_RE.pattern}
        case Type.DATE:
            out = dict(_DATE)
        case Type.DATETIME:
            out = dict(_DATETIME)
        case Type.ENUM:
            assert f.choices is not None
            out = {"enum": [e.value for e in f.choices]}
        case Type.BOOL:
            out = {"type": "boolean"}
        case Type.INT:
            out = {"type": "integer", "maximum": INT_MAX}
        case Type.NUMBER:
            out = {"type": "number"}
        case Type.STRINGS | Type.REFS:
            out = _list_of({**_ONE_LINE, "minLength": 1})
        case Type.TAGS:
            out = _list_of({"type": "string", "pattern": TAG_RE.pattern})
        case Type.RECORDS:
            assert f.record is not None
            out = {"type": "array", "items": _ref(f.record)}
        case Type.POOL:
            out = {"type": "array", "items": {"anyOf": [_TEXT, _ref("pool member")]}}
        case Type.POLICY:
            out = {"type": ["string", "object"]}
        case Type.PAPERS:
            out = {"type": "array", "items": {"anyOf": [_TEXT, _ref("paper")]}}
    if not f.required:
        out = _or_null(out)
    out["description"] = f.doc + (f" (an id from {f.refers})" if f.refers else "")
    if f.limit is not None:
        out["maxLength"] = f.limit
    if f.required and f.type in (Type.TEXT, Type.ID, Type.REF):
        out["minLength"] = 1
    if f.minimum is not None:
        out["minimum"] = f.minimum
    if f.maximum is not None:
        out["maximum"] = f.maximum
    if f.default is not None:
        out["default"] = f.default.value if hasattr(f.default, "value") else f.default
    return out


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """Also allow null: the reader takes an empty value as a missing one."""
    if "enum" in schema:
        return {"enum": [*schema["enum"], None]}
    if "anyOf" in schema:
        return {"anyOf": [*schema["anyOf"], {"type": "null"}]}
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*kinds, "null"]}


def _record_schema(kind: str) -> dict[str, Any]:
    fields = RECORDS[kind]
    out: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: _field_schema(f) for f in fields},
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    return out


def register_schema() -> dict[str, Any]:
    """The JSON Schema of one register file, as a plain mapping."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "coi register file",
        "description": "Organisations, people, bodies, seats, interests, gifts and meetings "
        "of a conflict-of-interest register; load it with `coi load FILE`.",
        "type": ["object", "null"],
        "properties": {
            section: {"type": ["array", "null"], "items": _ref(section)} for section in SECTIONS
        },
        "additionalProperties": False,
        "$defs": {_definition_name(kind): _record_schema(kind) for kind in RECORDS},
    }


def register_schema_json() -> str:
    """The schema as stable JSON text: sorted keys, so it changes only when a field does."""
    return json.dumps(register_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
