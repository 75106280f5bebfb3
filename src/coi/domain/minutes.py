"""Which declarations the minutes show for a filter, and in what order.

Minutes run meeting by meeting in date order, an item's declarations before the nil
declarations of that meeting, and annual returns after every meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from coi.domain.declarations import Declaration
from coi.domain.model import Interest
from coi.domain.reconcile import item_key

# What public outputs (minutes, the person's own pack) say in place of an interest withheld
# from the published register: the minutes are published too.
DETAILS_WITHHELD = "details withheld"


@dataclass(frozen=True, slots=True)
class MinutedInterest:
    """What the minutes may say about a declared interest: its words, the organisations
    it concerns, and its id; none of them for an interest withheld from publication
    but the organisation that holds it, which the published register names too."""

    description: str
    organisations: str
    id: str | None
    withheld: bool = False


def minuted_interest(interest: Interest, org_names: Mapping[str, str]) -> MinutedInterest:
    """``interest`` as the minutes show it."""
    holder = (
        org_names.get(interest.organisation, interest.organisation) if interest.organisation else ""
    )
    if not interest.publish:
        # The id is withheld as well: ids are made from the description (x.peer-network).
        return MinutedInterest(DETAILS_WITHHELD, holder, None, withheld=True)
    organisations = holder or ", ".join(org_names.get(c, c) for c in interest.counterparties)
    return MinutedInterest(interest.description, organisations, interest.id)


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    """What the minutes say about a meeting: its title, its day where it sits, its body."""

    title: str
    day: dt.date
    body: str


def in_minutes(
    d: Declaration,
    meetings: Mapping[str, MeetingInfo],
    *,
    body: str | None = None,
    since: dt.date | None = None,
) -> bool:
    """Whether ``d`` belongs in minutes of ``body``'s meetings held (or returns reviewed)
    on or after ``since``; a meeting not in ``meetings`` matches neither filter."""
    held = meetings.get(d.meeting) if d.meeting else None
    if body is not None and (held is None or held.body != body):
        return False
    if since is not None:
        reviewed = d.reviewed_on is not None and d.reviewed_on >= since
        return reviewed or (held is not None and held.day >= since)
    return True


def minutes_order(
    d: Declaration, meetings: Mapping[str, MeetingInfo]
) -> tuple[bool, dt.date, str, bool, tuple[tuple[int, int | str], ...], int]:
    """The sort key of ``d`` in the minutes."""
    held = meetings.get(d.meeting) if d.meeting else None
    return (
        d.meeting is None,  # annual returns after the meetings
        (held.day if held else None) or d.reviewed_on or dt.date.min,
        d.meeting or "",
        d.item is None,  # nil declarations after an item's declarations
        item_key(d.item or ""),
        d.seq,
    )
