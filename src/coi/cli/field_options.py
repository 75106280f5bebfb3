"""Options of the edit commands made from the register file's field descriptions
(``coi.formats.register.fields``): the field's name gives the option, its type the
option's type, its one-line doc the help. An edit command lists the fields it changes
this way, declares only the options that need more (a date, a flag that clears a field),
and reads them all by name with ``common.edits``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

Command = TypeVar("Command", bound=Callable[..., None])

# The Python type of a field's value on the command line, by the field's type.
_TYPES: dict[str, Any] = {"text": str, "int": int, "number": float}
_LISTS = ("refs", "strings", "tags")


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _options(record: str, name: str) -> list[inspect.Parameter]:
    """The option that sets a field, or the two that add to and take out of a list field."""
    from coi.formats.register.fields import field
    from coi.services.changes import stem

    f = field(record, name)
    about = f.doc[0].upper() + f.doc[1:]
    made: list[tuple[str, Any, str]]
    if f.type in _LISTS:
        each = stem(f.name)
        made = [
            (f"add_{each}", list[str] | None, f"Add one (repeat): {f.doc}."),
            (f"remove_{each}", list[str] | None, f"Take one out (repeat): {f.doc}."),
        ]
    else:
        kind = f.choices if f.choices else _TYPES[f.type]
        made = [(f.name, kind | None, f"{about}.")]
    return [
        inspect.Parameter(
            option,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[kind, typer.Option(_flag(option), help=text)],
        )
        for option, kind, text in made
    ]


def field_options(record: str, *names: str) -> Callable[[Command], Command]:
    """Give an edit command the options of these fields of ``record``, after its
    arguments; the command takes them in ``**changes`` (or reads them from its context)."""

    def decorate(command: Command) -> Command:
        own = list(inspect.signature(command, eval_str=True).parameters.values())
        arguments = [p for p in own if p.kind == p.POSITIONAL_OR_KEYWORD and p.default is p.empty]
        rest = [p for p in own if p not in arguments and p.kind != p.VAR_KEYWORD]
        made = [option for name in names for option in _options(record, name)]
        params = [*arguments, *made, *(p.replace(kind=p.KEYWORD_ONLY) for p in rest)]
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        return command

    return decorate
