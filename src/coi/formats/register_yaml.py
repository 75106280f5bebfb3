"""Register YAML in and out: files become a checked ``Register``; a ``Register`` becomes YAML.

Reading collects every problem (file, line, field) before giving up, so a secretary
fixes a file in one pass; nothing is written anywhere until all files are clean.
The format is documented in ``docs/register-format.md`` and the README.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from coi.domain.model import (
    Affiliation,
    AgendaItem,
    Away,
    Body,
    Category,
    Gift,
    Identifier,
    Interest,
    InterestKind,
    ItemKind,
    Meeting,
    MeetingStatus,
    Membership,
    Organisation,
    OrgKind,
    Person,
    PoolMember,
    Register,
    Relation,
    RelationKind,
    Seat,
    Selection,
)
from coi.domain.words import DEFAULT_TIMEZONE
from coi.errors import InputFileError, Problem
from coi.formats.yamlread import LDict, LList, read_yaml

SECTIONS = (
    "organisations",
    "relations",
    "people",
    "affiliations",
    "bodies",
    "seats",
    "interests",
    "gifts",
    "meetings",
    "away",
)

# Which record kind each reference field points at, for the "does it exist" check.
ORG, PERSON, BODY, SEAT, MEETING = "organisations", "people", "bodies", "seats", "meetings"

FIELDS: dict[str, tuple[str, ...]] = {
    "organisations": (
        "id",
        "name",
        "kind",
        "aliases",
        "identifiers",
        "service_areas",
        "founded",
        "dissolved",
        "notes",
    ),
    "identifier": ("scheme", "id"),
    "relations": ("id", "from", "kind", "to", "start", "end"),
    "people": ("id", "name", "email", "notes"),
    "affiliations": ("id", "person", "organisation", "role", "on_behalf_of", "start", "end"),
    "bodies": (
        "id",
        "name",
        "parent",
        "commissioners",
        "timezone",
        "quorum",
        "members",
        "notes",
        "policy",
    ),
    "member": ("person", "role", "on_behalf_of", "voting", "start", "end"),
    "seats": (
        "id",
        "body",
        "name",
        "places",
        "pool",
        "mandate",
        "selection",
        "term_start",
        "term_end",
        "voting",
    ),
    "pool member": ("person", "on_behalf_of"),
    "interests": (
        "id",
        "person",
        "organisation",
        "category",
        "kind",
        "description",
        "service_areas",
        "counterparties",
        "references",
        "start",
        "end",
        "declared_on",
        "action_agreed",
        "publish",
        "withheld_reason",
    ),
    "gifts": (
        "id",
        "person",
        "offeror",
        "description",
        "value",
        "offered_on",
        "accepted",
        "declared_on",
    ),
    "meetings": (
        "id",
        "body",
        "title",
        "start",
        "end",
        "location",
        "status",
        "guests",
        "items",
        "notes",
    ),
    "item": (
        "number",
        "title",
        "kind",
        "text",
        "service_areas",
        "organisations",
        "references",
        "value",
    ),
    "away": ("person", "start", "end", "reason"),
}

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")
DATETIME_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?$"
)

E = TypeVar("E", bound=StrEnum)

# Longest text the database columns hold; longer is a user's problem to fix, not a crash.
MAX_LENGTH = {
    "id": 120,
    "name": 300,
    "title": 300,
    "location": 300,
    "email": 300,
    "offeror": 300,
    "role": 200,
    "number": 20,
    "timezone": 64,
}


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference from one record to another, kept with its location for the exists check."""

    kind: str
    id: str
    where: Problem


@dataclass
class Known:
    """What the database already holds, so files can refer to it and upserts stay consistent."""

    ids: Mapping[str, set[str]] = field(default_factory=dict)
    timezones: Mapping[str, str] = field(default_factory=dict)
    relations: Sequence[tuple[str, str, str]] = ()
    body_parents: Mapping[str, str | None] = field(default_factory=dict)


class _Reader:
    """Reads one file's records into domain objects, noting problems instead of stopping."""

    def __init__(self, file: str, problems: list[Problem], refs: list[Ref]) -> None:
        self.file = file
        self.problems = problems
        self.refs = refs
        # Paths inside a file (a body's policy) are relative to that file's folder.
        self.base = Path(file).parent if Path(file).is_file() else Path.cwd()

    # -- locating and reporting -------------------------------------------------
    def problem(self, message: str, line: int | None, fld: str | None) -> None:
        # Line 0 means the data did not come from a file (the command line built it).
        self.problems.append(Problem(message, file=self.file, line=line or None, field=fld))

    def check_keys(self, m: LDict, kind: str, where: str) -> None:
        allowed = FIELDS[kind]
        for key in m:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.problem(f"unknown key {key!r}{hint}", m.line_of(key), f"{where}.{key}")

    # -- typed getters: each returns a usable default after noting a problem -----
    def raw(self, m: LDict, key: str, where: str, required: bool) -> Any:
        value = m.get(key)
        if value is None and required:
            self.problem("missing required field", m.line, f"{where}.{key}")
        return value

    def text(self, m: LDict, key: str, where: str, *, required: bool = False) -> str:
        value = self.raw(m, key, where, required)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(f"expected text, got {_kind(value)}", m.line_of(key), f"{where}.{key}")
            return ""
        text = str(value)
        limit = MAX_LENGTH.get(key)
        if limit is not None and len(text) > limit:
            self.problem(
                f"too long: {len(text)} characters, at most {limit}",
                m.line_of(key),
                f"{where}.{key}",
            )
            return text[:limit]
        return text

    def ident(self, m: LDict, key: str, where: str, *, required: bool = True) -> str:
        value = self.text(m, key, where, required=required)
        if value and not ID_RE.match(value):
            self.problem(
                f"{value!r} is not a valid id (lowercase letters, digits, '-', '_', '.')",
                m.line_of(key),
                f"{where}.{key}",
            )
        return value

    def ref(self, m: LDict, key: str, kind: str, where: str, *, required: bool = False) -> str:
        value = self.text(m, key, where, required=required)
        if value:
            self.refs.append(Ref(kind, value, self._at(m.line_of(key), f"{where}.{key}")))
        return value

    def opt_ref(self, m: LDict, key: str, kind: str, where: str) -> str | None:
        return self.ref(m, key, kind, where) or None

    def _at(self, line: int, fld: str) -> Problem:
        return Problem("", file=self.file, line=line or None, field=fld)

    def integer(self, m: LDict, key: str, where: str, default: int | None) -> int | None:
        value = m.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                f"expected a whole number, got {_kind(value)}", m.line_of(key), f"{where}.{key}"
            )
            return default
        return value

    def number(self, m: LDict, key: str, where: str) -> float | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"expected a number, got {_kind(value)}", m.line_of(key), f"{where}.{key}")
            return None
        return float(value)

    def boolean(self, m: LDict, key: str, where: str, default: bool) -> bool:
        value = m.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(
                f"expected true or false, got {_kind(value)}", m.line_of(key), f"{where}.{key}"
            )
            return default
        return value

    def date(self, m: LDict, key: str, where: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(m, key, where, required)
        if value is None:
            return None
        parsed, message = parse_date(value)
        if message:
            self.problem(message, m.line_of(key), f"{where}.{key}")
        return parsed

    def enum(self, m: LDict, key: str, where: str, enum: type[E], default: E | None) -> E:
        value = m.get(key)
        if value is None:
            if default is None:
                self.problem("missing required field", m.line, f"{where}.{key}")
                return next(iter(enum))
            return default
        choices = [e.value for e in enum]
        if value in choices:
            return enum(value)
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.problem(
            f"{value!r} is not one of {', '.join(choices)}{hint}", m.line_of(key), f"{where}.{key}"
        )
        return default if default is not None else enum(choices[0])

    def strings(self, m: LDict, key: str, where: str) -> tuple[str, ...]:
        value = m.get(key)
        if value is None:
            return ()
        if isinstance(value, str):  # a lone value is a one-item list: forgiving, unambiguous
            value = [value]
        if not isinstance(value, list):
            self.problem(f"expected a list, got {_kind(value)}", m.line_of(key), f"{where}.{key}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                line = value.line_at(i) if isinstance(value, LList) else m.line_of(key)
                self.problem(f"expected text, got {_kind(item)}", line, f"{where}.{key}[{i}]")
                continue
            out.append(str(item))
        return tuple(out)

    def tags(self, m: LDict, key: str, where: str) -> tuple[str, ...]:
        out = []
        for tag in self.strings(m, key, where):
            norm = tag.strip().strip("/").lower()
            if not TAG_RE.match(norm):
                self.problem(
                    f"{tag!r} is not a service area (e.g. mental-health/adult)",
                    m.line_of(key),
                    f"{where}.{key}",
                )
                continue
            out.append(norm)
        return tuple(out)

    def refs_list(self, m: LDict, key: str, kind: str, where: str) -> tuple[str, ...]:
        values = self.strings(m, key, where)
        for i, value in enumerate(values):
            container = m.get(key)
            line = container.line_at(i) if isinstance(container, LList) else m.line_of(key)
            self.refs.append(Ref(kind, value, self._at(line, f"{where}.{key}[{i}]")))
        return values

    def mappings(self, m: LDict, key: str, where: str) -> list[tuple[str, LDict]]:
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(f"expected a list, got {_kind(value)}", m.line_of(key), f"{where}.{key}")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, LDict):
                line = value.line_at(i) if isinstance(value, LList) else m.line_of(key)
                self.problem(f"expected a mapping, got {_kind(item)}", line, f"{where}.{key}[{i}]")
                continue
            out.append((f"{where}.{key}[{i}]", item))
        return out

    def date_order(
        self, m: LDict, start: dt.date | None, end: dt.date | None, where: str, end_key: str
    ) -> None:
        if start and end and end < start:
            self.problem(
                f"ends ({end}) before it starts ({start})", m.line_of(end_key), f"{where}.{end_key}"
            )


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "nothing"
    return f"{value!r}"


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """A date from ``YYYY-MM-DD``; returns (date, "") or (None, why not)."""
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None, f"{text!r} is not a date: use YYYY-MM-DD"
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return None, f"{text!r} is not a real date"


def parse_local_datetime(value: Any, zone: ZoneInfo) -> tuple[dt.datetime | None, str]:
    """An aware datetime from ``YYYY-MM-DD HH:MM[:SS][offset]``, local to ``zone`` if no offset."""
    text = str(value).strip()
    match = DATETIME_RE.match(text)
    if not match:
        return None, f"{text!r} is not a date and time: use YYYY-MM-DD HH:MM"
    day, hour, minute, second, offset = match.groups()
    try:
        naive = dt.datetime.fromisoformat(f"{day}T{int(hour):02d}:{minute}:{second or '00'}")
    except ValueError:
        return None, f"{text!r} is not a real date and time"
    if offset:
        tz = dt.UTC if offset == "Z" else dt.datetime.strptime(offset.replace(":", ""), "%z").tzinfo
        return naive.replace(tzinfo=tz).astimezone(dt.UTC), ""
    local = naive.replace(tzinfo=zone)
    # A wall time that the clocks skip over (spring forward) does not exist.
    if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None, f"{text!r} does not exist in {zone.key} (the clocks change then)"
    return local.astimezone(dt.UTC), ""


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass
class _Pending:
    """A meeting whose times wait for its body's time zone (which may be in another file)."""

    reader: _Reader
    mapping: LDict
    where: str
    meeting: Meeting


@dataclass
class _FileResult:
    records: dict[str, list[tuple[Any, str, int]]] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)


def _read_file(path: Path, problems: list[Problem], refs: list[Ref]) -> _FileResult:
    data, found = read_yaml(path)
    problems.extend(found)
    if data is None:  # an empty file is an empty register; a broken one is already reported
        return _FileResult()
    return _read_data(data, str(path), problems, refs)


def _read_data(data: Any, source: str, problems: list[Problem], refs: list[Ref]) -> _FileResult:
    result = _FileResult()
    r = _Reader(source, problems, refs)
    if not isinstance(data, LDict):
        r.problem(f"expected sections ({', '.join(SECTIONS)}), got {_kind(data)}", 1, None)
        return result
    for section, value in data.items():
        if section not in SECTIONS:
            close = difflib.get_close_matches(section, SECTIONS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            r.problem(f"unknown section {section!r}{hint}", data.line_of(section), section)
            continue
        if value is None:
            continue
        if not isinstance(value, LList):
            r.problem(f"expected a list, got {_kind(value)}", data.line_of(section), section)
            continue
        reader = _SECTION_READERS[section]
        for i, item in enumerate(value):
            where = f"{section}[{i}]"
            if not isinstance(item, LDict):
                r.problem(f"expected a mapping, got {_kind(item)}", value.line_at(i), where)
                continue
            r.check_keys(item, section, where)
            record = reader(r, item, where)
            if isinstance(record, Meeting):
                result.pending.append(_Pending(r, item, where, record))
            result.records.setdefault(section, []).append((record, where, item.line))
    return result


def _organisation(r: _Reader, m: LDict, w: str) -> Organisation:
    identifiers = []
    for iw, im in r.mappings(m, "identifiers", w):
        r.check_keys(im, "identifier", iw)
        scheme = r.text(im, "scheme", iw, required=True)
        ident = r.text(im, "id", iw, required=True)
        identifiers.append(Identifier(scheme=scheme.strip().upper(), id=ident.strip()))
    founded = r.date(m, "founded", w)
    dissolved = r.date(m, "dissolved", w)
    r.date_order(m, founded, dissolved, w, "dissolved")
    return Organisation(
        id=r.ident(m, "id", w),
        name=r.text(m, "name", w, required=True),
        kind=r.enum(m, "kind", w, OrgKind, OrgKind.PROVIDER),
        aliases=r.strings(m, "aliases", w),
        identifiers=tuple(identifiers),
        service_areas=r.tags(m, "service_areas", w),
        founded=founded,
        dissolved=dissolved,
        notes=r.text(m, "notes", w),
    )


def _relation(r: _Reader, m: LDict, w: str) -> Relation:
    source = r.ref(m, "from", ORG, w, required=True)
    kind = r.enum(m, "kind", w, RelationKind, None)
    target = r.ref(m, "to", ORG, w, required=True)
    start, end = r.date(m, "start", w), r.date(m, "end", w)
    r.date_order(m, start, end, w, "end")
    if source and source == target:
        r.problem(f"an organisation cannot be {kind} itself", m.line_of("to"), f"{w}.to")
    rid = r.ident(m, "id", w, required=False) or f"{source}.{kind}.{target}"
    return Relation(id=rid, source=source, kind=kind, target=target, start=start, end=end)


def _person(r: _Reader, m: LDict, w: str) -> Person:
    return Person(
        id=r.ident(m, "id", w),
        name=r.text(m, "name", w, required=True),
        email=r.text(m, "email", w),
        notes=r.text(m, "notes", w),
    )


def _affiliation(r: _Reader, m: LDict, w: str) -> Affiliation:
    person = r.ref(m, "person", PERSON, w, required=True)
    org = r.ref(m, "organisation", ORG, w, required=True)
    start, end = r.date(m, "start", w), r.date(m, "end", w)
    r.date_order(m, start, end, w, "end")
    return Affiliation(
        id=r.ident(m, "id", w, required=False) or f"{person}.{org}",
        person=person,
        organisation=org,
        role=r.text(m, "role", w, required=True),
        on_behalf_of=r.opt_ref(m, "on_behalf_of", ORG, w),
        start=start,
        end=end,
    )


def _body(r: _Reader, m: LDict, w: str) -> Body:
    members = []
    for mw, mm in r.mappings(m, "members", w):
        r.check_keys(mm, "member", mw)
        start, end = r.date(mm, "start", mw), r.date(mm, "end", mw)
        r.date_order(mm, start, end, mw, "end")
        members.append(
            Membership(
                person=r.ref(mm, "person", PERSON, mw, required=True),
                role=r.text(mm, "role", mw) or "member",
                on_behalf_of=r.opt_ref(mm, "on_behalf_of", ORG, mw),
                voting=r.boolean(mm, "voting", mw, True),
                start=start,
                end=end,
            )
        )
    timezone = r.text(m, "timezone", w) or DEFAULT_TIMEZONE
    if not valid_timezone(timezone):
        r.problem(
            f"unknown time zone {timezone!r} (e.g. Europe/London)",
            m.line_of("timezone"),
            f"{w}.timezone",
        )
        timezone = DEFAULT_TIMEZONE
    quorum = r.integer(m, "quorum", w, None)
    if quorum is not None and quorum < 1:
        r.problem("quorum must be at least 1", m.line_of("quorum"), f"{w}.quorum")
    return Body(
        id=r.ident(m, "id", w),
        name=r.text(m, "name", w, required=True),
        parent=r.opt_ref(m, "parent", BODY, w),
        commissioners=r.refs_list(m, "commissioners", ORG, w),
        timezone=timezone,
        quorum=quorum,
        members=tuple(members),
        notes=r.text(m, "notes", w),
        policy=_body_policy(r, m, w),
    )


def _plain(value: Any) -> Any:
    """LDict/LList (which the YAML dumper cannot write) as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _body_policy(r: _Reader, m: LDict, w: str) -> str:
    """A body's own policy: a file path (relative to the register file) or inline rules.

    Kept as YAML text, checked like any policy file, so the register carries the policy
    it was loaded with wherever the database goes.
    """
    from coi.domain.policy import policy_from_dict

    value = m.get("policy")
    if value is None or value == "":
        return ""
    source = f"{r.file}:{m.line_of('policy')} ({w}.policy)"
    if isinstance(value, str):
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = r.base / path
        try:
            data, problems = read_yaml(path)
        except OSError as exc:  # pragma: no cover - read_yaml reports these itself
            data, problems = None, [Problem(str(exc), file=str(path))]
        if problems or data is None:
            for p in problems or [Problem("the policy file is empty", file=str(path))]:
                r.problems.append(p)
            return ""
        source = str(path)
    elif isinstance(value, dict):
        data = value
    else:
        r.problem(
            f"expected a policy file path or the policy's rules, got {_kind(value)}",
            m.line_of("policy"),
            f"{w}.policy",
        )
        return ""
    try:
        policy_from_dict(_plain(data), source)
    except InputFileError as exc:
        r.problems.extend(exc.problems)
        return ""
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)


def _seat(r: _Reader, m: LDict, w: str) -> Seat:
    pool: list[PoolMember] = []
    raw_pool = m.get("pool")
    if raw_pool is not None and not isinstance(raw_pool, list):
        r.problem(f"expected a list, got {_kind(raw_pool)}", m.line_of("pool"), f"{w}.pool")
        raw_pool = []
    for i, entry in enumerate(raw_pool or []):
        pw = f"{w}.pool[{i}]"
        line = raw_pool.line_at(i) if isinstance(raw_pool, LList) else m.line
        if isinstance(entry, str):
            r.refs.append(Ref(PERSON, entry, r._at(line, pw)))
            pool.append(PoolMember(person=entry))
        elif isinstance(entry, LDict):
            r.check_keys(entry, "pool member", pw)
            pool.append(
                PoolMember(
                    person=r.ref(entry, "person", PERSON, pw, required=True),
                    on_behalf_of=r.opt_ref(entry, "on_behalf_of", ORG, pw),
                )
            )
        else:
            r.problem(f"expected a person id or mapping, got {_kind(entry)}", line, pw)
    seen: set[str] = set()
    for member in pool:
        if member.person in seen:
            r.problem(f"{member.person!r} is in the pool twice", m.line_of("pool"), f"{w}.pool")
        seen.add(member.person)
    places = r.integer(m, "places", w, 1) or 0
    if places < 1:
        r.problem(f"places must be at least 1, got {places}", m.line_of("places"), f"{w}.places")
    term_start, term_end = r.date(m, "term_start", w), r.date(m, "term_end", w)
    r.date_order(m, term_start, term_end, w, "term_end")
    return Seat(
        id=r.ident(m, "id", w),
        body=r.ref(m, "body", BODY, w, required=True),
        name=r.text(m, "name", w, required=True),
        places=max(places, 1),
        pool=tuple(pool),
        mandate=r.text(m, "mandate", w).strip(),
        selection=r.enum(m, "selection", w, Selection, Selection.NOMINATED),
        term_start=term_start,
        term_end=term_end,
        voting=r.boolean(m, "voting", w, True),
    )


def _interest(r: _Reader, m: LDict, w: str) -> Interest:
    person = r.opt_ref(m, "person", PERSON, w)
    org = r.opt_ref(m, "organisation", ORG, w)
    if (person is None) == (org is None):
        r.problem(
            "give exactly one of person or organisation (who holds the interest)",
            m.line,
            f"{w}.person",
        )
    start, end = r.date(m, "start", w), r.date(m, "end", w)
    r.date_order(m, start, end, w, "end")
    publish = r.boolean(m, "publish", w, True)
    reason = r.text(m, "withheld_reason", w)
    if not publish and not reason.strip():
        r.problem(
            "an entry withheld from publication needs a withheld_reason",
            m.line_of("publish"),
            f"{w}.withheld_reason",
        )
    return Interest(
        id=r.ident(m, "id", w),
        category=r.enum(m, "category", w, Category, None),
        kind=r.enum(m, "kind", w, InterestKind, None),
        description=r.text(m, "description", w, required=True),
        person=person,
        organisation=org,
        service_areas=r.tags(m, "service_areas", w),
        counterparties=r.refs_list(m, "counterparties", ORG, w),
        references=tuple(s.strip() for s in r.strings(m, "references", w)),
        start=start,
        end=end,
        declared_on=r.date(m, "declared_on", w),
        action_agreed=r.text(m, "action_agreed", w),
        publish=publish,
        withheld_reason=reason,
    )


def _gift(r: _Reader, m: LDict, w: str) -> Gift:
    value = r.number(m, "value", w) or 0.0
    if value < 0:
        r.problem("value cannot be negative", m.line_of("value"), f"{w}.value")
    return Gift(
        id=r.ident(m, "id", w),
        person=r.ref(m, "person", PERSON, w, required=True),
        offeror=r.text(m, "offeror", w, required=True),
        description=r.text(m, "description", w, required=True),
        value=value,
        offered_on=r.date(m, "offered_on", w),
        accepted=r.boolean(m, "accepted", w, False),
        declared_on=r.date(m, "declared_on", w),
    )


def _item(r: _Reader, m: LDict, w: str) -> AgendaItem:
    return AgendaItem(
        number=r.text(m, "number", w, required=True).strip(),
        title=r.text(m, "title", w, required=True),
        kind=r.enum(m, "kind", w, ItemKind, ItemKind.DISCUSSION),
        text=r.text(m, "text", w),
        service_areas=r.tags(m, "service_areas", w),
        organisations=r.refs_list(m, "organisations", ORG, w),
        references=tuple(s.strip() for s in r.strings(m, "references", w)),
        value=r.number(m, "value", w),
    )


_PLACEHOLDER_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _meeting(r: _Reader, m: LDict, w: str) -> Meeting:
    items = []
    numbers: set[str] = set()
    for iw, im in r.mappings(m, "items", w):
        r.check_keys(im, "item", iw)
        item = _item(r, im, iw)
        if item.number in numbers:
            r.problem(
                f"item number {item.number!r} appears twice in this meeting",
                im.line_of("number"),
                f"{iw}.number",
            )
        numbers.add(item.number)
        items.append(item)
    r.raw(m, "start", w, True)
    return Meeting(
        id=r.ident(m, "id", w),
        body=r.ref(m, "body", BODY, w, required=True),
        title=r.text(m, "title", w, required=True),
        start=_PLACEHOLDER_TIME,  # set once the body's time zone is known
        location=r.text(m, "location", w),
        status=r.enum(m, "status", w, MeetingStatus, MeetingStatus.SCHEDULED),
        guests=r.refs_list(m, "guests", PERSON, w),
        items=tuple(items),
        notes=r.text(m, "notes", w),
    )


def _away(r: _Reader, m: LDict, w: str) -> Away:
    start = r.date(m, "start", w, required=True)
    end = r.date(m, "end", w, required=True)
    r.date_order(m, start, end, w, "end")
    return Away(
        person=r.ref(m, "person", PERSON, w, required=True),
        start=start or dt.date.min,
        end=end or dt.date.max,
        reason=r.text(m, "reason", w),
    )


_SECTION_READERS: dict[str, Callable[[_Reader, LDict, str], Any]] = {
    "organisations": _organisation,
    "relations": _relation,
    "people": _person,
    "affiliations": _affiliation,
    "bodies": _body,
    "seats": _seat,
    "interests": _interest,
    "gifts": _gift,
    "meetings": _meeting,
    "away": _away,
}


def _resolve_meeting_times(pending: _Pending, timezones: Mapping[str, str]) -> Meeting:
    r, m, w, meeting = pending.reader, pending.mapping, pending.where, pending.meeting
    zone = ZoneInfo(timezones.get(meeting.body) or DEFAULT_TIMEZONE)
    start = end = None
    if m.get("start") is not None:
        start, message = parse_local_datetime(m["start"], zone)
        if message:
            r.problem(message, m.line_of("start"), f"{w}.start")
    if m.get("end") is not None:
        end, message = parse_local_datetime(m["end"], zone)
        if message:
            r.problem(message, m.line_of("end"), f"{w}.end")
    if start and end and end <= start:
        r.problem("the meeting ends before it starts", m.line_of("end"), f"{w}.end")
    return _replace_times(meeting, start or _PLACEHOLDER_TIME, end)


def _replace_times(meeting: Meeting, start: dt.datetime, end: dt.datetime | None) -> Meeting:
    from dataclasses import replace

    return replace(meeting, start=start, end=end)


def _cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Every cycle's nodes (one representative list per cycle) in a directed graph."""
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    found: list[list[str]] = []
    for root in sorted(graph):
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph.get(root, []))))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(graph.get(nxt, [])))))
    return found


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


def _check_and_build(
    results: Sequence[tuple[str, _FileResult]],
    problems: list[Problem],
    refs: list[Ref],
    known: Known,
) -> Register:
    merged: dict[str, dict[str, tuple[Any, str, int, str]]] = {s: {} for s in SECTIONS}
    away: list[Away] = []
    pending: list[_Pending] = []
    for path, result in results:
        pending.extend(result.pending)
        for section, records in result.records.items():
            if section == "away":
                away.extend(rec for rec, _, _ in records)
                continue
            seen = merged[section]
            for record, where, line in records:
                key = record.id
                if key in seen:
                    _, _, other_line, other_file = seen[key]
                    problems.append(
                        Problem(
                            f"duplicate id {key!r} (also at {other_file}:{other_line})",
                            file=str(path),
                            line=line,
                            field=f"{where}.id",
                        )
                    )
                    continue
                seen[key] = (record, where, line, str(path))

    timezones = dict(known.timezones)
    timezones.update({b.id: b.timezone for b, *_ in merged["bodies"].values()})
    for p in pending:
        resolved = _resolve_meeting_times(p, timezones)
        key = resolved.id
        if key in merged["meetings"] and merged["meetings"][key][0] is p.meeting:
            entry = merged["meetings"][key]
            merged["meetings"][key] = (resolved, *entry[1:])

    ids = {s: set(merged[s]) | set(known.ids.get(s, set())) for s in SECTIONS}
    problems.extend(_missing_references(refs, ids))
    problems.extend(_relation_cycles(merged, known))
    problems.extend(_body_cycles(merged, known))

    if problems:
        problems.sort(key=lambda p: (p.file or "", p.line or 0))
        files = ", ".join(path for path, _ in results)
        raise InputFileError(f"cannot load {files}: {len(problems)} problem(s)", problems)

    def collected(section: str) -> tuple[Any, ...]:
        return tuple(rec for rec, *_ in merged[section].values())

    return Register(
        organisations=collected("organisations"),
        relations=collected("relations"),
        people=collected("people"),
        affiliations=collected("affiliations"),
        bodies=collected("bodies"),
        seats=collected("seats"),
        interests=collected("interests"),
        gifts=collected("gifts"),
        meetings=collected("meetings"),
        away=tuple(away),
    )


_NOUN = {ORG: "organisation", PERSON: "person", BODY: "body", SEAT: "seat", MEETING: "meeting"}


def _missing_references(refs: Iterable[Ref], ids: Mapping[str, set[str]]) -> list[Problem]:
    out = []
    for ref in refs:
        pool = ids.get(ref.kind, set())
        if ref.id in pool:
            continue
        close = difflib.get_close_matches(ref.id, sorted(pool), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        noun = _NOUN.get(ref.kind, ref.kind)
        out.append(
            Problem(
                f"no {noun} with id {ref.id!r}{hint}",
                file=ref.where.file,
                line=ref.where.line,
                field=ref.where.field,
            )
        )
    return out


def _relation_cycles(
    merged: Mapping[str, Mapping[str, tuple[Any, str, int, str]]], known: Known
) -> list[Problem]:
    """member_of and subsidiary_of must not loop back: nothing is its own parent or member."""
    out = []
    by_pair: dict[tuple[str, str, str], tuple[str, int, str]] = {}
    for rel, where, line, file in merged["relations"].values():
        by_pair[(rel.kind, rel.source, rel.target)] = (where, line, file)
    edges_by_kind: dict[str, set[tuple[str, str]]] = {}
    for kind, source, target in [*known.relations, *by_pair]:
        edges_by_kind.setdefault(kind, set()).add((source, target))
    for kind in (RelationKind.MEMBER_OF, RelationKind.SUBSIDIARY_OF):
        for cycle in _cycles(edges_by_kind.get(kind, set())):
            # Report at a relation from the files, so the user sees where to fix it.
            located = next(
                (
                    by_pair[(kind, a, b)]
                    for a, b in itertools.pairwise(cycle)
                    if (kind, a, b) in by_pair
                ),
                None,
            )
            if located is None:
                continue
            where, line, file = located
            out.append(
                Problem(
                    f"relations form a cycle: {f' {kind} '.join(cycle)}",
                    file=file,
                    line=line,
                    field=where,
                )
            )
    return out


def _body_cycles(
    merged: Mapping[str, Mapping[str, tuple[Any, str, int, str]]], known: Known
) -> list[Problem]:
    parents = {k: v for k, v in known.body_parents.items() if v}
    located = {}
    for body, where, line, file in merged["bodies"].values():
        if body.parent:
            parents[body.id] = body.parent
            located[body.id] = (where, line, file)
        else:
            parents.pop(body.id, None)
    out = []
    for cycle in _cycles(parents.items()):
        spot = next((located[b] for b in cycle if b in located), None)
        if spot is None:
            continue
        where, line, file = spot
        out.append(
            Problem(
                f"bodies sit under each other in a cycle: {' under '.join(cycle)}",
                file=file,
                line=line,
                field=f"{where}.parent",
            )
        )
    return out


# -- writing ------------------------------------------------------------------


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    """Drop empty and default-valued fields so dumps read like hand-written files."""
    return {k: v for k, v in d.items() if v not in (None, "", [], ())}


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def format_local(moment: dt.datetime, zone_name: str) -> str:
    """A meeting time as the body's wall-clock time, with an offset only where ambiguous."""
    zone = ZoneInfo(zone_name)
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M") + (f":{local.second:02d}" if local.second else "")
    again, _ = parse_local_datetime(text, zone)
    if again != moment:  # the clocks went back: the same wall time happens twice
        text += local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    return text


def register_to_data(register: Register) -> dict[str, list[dict[str, Any]]]:
    """The register as plain YAML-ready data, in the documented file format."""
    zones = {b.id: b.timezone for b in register.bodies}
    data: dict[str, list[dict[str, Any]]] = {}
    data["organisations"] = [
        _clean(
            {
                "id": o.id,
                "name": o.name,
                "kind": o.kind.value if o.kind != OrgKind.PROVIDER else None,
                "aliases": list(o.aliases),
                "identifiers": [{"scheme": i.scheme, "id": i.id} for i in o.identifiers],
                "service_areas": list(o.service_areas),
                "founded": _date(o.founded),
                "dissolved": _date(o.dissolved),
                "notes": o.notes,
            }
        )
        for o in register.organisations
    ]
    data["relations"] = [
        _clean(
            {
                "id": r.id if r.id != f"{r.source}.{r.kind}.{r.target}" else None,
                "from": r.source,
                "kind": r.kind.value,
                "to": r.target,
                "start": _date(r.start),
                "end": _date(r.end),
            }
        )
        for r in register.relations
    ]
    data["people"] = [
        _clean({"id": p.id, "name": p.name, "email": p.email, "notes": p.notes})
        for p in register.people
    ]
    data["affiliations"] = [
        _clean(
            {
                "id": a.id if a.id != f"{a.person}.{a.organisation}" else None,
                "person": a.person,
                "organisation": a.organisation,
                "role": a.role,
                "on_behalf_of": a.on_behalf_of,
                "start": _date(a.start),
                "end": _date(a.end),
            }
        )
        for a in register.affiliations
    ]
    data["bodies"] = [
        _clean(
            {
                "id": b.id,
                "name": b.name,
                "parent": b.parent,
                "commissioners": list(b.commissioners),
                "timezone": b.timezone if b.timezone != DEFAULT_TIMEZONE else None,
                "quorum": b.quorum,
                "members": [
                    _clean(
                        {
                            "person": m.person,
                            "role": m.role if m.role != "member" else None,
                            "on_behalf_of": m.on_behalf_of,
                            "voting": None if m.voting else False,
                            "start": _date(m.start),
                            "end": _date(m.end),
                        }
                    )
                    for m in b.members
                ],
                "notes": b.notes,
                "policy": yaml.safe_load(b.policy) if b.policy else None,
            }
        )
        for b in register.bodies
    ]
    data["seats"] = [
        _clean(
            {
                "id": s.id,
                "body": s.body,
                "name": s.name,
                "places": s.places,
                "pool": [
                    p.person
                    if p.on_behalf_of is None
                    else _clean({"person": p.person, "on_behalf_of": p.on_behalf_of})
                    for p in s.pool
                ],
                "mandate": s.mandate,
                "selection": s.selection.value,
                "term_start": _date(s.term_start),
                "term_end": _date(s.term_end),
                "voting": None if s.voting else False,
            }
        )
        for s in register.seats
    ]
    data["interests"] = [
        _clean(
            {
                "id": i.id,
                "person": i.person,
                "organisation": i.organisation,
                "category": i.category.value,
                "kind": i.kind.value,
                "description": i.description,
                "service_areas": list(i.service_areas),
                "counterparties": list(i.counterparties),
                "references": list(i.references),
                "start": _date(i.start),
                "end": _date(i.end),
                "declared_on": _date(i.declared_on),
                "action_agreed": i.action_agreed,
                "publish": None if i.publish else False,
                "withheld_reason": i.withheld_reason,
            }
        )
        for i in register.interests
    ]
    data["gifts"] = [
        _clean(
            {
                "id": g.id,
                "person": g.person,
                "offeror": g.offeror,
                "description": g.description,
                "value": g.value or None,
                "offered_on": _date(g.offered_on),
                "accepted": g.accepted or None,
                "declared_on": _date(g.declared_on),
            }
        )
        for g in register.gifts
    ]
    data["meetings"] = [
        _clean(
            {
                "id": m.id,
                "body": m.body,
                "title": m.title,
                "start": format_local(m.start, zones.get(m.body, DEFAULT_TIMEZONE)),
                "end": format_local(m.end, zones.get(m.body, DEFAULT_TIMEZONE)) if m.end else None,
                "location": m.location,
                "status": m.status.value if m.status != MeetingStatus.SCHEDULED else None,
                "guests": list(m.guests),
                "notes": m.notes,
                "items": [
                    _clean(
                        {
                            "number": it.number,
                            "title": it.title,
                            "kind": it.kind.value,
                            "text": it.text,
                            "service_areas": list(it.service_areas),
                            "organisations": list(it.organisations),
                            "references": list(it.references),
                            "value": it.value,
                        }
                    )
                    for it in m.items
                ],
            }
        )
        for m in register.meetings
    ]
    data["away"] = [
        _clean(
            {"person": a.person, "start": _date(a.start), "end": _date(a.end), "reason": a.reason}
        )
        for a in register.away
    ]
    return {k: v for k, v in data.items() if v}


class _Dumper(yaml.SafeDumper):
    """Block style, and multi-line text as literal blocks so mandates stay readable."""


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_register(register: Register) -> str:
    """YAML text that ``read_register`` reads back to the same register."""
    header = "# coi register dump: load it back with `coi load FILE`\n"
    body = yaml.dump(
        register_to_data(register),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return header + body
