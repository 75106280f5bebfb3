"""Attach the per-noun command groups (org, person, body, seat, interest, gift) to the root."""

from __future__ import annotations

import importlib

import typer

# (command name, module under coi.cli) — each module exposes a Typer called ``app``;
# "module:name" picks another Typer from the module.
GROUPS = (
    ("org", "orgs"),
    ("person", "people"),
    ("body", "bodies"),
    ("seat", "seats"),
    ("interest", "interests"),
    ("gift", "interests:gift_app"),
    ("meeting", "meetings"),
    ("agenda", "meetings:agenda_app"),
)


def attach(root: typer.Typer) -> None:
    for name, module in GROUPS:
        module, _, attr = module.partition(":")
        sub = getattr(importlib.import_module(f"coi.cli.{module}"), attr or "app")
        root.add_typer(sub, name=name)
