"""The per-noun command groups, loaded only when used so that `coi --help` stays fast.

Each entry names the group, where its Typer lives ("module" or "module:attribute" under
``coi.cli``) and the one-line summary that `coi --help` shows without importing it
(a test keeps each summary equal to the first line of the group's own help).
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple


class Group(NamedTuple):
    name: str
    where: str
    summary: str


GROUPS = (
    Group("org", "orgs", "Organisations: providers, commissioners, consortia, forums."),
    Group(
        "person",
        "people",
        "People: their affiliations with organisations, seats, memberships, interests and gifts.",
    ),
    Group(
        "body",
        "bodies",
        "Bodies: boards, LITs and partnerships, their commissioners, members and seats.",
    ),
    Group(
        "seat",
        "seats",
        "Seats: places on a body filled from a pool, shared when the pool outnumbers the places.",
    ),
    Group(
        "interest",
        "interests",
        "Interests held by a person or an organisation, with dates; ending one keeps it.",
    ),
    Group(
        "gift",
        "interests:gift_app",
        "Gifts and hospitality offered to people, accepted or declined.",
    ),
    Group(
        "meeting", "meetings", "Meetings of bodies: when, where, who is invited, and their status."
    ),
    Group(
        "agenda",
        "meetings:agenda_app",
        "Agenda items of a meeting, in order: number, title, kind and what they concern.",
    ),
)

BY_NAME = {g.name: g for g in GROUPS}


def load_typer(name: str) -> Any:
    """The Typer behind one group, importing its module now."""
    module, _, attr = BY_NAME[name].where.partition(":")
    return getattr(importlib.import_module(f"coi.cli.{module}"), attr or "app")


def load_command(name: str) -> Any:
    """The click command of one group, named as the user typed it."""
    import typer.main

    sub = load_typer(name)
    # Plain click help like the root's: examples marked with \b keep their lines.
    sub.rich_markup_mode = None
    command = typer.main.get_command(sub)
    command.name = name
    return command
