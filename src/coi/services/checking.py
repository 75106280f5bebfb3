"""Check a meeting: gather what the conflicts rules need for it and run them.

Shared by ``coi check``, ``coi pack``, ``coi reconcile``, ``coi body show`` and the rota
commands (which avoid rostering people who must leave, and put flags in calendars).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coi.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coi.domain.conflicts import CheckResult, RegisterIndex
    from coi.domain.model import Body, Meeting, Register
    from coi.domain.policy import Policy


@dataclass(frozen=True)
class Checked:
    """One meeting's check, with what a report needs to name people and show times."""

    meeting: Meeting
    body: Body
    register: Register
    result: CheckResult

    @property
    def zone(self) -> str:
        return self.body.timezone

    def names(self) -> dict[str, str]:
        """Ids to names for people and organisations, for reports."""
        out = {o.id: o.name for o in self.register.organisations}
        out.update({p.id: p.name for p in self.register.people})
        return out


def find_meeting(s: Session, ref: str, *, allow_cancelled: bool = False) -> Meeting:
    """The meeting a person named by id, prefix or title; a cancelled one is refused
    unless ``allow_cancelled`` (there is nothing to check at a meeting that will not sit)."""
    from coi.domain.model import MeetingStatus
    from coi.store.lookup import resolve
    from coi.store.register import read_meetings

    meeting_id = resolve(s, "meetings", ref)
    (meeting,) = read_meetings(s, [meeting_id])
    if meeting.status is MeetingStatus.CANCELLED and not allow_cancelled:
        raise UsageError(f"meeting {meeting.id} is cancelled: there is nothing to check")
    return meeting


def check(s: Session, meeting_ref: str, policy_file: Path | None = None) -> Checked:
    """``coi check MEETING [--policy FILE]``: who has an interest in which item, and why."""
    return run_check(s, find_meeting(s, meeting_ref), Policies(policy_file))


def check_for(
    s: Session, meeting_ref: str, person: str | None = None, policy_file: Path | None = None
) -> Checked:
    """``coi check MEETING [--person P]``: the check, with only that person's flags if named."""
    from dataclasses import replace

    from coi.store.lookup import resolve

    policies = Policies(policy_file)  # a bad policy file is reported before a bad meeting
    checked = run_check(s, find_meeting(s, meeting_ref), policies)
    if person is None:
        return checked
    return replace(checked, result=checked.result.for_person(resolve(s, "people", person)))


@dataclass(frozen=True)
class Pack:
    """A meeting's check for its pack, and whose pack it is (``None``: the chair's)."""

    checked: Checked
    person: str | None


def pack(
    s: Session, meeting_ref: str, for_person: str | None = None, policy_file: Path | None = None
) -> Pack:
    """``coi pack MEETING [--for P]``: one person's pack only if they are expected there."""
    from coi.store.lookup import resolve

    policies = Policies(policy_file)
    checked = run_check(s, find_meeting(s, meeting_ref), policies)
    person = resolve(s, "people", for_person) if for_person else None
    if person and person not in {a.person for a in checked.result.attendees}:
        raise UsageError(
            f"{person} is not expected at {checked.meeting.id}: no pack to make for them"
        )
    return Pack(checked, person)


def run_check(
    s: Session,
    meeting: Meeting,
    policies: Policies,
    *,
    register: Register | None = None,
    index: RegisterIndex | None = None,
) -> Checked:
    """Check one meeting against the register as stored, with its rota where one exists.

    ``register`` and ``index`` let a caller checking many meetings (a rota plan, a
    calendar export) read the register and build its index once.
    """
    from coi.domain.conflicts import check_meeting, expected_attendees
    from coi.store.register import read_register
    from coi.store.rota import read_slots

    register = register or read_register(s)
    body = next(b for b in register.bodies if b.id == meeting.body)
    seats = [x for x in register.seats if x.body == body.id]
    slots = read_slots(s, meetings=[meeting.id])
    attendees = expected_attendees(body, seats, meeting, slots)
    policy = policies.for_body(register, body.id)
    result = check_meeting(index or register, meeting, policy, attendees)
    return Checked(meeting=meeting, body=body, register=register, result=result)


class Policies:
    """Which policy applies to a body's meetings: ``--policy`` if given, else the one
    ``domain.policy.governing_body`` finds (the body's own or a parent's), else the default.
    Each policy text is parsed once."""

    def __init__(self, override: Path | None = None) -> None:
        from coi.formats.yamlread import read_policy

        self.override = read_policy(override) if override is not None else None
        self._parsed: dict[str, Policy] = {}

    def for_body(self, register: Register, body_id: str) -> Policy:
        from coi.domain.policy import governing_body

        if self.override is not None:
            return self.override
        source = governing_body(body_id, register.bodies)
        if source is None:
            return self._parse("", "the default policy")
        return self._parse(source.policy, f"the policy stored with body {source.id}")

    def _parse(self, text: str, source: str) -> Policy:
        if text not in self._parsed:
            self._parsed[text] = _parsed_policy(text, source)
        return self._parsed[text]


@functools.lru_cache(maxsize=16)
def _parsed_policy(text: str, source: str) -> Policy:
    """A policy from its YAML text ("" for the packaged default), parsed once per process:
    reading the commented default costs more than a whole small check.

    A body's policy was checked when it was loaded; text that no longer parses (a database
    edited by hand) is refused naming the body it is stored with (``source``)."""
    from coi.domain.policy import policy_from_dict
    from coi.errors import InputFileError
    from coi.formats.yamlread import key_lines, parse_yaml, read_policy

    if not text:
        return read_policy(None)
    data, problems = parse_yaml(text, source)
    if problems:
        raise InputFileError(f"{source}: cannot read", problems)
    return policy_from_dict(data, source, key_lines(data))


def load_policy_option(path: Path | None) -> Policies:
    return Policies(path)
