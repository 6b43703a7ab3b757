"""Command-line overrides: ``--set KEY=VALUE`` applied to a resolved scenario.

Owns the override syntax (a dotted path with list indices, ``variants.1.policy.gain``; a value
read as a safe YAML scalar or flow list, ``0.3``, ``true``, ``null``, ``[a, b]``), applying it
after ``extends`` so that any later problem points at the override, and the messages for paths
that do not exist (``no variant 5 (there are 2)``).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from thermosim.config.document import Document, Pos, YamlPath, dotted
from thermosim.config.fields import locate
from thermosim.config.yaml_io import parse_yaml
from thermosim.errors import Problem, ScenarioError


class _OverrideError(Exception):
    """An override that cannot be applied; carries the message for the trainer."""


def parse_value(text: str, source: str) -> Any:
    """The value of an override: a YAML scalar or flow collection; other text stays text.

    ``0.3`` is a number, ``true`` a boolean, ``null`` nothing and ``[a, b]`` a list, as in a
    scenario file. Other text is taken as written (``Losing: a key account``, ``Team #1``), so
    titles need no quotes on the command line; quotes make a number text (``'42'``).
    """
    flow = text.strip().startswith(("[", "{"))
    try:
        parsed = parse_yaml(text, source)
    except ScenarioError as exc:
        if flow or text.strip().startswith("!"):
            raise _OverrideError(exc.issues[0].message) from None
        return text
    if parsed.problems:
        raise _OverrideError(parsed.problems[0].message)
    if isinstance(parsed.value, dict | list) and not flow:
        return text
    if isinstance(parsed.value, str) and not text.strip().startswith(("'", '"')):
        return text.strip()  # plain text as typed: YAML would cut "Team #1" at the '#'
    return parsed.value


def _noun(container: str) -> str:
    return container.removesuffix("s") if container.endswith("s") else "item"


def _names(items: list[Any]) -> str:
    named = [
        f"{i} is '{item['name']}'"
        for i, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    ]
    return "; ".join(named)


def _index(node: list[Any], part: str, path: list[str | int]) -> int:
    container = str(path[-1]) if path else "list"
    if not part.isdigit():
        names = _names(node)
        hint = f" ({names})" if names else ""
        raise _OverrideError(
            f"{dotted(path)} is a list: use the number of the {_noun(container)}, "
            f"e.g. {dotted(path)}.0{hint}"
        )
    index = int(part)
    if index >= len(node):
        counted = f"there are {len(node)}, numbered from 0" if node else "the list is empty"
        raise _OverrideError(f"no {_noun(container)} {index} ({counted})")
    return index


def _default_tag(path: YamlPath) -> dict[str, Any]:
    """A new mapping for ``path``; for a section with kinds (``plant``), the default kind.

    ``--set plant.people.team_size=7`` on a file without ``plant:`` changes the default plant,
    which is a sales plant; without its kind the mapping would be a plant of no kind at all.
    """
    spot = locate(path)
    if spot.shape != "union" or not isinstance(spot.default, dict):
        return {}
    key = spot.body["discriminator"]["propertyName"]
    return {key: spot.default[key]} if key in spot.default else {}


def _set(data: dict[str, Any], parts: list[str], value: Any) -> tuple[YamlPath, list[YamlPath]]:
    """Set ``value`` at ``parts``; return the path set and the mappings created on the way."""
    node: Any = data
    path: list[str | int] = []
    created: list[YamlPath] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        step: str | int = _index(node, part, path) if isinstance(node, list) else part
        if last:
            node[step] = value
            path.append(step)
            break
        child = node.get(step) if isinstance(node, dict) else node[step]
        path.append(step)
        if child is None:
            child = node[step] = _default_tag(tuple(path))
            created.append(tuple(path))
        elif not isinstance(child, dict | list):
            rest = ".".join(parts[depth + 1 :])
            raise _OverrideError(f"{dotted(path)} is {child!r}, not a mapping: it has no {rest}")
        node = child
    return tuple(path), created


def apply_overrides(doc: Document, overrides: Sequence[str]) -> Document:
    """A copy of ``doc`` with every override applied, in order.

    An override that cannot be applied becomes a problem of the document (reported with the
    validation problems); values are checked by validation like the file's own.
    """
    if not overrides:
        return doc
    out = Document(
        copy.deepcopy(doc.data),
        doc.source,
        dict(doc.keys),
        dict(doc.values),
        list(doc.problems),
        list(doc.sources),
    )
    for text in overrides:
        source = f"--set {text}"
        out.sources.append(source)
        key, sep, raw = text.partition("=")
        parts = key.strip().split(".")
        try:
            if not sep or not key.strip():
                raise _OverrideError(
                    "expected KEY=VALUE, e.g. horizon_weeks=52 or shocks.0.week=30"
                )
            if "" in parts:
                raise _OverrideError(
                    f"'{key}' has an empty part: write names joined by single dots"
                )
            path, created = _set(out.data, parts, parse_value(raw, source))
        except _OverrideError as exc:
            out.problems.append(Problem(source, None, None, "", str(exc)))
            continue
        here = Pos(source, 0, 0)  # line 0: problems show the override itself
        for table in (out.keys, out.values):
            for stale in [p for p in table if p[: len(path)] == path]:
                del table[stale]
            for place in (*created, path):
                table[place] = here
    return out
