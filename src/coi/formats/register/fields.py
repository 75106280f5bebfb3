"""Every field of the register file, described once: the reader, the writer and the JSON Schema
all follow these descriptions, and a test holds the database columns to their limits.

To add a field to a record: add its ``Field`` here (in the order the dump writes it), the
attribute to the domain dataclass, and a column to ``store/schema.py`` with a migration.
"""

from __future__ import annotations

import builtins
import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from coi.domain import model, words
from coi.domain.integrity import BODY, MEETING, ORG, PERSON, SEAT

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")

# The longest id a user gives; relation and affiliation ids are made of two or three ids.
ID_LIMIT = 120
LONG_ID_LIMIT = 300
NAME_LIMIT = 300
# Integer columns are 32-bit signed on PostgreSQL (and the widest every database agrees on).
INT_MAX = 2**31 - 1

# Characters no text field may hold: NUL and the other C0 controls, DEL, the C1 controls, and
# the bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069) that make text display in an
# order other than the one it is stored in ("Trojan Source"). Written with \u escapes so
# the same pattern serves Python and the JSON Schema (ECMA-262) alike.
_BIDI = r"\u202a-\u202e\u2066-\u2069"
# One-line text (names, titles, locations, ids) also refuses tab, newline, carriage return
# and the Unicode line and paragraph separators: a value there is one line of a table.
_ONE_LINE_BAD = rf"\u0000-\u001f\u007f-\u009f\u2028\u2029{_BIDI}"
# Multi-line text (notes, descriptions, an item's text) keeps tab, newline and CR.
_MULTI_LINE_BAD = rf"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f{_BIDI}"
# What the JSON Schema says (whole value) and what the reader looks for (one bad character).
ONE_LINE_PATTERN = rf"^[^{_ONE_LINE_BAD}]*$"
MULTI_LINE_PATTERN = rf"^[^{_MULTI_LINE_BAD}]*$"
ONE_LINE_BAD_RE = re.compile(rf"[{_ONE_LINE_BAD}]")
MULTI_LINE_BAD_RE = re.compile(rf"[{_MULTI_LINE_BAD}]")


class Type(StrEnum):
    """How a field's value is written in the file."""

    TEXT = "text"
    ID = "id"  # lowercase letters, digits, '-', '_', '.'
    REF = "ref"  # the id of a record in the section ``refers`` names
    REFS = "refs"  # a list of such ids
    DATE = "date"  # YYYY-MM-DD
    DATETIME = "datetime"  # YYYY-MM-DD HH:MM in the body's time zone
    ENUM = "enum"  # one of ``choices``
    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    STRINGS = "strings"  # a list of text (a lone text is a list of one)
    TAGS = "tags"  # a list of service areas such as mental-health/adult
    RECORDS = "records"  # a list of nested ``record`` mappings
    POOL = "pool"  # a list of person ids or pool member mappings
    POLICY = "policy"  # a policy file's path, or its rules inline
    PAPERS = "papers"  # a list of paper file paths, or ``paper`` mappings already read


@dataclass(frozen=True, slots=True)
class Field:
    """One field of one record of the register file."""

    name: str
    type: Type
    doc: str
    attr: str = ""  # the domain attribute, where it is not ``name``
    required: bool = False
    default: Any = None  # what a missing value reads as; the writer leaves it out
    limit: int | None = None  # most characters (text and ids)
    choices: builtins.type[StrEnum] | None = None
    refers: str | None = None  # the section a REF or REFS field points into
    record: str | None = None  # the nested record kind of a RECORDS field
    after: str | None = None  # a date that must not come before this field's (an end)
    minimum: float | None = None
    maximum: float | None = None  # a number's largest value (INT fields: at most INT_MAX)
    always: bool = False  # the writer writes it even at its default
    strip: bool = False  # surrounding white space is not kept
    # Text that may span lines (notes, descriptions, an item's text) keeps newlines and tabs;
    # any other text (names, titles, locations, roles, ids, list entries) is one line.
    # Neither may hold other control characters or bidi overrides (ONE_LINE_RE, MULTI_LINE_RE).
    lines: bool = False

    @property
    def attribute(self) -> str:
        return self.attr or self.name


def _id(doc: str = "the record's id: lowercase letters, digits, '-', '_', '.'") -> Field:
    return Field("id", Type.ID, doc, required=True, limit=ID_LIMIT)


def _derived_id(doc: str) -> Field:
    return Field("id", Type.ID, doc, limit=LONG_ID_LIMIT)


def _name(doc: str = "the name people know it by") -> Field:
    return Field("name", Type.TEXT, doc, required=True, limit=NAME_LIMIT)


def _ref(name: str, refers: str, doc: str, *, required: bool = False) -> Field:
    return Field(name, Type.REF, doc, required=required, refers=refers)


def _dates(start: str = "start", end: str = "end", what: str = "") -> tuple[Field, Field]:
    return (
        Field(start, Type.DATE, f"first day{what} (YYYY-MM-DD)"),
        Field(end, Type.DATE, f"last day{what}, inclusive (YYYY-MM-DD)", after=start),
    )


def _choice(
    name: str, choices: builtins.type[StrEnum], doc: str, default: str = "", **more: Any
) -> Field:
    """One of ``choices``; required where there is no default."""
    value = choices(default) if default else None
    return Field(name, Type.ENUM, doc, default=value, choices=choices, required=not value, **more)


def _notes() -> Field:
    return Field("notes", Type.TEXT, "free text for people; no rule reads it", lines=True)


_SERVICE_AREAS = Field("service_areas", Type.TAGS, "service areas, e.g. mental-health/adult")
_REFERENCES = Field("references", Type.STRINGS, "tender or contract references", strip=True)
_ON_BEHALF = _ref("on_behalf_of", ORG, "the organisation this person speaks for")

RECORDS: dict[str, tuple[Field, ...]] = {
    "organisations": (
        _id(),
        _name(),
        _choice("kind", words.OrgKind, "what sort of organisation", "provider"),
        Field("aliases", Type.STRINGS, "other names it goes by, for matching agenda text"),
        Field("identifiers", Type.RECORDS, "org-id style identifiers", record="identifier"),
        _SERVICE_AREAS,
        *_dates("founded", "dissolved"),
        _notes(),
    ),
    "identifier": (
        Field(
            "scheme", Type.TEXT, "org-id scheme, e.g. GB-CHC or GB-COH", required=True, strip=True
        ),
        Field(
            "id",
            Type.TEXT,
            "the identifier within the scheme",
            required=True,
            limit=ID_LIMIT,
            strip=True,
        ),
    ),
    "relations": (
        _derived_id("the relation's id; made from from.kind.to when left out"),
        Field(
            "from",
            Type.REF,
            "the organisation the relation starts from",
            attr="source",
            required=True,
            refers=ORG,
        ),
        _choice("kind", words.RelationKind, "how the two are related"),
        Field(
            "to",
            Type.REF,
            "the organisation it points at",
            attr="target",
            required=True,
            refers=ORG,
        ),
        *_dates(),
    ),
    "people": (
        _id(),
        _name("the person's full name"),
        Field("email", Type.TEXT, "where reminders go", limit=NAME_LIMIT),
        _notes(),
    ),
    "affiliations": (
        _derived_id("the affiliation's id; made from person.organisation when left out"),
        _ref("person", PERSON, "who is affiliated", required=True),
        _ref("organisation", ORG, "the organisation they are affiliated with", required=True),
        Field("role", Type.TEXT, "their role there, e.g. trustee", required=True, limit=200),
        _ON_BEHALF,
        *_dates(),
    ),
    "bodies": (
        _id(),
        _name(),
        _ref("parent", BODY, "the body this one sits under"),
        Field(
            "commissioners",
            Type.REFS,
            "organisations that commission through this body",
            refers=ORG,
        ),
        Field(
            "timezone",
            Type.TEXT,
            "the time zone its meeting times are written in",
            default=words.DEFAULT_TIMEZONE,
            limit=64,
        ),
        Field("quorum", Type.INT, "voting members needed for a decision", minimum=1),
        Field(
            "members", Type.RECORDS, "people on the body who do not hold a seat", record="member"
        ),
        _notes(),
        Field("policy", Type.POLICY, "the body's own policy: a file path or the rules inline"),
        Field(
            "secretary",
            Type.TEXT,
            "who organises its meetings: an email, or Name <email>",
            limit=300,
        ),
        Field(
            "short_name",
            Type.TEXT,
            "how calendar titles name it, e.g. LIT (default: its acronym or initials)",
            limit=40,
        ),
    ),
    "member": (
        _ref("person", PERSON, "the member", required=True),
        Field("role", Type.TEXT, "their role, e.g. chair", default="member", limit=200),
        _ON_BEHALF,
        Field("voting", Type.BOOL, "whether they vote", default=True),
        *_dates(),
    ),
    "seats": (
        _id(),
        Field("body", Type.REF, "the body the seat is on", required=True, refers=BODY),
        _name("the seat's name"),
        Field(
            "places", Type.INT, "how many people fill it at once", default=1, minimum=1, always=True
        ),
        Field("pool", Type.POOL, "the people who may fill it (ids or mappings)"),
        Field("mandate", Type.TEXT, "whom the seat speaks for", strip=True, lines=True),
        _choice(
            "selection", words.Selection, "how its holders are chosen", "nominated", always=True
        ),
        *_dates("term_start", "term_end", " of the term"),
        Field("voting", Type.BOOL, "whether the seat votes", default=True),
    ),
    "pool member": (
        _ref("person", PERSON, "a person who may fill the seat", required=True),
        _ON_BEHALF,
    ),
    "interests": (
        _id(),
        _ref("person", PERSON, "the person who holds it (or give organisation)"),
        _ref("organisation", ORG, "the organisation that holds it (or give person)"),
        _choice("category", words.Category, "NHS England's category"),
        _choice("kind", words.InterestKind, "what sort of interest"),
        Field("description", Type.TEXT, "what the interest is", required=True, lines=True),
        _SERVICE_AREAS,
        Field("counterparties", Type.REFS, "organisations the interest is in", refers=ORG),
        _REFERENCES,
        *_dates(),
        Field("declared_on", Type.DATE, "when it was declared (YYYY-MM-DD)"),
        Field(
            "reviewed_on",
            Type.DATE,
            "when its holder last confirmed it, at an annual return (YYYY-MM-DD)",
        ),
        Field("action_agreed", Type.TEXT, "what was agreed to manage it", lines=True),
        Field("publish", Type.BOOL, "whether it appears on the published register", default=True),
        Field("withheld_reason", Type.TEXT, "why it is not published (needed then)", lines=True),
    ),
    "gifts": (
        _id(),
        _ref("person", PERSON, "who was offered it", required=True),
        Field("offeror", Type.TEXT, "who offered it", required=True, limit=NAME_LIMIT),
        Field("description", Type.TEXT, "what was offered", required=True, lines=True),
        Field("value", Type.NUMBER, "its value in pounds", default=0.0, minimum=0),
        Field("offered_on", Type.DATE, "when it was offered (YYYY-MM-DD)"),
        Field("accepted", Type.BOOL, "whether it was accepted", default=False),
        Field("declared_on", Type.DATE, "when it was declared (YYYY-MM-DD)"),
    ),
    "meetings": (
        _id(),
        Field("body", Type.REF, "the body that meets", required=True, refers=BODY),
        Field("title", Type.TEXT, "the meeting's title", required=True, limit=NAME_LIMIT),
        Field("start", Type.DATETIME, "when it starts, in the body's time zone", required=True),
        Field("end", Type.DATETIME, "when it ends, in the body's time zone"),
        Field("location", Type.TEXT, "where it is held", limit=NAME_LIMIT),
        _choice(
            "status", words.MeetingStatus, "whether it is to come, held or cancelled", "scheduled"
        ),
        Field("guests", Type.REFS, "people invited who are not members", refers=PERSON),
        _notes(),
        Field("items", Type.RECORDS, "the agenda", record="item"),
        Field(
            "sequence",
            Type.INT,
            "how often it has changed, for calendar updates; coi raises it, never lowers it",
            default=0,
            minimum=0,
        ),
    ),
    "item": (
        Field(
            "number",
            Type.TEXT,
            "the item's number on the agenda",
            required=True,
            limit=20,
            strip=True,
        ),
        Field("title", Type.TEXT, "the item's title", required=True, limit=500),
        _choice(
            "kind", words.ItemKind, "what the item asks of the body", "discussion", always=True
        ),
        Field("text", Type.TEXT, "the paper's text, searched for organisations", lines=True),
        _SERVICE_AREAS,
        Field("organisations", Type.REFS, "organisations the item is about", refers=ORG),
        _REFERENCES,
        Field("value", Type.NUMBER, "the money at stake, in pounds", minimum=0),
        Field(
            "papers",
            Type.PAPERS,
            "the item's papers, searched like its text: each a file path (PDF, DOCX, HTML or"
            " text; relative to the register file) read once on load, or a mapping of its"
            " name and pages' text as a dump writes it, so a dump loads back the same text",
        ),
    ),
    "paper": (
        Field("name", Type.TEXT, "the paper's file name", required=True, limit=NAME_LIMIT),
        Field("pages", Type.STRINGS, "each page's text, in order", lines=True),
    ),
    "away": (
        _ref("person", PERSON, "who is away", required=True),
        Field("start", Type.DATE, "first day away (YYYY-MM-DD)", required=True),
        Field(
            "end", Type.DATE, "last day away, inclusive (YYYY-MM-DD)", required=True, after="start"
        ),
        Field("reason", Type.TEXT, "why, for the rota planner's notes", lines=True),
    ),
    "rota": (
        Field("seat", Type.REF, "the shared seat", required=True, refers=SEAT),
        Field("meeting", Type.REF, "the meeting", required=True, refers=MEETING),
        _ref("person", PERSON, "the pool member who fills a place", required=True),
        Field("locked", Type.BOOL, "kept as it is by later plans", default=False),
        _choice(
            "status",
            words.SlotStatus,
            "assigned, or swapped-out (kept so that calendars cancel the event)",
            "assigned",
        ),
        Field(
            "sequence",
            Type.INT,
            "how often the place has changed, for calendar updates; never lowered",
            default=0,
            minimum=0,
        ),
    ),
    "attendance": (
        Field("meeting", Type.REF, "the meeting", required=True, refers=MEETING),
        _ref("person", PERSON, "who came, sent apologies or was absent", required=True),
        _choice("status", words.AttendanceStatus, "present, apologies, absent or substitute"),
        _ref("substitute_for", PERSON, "whom a substitute stood in for (substitutes only)"),
        Field("seat", Type.REF, "the seat the attendance counts for", refers=SEAT),
    ),
}

# The file's top-level sections, in the order the dump writes them: the register's own.
SECTIONS = tuple(f.name for f in dataclasses.fields(model.Register))

# The domain dataclass each record reads into.
CLASSES: dict[str, type] = {
    "organisations": model.Organisation,
    "identifier": model.Identifier,
    "relations": model.Relation,
    "people": model.Person,
    "affiliations": model.Affiliation,
    "bodies": model.Body,
    "member": model.Membership,
    "seats": model.Seat,
    "pool member": model.PoolMember,
    "interests": model.Interest,
    "gifts": model.Gift,
    "meetings": model.Meeting,
    "item": model.AgendaItem,
    "paper": model.Paper,
    "away": model.Away,
    "rota": model.RotaSlot,
    "attendance": model.Attendance,
}

# Ids a user may leave out: made from other fields (by attribute), and then not dumped.
DERIVED_ID: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "relations": lambda v: f"{v['source']}.{v['kind']}.{v['target']}",
    "affiliations": lambda v: f"{v['person']}.{v['organisation']}",
}

# The fields that name a record of a section without an id: a file's record and a stored
# one with the same values are the same record (merged on load, refused twice in a load).
KEYS: dict[str, tuple[str, ...]] = {
    "away": ("person", "start", "end"),
    "rota": ("seat", "meeting", "person"),
    "attendance": ("meeting", "person"),
}


def key_of(section: str, record: Any) -> tuple[str, ...]:
    """The key of a domain record of ``section``: its id, or its ``KEYS`` values as text."""
    names = KEYS.get(section)
    if names is None:
        return (str(record.id),)
    return tuple(_key_text(getattr(record, field(section, n).attribute)) for n in names)


def raw_key(section: str, m: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The key a file's record names (None when it names none): its id, the id made from
    other fields where it may be left out, or its ``KEYS`` values."""
    names = KEYS.get(section)
    if names is None:
        if m.get("id") not in (None, ""):
            return (str(m["id"]).strip(),)
        derive = DERIVED_ID.get(section)
        if derive is None:
            return None
        given = {field(section, f.name).attribute: m.get(f.name) for f in RECORDS[section]}
        if any(given.get(a) in (None, "") for a in _DERIVED_FROM[section]):
            return None
        return (derive({k: _key_text(v) for k, v in given.items()}),)
    values = [m.get(n) for n in names]
    if any(v in (None, "") for v in values):
        return None
    return tuple(_key_text(v) for v in values)


def _key_text(value: Any) -> str:
    if isinstance(value, StrEnum):
        return value.value
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).strip()


_DERIVED_FROM = {
    "relations": ("source", "kind", "target"),
    "affiliations": ("person", "organisation"),
}

FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(f.name for f in fields) for kind, fields in RECORDS.items()
}


def field(record: str, name: str) -> Field:
    """The description of one field, e.g. ``field("interests", "category")``."""
    for f in RECORDS[record]:
        if f.name == name:
            return f
    raise KeyError(f"{record} has no field {name!r}")


def limit(record: str, name: str) -> int | None:
    """The most characters a field holds (None: no limit), for a command line's own checks."""
    return field(record, name).limit


def choices(record: str, name: str) -> tuple[str, ...]:
    """The values an enum field allows, in the documented order."""
    enum = field(record, name).choices
    return tuple(e.value for e in enum) if enum else ()
