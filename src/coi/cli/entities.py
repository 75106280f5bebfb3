"""Every command under `coi`, loaded only when used so that `coi --help` stays fast.

Each entry names the command, where it lives under ``coi.cli`` ("module" for the module's
Typer called ``app``, or "module:attribute" for another Typer or a command function) and
the one-line summary that `coi --help` shows without importing it (a test keeps each
summary equal to the first paragraph of the command's own help).
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple


class Group(NamedTuple):
    name: str
    where: str
    summary: str


GROUPS = (
    Group(
        "init",
        "register_cmds:init",
        "Create the database (or bring an older one up to this version's schema).",
    ),
    Group(
        "load",
        "register_cmds:load",
        "Load register files in one transaction: all of them or nothing.",
    ),
    Group(
        "dump",
        "register_cmds:dump",
        "Write the whole register as YAML that `coi load` reads back to the same register.",
    ),
    Group(
        "schema",
        "schema:schema",
        "Print the register file's JSON Schema, so editors validate and complete register files.",
    ),
    Group(
        "register",
        "register_cmds:register_app",
        "Publish the register of interests, grouped by person, with NHS England's columns.",
    ),
    Group(
        "check",
        "check:check",
        "Flag, item by item, who among the people expected has an interest, through "
        "what path, and what the policy asks of them (exclude, withdraw, no-vote, "
        "declare).",
    ),
    Group(
        "pack",
        "check:pack",
        'The meeting pack: the agenda with a "declarations expected" block under each '
        "item for the chair, or one person's pack that leaves out the papers of items "
        "they must be excluded from, and says so.",
    ),
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
    Group(
        "rota",
        "rota",
        "Rotas for shared seats: who fills the places at each meeting, swaps, calendars.",
    ),
    Group(
        "attend",
        "attendance:attend",
        "Record who attended a meeting: one person, or the whole meeting in one go.",
    ),
    Group(
        "attendance",
        "attendance:attendance",
        "Report attendance at meetings held so far: per person and per organisation, "
        "the meetings they were rostered for, attended, sent apologies to or missed; "
        "and per shared seat, how many different people and organisations filled its "
        'places and how evenly ("not just the same old faces").',
    ),
    Group(
        "declare",
        "declarations:declare_app",
        "Minute declarations of interest at a meeting in the tamper-evident log; amend or "
        "retract them with new entries.",
    ),
    Group(
        "return",
        "declarations:return_",
        "Record an annual return: the person reviewed their entries on the register on a "
        "date (--nil when they have nothing to declare). `coi register due` lists who is due.",
    ),
    Group(
        "declarations",
        "minutes:declarations",
        'The declarations log as minutes, "Declarations of interest" meeting by meeting: '
        "item, person, organisation, nature, action, and when they left and returned.",
    ),
    Group(
        "reconcile",
        "minutes:reconcile",
        "Compare a meeting's flags (`coi check`) with the declarations minuted for it: "
        "flags with no declaration, declarations the register does not explain (with the "
        "interest to add), and actions weaker than the policy asked.",
    ),
    Group(
        "log",
        "log:log_app",
        "The declarations log: verify its hash chain, export it to publish its head, import "
        "it into an empty database.",
    ),
)

BY_NAME = {g.name: g for g in GROUPS}


def load_target(name: str) -> Any:
    """The Typer or command function behind one entry, importing its module now."""
    module, _, attr = BY_NAME[name].where.partition(":")
    return getattr(importlib.import_module(f"coi.cli.{module}"), attr or "app")


def load_command(name: str) -> Any:
    """The click command of one entry, named as the user typed it."""
    import typer
    import typer.main

    target = load_target(name)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(rich_markup_mode=None)
        single.command(name)(target)
        target = single
    # Plain click help like the root's: examples marked with \b keep their lines.
    target.rich_markup_mode = None
    command = typer.main.get_command(target)
    command.name = name
    return command
