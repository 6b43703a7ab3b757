"""Scenario data together with where each part of it was written.

Owns the `Document` (plain data plus the file, line and column of every key and value), the
``extends`` merge that keeps each field pointing at the file it came from, and finding the best
position for a field path that has none of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from thermosim.config.scenario import deep_merge
from thermosim.errors import Problem, ScenarioError

YamlPath = tuple[str | int, ...]


class Pos(NamedTuple):
    """Where something was written: 1-based line and column; line 0 for an override."""

    source: str
    line: int
    column: int


@dataclass
class Document:
    """Plain scenario data with positions.

    Attributes
    ----------
    data
        The mapping as plain dicts, lists and scalars.
    source
        The file the user named (or the shipped file), as shown in messages.
    keys, values
        Position of the key and of the value at each path (the root's value at ``()``).
    problems
        Problems found while reading that do not stop the reading (duplicate keys, tags), so
        that they are reported together with the validation problems.
    sources
        Every source the data came from, in the order problems are reported: this file, then
        its bases, then overrides.
    """

    data: dict[str, Any]
    source: str
    keys: dict[YamlPath, Pos] = field(default_factory=dict)
    values: dict[YamlPath, Pos] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def position(self, path: YamlPath, *, key: bool = False) -> Pos | None:
        """Best position for ``path``: its key (if asked) or value, else the nearest ancestor.

        A field filled in by a preset or a default has no position of its own; the enclosing
        mapping is the closest place the user can act on.
        """
        own = (self.keys, self.values) if key else (self.values, self.keys)
        for table in own:
            if path in table:
                return table[path]
        for n in range(len(path) - 1, -1, -1):
            ancestor = path[:n]
            pos = self.keys.get(ancestor) or self.values.get(ancestor)
            if pos is not None:
                return pos
        return None

    def problem(
        self, path: YamlPath, message: str, hint: str = "", *, key: bool = False
    ) -> Problem:
        """A Problem at ``path``, located with `position`."""
        pos = self.position(path, key=key)
        return located(pos, self.source, dotted(path), message, hint)


def dotted(path: Iterable[str | int]) -> str:
    """``('variants', 0, 'policy')`` -> ``variants.0.policy``."""
    return ".".join(str(part) for part in path)


def located(pos: Pos | None, source: str, field: str, message: str, hint: str = "") -> Problem:
    """A Problem at ``pos`` (overrides and unknown places have no line)."""
    if pos is None:
        return Problem(source, None, None, field, message, hint)
    if pos.line == 0:
        return Problem(pos.source, None, None, field, message, hint)
    return Problem(pos.source, pos.line, pos.column, field, message, hint)


def scenario_error(
    source: str, problems: list[Problem], order: list[str] | None = None
) -> ScenarioError:
    """One ScenarioError for all ``problems``, ordered by source (as in ``order``) and line."""
    rank = {s: i for i, s in enumerate(order or [])}
    ordered = sorted(
        problems,
        key=lambda p: (rank.get(p.source, len(rank)), p.line or 0, p.column or 0),
    )
    count = len(ordered)
    return ScenarioError(f"{source}: {count} problem{'s' if count != 1 else ''}", ordered, source)


def file_error(
    source: str, message: str, line: int | None = None, column: int | None = None, hint: str = ""
) -> ScenarioError:
    """A ScenarioError for one problem with a whole file (no field): unreadable, not YAML."""
    return scenario_error(source, [Problem(source, line, column, "", message, hint)])


def merge(base: Document, child: Document) -> Document:
    """``child`` extends ``base``: mappings merge, anything else (lists too) is replaced.

    Every key and value keeps the position of the file it comes from, so a mistake in an
    inherited field points at the base file.
    """
    data = deep_merge(base.data, child.data)
    merged = Document(
        data,
        child.source,
        problems=[*child.problems, *base.problems],
        sources=[*child.sources, *(s for s in base.sources if s not in child.sources)],
    )
    _copy_positions(data, (), base.data, child.data, base, child, merged)
    return merged


_ABSENT = object()


def _copy_positions(
    node: Any,
    path: YamlPath,
    in_base: Any,
    in_child: Any,
    base: Document,
    child: Document,
    out: Document,
) -> None:
    # Walks the merged data once: a subtree present in only one file takes that file's
    # positions; a mapping present in both is walked further, key by key.
    owner = child if in_child is not _ABSENT else base
    for table, into in ((owner.keys, out.keys), (owner.values, out.values)):
        if path in table:
            into[path] = table[path]
    both = isinstance(in_base, dict) and isinstance(in_child, dict)
    if isinstance(node, dict):
        for key, value in node.items():
            sub_base = in_base.get(key, _ABSENT) if isinstance(in_base, dict) else _ABSENT
            sub_child = in_child.get(key, _ABSENT) if isinstance(in_child, dict) else _ABSENT
            if not both:
                # Only one owner below here: the other side is no longer relevant.
                sub_base = _ABSENT if owner is child else sub_base
                sub_child = _ABSENT if owner is base else sub_child
            _copy_positions(value, (*path, key), sub_base, sub_child, base, child, out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            sub_base = _ABSENT if owner is child else in_base[index]
            sub_child = _ABSENT if owner is base else in_child[index]
            _copy_positions(value, (*path, index), sub_base, sub_child, base, child, out)
