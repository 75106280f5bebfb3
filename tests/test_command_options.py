"""The commands hand their options to the services by name, so these tests keep them typed.

An add command (and ``rota plan``) passes its parameters as the service's keywords: the
names must be the same. An edit command reads its options into ``Changes`` by name: each
command runs with every one of its options, without a database, and each option must
arrive at the service as a change (or, for ``meeting edit --duration``, as the service's
own keyword).
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.testing

from coi.cli import common
from coi.cli.app import app
from coi.cli.entities import load_command
from coi.services.changes import Changes, stem
from coi.services.records import Saved

RUNNER = typer.testing.CliRunner()

# command, the service function it calls, the arguments it needs
EDITS = [
    (["org", "edit"], "organisations:edit_organisation", ["harbour"]),
    (["person", "edit"], "people:edit_person", ["jo"]),
    (["body", "edit"], "bodies:edit_body", ["lit"]),
    (["seat", "edit"], "seats:edit_seat", ["lit-vcs"]),
    (["interest", "edit"], "interests:edit_interest", ["i-1"]),
    (["meeting", "edit"], "meetings:edit_meeting", ["lit-2027-01"]),
    (["agenda", "edit"], "meetings:edit_item", ["lit-2027-01", "5"]),
]

# Options that stand instead of another (the command refuses both): each run gives one.
INSTEAD = {"--duration": "--end", "--text-file": "--text"}
VALUES = {"--duration": "2h", "--policy": "policy.yaml"}

# Options named otherwise than the field they change.
FIELD = {
    "withhold": "withheld_reason",
    "publish": "publish",  # cleared: published again
    "default_policy": "policy",  # cleared: the parent's or the default applies
    "new_number": "number",
    "text_file": "text",
}


def _options(argv: list[str]) -> list[Any]:
    group, command = argv
    params = load_command(group).commands[command].params
    return [p for p in params if p.param_type_name == "option"]


def _words(option: Any, text_file: str) -> list[str]:
    name = option.opts[0]
    if option.is_flag:
        return [name]
    kind = option.type_descriptor.annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [name, next(iter(kind)).value]
    if kind in (int, float):
        return [name, "1"]
    return [name, text_file if name == "--text-file" else VALUES.get(name, "2027-01-01")]


def _arrived(name: str, changes: Changes, keywords: dict[str, Any]) -> bool:
    verb, _, rest = name.partition("_")
    if verb in ("add", "remove"):
        return any(stem(f) == rest for f in getattr(changes, verb))
    if verb == "no":
        return rest in changes.clear
    field = FIELD.get(name, name)
    return field in changes.set or field in changes.clear or keywords.get(field) is not None


@pytest.mark.parametrize(("argv", "service", "arguments"), EDITS)
@pytest.mark.parametrize("instead", [False, True])
def test_every_edit_option_reaches_the_service_as_a_change(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
    service: str,
    arguments: list[str],
    instead: bool,
) -> None:
    module, _, function = service.partition(":")
    calls: list[tuple[Changes, dict[str, Any]]] = []

    def edit(_: object, *args: Any, **keywords: Any) -> Saved:
        calls.append((args[-1], keywords))
        return Saved("x", True)

    monkeypatch.setattr(importlib.import_module(f"coi.services.{module}"), function, edit)
    monkeypatch.setattr(common, "session", lambda write=False: contextlib.nullcontext())
    left_out = set(INSTEAD.values()) if instead else set(INSTEAD)
    options = [o for o in _options(argv) if o.opts[0] not in left_out]
    text = tmp_path / "paper.txt"
    text.write_text("The paper.", encoding="utf-8")
    given = [word for o in options for word in _words(o, str(text))]
    result = RUNNER.invoke(app, [*argv, *arguments, *given])
    assert result.exit_code == 0, result.output

    ((changes, keywords),) = calls
    assert [o.opts[0] for o in options if not _arrived(str(o.name), changes, keywords)] == []


# command, the service function it calls, parameters the command reads itself
PASSED_ON = [
    (["org", "add"], "organisations:add_organisation", set()),
    (["person", "add"], "people:add_person", set()),
    (["body", "add"], "bodies:add_body", set()),
    (["seat", "add"], "seats:add_seat", set()),
    (["interest", "add"], "interests:add_interest", set()),
    (["gift", "add"], "interests:add_gift", set()),
    (["meeting", "add"], "meetings:add_meeting", set()),
    (["agenda", "add"], "meetings:add_item", {"text_file"}),
    (["rota", "plan"], "rota:plan", {"fmt"}),
]


@pytest.mark.parametrize(("argv", "service", "own"), PASSED_ON)
def test_a_command_has_the_parameters_of_the_service_it_passes_them_to(
    argv: list[str], service: str, own: set[str]
) -> None:
    group, command = argv
    module, _, function = service.partition(":")
    takes = inspect.signature(getattr(importlib.import_module(f"coi.services.{module}"), function))
    given = {p.name for p in load_command(group).commands[command].params}
    assert given - own == set(takes.parameters) - {"s", "progress"}
