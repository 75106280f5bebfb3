"""The register as plain, immutable data: the words of DESIGN.md as frozen dataclasses.

Every rule in ``coi.domain`` works on these objects; ``coi.store`` turns database rows
into them and ``coi.formats`` turns files into them. Nothing here touches a database,
a file or the terminal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The vocabularies are re-exported so that rules can take everything from one place.
from coi.domain.words import (
    DEFAULT_TIMEZONE,
    Action,
    AttendanceStatus,
    Category,
    DeclaredAction,
    InterestKind,
    ItemKind,
    MeetingStatus,
    OrgKind,
    RelationKind,
    Selection,
    SlotStatus,
)

__all__ = [
    "Action",
    "Affiliation",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Away",
    "Body",
    "Category",
    "DeclaredAction",
    "Gift",
    "Identifier",
    "Interest",
    "InterestKind",
    "ItemKind",
    "Meeting",
    "MeetingStatus",
    "Membership",
    "OrgKind",
    "Organisation",
    "Person",
    "PoolMember",
    "Register",
    "Relation",
    "RelationKind",
    "RotaSlot",
    "Seat",
    "Selection",
    "SlotStatus",
    "active_on",
]


def active_on(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """True when ``day`` falls within [start, end]; open ends are unbounded.

    The end date is inclusive: an interest ended on 31 March still counts on 31 March.
    """
    return (start is None or start <= day) and (end is None or day <= end)


@dataclass(frozen=True, slots=True)
class Identifier:
    """An org-id style identifier, e.g. scheme GB-CHC (charity number), GB-COH (company)."""

    scheme: str
    id: str


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    kind: OrgKind = OrgKind.PROVIDER
    aliases: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    service_areas: tuple[str, ...] = ()
    founded: dt.date | None = None
    dissolved: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Relation:
    """Organisation to organisation: ``source`` is ``kind`` of ``target`` (Zone member_of a CIC)."""

    id: str
    source: str
    kind: RelationKind
    target: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    email: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Affiliation:
    """A person's role in an organisation over dates (chief executive of The Zone)."""

    id: str
    person: str
    organisation: str
    role: str
    on_behalf_of: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Membership:
    """A person's place on a body that is not a seat (chair, officer, commissioner lead)."""

    person: str
    role: str = "member"
    on_behalf_of: str | None = None
    voting: bool = True
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Body:
    id: str
    name: str
    parent: str | None = None
    commissioners: tuple[str, ...] = ()
    timezone: str = DEFAULT_TIMEZONE
    quorum: int | None = None
    members: tuple[Membership, ...] = ()
    notes: str = ""
    # The body's own conflicts policy as YAML text; "" means its parent's, else the default.
    policy: str = ""
    # Who organises its meetings, as calendars name them: "Name <email>" or an email.
    secretary: str = ""
    # How calendar titles name it ("LIT"); "" means derived from the name.
    short_name: str = ""


@dataclass(frozen=True, slots=True)
class PoolMember:
    person: str
    on_behalf_of: str | None = None


@dataclass(frozen=True, slots=True)
class Seat:
    """Places on a body filled from a pool; shared when the pool outnumbers the places."""

    id: str
    body: str
    name: str
    places: int = 1
    pool: tuple[PoolMember, ...] = ()
    mandate: str = ""
    selection: Selection = Selection.NOMINATED
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    voting: bool = True

    @property
    def shared(self) -> bool:
        return len(self.pool) > self.places


@dataclass(frozen=True, slots=True)
class Interest:
    """A declarable interest, held by exactly one of a person or an organisation."""

    id: str
    category: Category
    kind: InterestKind
    description: str
    person: str | None = None
    organisation: str | None = None
    service_areas: tuple[str, ...] = ()
    counterparties: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    declared_on: dt.date | None = None
    # When the holder last confirmed the entry still stands (an annual return).
    reviewed_on: dt.date | None = None
    action_agreed: str = ""
    publish: bool = True
    withheld_reason: str = ""

    @property
    def holder(self) -> str:
        return self.person or self.organisation or ""


@dataclass(frozen=True, slots=True)
class Gift:
    """Gifts and hospitality offered to a person, accepted or declined."""

    id: str
    person: str
    offeror: str
    description: str
    value: float = 0.0
    offered_on: dt.date | None = None
    accepted: bool = False
    declared_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper attached to an agenda item: its file name and each page's text, read once
    when it was added (PDF pages are the PDF's; other papers are one page)."""

    name: str
    pages: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Stored as a JSON list; a tuple keeps a stored paper equal to the one loaded.
        object.__setattr__(self, "pages", tuple(self.pages))


@dataclass(frozen=True, slots=True)
class AgendaItem:
    number: str
    title: str
    kind: ItemKind = ItemKind.DISCUSSION
    text: str = ""
    service_areas: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    value: float | None = None
    papers: tuple[Paper, ...] = ()


@dataclass(frozen=True, slots=True)
class Meeting:
    """A meeting of a body; ``start``/``end`` are timezone-aware (UTC once stored)."""

    id: str
    body: str
    title: str
    start: dt.datetime
    end: dt.datetime | None = None
    location: str = ""
    status: MeetingStatus = MeetingStatus.SCHEDULED
    guests: tuple[str, ...] = ()
    items: tuple[AgendaItem, ...] = ()
    sequence: int = 0
    notes: str = ""  # e.g. why it was cancelled


@dataclass(frozen=True, slots=True)
class Attendance:
    meeting: str
    person: str
    status: AttendanceStatus
    substitute_for: str | None = None
    seat: str | None = None


@dataclass(frozen=True, slots=True)
class Away:
    """A period when a person cannot attend (leave, other commitments)."""

    person: str
    start: dt.date
    end: dt.date
    reason: str = ""


@dataclass(frozen=True, slots=True)
class RotaSlot:
    """One pool member filling one place of a shared seat at one meeting."""

    seat: str
    meeting: str
    person: str
    locked: bool = False
    status: SlotStatus = SlotStatus.ASSIGNED
    sequence: int = 0


@dataclass(frozen=True, slots=True)
class Register:
    """The whole register as loaded: what a YAML file holds and what ``coi dump`` writes."""

    organisations: tuple[Organisation, ...] = ()
    relations: tuple[Relation, ...] = ()
    people: tuple[Person, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    bodies: tuple[Body, ...] = ()
    seats: tuple[Seat, ...] = ()
    interests: tuple[Interest, ...] = ()
    gifts: tuple[Gift, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    away: tuple[Away, ...] = field(default=())
    # What the register holds beyond its records, so that a dump is a full backup.
    rota: tuple[RotaSlot, ...] = ()
    attendance: tuple[Attendance, ...] = ()


def meeting_day(meeting: Meeting, timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    """The calendar date of a meeting where the body sits (a 00:30 BST start is that day)."""
    return local_day(meeting.start, timezone)


def local_day(moment: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    """The calendar date of a moment in a time zone.

    An unknown zone falls back to the stored date: the reader refuses such zones, so this
    only guards data written by hand into the database.
    """
    if moment.tzinfo is None:
        return moment.date()
    try:
        return moment.astimezone(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return moment.date()
