"""Issue 10, point 6: no declarations at a meeting that has not happened (but for its
standing declarations item on the day), no nil return over open interests without
--force, and "no return made" on the published register, distinct from "nil"."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from coi.cli.app import app as APP
from coi.domain.declarations import (
    Declaration,
    EntryKind,
    check_declaration_time,
    is_declarations_item,
)
from coi.domain.due import nil_return_warning
from coi.domain.model import (
    AgendaItem,
    Body,
    Category,
    DeclaredAction,
    Interest,
    InterestKind,
    ItemKind,
    Meeting,
    Membership,
    Person,
    Register,
)
from coi.domain.publish import register_lines
from coi.errors import UsageError
from coi.services import open_session
from coi.services.declarations import Details, declare

LONDON = ZoneInfo("Europe/London")
ITEMS = (
    AgendaItem("1", "Apologies and declarations of interest", ItemKind.PROCEDURAL),
    AgendaItem("5", "Recovery contract award", ItemKind.DECISION),
)
M = Meeting("m", "lit", "LIT", dt.datetime(2027, 1, 14, 10, tzinfo=LONDON), items=ITEMS)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, day, hour, minute, tzinfo=LONDON)


def test_the_standing_declarations_item_is_procedural_and_says_declarations() -> None:
    assert is_declarations_item(ITEMS[0])
    assert not is_declarations_item(ITEMS[1])
    assert not is_declarations_item(AgendaItem("2", "Declarations policy review"))


def test_a_meeting_that_has_not_started_takes_no_declarations() -> None:
    with pytest.raises(UsageError, match="has not happened yet"):
        check_declaration_time(M, "Europe/London", at(13, 16), "5")
    # The day before, not even the declarations item.
    with pytest.raises(UsageError, match="has not happened yet"):
        check_declaration_time(M, "Europe/London", at(13, 16), "1")
    # On the day, before the start: the declarations item (and a nil declaration) only.
    check_declaration_time(M, "Europe/London", at(14, 9, 55), "1")
    check_declaration_time(M, "Europe/London", at(14, 9, 55), None)
    with pytest.raises(UsageError, match=r"only its declarations item \(1\)"):
        check_declaration_time(M, "Europe/London", at(14, 9, 55), "5")
    # Under way or over: anything.
    check_declaration_time(M, "Europe/London", at(14, 10, 40), "5")
    check_declaration_time(M, "Europe/London", at(20, 9), "5")


def interest(iid: str, end: dt.date | None = None) -> Interest:
    return Interest(iid, Category.FINANCIAL, InterestKind.EMPLOYMENT, "Job", person="jo", end=end)


def test_a_nil_return_over_open_interests_is_refused_or_forced_with_a_warning() -> None:
    day = dt.date(2026, 11, 1)
    held = [interest("jo.b"), interest("jo.a"), interest("jo.old", dt.date(2026, 1, 1))]
    with pytest.raises(UsageError, match=r"jo still has open interests on 2026-11-01: jo.a, jo.b"):
        nil_return_warning("jo", held, day)
    assert nil_return_warning("jo", held, day, force=True).endswith("open: jo.a, jo.b")
    assert nil_return_warning("jo", [interest("jo.old", dt.date(2026, 1, 1))], day) == ""


def ret(person: str, nil: bool, day: dt.date, *, retracted: bool = False) -> Declaration:
    return Declaration(
        seq=1,
        kind=EntryKind.RETURN,
        meeting=None,
        person=person,
        item=None,
        interest=None,
        nature=None,
        action=None,
        left=None,
        returned=None,
        reviewed_on=day,
        nil=nil,
        recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        recorded_by="clerk",
        retracted=retracted,
    )


def test_the_register_says_no_return_made_apart_from_nil() -> None:
    reg = Register(
        people=(Person("ann", "Ann"), Person("bob", "Bob"), Person("cat", "Cat")),
        bodies=(Body("b", "B", members=tuple(Membership(p) for p in ("ann", "bob", "cat"))),),
    )
    day = dt.date(2026, 11, 25)
    returns = [
        ret("ann", True, dt.date(2026, 1, 10)),
        ret("cat", True, dt.date(2026, 1, 10), retracted=True),
        ret("bob", True, dt.date(2026, 12, 1)),  # after the as-of date: not yet made
    ]
    lines = {ln.person: ln for ln in register_lines(reg, day, returns=returns)}
    assert (lines["ann"].type, lines["ann"].description) == ("nil", "nothing to declare")
    assert (lines["bob"].type, lines["bob"].description) == ("no return", "no return made")
    assert lines["cat"].description == "no return made"


# ---- through the command line, on the example register --------------------------------------


def coi(runner: CliRunner, db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(APP, ["--db", db, *args])
    assert "Traceback" not in result.stderr
    return result.exit_code, str(result.stdout), str(result.stderr)


def log_size(runner: CliRunner, db: str) -> int:
    return len(coi(runner, db, "log", "export")[1].splitlines())


def test_declare_at_a_meeting_not_yet_held_is_refused(
    runner: CliRunner, example_db_url: str
) -> None:
    decl = ["declare", "lit-2027-01", "--person", "priya-nair", "--item", "5", "--interest",
            "plym-recovery.t-2027-014", "--action", "withdrew"]  # fmt: skip
    code, _, err = coi(runner, example_db_url, *decl, "--today", "2026-11-25")
    assert code == 2
    assert "meeting lit-2027-01 on 2027-01-14 has not happened yet" in err
    assert log_size(runner, example_db_url) == 0
    assert coi(runner, example_db_url, *decl, "--today", "2027-01-14")[0] == 0


def test_the_declarations_item_may_be_minuted_as_the_meeting_opens(example_db_url: str) -> None:
    opening = dt.datetime(2027, 1, 14, 9, 58, tzinfo=LONDON)
    with open_session(example_db_url, write=True) as s:
        said = Details("1", None, "Trustee of a bidder", DeclaredAction.REMAINED)
        done = declare(s, "lit-2027-01", "tom-rowe", said, now=opening)
        nil = declare(s, "lit-2027-01", "sunil-bhatt", Details(), nil=True, now=opening)
    assert done.item == "1" and nil.nil
    with open_session(example_db_url, write=True) as s, pytest.raises(UsageError):
        item5 = Details("5", None, "Trustee of a bidder", DeclaredAction.WITHDREW)
        declare(s, "lit-2027-01", "tom-rowe", item5, now=opening)


def test_a_nil_return_with_open_interests_needs_force_and_keeps_the_warning(
    runner: CliRunner, example_db_url: str
) -> None:
    nil = ["return", "tom-rowe", "--nil", "--on", "2026-11-01"]
    code, _, err = coi(runner, example_db_url, *nil)
    assert code == 2 and "tom-rowe.partner-at-harbour" in err
    assert log_size(runner, example_db_url) == 0
    code, _, err = coi(runner, example_db_url, *nil, "--force")
    assert code == 0 and "warning: nil return recorded with interests still open" in err
    (entry,) = [
        json.loads(x) for x in coi(runner, example_db_url, "log", "export")[1].split("\n") if x
    ]
    assert entry["payload"]["warning"].endswith("tom-rowe.partner-at-harbour")
    assert coi(runner, example_db_url, "log", "verify")[0] == 0


def test_the_published_register_shows_no_return_made(
    runner: CliRunner, example_db_url: str
) -> None:
    def lines() -> dict[str, dict[str, object]]:
        out = coi(runner, example_db_url, "register", "--as-of", "2026-11-25", "-f", "json")[1]
        return {r["person"]: r for r in json.loads(out) if r["interest"] is None}

    before = lines()
    assert before["sunil-bhatt"]["description"] == "no return made"
    assert (
        coi(runner, example_db_url, "return", "sunil-bhatt", "--nil", "--on", "2026-11-01")[0] == 0
    )
    after = lines()
    assert (after["sunil-bhatt"]["type"], after["sunil-bhatt"]["description"]) == (
        "nil",
        "nothing to declare",
    )
    assert after["rachel-bone"]["description"] == "no return made"
    table = coi(runner, example_db_url, "register", "--as-of", "2026-11-25")[1]
    assert "no return made" in table
