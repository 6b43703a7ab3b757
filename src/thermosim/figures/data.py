"""What the figures add to a results folder: variant looks, shock marks, bands.

``SavedResults`` is the one typed view of a results folder (the resolved scenario as the
``Scenario`` model, its summary, KPIs); ``Story`` adds only what the figures draw with it: each
variant's look and the shocks as the time axis marks them (label, span, the thaw that ends a
cold snap), and the Monte Carlo summaries as bands: the 10/50/90% over replications week by
week of a series, of its trailing 4-week mean (``metrics``' rolling mean and window, the KPIs
judge the same) or of a derived measure, read from the folder's summary (``thermosim.summary``:
computed once, never from every replication's rows again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from thermosim.config.scenario import Variant
from thermosim.config.shocks import FactorShock
from thermosim.config.shocks import Shock as ShockSpec
from thermosim.figures.labels import degrees, number, percent, text, variant_label
from thermosim.figures.style import LineLook, variant_looks
from thermosim.metrics import RECOVERY_BAND, ROLL_WEEKS, rolling_mean
from thermosim.plant.registry import plant_spec
from thermosim.saved import SavedResults
from thermosim.summary import rolling_rows

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Band:
    """10th, 50th and 90th percentile over replications, week by week."""

    low: FloatArray
    mid: FloatArray
    high: FloatArray


@dataclass(frozen=True)
class Shock:
    """One shock as the figures mark it: the scenario's shock and the span it is shaded."""

    spec: ShockSpec
    end: float | None  # None: lasts to the end of the run
    undoes: bool = False  # it reverses an earlier shock of the same kind (a thaw)

    @property
    def kind(self) -> str:
        """The shock's kind (``lost_account``, ...)."""
        return self.spec.kind

    @property
    def week(self) -> float:
        """Week the shock starts."""
        return self.spec.week

    def label(self, lang: str, size: bool = True) -> str:
        """Short label for the time axis ("key account lost" / "sleutelklant weg").

        ``size=False`` leaves a temperature change's degrees out (for the loop diagram).
        """
        s = self.spec
        if s.kind == "lost_account":
            if s.count == 1:
                return text("shock.lost_account", lang)
            return text("shock.lost_account.many", lang, count=s.count)
        if s.kind == "people_leave":
            if s.count == 1:
                return text("shock.people_leave.one", lang)
            return text("shock.people_leave", lang, count=s.count)
        if isinstance(s, FactorShock):  # any multiplier: its label says by how much
            factor = s.factor
            change = ("+" if factor >= 1 else "−") + percent(abs(factor - 1), lang)
            if s.kind == "target_change":
                key = "shock.target_change." + ("up" if factor >= 1 else "down")
                return text(key, lang, change=change)
            return text(f"shock.{s.kind}", lang, change=change)
        if s.kind == "outside_temperature":
            delta = s.delta_c
            change = ("+" if delta >= 0 else "") + degrees(delta, lang, 0) if size else ""
            key = "shock.outside_temperature." + ("up" if delta >= 0 else "down")
            return text(key, lang, change=change).strip()
        if s.kind == "seasonality":
            return text("shock.seasonality", lang)
        return str(s.kind).replace("_", " ")

    @property
    def recoverable(self) -> bool:
        """Seasonality has no recovery time (metrics measures none)."""
        return self.kind != "seasonality"


@dataclass(frozen=True)
class Story:
    """A results folder as the figures draw it: the typed view plus looks and shock marks."""

    results: SavedResults
    looks: Mapping[str, LineLook]
    shocks: tuple[Shock, ...]

    @classmethod
    def of(cls, results: SavedResults) -> Story:
        """The looks of the variants and the marks of the shocks of a results folder."""
        scenario = results.scenario
        weeks = results.weeks
        return cls(
            results=results,
            looks=variant_looks([(v, results.variant(v).preset) for v in results.variants]),
            # scenario order: recovery KPIs are numbered in it
            shocks=_pair_up([_shock(s, weeks) for s in scenario.shocks]),
        )

    @property
    def plant(self) -> str:
        """``sales`` or ``thermostat``."""
        return self.results.plant

    @property
    def sales(self) -> bool:
        """True for the sales plant, False for the thermostat."""
        return self.results.sales

    @property
    def variants(self) -> tuple[str, ...]:
        """The variants with results, in scenario order."""
        return self.results.variants

    @property
    def weeks(self) -> int:
        """Weeks simulated."""
        return self.results.weeks

    @property
    def reps(self) -> int:
        """Replications."""
        return self.results.reps

    def spec(self, variant: str) -> Variant:
        """The resolved settings of ``variant``."""
        return self.results.variant(variant)

    def shocks_recoverable(self) -> tuple[Shock, ...]:
        """Shocks with a recovery time, in the order metrics numbers them."""
        return tuple(s for s in self.shocks if s.recoverable)

    def series(self, variant: str, name: str) -> FloatArray:
        """(replications, weeks) array of one series, read from timeseries.csv.

        Slow for a long run: the figures draw from the summary (``band`` and the like).
        """
        return self.results.values(variant, name)

    def band(self, variant: str, name: str, kind: str = "weekly") -> Band:
        """10/50/90% over replications, week by week, of one measure.

        ``kind``: ``weekly`` (a series), ``rolling`` (its 4-week trailing mean) or ``derived``
        (``gap``, ``recovery``).
        """
        stats = self.results.stats(variant, name, kind)
        return Band(stats["p10"], stats["p50"], stats["p90"])

    def median(self, variant: str, name: str, kind: str = "weekly") -> FloatArray:
        """The weekly median over replications (see ``band``)."""
        return self.results.stats(variant, name, kind)["p50"]

    def total(self, variant: str, name: str, stat: str = "sum") -> float:
        """A series summed over replications and weeks.

        ``stat``: ``sum`` (all of it), ``rep_mean`` or ``rep_p50`` (each replication's sum over
        the weeks, averaged over replications or their median).
        """
        return self.results.total(variant, name, stat)

    def has(self, name: str) -> bool:
        """True when the run recorded series ``name``."""
        return self.results.has(name)

    def kpi(self, variant: str, name: str, stat: str = "mean") -> float:
        """One KPI statistic (nan when the KPI is missing)."""
        return self.results.kpi(variant, name, stat)

    def label(self, variant: str, lang: str, inline: bool = False) -> str:
        """Display name of a variant."""
        return variant_label(variant, lang, self.spec(variant).preset, inline=inline)

    def title(self, lang: str) -> str:
        """The scenario's title in ``lang`` (its name when that is missing)."""
        return getattr(self.results.scenario.title, lang) or self.results.name

    def footer(self, lang: str, bands: bool = True) -> str:
        """Scenario, replications and seed (and what lines and bands are)."""
        words = text(
            "footer",
            lang,
            title=self.title(lang),
            scenario=self.results.name,
            reps=self.reps,
            seed=self.results.seed,
        )
        return f"{words} · {text('footer.bands', lang)}" if bands else words

    def setpoint(self) -> float:
        """The thermostat's set point (°C), from the target series."""
        return float(self.median(self.variants[0], "target")[-1])

    def recovery_zone(self) -> FloatArray:
        """Half-width of the band recovery is measured in, week by week, in the panel's units.

        Sales: 5% (the panel shows revenue / target). A plant with a resting series (the
        thermostat): 5% of the target's 4-week distance from it, in its units (degC), as
        ``metrics.recovery_weeks`` measures; set point and outside are alike in every
        replication, so their medians give it exactly.
        """
        resting = plant_spec(self.results.scenario.plant.kind).resting_series
        if self.sales or resting is None:
            return np.full(self.weeks, RECOVERY_BAND)
        v = self.variants[0]
        lift = rolling_mean(self.median(v, "target") - self.median(v, resting), ROLL_WEEKS)
        return RECOVERY_BAND * np.abs(lift)

    def setpoint_text(self, lang: str) -> str:
        """``20 °C``."""
        value = self.setpoint()
        return degrees(value, lang, 0 if float(value).is_integer() else 1)

    def people(self) -> str:
        """Team size as text."""
        plant = self.results.scenario.plant
        return number(float(plant.people.team_size if plant.kind == "sales" else 0), "en")


def _shock(spec: ShockSpec, weeks: int) -> Shock:
    active = spec.active_weeks()
    end = None if active is None else min(float(weeks), spec.week + active)
    return Shock(spec, end)


def _direction(shock: Shock) -> float:
    s = shock.spec
    if s.kind == "outside_temperature":
        return s.delta_c
    if isinstance(s, FactorShock):
        return s.factor - 1.0
    return 0.0


def shock_marks(specs: Sequence[ShockSpec], weeks: int) -> tuple[Shock, ...]:
    """The marks of the shocks ``specs`` that start within ``weeks``, as ``Story.shocks``."""
    return _pair_up([_shock(s, weeks) for s in specs if s.week < weeks])


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
                result[i] = Shock(first.spec, later.week)
                result[j] = Shock(later.spec, later.end, undoes=True)
                break
    return tuple(result)


def rolling(x: FloatArray, window: int = ROLL_WEEKS) -> FloatArray:
    """``metrics.rolling_mean`` of each row: the trailing means the KPIs judge."""
    return rolling_rows(x, window)


def band(x: FloatArray) -> Band:
    """Median and 10-90% band over replications (axis 0)."""
    low, mid, high = np.nanpercentile(x, [10, 50, 90], axis=0)
    return Band(low, mid, high)
