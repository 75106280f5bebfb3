"""Agenda numbering, meeting status changes and meeting times: pure rules, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from coi.domain.agenda import (
    MAX_NUMBER,
    agenda_open,
    check_number,
    check_value,
    may_be_held,
    may_cancel,
    may_change,
    no_clash,
    position,
)
from coi.domain.meeting_times import (
    display_time,
    end_text,
    iso_local,
    moved_end,
    parse_duration,
    when,
)
from coi.domain.model import Meeting
from coi.domain.words import MeetingStatus
from coi.errors import UsageError

START = dt.datetime(2027, 7, 14, 9, 0, tzinfo=dt.UTC)  # 10:00 in London (BST)
LONDON = "Europe/London"


def meeting(status: MeetingStatus = MeetingStatus.SCHEDULED) -> Meeting:
    return Meeting("m", "lit", "LIT", START, status=status)


def test_item_numbers_are_trimmed_short_and_present() -> None:
    assert check_number(" 5.1 ") == "5.1"
    with pytest.raises(UsageError, match="needs a number"):
        check_number("  ")
    with pytest.raises(UsageError, match=f"longer than {MAX_NUMBER}"):
        check_number("1" * (MAX_NUMBER + 1))


def test_values_are_amounts_of_money() -> None:
    check_value(None)
    check_value(0)
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(UsageError, match="not an amount of money"):
            check_value(bad)


def test_items_are_found_by_number_and_numbers_do_not_clash() -> None:
    assert position("m", ["1", "5", "5.1"], "5.1") == 2
    with pytest.raises(UsageError, match=r"has no item '7' \(items: 1, 5\)"):
        position("m", ["1", "5"], "7")
    with pytest.raises(UsageError, match="items: none"):
        position("m", [], "1")
    no_clash("m", ["1"], "2")
    with pytest.raises(UsageError, match="already has an item '1'"):
        no_clash("m", ["1"], "1")


def test_a_cancelled_meeting_changes_only_by_being_reinstated() -> None:
    cancelled = meeting(MeetingStatus.CANCELLED)
    with pytest.raises(UsageError, match="cannot change"):
        agenda_open(cancelled)
    with pytest.raises(UsageError, match="reinstate it"):
        may_change(cancelled, None, other_changes=True)
    may_change(cancelled, MeetingStatus.SCHEDULED, other_changes=True)
    may_change(cancelled, None, other_changes=False)


def test_a_held_meeting_cannot_be_cancelled_nor_a_future_one_held() -> None:
    with pytest.raises(UsageError, match="was held"):
        may_cancel(meeting(MeetingStatus.HELD))
    with pytest.raises(UsageError, match="was held"):
        may_change(meeting(MeetingStatus.HELD), MeetingStatus.CANCELLED, other_changes=False)
    with pytest.raises(UsageError, match=r"not started yet \(2027-07-14 10:00 BST\)"):
        may_be_held(MeetingStatus.HELD, START, START - dt.timedelta(days=1), LONDON)
    may_be_held(MeetingStatus.HELD, START, START, LONDON)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("2h", 120), ("90m", 90), ("1h30m", 90), ("1.5h", 90), ("1:30", 90), ("45 mins", 45)],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "soon", "0m", "0:00"])
def test_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(UsageError, match="--duration"):
        parse_duration(text)


def test_a_bare_end_time_is_on_the_local_day_the_meeting_starts() -> None:
    late = dt.datetime(2027, 7, 14, 23, 30, tzinfo=dt.UTC)  # 00:30 on the 15th in London
    assert end_text("02:00", late, LONDON) == "2027-07-15 02:00"
    assert end_text("2027-07-16 10:00", late, LONDON) == "2027-07-16 10:00"


def test_the_end_moves_with_the_start() -> None:
    later = START + dt.timedelta(days=7)
    assert moved_end(START, START + dt.timedelta(hours=2), later) == later + dt.timedelta(hours=2)
    assert moved_end(START, None, later) is None


def test_times_show_as_the_bodys_wall_clock() -> None:
    end = START + dt.timedelta(hours=2)
    assert display_time(START, LONDON) == "2027-07-14 10:00 BST"
    assert display_time(None, LONDON) == ""
    assert iso_local(START, LONDON) == "2027-07-14T10:00:00+01:00"
    assert when(START, end, LONDON) == "Wed 14 Jul 2027 10:00 to 12:00 BST"
    assert when(START, None, LONDON) == "Wed 14 Jul 2027 10:00 BST"
