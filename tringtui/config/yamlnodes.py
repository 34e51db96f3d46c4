"""YAML read as a node tree, so that every problem can name its file and line.

``yaml.safe_load`` throws positions away; composing the node tree under
``SafeLoader`` keeps each node's mark. The config and theme validators walk
that tree, turn scalars into Python values with the safe constructor, and
collect every ``Problem`` they find instead of stopping at the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is, which field, and what is wrong."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        parts = [part for part in (where, self.field, self.message) if part]
        return ": ".join(parts)


class Problems(list[Problem]):
    """The problems found in one file, each tied to the node it was found at."""

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = str(path)

    def add(self, node: yaml.Node | None, field: str, message: str) -> None:
        self.append(Problem(self.path, line_of(node) if node is not None else None, field, message))


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1


def compose(text: str, problems: Problems) -> yaml.Node | None:
    """The document's node tree, or ``None`` (with a problem recorded) when it is not valid YAML."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        line = mark.line + 1 if mark else None
        problems.append(Problem(problems.path, line, "", f"not valid YAML: {what}"))
    except yaml.YAMLError as exc:
        problems.append(Problem(problems.path, None, "", f"not valid YAML: {exc}"))
    return None


def value_of(node: yaml.Node) -> object:
    """A node as the Python value ``yaml.safe_load`` would give (int, float, bool, str, None, list, dict)."""
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def kind_of(node: yaml.Node) -> str:
    """A short description of what a node holds, for "expected …, got …" messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = value_of(node)
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


MERGE_TAG = "tag:yaml.org,2002:merge"


def mapping_entries(
    node: yaml.Node, field: str, problems: Problems
) -> list[tuple[str, yaml.Node, yaml.Node]] | None:
    """A mapping's (key, key node, value node) entries; non-string and repeated keys are problems.

    YAML itself lets a repeated key silently replace the first, which hides
    typos such as two ``server:`` lines in one profile, so repeats are reported.
    Merge keys (``<<: *shared``) are honoured as YAML defines them: the
    mapping's own keys win over merged ones, earlier merged mappings over
    later ones; merged values keep the line they were written on.
    Returns ``None`` (and records a problem) when the node is not a mapping.
    """
    if not isinstance(node, yaml.MappingNode):
        problems.add(node, field, f"expected a mapping, got {kind_of(node)}")
        return None
    entries = []
    seen: dict[str, int] = {}
    merged: list[yaml.Node] = []
    for key_node, value_node in node.value:
        if key_node.tag == MERGE_TAG:
            merged.extend(value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node])
            continue
        key = value_of(key_node) if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            problems.add(key_node, field, "keys must be plain names")
            continue
        label = f"{field}.{key}" if field else key
        if key in seen:
            problems.add(key_node, label, f"given twice (first on line {seen[key]})")
            continue
        seen[key] = line_of(key_node)
        entries.append((key, key_node, value_node))
    for source in merged:
        for key, key_node, value_node in mapping_entries(source, field, problems) or []:
            if key not in seen:
                seen[key] = line_of(key_node)
                entries.append((key, key_node, value_node))
    return entries


def unknown_key(key: str, known: Iterable[str]) -> str:
    """The message for an unknown key, suggesting the closest known one."""
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field{hint}"
