"""thermosim: a sales team simulated as a control loop.

Public API
----------
load_scenario(path_or_shipped_name) -> Scenario
simulate(scenario, variant, seed) -> Run
run_experiment(scenario, replications=None, seed=None, workers=1) -> Experiment

The names are imported on first use (PEP 562), so ``import thermosim.interrupts`` (which the
command runs first, to handle Ctrl-C from its start) does not wait for numpy and pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS = {
    "Scenario": "thermosim.config",
    "load_scenario": "thermosim.config",
    "shipped_names": "thermosim.config",
    "Run": "thermosim.engine",
    "simulate": "thermosim.engine",
    "ScenarioError": "thermosim.errors",
    "ThermosimError": "thermosim.errors",
    "Experiment": "thermosim.experiment",
    "run_experiment": "thermosim.experiment",
}

if TYPE_CHECKING:
    from thermosim.config import Scenario, load_scenario, shipped_names
    from thermosim.engine import Run, simulate
    from thermosim.errors import ScenarioError, ThermosimError
    from thermosim.experiment import Experiment, run_experiment


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'thermosim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "Experiment",
    "Run",
    "Scenario",
    "ScenarioError",
    "ThermosimError",
    "__version__",
    "load_scenario",
    "run_experiment",
    "shipped_names",
    "simulate",
]
