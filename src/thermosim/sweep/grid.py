"""The grid of a sweep: what ``--vary`` means, which cells it makes, and each cell's seed.

Owns the syntax of ``--vary PATH=VALUES`` (a list ``1,2,4,8`` or a range ``0.05..0.4:8``; a
``*`` in PATH stands for every item of a list, ``variants.*.perception.noise``), the checks that
each path is a numeric scenario field and each value within the schema's bounds (one-line
messages), and the cells: every combination of the values, resolved through the config loader
with ``--set``-style overrides so that each cell is validated as a run would be. A cell's seed
depends only on the scenario seed and the cell's own values, never on the order or the worker.
"""

from __future__ import annotations

import difflib
import itertools
import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermosim.config.fields import Spot
from thermosim.config.loader import load_scenario
from thermosim.config.scenario import Scenario
from thermosim.errors import ThermosimError

# More cells than this need --yes: 10,000 cells of 30 replications is an afternoon on a laptop.
MAX_CELLS = 10_000
MAX_RANGE_COUNT = 1_000
_NUMERIC = ("number", "integer")


class SweepError(ThermosimError):
    """Bad sweep input: a path, a list of values, a range (always bad input, exit 2)."""

    bad_input = True


@dataclass(frozen=True)
class Field:
    """A numeric scenario field: its bounds and whether it takes whole numbers only."""

    low: float
    high: float
    integer: bool


@dataclass(frozen=True)
class Axis:
    """One varied field: the path as given, the concrete paths it stands for, its values."""

    path: str
    paths: tuple[str, ...]
    values: tuple[float, ...]
    field: Field
    shipped: float | None  # the scenario's own value (of the first concrete path)


@dataclass(frozen=True)
class Cell:
    """One point of the grid: its values (one per axis), seed, overrides and scenario."""

    index: int
    values: tuple[float, ...]
    seed: int
    overrides: tuple[str, ...]
    scenario: Scenario


def _number(text: str, where: str) -> float:
    try:
        value = float(text.strip().replace("_", ""))
    except ValueError:
        hint = " (write decimals with a point, not a comma)" if "," in text else ""
        raise SweepError(f"{where}: '{text.strip()}' is not a number{hint}") from None
    if not math.isfinite(value):
        raise SweepError(f"{where}: '{text.strip()}' is not a finite number")
    return value


def tidy(value: float) -> float:
    """``value`` rounded to 12 significant digits: 0.15 rather than 0.15000000000000002."""
    return float(f"{value:.12g}")


def parse_values(text: str, where: str) -> tuple[float, ...]:
    """The values of ``1,2,4,8`` or ``0.05..0.4:8`` (8 values, ends included), in order given.

    Raises
    ------
    SweepError
        For text that is not numbers, an empty or reversed range, a single value, repeats.
    """
    text = text.strip()
    if ".." in text:
        low_text, _, rest = text.partition("..")
        high_text, _, count_text = rest.partition(":")
        low, high = _number(low_text, where), _number(high_text, where)
        if not count_text.strip().isdigit():
            raise SweepError(f"{where}: a range needs a count of values, e.g. {low:g}..{high:g}:8")
        count = int(count_text)
        if high <= low:
            what = "empty" if high == low else "reversed"
            raise SweepError(f"{where}: the range {low:g}..{high:g} is {what}; write LOW..HIGH")
        if not 2 <= count <= MAX_RANGE_COUNT:
            raise SweepError(f"{where}: a range needs 2 to {MAX_RANGE_COUNT} values, not {count}")
        values = tuple(tidy(v) for v in np.linspace(low, high, count))
    else:
        parts = text.split(",")
        if any(not p.strip() for p in parts):
            raise SweepError(f"{where}: empty value in '{text}'; write e.g. 1,2,4,8")
        values = tuple(_number(p, where) for p in parts)
    if len(values) < 2:
        raise SweepError(
            f"{where}: a single value is no sweep; give two or more (1,2,4) or a range (0..1:5)"
        )
    if len(set(values)) != len(values):
        raise SweepError(f"{where}: values repeat in '{text}'; give each value once")
    return values


def parse_vary(text: str, bare: bool = False) -> tuple[str, str]:
    """``PATH=VALUES`` split into its path and the text of its values (``bare``: PATH alone)."""
    path, sep, values = text.partition("=")
    if bare and not sep and path.strip():
        return path.strip(), ""
    if not sep or not path.strip() or not values.strip():
        raise SweepError(f"--vary {text}: expected PATH=VALUES, e.g. policy.gain=1,2,4 or 0..1:5")
    return path.strip(), values.strip()


def _leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a dumped scenario by dotted path (lists numbered)."""
    items: Any = data.items() if isinstance(data, dict) else enumerate(data)
    found: dict[str, Any] = {}
    for key, value in items:
        path = f"{prefix}{key}"
        if isinstance(value, dict | list) and value:
            found.update(_leaves(value, path + "."))
        else:
            found[path] = value
    return found


def expand(path: str, data: Mapping[str, Any]) -> tuple[str, ...]:
    """The concrete paths of ``path``: each ``*`` replaced by every index of its list."""
    paths = [""]
    node: list[Any] = [data]
    for part in path.split("."):
        following: list[tuple[str, Any]] = []
        for prefix, here in zip(paths, node, strict=True):
            if part == "*" and isinstance(here, list):
                following += [(f"{prefix}{i}.", item) for i, item in enumerate(here)]
            elif isinstance(here, dict) and part in here:
                following.append((f"{prefix}{part}.", here[part]))
            elif isinstance(here, list) and part.isdigit() and int(part) < len(here):
                following.append((f"{prefix}{part}.", here[int(part)]))
            else:
                return ()
        paths, node = [p for p, _ in following], [n for _, n in following]
    return tuple(p.rstrip(".") for p in paths)


def _spot(data: Mapping[str, Any], path: str) -> Spot:
    """The schema place of a concrete path, following each union by the data's ``kind``."""
    spot, here = Spot(), data
    for raw in path.split("."):
        part: str | int = int(raw) if raw.isdigit() else raw
        spot = spot.child(part)
        here = here[part]  # type: ignore[index]
        if spot.shape == "union" and isinstance(here, dict) and str(here.get("kind")) in spot.kinds:
            spot = spot.kinds[str(here["kind"])]
    return spot


def numeric_field(scenario: Scenario, path: str, where: str) -> tuple[tuple[str, ...], Field]:
    """The concrete paths of ``path`` in ``scenario`` and the numeric field they are.

    Raises
    ------
    SweepError
        For a path that is not in the scenario (with the closest numeric path) or not a number.
    """
    data = scenario.model_dump(mode="json")
    paths = expand(path, data)
    leaves = _leaves(data)
    if not paths or any(p not in leaves for p in paths):
        numeric = [p for p, v in leaves.items() if isinstance(v, int | float)]
        close = difflib.get_close_matches(path, numeric, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]}?" if close else "; `thermosim show` lists the fields"
        raise SweepError(f"{where}: {scenario.name} has no field {path}{hint}")
    options = _spot(data, paths[0]).options
    numbers = [o for o in options if o.get("type") in _NUMERIC]
    if not numbers or isinstance(leaves[paths[0]], bool):
        shown = leaves[paths[0]]
        raise SweepError(f"{where}: {path} is not a number (it is {shown!r}); vary a numeric field")
    option = numbers[0]
    low = option.get("minimum", option.get("exclusiveMinimum", -math.inf))
    high = option.get("maximum", option.get("exclusiveMaximum", math.inf))
    return paths, Field(float(low), float(high), option["type"] == "integer")


def value_text(value: float, integer: bool = False) -> str:
    """A value as ``--set`` takes it: ``4`` for a whole-number field, else the shortest float."""
    return str(round(value)) if integer else repr(tidy(value))


def make_axis(scenario: Scenario, path: str, values_text: str) -> Axis:
    """An axis of the grid, checked against the scenario and the schema's bounds."""
    where = f"--vary {path}"
    paths, field = numeric_field(scenario, path, where)
    values = parse_values(values_text, where)
    if field.integer:
        values = tuple(dict.fromkeys(float(round(v)) for v in values))
        if len(values) < 2:
            raise SweepError(f"{where}: {path} takes whole numbers; give two or more")
    outside = [v for v in values if not field.low <= v <= field.high]
    if outside:
        raise SweepError(
            f"{where}: {outside[0]:g} is outside {field.low:g}..{field.high:g}, the range of "
            f"{path}; keep the values inside it"
        )
    current = _leaves(scenario.model_dump(mode="json"))[paths[0]]
    shipped = float(current) if isinstance(current, int | float) else None
    return Axis(path, paths, values, field, shipped)


def make_range(scenario: Scenario, path: str, values_text: str) -> Axis:
    """An axis for sensitivity: LOW..HIGH (a count is ignored), a list's ends, or the schema's.

    Raises
    ------
    SweepError
        For a bad path, range or values outside the field's bounds, or no bounds to fall back on.
    """
    where = f"--vary {path}"
    paths, field = numeric_field(scenario, path, where)
    if not values_text:
        if not (math.isfinite(field.low) and math.isfinite(field.high)):
            raise SweepError(
                f"{where}: the field has no upper bound; give a range, {path}=LOW..HIGH"
            )
        low, high = field.low, field.high
    elif ".." in values_text and ":" not in values_text:
        low_text, _, high_text = values_text.partition("..")
        low, high = _number(low_text, where), _number(high_text, where)
        if high <= low:
            what = "empty" if high == low else "reversed"
            raise SweepError(f"{where}: the range {low:g}..{high:g} is {what}; write LOW..HIGH")
    else:
        values = parse_values(values_text, where)
        low, high = min(values), max(values)
    if low < field.low or high > field.high:
        raise SweepError(
            f"{where}: {low:g}..{high:g} is outside {field.low:g}..{field.high:g}, the range of "
            f"{path}; keep the values inside it"
        )
    current = _leaves(scenario.model_dump(mode="json"))[paths[0]]
    shipped = float(current) if isinstance(current, int | float) else None
    return Axis(path, paths, (low, high), field, shipped)


def cell_key(axes: Sequence[Axis], values: Sequence[float]) -> str:
    """The canonical text of a cell (``path=value;...`` in axis order): what its seed hashes."""
    return ";".join(
        f"{a.path}={value_text(v, a.field.integer)}" for a, v in zip(axes, values, strict=True)
    )


def cell_seed(seed: int, key: str) -> int:
    """The seed of a cell: a SeedSequence over the scenario seed and a crc32 of ``key``.

    crc32 rather than ``hash()``: str hashes are salted per process. Fits ``--seed``.
    """
    state = np.random.SeedSequence([seed, zlib.crc32(key.encode("utf-8"))]).generate_state(
        2, np.uint32
    )
    return (int(state[0]) << 31) ^ int(state[1])


def cell_overrides(axes: Sequence[Axis], values: Sequence[float]) -> tuple[str, ...]:
    """The ``--set`` overrides of a cell, one per concrete path."""
    return tuple(
        f"{p}={value_text(v, a.field.integer)}"
        for a, v in zip(axes, values, strict=True)
        for p in a.paths
    )


def count_cells(axes: Sequence[Axis]) -> int:
    """The number of cells the axes make."""
    return math.prod(len(a.values) for a in axes)


def make_cells(name: str, overrides: Sequence[str], axes: Sequence[Axis], seed: int) -> list[Cell]:
    """Every cell, in row-major order (the last axis varies fastest), each one validated.

    Raises
    ------
    thermosim.errors.ScenarioError
        When a cell's scenario is not valid (the usual message, naming the override).
    """
    cells = []
    for index, values in enumerate(itertools.product(*(a.values for a in axes))):
        sets = cell_overrides(axes, values)
        scenario = load_scenario(name, (*overrides, *sets))
        cells.append(Cell(index, values, cell_seed(seed, cell_key(axes, values)), sets, scenario))
    return cells


__all__ = [
    "MAX_CELLS",
    "Axis",
    "Cell",
    "Field",
    "SweepError",
    "cell_key",
    "cell_overrides",
    "cell_seed",
    "count_cells",
    "expand",
    "make_axis",
    "make_cells",
    "make_range",
    "numeric_field",
    "parse_values",
    "parse_vary",
    "tidy",
    "value_text",
]
