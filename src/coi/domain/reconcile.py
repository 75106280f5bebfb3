"""Compare what the policy expected people to declare at a meeting with what the log says they did.

Three kinds of finding, each with advice a secretary can act on:

- ``undeclared``: a flag with no declaration for that person and item (a nil declaration by
  someone with a flag is one of these too) -- a possible undeclared conflict;
- ``unflagged``: a declaration the register does not explain -- the register may be
  missing an interest, or an interest may lack the reference, service area or
  counterparty that would link it to the item;
- ``weaker``: the person declared but did less than the policy asked (stayed in the room
  where they should have withdrawn, voted where they should not have).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from coi.domain.conflicts import Flag
from coi.domain.declarations import Declaration, EntryKind
from coi.domain.model import (
    Action,
    AgendaItem,
    AttendanceStatus,
    DeclaredAction,
    Interest,
)


class FindingKind(StrEnum):
    UNDECLARED = "undeclared"
    UNFLAGGED = "unflagged"
    WEAKER = "weaker"


# Leaving the room is the most a minute can record: it meets both withdraw and exclude
# (whether the papers were withheld is not something a declaration says).
DECLARED_STRENGTH: Mapping[DeclaredAction, int] = {
    DeclaredAction.LEFT_MEETING: Action.EXCLUDE.strength,
    DeclaredAction.WITHDREW: Action.EXCLUDE.strength,
    DeclaredAction.NO_VOTE: Action.NO_VOTE.strength,
    DeclaredAction.REMAINED: Action.DECLARE.strength,
}

_DID: Mapping[DeclaredAction, str] = {
    DeclaredAction.LEFT_MEETING: "left the meeting",
    DeclaredAction.WITHDREW: "withdrew",
    DeclaredAction.NO_VOTE: "stayed in the room but did not vote",
    DeclaredAction.REMAINED: "declared and remained",
}

ABSENT = frozenset({AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT})
"""Attendance that means the person was not in the room, so had nothing to declare."""


def satisfies(declared: DeclaredAction, asked: Action) -> bool:
    """True when doing ``declared`` is at least what the policy's ``asked`` requires."""
    return DECLARED_STRENGTH[declared] >= asked.strength


_NUMBER_PART = re.compile(r"(\d+)")


def item_key(number: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts agenda item numbers in reading order: 2 < 5 < 5.2 < 10 < 10a."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in _NUMBER_PART.split(number)
        if part
    )


@dataclass(frozen=True, slots=True)
class Finding:
    """One mismatch between the flags and the declarations, with what to do about it.

    ``entries`` are the log seqs behind the finding (the declarations, or the nil
    declaration); ``interests`` are the flagged interests, or for an unflagged
    declaration the interest it names. ``if_attending`` marks a flag that counts only
    if the person attended (a shared-seat pool member with no attendance recorded).
    """

    kind: FindingKind
    item: str
    person: str
    asked: Action | None
    declared: DeclaredAction | None
    entries: tuple[int, ...]
    interests: tuple[str, ...]
    nature: str | None
    if_attending: bool
    nil: bool
    advice: str


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """Every finding of one meeting in agenda order, and what reconciled cleanly.

    ``matched`` counts flags met by a declaration at least as strong as asked;
    ``excused`` holds the ids of flagged people recorded as absent or sending apologies.
    """

    meeting: str
    findings: tuple[Finding, ...]
    matched: int
    excused: tuple[str, ...]

    def of_kind(self, kind: FindingKind) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind is kind)

    @property
    def clean(self) -> bool:
        return not self.findings


def _name(names: Mapping[str, str], person: str) -> str:
    name = names.get(person)
    return f"{name} ({person})" if name and name != person else person


def _item_hint(item: AgendaItem | None) -> str:
    """What would link an interest to the item: its references, organisations, areas."""
    if item is None:
        return ""
    parts = []
    if item.references:
        parts.append("reference " + ", ".join(item.references))
    if item.organisations:
        parts.append("counterparty " + ", ".join(item.organisations))
    if item.service_areas:
        parts.append("service area " + ", ".join(item.service_areas))
    return " or ".join(parts)


def _unflagged_advice(
    decl: Declaration,
    meeting: str,
    item: AgendaItem | None,
    interests: Mapping[str, Interest],
    names: Mapping[str, str],
) -> str:
    who = _name(names, decl.person or "")
    where = f"item {decl.item}" + (f" ({item.title})" if item else "")
    hint = _item_hint(item)
    known = interests.get(decl.interest) if decl.interest else None
    if known is not None:
        holder = _name(names, known.holder)
        text = (
            f"interest {known.id} ({holder}: {known.description}) is on the register but "
            f"does not link to {where}"
        )
        return text + (f": give it the item's {hint}" if hint else "") + f" (entry {decl.seq})"
    nature = decl.nature or decl.interest or "not given"
    text = (
        f"add an interest for {who} about {where} (nature: {nature}), so that "
        f"`coi check {meeting}` flags it"
    )
    if hint:
        text += f"; to link it, give it the item's {hint}"
    return text + f" (entry {decl.seq})"


def reconcile(
    meeting: str,
    flags: Iterable[Flag],
    declarations: Iterable[Declaration],
    *,
    attendance: Mapping[str, AttendanceStatus] | None = None,
    items: Mapping[str, AgendaItem] | None = None,
    interests: Mapping[str, Interest] | None = None,
    names: Mapping[str, str] | None = None,
) -> Reconciliation:
    """Reconcile one meeting's flags (from ``coi check``) with its effective declarations.

    ``declarations`` should be the meeting's effective record (amendments applied,
    retractions left out); entries of other meetings and annual returns are ignored.
    ``attendance`` maps person ids to their recorded attendance: flags of people recorded
    absent or sending apologies do not count, and a flag "if attending" for someone with
    no attendance recorded is reported as counting only if they attended. ``items``,
    ``interests`` and ``names`` only make the advice more specific.
    """
    attendance = attendance or {}
    items = items or {}
    interests = interests or {}
    names = names or {}

    declared: dict[tuple[str, str], list[Declaration]] = defaultdict(list)
    nils: dict[str, list[Declaration]] = defaultdict(list)
    for d in declarations:
        if d.meeting != meeting or d.person is None or d.retracted:
            continue
        if d.kind is EntryKind.DECLARATION and d.item is not None:
            declared[(d.person, d.item)].append(d)
        elif d.kind is EntryKind.NIL:
            nils[d.person].append(d)

    findings: list[Finding] = []
    flagged: set[tuple[str, str]] = set()
    excused: set[str] = set()
    matched = 0
    for flag in flags:
        if flag.meeting != meeting or flag.action is Action.NONE:
            continue
        key = (flag.person, flag.item)
        flagged.add(key)
        status = attendance.get(flag.person)
        if status in ABSENT:
            excused.add(flag.person)
            continue
        conditional = flag.if_attending and status is None
        who = _name(names, flag.person)
        made = declared.get(key, [])
        if not made:
            nil = nils.get(flag.person, [])
            if nil:
                seqs = tuple(d.seq for d in nil)
                advice = (
                    f"{who} declared nothing to declare (entry {seqs[0]}), but the register "
                    f"links them to item {flag.item}: the policy asks {flag.action.value}"
                )
            else:
                seqs = ()
                advice = (
                    f"no declaration by {who} on item {flag.item}: the policy asks "
                    f"{flag.action.value}; check the minutes and record it with "
                    f"`coi declare {meeting} --person {flag.person} --item {flag.item} ...`"
                )
            if conditional:
                advice = "if they attended: " + advice
            findings.append(
                Finding(
                    FindingKind.UNDECLARED,
                    flag.item,
                    flag.person,
                    flag.action,
                    None,
                    seqs,
                    flag.interests,
                    None,
                    conditional,
                    bool(nil),
                    advice,
                )
            )
            continue
        # Several declarations on one item (two interests, say): the strongest action counts.
        best = max(made, key=lambda d: DECLARED_STRENGTH[d.action] if d.action else -1)
        assert best.action is not None
        if satisfies(best.action, flag.action):
            matched += 1
            continue
        findings.append(
            Finding(
                FindingKind.WEAKER,
                flag.item,
                flag.person,
                flag.action,
                best.action,
                tuple(d.seq for d in made),
                flag.interests,
                best.nature,
                conditional,
                False,
                (
                    f"{who} {_DID[best.action]} on item {flag.item} (entry {best.seq}), but "
                    f"the policy asks {flag.action.value}: minute why, or review the "
                    "decision taken on the item"
                ),
            )
        )

    for (person, item_no), made in declared.items():
        if (person, item_no) in flagged:
            continue
        for d in made:
            findings.append(
                Finding(
                    FindingKind.UNFLAGGED,
                    item_no,
                    person,
                    None,
                    d.action,
                    (d.seq,),
                    (d.interest,) if d.interest else (),
                    d.nature,
                    False,
                    False,
                    _unflagged_advice(d, meeting, items.get(item_no), interests, names),
                )
            )

    order = {k: i for i, k in enumerate(FindingKind)}
    findings.sort(key=lambda f: (item_key(f.item), order[f.kind], f.person, f.entries))
    return Reconciliation(meeting, tuple(findings), matched, tuple(sorted(excused)))
