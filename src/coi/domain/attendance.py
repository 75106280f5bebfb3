"""Count who was expected at meetings, who came, and how evenly a seat's places were shared.

The report answers a forum's two questions about its representatives: did the people
(and organisations) we sent turn up, and is a shared seat really shared, or filled by
"the same old faces"?

How a seat's spread is measured (see :func:`evenness`): over the meetings in the
report, each person's count is the number of places of the seat they filled.  Who
filled a place is taken from the attendance recorded for the seat at that meeting
(present or substitute); where no attendance was recorded for the seat at a meeting
the rota's assigned slots stand in, and the report says at how many meetings it did
so.  Every pool member counts, with zero if they never came, as does anyone else who
filled a place.  Three numbers then say how even the shares are:

- ``spread``: the largest count minus the smallest (0 is perfectly even);
- ``gini``: the Gini coefficient normalised to run from 0 (everyone filled the same
  number of places) to 1 (one person filled them all), i.e.
  ``sum(|x_i - x_j| for all i, j) / (2 * (n - 1) * sum(x))``; with fewer than two
  people or no places filled it is 0;
- ``top_share``: the share of all places filled by the most frequent attender
  (1/pool size is as even as it gets).

The same numbers are given over organisations (whom each person filled the place for).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from coi.domain.attendees import ExpectedAttendee
from coi.domain.conflicts import expected_attendees
from coi.domain.model import (
    Attendance,
    AttendanceStatus,
    Body,
    Meeting,
    MeetingStatus,
    RotaSlot,
    Seat,
    meeting_day,
)
from coi.domain.words import SlotStatus
from coi.errors import UsageError

ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE})


@dataclass(frozen=True, slots=True)
class Expected:
    """Someone expected at a meeting: a member, a seat holder or a rostered pool member."""

    meeting: str
    person: str
    seat: str | None = None
    organisation: str | None = None


@dataclass(frozen=True, slots=True)
class Tally:
    """Attendance counts for one person or one organisation over the report's meetings.

    For a person: ``rostered`` meetings they were expected at; ``attended`` meetings they
    were recorded present or substitute at (expected or not); ``apologies`` includes a
    rostered meeting with no record of their own where someone substituted for them;
    ``substitute`` is how many of ``attended`` were in someone else's place;
    ``not_recorded`` rostered meetings with no record either way.

    For an organisation the unit is a place it was expected to fill: ``attended`` when its
    person came or someone substituted for them, otherwise by that person's record.
    """

    id: str
    rostered: int = 0
    attended: int = 0
    apologies: int = 0
    absent: int = 0
    substitute: int = 0
    not_recorded: int = 0


@dataclass(frozen=True, slots=True)
class Evenness:
    """How evenly some places were shared; see the module docstring."""

    total: int
    spread: int
    gini: float
    top_share: float


@dataclass(frozen=True, slots=True)
class SeatSpread:
    """Who filled one seat's places over the report's meetings, and how evenly."""

    seat: str
    places: int
    meetings: int  # meetings of the seat's body in the report
    filled: int  # places filled, all meetings together
    from_rota: int  # meetings where no attendance was recorded, so the rota was used
    pool: int
    people: int  # different people who filled a place
    organisations: int  # different organisations they filled it for
    shares: tuple[tuple[str, int], ...]  # person, places filled; most first, pool zeros too
    organisation_shares: tuple[tuple[str, int], ...]
    by_person: Evenness
    by_organisation: Evenness


@dataclass(frozen=True, slots=True)
class AttendanceReport:
    meetings: tuple[str, ...]
    people: tuple[Tally, ...]
    organisations: tuple[Tally, ...]
    seats: tuple[SeatSpread, ...]


def attendance_status(word: str, substitute_for: str | None) -> AttendanceStatus:
    """The status a person typed; a substitute must say whom they stood in for, and
    nobody else may."""
    clean = word.strip().lower()
    if clean not in set(AttendanceStatus):
        allowed = ", ".join(AttendanceStatus)
        raise UsageError(f"STATUS: {word!r} is not one of {allowed}")
    status = AttendanceStatus(clean)
    if status is AttendanceStatus.SUBSTITUTE and substitute_for is None:
        raise UsageError("substitute needs --for: the member or rostered person stood in for")
    if status is not AttendanceStatus.SUBSTITUTE and substitute_for is not None:
        raise UsageError(f"--for is only for substitute, not {clean}")
    return status


def attendance_record(
    claim: Attendance,
    meeting: Meeting,
    body: Body,
    seats: Sequence[Seat],
    slots: Sequence[RotaSlot],
    today: dt.date,
) -> Attendance:
    """What may be minuted of the attendance ``claim`` at ``meeting`` (of ``body``, with
    its ``seats`` and rota ``slots``): the claim with the seat it counts for.

    Nobody attends a cancelled meeting, and before the day only apologies can be sent.
    A substitute stands in for someone expected (a member, a seat holder or a rostered
    pool member; not a guest, not themselves) and counts in that person's seat; anyone
    else must be expected or a guest, and counts in their own seat.  A claimed seat
    must be one of the body's and overrides the seat worked out.
    """
    person, substitute_for, seat = claim.person, claim.substitute_for, claim.seat
    if meeting.status is MeetingStatus.CANCELLED:
        raise UsageError(f"meeting {meeting.id} is cancelled: nobody can attend it")
    day = meeting_day(meeting, body.timezone)
    if claim.status is not AttendanceStatus.APOLOGIES and day > today:
        raise UsageError(
            f"meeting {meeting.id} on {day} has not happened yet: only apologies can be "
            "recorded in advance"
        )
    here = [x for x in seats if x.body == body.id]
    if seat is not None and seat not in {x.id for x in here}:
        raise UsageError(f"seat {seat} is not a seat of {body.id}, which {meeting.id} is of")
    expected = {
        a.person: a for a in expected_attendees(body, here, meeting, slots) if a.capacity != "guest"
    }
    if substitute_for is not None:
        if substitute_for == person:
            raise UsageError(f"{person} cannot substitute for themselves")
        stood_for = expected.get(substitute_for)
        if stood_for is None:
            raise UsageError(
                f"{substitute_for} was not expected at {meeting.id} (not a member, nor "
                "rostered to a seat): a substitute stands in for someone who was"
            )
        return replace(claim, seat=seat or stood_for.seat)
    anyone = {a.person: a for a in expected_attendees(body, here, meeting, [])}
    own = expected.get(person) or anyone.get(person)
    if own is None:
        raise UsageError(
            f"{person} is not a member, seat holder, pool member or guest of "
            f"{meeting.id}: record them as a substitute --for the person they stood in for"
        )
    return replace(claim, seat=seat or own.seat)


def evenness(counts: Sequence[int]) -> Evenness:
    """Spread, normalised Gini and top share of some counts (zeros included)."""
    total = sum(counts)
    if not counts:
        return Evenness(0, 0, 0.0, 0.0)
    spread = max(counts) - min(counts)
    n = len(counts)
    if total == 0 or n < 2:
        return Evenness(total, spread, 0.0, 1.0 if total else 0.0)
    # Sum of |x_i - x_j| over ordered pairs in O(n log n): sorted, each x_k is the larger
    # of the pair k times and the smaller n - 1 - k times.
    ordered = sorted(counts)
    pairs = 2 * sum(x * (2 * k - n + 1) for k, x in enumerate(ordered))
    gini = pairs / (2 * (n - 1) * total)
    return Evenness(total, spread, gini, max(counts) / total)


def in_scope(
    meeting: Meeting,
    timezone: str,
    *,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    attended: bool = False,
) -> bool:
    """Whether a meeting counts: not cancelled, dated start..end, and held: marked held,
    dated on or before ``today``, or with someone recorded as having ``attended`` it
    (present, substitute or absent: only apologies can be recorded in advance, so such a
    record says the meeting took place, whatever the clock says)."""
    if meeting.status == MeetingStatus.CANCELLED:
        return False
    day = meeting_day(meeting, timezone)
    if (start is not None and day < start) or (end is not None and day > end):
        return False
    return meeting.status == MeetingStatus.HELD or day <= today or attended


def took_place(records: Iterable[Attendance]) -> set[str]:
    """Meetings with a record that only a meeting already held can have (not apologies)."""
    return {r.meeting for r in records if r.status is not AttendanceStatus.APOLOGIES}


def expected_at(
    bodies: Iterable[Body],
    seats: Sequence[Seat],
    meetings: Iterable[Meeting],
    slots: Sequence[RotaSlot],
    records: Sequence[Attendance] = (),
    *,
    seat: str | None = None,
) -> list[Expected]:
    """Who was expected at each meeting: members, seat holders and rostered pool members.

    Guests are not expected.  For a shared seat with no rota at a meeting, the pool
    members whose attendance was recorded there for the seat (other than as a
    substitute), or whom a substitute stood in for, are taken to have been the ones
    sent; the rest of the pool was not expected.  With ``seat`` only that seat's holders.
    """
    by_body = {b.id: b for b in bodies}
    by_meeting: dict[str, list[RotaSlot]] = defaultdict(list)
    for slot in slots:
        by_meeting[slot.meeting].append(slot)
    sent: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.status != AttendanceStatus.SUBSTITUTE:
            sent[r.meeting].add(r.person)
        elif r.substitute_for:
            sent[r.meeting].add(r.substitute_for)
    out: list[Expected] = []
    for meeting in meetings:
        body = by_body.get(meeting.body)
        if body is None:
            continue
        here = [x for x in seats if x.body == body.id]
        for a in expected_attendees(body, here, meeting, by_meeting.get(meeting.id, [])):
            if a.capacity == "guest" or (seat is not None and a.seat != seat):
                continue
            if a.if_attending and a.person not in sent[meeting.id]:
                continue
            out.append(Expected(meeting.id, a.person, a.seat, a.on_behalf_of))
    return out


def attendance_report(
    meetings: Sequence[Meeting],
    expected: Sequence[Expected],
    records: Sequence[Attendance],
    seats: Sequence[Seat],
    slots: Sequence[RotaSlot],
    *,
    seat: str | None = None,
    pools: Sequence[Seat] = (),
) -> AttendanceReport:
    """Tally attendance per person and organisation and the spread of every seat given.

    ``meetings`` are the meetings the report covers (already filtered by date and body);
    ``expected`` and ``records`` at other meetings are ignored.  With ``seat`` only
    records for that seat, or for people expected through it, count.  Rows are sorted
    by id; nothing depends on the order of the inputs.

    Organisations are counted by who came for them (:func:`_organisation_tallies`);
    ``pools`` are every seat whose pool says whom a substitute came for (default
    ``seats``).
    """
    ids = {m.id for m in meetings}
    expected = [e for e in expected if e.meeting in ids and (seat is None or e.seat == seat)]
    expected_keys = {(e.meeting, e.person) for e in expected}
    own: dict[tuple[str, str], Attendance] = {}
    covered: set[tuple[str, str]] = set()
    for r in records:
        if r.meeting not in ids:
            continue
        stands_in = r.substitute_for is not None and (r.meeting, r.substitute_for) in expected_keys
        if seat is not None and not (
            r.seat == seat or (r.meeting, r.person) in expected_keys or stands_in
        ):
            continue
        own[(r.meeting, r.person)] = r
        if r.status == AttendanceStatus.SUBSTITUTE and r.substitute_for:
            covered.add((r.meeting, r.substitute_for))

    people: dict[str, Counter[str]] = defaultdict(Counter)
    for r in own.values():
        tally = people[r.person]
        tally["attended" if r.status in ATTENDED else r.status.value] += 1
        if r.status == AttendanceStatus.SUBSTITUTE:
            tally["substitute"] += 1
    unique = {(e.meeting, e.person): e for e in expected}
    for key, e in unique.items():
        people[e.person]["rostered"] += 1
        if key not in own:
            # Sending a substitute is how one gives apologies in committee practice.
            people[e.person]["apologies" if key in covered else "not_recorded"] += 1
    orgs = _organisation_tallies(unique, own, pools or seats)
    spread_seats = [x for x in sorted(seats, key=lambda x: x.id) if seat is None or x.id == seat]
    spreads = tuple(_spread(x, meetings, records, slots) for x in spread_seats)
    # Every organisation a seat table counts has a row here too, if only of zeros.
    for x in spreads:
        for org, _ in x.organisation_shares:
            orgs.setdefault(org, Counter())
    return AttendanceReport(
        meetings=tuple(m.id for m in meetings),
        people=tuple(_tally(k, c) for k, c in sorted(people.items())),
        organisations=tuple(_tally(k, c) for k, c in sorted(orgs.items())),
        seats=spreads,
    )


def _organisation_tallies(
    expected: Mapping[tuple[str, str], Expected],
    own: Mapping[tuple[str, str], Attendance],
    pools: Sequence[Seat],
) -> dict[str, Counter[str]]:
    """Per organisation: the places it was expected to fill (``rostered``) and how each
    went, following the person who came.

    Someone present counts for the organisation they came for: their own place's, or,
    for a substitute, the one their own place on that seat's pool is for, else the one
    of the person they stood in for (a deputy that organisation sent). An expected
    person's organisation is credited only when they came, or when someone came for the
    same organisation in their place; a place someone else's organisation filled is the
    expected person's apologies (or absence, as recorded), never an attendance.
    """
    pool_org = {(x.id, p.person): p.on_behalf_of for x in pools for p in x.pool}
    orgs: dict[str, Counter[str]] = defaultdict(Counter)
    stood_in: dict[tuple[str, str], str | None] = {}  # (meeting, stood for) -> org came for
    for (meeting, person), r in own.items():
        if r.status not in ATTENDED:
            continue
        place = expected.get((meeting, person))
        if r.status == AttendanceStatus.SUBSTITUTE:
            stood_for = expected.get((meeting, r.substitute_for or ""))
            came_for = pool_org.get((r.seat or "", person)) or (
                stood_for.organisation if stood_for else None
            )
            stood_in[(meeting, r.substitute_for or "")] = came_for
        else:
            came_for = place.organisation if place else None
        if came_for:
            orgs[came_for]["attended"] += 1
    for key, e in expected.items():
        if not e.organisation:
            continue
        tally = orgs[e.organisation]
        tally["rostered"] += 1
        record = own.get(key)
        if record is not None and record.status in ATTENDED:
            continue  # counted above, as the organisation they came for
        if key in stood_in:
            if stood_in[key] != e.organisation:
                away = record is not None and record.status is AttendanceStatus.ABSENT
                tally["absent" if away else "apologies"] += 1
            continue
        tally[record.status.value if record is not None else "not_recorded"] += 1
    return orgs


def _tally(key: str, c: Mapping[str, int]) -> Tally:
    return Tally(
        id=key,
        rostered=c.get("rostered", 0),
        attended=c.get("attended", 0),
        apologies=c.get("apologies", 0),
        absent=c.get("absent", 0),
        substitute=c.get("substitute", 0),
        not_recorded=c.get("not_recorded", 0),
    )


def _spread(
    seat: Seat,
    meetings: Sequence[Meeting],
    records: Sequence[Attendance],
    slots: Sequence[RotaSlot],
) -> SeatSpread:
    pool_org = {p.person: p.on_behalf_of for p in seat.pool}
    here = [m for m in meetings if m.body == seat.body]
    ids = {m.id for m in here}
    recorded: dict[str, list[Attendance]] = defaultdict(list)
    for r in records:
        if r.seat == seat.id and r.meeting in ids:
            recorded[r.meeting].append(r)
    rota: dict[str, list[str]] = defaultdict(list)
    for s in slots:
        if s.seat == seat.id and s.meeting in ids and s.status == SlotStatus.ASSIGNED:
            rota[s.meeting].append(s.person)
    people: Counter[str] = Counter({p: 0 for p in pool_org})
    orgs: Counter[str] = Counter({o: 0 for o in pool_org.values() if o})
    from_rota = 0
    for m in here:
        fillers: list[tuple[str, str | None]]
        if recorded.get(m.id):
            fillers = [
                (r.person, pool_org.get(r.person) or pool_org.get(r.substitute_for or ""))
                for r in recorded[m.id]
                if r.status in ATTENDED
            ]
        else:
            fillers = [(p, pool_org.get(p)) for p in rota.get(m.id, [])]
            from_rota += 1
        for person, org in fillers:
            people[person] += 1
            if org:
                orgs[org] += 1
    filled = sum(people.values())
    return SeatSpread(
        seat=seat.id,
        places=seat.places,
        meetings=len(here),
        filled=filled,
        from_rota=from_rota,
        pool=len(pool_org),
        people=sum(1 for n in people.values() if n),
        organisations=sum(1 for n in orgs.values() if n),
        shares=_ranked(people),
        organisation_shares=_ranked(orgs),
        by_person=evenness(list(people.values())),
        by_organisation=evenness(list(orgs.values())),
    )


def _ranked(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# --- A whole meeting's attendance in one command (``coi attend MEETING --present ...``) ---


@dataclass(frozen=True, slots=True)
class Roll:
    """What a secretary typed for a whole meeting: ids already resolved; ``substitutes``
    are (who came, whom they stood in for)."""

    present: tuple[str, ...] = ()
    apologies: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    substitutes: tuple[tuple[str, str], ...] = ()


def split_pair(text: str) -> tuple[str, str]:
    """``e:d`` as typed for --substitute: e stood in for d."""
    came, sep, stood_for = text.partition(":")
    if not sep or not came.strip() or not stood_for.strip():
        raise UsageError(f"--substitute {text!r}: write WHO:FOR, e.g. tom-rowe:owen-pascoe")
    return came.strip(), stood_for.strip()


def rostered(attendees: Iterable[ExpectedAttendee]) -> tuple[list[str], list[str]]:
    """``--as-rostered``: the people definitely expected (members, seat holders, the
    rostered of shared seats), and the shared seats with no rota at the meeting, whose
    pool members are only "if attending" and so cannot be assumed present."""
    people = [a.person for a in attendees if a.capacity != "guest" and not a.if_attending]
    open_seats = sorted({a.seat for a in attendees if a.if_attending and a.seat})
    return people, open_seats


def roll_call(
    roll: Roll, meeting: str, start: Sequence[str] = ()
) -> tuple[list[Attendance], list[str]]:
    """The records ``roll`` makes at ``meeting``, starting from ``start`` present (the
    rostered, with --as-rostered) and corrected by what was typed; and the people named
    as both present and substituting (two capacities: the substitute record is kept).

    A person typed with two different statuses is a contradiction and refused; so is
    standing in for someone typed present.  Whom a substitute stands in for is not
    present, so they leave the starting list (the report counts them as apologies).
    """
    typed: dict[str, AttendanceStatus] = {}
    for status, people in (
        (AttendanceStatus.PRESENT, roll.present),
        (AttendanceStatus.APOLOGIES, roll.apologies),
        (AttendanceStatus.ABSENT, roll.absent),
    ):
        for p in people:
            if typed.setdefault(p, status) is not status:
                raise UsageError(f"{p} is given as both {typed[p]} and {status}")
    subs: dict[str, str] = {}
    for came, stood_for in roll.substitutes:
        if subs.setdefault(came, stood_for) != stood_for:
            raise UsageError(f"{came} cannot substitute for both {subs[came]} and {stood_for}")
        if typed.get(stood_for) is AttendanceStatus.PRESENT:
            raise UsageError(f"{stood_for} is given as present, so nobody substituted for them")
    doubles = sorted(p for p in subs if typed.get(p) is AttendanceStatus.PRESENT)
    if clash := sorted(
        p for p in subs if typed.get(p) in (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT)
    ):
        raise UsageError(f"{', '.join(clash)}: given as a substitute and as not attending")
    covered = set(subs.values())
    states = {p: AttendanceStatus.PRESENT for p in start if p not in covered}
    states.update(typed)
    records = [Attendance(meeting, p, s) for p, s in states.items() if p not in subs]
    records += [Attendance(meeting, p, AttendanceStatus.SUBSTITUTE, f) for p, f in subs.items()]
    return sorted(records, key=lambda r: r.person), doubles


def overfull_seats(records: Iterable[Attendance], seats: Iterable[Seat]) -> list[str]:
    """A warning for each seat that more people attended than it has places."""
    places = {x.id: x.places for x in seats}
    filled: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if r.seat in places and r.status in ATTENDED:
            filled[r.seat].append(r.person)
    return [
        f"seat {seat} has {places[seat]} place(s) but would hold {len(who)}: "
        + ", ".join(sorted(who))
        for seat, who in sorted(filled.items())
        if len(who) > places[seat]
    ]


def two_capacities(
    records: Iterable[Attendance],
    attendees: Iterable[ExpectedAttendee],
    doubles: Iterable[str] = (),
) -> list[str]:
    """A warning for each person attending in two capacities: expected in more than one
    (a member and a seat holder), typed as present and as a substitute, or present in
    their own place while someone else is recorded standing in for them."""
    came = {r.person: r for r in records if r.status in ATTENDED}
    many = {a.person: a.capacity for a in attendees if "; " in a.capacity}
    out = [f"{p} would attend as both {many[p]}" for p in sorted(came) if p in many]
    out += [f"{p} is given as present and as a substitute" for p in doubles]
    for r in sorted(came.values(), key=lambda r: r.person):
        own = came.get(r.substitute_for or "")
        if own is not None and own.status is AttendanceStatus.PRESENT:
            out.append(f"{r.person} substitutes for {own.person}, who is recorded present")
    return out
