"""timeseries.csv and interventions.csv of a results folder, read a line at a time.

Owns ``SeriesTable`` and ``ActionTable``: the two tables that grow with replications, never
held whole. ``SeriesTable.open`` checks the header; ``check`` streams every row through the
checks of a results folder (every variant x replication over the whole horizon, in order, the
plant's series finite numbers); ``columns`` reads some series of one variant in one pass.
``ActionTable`` checks the interventions row by row and counts the quick fixes per lever and
week, and iterates over them again on demand.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from thermosim.config.scenario import Scenario
from thermosim.plant.registry import plant_spec
from thermosim.saved_files import MAX_TABLE_BYTES, ResultsFiles
from thermosim.stream import INTERVENTION_HEADER, SERIES_KEYS
from thermosim.summary import FloatArray, IntArray

SERIES_FILE, ACTIONS_FILE = "timeseries.csv", "interventions.csv"
# The most a row of either table may take on average: a run writes a few hundred bytes.
ROW_BYTES = 2048


def _whole(text: str) -> int | None:
    # ASCII digits only: int() would also take " 7", "1_0" and other scripts' digits.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _finite(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _limit(rows: int) -> int:
    """The most a table of about ``rows`` rows may take (never less than ``MAX_TABLE_BYTES``)."""
    return max(MAX_TABLE_BYTES, rows * ROW_BYTES)


@dataclass(frozen=True)
class SeriesTable:
    """timeseries.csv of a results folder whose header has been checked."""

    files: ResultsFiles
    names: tuple[str, ...]
    variants: tuple[str, ...]
    replications: int
    weeks: int
    kind: str

    @property
    def limit(self) -> int:
        """The most the file may take."""
        return _limit(len(self.variants) * self.replications * self.weeks + 1)

    @classmethod
    def open(cls, files: ResultsFiles, scenario: Scenario, reps: int) -> SeriesTable:
        """The table, once its header names the keys and the plant's series (rows unread)."""
        name, kind = SERIES_FILE, scenario.plant.kind
        variants = tuple(v.name for v in scenario.variants)
        rows = len(variants) * reps * scenario.horizon_weeks + 1
        header, _ = files.stream(name, limit=_limit(rows))
        names = header[len(SERIES_KEYS) :]
        if header[: len(SERIES_KEYS)] != SERIES_KEYS or not names:
            files.fail(name, f"its header does not start with {','.join(SERIES_KEYS)},<series>")
        if "" in names or len(set(names)) < len(names):
            files.fail(name, "its header has an empty or repeated column name")
        required = plant_spec(kind).required_series
        missing = [s for s in required if s not in names]
        if missing:
            files.fail(name, f"has no column {', '.join(missing)}, which the {kind} plant records")
        return cls(files, tuple(names), variants, reps, scenario.horizon_weeks, kind)

    def check(self) -> None:
        """Read every row: each variant x replication over the whole horizon, in week order.

        The plant's own series must be finite numbers; other columns may be empty (the writer
        leaves a value it cannot write empty) but not infinite.
        """
        name, files, reps = SERIES_FILE, self.files, self.replications
        required = set(plant_spec(self.kind).required_series)
        own = {i for i, n in enumerate(self.names) if n in required}
        unfinished = (
            f"empty or not a finite number (the {self.kind} plant's series have one every week)"
        )
        infinite = "infinite (thermosim leaves a value it cannot write empty)"
        known = set(self.variants)
        weeks_seen: dict[tuple[str, int], int] = {}
        _, rows = files.stream(name, limit=self.limit)
        any_row = False
        for line, cells in rows:
            any_row = True
            variant, rep, week = cells[0], _whole(cells[1]), _whole(cells[2])
            if variant not in known:
                files.fail(name, f"line {line}: {variant!r} is not a variant of the scenario")
            if rep is None or rep >= reps:
                files.fail(
                    name,
                    f"line {line}: replication {cells[1]!r} is not a whole number from 0 to "
                    f"{reps - 1} (the manifest says {reps} replications)",
                )
            if week is None:
                files.fail(name, f"line {line}: week {cells[2]!r} is not a whole number")
            expected = weeks_seen.get((variant, rep), 0)
            if week != expected:
                files.fail(
                    name,
                    f"line {line}: week {week} of {variant}, replication {rep} should be week "
                    f"{expected} (a row is missing, repeated or out of order)",
                )
            weeks_seen[(variant, rep)] = expected + 1
            for at, cell in enumerate(cells[len(SERIES_KEYS) :]):
                try:
                    value = float(cell) if cell else math.nan
                except ValueError:
                    files.fail(
                        name, f"line {line}, column {self.names[at]}: {cell!r} is not a number"
                    )
                if at in own and not math.isfinite(value):
                    files.fail(name, f"line {line}, column {self.names[at]}: {unfinished}")
                if math.isinf(value):
                    files.fail(name, f"line {line}, column {self.names[at]}: {infinite}")
        if not any_row:
            files.fail(name, "has only its header, no rows")
        for variant in self.variants:
            for rep in range(reps):
                weeks = weeks_seen.get((variant, rep), 0)
                if weeks == 0:
                    files.fail(name, f"has no rows of {variant}, replication {rep}")
                if weeks != self.weeks:
                    files.fail(
                        name,
                        f"has {weeks} weeks of {variant}, replication {rep}; the scenario runs "
                        f"{self.weeks} (the file was cut short or edited)",
                    )

    def columns(self, variant: str, names: Sequence[str]) -> dict[str, FloatArray]:
        """Series ``names`` of ``variant``, (replications, weeks) each, in one pass over the file.

        Raises
        ------
        DamagedResultsError
            When the file no longer holds what it held when it was checked.
        """
        at = [len(SERIES_KEYS) + self.names.index(n) for n in names]
        found = {n: np.full((self.replications, self.weeks), math.nan) for n in names}
        arrays = [found[n] for n in names]
        _, rows = self.files.stream(SERIES_FILE, limit=self.limit)
        for line, cells in rows:
            if cells[0] != variant:
                continue
            rep, week = _whole(cells[1]), _whole(cells[2])
            if rep is None or week is None or rep >= self.replications or week >= self.weeks:
                self.files.fail(SERIES_FILE, f"line {line} changed since it was checked")
            try:
                for array, i in zip(arrays, at, strict=True):
                    array[rep, week] = float(cells[i]) if cells[i] else math.nan
            except ValueError:
                self.files.fail(SERIES_FILE, f"line {line} changed since it was checked")
        return found


@dataclass(frozen=True)
class ActionTable:
    """interventions.csv of a results folder: the actions, read again on each iteration."""

    files: ResultsFiles
    limit: int

    @classmethod
    def open(cls, files: ResultsFiles, scenario: Scenario, reps: int) -> ActionTable:
        """The table, once its header is the one thermosim writes (rows unread)."""
        # A lever fires at most a few times a week: a generous bound on the rows.
        rows = len(scenario.variants) * reps * (scenario.horizon_weeks + 1) * 8
        table = cls(files, _limit(rows))
        files.stream(ACTIONS_FILE, INTERVENTION_HEADER, table.limit)
        return table

    def check(self, scenario: Scenario, reps: int) -> dict[str, dict[str, IntArray]]:
        """Read every action: of a variant, replication and week of the run.

        Returns
        -------
        dict
            Quick fixes started per variant and lever, counted by the whole week they start in
            (``summary.VariantSummary.fixes``).
        """
        name, horizon = ACTIONS_FILE, scenario.horizon_weeks
        fixes: dict[str, dict[str, IntArray]] = {v.name: {} for v in scenario.variants}
        for line, cells in self.files.stream(name, INTERVENTION_HEADER, self.limit)[1]:
            variant, rep, week, lever, intensity, _member = cells
            problem = ""
            if variant not in fixes:
                problem = f"{variant!r} is not a variant of the scenario"
            elif (number := _whole(rep)) is None or number >= reps:
                problem = f"replication {rep!r} is not a whole number from 0 to {reps - 1}"
            elif not _finite(week) or not 0 <= float(week) <= horizon:
                problem = f"week {week!r} is not a number from 0 to {horizon}"
            elif not lever:
                problem = "the lever is empty"
            elif intensity and not _finite(intensity):
                problem = f"intensity {intensity!r} is not a finite number"
            if problem:
                self.files.fail(name, f"line {line}: {problem}")
            counts = fixes[variant].get(lever)
            if counts is None:
                counts = fixes[variant][lever] = np.zeros(horizon + 1, dtype=np.int64)
            counts[int(float(week))] += 1
        return fixes

    def __iter__(self) -> Iterator[dict[str, str]]:
        for _, cells in self.files.stream(ACTIONS_FILE, INTERVENTION_HEADER, self.limit)[1]:
            yield dict(zip(INTERVENTION_HEADER, cells, strict=True))

    def __len__(self) -> int:
        return sum(1 for _ in self.files.stream(ACTIONS_FILE, INTERVENTION_HEADER, self.limit)[1])


__all__ = ["ActionTable", "SeriesTable"]
