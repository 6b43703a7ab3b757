"""Where a validation error lands in a scenario file, and what the field there expects.

Owns the walk from a pydantic error location, which names the tags of discriminated unions
(``plant.sales.people.team_size``, ``shocks.0.lead_rate.factor``), to the path written in the
YAML (``plant.people.team_size``), the names allowed at each level (for "did you mean"), and a
field's expectation in words: its meaning, type, unit and range, or its allowed values.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from thermosim.config.document import YamlPath
from thermosim.config.scenario import Scenario

Shape = tuple[str, Any]  # ("model", cls) | ("union", {tag: cls}) | ("seq"|"map"|"leaf", type)


@dataclass(frozen=True)
class Spot:
    """A place in the scenario, reached from an error location.

    Attributes
    ----------
    path
        The path as written in the YAML (no union tags).
    model
        The model whose field (or unknown key) the last part of ``path`` is, if any.
    field
        The field declaration the last part names (None for unknown keys and list items).
    shape
        What is expected at ``path`` (see `shape_of`).
    container
        Name of the nearest field above (``shocks`` for ``shocks.0``), for wording.
    """

    path: YamlPath
    model: type[BaseModel] | None
    field: FieldInfo | None
    shape: Shape
    container: str


def shape_of(annotation: Any, discriminator: str | None = None) -> Shape:
    """What a type annotation expects: a model, a tagged union, a list, a mapping or a leaf."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        for item in meta:
            if isinstance(item, FieldInfo) and isinstance(item.discriminator, str):
                discriminator = item.discriminator
        return shape_of(base, discriminator)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if discriminator and models and len(models) == len(members):
            tags = {str(t): m for m in models for t in get_args(_field_type(m, discriminator))}
            return ("union", tags)
        if len(members) == 1:
            inner = shape_of(members[0], discriminator)
            # Keep "or null" visible for optional numbers; an optional section is the section.
            return inner if inner[0] != "leaf" else ("leaf", annotation)
        return ("leaf", annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("model", annotation)
    if origin in (tuple, list):
        return ("seq", get_args(annotation)[0])
    if origin is dict:
        return ("map", get_args(annotation)[1])
    return ("leaf", annotation)


def _field_type(model: type[BaseModel], name: str) -> Any:
    return model.model_fields[name].annotation


def _field_shape(info: FieldInfo) -> Shape:
    disc = info.discriminator if isinstance(info.discriminator, str) else None
    return shape_of(info.annotation, disc)


def locate(loc: tuple[str | int, ...], root: type[BaseModel] = Scenario) -> Spot:
    """The YAML path and expectations behind a pydantic error location."""
    path: list[str | int] = []
    model: type[BaseModel] | None = None
    info: FieldInfo | None = None
    container = ""
    shape: Shape = ("model", root)
    for part in loc:
        if isinstance(part, str) and part.startswith("function-"):
            continue  # a validator's frame, not a place in the file
        kind, payload = shape
        if kind == "union" and part in payload:
            shape = ("model", payload[part])  # the tag pydantic inserts: not in the YAML
            continue
        path.append(part)
        if kind == "model":
            model, info = payload, payload.model_fields.get(str(part))
            container = str(part)
            shape = _field_shape(info) if info is not None else ("leaf", None)
        elif kind in ("seq", "map"):
            model, info = None, None
            shape = shape_of(payload)
        else:
            model, info, shape = None, None, ("leaf", None)
    return Spot(tuple(path), model, info, shape, container)


def allowed_keys(model: type[BaseModel]) -> list[str]:
    """Keys a mapping of ``model`` may have, in declaration order."""
    return list(model.model_fields)


@cache
def field_homes(root: type[BaseModel] = Scenario) -> dict[str, tuple[str, ...]]:
    """Every field name and the places it is declared, for "it belongs elsewhere" hints.

    ``team_size`` -> ``plant.people``; ``setpoint_c`` -> ``plant (kind: thermostat)``.
    """
    # name -> place -> the union tags it needs there ("" = no condition), all tags of the union
    homes: dict[str, dict[str, tuple[list[str], tuple[str, ...]]]] = {}

    def visit(model: type[BaseModel], place: str, tag: str, all_tags: tuple[str, ...]) -> None:
        for name, info in model.model_fields.items():
            tags, _ = homes.setdefault(name, {}).setdefault(place, ([], all_tags))
            tags.append(tag)
            kind, payload = _field_shape(info)
            if kind == "seq":
                kind, payload = shape_of(payload)
                name = f"{name}.N"
            below = f"{place}.{name}" if place else name
            if kind == "model":
                visit(payload, below, "", ())
            elif kind == "union":
                for sub_tag, sub in payload.items():
                    visit(sub, below, sub_tag, tuple(payload))

    def words(place: str, tags: list[str], all_tags: tuple[str, ...]) -> str:
        shown = place or "the top level"
        if "" in tags or set(tags) >= set(all_tags):
            return shown
        kinds = sorted(set(tags), key=all_tags.index)
        listed = ", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else kinds[0]
        return f"{shown} (kind: {listed})"

    visit(root, "", "", ())
    return {
        name: tuple(words(place, *spec) for place, spec in sorted(places.items()))
        for name, places in homes.items()
    }


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def range_words(info: FieldInfo) -> str:
    """``from 4 to 1040``, ``above 0``, ``at most 1``... from the field's constraints."""
    low = high = ""
    for item in info.metadata:
        if isinstance(item, at.Ge):
            low = f"from {_number(item.ge)}"  # type: ignore[arg-type]
        elif isinstance(item, at.Gt):
            low = f"above {_number(item.gt)}"  # type: ignore[arg-type]
        elif isinstance(item, at.Le):
            high = f"{_number(item.le)}"  # type: ignore[arg-type]
        elif isinstance(item, at.Lt):
            high = f"below {_number(item.lt)}"  # type: ignore[arg-type]
    if low and high:
        joiner = " to " if low.startswith("from") and not high.startswith("below") else ", up to "
        return low + joiner + high
    if low:
        return "at least " + low.removeprefix("from ") if low.startswith("from") else low
    return f"at most {high}" if high and not high.startswith("below") else high


def summary(info: FieldInfo | None) -> str:
    """The start of a field's description: what it is, without sources and examples."""
    text = (info.description or "") if info is not None else ""
    if text.startswith("For ") and ": " in text:
        text = text.split(": ", 1)[1]  # "For kind raised: multiple of ..." -> the meaning
    for stop in (" (", ". ", "; ", ": "):
        text = text.split(stop, 1)[0]
    text = text.rstrip(".")
    words = text.split()
    # "Weeks simulated" reads as part of the sentence; "Monte Carlo ..." keeps its capitals.
    if words and words[0][1:].islower() and not (len(words) > 1 and words[1][:1].isupper()):
        text = text[0].lower() + text[1:]
    return text


def literal_values(shape: Shape) -> list[str]:
    """Allowed values of a Literal leaf, optional or not (empty for anything else)."""
    kind, payload = shape
    if kind != "leaf":
        return []
    origin: Any = get_origin(payload)
    optional = origin in (Union, types.UnionType)
    choices = get_args(payload) if optional else (payload,)
    return [str(v) for c in choices if get_origin(c) is Literal for v in get_args(c)]


def type_words(shape: Shape) -> str:
    """``a whole number``, ``a number``, ``true or false``, ``text``, ``a list``, ``a mapping``."""
    kind, payload = shape
    if kind in ("model", "union", "map"):
        return "a mapping (key: value lines)"
    if kind == "seq":
        return "a list"
    origin: Any = get_origin(payload)
    args = get_args(payload) if origin in (Union, types.UnionType) else (payload,)
    words = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
    found = [words[a] for a in args if a in words]
    if type(None) in args:
        found.append("null")
    return " or ".join(found) or "a value"


def expectation(spot: Spot) -> str:
    """What the field at ``spot`` expects, in words; empty when nothing useful can be said.

    ``weeks simulated: a whole number from 4 to 1040``; ``one of fixed, raised, eroding``.
    """
    values = literal_values(spot.shape)
    if values:
        return "one of " + ", ".join(values)
    words = type_words(spot.shape)
    base = words.removesuffix(" or null")
    if base not in ("a whole number", "a number"):
        return ""
    bounds = range_words(spot.field) if spot.field is not None else ""
    text = f"{base} {bounds}" if bounds else base
    if base != words:
        text += ", or null"
    what = summary(spot.field)
    if not what and not bounds:
        return ""  # "a number" alone repeats the message
    return f"{what}: {text}" if what else text
