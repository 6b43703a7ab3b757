"""ruamel's node tree to plain data, with the position of every key and value and safety limits.

Owns how a YAML text becomes plain dicts, lists and scalars (YAML 1.2 core schema, as ruamel's
resolver types them) with ruamel's own line and column for every key and value, and the safety
rules applied on the way: tags are reported and ignored, duplicate keys are reported with both
lines, nesting stops at `MAX_DEPTH` (ruamel's ``max_depth``), an alias may only name a complete
value, and every value visited while expanding aliases is counted, so a "billion laughs" file
stops at `MAX_NODES` without the expanded structure ever being built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError, MaxDepthExceededError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from thermosim.config.document import Pos, YamlPath, dotted, file_error
from thermosim.errors import Problem, ScenarioError

MAX_DEPTH = 32
MAX_NODES = 100_000
_MAX_INT_BITS = 128

_CORE = "tag:yaml.org,2002:"
_NON_TEXT = {f"{_CORE}{name}" for name in ("null", "bool", "int", "float")}


@dataclass
class Parsed:
    """A parsed YAML text: its value (None when empty) and positions."""

    value: Any
    keys: dict[YamlPath, Pos]
    values: dict[YamlPath, Pos]
    problems: list[Problem]


@dataclass(frozen=True, slots=True)
class _Alias:
    """Where an alias was written, and the node it names (ruamel shares the node itself)."""

    target: Node
    line: int
    column: int


def _at(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _shown_tag(tag: Any) -> str:
    text = str(getattr(tag, "value", tag))
    return "!!" + text.removeprefix(_CORE) if text.startswith("tag:") else text


class _Composer(Composer):
    """ruamel's composer, also keeping where each alias was written and which tags were used."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.source = ""
        self.tags: list[tuple[tuple[int, int], str]] = []
        self.open_anchors: set[str] = set()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        at = _at(event.start_mark)
        if isinstance(event, AliasEvent):
            # ruamel registers an anchor when its value starts; a value that contains itself
            # could never be written out, so an anchor is usable only once complete.
            if event.anchor not in self.anchors or event.anchor in self.open_anchors:
                raise file_error(
                    self.source,
                    f"unknown alias '*{event.anchor}'",
                    *at,
                    hint=f"define '&{event.anchor}' on a complete value above this line",
                )
            return _Alias(super().compose_node(parent, index), *at)
        if event.ctag is not None and str(event.ctag) != "!":
            self.tags.append((at, _shown_tag(event.ctag)))
        anchor = event.anchor if isinstance(event, CollectionStartEvent) else None
        if anchor is not None:
            self.open_anchors.add(anchor)
        node = super().compose_node(parent, index)
        self.open_anchors.discard(anchor or "")
        return node


def scalar_value(node: ScalarNode) -> Any:
    """The plain value of a scalar node: null, bool, int or float as resolved, else its text."""
    tag, text = str(getattr(node.tag, "value", node.tag)), node.value
    if node.style is not None or tag not in _NON_TEXT:
        return text  # quoted text stays text; dates and times too (no field takes them)
    if tag.endswith("null"):
        return None
    if tag.endswith("bool"):
        return text.lower() == "true"
    digits = text.replace("_", "")
    if tag.endswith("float"):
        return float(digits.lower().replace(".inf", "inf").replace(".nan", "nan"))
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    base = {"0b": 2, "0x": 16, "0o": 8}.get(digits[:2].lower(), 10)
    try:
        value = int(digits[2:] if base != 10 else digits, base)
    except ValueError:
        return text  # more decimal digits than Python converts
    # No field takes a number this large, and one of thousands of digits could not even be
    # shown in the message: it stays text, which validation refuses as not a number.
    return sign * value if value.bit_length() <= _MAX_INT_BITS else text


class _Converter:
    """Node tree to plain data and positions, counting every value visited."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.keys: dict[YamlPath, Pos] = {}
        self.values: dict[YamlPath, Pos] = {}
        self.problems: list[Problem] = []
        self.visited = 0
        self.alias_at: tuple[int, int] | None = None  # the outermost alias being expanded

    def pos(self, at: tuple[int, int]) -> Pos:
        return Pos(self.source, *at)

    def refuse(self, message: str, at: tuple[int, int], hint: str) -> ScenarioError:
        return file_error(self.source, message, *at, hint=hint)

    def convert(self, node: Node | _Alias, path: YamlPath) -> Any:
        if not isinstance(node, _Alias):
            self.values[path] = self.pos(_at(node.start_mark))
            return self._body(node, path)
        self.values[path] = self.pos((node.line, node.column))
        outer = self.alias_at is None
        if outer:
            self.alias_at = (node.line, node.column)
        value = self._body(node.target, path)
        if outer:
            self.alias_at = None
        return value

    def _tick(self, node: Node, path: YamlPath) -> None:
        self.visited += 1
        if self.alias_at is not None and len(path) > MAX_DEPTH:
            raise self.refuse(
                f"aliases nest deeper than {MAX_DEPTH} levels",
                self.alias_at,
                "scenario files need a few levels; an alias inside the value it names?",
            )
        if self.visited <= MAX_NODES:
            return
        if self.alias_at is None:
            raise self.refuse(
                f"more than {MAX_NODES:,} values in one file",
                _at(node.start_mark),
                "a scenario needs a few hundred; this is not a scenario file",
            )
        raise self.refuse(
            f"aliases expand to more than {MAX_NODES:,} values",
            self.alias_at,
            "a scenario needs a few hundred; this looks like an alias bomb",
        )

    def _body(self, node: Node, path: YamlPath) -> Any:
        self._tick(node, path)
        if isinstance(node, ScalarNode):
            return scalar_value(node)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        out: dict[str, Any] = {}
        assert isinstance(node, MappingNode)  # the composer makes only these three kinds
        self._entries(node, path, out, {})
        return out

    def _entries(
        self,
        node: MappingNode,
        path: YamlPath,
        out: dict[str, Any],
        seen: dict[str, tuple[int, int]],
        merging: bool = False,
    ) -> None:
        merges: list[Node | _Alias] = []
        own: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key_node = key_node.target if isinstance(key_node, _Alias) else key_node
            at = _at(key_node.start_mark)
            if not isinstance(key_node, ScalarNode):
                message = "a key must be a name, not a list or mapping"
                self.problems.append(Problem(self.source, *at, "", message))
                continue
            key = key_node.value
            if merging:
                self._tick(key_node, path)  # merged pairs are work too, even when skipped
            if key == "<<" and key_node.style is None:
                merges.append(value_node)
                continue
            if key in own:
                message = f"duplicate key '{key}' (also at line {own[key][0]})"
                field = dotted((*path, key))
                hint = "keep only one of them"
                self.problems.append(Problem(self.source, *at, field, message, hint))
                continue
            own[key] = at
            if key in seen:
                continue  # merged in: the mapping's own key wins
            seen[key] = at
            self.keys[(*path, key)] = self.pos(at)
            out[key] = self.convert(value_node, (*path, key))
            empty = isinstance(value_node, ScalarNode) and value_node.value == ""
            if empty and value_node.style is None:
                # "key:" with nothing after it: the parser places the nothing further on.
                self.values[(*path, key)] = self.pos(at)
        for merge in merges:
            self._merge(merge, path, out, seen)

    def _merge(
        self, merge: Node | _Alias, path: YamlPath, out: dict[str, Any], seen: dict[str, Any]
    ) -> None:
        at = (merge.line, merge.column) if isinstance(merge, _Alias) else _at(merge.start_mark)
        outer = self.alias_at is None
        if outer:
            self.alias_at = at  # a merge is an expansion too: blame the '<<'
        target = merge.target if isinstance(merge, _Alias) else merge
        for item in target.value if isinstance(target, SequenceNode) else [target]:
            item = item.target if isinstance(item, _Alias) else item
            if not isinstance(item, MappingNode):
                message = "'<<' must be followed by a mapping or a list of mappings"
                self.problems.append(
                    Problem(self.source, *at, dotted(path), f"{message} (e.g. <<: *defaults)")
                )
                break
            self._entries(item, path, out, seen, merging=True)
        if outer:
            self.alias_at = None


def build(text: str, source: str) -> Parsed:
    """Plain data and positions of one YAML text.

    Raises
    ------
    ScenarioError
        For more than one document, nesting deeper than `MAX_DEPTH`, an unknown alias or an
        alias expansion beyond `MAX_NODES`. Tags and duplicate keys do not stop the reading;
        they are returned in ``problems``.
    ruamel.yaml.error.YAMLError
        For a syntax error (worded by the caller, `yaml_io.parse_yaml`).
    """
    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = _Composer
    yaml.max_depth = MAX_DEPTH
    composer: _Composer = yaml.composer
    composer.source = source
    try:
        root = yaml.compose(text)
    except MaxDepthExceededError as exc:
        hint = "scenario files need a few levels; check the indentation"
        at = _at(exc.problem_mark)
        raise file_error(source, f"nested deeper than {MAX_DEPTH} levels", *at, hint) from None
    except ComposerError as exc:
        if exc.problem != "but found another document" or exc.problem_mark is None:
            raise
        hint = "a scenario file holds one document; remove the second '---'"
        message = "more than one YAML document ('---') in the file"
        raise file_error(source, message, *_at(exc.problem_mark), hint) from None
    tags = [
        Problem(
            source,
            *at,
            "",
            f"tags like '{tag}' are not allowed in scenario files",
            "remove the tag; put the value in quotes if it is text",
        )
        for at, tag in composer.tags
    ]
    if root is None:
        return Parsed(None, {}, {}, tags)
    converter = _Converter(source)
    value = converter.convert(root, ())
    return Parsed(value, converter.keys, converter.values, tags + converter.problems)
