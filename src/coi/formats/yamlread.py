"""Safe YAML reading that remembers where each value came from, for errors that name a line.

Only plain YAML is read (PyYAML's safe loader, C-accelerated where available): a
``!!python/object`` tag is reported as a problem, never run. Timestamps are left as
strings so that ``2027-02-30`` is reported as an impossible date by our own checks
instead of surfacing as a parser crash. Duplicate keys in one mapping are problems, not
silently last-one-wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from coi.errors import Problem

try:  # the C loader parses several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


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


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse one YAML file; return its data (LDict/LList inside) and any problems found."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem("file not found", file=name)]
    except IsADirectoryError:
        return None, [Problem("is a folder, not a YAML file", file=name)]
    except UnicodeDecodeError as exc:
        return None, [Problem(f"not UTF-8 text ({exc.reason})", file=name)]
    except OSError as exc:
        return None, [Problem(f"cannot read: {exc.strerror}", file=name)]
    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
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
    finally:
        loader.dispose()
    problems = [
        Problem(f"duplicate key {key!r} in one mapping", file=name, line=line)
        for line, key in loader.duplicate_keys
    ]
    return data, problems
