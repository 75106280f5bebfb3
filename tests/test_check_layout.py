"""`coi check` on a terminal: flags grouped by person and interest, each chain shown once
with its reasons beneath, at most four lines a chain at 100 columns, no id broken."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from coi.cli.app import app

GOLDEN = Path(__file__).parent / "golden" / "check_lit_2027_01_100cols.txt"


def test_check_at_100_columns_matches_the_golden_file(
    runner: CliRunner, example_sqlite_url: str
) -> None:
    result = runner.invoke(
        app, ["--db", example_sqlite_url, "check", "lit-2027-01"], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.stderr
    if os.environ.get("COI_UPDATE_GOLDEN"):
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_each_chain_takes_at_most_four_lines_and_no_id_is_broken(
    runner: CliRunner, example_sqlite_url: str
) -> None:
    db = example_sqlite_url
    text = runner.invoke(app, ["--db", db, "check", "lit-2027-01"], env={"COLUMNS": "100"}).stdout
    lines = text.splitlines()
    assert all(len(line) <= 100 for line in lines)
    # A chain starts at four spaces and an arrow follows the person; its block runs to the
    # next line at that indent or less.
    starts = [i for i, line in enumerate(lines) if line.startswith("    ") and line[4] != " "]
    for i in starts:
        end = next(
            (j for j in range(i + 1, len(lines)) if len(lines[j]) - len(lines[j].lstrip()) <= 4),
            len(lines),
        )
        assert end - i <= 4, lines[i:end]
    data = json.loads(runner.invoke(app, ["--db", db, "check", "lit-2027-01", "-f", "json"]).stdout)
    words = " ".join(text.split())
    for item in data["items"]:
        for flag in item["flags"]:
            for path in flag["paths"]:
                for token in path["chain"].split() + path["because"].split():
                    if any(c in token for c in "-/") and token.strip('().,"'):
                        assert token in words, token  # never split across two lines
