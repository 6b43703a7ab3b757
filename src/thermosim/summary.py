"""What the figures draw of a run, computed once: ``summary.json`` of a results folder.

Owns the summary of a run over its replications, so that figures, deck and animation read a
file whose size depends on weeks x series, not on replications (timeseries.csv holds every
replication). Per variant, over replications, week by week: the mean and the 10/50/90%
percentiles (``numpy.nanpercentile``, linear) of

- ``weekly``: every series of timeseries.csv;
- ``rolling``: the 4-week trailing mean (``metrics.rolling_mean``) of the series the figures
  draw that way (``ROLLED``, those of them the run has);
- ``derived``: for the sales plant ``gap`` (cumulative revenue minus cumulative target) and
  ``recovery`` (4-week revenue / 4-week target, missing where the target is 0); for the
  thermostat ``recovery`` (4-week temperature minus 4-week target);

and per series ``totals``: ``sum`` over all replications and weeks (``nansum``), ``rep_mean``
and ``rep_p50``, the mean and median over replications of each replication's sum over weeks;
``fixes``: quick fixes started, per lever, counted by the whole week they start in (a list of
weeks + 1 counts: an action may start at the horizon itself).

Layout of ``summary.json`` (numbers that are not finite are ``null``)::

    {"format": 1, "replications": R, "weeks": W, "series": [name, ...],
     "sources": {"timeseries.csv": {"bytes": B, "sha256": H}, "interventions.csv": {...}},
     "variants": {variant: {
         "weekly":  {series: {"mean": [W numbers], "p10": [...], "p50": [...], "p90": [...]}},
         "rolling": {series: {...the same four...}},
         "derived": {"gap" | "recovery": {...the same four...}},
         "totals":  {series: {"sum": x, "rep_mean": x, "rep_p50": x}},
         "fixes":   {lever: [W + 1 whole numbers]}}}}

``sources`` fingerprints the two files it summarises: a reader uses the summary only while they
are byte for byte what it was computed from (``saved_check``), else recomputes it from them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import numpy as np
import numpy.typing as npt

from thermosim.metrics import PRIMARY_SERIES, ROLL_WEEKS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Stats = dict[str, FloatArray]  # "mean", "p10", "p50", "p90" -> one value per week
# Load some series of one variant: name -> (replications, weeks) array.
Loader = Callable[[str, Sequence[str]], Mapping[str, FloatArray]]

FILE = "summary.json"
FORMAT = 1
STATS = ("mean", "p10", "p50", "p90")
TOTALS = ("sum", "rep_mean", "rep_p50")
KINDS = ("weekly", "rolling", "derived")
ROLLED = ("revenue", "target", "temperature", "hours_firefighting")
SOURCES = ("timeseries.csv", "interventions.csv")


class SummaryError(ValueError):
    """A summary.json that is not what ``Summary.to_json`` writes (the message says where)."""


@dataclass(frozen=True)
class VariantSummary:
    """One variant's summary (see the module docstring for what each part holds)."""

    weekly: dict[str, Stats]
    rolling: dict[str, Stats]
    derived: dict[str, Stats]
    totals: dict[str, dict[str, float]]
    fixes: dict[str, IntArray] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    """A run summarised over its replications: what summary.json holds."""

    replications: int
    weeks: int
    series: tuple[str, ...]
    variants: dict[str, VariantSummary]
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON value of summary.json."""
        return {
            "format": FORMAT,
            "replications": self.replications,
            "weeks": self.weeks,
            "series": list(self.series),
            "sources": self.sources,
            "variants": {
                name: {
                    **{kind: _stats_json(getattr(v, kind)) for kind in KINDS},
                    "totals": {s: {k: _num(x) for k, x in t.items()} for s, t in v.totals.items()},
                    "fixes": {lever: [int(c) for c in counts] for lever, counts in v.fixes.items()},
                }
                for name, v in self.variants.items()
            },
        }


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _stats_json(part: Mapping[str, Stats]) -> dict[str, dict[str, list[float | None]]]:
    return {
        s: {k: [_num(x) for x in stats[k].tolist()] for k in STATS} for s, stats in part.items()
    }


def rolling_rows(x: npt.ArrayLike, window: int = ROLL_WEEKS) -> FloatArray:
    """``metrics.rolling_mean`` of each row at once (the same additions, the same numbers)."""
    a = np.asarray(x, dtype=np.float64)
    csum = np.cumsum(a, axis=-1)
    sums = csum.copy()
    sums[..., window:] = csum[..., window:] - csum[..., :-window]
    counts = np.minimum(np.arange(1, a.shape[-1] + 1), window)
    result: FloatArray = sums / counts
    return result


def weekly_stats(x: FloatArray) -> Stats:
    """Mean and 10/50/90% over replications (axis 0), week by week; all-missing weeks: nan."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a week without any value: nan
        p10, p50, p90 = _percentiles(x, [10, 50, 90])
        mean = np.nanmean(x, axis=0)
    return {"mean": mean, "p10": p10, "p50": p50, "p90": p90}


def _percentiles(x: FloatArray, q: list[float]) -> FloatArray:
    """``np.nanpercentile(x, q, axis=0)``, the same numbers, in a fraction of the time.

    With a missing value anywhere, nanpercentile works column by column in Python (thousands
    of calls for a run's series); the columns without one take numpy's vectorised percentile,
    which is the same linear interpolation, and only the others the slow path.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        return np.asarray(np.nanpercentile(x, q, axis=0))
    gaps = np.isnan(x).any(axis=0)
    found = np.empty((len(q), x.shape[1]))
    found[:, ~gaps] = np.percentile(x[:, ~gaps], q, axis=0)
    if gaps.any():
        found[:, gaps] = np.nanpercentile(x[:, gaps], q, axis=0)
    return found


def totals(x: FloatArray) -> dict[str, float]:
    """Sum over everything, and mean and median over replications of each one's sum."""
    each = x.sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return {
            "sum": float(np.nansum(x)),
            "rep_mean": float(np.nanmean(each)),
            "rep_p50": float(np.nanmedian(each)),
        }


def parts(kind: str, names: Sequence[str]) -> tuple[list[str], list[str]]:
    """The ``rolling`` series and the ``derived`` measures a run with series ``names`` gets."""
    rolled = [n for n in names if n in ROLLED]
    if PRIMARY_SERIES.get(kind, "") not in names or "target" not in names:
        return rolled, []
    return rolled, ["gap", "recovery"] if kind == "sales" else ["recovery"]


def derived(kind: str, primary: FloatArray, target: FloatArray) -> dict[str, Stats]:
    """The measures of a plant that combine its primary series with the target."""
    rolled, goal = rolling_rows(primary), rolling_rows(target)
    if kind == "sales":
        return {
            "gap": weekly_stats(np.cumsum(primary - target, axis=1)),
            "recovery": weekly_stats(rolled / np.where(goal == 0, np.nan, goal)),
        }
    return {"recovery": weekly_stats(rolled - goal)}


def _chunks(names: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(names), max(1, size)):
        yield names[start : start + max(1, size)]


def summarize_series(
    kind: str,
    variants: Sequence[str],
    names: Sequence[str],
    load: Loader,
    chunk: int = 1,
) -> dict[str, VariantSummary]:
    """Every variant's summary of the series ``names`` (no fixes), ``chunk`` series per load.

    Only the series of one load are held at once: replications x weeks floats each.
    """
    primary = PRIMARY_SERIES.get(kind, "")
    rolling, measures = parts(kind, names)
    found = {}
    for variant in variants:
        weekly: dict[str, Stats] = {}
        rolled: dict[str, Stats] = {}
        sums: dict[str, dict[str, float]] = {}
        for group in _chunks(names, chunk):
            for name, values in load(variant, group).items():
                weekly[name] = weekly_stats(values)
                sums[name] = totals(values)
                if name in rolling:
                    rolled[name] = weekly_stats(rolling_rows(values))
        extra: dict[str, Stats] = {}
        if measures:
            both = load(variant, [primary, "target"])
            extra = derived(kind, both[primary], both["target"])
        found[variant] = VariantSummary(weekly, rolled, extra, sums)
    return found


# -- reading summary.json ---------------------------------------------------------------------


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _finite(value: Any) -> bool:
    """A finite JSON number (a 400-digit integer overflows a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SummaryError(f"{where} is not an object")
    return value


def _numbers(value: Any, length: int, where: str, finite: bool) -> FloatArray:
    if not isinstance(value, list) or len(value) != length:
        size = f"{len(value)} values" if isinstance(value, list) else "not a list"
        raise SummaryError(f"{where} has {size}, not {length} (one a week)")
    for i, x in enumerate(value):
        if not (x is None and not finite) and not _finite(x):
            raise SummaryError(
                f"{where}[{i}] is not a finite number" + ("" if finite else " or null")
            )
    return np.array([math.nan if x is None else x for x in value], dtype=np.float64)


def _scalar(value: Any, where: str) -> float:
    if value is None:
        return math.nan
    if not _finite(value):
        raise SummaryError(f"{where} is not a finite number or null")
    return float(value)


def _stats(value: Any, weeks: int, where: str, finite: bool) -> Stats:
    found = _object(value, where)
    return {k: _numbers(found.get(k), weeks, f"{where}.{k}", finite) for k in STATS}


def from_json(
    data: Any,
    kind: str,
    variants: Sequence[str],
    replications: int,
    weeks: int,
    required: Sequence[str],
) -> Summary:
    """The ``Summary`` of a summary.json value, checked against the run it belongs to.

    ``required``: the plant's own series, whose statistics must be finite numbers.

    Raises
    ------
    SummaryError
        Saying where it does not fit (format, run, a variant, a series, a number).
    """
    top = _object(data, "it")
    fmt = top.get("format")
    if not _whole(fmt) or not 1 <= fmt <= FORMAT:
        raise SummaryError(f"'format' is {fmt!r}, not a summary format this thermosim reads")
    if top.get("replications") != replications or top.get("weeks") != weeks:
        raise SummaryError(
            f"it summarises {top.get('replications')!r} replications of {top.get('weeks')!r} "
            f"weeks, but the run has {replications} of {weeks}"
        )
    names = top.get("series")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise SummaryError("'series' is not a list of series names")
    sources = _object(top.get("sources"), "'sources'")
    for source in SOURCES:
        each = _object(sources.get(source), f"sources.{source}")
        if not _whole(each.get("bytes")) or not isinstance(each.get("sha256"), str):
            raise SummaryError(f"sources.{source} has no 'bytes' and 'sha256'")
    by_variant = _object(top.get("variants"), "'variants'")
    if list(by_variant) != list(variants):
        raise SummaryError(
            f"its variants are {', '.join(map(str, by_variant)) or 'none'}, "
            f"not the run's {', '.join(variants)}"
        )
    found = {}
    for variant in variants:
        at = f"variants.{variant}"
        part = _object(by_variant[variant], at)
        held: dict[str, dict[str, Stats]] = {}
        for group, wanted in zip(KINDS, (names, *parts(kind, names)), strict=True):
            section = _object(part.get(group), f"{at}.{group}")
            if list(section) != wanted:
                raise SummaryError(
                    f"{at}.{group} holds {', '.join(section) or 'nothing'}, not "
                    f"{', '.join(wanted) or 'nothing'}"
                )
            held[group] = {
                s: _stats(v, weeks, f"{at}.{group}.{s}", group == "weekly" and s in required)
                for s, v in section.items()
            }
        sums = _object(part.get("totals"), f"{at}.totals")
        if list(sums) != names:
            raise SummaryError(f"{at}.totals does not hold every series of 'series'")
        totals_found = {}
        for s, value in sums.items():
            each = _object(value, f"{at}.totals.{s}")
            totals_found[s] = {k: _scalar(each.get(k), f"{at}.totals.{s}.{k}") for k in TOTALS}
        fixes = {}
        for lever, counts in _object(part.get("fixes"), f"{at}.fixes").items():
            ok = isinstance(counts, list) and len(counts) == weeks + 1
            if not ok or not all(_whole(c) and c >= 0 for c in counts):
                raise SummaryError(f"{at}.fixes.{lever} is not {weeks + 1} whole numbers")
            fixes[lever] = np.array(counts, dtype=np.int64)
        found[variant] = VariantSummary(
            held["weekly"], held["rolling"], held["derived"], totals_found, fixes
        )
    return Summary(replications, weeks, tuple(names), found, sources)


__all__ = [
    "FILE",
    "FORMAT",
    "ROLLED",
    "STATS",
    "Summary",
    "SummaryError",
    "VariantSummary",
    "derived",
    "from_json",
    "parts",
    "rolling_rows",
    "summarize_series",
    "totals",
    "weekly_stats",
]
