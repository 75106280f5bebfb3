"""`coi attend` and `coi attendance` on the Plymouth LIT: minuting who came, and the report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from coi.cli.app import app as APP

TODAY = "2026-11-25"
HELD = "lit-2026-10"  # held on 15 October 2026, no rota stored


@pytest.fixture
def db(example_db_url: str) -> str:
    return example_db_url


def coi(runner: CliRunner, db: str, *args: str) -> Any:
    return runner.invoke(APP, ["--db", db, *args])


def ok(runner: CliRunner, db: str, *args: str) -> str:
    result = coi(runner, db, *args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout) + str(result.stderr)


def fails(runner: CliRunner, db: str, *args: str) -> str:
    result = coi(runner, db, *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return " ".join(x for x in result.stderr.splitlines() if x.strip())


def attend(runner: CliRunner, db: str, *args: str) -> str:
    return ok(runner, db, "attend", *args, "--today", TODAY)


def report(runner: CliRunner, db: str, *args: str, today: str = TODAY) -> dict[str, Any]:
    out = coi(runner, db, "attendance", *args, "--today", today, "--format", "json")
    assert out.exit_code == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def rows(data: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in data[key]}


def test_minuting_a_meeting_and_the_report(runner: CliRunner, db: str) -> None:
    assert "created: priya-nair present at lit-2026-10 (lit-vcs)" in attend(
        runner, db, HELD, "priya-nair", "present"
    )
    attend(runner, db, HELD, "owen-pascoe", "apologies")
    out = attend(runner, db, HELD, "tom-rowe", "substitute", "--for", "owen-pascoe")
    assert "(lit-vcs)" in out  # the substitute fills Owen's seat
    attend(runner, db, HELD, "liz-doidge", "present")
    attend(runner, db, HELD, "sunil-bhatt", "absent")
    attend(runner, db, HELD, "nadia-quinn", "apologies")
    # Recording again replaces the earlier record.
    assert "updated" in attend(runner, db, HELD, "nadia-quinn", "present")
    assert "unchanged" in attend(runner, db, HELD, "nadia-quinn", "present")

    data = report(runner, db, "--body", "lit-adult-mh")
    assert data["meetings"] == [HELD]
    people = rows(data, "people")
    assert people["priya-nair"]["rostered"] == 1 and people["priya-nair"]["attended"] == 1
    assert people["owen-pascoe"]["apologies"] == 1 and people["owen-pascoe"]["attended"] == 0
    assert people["tom-rowe"]["substitute"] == 1 and people["tom-rowe"]["rostered"] == 0
    assert people["sunil-bhatt"]["absent"] == 1
    assert people["nadia-quinn"]["attended"] == 1 and people["nadia-quinn"]["apologies"] == 0
    assert people["ben-okafor"]["not_recorded"] == 1
    assert "kate-lethbridge" not in people and "devika-chandra" not in people
    orgs = rows(data, "organisations")
    assert orgs["nhs-plymouth"]["rostered"] == 3  # chair, commissioning manager, clinical lead
    assert orgs["nhs-plymouth"]["attended"] == 2 and orgs["nhs-plymouth"]["absent"] == 1
    # Issue 10: Owen sent apologies and Tom came in his place for Cattewater Housing, so
    # the credit follows Tom to Cattewater; The Zone is not credited for Owen's absence.
    assert (orgs["the-zone"]["attended"], orgs["the-zone"]["apologies"]) == (0, 1)
    assert orgs["cattewater-housing"]["attended"] == 1
    assert orgs["cattewater-housing"]["rostered"] == 0
    # Every organisation the seat table counts has a row, Harbour's of zeros included.
    assert set(data["seats"][0]["organisation_shares"]) <= set(orgs)
    assert orgs["harbour"]["attended"] == 0
    (seat,) = data["seats"]
    assert seat["seat"] == "lit-vcs" and seat["filled"] == 2 and seat["from_rota"] == 0
    assert seat["person_shares"] == {
        "priya-nair": 1,
        "tom-rowe": 1,
        "owen-pascoe": 0,
        "devika-chandra": 0,
    }
    assert seat["people"] == 2 and seat["pool"] == 4 and seat["spread"] == 1
    assert seat["gini"] == pytest.approx(0.667)
    assert seat["top_share"] == 0.5


def test_report_from_the_rota_over_a_year(runner: CliRunner, db: str) -> None:
    ok(runner, db, "rota", "plan", "lit-vcs", "--today", TODAY)
    # Once both planned meetings have passed, with no attendance minuted, the rota stands in.
    data = report(runner, db, "--seat", "lit-vcs", "--from", "2027-01-01", today="2027-06-01")
    assert data["meetings"] == ["lit-2027-01", "lit-2027-03"]
    (seat,) = data["seats"]
    assert seat["from_rota"] == 2 and seat["filled"] == 4
    assert set(seat["person_shares"].values()) == {1}  # a fair rota: everyone once
    assert seat["gini"] == 0.0 and seat["spread"] == 0 and seat["organisations"] == 4
    people = rows(data, "people")
    assert {p for p, r in people.items() if r["rostered"]} == {
        "owen-pascoe",
        "devika-chandra",
        "priya-nair",
        "tom-rowe",
    }
    assert all(r["not_recorded"] == 1 for r in people.values())


def test_report_formats_and_filters(runner: CliRunner, db: str) -> None:
    attend(runner, db, HELD, "priya-nair", "present")
    csv = coi(runner, db, "attendance", "--seat", "lit-vcs", "--format", "csv", "--today", TODAY)
    assert csv.exit_code == 0, csv.stderr
    lines = csv.stdout.splitlines()
    assert lines[0].startswith("type,id,name,rostered,attended")
    assert any(x.startswith("person,priya-nair,Priya Nair,1,1") for x in lines)
    assert any(x.startswith("seat,lit-vcs,") for x in lines)
    only = report(runner, db, "--seat", "lit-vcs", "--by", "seat")
    assert set(only) == {"meetings", "seats"}
    table = coi(runner, db, "attendance", "--body", "lit-adult-mh", "--today", TODAY)
    assert table.exit_code == 0 and "Who filled each shared seat" in table.stdout
    none = report(runner, db, "--body", "lit-adult-mh", "--to", "2026-01-01")
    assert none["meetings"] == [] and none["people"] == []
    assert "only one of" in fails(runner, db, "attendance", "--body", "lsp", "--seat", "lit-vcs")
    assert "wrong way round" in fails(
        runner, db, "attendance", "--from", "2027-01-02", "--to", "2027-01-01"
    )


def test_bad_attendance_exits_2_and_records_nothing(runner: CliRunner, db: str) -> None:
    a = ("attend", HELD)
    t = ("--today", TODAY)
    assert "is not one of present" in fails(runner, db, *a, "priya-nair", "presnt", *t)
    assert "needs --for" in fails(runner, db, *a, "tom-rowe", "substitute", *t)
    assert "only for substitute" in fails(
        runner, db, *a, "tom-rowe", "present", "--for", "owen-pascoe", *t
    )
    # A guest holds no place to stand in for.
    assert "not expected" in fails(
        runner, db, *a, "tom-rowe", "substitute", "--for", "kate-lethbridge", *t
    )
    assert "themselves" in fails(runner, db, *a, "tom-rowe", "substitute", "--for", "tom-rowe", *t)
    # Someone with no place on the LIT is not simply "present".
    assert "not a member" in fails(runner, db, *a, "maggie-trelawny", "present", *t)
    assert "no person matches" in fails(runner, db, *a, "nobody-at-all", "present", *t)
    assert "no meeting matches" in fails(runner, db, "attend", "nope", "tom-rowe", "present")
    assert "not happened yet" in fails(
        runner, db, "attend", "lit-2027-01", "tom-rowe", "present", *t
    )
    assert "not a seat of" in fails(
        runner, db, *a, "tom-rowe", "present", "--seat", "ct-board-vcs", *t
    )
    data = report(runner, db, "--body", "lit-adult-mh")
    assert all(r["attended"] == 0 and r["apologies"] == 0 for r in data["people"])


def test_apologies_in_advance_and_substitute_for_a_rostered_person(
    runner: CliRunner, db: str
) -> None:
    ok(runner, db, "rota", "plan", "lit-vcs", "--today", TODAY)
    shown = coi(runner, db, "rota", "show", "lit-vcs", "--format", "json")
    rostered = sorted(
        r["person"] for r in json.loads(shown.stdout) if r["meeting"] == "lit-2027-01"
    )
    pool = {"devika-chandra", "priya-nair", "tom-rowe", "owen-pascoe"}
    spare = sorted(pool - set(rostered))[0]
    assert "created" in attend(runner, db, "lit-2027-01", rostered[0], "apologies")
    after = ("--today", "2027-01-20")
    # Not rostered in January, so nobody can substitute for them there.
    msg = fails(
        runner, db, "attend", "lit-2027-01", rostered[1], "substitute", "--for", spare, *after
    )
    assert "not expected" in msg
    out = ok(runner, db, "attend", "lit-2027-01", spare, "substitute", "--for", rostered[0], *after)
    assert "(lit-vcs)" in out
    data = report(runner, db, "--seat", "lit-vcs", today="2027-01-20")
    people = rows(data, "people")
    assert people[rostered[0]]["apologies"] == 1
    assert people[spare]["substitute"] == 1
    # The other rostered person has no record yet.
    assert people[rostered[1]]["not_recorded"] == 1
    (seat,) = data["seats"]
    assert seat["person_shares"][spare] == 1 and seat["person_shares"][rostered[0]] == 0
