"""The plants the engine can drive, by their ``kind`` in a scenario file.

Owns the one place a new plant is registered: add its spec (``plant/base.py``'s ``PlantSpec``)
to ``PLANTS``.
"""

from __future__ import annotations

from typing import Any

from thermosim.plant.base import PlantSpec
from thermosim.plant.sales.spec import SALES
from thermosim.plant.thermostat import THERMOSTAT

PLANTS: dict[str, PlantSpec[Any, Any]] = {spec.kind: spec for spec in (SALES, THERMOSTAT)}


def plant_spec(kind: str) -> PlantSpec[Any, Any]:
    """The spec of the plant called ``kind``."""
    try:
        return PLANTS[kind]
    except KeyError:
        raise ValueError(f"unknown plant '{kind}'; known: {', '.join(PLANTS)}") from None
