"""Read the declarations log back: as minutes (``coi declarations``) and as what the
register is owed (``coi register due``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coi.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.declarations import Declaration
    from coi.domain.due import LateInterest, ReturnDue
    from coi.domain.minutes import MeetingInfo, MinutedInterest


@dataclass(frozen=True)
class Minutes:
    """Declarations as they stand after corrections, in minutes order, with the names
    and meeting details a report needs."""

    declarations: tuple[Declaration, ...]
    meetings: Mapping[str, MeetingInfo]
    names: Mapping[str, str]  # person ids to names
    interests: Mapping[str, MinutedInterest]  # withheld ones without their details


def minutes(
    s: Session,
    *,
    meeting: str | None = None,
    person: str | None = None,
    body: str | None = None,
    since: dt.date | None = None,
    include_retracted: bool = False,
) -> Minutes:
    """``coi declarations``: the log as minutes; the filters combine."""
    from coi.domain.minutes import MeetingInfo, in_minutes, minuted_interest, minutes_order
    from coi.domain.model import meeting_day
    from coi.domain.words import DEFAULT_TIMEZONE
    from coi.services.rename import declarations
    from coi.store.lookup import resolve
    from coi.store.register import read_bodies, read_meetings, read_section

    meeting_id = resolve(s, "meetings", meeting) if meeting else None
    person_id = resolve(s, "people", person) if person else None
    body_id = resolve(s, "bodies", body) if body else None
    # Through the aliases: entries minuted before a rename keep the ids of the time.
    found = declarations(
        s, meeting=meeting_id, person=person_id, include_retracted=include_retracted
    )
    ids = sorted({d.meeting for d in found if d.meeting})
    zones = {b.id: b.timezone for b in read_bodies(s)}
    meetings = {
        m.id: MeetingInfo(m.title, meeting_day(m, zones.get(m.body, DEFAULT_TIMEZONE)), m.body)
        for m in (read_meetings(s, ids) if ids else [])
    }
    org_names = {o.id: o.name for o in read_section(s, "organisations")}
    wanted = {d.interest for d in found if d.interest}
    interests = {
        i.id: minuted_interest(i, org_names) for i in read_section(s, "interests") if i.id in wanted
    }
    shown = [d for d in found if in_minutes(d, meetings, body=body_id, since=since)]
    shown.sort(key=lambda d: minutes_order(d, meetings))
    names = {p.id: p.name for p in read_section(s, "people")}
    return Minutes(tuple(shown), meetings, names, interests)


@dataclass(frozen=True)
class Due:
    """Overdue annual returns and late declarations as at ``day``."""

    day: dt.date
    months: int
    returns: tuple[ReturnDue, ...]
    late: tuple[LateInterest, ...]
    names: Mapping[str, str]  # people and organisation ids to names


def due(s: Session, as_of: dt.date | None = None, months: int = 12) -> Due:
    """``coi register due``: who owes an annual return (every ``months``) and which
    interests were declared late or never, as things stood on ``as_of`` (default today)."""
    from coi.domain.declarations import effective_declarations
    from coi.domain.due import late_interests, returns_due
    from coi.services.rename import current_ids
    from coi.store import log
    from coi.store.register import read_register

    if months < 1:
        raise UsageError(f"--months: {months} must be 1 or more")
    day = as_of or dt.date.today()
    register = read_register(s)
    made = current_ids(s, effective_declarations(log.entries(s)))
    names = {o.id: o.name for o in register.organisations}
    names.update({p.id: p.name for p in register.people})
    return Due(
        day,
        months,
        tuple(returns_due(register, made, day, months=months)),
        tuple(late_interests(register, day)),
        names,
    )
