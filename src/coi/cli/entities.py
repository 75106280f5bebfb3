"""Attach the per-noun command groups (org, person, body, seat, interest, gift) to the root."""

from __future__ import annotations

import importlib

import typer

# (command name, module under coi.cli) — each module exposes a Typer called ``app``.
GROUPS = (("org", "orgs"),)


def attach(root: typer.Typer) -> None:
    for name, module in GROUPS:
        sub = importlib.import_module(f"coi.cli.{module}").app
        root.add_typer(sub, name=name)
