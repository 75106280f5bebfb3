"""One edit of one record, as a value: the fields to set, the values to add to or take out
of list fields, and the fields to clear, named as the register file names them
(``coi.formats.register.fields``). Every edit service takes one and applies it the same
way, so no edit restates the record's fields.

    from coi.services.changes import Changes
    from coi.services.organisations import edit_organisation

    edit_organisation(s, "harbour", Changes(set={"name": "Harbour"}, add={"aliases": ["HDAS"]}))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coi.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The error for taking out a value that is not there, given the field, the value and the list.
Missing = Callable[[str, str, list[str]], str]

# List options named otherwise than their field's singular (``--add-org``: organisations).
_STEMS = {"organisations": "org"}


def stem(name: str) -> str:
    """What a list field's options are called after: ``--add-alias`` adds to aliases."""
    if name in _STEMS:
        return _STEMS[name]
    for plural, singular in (("ies", "y"), ("ses", "s"), ("s", "")):
        if name.endswith(plural):
            return name.removesuffix(plural) + singular
    return name


def _missing(name: str, value: str, current: list[str]) -> str:
    return f"--remove-{stem(name).replace('_', '-')}: {value!r} is not in {current}"


def file_value(value: object) -> object:
    """A value as the register file writes it: enums by value, dates in ISO form, and a
    file (a body's policy) by its full path."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value.resolve())
    return value


@dataclass(frozen=True)
class Changes:
    """An edit of one record; values are as a person gives them (references by id, id
    prefix or name, until ``resolved``)."""

    set: Mapping[str, Any] = field(default_factory=dict)
    add: Mapping[str, list[str]] = field(default_factory=dict)
    remove: Mapping[str, list[str]] = field(default_factory=dict)
    clear: frozenset[str] = frozenset()

    @classmethod
    def of(cls, record: str, options: Mapping[str, Any]) -> Changes:
        """The changes a command's options ask for, by their names: ``add_X``/``remove_X``
        add to or take out of the list field X names, ``no_X`` clears field X, and any
        other option that was given sets the field of its name. An option that names no
        field of the record is a mistake in the command (KeyError)."""
        from coi.formats.register.fields import RECORDS

        left = dict(options)
        changes: dict[str, dict[str, Any]] = {"set": {}, "add": {}, "remove": {}}
        clear = set()
        for f in RECORDS[record]:
            if (value := left.pop(f.name, None)) is not None:
                changes["set"][f.name] = value
            for verb in ("add", "remove"):
                if values := left.pop(f"{verb}_{stem(f.name)}", None):
                    changes[verb][f.name] = list(values)
            if left.pop(f"no_{f.name}", False):
                clear.add(f.name)
        if left:
            raise KeyError(f"{record} has no field for option(s) {', '.join(left)}")
        return cls(**changes, clear=frozenset(clear))

    def __bool__(self) -> bool:
        return bool(self.set or self.add or self.remove or self.clear)

    def both(self, name: str) -> bool:
        """Whether a field is both set and cleared (two options that exclude each other)."""
        return name in self.set and name in self.clear

    def setting(self, **values: object) -> Changes:
        return replace(self, set={**self.set, **values})

    def but(self, *names: str) -> Changes:
        """These changes without those of the fields named (a service applies them itself)."""

        def keep(m: Mapping[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in m.items() if k not in names}

        return Changes(keep(self.set), keep(self.add), keep(self.remove), self.clear - set(names))

    def not_blank(self, name: str, option: str) -> Changes:
        """A text field that may not be set to nothing, stripped."""
        from coi.services.records import not_blank

        value = self.set.get(name)
        return self if value is None else self.setting(**{name: not_blank(value, option)})

    def apply(self, data: dict[str, Any], missing: Missing = _missing) -> None:
        """Change one record in the register file's shape; taking out a value that is not
        there is an error (``missing`` words it)."""
        for name, value in self.set.items():
            data[name] = file_value(value)
        for name in self.clear:
            data.pop(name, None)
        for name in dict.fromkeys([*self.add, *self.remove]):
            current = list(data.get(name) or [])
            for value in self.remove.get(name, []):
                if value not in current:
                    raise UsageError(missing(name, value, current))
                current.remove(value)
            adding = dict.fromkeys(self.add.get(name, []))
            data[name] = current + [v for v in adding if v not in current]


def resolved(s: Session, record: str, changes: Changes) -> Changes:
    """The changes with every reference (a REF or REFS field) resolved to an id; naming
    one record twice names it once."""
    from coi.formats.register import fields
    from coi.store.lookup import resolve

    def ids(name: str, values: list[str]) -> list[str]:
        refers = fields.field(record, name).refers
        return list(dict.fromkeys(resolve(s, refers, v) for v in values)) if refers else values

    def one(name: str, value: Any) -> Any:
        is_ref = fields.field(record, name).type == fields.Type.REF
        return ids(name, [value])[0] if is_ref else value

    return Changes(
        {k: one(k, v) for k, v in changes.set.items()},
        {k: ids(k, v) for k, v in changes.add.items()},
        {k: ids(k, v) for k, v in changes.remove.items()},
        changes.clear,
    )
