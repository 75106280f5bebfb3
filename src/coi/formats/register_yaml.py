"""Temporary shim: the register file format now lives in the package ``coi.formats.register``.

It re-exports only the names other modules imported from here; it goes once they import
from ``coi.formats.register`` (and ``Known``/``Ref`` from ``coi.domain.integrity``).
"""

from __future__ import annotations

# Re-exported for the modules that still import them from here.
from coi.domain.integrity import Known as Known
from coi.domain.integrity import Ref as Ref
from coi.formats.register.fields import FIELDS as FIELDS
from coi.formats.register.fields import ID_RE as ID_RE
from coi.formats.register.fields import SECTIONS as SECTIONS
from coi.formats.register.reader import read_register as read_register
from coi.formats.register.reader import read_register_data as read_register_data
from coi.formats.register.times import format_local as format_local
from coi.formats.register.times import parse_date as parse_date
from coi.formats.register.times import parse_local_datetime as parse_local_datetime
from coi.formats.register.times import valid_timezone as valid_timezone
from coi.formats.register.writer import dump_register as dump_register
from coi.formats.register.writer import register_to_data as register_to_data
