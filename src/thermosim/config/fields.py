"""Every place in a scenario file as a reader sees it, read from the models' JSON Schema.

Owns the one walk over the structure of a scenario: from a pydantic error location, which names
the tags of discriminated unions (``plant.sales.people.team_size``, ``shocks.0.lead_rate.factor``),
or from a path as written in YAML (``plant.people.team_size``) to a `Spot` that says what is
expected there: description, unit, type and range in words, allowed values, default, and the keys
below it in reading order. The JSON Schema file, the reference doc, the comments of
``thermosim show``, the hints of validation messages and ``--set`` all read the fields here, so
they say the same words about every field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from thermosim.config.base import Loc
from thermosim.config.scenario import Scenario

# Keys that say what an item is come first, so a reader (and an editor's completion) meets the
# discriminator or the name before the details; everything else keeps its declaration order.
LEADING_KEYS = ("kind", "name", "preset")
NO_UNIT = "-"

# Units by the naming rule of architecture.md (units in names), for fields without their own
# ``unit``; the first suffix that matches wins, and a bare ``weeks`` or ``week`` counts.
_UNITS_BY_SUFFIX: tuple[tuple[str, str], ...] = (
    ("_eur_per_week", "EUR/week"),
    ("_hours_per_week", "hours/week"),
    ("_per_year", "fraction/year"),
    ("_weeks", "weeks"),
    ("_week", "week number"),
    ("_eur", "EUR"),
    ("_c", "degC"),
    ("_share", "fraction of contracted hours"),
    ("_probability", "probability (0-1)"),
)
_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "string": "text",
}


@cache
def scenario_schema() -> dict[str, Any]:
    """The JSON Schema pydantic makes of `Scenario`, computed once; callers copy before changing."""
    return Scenario.model_json_schema(mode="validation")


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with its ``$ref`` followed; the node's own keys (description, default) win."""
    while "$ref" in node:
        target = scenario_schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _one_line(text: str) -> str:
    """The first paragraph of a docstring or description, on one line."""
    return " ".join(text.strip().split("\n\n")[0].split())


def number_text(value: float) -> str:
    """A bound as a trainer would type it (no exponent, no trailing .0)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True, eq=False)
class Spot:
    """A place in a scenario file and what the schema expects there.

    Attributes
    ----------
    path
        The path as written in the YAML (no union tags).
    node
        The schema of the value at ``path`` as the field declares it (``None``: no such key).
    owner
        Schema of the section whose key ``path[-1]`` is (``None`` for list items and the root).
    model
        Name of that section's model (``""`` when there is none).
    container
        The nearest key at or above ``path``: ``shocks`` for ``shocks.0``, for wording.
    """

    path: Loc = ()
    node: dict[str, Any] | None = field(default_factory=scenario_schema)
    owner: dict[str, Any] | None = None
    model: str = ""
    container: str = ""

    # --- what the place is --------------------------------------------------------------------

    @property
    def body(self) -> dict[str, Any]:
        """The schema with its ``$ref`` followed (empty for an unknown key)."""
        return _resolve(self.node) if self.node is not None else {}

    @property
    def options(self) -> list[dict[str, Any]]:
        """The alternatives a value may take, ``null`` left out (one for most fields)."""
        body = self.body
        members = body.get("anyOf") or body.get("oneOf") or [body]
        return [_resolve(m) for m in members if m.get("type") != "null"]

    @property
    def nullable(self) -> bool:
        """Whether ``null`` is allowed."""
        return any(m.get("type") == "null" for m in self.body.get("anyOf", []))

    @property
    def shape(self) -> str:
        """``model``, ``union`` (chosen by ``kind``), ``seq``, ``map``, ``leaf`` or ``unknown``."""
        body = self.body
        if not body:
            return "unknown"
        if "discriminator" in body:
            return "union"
        options = self.options
        if len(options) == 1 and "properties" in options[0]:
            return "model"
        if len(options) == 1 and options[0].get("type") == "array":
            return "seq"
        if len(options) == 1 and isinstance(options[0].get("additionalProperties"), dict):
            return "map"
        return "leaf"

    @property
    def kinds(self) -> dict[str, Spot]:
        """For a union: each ``kind`` and the section it chooses, in declaration order."""
        if self.shape != "union":
            return {}
        found = {}
        for option in self.options:
            tag = option["properties"][self.body["discriminator"]["propertyName"]]["const"]
            found[str(tag)] = Spot(self.path, option, self.owner, self.model, self.container)
        return found

    @property
    def item(self) -> Spot:
        """What a list holds, or the values of a mapping (an unknown spot for anything else)."""
        option = self.options[0] if self.shape in ("seq", "map") else {}
        below = option.get("items", option.get("additionalProperties"))
        return Spot(self.path, below, None, "", self.container)

    @property
    def models(self) -> list[str]:
        """Names of the models of the sections held here: one, one per kind, or its items'."""
        if self.shape == "model":
            return [self.options[0]["title"]]
        if self.shape == "union":
            return [kind.options[0]["title"] for kind in self.kinds.values()]
        if self.shape == "seq":
            return self.item.models
        return []

    # --- keys below it ------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """Keys a mapping here may have, in declaration order (empty unless a section)."""
        options = self.options if self.shape == "model" else []
        return list(options[0]["properties"]) if options else []

    @property
    def siblings(self) -> list[str]:
        """Keys allowed next to this one: its section's keys in declaration order."""
        return list(self.owner["properties"]) if self.owner is not None else []

    def child(self, part: str | int) -> Spot:
        """The place one step below: a key of a section, or an item of a list or mapping."""
        path = (*self.path, part)
        if self.shape in ("seq", "map"):
            return Spot(path, self.item.node, None, "", self.container)
        if self.shape != "model":
            return Spot(path, None, None, "", str(part))
        body = self.options[0]
        return Spot(path, body["properties"].get(str(part)), body, body["title"], str(part))

    def fields(self) -> list[Spot]:
        """The fields of a section: identifying keys (kind, name, preset) first, then in order."""
        keys = sorted(self.keys, key=lambda k: LEADING_KEYS.index(k) if k in LEADING_KEYS else 9)
        return [self.child(key) for key in keys]

    # --- what a reader is told ----------------------------------------------------------------

    @property
    def name(self) -> str:
        """The key at this place (empty for list items and the root)."""
        return str(self.path[-1]) if self.owner is not None else ""

    @property
    def required(self) -> bool:
        """Whether a complete scenario must give this key."""
        return self.owner is not None and self.name in self.owner.get("required", ())

    @property
    def default(self) -> Any:
        """The default as JSON data (``None`` when there is none or it is ``null``)."""
        return (self.node or {}).get("default")

    @property
    def own_description(self) -> str:
        """The field's own description (empty for a section described by its model)."""
        return str((self.node or {}).get("description", ""))

    @property
    def description(self) -> str:
        """What the field means: its description, else the model it holds, else its kind."""
        text = self.own_description or self.body.get("description", "")
        if not text and self.name == "kind" and self.owner is not None:
            text = f"{self.choices[0]}: {_one_line(self.owner.get('description', ''))}"
        if not text:
            raise LookupError(f"{self.model}.{self.name} has no description")
        return _one_line(text)

    @property
    def noun(self) -> str:
        """What one value is called in messages (``lever``, ``preset``), if the field says so."""
        return next((str(m["noun"]) for m in self.options if "noun" in m), "")

    @property
    def choices(self) -> list[str]:
        """The values allowed here (a Literal: enum or const), optional or not; empty = any."""
        found: list[str] = []
        for option in self.options:
            found += [str(v) for v in option.get("enum", [])]
            found += [str(option["const"])] if "const" in option else []
        return found

    def _textual(self) -> bool:
        """Text, switches, choices and lists of them: values without a unit."""
        if self.shape == "seq":
            return self.item._textual()
        return all(m.get("type") in ("string", "boolean") for m in self.options)

    @property
    def unit(self) -> str:
        """The field's own ``unit``, ``-`` for sections and text, else the one its name carries."""
        if self.models:
            return NO_UNIT
        if "unit" in (self.node or {}):
            return str((self.node or {})["unit"])
        if self._textual():
            return NO_UNIT
        for suffix, suffix_unit in _UNITS_BY_SUFFIX:
            if self.name.endswith(suffix) or self.name == suffix.removeprefix("_"):
                return suffix_unit
        # A new numeric field must say its unit rather than be documented without one.
        raise LookupError(
            f"no unit known for {self.model}.{self.name}: give it json_schema_extra=unit(...)"
        )

    @property
    def type_words(self) -> str:
        """The type in a message: ``a whole number``, ``true or false``, ``text``, ``a list``..."""
        if self.shape in ("model", "union", "map"):
            return "a mapping (key: value lines)"
        if self.shape == "seq":
            return "a list"
        found = [_TYPE_WORDS[m["type"]] for m in self.options if m.get("type") in _TYPE_WORDS]
        return " or ".join(found + (["null"] if self.nullable else [])) or "a value"

    def range_words(self, *, table: bool = False) -> str:
        """The allowed numbers: ``from 4 to 1040``, ``above 0, up to 80``, ``at least 0``.

        With ``table`` as in a column headed "range": ``4 to 1040``, ``0 or more``, ``up to 1``.
        """
        keys = ("minimum", "exclusiveMinimum", "maximum")
        bounds = {k: number_text(m[k]) for m in self.options for k in keys if k in m}
        low, above, high = (bounds.get(k) for k in keys)
        if above is not None:
            return f"above {above}, up to {high}" if high is not None else f"above {above}"
        if low is not None and high is not None:
            return f"{low} to {high}" if table else f"from {low} to {high}"
        if low is not None:
            return f"{low} or more" if table else f"at least {low}"
        if high is not None:
            return f"up to {high}" if table else f"at most {high}"
        return ""

    @property
    def lengths(self) -> str:
        """How long a text or list may be: ``1 to 80 characters``, ``0 to 50 items``."""
        for option in self.options:
            for kind, noun in (("Length", "characters"), ("Items", "items")):
                if f"max{kind}" in option:
                    return f"{option.get(f'min{kind}', 0)} to {option[f'max{kind}']} {noun}"
        return ""


def locate(parts: Loc) -> Spot:
    """The place behind a pydantic error location or a YAML path (union tags are skipped)."""
    spot = Spot()
    for part in parts:
        if isinstance(part, str) and part.startswith("function-"):
            continue  # a validator's frame, not a place in the file
        kinds = spot.kinds
        if isinstance(part, str) and part in kinds:
            spot = kinds[part]  # the tag pydantic inserts: not in the YAML
            continue
        spot = spot.child(part)
    return spot


def section(model: str) -> Spot:
    """The section of the model called ``model`` (``Scenario`` is the root), for its fields."""
    if model == "Scenario":
        return Spot()
    return Spot(node={"$ref": f"#/$defs/{model}"})


def all_sections() -> Iterator[Spot]:
    """Every section a scenario can hold (as `section` gives it), each once, depth first."""
    seen: set[str] = set()

    def visit(model: str) -> Iterator[Spot]:
        if model in seen:
            return
        seen.add(model)
        yield section(model)
        for child in section(model).fields():
            for nested in child.models:
                yield from visit(nested)

    yield from visit("Scenario")


@cache
def field_homes() -> dict[str, tuple[str, ...]]:
    """Every key and the places it is declared, for "it belongs elsewhere" hints.

    ``team_size`` -> ``plant.people``; ``setpoint_c`` -> ``plant (kind: thermostat)``.
    """
    # key -> place -> (the union kinds it needs there, "" = none; all kinds of that union)
    homes: dict[str, dict[str, tuple[list[str], tuple[str, ...]]]] = {}

    def visit(spot: Spot, place: str, tag: str, all_tags: tuple[str, ...]) -> None:
        for key in spot.keys:
            homes.setdefault(key, {}).setdefault(place, ([], all_tags))[0].append(tag)
            below, name = spot.child(key), key
            if below.shape == "seq":
                below, name = below.item, f"{key}.N"
            where = f"{place}.{name}" if place else name
            if below.shape == "model":
                visit(below, where, "", ())
            for sub_tag, sub in below.kinds.items():
                visit(sub, where, sub_tag, tuple(below.kinds))

    def words(place: str, tags: list[str], all_tags: tuple[str, ...]) -> str:
        shown = place or "the top level"
        if "" in tags or set(tags) >= set(all_tags):
            return shown
        kinds = sorted(set(tags), key=all_tags.index)
        listed = ", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else kinds[0]
        return f"{shown} (kind: {listed})"

    visit(Spot(), "", "", ())
    return {
        key: tuple(words(place, *spec) for place, spec in sorted(places.items()))
        for key, places in homes.items()
    }
