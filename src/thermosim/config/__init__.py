"""Scenario configuration: pydantic models, presets and YAML loading.

Owns everything a scenario file can say and how it becomes a frozen, validated Scenario.
"""

from thermosim.config.loader import load_scenario, shipped_names
from thermosim.config.presets import PRESETS
from thermosim.config.scenario import Scenario, Variant

__all__ = ["PRESETS", "Scenario", "Variant", "load_scenario", "shipped_names"]
