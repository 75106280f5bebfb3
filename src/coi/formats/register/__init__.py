"""The register file format: its fields described once, a reader, a writer and a JSON Schema.

- ``fields``: every record and field of the file (type, required, default, limit, choices,
  what it refers to, a one-line doc);
- ``reader`` (with ``records`` and ``values``): files in, every problem at once;
- ``writer``: a ``Register`` out as YAML that reads back the same;
- ``times``: dates, meeting times and time zones as the file writes them;
- ``jsonschema``: the JSON Schema for editors (``coi schema``).
"""

from __future__ import annotations

from coi.formats.register.fields import FIELDS, ID_RE, RECORDS, SECTIONS, choices, field, limit
from coi.formats.register.reader import read_register, read_register_data
from coi.formats.register.times import (
    format_local,
    parse_date,
    parse_local_datetime,
    valid_timezone,
)
from coi.formats.register.writer import dump_register, register_to_data

__all__ = [
    "FIELDS",
    "ID_RE",
    "RECORDS",
    "SECTIONS",
    "choices",
    "dump_register",
    "field",
    "format_local",
    "limit",
    "parse_date",
    "parse_local_datetime",
    "read_register",
    "read_register_data",
    "register_to_data",
    "valid_timezone",
]
