"""Ids people can type: a meeting by its body and date, and a miss that suggests the
closest ids (issue 11)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from coi.cli.app import app


def test_a_meeting_is_named_by_its_body_and_its_local_date(
    runner: CliRunner, example_db_url: str
) -> None:
    result = runner.invoke(
        app, ["--db", example_db_url, "check", "lit-adult-mh@2027-01-14", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["meeting"] == "lit-2027-01"
    # A prefix of the body works as it does everywhere else.
    shown = runner.invoke(app, ["--db", example_db_url, "meeting", "show", "lit-adult@2027-01-14"])
    assert shown.exit_code == 0, shown.stderr


def test_a_body_and_date_with_no_meeting_or_no_date_is_one_line_and_exit_2(
    runner: CliRunner, example_db_url: str
) -> None:
    for typed, said in [
        ("lit-adult-mh@2027-01-15", "lit-adult-mh has no meeting on 2027-01-15"),
        ("lit-adult-mh@14/01/2027", "'14/01/2027' is not a date (BODY@YYYY-MM-DD)"),
        ("no-such-body@2027-01-14", "no body matches 'no-such-body'"),
    ]:
        result = runner.invoke(app, ["--db", example_db_url, "check", typed])
        assert result.exit_code == 2, typed
        assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_miss_suggests_the_closest_ids(runner: CliRunner, example_db_url: str) -> None:
    for args, said in [
        (["org", "show", "harbor"], "did you mean harbour?"),
        (["person", "show", "priya-nayr"], "did you mean priya-nair?"),
    ]:
        result = runner.invoke(app, ["--db", example_db_url, *args])
        assert result.exit_code == 2 and said in result.stderr, result.stderr
    far = runner.invoke(app, ["--db", example_db_url, "org", "show", "qqqq"])
    assert far.exit_code == 2 and "did you mean" not in far.stderr
