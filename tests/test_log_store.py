"""The declarations log in the database and as JSONL: append, correct, race, tamper, verify."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import itertools
import json
import multiprocessing
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from coi.domain import declarations as d
from coi.domain.declarations import EntryKind, effective_declarations
from coi.domain.hashchain import GENESIS, Fault, canonical_json, make_entry, verify_chain
from coi.domain.model import DeclaredAction
from coi.errors import InputFileError, IntegrityFailure, UsageError
from coi.formats.log_jsonl import read_jsonl, verify_jsonl, write_jsonl
from coi.store import log
from coi.store.db import open_engine

PG_URL = os.environ.get("COI_TEST_DATABASE_URL")
T0 = dt.datetime(2024, 3, 5, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = open_engine(db_url)
    yield eng
    eng.dispose()


def declare(engine: Engine, person: str = "jo", item: str = "5", **extra: Any) -> log.LogEntry:
    payload = d.declaration_payload(
        "lit-2024-03",
        person,
        item,
        extra.pop("action", DeclaredAction.WITHDREW),
        interest=extra.pop("interest", "jo-trustee-zone"),
        **extra,
    )
    return log.append(engine, "declaration", payload, recorded_by="secretary", now=T0)


def seed(engine: Engine, n: int = 5) -> list[log.LogEntry]:
    return [declare(engine, person=f"p{i}", item=str(i)) for i in range(1, n + 1)]


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM log_entries")).scalar_one())


def sql(engine: Engine, *statements: str, **params: Any) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


# ---- appending -----------------------------------------------------------------------------


def test_appends_chain_from_genesis_and_read_back_identically(engine: Engine) -> None:
    written = seed(engine, 3)
    nil = log.append(engine, "nil", d.nil_payload("lit-2024-03", "sam"))
    written.append(nil)
    assert [e.seq for e in written] == [1, 2, 3, 4]
    assert written[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(written))
    assert nil.recorded_by == getpass.getuser()
    assert nil.recorded_at.tzinfo is not None
    assert abs(nil.recorded_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    # What comes back from the database hashes exactly as it did when written.
    assert list(log.entries(engine)) == written
    report = log.verify(engine)
    assert (report.ok, report.count, report.head) == (True, 4, nil.hash)
    assert log.head(engine) == (4, nil.hash)


def test_payload_is_stored_as_canonical_json(engine: Engine) -> None:
    entry = declare(engine, nature="Trustee of Zoë's charity", interest=None)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT payload FROM log_entries WHERE seq = 1")).scalar_one()
    assert stored == canonical_json(entry.payload)
    assert "Zoë" in stored


def test_an_empty_log_verifies() -> None:
    engine = open_engine("sqlite://")
    report = log.verify(engine)
    assert (report.ok, report.count, report.head) == (True, 0, GENESIS)


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("declaration", {"meeting": "m", "person": "p", "item": "1", "interest": "i",
                         "action": "stayed"}, "action"),
        ("declaration", {"meeting": "m", "person": "p", "item": "1", "action": "withdrew"},
         "interest"),
        ("declaration", {"meeting": "m", "person": "p", "item": "1", "interest": "i",
                         "action": "remained", "left": "19:00"}, "left"),
        ("declaration", {"meeting": "m", "person": "p", "item": "1", "interest": "i",
                         "action": "withdrew", "left": "19:70"}, "left"),
        ("declaration", {"meeting": "m", "person": "p", "item": "1", "interest": "i",
                         "action": "withdrew", "left": "19:30", "returned": "19:10"}, "returned"),
        ("declaration", {"meeting": "m", "person": "p", "item": "1", "interest": "i",
                         "action": "left-meeting", "left": "19:30", "returned": "19:40"},
         "returned"),
        ("declaration", {"meeting": "m", "person": "", "item": "1", "interest": "i",
                         "action": "withdrew"}, "person"),
        ("declaration", {"meeting": "m", "person": "p", "item": "1", "interest": "i",
                         "action": "withdrew", "colour": "red"}, "colour"),
        ("return", {"person": "p", "reviewed_on": "2024-02-30"}, "reviewed_on"),
        ("retract", {"target": 1, "reason": "  "}, "reason"),
        ("amend", {"target": 1, "changes": {}}, "changes"),
        ("amend", {"target": 0, "changes": {"item": "2"}}, "target"),
        ("amend", {"target": 1, "changes": {"meeting": "other"}}, "meeting"),
        ("vote", {"meeting": "m"}, "kind"),
    ],
)  # fmt: skip
def test_bad_input_is_a_usage_error_and_appends_nothing(
    kind: str, payload: dict[str, Any], field: str
) -> None:
    engine = open_engine("sqlite://")
    declare(engine)
    with pytest.raises(UsageError) as caught:
        log.append(engine, kind, payload)
    assert caught.value.exit_code == 2
    assert caught.value.message.startswith(f"{field}:")
    assert caught.value.problems[0].field == field
    assert count(engine) == 1


def test_corrections_that_cannot_apply_are_refused_and_append_nothing(engine: Engine) -> None:
    first = declare(engine, left="19:05")
    nil = log.append(engine, "nil", d.nil_payload("lit-2024-03", "sam"))
    log.append(engine, "retract", d.retract_payload(nil.seq, "sam sent apologies"))
    amend = log.append(engine, "amend", d.amend_payload(first.seq, {"item": "6"}))
    other_nil = log.append(engine, "nil", d.nil_payload("lit-2024-03", "ali"))
    before = count(engine)
    cases = [
        ("retract", d.retract_payload(nil.seq, "again"), "already retracted (entry 3)"),
        ("amend", d.amend_payload(other_nil.seq, {"item": "7"}), "a nil entry: retract it"),
        ("amend", d.amend_payload(nil.seq, {"item": "7"}), "already retracted"),
        ("retract", d.retract_payload(99, "typo"), "entry 99 does not exist"),
        ("amend", d.amend_payload(99, {"item": "7"}), "entry 99 does not exist"),
        ("retract", d.retract_payload(amend.seq, "undo"), "itself a correction"),
        ("amend", d.amend_payload(first.seq, {"item": "6"}), "changes nothing"),
        ("amend", d.amend_payload(first.seq, {"action": "remained"}), "apply only"),
        ("amend", d.amend_payload(first.seq, {"reviewed_on": "2024-01-01"}), "not a field"),
    ]
    for kind, payload, message in cases:
        with pytest.raises(UsageError, match=re.escape(message)):
            log.append(engine, kind, payload)
    assert count(engine) == before
    log.verify(engine)


def test_append_many_is_all_or_nothing(engine: Engine) -> None:
    declare(engine)
    batch = [
        ("nil", d.nil_payload("ct-board-2024-04", "jo")),
        ("retract", {"target": 1, "reason": "wrong meeting"}),
        ("retract", {"target": 1, "reason": "twice in one batch"}),
    ]
    with pytest.raises(UsageError, match="already retracted"):
        log.append_many(engine, batch)
    assert count(engine) == 1
    written = log.append_many(engine, batch[:2], recorded_by="clerk")
    assert [(e.seq, e.kind, e.recorded_by) for e in written] == [
        (2, "nil", "clerk"),
        (3, "retract", "clerk"),
    ]
    assert log.verify(engine).count == 3


def test_append_in_a_callers_session_commits_or_rolls_back_with_it(engine: Engine) -> None:
    declare(engine)
    with Session(engine) as session:
        log.append(session, "nil", d.nil_payload("lit-2024-03", "sam"))
        session.rollback()
    assert count(engine) == 1
    with Session(engine) as session:
        entry = log.append(session, "nil", d.nil_payload("lit-2024-03", "sam"))
        session.commit()
    assert entry.seq == 2
    assert log.verify(engine).count == 2


# ---- corrections and the effective record --------------------------------------------------


def test_effective_declarations_apply_amends_and_retracts(engine: Engine) -> None:
    jo = declare(engine, left="19:05")
    sam = declare(engine, person="sam", item="6", action="no-vote", interest=None,
                  nature="Chair of a bidding consortium")  # fmt: skip
    log.append(engine, "nil", d.nil_payload("lit-2024-03", "ali"))
    ret = log.append(engine, "return", d.return_payload("jo", dt.date(2024, 4, 1), nil=False))
    log.append(engine, "amend", d.amend_payload(jo.seq, {"returned": "19:40"}, reason="minutes"))
    log.append(engine, "amend", d.amend_payload(jo.seq, {"item": "5a"}))
    log.append(engine, "retract", d.retract_payload(sam.seq, "declared at the wrong meeting"))
    log.append(engine, "amend", d.amend_payload(ret.seq, {"nil": True}))

    # Corrections carry their target's meeting and person, so a filtered listing holds them.
    at_meeting = list(log.entries(engine, meeting="lit-2024-03"))
    assert {e.kind for e in at_meeting} == {"declaration", "nil", "amend", "retract"}
    record = effective_declarations(at_meeting)
    assert [(r.seq, r.person, r.kind) for r in record] == [
        (1, "jo", EntryKind.DECLARATION),
        (3, "ali", EntryKind.NIL),
    ]
    jo_now = record[0]
    assert (jo_now.item, jo_now.left, jo_now.returned) == ("5a", dt.time(19, 5), dt.time(19, 40))
    assert jo_now.action is DeclaredAction.WITHDREW
    assert (jo_now.amended_by, jo_now.amend_reasons) == ((5, 6), ("minutes", ""))
    assert record[1].nil

    everything = effective_declarations(log.entries(engine), include_retracted=True)
    retracted = next(r for r in everything if r.seq == sam.seq)
    assert (retracted.retracted, retracted.retracted_by) == (True, 7)
    assert retracted.reason == "declared at the wrong meeting"
    assert retracted.nature == "Chair of a bidding consortium"
    annual = next(r for r in everything if r.kind is EntryKind.RETURN)
    assert (annual.reviewed_on, annual.nil, annual.meeting) == (dt.date(2024, 4, 1), True, None)


def test_entries_filters(engine: Engine) -> None:
    seed(engine, 3)
    later = T0 + dt.timedelta(days=2)
    log.append(engine, "nil", d.nil_payload("ct-board", "p2"), now=later)
    assert [e.seq for e in log.entries(engine, person="p2")] == [2, 4]
    assert [e.seq for e in log.entries(engine, meeting="ct-board")] == [4]
    assert [e.seq for e in log.entries(engine, since=T0 + dt.timedelta(hours=1))] == [4]
    assert [e.seq for e in log.entries(engine, since=later.date())] == [4]
    assert [e.seq for e in log.entries(engine, after_seq=2)] == [3, 4]


# ---- many writers at once ------------------------------------------------------------------


def _append_worker(url: str, worker: int, appends: int, start: Any) -> None:
    engine = open_engine(url)
    start.wait()
    for i in range(appends):
        payload = d.nil_payload(f"meeting-{i}", f"worker-{worker}")
        log.append(engine, "nil", payload, recorded_by=f"worker-{worker}")
    engine.dispose()


@pytest.mark.slow
def test_concurrent_appends_from_several_processes_lose_nothing_and_never_fork(
    db_url: str,
) -> None:
    workers, appends = 4, 12
    open_engine(db_url).dispose()  # migrate once, before the race
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(workers)
    processes = [
        ctx.Process(target=_append_worker, args=(db_url, w, appends, start)) for w in range(workers)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * workers

    engine = open_engine(db_url)
    report = log.verify(engine)
    assert report.count == workers * appends
    written = list(log.entries(engine))
    assert [e.seq for e in written] == list(range(1, workers * appends + 1))
    seen = {(e.person, e.meeting) for e in written}
    assert seen == {(f"worker-{w}", f"meeting-{i}") for w in range(workers) for i in range(appends)}
    engine.dispose()


# ---- tampering behind the tool's back ------------------------------------------------------


def verify_fails(engine: Engine, seq: int, *words: str) -> str:
    with pytest.raises(IntegrityFailure) as caught:
        log.verify(engine)
    message = caught.value.message
    assert caught.value.exit_code == 3
    assert f"seq {seq}:" in message
    for word in words:
        assert word in message
    return message


def test_an_edited_payload_is_named(engine: Engine) -> None:
    seed(engine)
    sql(engine, "UPDATE log_entries SET payload = replace(payload, 'withdrew', 'remained') "
                "WHERE seq = 3")  # fmt: skip
    verify_fails(engine, 3, "edited")


def test_an_edited_column_is_named(engine: Engine) -> None:
    seed(engine)
    sql(engine, "UPDATE log_entries SET recorded_by = 'chair' WHERE seq = 2")
    verify_fails(engine, 2, "edited")


def test_a_reformatted_payload_is_named_even_though_it_means_the_same(engine: Engine) -> None:
    seed(engine)
    sql(engine, "UPDATE log_entries SET payload = replace(payload, ',', ', ') WHERE seq = 4")
    verify_fails(engine, 4, "edited", "canonical")


def test_a_payload_that_is_not_json_is_named(engine: Engine) -> None:
    seed(engine)
    sql(engine, "UPDATE log_entries SET payload = 'nothing to see' WHERE seq = 5")
    verify_fails(engine, 5, "edited", "not valid JSON")


def test_a_deleted_entry_is_named(engine: Engine) -> None:
    seed(engine)
    sql(engine, "DELETE FROM log_entries WHERE seq = 3")
    verify_fails(engine, 3, "entry 3 is missing")


def test_a_deleted_last_entry_is_named_against_the_published_head(engine: Engine) -> None:
    seed(engine)
    published = log.head(engine)
    sql(engine, "DELETE FROM log_entries WHERE seq = 5")
    assert log.verify(engine).count == 4  # the chain alone cannot tell
    with pytest.raises(IntegrityFailure, match=r"seq 5: .*removed"):
        log.verify(engine, anchor=published)


def test_reordered_entries_are_named(engine: Engine) -> None:
    seed(engine)
    sql(
        engine,
        "UPDATE log_entries SET seq = -1 WHERE seq = 2",
        "UPDATE log_entries SET seq = 2 WHERE seq = 4",
        "UPDATE log_entries SET seq = 4 WHERE seq = -1",
    )
    verify_fails(engine, 2, "does not follow entry 1")


def test_an_inserted_entry_is_named(engine: Engine) -> None:
    entries = seed(engine)
    # The insertion a careful forger would make: room made at seq 3, a well-formed entry
    # chained onto entry 2, and the displaced original re-linked to it (prev_hash is UNIQUE).
    forged = make_entry(2, entries[1].hash, recorded_at=T0, recorded_by="secretary",
                        kind="nil", meeting="lit-2024-03", person="p3",
                        payload=d.nil_payload("lit-2024-03", "p3"))  # fmt: skip
    sql(
        engine,
        "UPDATE log_entries SET seq = seq + 1000 WHERE seq >= 3",
        "UPDATE log_entries SET seq = seq - 999 WHERE seq >= 1003",
        "UPDATE log_entries SET prev_hash = :forged WHERE seq = 4",
        forged=forged.hash,
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO log_entries (seq, recorded_at, recorded_by, kind, meeting, person,"
                " payload, prev_hash, hash) VALUES (3, :at, 'secretary', 'nil', 'lit-2024-03',"
                " 'p3', :payload, :prev, :hash)"
            ),
            {"at": T0.replace(tzinfo=None), "payload": canonical_json(forged.payload),
             "prev": forged.prev_hash, "hash": forged.hash},
        )  # fmt: skip
    verify_fails(engine, 3, "entry 3 was inserted")


def test_a_row_added_at_the_end_without_the_chain_is_named(engine: Engine) -> None:
    seed(engine)
    sql(
        engine,
        "INSERT INTO log_entries (seq, recorded_at, recorded_by, kind, meeting, person, payload,"
        " prev_hash, hash) VALUES (6, :at, 'secretary', 'nil', 'm', 'p', '{}', :prev, :hash)",
        at=T0.replace(tzinfo=None),
        prev="ab" * 32,
        hash="cd" * 32,
    )
    verify_fails(engine, 6, "does not follow entry 5")


# ---- JSONL export ---------------------------------------------------------------------------


def test_jsonl_export_round_trips_and_verifies_without_the_database(
    engine: Engine, tmp_path: Path
) -> None:
    seed(engine, 3)
    log.append(engine, "return", d.return_payload("p1", "2024-04-01"))
    log.append(engine, "amend", d.amend_payload(1, {"nature": "Trustee, unpaid"}, reason="detail"))
    path = tmp_path / "log.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        assert write_jsonl(log.entries(engine), stream) == 5
    engine.dispose()

    assert list(read_jsonl(path)) == list(log.entries(engine))
    report = verify_jsonl(path, anchor=log.head(engine))
    assert (report.ok, report.count, report.head) == (True, 5, log.head(engine)[1])
    line = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert set(line) == {"seq", "recorded_at", "recorded_by", "kind", "meeting", "person",
                         "payload", "prev_hash", "hash"}  # fmt: skip
    assert line["recorded_at"].endswith("Z")


def exported(tmp_path: Path, n: int = 5) -> tuple[Path, list[str]]:
    engine = open_engine("sqlite://")
    seed(engine, n)
    stream = io.StringIO()
    write_jsonl(log.entries(engine), stream)
    path = tmp_path / "published.jsonl"
    lines = stream.getvalue().splitlines()
    return path, lines


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_tampering_is_named(tmp_path: Path) -> None:
    path, lines = exported(tmp_path)
    edited = json.loads(lines[1])
    edited["payload"]["action"] = "remained"
    with pytest.raises(IntegrityFailure, match=r"seq 2: entry 2 was edited"):
        verify_jsonl(write_lines(path, [lines[0], json.dumps(edited), *lines[2:]]))
    with pytest.raises(IntegrityFailure, match=r"seq 3: entry 3 is missing"):
        verify_jsonl(write_lines(path, [*lines[:2], *lines[3:]]))
    with pytest.raises(IntegrityFailure, match=r"seq 2: entries 2 and 3 were swapped"):
        verify_jsonl(write_lines(path, [lines[0], lines[2], lines[1], *lines[3:]]))
    with pytest.raises(IntegrityFailure, match=r"seq 2: entry 2 is missing"):
        verify_jsonl(write_lines(path, [lines[0], *lines[2:4], lines[1], *lines[4:]]))
    report = verify_jsonl(write_lines(path, lines))
    assert report.fault is None and report.count == 5


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("{not json", "published.jsonl:2: not valid JSON"),
        ("[1, 2]", "published.jsonl:2: each line must be a JSON object"),
        ('{"seq": 2}', "published.jsonl:2: recorded_at: missing"),
        ('{"seq": 1, "seq": 2}', "published.jsonl:2: seq: appears twice"),
    ],
)
def test_a_malformed_jsonl_line_names_file_and_line(tmp_path: Path, line: str, where: str) -> None:
    path, lines = exported(tmp_path, 3)
    write_lines(path, [lines[0], line, lines[2]])
    with pytest.raises(InputFileError) as caught:
        list(read_jsonl(path))
    assert where in str(caught.value)
    assert caught.value.problems[0].line == 2


def test_a_jsonl_field_of_the_wrong_type_names_the_field(tmp_path: Path) -> None:
    path, lines = exported(tmp_path, 2)
    bad = json.loads(lines[1])
    bad["recorded_at"] = "yesterday"
    write_lines(path, [lines[0], json.dumps(bad)])
    with pytest.raises(InputFileError, match=r"published.jsonl:2: recorded_at: "):
        list(read_jsonl(path))


def test_a_missing_jsonl_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot read"):
        verify_jsonl(tmp_path / "absent.jsonl")


def test_faults_are_reported_as_data_too(tmp_path: Path) -> None:
    path, lines = exported(tmp_path, 3)
    report = verify_chain(read_jsonl(write_lines(path, [lines[0], lines[2]])))
    assert (report.ok, report.bad_seq, report.fault, report.count) == (False, 2, Fault.REMOVED, 1)


def test_a_sound_log_verifies_from_its_stored_text_without_parsing_a_payload(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: verification hashes the stored payload text; entries are parsed (and
    re-encoded) only to name a fault once the fast pass has found one."""
    written = seed(engine)

    def no_parsing(*_: Any, **__: Any) -> Any:
        raise AssertionError("a sound log was verified by parsing its payloads")

    monkeypatch.setattr(log, "_to_entry", no_parsing)
    report = log.verify(engine, anchor=(3, written[2].hash))
    assert report.ok and report.count == 5 and report.head == written[-1].hash
    monkeypatch.undo()
    sql(engine, "UPDATE log_entries SET payload = replace(payload, ',', ', ') WHERE seq = 4")
    verify_fails(engine, 4, "edited", "canonical")
