"""A load parses with the garbage collector paused, saves in batches, and leaves the
collector as it found it, whatever happens (issue 14). No timings: what is checked is
that nothing is lost and nothing is left switched off."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from coi import services
from coi.errors import InputFileError
from coi.formats.register import read_register as read_files
from coi.formats.yamlread import collector_paused, parse_yaml
from coi.services import register as register_service
from coi.store import register as store_register


def test_the_collector_is_paused_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner one must not switch it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller's choice to keep it off is kept
    finally:
        gc.enable()


def test_a_parse_leaves_the_collector_on_after_good_and_bad_yaml() -> None:
    assert parse_yaml("a: [1, 2]\n", "x.yaml")[0] == {"a": [1, 2]}
    assert gc.isenabled()
    data, problems = parse_yaml("a: [1, 2\n", "x.yaml")
    assert data is None and problems
    assert gc.isenabled()


def load_file(db: str, path: Path) -> register_service.Loaded:
    with services.open_session(db, write=True) as s:
        return register_service.load(s, [path])


def test_a_load_in_many_small_batches_stores_every_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, example: Path
) -> None:
    """With a batch of 2 rows every section spans several INSERTs and UPDATEs."""
    monkeypatch.setattr(store_register, "BATCH", 2)
    db = str(tmp_path / "coi.db")
    loaded = load_file(db, example)
    register = read_files([example])
    for section in ("organisations", "people", "interests", "meetings", "bodies"):
        assert loaded.counts[section]["created"] == len(getattr(register, section)), section
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with services.open_session(db) as s:
        back = store_register.read_register(s)
    assert sorted(i.id for i in back.interests) == sorted(i.id for i in register.interests)
    assert {m.id: len(m.items) for m in back.meetings} == {
        m.id: len(m.items) for m in register.meetings
    }
    text = example.read_text(encoding="utf-8").replace("name: The Zone", "name: The Zone Plymouth")
    changed = tmp_path / "changed.yaml"
    changed.write_text(text, encoding="utf-8")
    assert sum(c["updated"] for c in load_file(db, changed).counts.values()) > 0


def test_a_load_that_fails_leaves_the_collector_on_and_unfrozen(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisations:\n  - id: x\n    name: [not, a, name]\n", encoding="utf-8")
    with pytest.raises(InputFileError):
        load_file(str(tmp_path / "coi.db"), bad)
    assert gc.isenabled() and gc.get_freeze_count() == 0
