"""One record of the register file read into its domain object, field by field.

The fields come from ``fields.RECORDS``; what one record asks beyond its fields (exactly
one holder, a reason for withholding, a known time zone) is a small hook per record here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from coi.domain.model import Paper, PoolMember
from coi.domain.words import DEFAULT_TIMEZONE
from coi.errors import InputFileError, Problem
from coi.formats.register.fields import CLASSES, DERIVED_ID, RECORDS, Field, Type
from coi.formats.register.times import valid_timezone
from coi.formats.register.values import Values, describe
from coi.formats.yamlread import POLICY_LIMIT, LDict, key_lines, quote, read_yaml

# A meeting's times wait for its body's time zone, which may be in another file.
PLACEHOLDER_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

Hook = Callable[[Values, LDict, str, dict[str, Any]], None]


def read_record(r: Values, m: LDict, kind: str, where: str, base: Any = None) -> Any:
    """The domain object for mapping ``m`` of record ``kind`` (problems noted in ``r``);
    a field ``m`` leaves out keeps its value in ``base`` (the stored record), if given."""
    r.check_keys(m, kind, where)
    values: dict[str, Any] = {}
    for f in RECORDS[kind]:
        if base is not None and f.name not in m:
            values[f.attribute] = getattr(base, f.attribute)
        else:
            values[f.attribute] = _READ[f.type](r, m, f, where)
    for f in RECORDS[kind]:
        start = values.get(f.after) if f.after else None
        end = values.get(f.attribute)
        if start and end and end < start:
            r.at(m, f.name, where, f"ends ({end}) before it starts ({start})")
    if kind in DERIVED_ID and not values["id"]:
        values["id"] = DERIVED_ID[kind](values)
    hook = _HOOKS.get(kind)
    if hook is not None:
        hook(r, m, where, values)
    return CLASSES[kind](**values)


def _text(r: Values, m: LDict, f: Field, where: str) -> str:
    text = r.text(m, f, where)
    if f.strip:
        text = text.strip()
    return text or (f.default or "")


def _records(r: Values, m: LDict, f: Field, where: str) -> tuple[Any, ...]:
    assert f.record is not None
    out = []
    for i, (w, item) in enumerate(r.mappings(m, f, where)):
        if not isinstance(item, LDict):
            r.problem(f"expected a mapping, got {describe(item)}", r.line_in(m, f.name, i), w)
            continue
        out.append(read_record(r, item, f.record, w))
    return tuple(out)


def _papers(r: Values, m: LDict, f: Field, where: str) -> tuple[Paper, ...]:
    """An item's papers: a path (relative to the register file, like a body's policy) is
    read now, once, into its pages' text; a mapping is a paper already read (a dump)."""
    from coi.formats.papers import PaperError, read_paper

    out: list[Paper] = []
    for i, (w, entry) in enumerate(r.mappings(m, f, where)):
        line = r.line_in(m, f.name, i)
        if isinstance(entry, LDict):
            out.append(read_record(r, entry, "paper", w))
        elif isinstance(entry, str) and entry.strip():
            path = Path(entry.strip()).expanduser()
            path = path if path.is_absolute() else r.base / path
            try:
                out.append(read_paper(path))
            except PaperError as exc:
                r.problem(f"paper {path}: {exc}", line, w)
        else:
            r.problem(f"expected a paper's path or mapping, got {describe(entry)}", line, w)
    return tuple(out)


def _pool(r: Values, m: LDict, f: Field, where: str) -> tuple[PoolMember, ...]:
    pool: list[PoolMember] = []
    for i, (pw, entry) in enumerate(r.mappings(m, f, where)):
        line = r.line_in(m, f.name, i)
        if isinstance(entry, str):
            r.refer(f.refers or "people", entry, line, pw)
            pool.append(PoolMember(person=entry))
        elif isinstance(entry, LDict):
            pool.append(read_record(r, entry, "pool member", pw))
        else:
            r.problem(f"expected a person id or mapping, got {describe(entry)}", line, pw)
    seen: set[str] = set()
    for member in pool:
        if member.person in seen:
            r.at(m, f.name, where, f"{quote(member.person)} is in the pool twice")
        seen.add(member.person)
    return tuple(pool)


def _datetime(r: Values, m: LDict, f: Field, where: str) -> dt.datetime | None:
    r.raw(m, f, where)  # the value is read once the body's time zone is known
    return PLACEHOLDER_TIME if f.required else None


def _plain(value: Any) -> Any:
    """LDict/LList (which the YAML dumper cannot write) as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _policy(r: Values, m: LDict, f: Field, where: str) -> str:
    """A body's own policy: a file path (relative to the register file) or inline rules.

    Kept as YAML text, checked like any policy file, so the register carries the policy
    it was loaded with wherever the database goes. A fault in a policy file is reported at
    the line of the register file that points at it, naming the policy file and its line.
    """
    from coi.domain.policy import policy_from_dict

    value = m.get(f.name)
    if value is None or value == "":
        return ""
    source = f"{r.file}:{m.line_of(f.name)} ({where}.{f.name})"
    lines: dict[tuple[str | int, ...], int] = {}
    pointed = False
    if isinstance(value, str):
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = r.base / path
        data, problems = read_yaml(path, POLICY_LIMIT)
        if not problems and data is None:
            problems = [Problem("the policy file is empty", file=str(path))]
        if problems:
            _pointed_at(r, m, f, where, problems)
            return ""
        source, lines, pointed = str(path), key_lines(data), True
    elif isinstance(value, dict):
        data = value
    else:
        message = f"expected a policy file path or the policy's rules, got {describe(value)}"
        r.at(m, f.name, where, message)
        return ""
    try:
        policy_from_dict(data, source, lines)
    except InputFileError as exc:
        if pointed:
            _pointed_at(r, m, f, where, exc.problems)
        else:
            r.problems.extend(exc.problems)
        return ""
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)


def _pointed_at(r: Values, m: LDict, f: Field, where: str, problems: list[Problem]) -> None:
    """Problems of a policy file, each at the register line and field that named the file."""
    for p in problems:
        r.at(m, f.name, where, f"policy file {p}")


_READ: dict[Type, Callable[[Values, LDict, Field, str], Any]] = {
    Type.TEXT: _text,
    Type.ID: Values.ident,
    Type.REF: Values.ref,
    Type.REFS: Values.refs_list,
    Type.DATE: Values.date,
    Type.DATETIME: _datetime,
    Type.ENUM: Values.enum,
    Type.BOOL: Values.boolean,
    Type.INT: Values.integer,
    Type.NUMBER: Values.number,
    Type.STRINGS: Values.strings,
    Type.TAGS: Values.tags,
    Type.RECORDS: _records,
    Type.POOL: _pool,
    Type.POLICY: _policy,
    Type.PAPERS: _papers,
}


# -- what a record asks beyond its fields ------------------------------------------


def _identifier(r: Values, m: LDict, w: str, v: dict[str, Any]) -> None:
    v["scheme"] = v["scheme"].upper()


def _relation(r: Values, m: LDict, w: str, v: dict[str, Any]) -> None:
    if v["source"] and v["source"] == v["target"]:
        r.at(m, "to", w, f"an organisation cannot be {v['kind']} itself")


def _body(r: Values, m: LDict, w: str, v: dict[str, Any]) -> None:
    if not valid_timezone(v["timezone"]):
        r.at(m, "timezone", w, f"unknown time zone {v['timezone']!r} (e.g. Europe/London)")
        v["timezone"] = DEFAULT_TIMEZONE


def _interest(r: Values, m: LDict, w: str, v: dict[str, Any]) -> None:
    if (v["person"] is None) == (v["organisation"] is None):
        message = "give exactly one of person or organisation (who holds the interest)"
        r.problem(message, m.line, f"{w}.person")
    if not v["publish"] and not v["withheld_reason"].strip():
        message = "an entry withheld from publication needs a withheld_reason"
        r.problem(message, m.line_of("publish"), f"{w}.withheld_reason")


def _meeting(r: Values, m: LDict, w: str, v: dict[str, Any]) -> None:
    raw = m.get("items")
    # Each mapping in the list became one item, in order; anything else was reported.
    located = (
        [(i, e) for i, e in enumerate(raw) if isinstance(e, LDict)] if isinstance(raw, list) else []
    )
    numbers: set[str] = set()
    for (i, im), item in zip(located, v["items"], strict=False):
        if item.number in numbers:
            message = f"item number {item.number!r} appears twice in this meeting"
            r.problem(message, im.line_of("number"), f"{w}.items[{i}].number")
        numbers.add(item.number)


def _attendance(r: Values, m: LDict, w: str, v: dict[str, Any]) -> None:
    substitute = v["status"] == "substitute"
    if substitute and not v["substitute_for"]:
        r.at(m, "status", w, "a substitute needs substitute_for: whom they stood in for")
    elif v["substitute_for"] and not substitute:
        r.at(m, "substitute_for", w, f"only a substitute stands in for someone, not {v['status']}")
    elif v["substitute_for"] == v["person"]:
        r.at(m, "substitute_for", w, "nobody substitutes for themselves")


def _away(r: Values, m: LDict, w: str, v: dict[str, Any]) -> None:
    v["start"] = v["start"] or dt.date.min
    v["end"] = v["end"] or dt.date.max


_HOOKS: dict[str, Hook] = {
    "identifier": _identifier,
    "relations": _relation,
    "bodies": _body,
    "interests": _interest,
    "meetings": _meeting,
    "away": _away,
    "attendance": _attendance,
}
