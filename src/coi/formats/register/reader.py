"""Register files in: every file read and checked, every problem listed, then one ``Register``.

Reading collects every problem (file, line, field) before giving up, so a secretary
fixes a file in one pass; nothing is written anywhere until all files are clean.
References and cycles are checked against the files together and what the database
already holds (``Known``), by the rules in ``coi.domain.integrity``.

Given ``stored`` (the records the database holds, by key), a record that is already
stored is merged over it, as an upsert does: a field the file leaves out keeps its stored
value, a field given (even as null or an empty list) is taken from the file, and a list
given replaces the whole list (a meeting's items, a body's members, a seat's pool). Such
a record may leave out required fields; every check then runs on the merged record.
Without ``stored`` the file is authoritative: what it leaves out reads as the default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from coi.domain.integrity import Known, Ref, body_cycles, missing_references, relation_cycles
from coi.domain.model import Meeting, Register
from coi.domain.words import DEFAULT_TIMEZONE
from coi.errors import InputFileError, Problem
from coi.formats.register.fields import SECTIONS, key_of, raw_key
from coi.formats.register.records import PLACEHOLDER_TIME, read_record
from coi.formats.register.times import parse_local_datetime
from coi.formats.register.values import Values, describe, did_you_mean
from coi.formats.yamlread import LDict, LList, read_yaml


@dataclass(frozen=True, slots=True)
class _Read:
    """One record as read, with where it was written."""

    record: Any
    where: Problem  # file, line and the record's place (e.g. people[3]); no message


# Given a section and the keys a file names in it, the stored records with those keys.
Stored = Callable[[str, Sequence[tuple[str, ...]]], Mapping[tuple[str, ...], Any]]


@dataclass
class _Pending:
    """A meeting whose times wait for its body's time zone (which may be in another file)."""

    values: Values
    mapping: LDict
    where: str
    meeting: Meeting
    base: Meeting | None = None  # the stored meeting it is merged over


@dataclass
class _FileResult:
    records: dict[str, list[_Read]] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)


def read_register(
    paths: Sequence[Path], known: Known | None = None, stored: Stored | None = None
) -> Register:
    """Read and check register files; raise InputFileError listing every problem found.

    With ``stored``, records already stored are merged (see the module's doc)."""
    problems: list[Problem] = []
    refs: list[Ref] = []
    results = [(str(p), _read_file(Path(p), problems, refs, stored)) for p in paths]
    return _check_and_build(results, problems, refs, known or Known())


def read_register_data(
    data: Any, source: str, known: Known | None = None, stored: Stored | None = None
) -> Register:
    """Check register data that did not come from a file (the command line builds it)."""
    problems: list[Problem] = []
    refs: list[Ref] = []
    results = [(source, _read_data(_located(data), source, problems, refs, stored))]
    return _check_and_build(results, problems, refs, known or Known())


def _located(value: Any) -> Any:
    """Plain dicts and lists as LDict/LList (line 0: not from a file)."""
    if isinstance(value, dict):
        out = LDict((k, _located(v)) for k, v in value.items())
        out.key_lines = {}
        return out
    if isinstance(value, list | tuple):
        seq = LList(_located(v) for v in value)
        seq.item_lines = []
        return seq
    return value


def _read_file(
    path: Path, problems: list[Problem], refs: list[Ref], stored: Stored | None
) -> _FileResult:
    data, found = read_yaml(path)
    problems.extend(found)
    if data is None:  # an empty file is an empty register; a broken one is already reported
        return _FileResult()
    return _read_data(data, str(path), problems, refs, stored)


def _bases(section: str, items: LList, stored: Stored | None) -> list[Any]:
    """For each item of a section, the stored record it is merged over (None: a new one)."""
    if stored is None:
        return [None] * len(items)
    keys = [raw_key(section, item) if isinstance(item, LDict) else None for item in items]
    found = stored(section, sorted({k for k in keys if k is not None}))
    return [found.get(k) if k is not None else None for k in keys]


def _read_data(
    data: Any, source: str, problems: list[Problem], refs: list[Ref], stored: Stored | None
) -> _FileResult:
    result = _FileResult()
    r = Values(source, problems, refs)
    if not isinstance(data, LDict):
        r.problem(f"expected sections ({', '.join(SECTIONS)}), got {describe(data)}", 1, None)
        return result
    for section, value in data.items():
        if section not in SECTIONS:
            hint = did_you_mean(section, SECTIONS)
            r.problem(f"unknown section {section!r}{hint}", data.line_of(section), section)
            continue
        if value is None:
            continue
        if not isinstance(value, LList):
            r.problem(f"expected a list, got {describe(value)}", data.line_of(section), section)
            continue
        for i, (item, base) in enumerate(zip(value, _bases(section, value, stored), strict=True)):
            where = f"{section}[{i}]"
            if not isinstance(item, LDict):
                r.problem(f"expected a mapping, got {describe(item)}", value.line_at(i), where)
                continue
            record = read_record(r, item, section, where, base)
            if isinstance(record, Meeting):
                result.pending.append(_Pending(r, item, where, record, base))
            place = Problem("", file=source, line=item.line, field=where)
            result.records.setdefault(section, []).append(_Read(record, place))
    return result


def _resolve_meeting_times(pending: _Pending, timezones: dict[str, str]) -> Meeting:
    r, m, w, meeting = pending.values, pending.mapping, pending.where, pending.meeting
    zone = ZoneInfo(timezones.get(meeting.body) or DEFAULT_TIMEZONE)
    times: dict[str, Any] = {"start": None, "end": None}
    for key in times:
        if pending.base is not None and key not in m:
            times[key] = getattr(pending.base, key)  # the stored moment, whatever the zone
        elif m.get(key) is not None:
            times[key], message = parse_local_datetime(m[key], zone)
            if message:
                r.at(m, key, w, message)
    start, end = times["start"], times["end"]
    if start and end and end <= start:
        r.at(m, "end", w, "the meeting ends before it starts")
    return replace(meeting, start=start or PLACEHOLDER_TIME, end=end)


def _check_and_build(
    results: Sequence[tuple[str, _FileResult]],
    problems: list[Problem],
    refs: list[Ref],
    known: Known,
) -> Register:
    merged: dict[str, dict[tuple[str, ...], _Read]] = {s: {} for s in SECTIONS}
    pending: list[_Pending] = []
    for _, result in results:
        pending.extend(result.pending)
        for section, records in result.records.items():
            _merge(section, merged[section], records, problems)

    timezones = dict(known.timezones)
    timezones.update({read.record.id: read.record.timezone for read in merged["bodies"].values()})
    meetings = merged["meetings"]
    for p in pending:
        resolved = _resolve_meeting_times(p, timezones)  # a duplicate's times are checked too
        key = (p.meeting.id,)
        if key in meetings and meetings[key].record is p.meeting:
            meetings[key] = _Read(resolved, meetings[key].where)

    ids = {s: {k[0] for k in merged[s]} | set(known.ids.get(s, set())) for s in SECTIONS}
    problems.extend(missing_references(refs, ids))
    located = {s: [(read.record, read.where) for read in merged[s].values()] for s in SECTIONS}
    problems.extend(relation_cycles(located["relations"], known.relations))
    problems.extend(body_cycles(located["bodies"], known.body_parents))

    if problems:
        problems.sort(key=lambda p: (p.file or "", p.line or 0))
        files = ", ".join(path for path, _ in results)
        raise InputFileError(f"cannot load {files}: {len(problems)} problem(s)", problems)

    return Register(**{s: tuple(read.record for read in merged[s].values()) for s in SECTIONS})


def _merge(
    section: str, seen: dict[tuple[str, ...], _Read], records: list[_Read], problems: list[Problem]
) -> None:
    """Add records by key; a second record with a key already seen is a problem at the second."""
    for read in records:
        key = key_of(section, read.record)
        if key in seen:
            other = seen[key].where
            where = read.where
            field_: str | None
            if len(key) == 1 and hasattr(read.record, "id"):
                message, field_ = f"duplicate id {key[0]!r}", f"{where.field}.id"
            else:
                message, field_ = f"the same record twice ({', '.join(key)})", where.field
            problems.append(
                Problem(
                    f"{message} (also at {other.file}:{other.line})",
                    file=where.file,
                    line=where.line,
                    field=field_,
                )
            )
            continue
        seen[key] = read
