"""What the figures read from a results folder, prepared once: variants, shocks, bands.

Owns the view of a ``SavedResults`` the figure families share (plant kind, variants in scenario
order with their settings and looks, shocks with their labels, horizon, footer) and the
Monte Carlo summaries they draw: trailing 4-week means and 10/50/90% bands over replications.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from thermosim.figures.labels import degrees, number, percent, text, variant_label
from thermosim.figures.style import LineLook, variant_looks
from thermosim.results import SavedResults

FloatArray = npt.NDArray[np.float64]
ROLL_WEEKS = 4  # the KPIs judge 4-week means (metrics._ROLL_WEEKS): the figures show the same


@dataclass(frozen=True)
class Band:
    """10th, 50th and 90th percentile over replications, week by week."""

    low: FloatArray
    mid: FloatArray
    high: FloatArray


@dataclass(frozen=True)
class Shock:
    """One shock as the figures mark it."""

    kind: str
    week: float
    end: float | None  # None: lasts to the end of the run
    spec: Mapping[str, Any]
    undoes: bool = False  # it reverses an earlier shock of the same kind (a thaw)

    def label(self, lang: str, size: bool = True) -> str:
        """Short label for the time axis ("key account lost" / "sleutelklant weg").

        ``size=False`` leaves a temperature change's degrees out (for the loop diagram).
        """
        s = self.spec
        if self.kind == "lost_account":
            count = int(s.get("count", 1))
            if count == 1:
                return text("shock.lost_account", lang)
            return text("shock.lost_account.many", lang, count=count)
        if self.kind == "people_leave":
            count = int(s.get("count", 2))
            if count == 1:
                return text("shock.people_leave.one", lang)
            return text("shock.people_leave", lang, count=count)
        if self.kind in ("lead_rate", "win_rate", "deal_size", "target_change"):
            factor = float(s.get("factor", 1.0))
            change = ("+" if factor >= 1 else "−") + percent(abs(factor - 1), lang)
            if self.kind == "target_change":
                key = "shock.target_change." + ("up" if factor >= 1 else "down")
                return text(key, lang, change=change)
            return text(f"shock.{self.kind}", lang, change=change)
        if self.kind == "outside_temperature":
            delta = float(s.get("delta_c", 0.0))
            change = ("+" if delta >= 0 else "") + degrees(delta, lang, 0) if size else ""
            key = "shock.outside_temperature." + ("up" if delta >= 0 else "down")
            return text(key, lang, change=change).strip()
        if self.kind == "seasonality":
            return text("shock.seasonality", lang)
        return self.kind.replace("_", " ")

    @property
    def recoverable(self) -> bool:
        """Seasonality has no recovery time (metrics measures none)."""
        return self.kind != "seasonality"


@dataclass(frozen=True)
class Story:
    """The parts of a results folder the figures use."""

    results: SavedResults
    plant: str
    variants: tuple[str, ...]
    specs: Mapping[str, Mapping[str, Any]]
    looks: Mapping[str, LineLook]
    shocks: tuple[Shock, ...]
    weeks: int
    reps: int
    seed: int
    scenario: str
    titles: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, results: SavedResults) -> Story:
        """Read the scenario, variants and shocks from a results folder."""
        resolved: Mapping[str, Any] = results.manifest.get("resolved_scenario", {})
        specs = list(resolved.get("variants") or [{"name": v} for v in results.series])
        names = tuple(str(v["name"]) for v in specs if str(v["name"]) in results.series)
        first = results.series[names[0]]
        weeks = int(next(iter(first.values())).shape[1])
        shocks = _pair_up([_shock(s, weeks) for s in resolved.get("shocks") or []])
        title = resolved.get("title") or {}
        return cls(
            results=results,
            plant=str((resolved.get("plant") or {}).get("kind", "sales")),
            variants=names,
            specs={str(v["name"]): v for v in specs},
            looks=variant_looks([v for v in specs if str(v["name"]) in names]),
            shocks=shocks,  # scenario order: recovery KPIs are numbered in it
            weeks=weeks,
            reps=int(next(iter(first.values())).shape[0]),
            seed=int(results.manifest.get("seed", resolved.get("seed", 0))),
            scenario=str(results.manifest.get("scenario", resolved.get("name", ""))),
            titles=dict(title) if isinstance(title, Mapping) else {},
        )

    @property
    def sales(self) -> bool:
        """True for the sales plant, False for the thermostat."""
        return self.plant == "sales"

    def shocks_recoverable(self) -> tuple[Shock, ...]:
        """Shocks with a recovery time, in the order metrics numbers them."""
        return tuple(s for s in self.shocks if s.recoverable)

    def series(self, variant: str, name: str) -> FloatArray:
        """(replications, weeks) array of one series."""
        return np.asarray(self.results.series[variant][name], dtype=np.float64)

    def kpi(self, variant: str, name: str, stat: str = "mean") -> float:
        """One KPI statistic (nan when the KPI is missing)."""
        return float(self.results.kpis.get(variant, {}).get(name, {}).get(stat, np.nan))

    def label(self, variant: str, lang: str, inline: bool = False) -> str:
        """Display name of a variant."""
        preset = self.specs.get(variant, {}).get("preset")
        return variant_label(variant, lang, str(preset) if preset else None, inline=inline)

    def footer(self, lang: str, bands: bool = True) -> str:
        """Scenario, replications and seed (and what lines and bands are)."""
        title = self.titles.get(lang) or self.scenario
        words = text(
            "footer", lang, title=title, scenario=self.scenario, reps=self.reps, seed=self.seed
        )
        return f"{words} · {text('footer.bands', lang)}" if bands else words

    def setpoint(self) -> float:
        """The thermostat's set point (°C), from the target series."""
        return float(np.nanmedian(self.series(self.variants[0], "target")[:, -1]))

    def setpoint_text(self, lang: str) -> str:
        """``20 °C``."""
        value = self.setpoint()
        return degrees(value, lang, 0 if float(value).is_integer() else 1)

    def people(self) -> str:
        """Team size as text."""
        plant = self.results.manifest.get("resolved_scenario", {}).get("plant", {})
        return number(float(plant.get("people", {}).get("team_size", 0)), "en")


def _shock(spec: Mapping[str, Any], weeks: int) -> Shock:
    kind = str(spec.get("kind", ""))
    week = float(spec.get("week", 0.0))
    duration = spec.get("duration_weeks")
    if duration is None and spec.get("shape") == "pulse":
        duration = 4.0  # a pulse without a duration lasts 4 weeks (config/shocks.py)
    end = None if duration is None else min(float(weeks), week + float(duration))
    return Shock(kind, week, end, spec)


def _direction(shock: Shock) -> float:
    if shock.kind == "outside_temperature":
        return float(shock.spec.get("delta_c", 0.0))
    if "factor" in shock.spec:
        return float(shock.spec["factor"]) - 1.0
    return 0.0


def _pair_up(shocks: list[Shock]) -> tuple[Shock, ...]:
    """End a lasting shock where a later one of the same kind pushes back (cold snap, thaw)."""
    result = list(shocks)
    for i, first in enumerate(result):
        for j in range(i + 1, len(result)):
            later = result[j]
            if (
                later.kind == first.kind
                and first.end is None
                and not first.undoes
                and _direction(first) * _direction(later) < 0
                and later.week > first.week
            ):
                result[i] = Shock(first.kind, first.week, later.week, first.spec)
                result[j] = Shock(later.kind, later.week, later.end, later.spec, undoes=True)
                break
    return tuple(result)


def rolling(x: FloatArray, window: int = ROLL_WEEKS) -> FloatArray:
    """Trailing mean along the last axis (the first weeks average what there is)."""
    csum = np.cumsum(x, axis=-1)
    sums = csum.copy()
    sums[..., window:] = csum[..., window:] - csum[..., :-window]
    counts = np.minimum(np.arange(1, x.shape[-1] + 1), window)
    result: FloatArray = sums / counts
    return result


def band(x: FloatArray) -> Band:
    """Median and 10-90% band over replications (axis 0)."""
    low, mid, high = np.nanpercentile(x, [10, 50, 90], axis=0)
    return Band(low, mid, high)
