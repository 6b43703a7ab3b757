"""Calibration: a real team's weekly results in, its fitted plant and its own loop out.

Owns ``thermosim calibrate``'s library: reading a CSV or Excel file of weekly results
(``reader``), diagnosing how management reacts (``diagnose``, ``replay``), fitting the plant by
simulated method of moments on common random numbers (``moments``, ``params``, ``fit``), and
writing the commented scenario file that extends the defaults (``write``). The fit report's
figures live in ``thermosim.figures.calibration``; its words in ``texts``.
"""

from thermosim.calibrate.calibration import AS_IS, Calibration, calibrate
from thermosim.calibrate.fit import Fit, FitSettings
from thermosim.calibrate.problems import DataError, FitError
from thermosim.calibrate.reader import MIN_WEEKS, WeeklyData, read_weekly

__all__ = [
    "AS_IS",
    "MIN_WEEKS",
    "Calibration",
    "DataError",
    "Fit",
    "FitError",
    "FitSettings",
    "WeeklyData",
    "calibrate",
    "read_weekly",
]
