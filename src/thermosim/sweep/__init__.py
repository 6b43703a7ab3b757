"""Sweeps and sensitivity: many scenarios from one, each on common random numbers.

Owns ``thermosim sweep``'s computation: the grid of varied fields (``grid``), running its cells
and writing the ``sweep/`` folder (``run``), global sensitivity with SALib (``sensitivity``) and
sending cells to a Dask cluster (``dask_backend``). Sits above ``experiment``, below the command
line; it never imports the figures.
"""

from thermosim.sweep.grid import SweepError
from thermosim.sweep.run import Plan, plan_sweep, run_cells, sweep_data, write_sweep

__all__ = ["Plan", "SweepError", "plan_sweep", "run_cells", "sweep_data", "write_sweep"]
