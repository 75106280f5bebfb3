"""The person, body, seat, interest and gift commands as a secretary runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing

from coi.cli.app import app

RUNNER = typer.testing.CliRunner()


REGISTER = """
organisations:
  - {id: the-zone, name: The Zone}
  - {id: harbour, name: Harbour}
  - {id: nhs-plymouth, name: NHS Plymouth, kind: commissioner}
  - {id: plymouth-housing, name: Plymouth Housing}
  - {id: plymouth-recovery, name: Plymouth Recovery}
people:
  - {id: jo-bright, name: Jo Bright}
  - {id: jo-brown, name: Jo Brown}
  - {id: sam-chair, name: Sam Chair}
affiliations:
  - {person: jo-bright, organisation: the-zone, role: youth worker, start: 2020-01-01}
bodies:
  - id: lit
    name: Local Implementation Team
    commissioners: [nhs-plymouth]
    members:
      - {person: sam-chair, role: chair, on_behalf_of: nhs-plymouth, start: 2020-01-01}
seats:
  - id: lit-vcs
    body: lit
    name: VCS representatives
    places: 1
    pool: [{person: jo-bright, on_behalf_of: the-zone}]
    mandate: Speak for VCS providers of adult mental-health services.
"""


def coi(db: str, *args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def ok(db: str, *args: str) -> str:
    code, out, err = coi(db, *args)
    assert code == 0, (args, err)
    return out


def as_json(db: str, *args: str) -> Any:
    return json.loads(ok(db, *args, "--format", "json"))


@pytest.fixture
def loaded(sqlite_url: str, tmp_path: Path) -> str:
    path = tmp_path / "register.yaml"
    path.write_text(REGISTER)
    ok(sqlite_url, "load", str(path))
    return sqlite_url


def test_person_lifecycle_keeps_history(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "register.yaml"
    path.write_text(REGISTER)
    ok(db_url, "load", str(path))
    ok(db_url, "person", "add", "Alex Morgan", "--email", "alex@example.org")
    ok(
        db_url,
        "person",
        "affiliate",
        "Alex Morgan",
        "harbour",
        "--role",
        "chief executive",
        "--on-behalf-of",
        "the-zone",
        "--from",
        "2004-01-01",
    )
    ok(db_url, "body", "member", "lit", "alex", "--role", "officer", "--from", "2021-01-01")
    ok(db_url, "person", "edit", "alex-morgan", "--notes", "co-founded the forum")
    ok(db_url, "person", "end", "alex-morgan", "--on", "2027-03-31")

    shown = as_json(db_url, "person", "show", "alex-morgan")
    assert shown["name"] == "Alex Morgan"
    assert shown["email"] == "alex@example.org"
    assert shown["notes"] == "co-founded the forum"
    (aff,) = shown["affiliations"]
    assert aff["id"] == "alex-morgan.harbour"
    assert (aff["role"], aff["on_behalf_of"]) == ("chief executive", "the-zone")
    assert (aff["from"], aff["to"]) == ("2004-01-01", "2027-03-31")
    (membership,) = shown["memberships"]
    assert (membership["body"], membership["role"]) == ("lit", "officer")
    assert membership["to"] == "2027-03-31"

    # A new role in the same organisation gets its own record; the ended one stays.
    ok(db_url, "person", "affiliate", "alex-morgan", "harbour", "--role", "trustee")
    ended_again = coi(db_url, "person", "unaffiliate", "alex-morgan.harbour", "--on", "2027-04-01")
    assert ended_again[0] == 2
    assert "already ended on 2027-03-31" in ended_again[2]
    affs = as_json(db_url, "person", "show", "alex-morgan")["affiliations"]
    assert {(a["id"], a["to"]) for a in affs} == {
        ("alex-morgan.harbour", "2027-03-31"),
        ("alex-morgan.harbour.2", None),
    }


def test_person_list_filters_by_body_and_unaffiliate(loaded: str) -> None:
    rows = as_json(loaded, "person", "list", "--body", "Local Implementation Team")
    assert {r["id"] for r in rows} == {"jo-bright", "sam-chair"}
    jo = next(r for r in rows if r["id"] == "jo-bright")
    assert jo["positions"] == ["youth worker at The Zone"]
    assert jo["bodies"] == ["Local Implementation Team (VCS representatives)"]

    ok(loaded, "person", "unaffiliate", "jo-bright.the", "--on", "2024-12-31")
    rows = as_json(loaded, "person", "list")
    assert next(r for r in rows if r["id"] == "jo-bright")["positions"] == []


def test_body_add_member_show_edit_end(loaded: str) -> None:
    ok(
        loaded,
        "body",
        "add",
        "Adult Mental Health Subgroup",
        "--id",
        "amh-sub",
        "--parent",
        "lit",
        "--commissioner",
        "NHS Plymouth",
        "--commissioner",
        "harbour",
        "--quorum",
        "3",
    )
    ok(loaded, "body", "member", "amh-sub", "jo-brown", "--non-voting")
    ok(loaded, "body", "edit", "amh-sub", "--remove-commissioner", "harbour", "--no-quorum")
    ok(loaded, "body", "end", "lit", "--member", "sam", "--on", "2025-12-31")

    sub = as_json(loaded, "body", "show", "amh-sub")
    assert sub["parent"] == "lit"
    assert sub["commissioners"] == [{"id": "nhs-plymouth", "name": "NHS Plymouth"}]
    assert sub["quorum"] is None
    (member,) = sub["members"]
    assert (member["person"], member["role"], member["voting"]) == ("jo-brown", "member", False)

    lit = as_json(loaded, "body", "show", "lit")
    assert lit["children"] == [{"id": "amh-sub", "name": "Adult Mental Health Subgroup"}]
    (chair,) = lit["members"]
    assert (chair["role"], chair["from"], chair["to"]) == ("chair", "2020-01-01", "2025-12-31")
    (seat,) = lit["seats"]
    assert seat["pool"] == [
        {"person": "jo-bright", "name": "Jo Bright", "on_behalf_of": "the-zone"}
    ]

    listed = {b["id"]: b for b in as_json(loaded, "body", "list")}
    assert listed["lit"]["members"] == 0  # the chair's place ended
    assert listed["amh-sub"]["members"] == 1

    code, _, err = coi(loaded, "body", "end", "lit", "--member", "sam", "--on", "2027-01-01")
    assert code == 2
    assert "sam-chair has no open membership of lit" in err


def test_seat_add_list_show_edit_end(loaded: str) -> None:
    ok(
        loaded,
        "seat",
        "add",
        "lit",
        "Service user representatives",
        "--places",
        "1",
        "--pool",
        "jo-brown@harbour",
        "--pool",
        "sam-chair",
        "--mandate",
        "Speak for people who use the services.",
        "--selection",
        "elected",
        "--term-start",
        "2026-01-01",
    )
    seats = {x["id"]: x for x in as_json(loaded, "seat", "list", "--body", "lit")}
    new = seats["lit-sur"]
    assert (new["places"], new["pool_size"], new["shared"]) == (1, 2, True)
    assert seats["lit-vcs"]["shared"] is False

    ok(
        loaded,
        "seat",
        "edit",
        "Service user",
        "--places",
        "2",
        "--remove-pool",
        "sam-chair",
        "--add-pool",
        "jo-bright@the-zone",
    )
    ok(loaded, "seat", "end", "lit-sur", "--on", "2027-12-31")
    shown = as_json(loaded, "seat", "show", "lit-sur")
    assert shown["mandate"] == "Speak for people who use the services."
    assert shown["selection"] == "elected"
    assert (shown["places"], shown["shared"]) == (2, False)
    assert (shown["from"], shown["to"]) == ("2026-01-01", "2027-12-31")
    assert [(p["person"], p["on_behalf_of"]) for p in shown["pool"]] == [
        ("jo-brown", "harbour"),
        ("jo-bright", "the-zone"),
    ]
    assert shown["pool"][1]["organisations"] == ["youth worker at The Zone"]

    code, _, err = coi(loaded, "seat", "edit", "lit-vcs", "--remove-pool", "jo-brown")
    assert code == 2
    assert "'jo-brown' is not in the pool of lit-vcs" in err


def test_interest_add_list_edit_end_never_deletes(loaded: str) -> None:
    ok(
        loaded,
        "interest",
        "add",
        "--org",
        "harbour",
        "--category",
        "financial",
        "--kind",
        "bidding-for-tender",
        "--description",
        "Bid for the substance-misuse service",
        "--service-area",
        "substance-misuse",
        "--counterparty",
        "NHS Plymouth",
        "--reference",
        "T-2027-014",
        "--from",
        "2026-09-01",
        "--declared-on",
        "2026-09-10",
    )
    ok(
        loaded,
        "interest",
        "add",
        "--person",
        "jo-bright",
        "--category",
        "non-financial-personal",
        "--kind",
        "family",
        "--description",
        "Partner works for Harbour",
        "--withhold",
        "Would identify a family member",
    )
    interests = as_json(loaded, "interest", "list")
    assert [i["id"] for i in interests] == [
        "harbour.bidding-for-tender",
        "jo-bright.family",
    ]
    bid, family = interests
    assert bid["counterparties"] == ["nhs-plymouth"]
    assert bid["references"] == ["T-2027-014"]
    assert (bid["holder"], bid["organisation"], bid["person"]) == ("Harbour", "harbour", None)
    assert (family["publish"], family["withheld_reason"]) == (
        False,
        "Would identify a family member",
    )

    ok(
        loaded,
        "interest",
        "edit",
        "Bid for the substance",
        "--action-agreed",
        "Withdraw from the award",
        "--add-reference",
        "C-2027-001",
        "--remove-service-area",
        "substance-misuse",
    )
    ok(loaded, "interest", "end", "harbour.bid", "--on", "2027-03-31")
    shown = as_json(loaded, "interest", "show", "harbour.bid")
    assert shown["action_agreed"] == "Withdraw from the award"
    assert shown["references"] == ["T-2027-014", "C-2027-001"]
    assert shown["service_areas"] == []
    assert (shown["from"], shown["to"]) == ("2026-09-01", "2027-03-31")

    before = as_json(loaded, "interest", "list", "--org", "harbour", "--active-on", "2027-03-31")
    after = as_json(loaded, "interest", "list", "--active-on", "2027-04-01")
    assert [i["id"] for i in before] == ["harbour.bidding-for-tender"]
    assert [i["id"] for i in after] == ["jo-bright.family"]
    code, _, err = coi(loaded, "interest", "end", "harbour.bid", "--on", "2027-05-01")
    assert code == 2
    assert "already ended on 2027-03-31" in err


def test_gift_add_and_list(loaded: str) -> None:
    for value, accepted in (("45", "--declined"), ("12.50", "--accepted")):
        ok(
            loaded,
            "gift",
            "add",
            "Jo Bright",
            "--offeror",
            "Acme Training Ltd",
            "--description",
            "Conference dinner",
            "--value",
            value,
            "--on",
            "2026-10-02",
            accepted,
            "--declared-on",
            "2026-10-05",
        )
    gifts = as_json(loaded, "gift", "list", "--person", "jo-bright")
    assert [(g["id"], g["value"], g["accepted"]) for g in gifts] == [
        ("g-2026-001", 45.0, False),
        ("g-2026-002", 12.5, True),
    ]
    assert gifts[0]["offered_on"] == "2026-10-02"
    assert as_json(loaded, "gift", "list", "--person", "sam-chair") == []


INTEREST = ["interest", "add", "--category", "financial", "--kind", "other", "--description", "d"]
GIFT = ["gift", "add", "jo-brown", "--offeror", "Acme", "--description", "Lunch"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["person", "affiliate", "nobody", "harbour", "--role", "ceo"],
            "no person matches 'nobody'",
        ),
        (
            ["person", "affiliate", "jo", "harbour", "--role", "ceo"],
            "'jo' could be any of several persons: jo-bright (Jo Bright), jo-brown (Jo Brown)",
        ),
        (
            ["interest", "list", "--org", "plymouth"],
            "plymouth-housing (Plymouth Housing), plymouth-recovery (Plymouth Recovery)",
        ),
        (["person", "end", "jo-bright", "--on", "31/03/2027"], "--on: '31/03/2027' is not a date"),
        (
            ["body", "member", "lit", "jo-brown", "--from", "2027-02-30"],
            "--from: '2027-02-30' is not a date",
        ),
        (["seat", "add", "lit", "Extra", "--pool", "jo-bright@"], "should be PERSON or PERSON@ORG"),
        (["seat", "add", "lit", "Extra", "--places", "0"], "places must be at least 1"),
        (
            [*INTEREST, "--person", "jo-bright", "--org", "harbour"],
            "give exactly one of --person or --org",
        ),
        (
            [*INTEREST, "--org", "harbour", "--withhold", " "],
            "--withhold: give the reason",
        ),
        (["person", "add", "Jo Bright"], "a person with id 'jo-bright' exists"),
        (
            ["person", "end", "jo-bright", "--on", "2019-12-31"],
            "ends (2019-12-31) before it starts",
        ),
        (
            [*GIFT, "--value", "-5", "--on", "2026-01-01"],
            "--value: cannot be negative",
        ),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(loaded: str, args: list[str], message: str) -> None:
    before = ok(loaded, "dump")
    code, _, err = coi(loaded, *args)
    assert code == 2, err
    assert message in err
    assert "Traceback" not in err
    assert ok(loaded, "dump") == before


COMMANDS = {
    "person": ["add", "list", "show", "edit", "end", "affiliate", "unaffiliate"],
    "body": ["add", "list", "show", "edit", "end", "member"],
    "seat": ["add", "list", "show", "edit", "end"],
    "interest": ["add", "list", "show", "edit", "end"],
    "gift": ["add", "list"],
}


def test_every_command_has_help_with_an_example() -> None:
    for group, commands in COMMANDS.items():
        for args in ([group, "--help"], *([group, c, "--help"] for c in commands)):
            result = RUNNER.invoke(app, args)
            assert result.exit_code == 0, args
            assert "Example:" in result.stdout, args
            assert f"coi {group}" in result.stdout, args


def test_person_show_lists_the_interests_that_reach_them_through_their_organisations(
    runner: typer.testing.CliRunner, example_db_url: str
) -> None:
    """Owen Pascoe holds no contract himself, but The Zone belongs to the CYP CIC that is
    bidding: a secretary reading his entry sees that, and how it reaches him."""
    import json

    result = runner.invoke(app, ["--db", example_db_url, "person", "show", "owen-pascoe",
                                 "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    through = {r["id"]: r for r in json.loads(result.stdout)["through_organisations"]}
    bid = through["cyp-cic.t-2027-030"]
    assert bid["via"] == (
        "service manager (young adults) of The Zone; The Zone is a member of Plymouth "
        "Children and Young People's Collaborative CIC"
    )
    assert bid["held_by"] == "plymouth-cyp-cic"
    assert all(i["id"] not in through for i in json.loads(result.stdout)["interests"])
    table = runner.invoke(app, ["--db", example_db_url, "person", "show", "owen-pascoe"])
    assert "Interests through their organisations" in table.stdout
