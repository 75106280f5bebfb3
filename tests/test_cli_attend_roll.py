"""`coi attend MEETING --present ... --as-rostered` on the Plymouth LIT (issue 10, point 3):
a whole meeting in one command and one transaction."""

from __future__ import annotations

import json
from typing import Any

from tests.test_cli_attendance import HELD, TODAY, coi, db, fails, ok
from typer.testing import CliRunner

__all__ = ["db"]  # the fixture, shared with the one-person tests
POOL = {"devika-chandra", "priya-nair", "tom-rowe", "owen-pascoe"}
MEMBERS = {"liz-doidge", "sunil-bhatt", "nadia-quinn", "ben-okafor"}


def people(runner: CliRunner, db: str, today: str = TODAY) -> dict[str, dict[str, Any]]:
    out = coi(runner, db, "attendance", "--body", "lit-adult-mh", "--today", today, "-f", "json")
    assert out.exit_code == 0, out.stderr
    return {r["id"]: r for r in json.loads(out.stdout)["people"]}


def recorded(runner: CliRunner, db: str, today: str = TODAY) -> set[str]:
    return {p for p, r in people(runner, db, today).items() if r["attended"] or r["apologies"]}


def test_a_whole_meeting_in_one_command(runner: CliRunner, db: str) -> None:
    out = ok(
        runner,
        db,
        *("attend", HELD, "--present", "liz-doidge,Sunil Bhatt", "--present", "nadia,priya-nair"),
        *("--apologies", "owen-pascoe", "--substitute", "tom-rowe:owen-pascoe"),
        *("--absent", "ben-okafor", "--today", TODAY),
    )
    # The table: person, status, for whom, seat.
    assert "For whom" in out and "7 record(s) at lit-2026-10" in out
    line = next(x for x in out.splitlines() if "tom-rowe" in x)
    assert "substitute" in line and "owen-pascoe" in line and "lit-vcs" in line
    rows = people(runner, db)
    assert rows["tom-rowe"]["substitute"] == 1
    assert rows["owen-pascoe"]["apologies"] == 1 and rows["ben-okafor"]["absent"] == 1
    assert all(rows[p]["attended"] == 1 for p in ("liz-doidge", "sunil-bhatt", "priya-nair"))
    # Again: the same records, unchanged.
    again = ok(runner, db, "attend", HELD, "--present", "liz-doidge", "--today", TODAY)
    assert "unchanged" in again


def test_as_rostered_then_corrections(runner: CliRunner, db: str) -> None:
    ok(runner, db, "rota", "plan", "lit-vcs", "--today", TODAY)
    shown = coi(runner, db, "rota", "show", "lit-vcs", "--format", "json")
    rota = sorted(r["person"] for r in json.loads(shown.stdout) if r["meeting"] == "lit-2027-01")
    away, spare = rota[0], sorted(POOL - set(rota))[0]
    after = "2027-01-20"
    out = ok(
        runner,
        db,
        *("attend", "lit-2027-01", "--as-rostered", "--apologies", away),
        *("--substitute", f"{spare}:{away}", "--today", after),
    )
    assert "7 record(s)" in out  # 4 members, 2 rostered, 1 substitute
    rows = people(runner, db, after)
    came = {p for p, r in rows.items() if r["attended"]}
    assert came == MEMBERS | {rota[1], spare}
    assert rows[away]["apologies"] == 1 and rows[spare]["substitute"] == 1
    # Guests are not rostered.
    assert "kate-lethbridge" not in came


def test_as_rostered_without_a_rota_says_the_pool_is_not_assumed(
    runner: CliRunner, db: str
) -> None:
    out = ok(runner, db, "attend", HELD, "--as-rostered", "--present", "priya", "--today", TODAY)
    assert "lit-vcs has no rota" in out
    assert {p for p, r in people(runner, db).items() if r["attended"]} == MEMBERS | {"priya-nair"}


def test_one_bad_name_stores_nothing(runner: CliRunner, db: str) -> None:
    t = ("--today", TODAY)
    msg = fails(runner, db, "attend", HELD, "--present", "liz-doidge,nobody-at-all", *t)
    assert "no person matches 'nobody-at-all'" in msg
    msg = fails(runner, db, "attend", HELD, "--as-rostered", "--substitute", "tom-rowe", *t)
    assert "WHO:FOR" in msg
    # A name that resolves but may not be minuted (no place on the LIT) stops it all too.
    msg = fails(runner, db, "attend", HELD, "--as-rostered", "--present", "maggie-trelawny", *t)
    assert "not a member" in msg
    assert "given as both" in fails(
        runner, db, "attend", HELD, "--present", "liz-doidge", "--absent", "liz-doidge", *t
    )
    assert recorded(runner, db) == set()


def test_an_overfull_seat_is_refused_without_force(runner: CliRunner, db: str) -> None:
    t = ("--today", TODAY)
    three = ("attend", HELD, "--present", "priya-nair,tom-rowe,owen-pascoe", *t)
    msg = fails(runner, db, *three)
    assert "seat lit-vcs has 2 place(s) but would hold 3" in msg
    assert "owen-pascoe, priya-nair, tom-rowe" in msg and "--force" in msg
    assert recorded(runner, db) == set()
    out = ok(runner, db, *three, "--force")
    assert "warning" in out and "lit-vcs" in out
    assert recorded(runner, db) == {"priya-nair", "tom-rowe", "owen-pascoe"}


def test_records_already_stored_count_towards_a_full_seat(runner: CliRunner, db: str) -> None:
    t = ("--today", TODAY)
    ok(runner, db, "attend", HELD, "devika-chandra", "present", *t)
    msg = fails(runner, db, "attend", HELD, "--present", "priya-nair,tom-rowe", *t)
    assert "devika-chandra, priya-nair, tom-rowe" in msg
    # Correcting Devika to apologies in the same command makes room.
    ok(runner, db, "attend", HELD, "--present", "priya-nair,tom-rowe", "--apologies", "devika", *t)


def test_two_capacities_are_refused_without_force(runner: CliRunner, db: str) -> None:
    t = ("--today", TODAY)
    both = ("attend", HELD, "--present", "tom-rowe", "--substitute", "tom-rowe:owen-pascoe", *t)
    msg = fails(runner, db, *both)
    assert "tom-rowe is given as present and as a substitute" in msg
    assert recorded(runner, db) == set()
    ok(runner, db, *both, "--force")
    assert people(runner, db)["tom-rowe"]["substitute"] == 1
    # Owen recorded present while someone stands in for him.
    ok(runner, db, "attend", HELD, "owen-pascoe", "present", *t)
    msg = fails(runner, db, "attend", HELD, "--substitute", "devika-chandra:owen-pascoe", *t)
    assert "owen-pascoe, who is recorded present" in msg


def test_the_two_forms_do_not_mix(runner: CliRunner, db: str) -> None:
    t = ("--today", TODAY)
    msg = fails(runner, db, "attend", HELD, "tom-rowe", "present", "--present", "liz-doidge", *t)
    assert "--present: not with PERSON STATUS" in msg
    assert "needs a STATUS" in fails(runner, db, "attend", HELD, "tom-rowe", *t)
    assert "--as-rostered" in fails(runner, db, "attend", HELD, *t)
    assert "for one person" in fails(runner, db, "attend", HELD, "--for", "tom-rowe", *t)
    # Only apologies before the day, as for one person.
    assert "not happened yet" in fails(
        runner, db, "attend", "lit-2027-01", "--present", "liz-doidge", *t
    )
    out = ok(runner, db, "attend", "lit-2027-01", "--apologies", "liz-doidge,ben-okafor", *t)
    assert "2 record(s)" in out
