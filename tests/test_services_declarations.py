"""The declarations services as a script uses them: no command line, one session each."""

from __future__ import annotations

import datetime as dt

import pytest

from coi.domain.words import DeclaredAction
from coi.errors import IntegrityFailure, UsageError
from coi.services import open_session
from coi.services.declarations import Details, amend, annual_return, declare, retract
from coi.services.log import verify
from coi.services.minutes import due, minutes
from coi.services.reconcile import reconcile

M = "lit-2027-01"
HELD = dt.date(2027, 1, 14)  # the meeting's day: it has happened by the end of it
PRIYA = Details("5", "plym-recovery.t-2027-014", None, DeclaredAction.WITHDREW, "10:40", "11:05")


def test_declare_amend_retract_and_read_back(example_sqlite_url: str) -> None:
    with open_session(example_sqlite_url, write=True) as s:
        first = declare(s, M, "priya-nair", PRIYA, by="clerk", today=HELD)
        nil = declare(s, M, "sunil-bhatt", Details(), nil=True, by="clerk", today=HELD)
    assert (first.entry.seq, first.person, first.item) == (1, "priya-nair", "5")
    assert nil.nil and nil.entry.seq == 2
    with open_session(example_sqlite_url, write=True) as s:
        changed = amend(s, 1, {"left": "10:45"}, clear=["returned"], reason="late", by="clerk")
        retract(s, 2, "wrong person", by="clerk")
    assert changed.changed == ("left", "returned")
    with open_session(example_sqlite_url) as s:
        shown = minutes(s, meeting=M)
        every = minutes(s, meeting=M, include_retracted=True)
        report = verify(s)
    [d] = shown.declarations
    assert (d.seq, d.left, d.returned, d.amended_by) == (1, dt.time(10, 45), None, (3,))
    assert [x.seq for x in every.declarations] == [1, 2]
    assert shown.meetings[M].body == "lit-adult-mh"
    assert report.count == 4


def test_a_mistake_writes_nothing(example_sqlite_url: str) -> None:
    wrong_item = Details("99", None, "x", DeclaredAction.REMAINED)
    with (
        pytest.raises(UsageError, match="has no item"),
        open_session(example_sqlite_url, write=True) as s,
    ):
        declare(s, M, "priya-nair", wrong_item)
    with (
        pytest.raises(UsageError, match="leave out --item"),
        open_session(example_sqlite_url, write=True) as s,
    ):
        declare(s, M, "priya-nair", Details(item="5"), nil=True)
    with open_session(example_sqlite_url) as s:
        assert verify(s).count == 0
        with pytest.raises(UsageError, match="not SEQ:HASH"):
            verify(s, "nonsense")
        with pytest.raises(IntegrityFailure):
            verify(s, "1:" + "0" * 64)


def test_returns_due_and_reconcile(example_sqlite_url: str) -> None:
    with open_session(example_sqlite_url) as s:
        before = due(s, dt.date(2027, 4, 1))
    people = {r.person for r in before.returns}
    assert "sunil-bhatt" in people
    with open_session(example_sqlite_url, write=True) as s:
        annual_return(s, "sunil-bhatt", nil=True, on=dt.date(2027, 3, 1), today=dt.date(2027, 3, 1))
        with pytest.raises(UsageError, match="in the future"):
            annual_return(s, "sunil-bhatt", on=dt.date(2027, 3, 2), today=dt.date(2027, 3, 1))
    with open_session(example_sqlite_url) as s:
        after = due(s, dt.date(2027, 4, 1))
        done = reconcile(s, M)
    assert "sunil-bhatt" not in {r.person for r in after.returns}
    assert not done.minuted and done.result.findings
