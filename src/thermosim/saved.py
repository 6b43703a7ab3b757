"""A results folder read back: the one typed view figures, deck, animation and notes use.

Owns ``SavedResults`` and ``read_results``, the one way a results folder is read. Nothing is
read before every file has been checked (``saved_files``: the files themselves; ``saved_check``:
what they hold), so a damaged, edited or foreign folder is a ``DamagedResultsError`` naming the
file, what is wrong and how to make it again (the command line exits with 2), never a failure
halfway through a figure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thermosim.config.scenario import Scenario, Variant
from thermosim.saved_check import Kpis, check_folder
from thermosim.saved_files import DamagedResultsError, rerun_hint
from thermosim.saved_table import ActionTable, SeriesTable
from thermosim.summary import Stats, Summary

__all__ = ["DamagedResultsError", "SavedResults", "read_results"]


class _VariantSeries(Mapping[str, np.ndarray]):
    """One variant's series, each read from timeseries.csv when asked (not kept)."""

    def __init__(self, table: SeriesTable, variant: str) -> None:
        self._table, self._variant = table, variant

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._table.names:
            raise KeyError(name)
        return self._table.columns(self._variant, [name])[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.names)

    def __len__(self) -> int:
        return len(self._table.names)


class _Series(Mapping[str, Mapping[str, np.ndarray]]):
    """variant -> name -> (replications, weeks), read from timeseries.csv when asked."""

    def __init__(self, table: SeriesTable) -> None:
        self._table = table

    def __getitem__(self, variant: str) -> Mapping[str, np.ndarray]:
        if variant not in self._table.variants:
            raise KeyError(variant)
        return _VariantSeries(self._table, variant)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.variants)

    def __len__(self) -> int:
        return len(self._table.variants)


@dataclass(frozen=True)
class SavedResults:
    """A results folder read back: the one typed view figures, deck, animation and notes use.

    ``scenario`` is the resolved scenario of the manifest as the ``Scenario`` model, so every
    reader gets typed fields and the model's own defaults; ``manifest`` keeps the rest (hash,
    versions, created). What the outputs draw comes from ``summary`` (weekly bands over the
    replications, totals, quick fixes: see ``thermosim.summary``), whose size does not grow
    with replications; the raw rows stay in the files and are read, a series of one variant at
    a time, only when asked for (``values``, ``series``, ``interventions``).
    """

    path: Path
    manifest: dict[str, Any]
    scenario: Scenario
    kpis: Kpis  # variant -> KPI -> mean, p10, p50, p90
    summary: Summary
    table: SeriesTable
    actions: ActionTable

    @property
    def series(self) -> Mapping[str, Mapping[str, np.ndarray]]:
        """Every series by variant and name, (replications, weeks), read when accessed."""
        return _Series(self.table)

    @property
    def interventions(self) -> ActionTable:
        """Every action as a dict of interventions.csv's columns (read again on each pass)."""
        return self.actions

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
        return tuple(v.name for v in self.scenario.variants if v.name in self.summary.variants)

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
        return self.summary.replications

    @property
    def weeks(self) -> int:
        """Weeks in the series."""
        return self.summary.weeks

    def title(self, lang: str) -> str:
        """The scenario's title in ``lang`` (English, or its name, when missing)."""
        return getattr(self.scenario.title, lang, "") or self.scenario.title.en or self.name

    def has(self, name: str) -> bool:
        """True when the run recorded series ``name``."""
        return name in self.summary.series

    def _missing(self, variant: str, name: str) -> DamagedResultsError:
        # The check requires the plant's own series, a figure may draw more (the hours of
        # every activity, say).
        return DamagedResultsError(
            self.path / "timeseries.csv",
            f"has no column {name!r} for variant {variant!r}, which this output draws",
            rerun_hint(self.path, self.name),
        )

    def values(self, variant: str, name: str) -> np.ndarray:
        """(replications, weeks) float array of one series, read from timeseries.csv.

        Raises
        ------
        DamagedResultsError
            When timeseries.csv has no such column.
        """
        if name not in self.table.names or variant not in self.table.variants:
            raise self._missing(variant, name)
        return self.table.columns(variant, [name])[name]

    def stats(self, variant: str, name: str, kind: str = "weekly") -> Stats:
        """Weekly mean, p10, p50 and p90 over replications of one measure.

        ``kind``: ``weekly`` (a series), ``rolling`` (its 4-week trailing mean) or ``derived``
        (``gap``, ``recovery``).

        Raises
        ------
        DamagedResultsError
            When the run has no such series (see ``values``).
        """
        try:
            part = self.summary.variants[variant]
            found: Stats = getattr(part, kind)[name]
        except KeyError:
            raise self._missing(variant, name) from None
        return found

    def total(self, variant: str, name: str, stat: str = "sum") -> float:
        """``sum`` of a series over replications and weeks, or ``rep_mean`` / ``rep_p50``."""
        try:
            return self.summary.variants[variant].totals[name][stat]
        except KeyError:
            raise self._missing(variant, name) from None

    def fixes(self, variant: str) -> Mapping[str, np.ndarray]:
        """Quick fixes started per lever, counted by whole week (weeks + 1 counts)."""
        return self.summary.variants[variant].fixes

    def kpi(self, variant: str, name: str, stat: str = "mean") -> float:
        """One KPI statistic (nan when the KPI is missing)."""
        return float(self.kpis.get(variant, {}).get(name, {}).get(stat, np.nan))


def read_results(path: Path) -> SavedResults:
    """Read a results folder written by ``results.write_results``, after checking every file.

    Memory does not grow with the replications: the tables are fingerprinted (or, for a folder
    without a summary.json that vouches for them, read a line at a time), never held whole.

    Raises
    ------
    DamagedResultsError
        (a ``results.ResultsError`` with ``bad_input``) naming the file and what is wrong, for
        every check of ``saved_check``: a folder that is missing, a file or incomplete; a file
        that is a folder, a link out of the folder, too large, not UTF-8 or cut short; a
        manifest of a newer format or whose scenario no longer validates; a summary, series,
        KPIs or interventions that do not fit the scenario.
    """
    folder = Path(path)
    contents = check_folder(folder)
    return SavedResults(
        folder,
        contents.manifest,
        contents.scenario,
        contents.kpis,
        contents.summary,
        contents.table,
        contents.actions,
    )
