"""The hash chain: canonical encoding, and any single tampering named at its first bad seq."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coi.domain.hashchain import (
    GENESIS,
    Fault,
    LogEntry,
    canonical_json,
    entry_hash,
    format_utc,
    make_entry,
    parse_utc,
    verify_chain,
)
from coi.errors import IntegrityFailure

T0 = dt.datetime(2024, 3, 1, 18, 30, tzinfo=dt.UTC)
# Chains are costly to draw; fewer examples keep the file fast and still cover every case.
CHAIN_SETTINGS = settings(max_examples=25, deadline=None)

short_text = st.text(alphabet="abcdeé -", max_size=6)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | short_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(short_text, inner, max_size=3),
    max_leaves=5,
)
payloads = st.dictionaries(short_text, json_values, max_size=3)
ids = st.sampled_from(["lit-2024-03", "ct-board", "jo", "sam", "the-zone"])
hexes = st.binary(min_size=32, max_size=32).map(bytes.hex)


@st.composite
def entry_fields(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "recorded_at": T0 + dt.timedelta(microseconds=draw(st.integers(0, 10**12))),
        "recorded_by": draw(st.sampled_from(["secretary", "jo", "Zoë"])),
        "kind": draw(st.sampled_from(["declaration", "nil", "return", "amend", "retract"])),
        "meeting": draw(st.none() | ids),
        "person": draw(st.none() | ids),
        "payload": draw(payloads),
    }


def build(fields: list[dict[str, Any]]) -> list[LogEntry]:
    chain: list[LogEntry] = []
    prev = (0, GENESIS)
    for f in fields:
        entry = make_entry(prev[0], prev[1], **f)
        chain.append(entry)
        prev = (entry.seq, entry.hash)
    return chain


@st.composite
def chains(draw: st.DrawFn, min_size: int = 2) -> list[LogEntry]:
    return build(draw(st.lists(entry_fields(), min_size=min_size, max_size=8)))


def first_difference(original: list[LogEntry], tampered: list[LogEntry]) -> int:
    """Index of the first position where the tampered list differs from the original."""
    for index, (a, b) in enumerate(zip(original, tampered, strict=False)):
        if a != b:
            return index
    return min(len(original), len(tampered))


# ---- canonical encoding --------------------------------------------------------------------


def test_hash_is_sha256_of_the_documented_canonical_text() -> None:
    fields = {
        "seq": 1,
        "recorded_at": dt.datetime(
            2024, 3, 1, 19, 5, 0, 250, tzinfo=dt.timezone(dt.timedelta(hours=1))
        ),
        "recorded_by": "Zoë",
        "kind": "nil",
        "meeting": "lit-2024-03",
        "person": "jo",
        "payload": {"person": "jo", "meeting": "lit-2024-03", "on": dt.date(2024, 3, 1)},
    }
    text = (
        '{"kind":"nil","meeting":"lit-2024-03","payload":{"meeting":"lit-2024-03","on":"2024-03-01",'
        '"person":"jo"},"person":"jo","prev_hash":"' + GENESIS + '","recorded_at":'
        '"2024-03-01T18:05:00.000250Z","recorded_by":"Zoë","seq":1}'
    )
    assert entry_hash(GENESIS, fields) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_canonical_json_ignores_key_order_and_keeps_non_ascii() -> None:
    assert canonical_json({"b": 1, "a": {"y": "é", "x": None}}) == '{"a":{"x":null,"y":"é"},"b":1}'
    assert canonical_json({"a": {"x": None, "y": "é"}, "b": 1}) == canonical_json(
        {"b": 1, "a": {"y": "é", "x": None}}
    )


@pytest.mark.parametrize(
    "bad",
    [1.5, dt.datetime(2024, 1, 1, 12, 0), object(), {1: "x"}, float("nan")],
    ids=["float", "naive-datetime", "object", "int-key", "nan"],
)
def test_canonical_json_refuses_what_it_cannot_pin_down(bad: object) -> None:
    with pytest.raises(ValueError):
        canonical_json({"value": bad})


def test_utc_times_round_trip() -> None:
    moment = dt.datetime(2024, 3, 1, 20, 15, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    text = format_utc(moment)
    assert text == "2024-03-01T18:15:01.000005Z"
    assert parse_utc(text) == moment
    with pytest.raises(ValueError):
        parse_utc("2024-03-01T18:15:01")


def test_entry_hash_refuses_hash_fields_in_fields() -> None:
    with pytest.raises(ValueError):
        entry_hash(GENESIS, {"seq": 1, "prev_hash": GENESIS})


# ---- an honest chain -----------------------------------------------------------------------


@given(chains(min_size=0))
@CHAIN_SETTINGS
def test_an_untouched_chain_verifies(chain: list[LogEntry]) -> None:
    report = verify_chain(chain)
    assert report.ok
    assert report.count == report.last_seq == len(chain)
    assert report.head == (chain[-1].hash if chain else GENESIS)
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    if chain:
        assert chain[0].prev_hash == GENESIS
        assert verify_chain(chain, anchor=(len(chain), chain[-1].hash)).ok


def test_verify_consumes_a_stream_once() -> None:
    chain = build([{"recorded_at": T0, "recorded_by": "s", "kind": "nil", "meeting": "m",
                    "person": str(i), "payload": {"n": i}} for i in range(50)])  # fmt: skip
    consumed = []

    def stream():  # type: ignore[no-untyped-def]
        for entry in chain:
            consumed.append(entry.seq)
            yield entry

    assert verify_chain(stream()).count == 50
    assert consumed == list(range(1, 51))


# ---- single tamperings ---------------------------------------------------------------------

CONTENT_FIELDS = ["recorded_at", "recorded_by", "kind", "meeting", "person", "payload"]


@given(chains(), st.data())
@CHAIN_SETTINGS
def test_any_single_edit_is_named(chain: list[LogEntry], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(chain) - 1), label="index")
    entry = chain[index]
    name = data.draw(st.sampled_from([*CONTENT_FIELDS, "seq", "prev_hash", "hash"]), label="field")
    value: Any
    if name == "recorded_at":
        value = entry.recorded_at + dt.timedelta(microseconds=data.draw(st.integers(1, 10**9)))
    elif name == "seq":
        value = data.draw(st.integers(-3, len(chain) + 5).filter(lambda s: s != entry.seq))
    elif name == "payload":
        value = data.draw(
            payloads.filter(lambda p: canonical_json(p) != canonical_json(entry.payload))
        )
    elif name in ("prev_hash", "hash"):
        value = data.draw(hexes.filter(lambda h: h != getattr(entry, name)))
    elif name in ("meeting", "person"):
        value = data.draw((st.none() | ids).filter(lambda v: v != getattr(entry, name)))
    else:
        value = getattr(entry, name) + data.draw(st.text(min_size=1, max_size=3))
    tampered = [*chain[:index], replace(entry, **{name: value}), *chain[index + 1 :]]

    report = verify_chain(tampered)

    assert not report.ok
    assert report.bad_seq == index + 1
    assert report.count == index
    if name in CONTENT_FIELDS:
        assert report.fault is Fault.EDITED
        assert f"entry {index + 1} was edited" in report.reason


@given(chains(min_size=2), st.data())
@CHAIN_SETTINGS
def test_removing_any_entry_but_the_last_is_named(
    chain: list[LogEntry], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(chain) - 2))
    report = verify_chain([*chain[:index], *chain[index + 1 :]])
    assert not report.ok
    assert report.bad_seq == index + 1
    assert report.fault is Fault.REMOVED
    assert f"entry {index + 1} is missing" in report.reason


@given(chains(min_size=1))
@CHAIN_SETTINGS
def test_removing_the_last_entry_needs_the_published_anchor(chain: list[LogEntry]) -> None:
    truncated = chain[:-1]
    # The chain alone cannot tell a truncated log from a shorter one...
    assert verify_chain(truncated).ok
    # ...which is why the head is published: against it, the loss is found.
    report = verify_chain(truncated, anchor=(chain[-1].seq, chain[-1].hash))
    assert not report.ok
    assert report.bad_seq == len(chain)
    assert report.fault is Fault.REMOVED


@given(chains(min_size=1), st.data())
@CHAIN_SETTINGS
def test_any_single_insertion_is_named(chain: list[LogEntry], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(chain) - 1), label="index")
    how = data.draw(st.sampled_from(["forged", "sibling", "copy", "junk"]), label="how")
    expected: int | None = None
    if how == "forged":
        # An attacker who knows the format: correct seq, chained and hashed onto its predecessor.
        new = make_entry(
            index, chain[index - 1].hash if index else GENESIS, **data.draw(entry_fields())
        )
        assume(new != chain[index])
        expected = index + 1
    elif how == "sibling":
        # The same, but slipped in after the original it doubles: the contested seq is named.
        assume(index >= 1)
        new = make_entry(
            index - 1, chain[index - 2].hash if index > 1 else GENESIS, **data.draw(entry_fields())
        )
        assume(new != chain[index - 1])
        expected = index
    elif how == "copy":
        new = chain[data.draw(st.integers(0, len(chain) - 1))]
    else:
        real = {GENESIS, *(e.hash for e in chain)}
        prev_hash = data.draw(hexes.filter(lambda h: h not in real))
        new = make_entry(
            data.draw(st.integers(0, len(chain) + 2)), prev_hash, **data.draw(entry_fields())
        )
    tampered = [*chain[:index], new, *chain[index:]]
    report = verify_chain(tampered)
    assert not report.ok
    if expected is None:
        expected = first_difference(chain, tampered) + 1
    else:
        assert report.fault is Fault.INSERTED
    assert report.bad_seq == expected


@given(chains(min_size=2), st.data())
@CHAIN_SETTINGS
def test_any_reordering_is_named(chain: list[LogEntry], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(chain) - 2), label="i")
    j = data.draw(st.integers(i + 1, len(chain) - 1), label="j")
    if data.draw(st.booleans(), label="swap"):
        tampered = list(chain)
        tampered[i], tampered[j] = tampered[j], tampered[i]
    else:  # move entry j up to position i
        tampered = [*chain[:i], chain[j], *chain[i:j], *chain[j + 1 :]]
    report = verify_chain(tampered)
    assert not report.ok
    assert report.bad_seq == i + 1


@given(chains(min_size=2), st.data())
@CHAIN_SETTINGS
def test_a_rewritten_and_rehashed_tail_fails_against_the_published_head(
    chain: list[LogEntry], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(chain) - 1))
    fields = [{name: getattr(e, name) for name in CONTENT_FIELDS} for e in chain]
    fields[index]["payload"] = {"rewritten": True, "was": canonical_json(chain[index].payload)}
    rewritten = build(fields)
    assert verify_chain(rewritten).ok
    report = verify_chain(rewritten, anchor=(len(chain), chain[-1].hash))
    assert not report.ok
    assert report.bad_seq == len(chain)
    assert "published" in report.reason


def test_raise_if_broken_is_exit_code_3_naming_the_seq() -> None:
    chain = build([{"recorded_at": T0, "recorded_by": "s", "kind": "nil", "meeting": "m",
                    "person": p, "payload": {"person": p}} for p in "abcd"])  # fmt: skip
    chain[2] = replace(chain[2], payload={"person": "z"})
    with pytest.raises(IntegrityFailure) as caught:
        verify_chain(chain).raise_if_broken()
    assert caught.value.exit_code == 3
    assert "seq 3" in caught.value.message
    assert "edited" in caught.value.message


# ---- verifying over the stored text --------------------------------------------------------

texts = st.text(max_size=8)  # any Unicode, quotes, backslashes and control characters


@given(
    payload=payloads,
    by=texts,
    kind=texts,
    meeting=st.none() | texts,
    person=st.none() | texts,
    prev=hexes,
    micro=st.integers(0, 999_999),
)
def test_the_body_around_the_stored_payload_text_is_the_canonical_json(
    payload: dict[str, Any],
    by: str,
    kind: str,
    meeting: str | None,
    person: str | None,
    prev: str,
    micro: int,
) -> None:
    """`coi log verify` hashes stored_body; the hash is defined over canonical_json."""
    from coi.domain.hashchain import stored_body

    at = T0.replace(microsecond=micro)
    fields = {"seq": 7, "recorded_at": at, "recorded_by": by, "kind": kind}
    fields |= {"meeting": meeting, "person": person, "payload": payload}
    expected = canonical_json({**fields, "prev_hash": prev})
    body = stored_body(7, format_utc(at), by, kind, meeting, person, canonical_json(payload), prev)
    assert body == expected


def stored_rows(entries: list[LogEntry]) -> list[Any]:
    return [
        (e.seq, e.recorded_at.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds"),
         e.recorded_by, e.kind, e.meeting, e.person, canonical_json(e.payload), e.prev_hash,
         e.hash)
        for e in entries
    ]  # fmt: skip


def test_a_sound_chain_verifies_over_its_stored_text_and_any_change_does_not() -> None:
    from coi.domain.hashchain import chain_sound

    entries = build(
        [
            {"recorded_at": T0 + dt.timedelta(minutes=i), "recorded_by": "Zoë", "kind": "nil",
             "meeting": None if i == 2 else "lit-2024-03", "person": "jo",
             "payload": {"item": str(i), "said": 'a "quoted" \\ word'}}
            for i in range(4)
        ]
    )  # fmt: skip
    rows = stored_rows(entries)
    report = chain_sound(rows)
    assert report == verify_chain(entries)
    assert report is not None and report.ok and report.count == 4
    assert chain_sound(rows, anchor=(2, entries[1].hash)) == report
    assert chain_sound(rows, anchor=(2, entries[2].hash)) is None
    assert chain_sound(rows, anchor=(5, entries[3].hash)) is None
    assert chain_sound([]) == verify_chain([])
    for column in range(9):
        for index in range(4):
            tampered = [list(row) for row in rows]
            value = tampered[index][column]
            if value is None:
                tampered[index][column] = "x"
            else:
                tampered[index][column] = value + 1 if isinstance(value, int) else value + " "
            assert chain_sound([tuple(row) for row in tampered]) is None, (index, column)
    # The same payload written another way (not coi's canonical text) is a change too.
    spaced = [list(row) for row in rows]
    spaced[1][6] = spaced[1][6].replace(",", ", ").replace(":", ": ")
    assert spaced[1][6] != rows[1][6]
    assert chain_sound([tuple(row) for row in spaced]) is None
