"""An interest withheld from the published register stays withheld in everything that can
be published (issue 9, point 7), and a declaration says its interest one way (point 8).

Public: the register, `coi declarations` (the minutes), calendars, a person's own pack.
The secretary's working papers (check, the chair's pack, reconcile, interest show) keep
the details. The example register withholds owen-pascoe.peer-network.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner, Result

from coi.cli.app import app
from coi.domain.declarations import declaration_payload
from coi.store import log
from coi.store.db import open_engine

M = "lit-2027-01"
WITHHELD = "owen-pascoe.peer-network"
# Words only the withheld record holds: its description, its reason, its id.
SECRETS = ("peer-support network", "lived experience", "health history", "peer-network")


def ok(runner: CliRunner, db: str, *args: str) -> Result:
    """Run ``coi --db DB ARGS...`` and require success."""
    result = run(runner, db, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


# Issue 10: a meeting that has not happened takes no declarations, so these tests minute
# their declarations as things stand after the example's meetings.
AFTER_THE_MEETINGS = "2027-12-31"


def after_the_meeting(args: tuple[str, ...]) -> list[str]:
    """``coi declare MEETING ...`` as minuted after the meeting (``--today``)."""
    if args[:1] == ("declare",) and args[1:2] not in (("amend",), ("retract",), ("--help",)):
        return [*args, "--today", AFTER_THE_MEETINGS]
    return list(args)


def run(runner: CliRunner, db: str, *args: str) -> Result:
    return runner.invoke(app, ["--db", db, *after_the_meeting(args)])


def assert_withheld(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@pytest.fixture
def declared(runner: CliRunner, example_db_url: str) -> str:
    """Owen's withheld interest declared on item 3, as the register names it."""
    ok(runner, example_db_url, "declare", M, "--person", "owen-pascoe", "--item", "3",
       "--interest", WITHHELD, "--action", "remained")  # fmt: skip
    return example_db_url


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "json"])
def test_the_minutes_say_details_withheld(runner: CliRunner, declared: str, fmt: str) -> None:
    shown = ok(runner, declared, "declarations", "--format", fmt).stdout
    assert_withheld(shown)
    assert "details withheld" in shown
    assert "Owen Pascoe" in shown


def test_the_minutes_json_leaves_out_the_withheld_interest_id(
    runner: CliRunner, declared: str
) -> None:
    (row,) = json.loads(ok(runner, declared, "declarations", "--format", "json").stdout)
    assert row["interest"] is None
    assert row["nature"] == "details withheld"
    assert row["person"] == "owen-pascoe"


def test_words_minuted_beside_a_withheld_interest_are_withheld_too(
    runner: CliRunner, example_db_url: str
) -> None:
    """Entries from before `declare` refused both keep the words in the log, not in minutes."""
    engine = open_engine(example_db_url)
    try:
        payload = declaration_payload(
            M, "owen-pascoe", "3", "remained", interest=WITHHELD, nature="peer-support network"
        )
        log.append(engine, "declaration", payload)
    finally:
        engine.dispose()
    for fmt in ("table", "csv", "md", "json"):
        assert_withheld(ok(runner, example_db_url, "declarations", "--format", fmt).stdout)


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md", "html"])
def test_the_published_register_withholds_it(runner: CliRunner, declared: str, fmt: str) -> None:
    shown = ok(runner, declared, "register", "--person", "owen-pascoe", "--format", fmt).stdout
    assert_withheld(shown)
    assert "withheld" in shown


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_persons_own_pack_withholds_it(runner: CliRunner, declared: str, fmt: str) -> None:
    shown = ok(runner, declared, "pack", M, "--for", "owen-pascoe", "--format", fmt).stdout
    assert_withheld(shown)
    assert "details withheld" in shown


def test_the_calendar_withholds_it(runner: CliRunner, declared: str) -> None:
    ok(runner, declared, "rota", "plan", "lit-vcs", "--today", "2026-11-01")
    calendar = ok(runner, declared, "rota", "export", "--person", "owen-pascoe").stdout
    assert "BEGIN:VEVENT" in calendar
    assert_withheld(calendar.replace("\r\n ", ""))  # unfolded: no secret split at a fold


def test_the_working_papers_keep_the_details(runner: CliRunner, declared: str) -> None:
    """The secretary's own record of the interest still says what it is."""
    shown = ok(runner, declared, "interest", "show", WITHHELD).stdout
    assert "peer-support network" in shown


def test_declare_takes_interest_or_nature_not_both(runner: CliRunner, example_db_url: str) -> None:
    both = ["--interest", WITHHELD, "--nature", "peer support", "--action", "remained"]
    result = run(
        runner, example_db_url, "declare", M, "--person", "owen-pascoe", "--item", "3", *both
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "--interest" in result.stderr and "--nature" in result.stderr
    assert "not both" in result.stderr
    assert ok(runner, example_db_url, "declarations", "-f", "json").stdout.strip() == "[]"


def test_amending_the_interest_replaces_the_words(runner: CliRunner, example_db_url: str) -> None:
    ok(runner, example_db_url, "declare", M, "--person", "owen-pascoe", "--item", "3",
       "--nature", "volunteers with a peer group", "--action", "remained")  # fmt: skip
    ok(runner, example_db_url, "declare", "amend", "1", "--interest", WITHHELD, "--reason", "r")
    (row,) = json.loads(ok(runner, example_db_url, "declarations", "-f", "json").stdout)
    assert row["nature"] == "details withheld"
    ok(runner, example_db_url, "declare", "amend", "1", "--nature", "in words", "--reason", "r")
    (row,) = json.loads(ok(runner, example_db_url, "declarations", "-f", "json").stdout)
    assert (row["interest"], row["nature"]) == (None, "in words")


def test_markdown_minutes_keep_one_row_per_declaration(
    runner: CliRunner, example_db_url: str
) -> None:
    nature = "partner works at Harbour |\n## Not a heading\n| 9 | forged row |"
    ok(runner, example_db_url, "declare", M, "--person", "owen-pascoe", "--item", "3",
       "--nature", nature, "--action", "remained")  # fmt: skip
    shown = ok(runner, example_db_url, "declarations", "--format", "md").stdout
    lines = shown.splitlines()
    assert not any(line.startswith("## Not") or line.startswith("| 9 |") for line in lines)
    rows = [line for line in lines if line.startswith("| 1 |")]
    assert len(rows) == 1
    assert "\\|" in rows[0]


@pytest.mark.parametrize(
    "value",
    ["a|b", "a\\|b", "line\nnext", "## heading\r\n| x | y |", "a\u2028b", "end\\"],
)
def test_a_markdown_cell_never_breaks_the_table(value: str) -> None:
    from coi.formats.tabular import columns, to_markdown

    text = to_markdown([{"v": value, "w": "after"}], columns("v=Value", "w=After"), "T\n# t")
    lines = text.splitlines()
    assert lines[0] == "## T # t"
    assert len(lines) == 5  # title, blank, header, rule, one row
    row = lines[-1]
    # Exactly three cell boundaries: an unescaped pipe is one not after an odd run of \.
    bare = re.findall(r"(?<!\\)(?:\\\\)*\|", row)
    assert len(bare) == 3, row
    assert row.endswith("| after |")
