"""YAML loading that remembers where every value stands, so errors can name file and line.

PyYAML keeps line numbers on its nodes but drops them when it builds dicts and lists, and it
silently keeps the last of two equal keys. Coordinators need both: a line to look at, and a
warning when they pasted an item twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import yaml


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A sequence that knows its own line and the line of each entry (1-based)."""

    line: int = 0
    item_lines: list[int]


class DuplicateKeyError(yaml.MarkedYAMLError):
    """The same key appears twice in one mapping."""


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in mapping.key_lines:
                raise DuplicateKeyError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        sequence = LineList(self.construct_object(child, deep=True) for child in node.value)
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        return sequence


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_sequence)


def load(path: Path) -> Any:
    """Parses one YAML file; raises `yaml.YAMLError` (with a mark) when it is not valid YAML."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader


def line_of(data: Any, loc: Sequence[str | int]) -> int:
    """The line of the deepest value along `loc` that exists: where a person should look."""
    line = getattr(data, "line", 1)
    for step in loc:
        if isinstance(data, LineDict) and step in data:
            line = data.key_lines[step]
            data = data[step]
        elif isinstance(data, LineList) and isinstance(step, int) and step < len(data):
            line = data.item_lines[step]
            data = data[step]
        else:
            break
    return line
