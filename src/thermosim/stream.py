"""The data files of a results folder, written replication by replication as they arrive.

Owns ``StreamWriter``: it takes each replication's runs (every variant of it, in replication
order) and appends them to timeseries.csv and interventions.csv, so memory does not grow with
replications. Both files are variant-major (every replication of the first variant, then the
next), so each variant's rows go to a part file of their own, joined behind the header at the
end. Each series is also kept as raw float64 in a scratch file per variant (series x
replications x weeks, written at its offset), from which ``summary.json`` is computed one
series at a time. Parts and scratch files are hidden in the staging folder and removed before
it is swapped in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from thermosim.config.scenario import Scenario
from thermosim.engine import Run
from thermosim.summary import FILE as SUMMARY_FILE
from thermosim.summary import FloatArray, Summary, summarize_series

SERIES_KEYS = ["variant", "replication", "week"]
INTERVENTION_HEADER = ["variant", "replication", "week", "lever", "intensity", "member"]
# Replications gathered before their values go to the scratch file (in one write per series).
BATCH = 64
_COPY_BYTES = 2**20


def number_text(x: float) -> str:
    """A number as the results files write it.

    repr gives the shortest text that reads back to the same float: identical files on any
    number of workers, and no precision lost for a spreadsheet. NaN and inf are left empty.
    """
    return repr(float(x)) if math.isfinite(x) else ""


def _texts(values: np.ndarray) -> list[str]:
    """``number_text`` of every value of a column (the same text, faster when all are finite)."""
    # Whole columns to Python floats at once: far faster than indexing numpy per cell.
    floats = np.asarray(values, dtype=np.float64)
    if np.isfinite(floats).all():
        return list(map(repr, floats.tolist()))
    return [number_text(x) for x in floats.tolist()]


# {variant: (its rows of timeseries.csv, its rows of interventions.csv)} of one replication.
Rows = dict[str, tuple[str, str]]


def rows_text(runs: Sequence[Run]) -> Rows:
    """Each run's rows of timeseries.csv and interventions.csv, as the files hold them.

    A function of the runs alone, so a worker process can make them beside the runs and the
    parent, which writes every replication, only copies text.
    """
    found = {}
    for run in runs:
        names = list(run.series)
        columns = [_texts(run.series[n]) for n in names]
        rep, variant = str(run.replication), run.variant
        series, actions = io.StringIO(), io.StringIO()
        csv.writer(series, lineterminator="\n").writerows(
            [variant, rep, str(week), *cells]
            for week, cells in enumerate(zip(*columns, strict=True))
        )
        csv.writer(actions, lineterminator="\n").writerows(
            [
                variant,
                rep,
                number_text(action.week),
                action.lever,
                number_text(action.intensity),
                action.who,
            ]
            for action in run.interventions
        )
        found[variant] = (series.getvalue(), actions.getvalue())
    return found


class StreamWriter:
    """timeseries.csv, interventions.csv and summary.json of ``replications`` runs of ``scenario``.

    Feed ``add(r, runs)`` for r = 0, 1, ... in order, then ``finish()``; ``close()`` (or the
    ``with`` block) releases the files whatever happened. Everything is written into ``folder``.
    """

    def __init__(self, folder: Path, scenario: Scenario, replications: int) -> None:
        self.folder = folder
        self.kind = scenario.plant.kind
        self.variants = [v.name for v in scenario.variants]
        self.replications = replications
        self.names: list[str] = []
        self.weeks = 0
        self._next = 0
        self._handles: list[io.TextIOWrapper] = []
        self._tables: dict[str, tuple[io.TextIOWrapper, io.TextIOWrapper]] = {}  # series, actions
        self._scratch: dict[str, BinaryIO] = {}  # variant -> scratch file
        self._batch: dict[str, FloatArray] = {}  # variant -> (series, BATCH, weeks)
        self._batch_start = 0
        self._fixes: dict[str, dict[str, np.ndarray]] = {v: {} for v in self.variants}

    def __enter__(self) -> StreamWriter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _part(self, name: str, index: int) -> Path:
        return self.folder / f".{name}.{index}.part"

    def _open(self, first: Run) -> None:
        """Create the part and scratch files, once the first run says the series and weeks."""
        self.names = list(first.series)
        self.weeks = len(first.series[self.names[0]])
        shape = (len(self.names), self.replications, self.weeks)
        for i, variant in enumerate(self.variants):
            series = self._part("timeseries", i).open("w", encoding="utf-8", newline="")
            actions = self._part("interventions", i).open("w", encoding="utf-8", newline="")
            self._handles += [series, actions]
            self._tables[variant] = (series, actions)
            scratch = self._part("values", i).open("x+b", buffering=0)
            self._scratch[variant] = scratch
            scratch.truncate(int(np.prod(shape)) * 8)  # sparse until written
            self._batch[variant] = np.full((shape[0], BATCH, shape[2]), np.nan)

    def add(self, replication: int, runs: list[Run], rows: Rows | None = None) -> None:
        """Append replication ``replication`` (every variant's run of it); in order from 0.

        ``rows`` is ``rows_text(runs)`` when it was made already (in the worker process that
        made the runs, so the parent only writes it).
        """
        if replication != self._next:
            raise ValueError(f"replication {replication} came before {self._next}")
        if not self._tables:
            self._open(runs[0])
        rows = rows_text(runs) if rows is None else rows
        row = replication - self._batch_start
        for run in runs:
            series, actions = self._tables[run.variant]
            series_text, actions_text = rows[run.variant]
            series.write(series_text)
            actions.write(actions_text)
            for action in run.interventions:
                self._count_fix(run.variant, action.lever, action.week)
            batch = self._batch[run.variant]
            for s, name in enumerate(self.names):
                batch[s, row] = run.series[name]
            # What the files say: a value they leave empty reads back as missing.
            batch[:, row][~np.isfinite(batch[:, row])] = np.nan
        self._next += 1
        if self._next - self._batch_start == BATCH:
            self._flush()

    def _count_fix(self, variant: str, lever: str, week: float) -> None:
        counts = self._fixes[variant].get(lever)
        if counts is None:
            counts = self._fixes[variant][lever] = np.zeros(self.weeks + 1, dtype=np.int64)
        if math.isfinite(week):
            counts[min(max(int(week), 0), self.weeks)] += 1

    def _flush(self) -> None:
        """Write the gathered replications of every series at their place in the scratch files."""
        count = self._next - self._batch_start
        if count == 0:
            return
        row_bytes = self.weeks * 8
        for variant, batch in self._batch.items():
            scratch = self._scratch[variant]
            for s in range(len(self.names)):
                scratch.seek((s * self.replications + self._batch_start) * row_bytes)
                data = memoryview(np.ascontiguousarray(batch[s, :count]).tobytes())
                while data:  # a regular file takes it whole; a short write is still finished
                    data = data[scratch.write(data) or 0 :]
        self._batch_start = self._next

    def _load(self, variant: str, names: Sequence[str]) -> dict[str, FloatArray]:
        """Series of one variant from its scratch file: (replications, weeks) each."""
        scratch = self._scratch[variant]
        size = self.replications * self.weeks
        found = {}
        for name in names:
            scratch.seek(self.names.index(name) * size * 8)
            values = np.fromfile(scratch, dtype=np.float64, count=size)
            if values.size != size:
                raise OSError(f"the scratch file of {variant} ended early")
            found[name] = values.reshape(self.replications, self.weeks)
        return found

    def finish(self) -> Summary:
        """Join the parts into timeseries.csv and interventions.csv, write summary.json."""
        if self._next != self.replications:
            raise ValueError(f"{self._next} of {self.replications} replications were added")
        self._flush()
        for handle in self._handles:
            handle.close()
        sources = {
            "timeseries.csv": self._join("timeseries", [*SERIES_KEYS, *self.names]),
            "interventions.csv": self._join("interventions", INTERVENTION_HEADER),
        }
        found = summarize_series(self.kind, self.variants, self.names, self._load)
        for variant, part in found.items():
            part.fixes.update(self._fixes[variant])
        summary = Summary(self.replications, self.weeks, tuple(self.names), found, sources)
        text = json.dumps(summary.to_json(), separators=(",", ":"), allow_nan=False)
        (self.folder / SUMMARY_FILE).write_text(text + "\n", encoding="utf-8", newline="\n")
        self.close()
        return summary

    def _join(self, name: str, header: list[str]) -> dict[str, Any]:
        """Header plus every variant's part, in variant order; the bytes and SHA-256 written."""
        digest, size = hashlib.sha256(), 0
        with (self.folder / f"{name}.csv").open("wb") as out:
            first = io.StringIO()
            csv.writer(first, lineterminator="\n").writerow(header)
            chunks = [first.getvalue().encode("utf-8")]
            for chunk in chunks:
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            for i in range(len(self.variants)):
                part = self._part(name, i)
                with part.open("rb") as source:
                    while chunk := source.read(_COPY_BYTES):
                        out.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                part.unlink()
        return {"bytes": size, "sha256": digest.hexdigest()}

    def close(self) -> None:
        """Release every file (the staging folder's owner removes them)."""
        for handle in self._handles:
            handle.close()
        self._handles = []
        for scratch in self._scratch.values():
            scratch.close()
        self._scratch = {}
        for i in range(len(self.variants)):
            self._part("values", i).unlink(missing_ok=True)


__all__ = ["INTERVENTION_HEADER", "SERIES_KEYS", "Rows", "StreamWriter", "number_text", "rows_text"]
