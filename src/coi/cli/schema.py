"""``coi schema``: the register file's JSON Schema, for editors that check YAML as you type."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coi.cli import common


def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Print the register file's JSON Schema, so editors validate and complete register files.

    The schema (JSON Schema draft 2020-12) knows every section and field, its type, its
    allowed values and a line about it; `coi load` still checks what a schema cannot:
    that ids referred to exist, that there are no cycles, that dates are real. Editors
    with a YAML language server (VS Code's YAML extension, Neovim, Helix) use it when a
    register file starts with a line naming it.

    Example:

    \b
        coi schema -o coi-register.schema.json
        # then, as the first line of register.yaml:
        # yaml-language-server: $schema=./coi-register.schema.json
    """
    from coi.formats.register.jsonschema import register_schema_json

    text = register_schema_json()
    if output is None:
        common.write(text)
    else:
        common.write_output(output, text)
        common.message(f"wrote {output}")
