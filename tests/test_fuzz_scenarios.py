"""Mutated scenario files: every one is either refused with exit 2 or runs; never exit 1.

Hypothesis takes the resolved YAML of each shipped scenario (every field written out, as
``thermosim show`` gives it, shortened so a run takes a moment) and mutates it the way a hostile
or unlucky trainer would: other types, extremes, NaN and infinity, denormals, huge integers,
deleted keys. ``validate`` must answer 0 or 2, and a file that validates must run without an
internal error. Derandomized and capped, so it is the same bounded check on every machine.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import thermosim
from thermosim.cli import main
from thermosim.config.loader import shipped_names

SHORT_HORIZON_WEEKS = 6

# Values a mutation puts in place of a field: other types, bounds and beyond, non-finite,
# denormal and huge numbers, odd text.
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1,
    2**63,
    10**40,
    0.5,
    -0.5,
    5e-324,
    -5e-324,
    1e-9,
    1e308,
    -1e308,
    math.nan,
    math.inf,
    -math.inf,
    "",
    "x" * 300,
    "0,2",
    "25%",
    "10 weeks",
    "ünïcødé",
    [],
    [1, 2],
    {},
    {"kind": "nonsense"},
]


def _base(name: str) -> dict[str, Any]:
    """The resolved scenario ``name``, shortened: few weeks, no warm-up, shocks inside."""
    data = thermosim.load_scenario(name).model_dump(mode="json")
    data["horizon_weeks"] = SHORT_HORIZON_WEEKS
    data["replications"] = 1
    if data["plant"]["kind"] == "sales":
        data["plant"]["warmup_weeks"] = 0
    for shock in data["shocks"]:
        shock["week"] = min(shock["week"], SHORT_HORIZON_WEEKS - 1)
    return data


BASES = {name: _base(name) for name in shipped_names()}


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in ``node`` (mappings and lists), parents before children."""
    found: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(node, dict | list):
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            found += _paths(value, (*prefix, key))
    return found


def _yaml(value: Any) -> str:
    """``value`` as YAML flow text (JSON is YAML 1.2, apart from the non-finite floats)."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return json.dumps(value)


NUMBERS = [v for v in ODD_VALUES if isinstance(v, int | float) and not isinstance(v, bool)]


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> str:
    data = json.loads(json.dumps(BASES[draw(st.sampled_from(sorted(BASES)))]))
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 4]))):
        paths = _paths(data)
        numbers = [p for p in paths if isinstance(_at(data, p), int | float)]
        how = draw(st.sampled_from(["number", "number", "any", "delete"]))
        path = draw(st.sampled_from(numbers if how == "number" and numbers else paths))
        parent = _at(data, path[:-1])
        if how == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(st.sampled_from(NUMBERS if how == "number" else ODD_VALUES))
    return _yaml(data) + "\n"


@pytest.mark.slow
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mutated())
def test_a_mutated_scenario_is_refused_with_exit_2_or_runs(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mutated.yaml"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(main, ["validate", str(path)])
    assert checked.exit_code in (0, 2), f"{checked.output}\n{text}"
    assert "Traceback" not in checked.output
    if checked.exit_code == 2:
        assert "mutated.yaml" in checked.output  # the message names the file
        return
    out = str(tmp_path / "out")
    ran = runner.invoke(
        main,
        ["run", str(path), "--reps", "1", "--workers", "1", "--no-figures", "-q", "--out", out],
    )
    assert ran.exit_code == 0, f"{ran.output}\n{text}"


EXTREMES: list[Any] = [0, -1, 5e-324, 1e-9, 1e308, math.nan, math.inf, -math.inf, 10**40]


def _numeric_paths(data: Any) -> list[tuple[Any, ...]]:
    return [
        p
        for p in _paths(data)
        if isinstance(_at(data, p), int | float) and not isinstance(_at(data, p), bool)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["baseline", "thermostat", "fragmented-metrics"])
def test_every_extreme_value_of_every_number_is_refused_or_runs(name: str, tmp_path: Path) -> None:
    """Each numeric field alone set to each extreme: a validation error, or a run that writes."""
    from pydantic import ValidationError

    from thermosim.experiment import run_experiment
    from thermosim.results import write_results

    base = BASES[name]
    ran = refused = 0
    for path in _numeric_paths(base):
        for value in EXTREMES:
            data = json.loads(json.dumps(base))
            _at(data, path[:-1])[path[-1]] = value
            try:
                scenario = thermosim.Scenario.model_validate(data)
            except ValidationError:
                refused += 1
                continue
            where = ".".join(map(str, path))
            try:
                write_results(run_experiment(scenario, replications=1), tmp_path)
            except Exception as exc:  # any error here is the finding
                pytest.fail(f"{name}: {where}={value!r} validates but fails: {exc!r}")
            ran += 1
    assert ran > 0 and refused > 0  # both happen: the bounds are neither absent nor closed
