"""Shared fixtures: small, fast scenarios built from plain dicts.

``small_scenario`` is a factory: call it with the presets to compare and any overrides of the
scenario dict (nested mappings merge, lists are replaced), e.g.::

    scenario = small_scenario("reactive", "steered", shocks=[{"kind": "lost_account", "week": 8}])
    scenario = small_scenario(plant={"people": {"team_size": 4}}, mechanisms={"noise": False})

Variants are given as preset names (the variant gets the preset's name) or as full variant
mappings. Nothing here fixes model outputs: defaults come from the config models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from thermosim import Scenario
from thermosim.config.presets import PRESETS
from thermosim.config.scenario import deep_merge

PRESET_NAMES: tuple[str, ...] = tuple(PRESETS)
SMALL_HORIZON_WEEKS = 26

ScenarioFactory = Callable[..., Scenario]


def _variant(spec: str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(spec, str):
        return {"name": spec, "preset": spec}
    return dict(spec)


def make_scenario(
    *variants: str | Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Scenario:
    """A validated sales scenario of ``SMALL_HORIZON_WEEKS`` weeks.

    Parameters
    ----------
    variants
        Preset names or variant mappings; none given = one variant per preset.
    overrides
        A (nested) mapping merged into the scenario dict, for keys that are not identifiers.
    fields
        Top-level scenario keys (``plant``, ``shocks``, ``mechanisms``, ``seed``, ...), merged
        after ``overrides``.
    """
    data: dict[str, Any] = {
        "name": "small",
        "horizon_weeks": SMALL_HORIZON_WEEKS,
        "replications": 2,
        "seed": 7,
        "plant": {"kind": "sales"},
        "variants": [_variant(v) for v in (variants or PRESET_NAMES)],
    }
    data = deep_merge(data, dict(overrides or {}))
    data = deep_merge(data, fields)
    return Scenario.model_validate(data)


@pytest.fixture(scope="session")
def small_scenario() -> ScenarioFactory:
    """Factory of small sales scenarios (see `make_scenario`); session scoped, so it also works
    inside hypothesis tests."""
    return make_scenario


@pytest.fixture(scope="session")
def small_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real results folder with its figures: ``thermosim run baseline --reps 2`` over 20
    weeks. Shared by the whole session: copy it before changing anything in it."""
    from click.testing import CliRunner

    from thermosim.cli import main

    out = tmp_path_factory.mktemp("small-results")
    args = ["run", "baseline", "--reps", "2", "--set", "horizon_weeks=20", "--workers", "1"]
    result = CliRunner().invoke(main, [*args, "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "baseline"
