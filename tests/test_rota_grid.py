"""`coi rota show` on a terminal is a grid, a row a meeting and a column a place (issue 11);
JSON and CSV keep one row a place."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from coi.cli.app import app


def test_rota_show_is_a_grid_of_meetings_by_places(runner: CliRunner, example_db_url: str) -> None:
    db = example_db_url

    def ok(*args: str) -> str:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, (args, result.stderr)
        return result.stdout

    ok("rota", "plan", "lit-vcs", "--today", "2026-12-01")
    rows = json.loads(ok("rota", "show", "lit-vcs", "--format", "json"))
    table = ok("rota", "show", "lit-vcs")
    assert "Place 1" in table and "Place 2" in table and "Place 3" not in table
    meetings = sorted({r["meeting"] for r in rows})
    lines = [line for line in table.splitlines() if any(m in line for m in meetings)]
    assert len(lines) == len(meetings) and len(rows) == 2 * len(meetings)
    for line in lines:  # both names of a meeting sit on its one row
        meeting = next(m for m in meetings if m in line)
        assert all(r["name"] in line for r in rows if r["meeting"] == meeting)
