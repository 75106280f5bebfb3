"""Safe YAML reading that remembers where each value came from, for errors that name a line.

Only plain YAML is read (PyYAML's safe loader, C-accelerated where available): a
``!!python/object`` tag is reported as a problem, never run. Timestamps are left as
strings so that ``2027-02-30`` is reported as an impossible date by our own checks
instead of surfacing as a parser crash. Duplicate keys in one mapping are problems, not
silently last-one-wins.

Hostile input fails fast with a one-line problem: a file is read only up to a size limit
(so ``/dev/zero`` is refused, not read forever), a character YAML refuses (a NUL byte) is
reported with its line and column, and anchors and aliases that would expand past a bound
(a "billion laughs" document) or refer to themselves are refused before anything walks the
data.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from coi.errors import InputFileError, Problem

if TYPE_CHECKING:
    from coi.domain.policy import Policy

try:  # the C loader parses several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


# The most bytes read from a register file: the benchmarks' 100,000-interest register is
# 22 MiB. A policy file is a page of rules. COI_MAX_FILE_MB raises (or lowers) both.
REGISTER_LIMIT = 64 * 2**20
POLICY_LIMIT = 2**20
LIMIT_VARIABLE = "COI_MAX_FILE_MB"
# How many nodes aliases may add to a document when expanded: far beyond any file's
# shared defaults, far below what an exponential "billion laughs" expands to.
ALIAS_BUDGET = 100_000
# The most characters of a value a message quotes.
QUOTE_LIMIT = 200


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as messages quote it (``repr``), cut to ``limit`` characters with an ellipsis."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def size_limit(default: int) -> int:
    """The size limit for a file, ``default`` unless COI_MAX_FILE_MB says otherwise."""
    value = os.environ.get(LIMIT_VARIABLE, "").strip()
    try:
        return int(float(value) * 2**20) if value else default
    except (ValueError, OverflowError):
        return default


class LDict(dict[str, Any]):
    """A mapping that knows the line of itself and of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_at(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(_BaseLoader):
    """Safe loader building LDict/LList and collecting duplicate-key problems."""

    duplicate_keys: list[tuple[int, str]]


# Leave timestamps as strings: our own date checks give better messages than the parser.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in result.key_lines:
            loader.duplicate_keys.append((line, key))
        result.key_lines[key] = line
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_text(path: Path, limit: int) -> tuple[str | None, list[Problem]]:
    """A file's text, read only up to ``limit`` bytes (a device or a huge file is refused)."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        return None, [Problem("file not found", file=name)]
    except IsADirectoryError:
        return None, [Problem("is a folder, not a YAML file", file=name)]
    except OSError as exc:
        return None, [Problem(f"cannot read: {exc.strerror or exc}", file=name)]
    if len(raw) > limit:
        mib = f"{limit / 2**20:.3g} MiB"
        message = f"larger than {mib}, the most coi reads (set {LIMIT_VARIABLE} to raise it)"
        return None, [Problem(message, file=name)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [Problem(f"not UTF-8 text ({exc.reason})", file=name, line=line)]


def read_yaml(path: Path, limit: int = REGISTER_LIMIT) -> tuple[Any, list[Problem]]:
    """Parse one YAML file; return its data (LDict/LList inside) and any problems found."""
    text, problems = read_text(path, size_limit(limit))
    if text is None:
        return None, problems
    return parse_yaml(text, str(path))


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; the collector as it was after it.

    Parsing builds millions of containers and frees almost none, so every automatic
    collection rescans all that was built so far for nothing: at 100,000 interests that
    was three quarters of the parse (26.9 s with the collector on, 6.3 s off). What
    is built here is freed by reference counting; nothing in it is cyclic garbage.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_yaml(text: str, name: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text (``name`` says where it came from, in messages) as :func:`read_yaml`."""
    with collector_paused():
        return _parse_yaml(text, name)


def _parse_yaml(text: str, name: str) -> tuple[Any, list[Problem]]:
    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        node = loader.get_single_node()
        if node is not None and "&" in text:  # no anchor, no alias: nothing can expand
            why = _expansion_problem(node)
            if why:
                return None, [Problem(why, file=name, line=node.start_mark.line + 1)]
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(exc, text, name)]
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        tag = (exc.problem or "").replace("could not determine a constructor for the tag", "")
        message = f"tag {tag.strip()} is not allowed: only plain YAML is read"
        return None, [Problem(message, file=name, line=line)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return None, [Problem(f"YAML syntax: {exc.problem or exc.context}", file=name, line=line)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"YAML syntax: {exc}", file=name)]
    except RecursionError:
        return None, [Problem("nested too deeply to read", file=name)]
    except ValueError as exc:  # int() of a number with thousands of digits
        return None, [Problem(f"a value cannot be read: {quote(str(exc), 120)}", file=name)]
    finally:
        loader.dispose()
    problems = [
        Problem(f"duplicate key {quote(key)} in one mapping", file=name, line=line)
        for line, key in loader.duplicate_keys
    ]
    return data, problems


def _reader_problem(exc: yaml.reader.ReaderError, text: str, name: str) -> Problem:
    """A character YAML refuses (NUL, other controls), at its line and column."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    char = exc.character
    code = f"U+{char:04X}" if isinstance(char, int) else f"U+{ord(char):04X}"
    message = f"column {column}: the character {code} is not allowed in YAML"
    return Problem(message, file=name, line=line)


def _expansion_problem(root: yaml.Node) -> str:
    """Why a document's aliases must not be expanded ("" when they may): one refers to a
    node that contains it, or expanding them all would add more than ALIAS_BUDGET nodes.
    Sizes are counted once per node (memoised), so a bomb is measured without expanding it."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            continue
        if key in sizes:
            continue
        if key in open_:
            return "an alias refers to a node that contains it (a recursive alias)"
        open_.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_:
                return "an alias refers to a node that contains it (a recursive alias)"
            if id(child) not in sizes:
                stack.append((child, False))
    distinct = len(sizes)
    if sizes[id(root)] > distinct + ALIAS_BUDGET:
        return (
            f"its aliases would expand it past {distinct + ALIAS_BUDGET:,} values "
            "(an alias bomb?): write the values out instead"
        )
    return ""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def key_lines(data: Any) -> dict[tuple[str | int, ...], int]:
    """Key paths of read data (``("rules", 2, "action")``) to their 1-based lines, as
    ``domain.policy.policy_from_dict`` takes them to name a line in its messages."""
    out: dict[tuple[str | int, ...], int] = {}

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, LDict):
            out[path] = value.line
            for k, v in value.items():
                walk(v, (*path, k))
                out[(*path, k)] = value.line_of(k)
        elif isinstance(value, LList):
            out[path] = value.line
            for i, v in enumerate(value):
                out[(*path, i)] = value.line_at(i)
                walk(v, (*path, i))

    walk(data, ())
    return out


def read_policy(path: Path | None = None) -> Policy:
    """A policy file (``None``: the packaged default) read as any YAML file is, with a
    smaller size limit, then checked by ``domain.policy``; InputFileError lists each fault."""
    from coi.domain.policy import default_policy_path, policy_from_dict

    target = default_policy_path() if path is None else path
    source = str(target)
    data, problems = read_yaml(target, POLICY_LIMIT)
    if problems:
        raise InputFileError(f"{source}: cannot read the policy", problems)
    if data is None:
        raise InputFileError(f"{source}: empty", [Problem("the policy file is empty", file=source)])
    return policy_from_dict(data, source, key_lines(data))
