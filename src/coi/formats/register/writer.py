"""A ``Register`` out as register-file YAML that reads back to the same register.

Field order and what is left out (empty values, defaults, ids made from other fields)
come from ``fields.RECORDS``, so a dump reads like a hand-written file.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import yaml

from coi.domain.model import PoolMember, Register
from coi.domain.words import DEFAULT_TIMEZONE
from coi.formats.register.fields import DERIVED_ID, RECORDS, SECTIONS, Field, Type
from coi.formats.register.times import format_local

_EMPTY: tuple[object, ...] = (None, "", [], ())


def register_to_data(register: Register) -> dict[str, list[dict[str, Any]]]:
    """The register as plain YAML-ready data, in the documented file format."""
    zones = {b.id: b.timezone for b in register.bodies}
    data = {
        section: [record_to_data(section, r, zones) for r in getattr(register, section)]
        for section in SECTIONS
    }
    return {k: v for k, v in data.items() if v}


def record_to_data(kind: str, record: Any, zones: dict[str, str]) -> dict[str, Any]:
    """One record as a mapping of its fields, leaving out what reads back the same anyway."""
    out: dict[str, Any] = {}
    for f in RECORDS[kind]:
        value = getattr(record, f.attribute)
        if (value == f.default and not f.always) or value in _EMPTY:
            continue
        written = _value(f, value, record, zones)
        if written not in _EMPTY:
            out[f.name] = written
    derive = DERIVED_ID.get(kind)
    if derive is not None and out.get("id") == derive(_attributes(kind, record)):
        del out["id"]
    return out


def _attributes(kind: str, record: Any) -> dict[str, Any]:
    return {f.attribute: getattr(record, f.attribute) for f in RECORDS[kind]}


def _value(f: Field, value: Any, record: Any, zones: dict[str, str]) -> Any:
    match f.type:
        case Type.DATE:
            return value.isoformat()
        case Type.DATETIME:
            assert isinstance(value, dt.datetime)
            return format_local(value, zones.get(record.body, DEFAULT_TIMEZONE))
        case Type.RECORDS:
            assert f.record is not None
            return [record_to_data(f.record, v, zones) for v in value]
        case Type.POOL:
            return [_pool_member(p, zones) for p in value]
        case Type.PAPERS:
            # The text read when the paper was added, so a load needs no paper file.
            return [record_to_data("paper", p, zones) for p in value]
        case Type.POLICY:
            return yaml.safe_load(value)
        case Type.STRINGS | Type.TAGS | Type.REFS:
            return list(value)
    return value.value if isinstance(value, StrEnum) else value


def _pool_member(p: PoolMember, zones: dict[str, str]) -> Any:
    return p.person if p.on_behalf_of is None else record_to_data("pool member", p, zones)


class _Dumper(yaml.SafeDumper):
    """Block style, and multi-line text as literal blocks so mandates stay readable."""


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_register(register: Register) -> str:
    """YAML text that ``read_register`` reads back to the same register."""
    header = (
        "# coi register dump: load it back with `coi load FILE`; the declarations log is\n"
        "# not in it: move that with `coi log export` and `coi log import`\n"
    )
    body = yaml.dump(
        register_to_data(register),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return header + body
