"""Issue 10, point 7: a declaration is due 28 days after the interest arose or after its
holder took up a place on a body, whichever is later (NHS England's guidance)."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from coi.cli.app import app as APP
from coi.domain.due import DueStatus, declaration_due, late_interests, took_up
from coi.domain.model import (
    Affiliation,
    Body,
    Category,
    Interest,
    InterestKind,
    Membership,
    PoolMember,
    Register,
    Seat,
)

d = dt.date


def trusteeship(declared: dt.date | None, holder: str = "jim") -> Interest:
    return Interest(
        "trustee",
        Category.NON_FINANCIAL_PROFESSIONAL,
        InterestKind.TRUSTEESHIP,
        "Chair of trustees",
        person=holder if holder == "jim" else None,
        organisation=None if holder == "jim" else holder,
        start=d(2017, 7, 1),
        declared_on=declared,
    )


def lsp(*members: Membership) -> Body:
    return Body("lsp", "LSP", members=members)


def test_a_trusteeship_declared_the_day_its_holder_joined_is_not_late() -> None:
    reg = Register(
        bodies=(lsp(Membership("jim", start=d(2026, 4, 1))),),
        interests=(trusteeship(d(2026, 4, 1)),),
    )
    assert late_interests(reg, d(2026, 12, 1)) == []


def test_the_deadline_runs_from_the_later_of_the_interest_and_the_place() -> None:
    reg = Register(
        bodies=(lsp(Membership("jim", start=d(2026, 4, 1))),),
        interests=(trusteeship(d(2026, 5, 1)),),
    )
    (late,) = late_interests(reg, d(2026, 12, 1))
    assert (late.status, late.due, late.took_up, late.days_late) == (
        DueStatus.LATE,
        d(2026, 4, 29),
        d(2026, 4, 1),
        2,
    )
    # An interest arising after the holder joined: its own start decides.
    assert declaration_due(d(2026, 6, 1), d(2026, 4, 1)) == d(2026, 6, 29)
    assert declaration_due(None, d(2026, 4, 1)) is None


def test_the_first_place_counts_and_a_seat_pool_from_its_term() -> None:
    seat = Seat(
        "lsp-vcs", "lsp", "VCS", pool=(PoolMember("jim", "assembly"),), term_start=d(2026, 4, 1)
    )
    board = Body("board", "Board", members=(Membership("jim", start=d(2026, 1, 15)),))
    assert took_up(Register(bodies=(board,), seats=(seat,)))["jim"] == d(2026, 1, 15)
    assert took_up(Register(seats=(seat,))) == {"jim": d(2026, 4, 1), "assembly": d(2026, 4, 1)}
    # A place with no start date has always been held: the interest's start decides.
    always = took_up(Register(bodies=(lsp(Membership("jim")),)))["jim"]
    reg = Register(bodies=(lsp(Membership("jim")),), interests=(trusteeship(d(2026, 4, 1)),))
    assert always == dt.date.min and late_interests(reg, d(2026, 12, 1))[0].days_late


def test_an_organisation_comes_on_with_an_affiliated_person_or_its_representative() -> None:
    body = lsp(Membership("ann", start=d(2026, 3, 1)))
    aff = Affiliation("a", "ann", "harbour", "chief executive", start=d(2026, 6, 1))
    assert took_up(Register(bodies=(body,), affiliations=(aff,)))["harbour"] == d(2026, 6, 1)
    reg = Register(
        bodies=(body,), affiliations=(aff,), interests=(trusteeship(d(2026, 6, 20), "harbour"),)
    )
    assert late_interests(reg, d(2026, 12, 1)) == []
    # No place and no affiliated person on a body: held to the interest's own start.
    alone = Register(interests=(trusteeship(d(2026, 6, 20), "harbour"),))
    assert late_interests(alone, d(2026, 12, 1))[0].due == d(2017, 7, 29)


def test_register_due_on_the_example_counts_from_the_first_place(
    runner: CliRunner, example_db_url: str
) -> None:
    result = runner.invoke(
        APP, ["--db", example_db_url, "register", "due", "--as-of", "2026-12-01", "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    late = {r["interest"]: r for r in json.loads(result.stdout) if r["type"] == "interest"}
    jim = late["jim-hext.trustee-cattewater"]
    # Chair of trustees since 2017, declared 1 April 2026 when his LSP seat began; he had
    # sat on the Change Up board since 15 January 2026, so 48 days late, not 3,168.
    assert (jim["took_up"], jim["due"], jim["days"]) == ("2026-01-15", "2026-02-12", 48)
    # Long-standing members are still held to their interests' own dates.
    assert late["ben-okafor.food-bank"]["due"] == "2022-01-29"
