"""Shared steps of the add / edit / end commands: every change goes through the register
reader (the same checks as a file) and the one save path, so the command line can never
store what `coi load` would refuse."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coi.cli import common
from coi.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SOURCE = "command line"


def slug(text: str) -> str:
    """An id from a name: "The Zone (Plymouth)" -> "the-zone-plymouth"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "x"


def save_data(s: Session, data: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, int]]:
    """Check register data built from options and save it; returns the per-section counts."""
    from coi.formats.register_yaml import read_register_data
    from coi.store.register import known, save_register

    register = read_register_data(data, SOURCE, known(s))
    return save_register(s, register).as_dict()


def record_data(s: Session, section: str, record_id: str) -> dict[str, Any]:
    """One stored record in the file format (the shape `coi load` reads), for editing."""
    from coi.domain.model import Register
    from coi.formats.register_yaml import register_to_data
    from coi.store.register import read_section

    records = [r for r in read_section(s, section) if getattr(r, "id", None) == record_id]
    extra: dict[str, Any] = {}
    if section == "meetings":  # the body's time zone decides how times are written
        from coi.store.register import read_bodies

        extra["bodies"] = tuple(read_bodies(s, [records[0].body]))
    data = register_to_data(Register(**{section: tuple(records)}, **extra))
    return dict(data[section][0])


def edit(
    s: Session, section: str, record_id: str, change: Callable[[dict[str, Any]], None]
) -> dict[str, dict[str, int]]:
    data = record_data(s, section, record_id)
    change(data)
    return save_data(s, {section: [data]})


def set_if(data: dict[str, Any], key: str, value: Any) -> None:
    """Change a field only when the option was given."""
    if value is not None:
        data[key] = value


def add_remove(
    data: dict[str, Any], key: str, add: list[str] | None, remove: list[str] | None
) -> None:
    current = list(data.get(key) or [])
    for value in remove or []:
        if value not in current:
            raise UsageError(
                f"--remove-{key.replace('_', '-').rstrip('s')}: {value!r} is not in {current}"
            )
        current.remove(value)
    for value in add or []:
        if value not in current:
            current.append(value)
    data[key] = current


def date_text(value: str | None, option: str) -> str | None:
    """Check a date option early, so its error names the option rather than a field."""
    parsed: dt.date | None = common.parse_date_option(value, option)
    return parsed.isoformat() if parsed else None


def report(action: str, what: str, counts: dict[str, dict[str, int]]) -> None:
    changed = any(c["created"] or c["updated"] for c in counts.values())
    common.message(f"{action} {what}" if changed else f"{what}: no change")
