"""Reading one field's value from a located mapping, as its ``Field`` description says.

Each getter notes a problem (file, line, field) and returns a usable default instead of
stopping, so one pass over a file reports everything wrong with it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import unicodedata
from pathlib import Path
from typing import Any

from coi.domain.integrity import Ref
from coi.errors import Problem
from coi.formats.register.fields import (
    FIELDS,
    ID_RE,
    INT_MAX,
    MULTI_LINE_BAD_RE,
    ONE_LINE_BAD_RE,
    TAG_RE,
    Field,
)
from coi.formats.register.times import parse_date
from coi.formats.yamlread import LDict, LList, quote


def describe(value: object) -> str:
    """What a value is, for "expected X, got Y"."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {quote(value)}"
    if value is None:
        return "nothing"
    return quote(value)


def did_you_mean(value: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value[:100], choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def bad_character(text: str, lines: bool) -> str:
    """Why ``text`` cannot be stored ("" when it can): a control character or bidi
    override, or in one-line text a line break or tab (``fields.ONE_LINE_BAD_RE``)."""
    found = (MULTI_LINE_BAD_RE if lines else ONE_LINE_BAD_RE).search(text)
    if found is None:
        return ""
    char = found.group()
    name = unicodedata.name(char, "") or {"\t": "tab", "\n": "newline", "\r": "return"}.get(
        char, "a control character"
    )
    what = "one-line text" if not lines or char in "\t\n\r" else "text"
    return (
        f"the character U+{ord(char):04X} ({name.lower()}) at position {found.start() + 1} "
        f"is not allowed in {what}"
    )


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


class Values:
    """Reads the fields of one file's records, noting problems and references as it goes."""

    def __init__(self, file: str, problems: list[Problem], refs: list[Ref]) -> None:
        self.file = file
        self.problems = problems
        self.refs = refs
        # Paths inside a file (a body's policy) are relative to that file's folder.
        self.base = Path(file).parent if Path(file).is_file() else Path.cwd()

    # -- locating and reporting -------------------------------------------------
    def problem(self, message: str, line: int | None, fld: str | None) -> None:
        # Line 0 means the data did not come from a file (the command line built it).
        self.problems.append(Problem(message, file=self.file, line=line or None, field=fld))

    def at(self, m: LDict, key: str, where: str, message: str) -> None:
        """A problem with the value of ``key`` in ``m``."""
        self.problem(message, m.line_of(key), f"{where}.{key}")

    def refer(self, kind: str, value: str, line: int, fld: str) -> None:
        self.refs.append(
            Ref(kind, value, Problem("", file=self.file, line=line or None, field=fld))
        )

    def check_keys(self, m: LDict, kind: str, where: str) -> None:
        allowed = FIELDS[kind]
        for key in m:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                self.at(m, key, where, f"unknown key {quote(key)}{hint}")

    # -- typed getters ------------------------------------------------------------
    def raw(self, m: LDict, f: Field, where: str) -> Any:
        value = m.get(f.name)
        if value is None and f.required:
            self.problem("missing required field", m.line, f"{where}.{f.name}")
        return value

    def text(self, m: LDict, f: Field, where: str) -> str:
        value = self.raw(m, f, where)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.at(m, f.name, where, f"expected text, got {describe(value)}")
            return ""
        text = str(value)
        if f.limit is not None and len(text) > f.limit:
            self.at(m, f.name, where, f"too long: {len(text)} characters, at most {f.limit}")
            return text[: f.limit]
        if f.required and not text.strip():
            self.at(m, f.name, where, "must not be empty")
        why = bad_character(text, f.lines)
        if why:
            self.at(m, f.name, where, why)
        return text

    def ident(self, m: LDict, f: Field, where: str) -> str:
        value = self.text(m, f, where)
        if value and not ID_RE.match(value):
            message = f"{quote(value)} is not a valid id (lowercase letters, digits, '-', '_', '.')"
            self.at(m, f.name, where, message)
        return value

    def ref(self, m: LDict, f: Field, where: str) -> str | None:
        value = self.text(m, f, where)
        if value and f.refers:
            self.refer(f.refers, value, m.line_of(f.name), f"{where}.{f.name}")
        # A required reference reads as "" when missing, an optional one as None.
        return value if value or f.required else None

    def integer(self, m: LDict, f: Field, where: str) -> int | None:
        value = m.get(f.name)
        if value is None:
            return f.default
        if isinstance(value, bool) or not isinstance(value, int):
            self.at(m, f.name, where, f"expected a whole number, got {describe(value)}")
            return f.default
        self.in_range(m, f, where, value, INT_MAX)
        return value

    def number(self, m: LDict, f: Field, where: str) -> float | None:
        value = m.get(f.name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            self.at(m, f.name, where, f"expected a number, got {describe(value)}")
            value = None
        if value is None:
            return f.default
        try:
            amount = float(value)
        except OverflowError:  # a whole number beyond any float
            amount = math.inf
        if not math.isfinite(amount):
            self.at(m, f.name, where, f"expected a finite number, got {describe(value)}")
            return f.default
        self.in_range(m, f, where, amount, f.maximum)
        return amount

    def in_range(self, m: LDict, f: Field, where: str, value: float, maximum: float | None) -> None:
        """A number below the field's minimum or above its maximum (or ``maximum``)."""
        top = f.maximum if f.maximum is not None else maximum
        if f.minimum is not None and value < f.minimum:
            if f.minimum == 0:
                self.at(m, f.name, where, f"{f.name} cannot be negative, got {_amount(value)}")
            else:
                low = _amount(f.minimum)
                self.at(m, f.name, where, f"{f.name} must be at least {low}, got {value}")
        elif top is not None and value > top:
            message = f"{f.name} is too large: at most {_amount(top)}, got {quote(value)}"
            self.at(m, f.name, where, message)

    def boolean(self, m: LDict, f: Field, where: str) -> bool:
        value = m.get(f.name)
        if value is None:
            return bool(f.default)
        if not isinstance(value, bool):
            self.at(m, f.name, where, f"expected true or false, got {describe(value)}")
            return bool(f.default)
        return value

    def date(self, m: LDict, f: Field, where: str) -> dt.date | None:
        value = self.raw(m, f, where)
        if value is None:
            return None
        parsed, message = parse_date(value)
        if message:
            self.at(m, f.name, where, message)
        return parsed

    def enum(self, m: LDict, f: Field, where: str) -> Any:
        assert f.choices is not None
        value = m.get(f.name)
        if value is None:
            if f.default is None:
                self.problem("missing required field", m.line, f"{where}.{f.name}")
                return next(iter(f.choices))
            return f.default
        choices = [e.value for e in f.choices]
        if value in choices:
            return f.choices(value)
        hint = did_you_mean(str(value), choices)
        self.at(m, f.name, where, f"{quote(value)} is not one of {', '.join(choices)}{hint}")
        return f.default if f.default is not None else f.choices(choices[0])

    def strings(self, m: LDict, f: Field, where: str) -> tuple[str, ...]:
        value = m.get(f.name)
        if value is None:
            return ()
        if isinstance(value, str):  # a lone value is a one-item list: forgiving, unambiguous
            value = [value]
        if not isinstance(value, list):
            self.at(m, f.name, where, f"expected a list, got {describe(value)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                line = value.line_at(i) if isinstance(value, LList) else m.line_of(f.name)
                self.problem(f"expected text, got {describe(item)}", line, f"{where}.{f.name}[{i}]")
                continue
            text = str(item)
            # Multi-line entries (a paper's pages) may be empty: a blank page is a page.
            empty = not text.strip() and not f.lines
            why = "must not be empty" if empty else bad_character(text, f.lines)
            if why:
                line = value.line_at(i) if isinstance(value, LList) else m.line_of(f.name)
                self.problem(why, line, f"{where}.{f.name}[{i}]")
                continue
            out.append(text.strip() if f.strip else text)
        return tuple(out)

    def tags(self, m: LDict, f: Field, where: str) -> tuple[str, ...]:
        out = []
        for tag in self.strings(m, f, where):
            norm = tag.strip().strip("/").lower()
            if not TAG_RE.match(norm):
                self.at(
                    m,
                    f.name,
                    where,
                    f"{quote(tag)} is not a service area (e.g. mental-health/adult)",
                )
                continue
            out.append(norm)
        return tuple(out)

    def refs_list(self, m: LDict, f: Field, where: str) -> tuple[str, ...]:
        values = self.strings(m, f, where)
        container = m.get(f.name)
        for i, value in enumerate(values):
            line = container.line_at(i) if isinstance(container, LList) else m.line_of(f.name)
            self.refer(f.refers or "", value, line, f"{where}.{f.name}[{i}]")
        return values

    def mappings(self, m: LDict, f: Field, where: str) -> list[tuple[str, Any]]:
        """The items of a list field, each with its place; a mapping, or what else it was."""
        value = m.get(f.name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.at(m, f.name, where, f"expected a list, got {describe(value)}")
            return []
        return [(f"{where}.{f.name}[{i}]", item) for i, item in enumerate(value)]

    def line_in(self, m: LDict, key: str, index: int) -> int:
        value = m.get(key)
        return value.line_at(index) if isinstance(value, LList) else m.line_of(key)
