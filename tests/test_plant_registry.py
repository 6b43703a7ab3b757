"""The plant registry: one spec per plant kind, and the engine speaks only the spec."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from thermosim import metrics
from thermosim.config.scenario import PLANT_METRICS
from thermosim.figures.render import FIGURES, families_for
from thermosim.plant.registry import PLANTS, plant_spec

SRC = Path(__file__).resolve().parents[1] / "src" / "thermosim"


def test_every_plant_kind_has_one_spec_and_its_series_and_kpis() -> None:
    assert set(PLANTS) == set(PLANT_METRICS) == set(metrics.REQUIRED_SERIES)
    assert set(PLANTS) == set(metrics.PRIMARY_SERIES) == set(metrics.PLANT_KPIS)
    for kind, spec in PLANTS.items():
        assert spec.kind == kind
        assert spec.metrics == PLANT_METRICS[kind]
        assert spec.required_series == metrics.REQUIRED_SERIES[kind]
        assert spec.primary_series in spec.required_series
        assert set(spec.relative_metrics) <= set(spec.metrics)


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_the_figures_draw_what_the_spec_offers(kind: str) -> None:
    offered = plant_spec(kind).figure_families
    assert families_for(kind) == (FIGURES if offered is None else offered)
    assert set(families_for(kind)) <= set(FIGURES)


def test_unknown_plant_is_named() -> None:
    with pytest.raises(ValueError, match="unknown plant 'boiler'"):
        plant_spec("boiler")


def test_engine_does_not_branch_on_the_plant_kind() -> None:
    text = (SRC / "engine.py").read_text(encoding="utf-8")
    assert "kind ==" not in text and "kind !=" not in text
    assert "thermosim.plant.sales" not in text and "thermosim.plant.thermostat" not in text


def test_work_functions_do_not_import_the_plant() -> None:
    tree = ast.parse((SRC / "plant" / "sales" / "work.py").read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "thermosim.plant.sales.plant" not in imported
