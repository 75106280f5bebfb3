"""What goes into the declarations log, checked before it is written, and the record it adds up to.

Five kinds of entry: a ``declaration`` (a person, at a meeting, on an item: an interest
or its nature, and the action taken), a ``nil`` declaration (nothing to declare at this
meeting), an annual ``return`` (a person reviewed their register entries on a date), and
the two corrections, ``amend`` and ``retract``, which point at an earlier entry by its seq.
The log itself is never changed: :func:`effective_declarations` applies the corrections.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from coi.domain.hashchain import LogEntry
from coi.domain.model import AgendaItem, DeclaredAction, ItemKind, Meeting, local_day
from coi.errors import Problem, UsageError


class EntryKind(StrEnum):
    DECLARATION = "declaration"
    NIL = "nil"
    RETURN = "return"
    AMEND = "amend"
    RETRACT = "retract"


ORIGINAL_KINDS = frozenset({EntryKind.DECLARATION, EntryKind.NIL, EntryKind.RETURN})
"""Kinds that record something; the corrections point at one of these."""

# Which fields an amendment may change, per kind of original entry. Who and where are not
# amendable: a declaration minuted against the wrong person or meeting is retracted and
# declared again, so the log shows both.
AMENDABLE: Mapping[EntryKind, frozenset[str]] = {
    EntryKind.DECLARATION: frozenset({"item", "interest", "nature", "action", "left", "returned"}),
    EntryKind.RETURN: frozenset({"reviewed_on", "nil"}),
    EntryKind.NIL: frozenset(),
}

_FIELDS: Mapping[EntryKind, tuple[frozenset[str], frozenset[str]]] = {
    # kind: (required, optional)
    EntryKind.DECLARATION: (
        frozenset({"meeting", "person", "item", "action"}),
        frozenset({"interest", "nature", "left", "returned"}),
    ),
    EntryKind.NIL: (frozenset({"meeting", "person"}), frozenset()),
    EntryKind.RETURN: (
        frozenset({"person", "reviewed_on"}),
        frozenset({"nil", "confirmed", "warning"}),
    ),
    EntryKind.AMEND: (frozenset({"target", "changes"}), frozenset({"reason"})),
    EntryKind.RETRACT: (frozenset({"target", "reason"}), frozenset()),
}

# Column sizes in the log table; longer ids would fail on PostgreSQL rather than here.
_ID_MAX = 120
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$", re.ASCII)
_ACTIONS = ", ".join(a.value for a in DeclaredAction)
_AWAY_ACTIONS = frozenset({DeclaredAction.WITHDREW, DeclaredAction.LEFT_MEETING})


def _bad(field: str, message: str) -> UsageError:
    return UsageError(f"{field}: {message}", [Problem(message, field=field)])


@dataclass(frozen=True, slots=True)
class Draft:
    """A checked entry ready to append: the kind, the indexed columns and the payload."""

    kind: EntryKind
    meeting: str | None
    person: str | None
    payload: Mapping[str, Any]

    @property
    def target(self) -> int | None:
        """The seq a correction points at; ``None`` for the other kinds."""
        target = self.payload.get("target") if self.kind not in ORIGINAL_KINDS else None
        return target if isinstance(target, int) else None


# ---- field checks -------------------------------------------------------------------------


def _id(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(field, "must be a non-empty id")
    value = value.strip()
    if len(value) > _ID_MAX:
        raise _bad(field, f"is longer than {_ID_MAX} characters")
    return value


def _ids(field: str, value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise _bad(field, "must be a list of ids")
    return sorted({_id(field, v) for v in value})


def _text(field: str, value: Any, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _bad(field, "must not be empty")
        return None
    if not isinstance(value, str):
        raise _bad(field, f"must be text, not {type(value).__name__}")
    return value.strip()


def _item(value: Any) -> str:
    # Agenda items are numbered "5" or "5.2"; accept a bare int from callers too.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text("item", value, required=True)
    assert text is not None
    return text


def _action(value: Any) -> str:
    try:
        return DeclaredAction(value).value
    except ValueError:
        raise _bad("action", f"{value!r} is not one of {_ACTIONS}") from None


def _time(field: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if not isinstance(value, str) or not _TIME.match(value.strip()):
        raise _bad(field, f"{value!r} is not a time of day as HH:MM (24-hour)")
    return value.strip()


def _date(field: str, value: Any) -> str:
    if isinstance(value, dt.datetime):
        raise _bad(field, "must be a date, not a date and time")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise _bad(field, f"{value!r} is not a date as YYYY-MM-DD")


def _bool(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(field, f"must be true or false, not {value!r}")
    return value


def _target(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _bad("target", f"{value!r} is not an entry number (a seq of 1 or more)")
    return value


_CHANGE_CHECKS: Mapping[str, Callable[[Any], Any]] = {
    "item": lambda v: _item(v),
    "interest": lambda v: _text("interest", v),
    "nature": lambda v: _text("nature", v),
    "action": lambda v: _action(v),
    "left": lambda v: _time("left", v),
    "returned": lambda v: _time("returned", v),
    "reviewed_on": lambda v: _date("reviewed_on", v),
    "nil": lambda v: _bool("nil", v),
}


def _check_declaration(fields: Mapping[str, Any]) -> None:
    """The rules that tie a declaration's fields together (also re-run after an amendment)."""
    if not fields.get("interest") and not fields.get("nature"):
        raise _bad("interest", "give the interest declared (its id) or its nature (free text)")
    action = DeclaredAction(fields["action"])
    left, returned = fields.get("left"), fields.get("returned")
    if (left or returned) and action not in _AWAY_ACTIONS:
        field = "left" if left else "returned"
        raise _bad(
            field,
            f"times out of the room apply only to the actions withdrew and left-meeting, "
            f"not {action.value}",
        )
    if returned and action is DeclaredAction.LEFT_MEETING:
        raise _bad("returned", "someone who left the meeting did not return to it")
    if returned and not left:
        raise _bad("returned", "give the time they left as well")
    if left and returned and returned < left:
        raise _bad("returned", f"{returned} is before the time they left ({left})")


def _declaration_fields(payload: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        "meeting": _id("meeting", payload.get("meeting")),
        "person": _id("person", payload.get("person")),
        "item": _item(payload.get("item")),
        "interest": _text("interest", payload.get("interest")),
        "nature": _text("nature", payload.get("nature")),
        "action": _action(payload.get("action")),
        "left": _time("left", payload.get("left")),
        "returned": _time("returned", payload.get("returned")),
    }
    _check_declaration(fields)
    return fields


def normalise(kind: str, payload: Mapping[str, Any]) -> Draft:
    """Check one entry's own content and put it in its stored form; UsageError if wrong.

    Corrections are checked here only for their own shape: whether their target exists
    and can still be corrected needs the log, see :func:`check_correction`.
    """
    try:
        entry_kind = EntryKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in EntryKind)
        raise _bad("kind", f"{kind!r} is not one of {kinds}") from None
    if not isinstance(payload, Mapping):
        raise _bad("payload", "must be a mapping of field names to values")
    required, optional = _FIELDS[entry_kind]
    unknown = sorted(set(payload) - required - optional)
    if unknown:
        raise _bad(unknown[0], f"is not a field of a {entry_kind.value} entry")
    missing = sorted(f for f in required if payload.get(f) is None)
    if missing:
        raise _bad(missing[0], f"is required for a {entry_kind.value} entry")

    if entry_kind is EntryKind.DECLARATION:
        fields = _declaration_fields(payload)
        return Draft(entry_kind, fields["meeting"], fields["person"], fields)
    if entry_kind is EntryKind.NIL:
        meeting, person = _id("meeting", payload["meeting"]), _id("person", payload["person"])
        return Draft(entry_kind, meeting, person, {"meeting": meeting, "person": person})
    if entry_kind is EntryKind.RETURN:
        person = _id("person", payload["person"])
        fields = {
            "person": person,
            "reviewed_on": _date("reviewed_on", payload["reviewed_on"]),
            "nil": _bool("nil", payload.get("nil", False)),
        }
        # The entries the return confirmed; left out when none, so that returns written
        # before coi recorded them keep their canonical form (and their hashes).
        confirmed = _ids("confirmed", payload.get("confirmed") or [])
        if confirmed:
            fields["confirmed"] = confirmed
        # Why a return was recorded over a refusal (--force); left out when there was none.
        warning = _text("warning", payload.get("warning"))
        if warning:
            fields["warning"] = warning
        return Draft(entry_kind, None, person, fields)
    target = _target(payload["target"])
    if entry_kind is EntryKind.RETRACT:
        reason = _text("reason", payload["reason"], required=True)
        return Draft(entry_kind, None, None, {"target": target, "reason": reason})
    changes = payload["changes"]
    if not isinstance(changes, Mapping) or not changes:
        raise _bad("changes", "give at least one field to change")
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in _CHANGE_CHECKS:
            amendable = ", ".join(sorted(_CHANGE_CHECKS))
            raise _bad(name, f"cannot be amended (amendable fields: {amendable})")
        checked[name] = _CHANGE_CHECKS[name](value)
    reason = _text("reason", payload.get("reason")) or ""
    return Draft(entry_kind, None, None, {"target": target, "changes": checked, "reason": reason})


# ---- builders: typed front doors to normalise() --------------------------------------------


def declaration_payload(
    meeting: str,
    person: str,
    item: str,
    action: DeclaredAction | str,
    *,
    interest: str | None = None,
    nature: str | None = None,
    left: str | dt.time | None = None,
    returned: str | dt.time | None = None,
) -> dict[str, Any]:
    """The payload of a ``declaration`` entry, checked."""
    payload = {
        "meeting": meeting,
        "person": person,
        "item": item,
        "action": action,
        "interest": interest,
        "nature": nature,
        "left": left,
        "returned": returned,
    }
    return dict(normalise(EntryKind.DECLARATION, payload).payload)


def nil_payload(meeting: str, person: str) -> dict[str, Any]:
    """The payload of a ``nil`` entry: ``person`` had nothing to declare at ``meeting``."""
    return dict(normalise(EntryKind.NIL, {"meeting": meeting, "person": person}).payload)


def return_payload(
    person: str,
    reviewed_on: dt.date | str,
    *,
    nil: bool = False,
    confirmed: Sequence[str] = (),
    warning: str = "",
) -> dict[str, Any]:
    """The payload of an annual ``return``: ``person`` reviewed their entries on that day
    and confirmed the interests ``confirmed``; ``warning`` says why it was recorded over
    a refusal."""
    payload = {
        "person": person,
        "reviewed_on": reviewed_on,
        "nil": nil,
        "confirmed": confirmed,
        "warning": warning,
    }
    return dict(normalise(EntryKind.RETURN, payload).payload)


# ---- when a declaration can be minuted ------------------------------------------------------

_DECLARATIONS_TITLE = re.compile(r"\bdeclarations?\b", re.IGNORECASE)


def is_declarations_item(item: AgendaItem) -> bool:
    """The standing item at which interests are declared: a procedural item whose title
    says declarations ("Apologies and declarations of interest")."""
    return item.kind is ItemKind.PROCEDURAL and bool(_DECLARATIONS_TITLE.search(item.title))


def check_declaration_time(
    meeting: Meeting, timezone: str, now: dt.datetime, item: str | None
) -> None:
    """Refuse a declaration at a meeting that has not happened yet, as attendance is.

    A meeting has happened once its start time has passed. The one exception is the
    standing declarations item of a meeting on today's date (``item`` None, a nil
    declaration, is made at that item): it is taken as the meeting opens, which may be
    a few minutes before the time on the agenda.
    """
    if now >= meeting.start:
        return
    day = local_day(meeting.start, timezone)
    standing = [i.number for i in meeting.items if is_declarations_item(i)]
    today = day == local_day(now, timezone)
    if today and standing and (item is None or item in standing):
        return
    hint = (
        f"; only its declarations item ({standing[0]}) may be minuted before it starts"
        if today and standing
        else ""
    )
    raise UsageError(
        f"meeting {meeting.id} on {day} has not happened yet: declarations are minuted "
        f"at the meeting{hint}"
    )


def amend_payload(target: int, changes: Mapping[str, Any], *, reason: str = "") -> dict[str, Any]:
    """The payload of an ``amend`` of entry ``target``.

    ``changes`` holds only the fields to change; a value of ``None`` clears that field,
    a field left out keeps its value.
    """
    payload = {"target": target, "changes": dict(changes), "reason": reason}
    return dict(normalise(EntryKind.AMEND, payload).payload)


def retract_payload(target: int, reason: str) -> dict[str, Any]:
    """The payload of a ``retract`` of entry ``target``, with the reason it is withdrawn."""
    return dict(normalise(EntryKind.RETRACT, {"target": target, "reason": reason}).payload)


# ---- corrections against the log ------------------------------------------------------------


def _current_fields(target: LogEntry, later: Iterable[LogEntry]) -> dict[str, Any]:
    fields = dict(target.payload)
    for entry in sorted(later, key=lambda e: e.seq):
        if entry.kind == EntryKind.AMEND and entry.payload.get("target") == target.seq:
            fields.update(entry.payload.get("changes", {}))
    return fields


def check_correction(draft: Draft, target: LogEntry | None, later: Iterable[LogEntry]) -> Draft:
    """``draft`` (an amend or retract) checked against the log; UsageError if it cannot apply.

    ``target`` is the entry it points at (``None`` when no such entry exists); ``later``
    holds at least every correction recorded after the target (others are ignored). The
    draft comes back with the target's meeting and person, so that a correction is found
    with the entries it corrects.
    """
    if draft.kind in ORIGINAL_KINDS:
        return draft
    seq = draft.target
    if target is None:
        raise _bad("target", f"entry {seq} does not exist")
    if target.kind not in ORIGINAL_KINDS:
        raise _bad(
            "target",
            f"entry {seq} is itself a correction ({target.kind}); amend or retract the "
            "entry it corrects",
        )
    later = [e for e in later if e.seq > target.seq]
    for entry in later:
        if entry.kind == EntryKind.RETRACT and entry.payload.get("target") == seq:
            raise _bad("target", f"entry {seq} was already retracted (entry {entry.seq})")
    if draft.kind is EntryKind.AMEND:
        target_kind = EntryKind(target.kind)
        changes: Mapping[str, Any] = draft.payload["changes"]
        allowed = AMENDABLE[target_kind]
        if not allowed:
            raise _bad("target", f"entry {seq} is a {target_kind.value} entry: retract it instead")
        for name in changes:
            if name not in allowed:
                raise _bad(
                    name,
                    f"is not a field of a {target_kind.value} entry "
                    f"(amendable: {', '.join(sorted(allowed))})",
                )
        current = _current_fields(target, later)
        amended = {**current, **changes}
        if amended == current:
            raise _bad("changes", f"entry {seq} already says that: the amendment changes nothing")
        if target_kind is EntryKind.DECLARATION:
            _check_declaration(amended)
    return Draft(draft.kind, target.meeting, target.person, draft.payload)


# ---- the effective record -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Declaration:
    """One declaration, nil declaration or annual return as it stands after its corrections.

    ``seq`` is the original entry; ``amended_by`` lists the amendments applied in order.
    Fields that do not belong to the ``kind`` are ``None`` (``nil`` is ``True`` for a nil
    declaration and for a nil return).
    """

    seq: int
    kind: EntryKind
    meeting: str | None
    person: str | None
    item: str | None
    interest: str | None
    nature: str | None
    action: DeclaredAction | None
    left: dt.time | None
    returned: dt.time | None
    reviewed_on: dt.date | None
    nil: bool
    recorded_at: dt.datetime
    recorded_by: str
    amended_by: tuple[int, ...] = ()
    amend_reasons: tuple[str, ...] = ()
    retracted: bool = False
    retracted_by: int | None = None
    reason: str | None = None


def _as_time(value: Any) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _declaration(entry: LogEntry, fields: Mapping[str, Any]) -> Declaration:
    kind = EntryKind(entry.kind)
    action = fields.get("action")
    reviewed_on = fields.get("reviewed_on")
    return Declaration(
        seq=entry.seq,
        kind=kind,
        meeting=entry.meeting,
        person=entry.person,
        item=fields.get("item"),
        interest=fields.get("interest"),
        nature=fields.get("nature"),
        action=DeclaredAction(action) if action else None,
        left=_as_time(fields.get("left")),
        returned=_as_time(fields.get("returned")),
        reviewed_on=dt.date.fromisoformat(reviewed_on) if reviewed_on else None,
        nil=kind is EntryKind.NIL or bool(fields.get("nil", False)),
        recorded_at=entry.recorded_at,
        recorded_by=entry.recorded_by,
    )


@dataclass
class _Pending:
    entry: LogEntry
    fields: dict[str, Any]
    amended_by: list[int]
    amend_reasons: list[str]
    retracted_by: int | None = None
    reason: str | None = None


def effective_declarations(
    entries: Iterable[LogEntry], *, include_retracted: bool = False
) -> list[Declaration]:
    """The record the log adds up to: originals with their amendments applied, in seq order.

    Retracted entries are left out unless ``include_retracted`` (then ``retracted`` is
    true and ``reason`` says why). Corrections whose target is not among ``entries``
    (e.g. a listing filtered by date) are ignored.
    """
    pending: dict[int, _Pending] = {}
    for entry in entries:
        if entry.kind in ORIGINAL_KINDS:
            pending[entry.seq] = _Pending(entry, dict(entry.payload), [], [])
            continue
        seq = entry.payload.get("target")
        target = pending.get(seq) if isinstance(seq, int) else None
        if target is None or target.retracted_by is not None:
            continue
        if entry.kind == EntryKind.AMEND:
            target.fields.update(entry.payload.get("changes", {}))
            target.amended_by.append(entry.seq)
            target.amend_reasons.append(entry.payload.get("reason", ""))
        elif entry.kind == EntryKind.RETRACT:
            target.retracted_by = entry.seq
            target.reason = entry.payload.get("reason")
    out: list[Declaration] = []
    for seq in sorted(pending):
        item = pending[seq]
        if item.retracted_by is not None and not include_retracted:
            continue
        out.append(
            replace(
                _declaration(item.entry, item.fields),
                amended_by=tuple(item.amended_by),
                amend_reasons=tuple(item.amend_reasons),
                retracted=item.retracted_by is not None,
                retracted_by=item.retracted_by,
                reason=item.reason,
            )
        )
    return out
