"""What every plant offers the engine, and the decision a review hands to it.

Owns the contract between the control side and a simulated plant, so that one engine drives the
sales team and the thermostat alike: the ``Plant`` protocol (what a running plant does), the
``PlantSpec`` (what the engine and the experiment need to know about a kind of plant, registered
per kind in ``plant/registry.py``) and the times within a week at which things happen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from thermosim.control.levers import Intervention

if TYPE_CHECKING:
    import numpy.typing as npt
    import simpy

    from thermosim.config.control import PolicyConfig
    from thermosim.config.shocks import MechanismsConfig
    from thermosim.plant.shocks import ShockSchedule
    from thermosim.random_streams import Stream

# A week runs from t to t+1: reviews at t + REVIEW_AT, one-off shocks at t + SHOCK_AT, planning
# at t + PLAN_AT, and the week is booked at t + BOOK_AT.
REVIEW_AT = 0.001
PLAN_AT = 0.002
SHOCK_AT = 0.0015
BOOK_AT = 0.999


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one review, as the plant receives it.

    Attributes
    ----------
    week
        Time of the review.
    continuous
        Net intensity per lasting lever (summed over loops).
    pushes
        Each loop's own contribution to the shared levers (for the cost of pulling against
        each other).
    started
        Quick fixes started at this review.
    pressure
        Management pressure, 0..1 (the thermostat: the total power of the loops' heaters, one
        per loop, so -n..n for n loops; negative cools).
    gap
        The main loop's perceived relative shortfall, ``(reference - perceived) / reference``,
        as reported to the team; None before the first report. The plant judges misses and
        progress from it with its own tolerance, the same for every variant.
    goal_shared
        Whether the team shares and sees one goal (a variant's reference setting).
    """

    week: float
    continuous: dict[str, float] = field(default_factory=dict)
    pushes: list[dict[str, float]] = field(default_factory=list)
    started: list[Intervention] = field(default_factory=list)
    pressure: float = 0.0
    gap: float | None = None
    goal_shared: bool = False


class Plant(Protocol):
    """A simulated plant the engine can drive."""

    def start(self) -> None:
        """Register the plant's SimPy processes."""

    def target(self, week: float) -> float:
        """The imposed target (set point) at ``week``, in plant units."""

    def sample(self, metric: str) -> float | None:
        """The latest complete value of ``metric`` (None before the first week is booked)."""

    def apply(self, decision: Decision) -> None:
        """Take a review's decision."""

    def close_week(self, week: float) -> dict[str, float]:
        """Book the week ending now and return its row of series values."""


CfgT = TypeVar("CfgT")
PlantT = TypeVar("PlantT", bound=Plant)
StreamFactory = Callable[[str], "Stream"]


def _no_warmup(cfg: Any) -> int:
    return 0


def _no_fixed_reference(cfg: Any, metric: str) -> float | None:
    return None


def _relative_error(cfg: Any) -> float | None:
    return None


def _no_ledger(plant: Any) -> dict[str, float]:
    return {}


@dataclass(frozen=True)
class PlantSpec(Generic[CfgT, PlantT]):
    """Everything the engine and the experiment know about one kind of plant.

    The engine speaks only this spec and the ``Plant`` protocol; a new plant is its config
    section, its plant module with a spec, a line in ``plant/registry.py`` and its series and
    KPIs in ``metrics``.

    Attributes
    ----------
    kind
        The plant's ``kind`` in a scenario file.
    metrics
        What its loops can perceive; the first is what a team's loop reads by default.
    build
        ``(env, cfg, mechanisms, schedule, streams) -> plant``: the plant, with any SimPy
        process of its own besides ``start`` (e.g. one-off shocks) registered.
    required_series, primary_series
        The series it records for ``metrics`` and the one recovery and tracking are measured
        on (``metrics.REQUIRED_SERIES`` and ``metrics.PRIMARY_SERIES``).
    kpis
        One replication's KPIs from its series (``metrics.run_kpis`` for this kind).
    pressure
        ``(outputs, policy) -> pressure``: what the plant gets from the loops' outputs at a
        review (``Decision.pressure``).
    noise_sd
        ``(cfg, noise, level, imposed) -> sd``: the reporting noise of a loop with relative
        noise ``noise``, reference ``level`` and fixed reference ``imposed`` (None: the target).
    warmup_weeks
        Weeks run (unrecorded) before week 0.
    reference_for
        ``(cfg, metric) -> value``: a team loop's fixed reference on ``metric``; None = the
        plant's target.
    error_scale
        ``cfg -> scale``: the loops' error is divided by it (absolute units); None = relative
        to the reference.
    relative_metrics
        Metrics on which a member loop's reference is a multiple of the target (others are the
        member's own fixed value).
    ledger, warmup_ledger
        The conservation counters at the end of the run, and what the warm-up contributed.
    one_sided_recovery
        Whether recovery counts only shortfalls (the target is a floor), not overshoot.
    resting_series
        The recorded series the primary one comes to rest at without control
        (``metrics.RESTING_SERIES``); None: zero. Gap and recovery band are shares of the
        target's distance from it.
    figure_families
        Figure families that mean something for the plant (names only; None = every family
        the figures can draw). ``figures.render.families_for`` reads it.
    """

    kind: str
    metrics: tuple[str, ...]
    build: Callable[
        [simpy.Environment, CfgT, MechanismsConfig, ShockSchedule, StreamFactory], PlantT
    ]
    required_series: tuple[str, ...]
    primary_series: str
    kpis: Callable[[Mapping[str, npt.ArrayLike]], dict[str, float]]
    pressure: Callable[[Sequence[float], PolicyConfig], float]
    noise_sd: Callable[[CfgT, float, float, float | None], float]
    warmup_weeks: Callable[[CfgT], int] = _no_warmup
    reference_for: Callable[[CfgT, str], float | None] = _no_fixed_reference
    error_scale: Callable[[CfgT], float | None] = _relative_error
    relative_metrics: tuple[str, ...] = ()
    ledger: Callable[[PlantT], dict[str, float]] = _no_ledger
    warmup_ledger: Callable[[PlantT], dict[str, float]] = _no_ledger
    one_sided_recovery: bool = False
    resting_series: str | None = None
    figure_families: tuple[str, ...] | None = None
