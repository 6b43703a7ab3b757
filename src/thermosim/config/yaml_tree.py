"""Parser events to plain data: the node tree, aliases, merge keys and positions.

Owns how YAML events become plain dicts, lists and scalars (YAML 1.2 core schema) with the
position of every key and value, and the safety rules applied on the way: tags are reported and
ignored, duplicate keys are reported with both lines, nesting is limited to `MAX_DEPTH`, and
every value visited while expanding aliases is counted, so a "billion laughs" file stops at
`MAX_NODES` without the expanded structure ever being built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import events as ev

from thermosim.config.document import Pos, YamlPath, dotted, file_error
from thermosim.errors import Problem

MAX_DEPTH = 32
MAX_NODES = 100_000

_INT = re.compile(r"[-+]?(?:0b[0-1_]+|0o?[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+)")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


@dataclass
class Parsed:
    """A parsed YAML text: its value (None when empty) and positions."""

    value: Any
    keys: dict[YamlPath, Pos]
    values: dict[YamlPath, Pos]
    problems: list[Problem]


# --- events -> a small node tree (aliases shared, nothing expanded) -----------------------------


@dataclass(slots=True)
class _Scalar:
    value: Any
    text: str
    pos: tuple[int, int]
    plain: bool  # unquoted: only a plain "<<" is a merge key


@dataclass(slots=True)
class _Seq:
    pos: tuple[int, int]
    items: list[Any] = field(default_factory=list)


@dataclass(slots=True)
class _Map:
    pos: tuple[int, int]
    pairs: list[tuple[Any, Any]] = field(default_factory=list)
    key: Any = None  # a key waiting for its value


@dataclass(slots=True)
class _Alias:
    target: Any
    pos: tuple[int, int]


def scalar_value(text: str, plain: bool) -> Any:
    """A YAML 1.2 core-schema scalar: null, bool, int, float or str (quoted text stays str)."""
    if not plain:
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    try:
        if _INT.fullmatch(text):
            digits = text.replace("_", "")
            sign = -1 if digits.startswith("-") else 1
            digits = digits.lstrip("+-")
            for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
                if digits.startswith(prefix):
                    return sign * int(digits[2:], base)
            return sign * int(digits)
        if _FLOAT.fullmatch(text):
            return float(
                text.replace("_", "").lower().replace(".inf", "inf").replace(".nan", "nan")
            )
    except ValueError:
        pass  # e.g. a lone "_" or more digits than Python converts: leave it as text
    return text


def _shown_tag(tag: Any) -> str:
    text = str(getattr(tag, "value", tag))
    return "!!" + text.removeprefix("tag:yaml.org,2002:") if text.startswith("tag:") else text


class _Builder:
    """Turns parser events into a node tree, collecting problems that do not stop the reading."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.stack: list[_Seq | _Map] = []
        self.stack_anchors: list[str | None] = []
        self.anchors: dict[str, Any] = {}
        self.root: Any = None
        self.documents = 0
        self.problems: list[Problem] = []

    def feed(self, event: Any) -> None:
        pos = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, ev.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise file_error(
                    self.source,
                    "more than one YAML document ('---') in the file",
                    pos[0],
                    pos[1],
                    hint="a scenario file holds one document; remove the second '---'",
                )
        elif isinstance(event, ev.AliasEvent):
            if event.anchor not in self.anchors:
                # Also the case for an alias inside its own anchor: an anchor becomes usable
                # when its value is complete, so no structure can contain itself.
                raise file_error(
                    self.source,
                    f"unknown alias '*{event.anchor}'",
                    pos[0],
                    pos[1],
                    hint=f"define '&{event.anchor}' on a complete value above this line",
                )
            self._add(_Alias(self.anchors[event.anchor], pos))
        elif isinstance(event, ev.NodeEvent):
            tag = getattr(event, "tag", None)
            if tag is not None:
                self.problems.append(
                    Problem(
                        self.source,
                        pos[0],
                        pos[1],
                        "",
                        f"tags like '{_shown_tag(tag)}' are not allowed in scenario files",
                        "remove the tag; put the value in quotes if it is text",
                    )
                )
            if isinstance(event, ev.ScalarEvent):
                plain = event.style is None
                node = _Scalar(scalar_value(event.value, plain), event.value, pos, plain)
                self._complete(node, event.anchor)
            elif isinstance(event, ev.CollectionStartEvent):
                if len(self.stack) >= MAX_DEPTH:
                    raise file_error(
                        self.source,
                        f"nested deeper than {MAX_DEPTH} levels",
                        pos[0],
                        pos[1],
                        hint="scenario files need a few levels; check the indentation",
                    )
                is_map = isinstance(event, ev.MappingStartEvent)
                self.stack.append(_Map(pos) if is_map else _Seq(pos))
                self.stack_anchors.append(event.anchor)
        elif isinstance(event, ev.CollectionEndEvent):
            self._complete(self.stack.pop(), self.stack_anchors.pop())

    def _complete(self, node: Any, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = node
        self._add(node)

    def _add(self, node: Any) -> None:
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        if isinstance(top, _Seq):
            top.items.append(node)
        elif top.key is None:
            top.key = node
        else:
            top.pairs.append((top.key, node))
            top.key = None


# --- node tree -> plain data and positions, counting every value visited ------------------------


class _Converter:
    def __init__(self, source: str) -> None:
        self.source = source
        self.keys: dict[YamlPath, Pos] = {}
        self.values: dict[YamlPath, Pos] = {}
        self.problems: list[Problem] = []
        self.visited = 0
        self.alias_at: tuple[int, int] | None = None  # the outermost alias being expanded

    def pos(self, at: tuple[int, int]) -> Pos:
        return Pos(self.source, at[0], at[1])

    def convert(self, node: Any, path: YamlPath) -> Any:
        self.values[path] = self.pos(node.pos)
        if isinstance(node, _Alias):
            outer = self.alias_at is None
            if outer:
                self.alias_at = node.pos
            value = self._body(node.target, path)
            if outer:
                self.alias_at = None
            return value
        return self._body(node, path)

    def _tick(self, here: tuple[int, int]) -> None:
        self.visited += 1
        if self.visited > MAX_NODES:
            if self.alias_at is None:
                raise file_error(
                    self.source,
                    f"more than {MAX_NODES:,} values in one file",
                    here[0],
                    here[1],
                    hint="a scenario needs a few hundred; this is not a scenario file",
                )
            raise file_error(
                self.source,
                f"aliases expand to more than {MAX_NODES:,} values",
                self.alias_at[0],
                self.alias_at[1],
                hint="a scenario needs a few hundred; this looks like an alias bomb",
            )

    def _body(self, node: Any, path: YamlPath) -> Any:
        self._tick(node.pos)
        if isinstance(node, _Scalar):
            return node.value
        if isinstance(node, _Seq):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.items)]
        out: dict[str, Any] = {}
        self._entries(node, path, out, {})
        return out

    def _entries(
        self,
        node: _Map,
        path: YamlPath,
        out: dict[str, Any],
        seen: dict[str, tuple[int, int]],
        merging: bool = False,
    ) -> None:
        merges: list[Any] = []
        own: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.pairs:
            key_node = key_node.target if isinstance(key_node, _Alias) else key_node
            if not isinstance(key_node, _Scalar):
                self.problems.append(
                    Problem(
                        self.source,
                        key_node.pos[0],
                        key_node.pos[1],
                        "",
                        "a key must be a name, not a list or mapping",
                    )
                )
                continue
            key = key_node.text
            if merging:
                self._tick(key_node.pos)  # merged pairs are work too, even when skipped
            if key == "<<" and key_node.plain:
                merges.append(value_node)
                continue
            if key in own:
                first = own[key][0]
                self.problems.append(
                    Problem(
                        self.source,
                        key_node.pos[0],
                        key_node.pos[1],
                        dotted((*path, key)),
                        f"duplicate key '{key}' (also at line {first})",
                        "keep only one of them",
                    )
                )
                continue
            own[key] = key_node.pos
            if key in seen:
                continue  # merged in: the mapping's own key wins
            seen[key] = key_node.pos
            self.keys[(*path, key)] = self.pos(key_node.pos)
            out[key] = self.convert(value_node, (*path, key))
            if isinstance(value_node, _Scalar) and value_node.plain and value_node.text == "":
                # "key:" with nothing after it: the parser places the nothing on the next line.
                self.values[(*path, key)] = self.pos(key_node.pos)
        for merge in merges:
            outer = self.alias_at is None
            if outer:
                self.alias_at = merge.pos  # a merge is an expansion too: blame the '<<'
            target = merge.target if isinstance(merge, _Alias) else merge
            sources = target.items if isinstance(target, _Seq) else [target]
            for item in sources:
                item = item.target if isinstance(item, _Alias) else item
                if not isinstance(item, _Map):
                    self.problems.append(
                        Problem(
                            self.source,
                            merge.pos[0],
                            merge.pos[1],
                            dotted(path),
                            "'<<' must be followed by a mapping or a list "
                            "of mappings (e.g. <<: *defaults)",
                        )
                    )
                    break
                self._entries(item, path, out, seen, merging=True)
            if outer:
                self.alias_at = None


def build(events: Iterable[Any], source: str) -> Parsed:
    """Plain data and positions from the parser ``events`` of one YAML text.

    Raises
    ------
    ScenarioError
        For more than one document, nesting deeper than `MAX_DEPTH`, an unknown alias or an
        alias expansion beyond `MAX_NODES`. Tags and duplicate keys do not stop the reading;
        they are returned in ``problems``.
    """
    builder = _Builder(source)
    for event in events:
        builder.feed(event)
    if builder.root is None:
        return Parsed(None, {}, {}, builder.problems)
    converter = _Converter(source)
    value = converter.convert(builder.root, ())
    return Parsed(value, converter.keys, converter.values, builder.problems + converter.problems)
