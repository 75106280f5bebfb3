"""Minute declarations and annual returns in the declarations log, and correct them.

``declare``, ``amend``, ``retract`` and ``annual_return`` check what they are given
against the register, then append one entry; nothing here updates or deletes an entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coi.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.hashchain import LogEntry
    from coi.domain.model import Meeting
    from coi.domain.words import DeclaredAction


@dataclass(frozen=True)
class Recorded:
    """The entry as written, and what it records, resolved to ids."""

    entry: LogEntry
    person: str | None = None
    meeting: str | None = None
    item: str | None = None
    action: DeclaredAction | None = None
    nil: bool = False
    reviewed_on: dt.date | None = None
    changed: tuple[str, ...] = ()  # the fields an amendment changes
    confirmed: tuple[str, ...] = ()  # the interests an annual return confirmed
    warning: str = ""  # why a return was recorded over a refusal (--force)


def declarable_meeting(s: Session, ref: str) -> Meeting:
    """The meeting named by ``ref``; a cancelled one takes no declarations."""
    from coi.domain.model import MeetingStatus
    from coi.services.checking import find_meeting

    m = find_meeting(s, ref, allow_cancelled=True)
    if m.status is MeetingStatus.CANCELLED:
        raise UsageError(f"meeting {m.id} is cancelled: nothing can be declared at it")
    return m


def _item(m: Meeting, number: str) -> str:
    numbers = [i.number for i in m.items]
    wanted = number.strip()
    if wanted not in numbers:
        listed = ", ".join(numbers) if numbers else "none: add them with `coi agenda add`"
        raise UsageError(f"--item: meeting {m.id} has no item {wanted!r} (its items: {listed})")
    return wanted


def _interest(s: Session, person: str, ref: str) -> str:
    """The interest's id, if ``person`` may declare it (``domain.declarable``)."""
    from coi.domain.declarable import check_declarable
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    interest_id = resolve(s, "interests", ref)
    interest = next(i for i in read_section(s, "interests") if i.id == interest_id)
    check_declarable(
        person,
        interest,
        read_section(s, "affiliations"),
        read_section(s, "relations"),
        read_section(s, "seats"),
        read_section(s, "bodies"),
    )
    return interest_id


# The largest entry number the log's column holds (a 32-bit integer on PostgreSQL).
LAST_SEQ = 2**31 - 1


@dataclass(frozen=True)
class Details:
    """What was minuted for a declaration, as typed: the item number, the interest (an id,
    prefix or name on the register) or its nature in words, the action, and the times
    (HH:MM) the person left and returned."""

    item: str | None = None
    interest: str | None = None
    nature: str | None = None
    action: DeclaredAction | None = None
    left: str | None = None
    returned: str | None = None


def _check_details(nil: bool, said: Details) -> None:
    """A nil declaration names nothing; a declaration names an item, an action and an
    interest (on the register or in words)."""
    if nil:
        extra = [f"--{k}" for k, v in vars(said).items() if v is not None]
        if extra:
            raise UsageError(f"--nil declares nothing: leave out {', '.join(extra)}")
        return
    missing = [k for k, v in (("--item", said.item), ("--action", said.action)) if v is None]
    if missing:
        raise UsageError(f"give {' and '.join(missing)} (or --nil for nothing to declare)")
    if said.interest is None and (said.nature is None or not said.nature.strip()):
        raise UsageError("give --interest ID (on the register) or --nature TEXT")
    _one_way_to_say_it(said.interest, said.nature)


def _one_way_to_say_it(interest: object, nature: object) -> None:
    """A declaration names the interest on the register or describes it in words, never
    both: words beside a withheld interest would publish what the register withholds,
    and two accounts of one interest can disagree."""
    if interest is not None and nature is not None:
        raise UsageError(
            "give --interest (on the register) or --nature (in words), not both: "
            "an interest on the register is described there"
        )


def declare(
    s: Session,
    meeting: str,
    person: str,
    said: Details,
    *,
    nil: bool = False,
    by: str | None = None,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Recorded:
    """``coi declare``: one declaration, or a nil one, checked against the register.

    A meeting that has not happened yet takes none (``domain.declarations.
    check_declaration_time``), by the clock ``now`` (default: the real time), or, with
    ``today``, as things stand at the end of that day where the body sits."""
    from coi.domain import declarations as d
    from coi.store import log
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies

    _check_details(nil, said)
    m = declarable_meeting(s, meeting)
    person_id = resolve(s, "people", person)
    (body,) = read_bodies(s, [m.body])
    number = _item(m, said.item) if said.item is not None else None
    d.check_declaration_time(m, body.timezone, _clock(now, today, body.timezone), number)
    if nil:
        entry = log.append(s, d.EntryKind.NIL, d.nil_payload(m.id, person_id), recorded_by=by)
        return Recorded(entry, person_id, m.id, nil=True)
    assert number is not None and said.action is not None
    payload = d.declaration_payload(
        m.id,
        person_id,
        number,
        said.action,
        interest=_interest(s, person_id, said.interest) if said.interest else None,
        nature=said.nature,
        left=said.left,
        returned=said.returned,
    )
    entry = log.append(s, d.EntryKind.DECLARATION, payload, recorded_by=by)
    return Recorded(entry, person_id, m.id, number, said.action)


def _clock(now: dt.datetime | None, today: dt.date | None, timezone: str) -> dt.datetime:
    """The time a declaration is checked against: ``now``, else the last moment of
    ``today`` where the body sits, else the real time."""
    if now is not None:
        return now
    if today is not None:
        from zoneinfo import ZoneInfo

        return dt.datetime.combine(today, dt.time(23, 59, 59), ZoneInfo(timezone))
    return dt.datetime.now(dt.UTC)


def _stored_entry(s: Session, seq: int) -> LogEntry | None:
    """Entry ``seq`` as stored; the read is closed before anything is appended."""
    from coi.store import log

    if not 1 <= seq <= LAST_SEQ:  # a number no column can hold is no entry
        return None
    found = log.entries(s, after_seq=seq - 1)
    try:
        entry = next(found, None)
    finally:
        if isinstance(found, Generator):
            found.close()
    return entry if entry is not None and entry.seq == seq else None


def amend(
    s: Session,
    entry: int,
    changes: Mapping[str, object],
    *,
    clear: Iterable[str] = (),
    reason: str = "",
    by: str | None = None,
) -> Recorded:
    """``coi declare amend``: append an amendment of entry ``entry``.

    ``changes`` maps fields to new values as typed (None: not given); ``clear`` names
    fields to empty. The item and interest of a declaration are checked against the register.
    """
    from coi.domain import declarations as d
    from coi.services.checking import find_meeting
    from coi.store import log

    wanted = {k: v for k, v in changes.items() if v is not None}
    for field in clear:
        if field in wanted:
            raise UsageError(f"--clear {field}: you also gave --{field}")
        wanted[field] = None
    if not wanted:
        raise UsageError("give at least one field to change (see --help)")
    _one_way_to_say_it(wanted.get("interest"), wanted.get("nature"))
    target = _stored_entry(s, entry)
    if target is None:
        raise UsageError(f"ENTRY: entry {entry} does not exist")
    if target.kind == d.EntryKind.DECLARATION and target.meeting and target.person:
        # Naming the interest replaces the words, and the other way round, so that an
        # amended declaration still says it one way only.
        for given, other in (("interest", "nature"), ("nature", "interest")):
            if wanted.get(given) is not None and other not in wanted:
                wanted[other] = None
        if wanted.get("item") is not None:
            m = find_meeting(s, target.meeting, allow_cancelled=True)
            wanted["item"] = _item(m, str(wanted["item"]))
        if wanted.get("interest") is not None:
            wanted["interest"] = _interest(s, target.person, str(wanted["interest"]))
    payload = d.amend_payload(entry, wanted, reason=reason)
    written = log.append(s, d.EntryKind.AMEND, payload, recorded_by=by)
    return Recorded(written, changed=tuple(sorted(wanted)))


def retract(s: Session, entry: int, reason: str, *, by: str | None = None) -> Recorded:
    """``coi declare retract``: append a retraction of entry ``entry``."""
    from coi.domain import declarations as d
    from coi.store import log

    if _stored_entry(s, entry) is None:
        raise UsageError(f"ENTRY: entry {entry} does not exist")
    payload = d.retract_payload(entry, reason)
    return Recorded(log.append(s, d.EntryKind.RETRACT, payload, recorded_by=by))


def annual_return(
    s: Session,
    person: str,
    *,
    nil: bool = False,
    on: dt.date | None = None,
    today: dt.date | None = None,
    by: str | None = None,
    interests: Sequence[str] = (),
    force: bool = False,
) -> Recorded:
    """``coi return``: ``person`` reviewed their register entries on ``on`` (default today)
    and confirmed them: the ``interests`` named (ids, prefixes), else every entry of their
    own still open that day. Each confirmed entry's ``reviewed_on`` becomes that day, in
    the register through the one write path and in the log entry.

    A nil return from someone with entries still open is refused (``domain.due.
    nil_return_warning``); with ``force`` it is recorded, the warning in its log entry."""
    from coi.domain import declarations as d
    from coi.domain.due import check_review_day, confirmed_by_return, nil_return_warning, reviewed
    from coi.domain.model import Register
    from coi.formats.register import register_to_data
    from coi.services.records import save
    from coi.store import log
    from coi.store.lookup import resolve
    from coi.store.register import read_section

    day = check_review_day(on, today or dt.date.today())
    person_id = resolve(s, "people", person)
    named = [resolve(s, "interests", x) for x in interests]
    stored = read_section(s, "interests")
    confirmed = confirmed_by_return(person_id, stored, day, named, nil=nil)
    warning = nil_return_warning(person_id, stored, day, force=force) if nil else ""
    chosen = set(confirmed)
    updated = tuple(reviewed(i, day) for i in stored if i.id in chosen)
    if updated:
        save(s, register_to_data(Register(interests=updated)))
    payload = d.return_payload(person_id, day, nil=nil, confirmed=confirmed, warning=warning)
    entry = log.append(s, d.EntryKind.RETURN, payload, recorded_by=by)
    return Recorded(
        entry, person_id, nil=nil, reviewed_on=day, confirmed=confirmed, warning=warning
    )
