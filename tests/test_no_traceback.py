"""No command ends in a traceback, whatever it is given (issue 9, point 4).

Hypothesis builds command lines for every command in the tree: each argument and a
random choice of options, with values that make sense on the example register (ids,
dates, times, numbers, files) and values that do not (garbage text, huge and negative
numbers, folders, missing files). Each runs against a copy of the example database and
must end with exit 0, 1, 2 or 3 and no uncaught exception. Generation is derandomized,
so CI runs the same cases every time.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.core import TyperGroup
from typer.testing import CliRunner

from coi.cli.app import app
from coi.cli.entities import GROUPS, load_command

DATA = Path(__file__).resolve().parent.parent / "data"

# Options that would change the shell's own files, not the register.
NOT_RUN = {"--install-completion", "--show-completion"}


def _commands() -> Iterator[tuple[list[str], Any]]:
    """Every command (and every group that runs on its own) as (words, click command)."""

    def walk(words: list[str], command: Any) -> Iterator[tuple[list[str], Any]]:
        if isinstance(command, TyperGroup):
            if any(p.name for p in command.params if p.opts[0] not in NOT_RUN):
                yield words, command
            for name, sub in command.commands.items():
                yield from walk([*words, name], sub)
        else:
            yield words, command

    for group in GROUPS:
        yield from walk([group.name], load_command(group.name))


COMMANDS = {" ".join(words): command for words, command in _commands()}

# Values that make sense on the example register (data/plymouth.yaml), by parameter name.
PEOPLE = ["owen-pascoe", "devika-chandra", "maggie-trelawny", "Priya Nair", "tom"]
MEETINGS = ["lit-2027-01", "lit-2026-10", "lit-2027-03", "ct-board-2027-02"]
DATES = ["2027-01-14", "2026-10-15", "2027-03-31", "2026-11-01"]
SENSIBLE = {
    "person": PEOPLE,
    "out": PEOPLE,
    "in_": PEOPLE,
    "for_": PEOPLE,
    "member": PEOPLE,
    "by": PEOPLE,
    "pool": PEOPLE,
    "guest": PEOPLE,
    "meeting": MEETINGS,
    "body": ["lit-adult-mh", "childrens-trust-board", "lsp"],
    "parent": ["lit-adult-mh", "lsp"],
    "seat": ["lit-vcs", "ct-board-vcs"],
    "seats": ["lit-vcs", "ct-board-vcs"],
    "org": ["the-zone", "harbour", "routeways", "The Zone"],
    "source": ["the-zone", "harbour"],
    "target": ["routeways", "plym-recovery"],
    "on_behalf_of": ["the-zone", "harbour"],
    "offeror": ["the-zone", "harbour"],
    "commissioner": ["the-zone", "harbour"],
    "counterparty": ["the-zone", "harbour"],
    "interest": ["owen-pascoe.peer-network", "devika-chandra.cic-director", "owen"],
    "item": ["3", "5", "1"],
    "number": ["3", "8", "2a"],
    "after": ["3", "1"],
    "entry": ["1", "2"],
    "start": ["2027-05-01 10:00", "2027-01-14 10:00"],
    "end": ["2027-05-01 12:00", "12:30"],
    "duration": ["2h", "90m", "1h30m"],
    "left": ["10:40"],
    "returned": ["11:05"],
    "now": ["2026-11-01T00:00:00Z", "2027-01-01"],
    "timezone": ["Europe/London", "UTC"],
    "status": ["present", "apologies", "absent", "held", "cancelled"],
    "email": ["someone@example.org"],
    "service_area": ["mental-health/adult", "children"],
    "anchor": ["0" * 64],
    "reference": ["C-2024-031"],
    "months": ["12", "1"],
}
PLURALS = {
    "aliases": "alias",
    "commissioners": "commissioner",
    "counterparties": "counterparty",
    "guests": "guest",
    "orgs": "org",
    "references": "reference",
    "service_areas": "service_area",
    "for_person": "person",
}
DATE_NAMES = {"day", "until", "since", "as_of", "today", "term_start", "founded"}
DATE_NAMES |= {"declared_on", "active_on", "reviewed_on", "start_", "end_"}
# Values of the usual shapes that are wrong, odd or extreme.
SHAPES = [
    "2026-13-45",
    "25:99",
    "-1h",
    "999999999h",
    "0",
    "-1",
    "1.5",
    "99999999999999999999",
    "1e308",
    "nan",
    "Mars/Olympus",
    "",
    " ",
    "-",
    "--",
    "x" * 300,
    "[bold]x[/bold]",
    "=cmd|' /C calc'!A0",
    "a|b\nc",
    "\udcff",  # a byte that is not UTF-8, as Python hands it over from argv
]
# Any text a shell can pass: no NUL (argv cannot hold one), no lone surrogates.
GARBAGE = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=12,
)
ANY_WORD = st.one_of(
    st.sampled_from(sorted({v for vs in SENSIBLE.values() for v in vs} | set(DATES))),
    st.sampled_from(SHAPES),
    GARBAGE,
)


def _paths(folder: Path, output: bool) -> tuple[list[str], list[str]]:
    """(sensible, odd) files to read, or, for --output, places to write: only ever in the
    test's own folder, so that no value can overwrite a file of the machine's."""
    if output:
        return [str(folder / "out.txt")], [str(folder), str(folder / "missing" / "out.txt")]
    sensible = [DATA / "plymouth.yaml", DATA / "policy.yaml", folder / "paper.txt"]
    odd = [folder / "empty.txt", folder / "binary.bin", folder, folder / "missing.yaml"]
    return [str(p) for p in sensible], [str(p) for p in odd]


def _kind(param: Any) -> Any:
    kind = param.type_descriptor.annotation
    return getattr(kind, "__args__", (kind,))[0]  # list[X] -> X


def _sensible(param: Any, folder: Path) -> st.SearchStrategy[str]:
    kind, name = _kind(param), str(param.name)
    for verb in ("add_", "remove_"):
        name = name.removeprefix(verb)
    name = PLURALS.get(name, name)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return st.sampled_from([str(v.value) for v in kind])
    if kind is Path or name == "file":
        return st.sampled_from(_paths(folder, name == "output")[0])
    if kind in (int, float):
        return st.sampled_from(["1", "2", "250000"])
    if name in DATE_NAMES or param.opts[0] in ("--from", "--to", "--on"):
        return st.sampled_from(DATES)
    return st.sampled_from(SENSIBLE.get(name, ["A sensible name", "owen-pascoe"]))


def _odd(param: Any, folder: Path) -> st.SearchStrategy[str]:
    kind = _kind(param)
    if kind is Path or param.name == "file":
        odd = _paths(folder, param.name == "output")[1]
        return (
            st.sampled_from(odd)
            if param.name == "output"
            else st.one_of(st.sampled_from(odd), GARBAGE)
        )
    if kind in (int, float):
        numbers = st.one_of(
            st.sampled_from(["99999999999999999999", "-1", "0", "1e308", "inf", "-nan"]),
            st.integers(-(10**30), 10**30).map(str),
            st.floats(allow_nan=True, allow_infinity=True).map(str),
        )
        return st.one_of(numbers, ANY_WORD)
    return ANY_WORD


def _argv(draw: st.DrawFn, words: list[str], command: Any, folder: Path) -> list[str]:
    """A command line: every argument and some options, all sensible but (usually) one."""
    params = [p for p in command.params if p.opts[0] not in NOT_RUN]
    chosen = [
        p for p in params if p.param_type_name == "argument" or p.required or draw(st.booleans())
    ]
    odd = draw(st.sampled_from([None, *chosen])) if chosen else None
    argv = list(words)
    for param in chosen:
        values = _odd(param, folder) if param is odd else _sensible(param, folder)
        if param.param_type_name == "argument":
            many = param.nargs == -1 and draw(st.booleans())
            argv += [draw(values) for _ in range(2 if many else 1)]
            continue
        name = draw(st.sampled_from([*param.opts, *param.secondary_opts]))
        if param.is_flag:
            argv.append(name)
            continue
        for _ in range(draw(st.integers(1, 2)) if param.multiple else 1):
            argv += [name, draw(values)]
    if draw(st.integers(0, 9)) == 0:  # now and then a word nobody asked for
        argv.insert(draw(st.integers(len(words), len(argv))), draw(ANY_WORD))
    return argv


RUNNER = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "paper.txt").write_text("The paper.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)))
    return tmp_path


@pytest.mark.parametrize("words", sorted(COMMANDS))
@settings(
    # A few cases per command keep CI fast and stable; COI_FUZZ_EXAMPLES=500 and
    # COI_FUZZ_RANDOM=1 search harder (new cases each run).
    max_examples=int(os.environ.get("COI_FUZZ_EXAMPLES", "10")),
    deadline=None,
    derandomize=not os.environ.get("COI_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_command_ends_in_a_traceback(
    words: str, example_sqlite_url: str, folder: Path, data: st.DataObject
) -> None:
    command = COMMANDS[words]
    argv = data.draw(st.composite(lambda draw: _argv(draw, words.split(), command, folder))())
    result = RUNNER.invoke(app, ["--db", example_sqlite_url, *argv], env={"COI_DEBUG": "1"})
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, "".join(traceback.format_exception(result.exception))
    assert result.exit_code in (0, 1, 2, 3), result.output
    assert "Traceback" not in result.output


def test_every_command_is_tried() -> None:
    """The walk finds the whole tree (a new command is fuzzed without a change here)."""
    assert {"org add", "declare add", "rota export", "log verify", "register"} <= set(COMMANDS)
    assert len(COMMANDS) > 50


def test_an_argument_that_is_not_utf8_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    """`coi org show $'\\xff'`: the shell passes a byte that is not UTF-8."""
    db = str(tmp_path / "coi.db")
    result = runner.invoke(app, ["--db", db, "org", "show", "\udcff"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr == "error: argument 5 is not UTF-8 text: \\xff\n"
    assert not (tmp_path / "coi.db").exists()


def test_a_mistake_coi_did_not_foresee_is_still_one_line(
    runner: CliRunner, example_sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The net under every command: exit 2 and one line, naming it a bug to report."""
    import coi.services.organisations as organisations

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("something\nunforeseen")

    monkeypatch.delenv("COI_DEBUG", raising=False)
    monkeypatch.setattr(organisations, "list_organisations", broken)
    result = runner.invoke(app, ["--db", example_sqlite_url, "org", "list"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ValueError: something unforeseen (a bug in coi")


def test_log_files_that_are_folders_missing_or_endless_are_one_line(
    runner: CliRunner, example_sqlite_url: str, tmp_path: Path
) -> None:
    """`log export -o DIR` and `-o missing/x` crashed; `log verify --file /dev/zero` and
    `log import /dev/zero` read for ever."""
    db = example_sqlite_url
    for args, said in [
        (["log", "export", "-o", str(tmp_path)], "is a folder"),
        (["log", "export", "-o", str(tmp_path / "no" / "x.jsonl")], "cannot write"),
        (["log", "verify", "--file", "/dev/zero"], "not an exported log entry"),
        (["log", "import", "/dev/zero"], "not an exported log entry"),
    ]:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 2, (args, result.stderr)
        assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
