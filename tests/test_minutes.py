"""Which declarations the minutes show and in what order; the rules around them
(a return's review day, a published anchor): pure, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from coi.domain.declarations import Declaration, EntryKind
from coi.domain.due import check_review_day
from coi.domain.hashchain import parse_anchor
from coi.domain.minutes import MeetingInfo, in_minutes, minutes_order
from coi.domain.words import DeclaredAction
from coi.errors import UsageError

T0 = dt.datetime(2027, 1, 14, 12, 0, tzinfo=dt.UTC)
MEETINGS = {
    "lit-01": MeetingInfo("LIT January", dt.date(2027, 1, 14), "lit"),
    "board-02": MeetingInfo("Board February", dt.date(2027, 2, 3), "board"),
}


def entry(
    seq: int,
    meeting: str | None,
    item: str | None = None,
    *,
    reviewed_on: dt.date | None = None,
) -> Declaration:
    kind = EntryKind.DECLARATION if item else EntryKind.NIL
    if meeting is None:
        kind = EntryKind.RETURN
    return Declaration(
        seq=seq,
        kind=kind,
        meeting=meeting,
        person="priya",
        item=item,
        interest=None,
        nature="trustee" if item else None,
        action=DeclaredAction.WITHDREW if item else None,
        left=None,
        returned=None,
        reviewed_on=reviewed_on,
        nil=kind is EntryKind.NIL,
        recorded_at=T0,
        recorded_by="secretary",
    )


def test_minutes_run_by_meeting_date_items_then_nil_then_returns() -> None:
    found = [
        entry(1, None, reviewed_on=dt.date(2027, 1, 1)),
        entry(2, "board-02", "3"),
        entry(3, "lit-01"),
        entry(4, "lit-01", "10"),
        entry(5, "lit-01", "2"),
        entry(6, "lit-01", "2"),
    ]
    ordered = sorted(found, key=lambda d: minutes_order(d, MEETINGS))
    assert [d.seq for d in ordered] == [5, 6, 4, 3, 2, 1]


def test_body_filter_keeps_only_that_body_s_meetings() -> None:
    assert in_minutes(entry(1, "lit-01", "2"), MEETINGS, body="lit")
    assert not in_minutes(entry(2, "board-02", "2"), MEETINGS, body="lit")
    assert not in_minutes(entry(3, None, reviewed_on=dt.date(2027, 1, 1)), MEETINGS, body="lit")
    assert not in_minutes(entry(4, "gone", "2"), MEETINGS, body="lit")


def test_since_counts_meeting_days_and_review_days() -> None:
    since = dt.date(2027, 2, 1)
    assert not in_minutes(entry(1, "lit-01", "2"), MEETINGS, since=since)
    assert in_minutes(entry(2, "board-02", "2"), MEETINGS, since=since)
    assert in_minutes(entry(3, None, reviewed_on=since), MEETINGS, since=since)
    assert not in_minutes(entry(4, None, reviewed_on=dt.date(2027, 1, 31)), MEETINGS, since=since)
    assert not in_minutes(entry(5, "gone", "2"), MEETINGS, since=since)


def test_no_filter_keeps_everything() -> None:
    assert in_minutes(entry(1, "gone", "2"), MEETINGS)


def test_review_day_defaults_to_today_and_is_never_in_the_future() -> None:
    today = dt.date(2027, 3, 1)
    assert check_review_day(None, today) == today
    assert check_review_day(dt.date(2027, 2, 1), today) == dt.date(2027, 2, 1)
    with pytest.raises(UsageError, match="in the future"):
        check_review_day(dt.date(2027, 3, 2), today)


def test_anchor_is_seq_colon_64_hex_digits() -> None:
    digest = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
    assert parse_anchor(None) is None
    assert parse_anchor(f" 42:{digest} ") == (42, digest.lower())
    for bad in ("42", f"0:{digest}", f"x:{digest}", "42:abc", f"42:{digest[:-1]}g"):
        with pytest.raises(UsageError, match="is not SEQ:HASH"):
            parse_anchor(bad)
