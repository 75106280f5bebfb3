"""An interest's ``reviewed_on``: the day its holder last confirmed it at an annual return,
set by `coi return`, kept by dump and load, shown as "last reviewed" when published."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from coi.cli.app import app
from coi.domain.due import confirmed_by_return, reviewed
from coi.domain.model import Category, Interest, InterestKind
from coi.errors import UsageError

D = dt.date


def interest(id_: str, person: str | None = "ann", **kw: object) -> Interest:
    org = None if person else "org"
    fields = dict(category=Category.FINANCIAL, kind=InterestKind.EMPLOYMENT, description="x")
    return Interest(id=id_, person=person, organisation=org, **fields, **kw)  # type: ignore[arg-type]


ANN = [
    interest("open"),
    interest("ended", end=D(2026, 1, 1)),
    interest("future", start=D(2028, 1, 1)),
    interest("theirs", person="bob"),
    interest("the-org", person=None),
]


def test_a_return_confirms_the_persons_own_open_entries_by_default() -> None:
    assert confirmed_by_return("ann", ANN, D(2027, 1, 10)) == ("open",)


def test_a_return_may_name_the_entries_confirmed_even_an_ended_one() -> None:
    assert confirmed_by_return("ann", ANN, D(2027, 1, 10), ["ended", "open", "ended"]) == (
        "ended",
        "open",
    )


def test_naming_someone_elses_entry_is_refused_with_the_persons_own() -> None:
    with pytest.raises(UsageError, match=r"theirs is not an entry of ann.s own .*ended"):
        confirmed_by_return("ann", ANN, D(2027, 1, 10), ["theirs"])


def test_a_nil_return_confirms_nothing_and_names_nothing() -> None:
    assert confirmed_by_return("ann", ANN, D(2027, 1, 10), nil=True) == ()
    with pytest.raises(UsageError, match="nil return has no entries"):
        confirmed_by_return("ann", ANN, D(2027, 1, 10), ["open"], nil=True)


def test_a_late_recorded_return_never_moves_the_last_review_back() -> None:
    once = reviewed(ANN[0], D(2027, 1, 10))
    assert once.reviewed_on == D(2027, 1, 10)
    assert reviewed(once, D(2026, 12, 1)).reviewed_on == D(2027, 1, 10)
    assert reviewed(once, D(2027, 2, 1)).reviewed_on == D(2027, 2, 1)


def test_coi_return_sets_reviewed_on_logs_what_was_confirmed_and_publishes_it(
    runner: CliRunner, example_db_url: str
) -> None:
    db = example_db_url

    def ok(*args: str) -> str:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result.stdout + result.stderr

    said = ok("return", "devika-chandra", "--interest", "devika-chandra.cic", "--on", "2026-11-20")
    assert "confirmed devika-chandra.cic-director" in said
    ok("return", "devika-chandra", "--on", "2026-10-01")
    log = [json.loads(line) for line in ok("log", "export").splitlines() if line.startswith("{")]
    assert [e["payload"].get("confirmed") for e in log] == [
        ["devika-chandra.cic-director"],
        ["devika-chandra.cic-director", "devika-chandra.providers-network"],
    ]

    shown = json.loads(ok("interest", "show", "devika-chandra.cic-director", "--format", "json"))
    assert shown["reviewed_on"] == "2026-11-20"  # the later review stands
    assert "last reviewed: 2026-11-20" in ok("interest", "show", "devika-chandra.cic-director")
    dumped = ok("dump")
    assert "reviewed_on: '2026-10-01'" in dumped and "reviewed_on: '2026-11-20'" in dumped

    published = json.loads(ok("register", "--person", "devika-chandra", "--format", "json"))
    days = {ln["interest"]: ln["reviewed_on"] for ln in published if ln["held_by"] == "self"}
    assert days == {
        "devika-chandra.cic-director": "2026-11-20",
        "devika-chandra.providers-network": "2026-10-01",
    }
    assert ok("register", "--format", "csv").splitlines()[0].endswith(",reviewed_on")
    assert "Last reviewed" in ok("register", "--format", "md")
    bad = runner.invoke(app, ["--db", db, "return", "devika-chandra", "--interest", "tom-rowe"])
    assert bad.exit_code == 2 and "not an entry of devika-chandra's own" in bad.stderr
