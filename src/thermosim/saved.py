"""A results folder read back: the one typed view figures, deck, animation and notes use.

Owns ``SavedResults`` and ``read_results``, the one way a results folder is read. Nothing is
read before every file has been checked (``saved_files``: the files themselves; ``saved_check``:
what they hold), so a damaged, edited or foreign folder is a ``DamagedResultsError`` naming the
file, what is wrong and how to make it again (the command line exits with 2), never a failure
halfway through a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thermosim.config.scenario import Scenario, Variant
from thermosim.saved_check import Kpis, Series, check_folder
from thermosim.saved_files import DamagedResultsError, rerun_hint

__all__ = ["DamagedResultsError", "SavedResults", "read_results"]


@dataclass(frozen=True)
class SavedResults:
    """A results folder read back: the one typed view figures, deck, animation and notes use.

    ``scenario`` is the resolved scenario of the manifest as the ``Scenario`` model, so every
    reader gets typed fields and the model's own defaults; ``manifest`` keeps the rest (hash,
    versions, created).
    """

    path: Path
    manifest: dict[str, Any]
    scenario: Scenario
    kpis: Kpis  # variant -> KPI -> mean, p10, p50, p90
    series: Series  # variant -> name -> (replications, weeks)
    interventions: list[dict[str, str]]

    @property
    def name(self) -> str:
        """The scenario's name (also the folder's)."""
        return self.scenario.name

    @property
    def plant(self) -> str:
        """``sales`` or ``thermostat``."""
        return self.scenario.plant.kind

    @property
    def sales(self) -> bool:
        """True for the sales plant, False for the thermostat."""
        return self.plant == "sales"

    @property
    def variants(self) -> tuple[str, ...]:
        """The variants with results, in scenario order."""
        return tuple(v.name for v in self.scenario.variants if v.name in self.series)

    def variant(self, name: str) -> Variant:
        """The resolved settings of variant ``name``."""
        return self.scenario.variant(name)

    @property
    def seed(self) -> int:
        """The seed of the run (``--seed`` may differ from the scenario's)."""
        return int(self.manifest.get("seed", self.scenario.seed))

    @property
    def reps(self) -> int:
        """Replications in the series."""
        return int(next(iter(self.series[self.variants[0]].values())).shape[0])

    @property
    def weeks(self) -> int:
        """Weeks in the series."""
        return int(next(iter(self.series[self.variants[0]].values())).shape[1])

    def title(self, lang: str) -> str:
        """The scenario's title in ``lang`` (English, or its name, when missing)."""
        return getattr(self.scenario.title, lang, "") or self.scenario.title.en or self.name

    def values(self, variant: str, name: str) -> np.ndarray:
        """(replications, weeks) float array of one series.

        Raises
        ------
        DamagedResultsError
            When timeseries.csv has no such column: the check requires the plant's own series,
            a figure may draw more (the hours of every activity, say).
        """
        try:
            found = self.series[variant][name]
        except KeyError:
            raise DamagedResultsError(
                self.path / "timeseries.csv",
                f"has no column {name!r} for variant {variant!r}, which this output draws",
                rerun_hint(self.path, self.name),
            ) from None
        return np.asarray(found, dtype=np.float64)

    def kpi(self, variant: str, name: str, stat: str = "mean") -> float:
        """One KPI statistic (nan when the KPI is missing)."""
        return float(self.kpis.get(variant, {}).get(name, {}).get(stat, np.nan))


def read_results(path: Path) -> SavedResults:
    """Read a results folder written by ``results.write_results``, after checking every file.

    Raises
    ------
    DamagedResultsError
        (a ``results.ResultsError`` with ``bad_input``) naming the file and what is wrong, for
        every check of ``saved_check``: a folder that is missing, a file or incomplete; a file
        that is a folder, a link out of the folder, too large, not UTF-8 or cut short; a
        manifest of a newer format or whose scenario no longer validates; series, KPIs or
        interventions that do not fit the scenario.
    """
    folder = Path(path)
    contents = check_folder(folder)
    return SavedResults(
        folder,
        contents.manifest,
        contents.scenario,
        contents.kpis,
        contents.series,
        contents.interventions,
    )
