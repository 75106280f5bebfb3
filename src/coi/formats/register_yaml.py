"""Temporary shim: the register file format now lives in the package ``coi.formats.register``.

It re-exports only the names other modules imported from here; it goes once they import
from ``coi.formats.register`` (and ``Known``/``Ref`` from ``coi.domain.integrity``).
"""

from __future__ import annotations

from coi.domain.integrity import Known, Ref
from coi.formats.register import (
    FIELDS,
    ID_RE,
    SECTIONS,
    dump_register,
    format_local,
    parse_date,
    parse_local_datetime,
    read_register,
    read_register_data,
    register_to_data,
    valid_timezone,
)

__all__ = [
    "FIELDS",
    "ID_RE",
    "SECTIONS",
    "Known",
    "Ref",
    "dump_register",
    "format_local",
    "parse_date",
    "parse_local_datetime",
    "read_register",
    "read_register_data",
    "register_to_data",
    "valid_timezone",
]
