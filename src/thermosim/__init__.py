"""thermosim: a sales team simulated as a control loop.

Public API
----------
load_scenario(path_or_shipped_name) -> Scenario
simulate(scenario, variant, seed) -> Run
run_experiment(scenario, replications=None, seed=None, workers=1) -> Experiment
"""

from thermosim.config import Scenario, load_scenario, shipped_names
from thermosim.engine import Run, simulate
from thermosim.errors import ScenarioError, ThermosimError
from thermosim.experiment import Experiment, run_experiment

__version__ = "0.1.0"

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
