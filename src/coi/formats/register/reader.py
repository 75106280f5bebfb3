"""Register files in: every file read and checked, every problem listed, then one ``Register``.

Reading collects every problem (file, line, field) before giving up, so a secretary
fixes a file in one pass; nothing is written anywhere until all files are clean.
References and cycles are checked against the files together and what the database
already holds (``Known``), by the rules in ``coi.domain.integrity``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from coi.domain.integrity import Known, Ref, body_cycles, missing_references, relation_cycles
from coi.domain.model import Meeting, Register
from coi.domain.words import DEFAULT_TIMEZONE
from coi.errors import InputFileError, Problem
from coi.formats.register.fields import SECTIONS
from coi.formats.register.records import PLACEHOLDER_TIME, read_record
from coi.formats.register.times import parse_local_datetime
from coi.formats.register.values import Values, describe, did_you_mean
from coi.formats.yamlread import LDict, LList, read_yaml


@dataclass(frozen=True, slots=True)
class _Read:
    """One record as read, with where it was written."""

    record: Any
    where: Problem  # file, line and the record's place (e.g. people[3]); no message


@dataclass
class _Pending:
    """A meeting whose times wait for its body's time zone (which may be in another file)."""

    values: Values
    mapping: LDict
    where: str
    meeting: Meeting


@dataclass
class _FileResult:
    records: dict[str, list[_Read]] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)


def read_register(paths: Sequence[Path], known: Known | None = None) -> Register:
    """Read and check register files; raise InputFileError listing every problem found."""
    problems: list[Problem] = []
    refs: list[Ref] = []
    results = [(str(p), _read_file(Path(p), problems, refs)) for p in paths]
    return _check_and_build(results, problems, refs, known or Known())


def read_register_data(data: Any, source: str, known: Known | None = None) -> Register:
    """Check register data that did not come from a file (the command line builds it)."""
    problems: list[Problem] = []
    refs: list[Ref] = []
    results = [(source, _read_data(_located(data), source, problems, refs))]
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


def _read_file(path: Path, problems: list[Problem], refs: list[Ref]) -> _FileResult:
    data, found = read_yaml(path)
    problems.extend(found)
    if data is None:  # an empty file is an empty register; a broken one is already reported
        return _FileResult()
    return _read_data(data, str(path), problems, refs)


def _read_data(data: Any, source: str, problems: list[Problem], refs: list[Ref]) -> _FileResult:
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
        for i, item in enumerate(value):
            where = f"{section}[{i}]"
            if not isinstance(item, LDict):
                r.problem(f"expected a mapping, got {describe(item)}", value.line_at(i), where)
                continue
            record = read_record(r, item, section, where)
            if isinstance(record, Meeting):
                result.pending.append(_Pending(r, item, where, record))
            place = Problem("", file=source, line=item.line, field=where)
            result.records.setdefault(section, []).append(_Read(record, place))
    return result


def _resolve_meeting_times(pending: _Pending, timezones: dict[str, str]) -> Meeting:
    r, m, w, meeting = pending.values, pending.mapping, pending.where, pending.meeting
    zone = ZoneInfo(timezones.get(meeting.body) or DEFAULT_TIMEZONE)
    times: dict[str, Any] = {"start": None, "end": None}
    for key in times:
        if m.get(key) is not None:
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
    merged: dict[str, dict[str, _Read]] = {s: {} for s in SECTIONS}
    away: list[Any] = []
    pending: list[_Pending] = []
    for _, result in results:
        pending.extend(result.pending)
        for section, records in result.records.items():
            if section == "away":
                away.extend(read.record for read in records)
                continue
            _merge(merged[section], records, problems)

    timezones = dict(known.timezones)
    timezones.update({read.record.id: read.record.timezone for read in merged["bodies"].values()})
    meetings = merged["meetings"]
    for p in pending:
        resolved = _resolve_meeting_times(p, timezones)  # a duplicate's times are checked too
        key = p.meeting.id
        if key in meetings and meetings[key].record is p.meeting:
            meetings[key] = _Read(resolved, meetings[key].where)

    ids = {s: set(merged[s]) | set(known.ids.get(s, set())) for s in SECTIONS}
    problems.extend(missing_references(refs, ids))
    located = {s: [(read.record, read.where) for read in merged[s].values()] for s in SECTIONS}
    problems.extend(relation_cycles(located["relations"], known.relations))
    problems.extend(body_cycles(located["bodies"], known.body_parents))

    if problems:
        problems.sort(key=lambda p: (p.file or "", p.line or 0))
        files = ", ".join(path for path, _ in results)
        raise InputFileError(f"cannot load {files}: {len(problems)} problem(s)", problems)

    sections = {s: tuple(read.record for read in merged[s].values()) for s in SECTIONS}
    return Register(**{**sections, "away": tuple(away)})


def _merge(seen: dict[str, _Read], records: list[_Read], problems: list[Problem]) -> None:
    """Add records by id; a second record with an id already seen is a problem at the second."""
    for read in records:
        key = read.record.id
        if key in seen:
            other = seen[key].where
            message = f"duplicate id {key!r} (also at {other.file}:{other.line})"
            where = read.where
            problems.append(
                Problem(message, file=where.file, line=where.line, field=f"{where.field}.id")
            )
            continue
        seen[key] = read
