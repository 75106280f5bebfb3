"""What the register is owed: annual returns that are overdue and interests declared late or never.

NHS England's guidance asks for a declaration within 28 days of an interest arising or
of the person taking up their role, whichever is later, and for everyone on the register
to review their entries every year (a nil return counts).

When a holder "took up the role" (:func:`took_up`) is decided here, once: for a person,
the first day they held a place on any body on the register (a body membership from its
start, a seat's pool from the seat's term start); for an organisation, the first day
someone sat on a body for it (on its behalf, as member or pool member) or someone
affiliated with it held a place while affiliated (its interests reach them through the
affiliation). The earliest place counts, not the latest: joining a second body does not
excuse an interest left undeclared on the first. A place with no start date has been
held "always", so the interest's own start decides; a holder with no place at all is
held to the interest's start, as before.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from coi.domain.declarations import Declaration, EntryKind
from coi.domain.model import Interest, Register, active_on
from coi.errors import UsageError

DECLARE_WITHIN_DAYS = 28
"""Days after an interest arises by which it must be declared."""


class DueStatus(StrEnum):
    NEVER = "never"  # no annual return on record
    OVERDUE = "overdue"  # the last annual return is older than allowed
    LATE = "late"  # an interest declared more than 28 days after it arose
    UNDECLARED = "undeclared"  # an interest with no declared-on date, and past due


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the month's end.

    31 January plus one month is the last day of February.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def check_review_day(day: dt.date | None, today: dt.date) -> dt.date:
    """The day an annual return says the entries were reviewed: ``today`` unless given,
    and never in the future (a return records a review already made)."""
    if day is None:
        return today
    if day > today:
        raise UsageError(f"--on: {day} is in the future: a return records a review already made")
    return day


def confirmed_by_return(
    person: str,
    interests: Iterable[Interest],
    day: dt.date,
    named: Iterable[str] = (),
    *,
    nil: bool = False,
) -> tuple[str, ...]:
    """The interests an annual return confirms: the person's own entries they name, else
    every one of their own that is open on the review day. A nil return confirms none
    (it says there is nothing to confirm), and naming someone else's entry is refused:
    a person reviews their own entries, their organisations review theirs."""
    named = tuple(dict.fromkeys(named))
    if nil and named:
        raise UsageError("--interest: a nil return has no entries to confirm")
    own = [i for i in interests if i.person == person]
    if not named:
        return () if nil else tuple(i.id for i in own if active_on(i.start, i.end, day))
    ids = {i.id for i in own}
    for interest in named:
        if interest not in ids:
            listed = ", ".join(sorted(ids)) or "none"
            raise UsageError(
                f"--interest: {interest} is not an entry of {person}'s own (theirs: {listed})"
            )
    return named


def nil_return_warning(
    person: str, interests: Iterable[Interest], day: dt.date, *, force: bool = False
) -> str:
    """What is wrong with a nil return ("nothing to declare") from ``person`` on ``day``:
    "" when they hold no entry of their own open that day. Otherwise it is refused,
    naming the open entries (they are ended, or confirmed by an ordinary return), unless
    ``force``: then the words returned are kept in the log entry as its warning."""
    still = sorted(i.id for i in interests if i.person == person and active_on(i.start, i.end, day))
    if not still:
        return ""
    listed = ", ".join(still)
    if not force:
        raise UsageError(
            f"--nil: {person} still has open interests on {day}: {listed}; end them "
            "(`coi interest end`), make an ordinary return, or give --force to record the "
            "nil return anyway"
        )
    return f"nil return recorded with interests still open: {listed}"


def reviewed(interest: Interest, day: dt.date) -> Interest:
    """The entry after a return reviewed on ``day``: a return recorded late for an earlier
    day never moves the last review back."""
    if interest.reviewed_on is not None and interest.reviewed_on >= day:
        return interest
    return replace(interest, reviewed_on=day)


@dataclass(frozen=True, slots=True)
class ReturnDue:
    """A person whose annual return is due: never made, or older than allowed.

    ``last`` is the latest return reviewed on or before the as-of date, ``due`` the day
    the next one fell due (``None`` when there was never one) and ``days_overdue`` how
    long ago that was.
    """

    person: str
    status: DueStatus
    last: dt.date | None
    last_entry: int | None
    nil: bool
    due: dt.date | None
    days_overdue: int | None


@dataclass(frozen=True, slots=True)
class LateInterest:
    """An interest declared more than the allowed days after it began, or not at all."""

    interest: str
    holder: str
    status: DueStatus
    start: dt.date | None
    declared_on: dt.date | None
    due: dt.date | None
    days_late: int | None
    took_up: dt.date | None = None  # when the holder took up a place, if that set ``due``


def people_on_register(register: Register, as_of: dt.date) -> list[str]:
    """Ids of people who owe annual returns on ``as_of``: body members, seat pools and
    holders of current interests, in id order."""
    people: set[str] = set()
    for body in register.bodies:
        people |= {m.person for m in body.members if active_on(m.start, m.end, as_of)}
    for seat in register.seats:
        if active_on(seat.term_start, seat.term_end, as_of):
            people |= {p.person for p in seat.pool}
    for interest in register.interests:
        if interest.person and active_on(None, interest.end, as_of):
            people.add(interest.person)
    return sorted(people)


def returns_due(
    register: Register, returns: Iterable[Declaration], as_of: dt.date, *, months: int = 12
) -> list[ReturnDue]:
    """People on the register whose latest annual return is over ``months`` old on
    ``as_of``, or who never made one, in id order.

    ``returns`` is the effective record (retracted returns left out); returns reviewed
    after ``as_of`` are not counted, so the list is what it was on that day.
    """
    if months < 1:
        raise ValueError("months must be 1 or more")
    latest: dict[str, Declaration] = {}
    for r in returns:
        if r.kind is not EntryKind.RETURN or r.retracted or r.person is None:
            continue
        if r.reviewed_on is None or r.reviewed_on > as_of:
            continue
        best = latest.get(r.person)
        if best is None or (r.reviewed_on, r.seq) > (best.reviewed_on or dt.date.min, best.seq):
            latest[r.person] = r
    out: list[ReturnDue] = []
    for person in people_on_register(register, as_of):
        last = latest.get(person)
        if last is None or last.reviewed_on is None:
            out.append(ReturnDue(person, DueStatus.NEVER, None, None, False, None, None))
            continue
        due = add_months(last.reviewed_on, months)
        if due < as_of:
            out.append(
                ReturnDue(
                    person,
                    DueStatus.OVERDUE,
                    last.reviewed_on,
                    last.seq,
                    last.nil,
                    due,
                    (as_of - due).days,
                )
            )
    return out


_ALWAYS = dt.date.min  # a place with no start date: held since before the record


def took_up(register: Register) -> dict[str, dt.date]:
    """Holder id -> the first day they took up a place on a body of the register (see
    the module docstring); ``dt.date.min`` when a place they held has no start date.
    Holders with no place are left out."""
    first: dict[str, dt.date] = {}

    def seen(holder: str | None, day: dt.date | None) -> None:
        if holder:
            day = day or _ALWAYS
            first[holder] = min(first.get(holder, day), day)

    places: list[tuple[str, str | None, dt.date | None, dt.date | None]] = []
    for body in register.bodies:
        places += [(m.person, m.on_behalf_of, m.start, m.end) for m in body.members]
    for seat in register.seats:
        places += [(p.person, p.on_behalf_of, seat.term_start, seat.term_end) for p in seat.pool]
    for person, org, start, _end in places:
        seen(person, start)
        seen(org, start)
    for a in register.affiliations:
        for person, _org, start, end in places:
            if person != a.person:
                continue
            # The first day both the affiliation and the place held, if they overlap.
            begin = max(a.start or _ALWAYS, start or _ALWAYS)
            finish = min(x for x in (a.end, end, dt.date.max) if x is not None)
            if begin <= finish:
                seen(a.organisation, begin)
    return first


def declaration_due(
    start: dt.date | None, holder_took_up: dt.date | None, within_days: int = DECLARE_WITHIN_DAYS
) -> dt.date | None:
    """The last day an interest that began on ``start`` could be declared in time by a
    holder who took up their place on ``holder_took_up``: ``within_days`` after the later
    of the two. ``None`` when the interest has no start date."""
    if start is None:
        return None
    later = max(start, holder_took_up) if holder_took_up else start
    return later + dt.timedelta(days=within_days)


def late_interests(
    register: Register, as_of: dt.date, *, within_days: int = DECLARE_WITHIN_DAYS
) -> list[LateInterest]:
    """Interests declared more than ``within_days`` after they began or after their
    holder took up a place (whichever is later, :func:`declaration_due`), and interests
    with no declared-on date whose deadline has passed by ``as_of``, in id order.

    A declaration dated after ``as_of`` had not been made on that day. An interest not
    yet begun, or still inside its deadline, owes nothing yet.
    """
    joined = took_up(register)
    out: list[LateInterest] = []
    for i in sorted(register.interests, key=lambda i: i.id):
        role = joined.get(i.holder)
        due = declaration_due(i.start, role, within_days)
        role = role if role is not None and i.start is not None and role > i.start else None
        declared = i.declared_on if i.declared_on and i.declared_on <= as_of else None
        if declared is None:
            if due is not None and due >= as_of:
                continue
            days = (as_of - due).days if due else None
            out.append(
                LateInterest(i.id, i.holder, DueStatus.UNDECLARED, i.start, None, due, days, role)
            )
        elif due is not None and declared > due:
            days = (declared - due).days
            out.append(
                LateInterest(i.id, i.holder, DueStatus.LATE, i.start, declared, due, days, role)
            )
    return out
