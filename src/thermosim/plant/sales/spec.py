"""The sales plant's spec: what the engine and the experiment need to know about it.

Owns the sales-only knowledge the engine used to hold: the warm-up, the fixed references of the
ratio metrics, reporting noise relative to the target, overtime pressure from the loops' outputs,
and the ledger that reconciles the recorded weeks with the warm-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import simpy

from thermosim import metrics
from thermosim.config.control import PolicyConfig
from thermosim.config.sales import SalesPlantConfig
from thermosim.config.scenario import PLANT_METRICS
from thermosim.config.shocks import MechanismsConfig
from thermosim.plant.base import SHOCK_AT, PlantSpec, StreamFactory
from thermosim.plant.sales.plant import SalesPlant
from thermosim.plant.shocks import ShockSchedule, fire_one_offs

WARMUP_COUNTED = ("leads_in", "opportunities_won", "opportunities_lost")


def build(
    env: simpy.Environment,
    cfg: SalesPlantConfig,
    mechanisms: MechanismsConfig,
    schedule: ShockSchedule,
    streams: StreamFactory,
) -> SalesPlant:
    """The team, with its one-off shocks (a lost account, people leaving) on the calendar."""
    plant = SalesPlant(env, cfg, mechanisms, schedule, streams)
    env.process(fire_one_offs(env, schedule, plant.shock_one_off, SHOCK_AT))
    return plant


def reference_for(cfg: SalesPlantConfig, metric: str) -> float | None:
    """A team loop's fixed reference on ``metric``; None = the target (revenue).

    A team steering on a ratio aims at the plant's own gross margin or reference satisfaction
    (times ``reference.level``).
    """
    if metric == "margin":
        return cfg.deals.gross_margin
    if metric == "satisfaction":
        return cfg.accounts.satisfaction_reference
    return None


def noise_sd(cfg: SalesPlantConfig, noise: float, level: float, imposed: float | None) -> float:
    """Reporting noise relative to the loop's reference: its fixed value, or the target."""
    if imposed is not None:
        return noise * imposed
    return noise * level * cfg.target_eur_per_week


def pressure(outputs: Sequence[float], policy: PolicyConfig) -> float:
    """The loops' mean pressure, each asking for overtime only as far as the policy says."""
    share = policy.overtime_share
    # min(1.0, max(0.0, output)) written out (the same, to the bit): every review.
    clipped = [output if output > 0.0 else 0.0 for output in outputs]
    return sum([share * (output if output < 1.0 else 1.0) for output in clipped]) / len(outputs)


def ledger(plant: SalesPlant) -> dict[str, float]:
    """The conservation counters at the end of the run, with what is still open."""
    counters = plant.ledger
    result = {k: float(getattr(counters, k)) for k in counters.__dataclass_fields__}
    result["leads_open"] = float(sum(len(p.inbox) for p in plant.team))
    result["opportunities_open"] = float(sum(len(p.opportunities) for p in plant.team))
    return result


def warmup_ledger(plant: SalesPlant) -> dict[str, float]:
    """What the warm-up produced, so the recorded weeks reconcile with the ledger."""
    return {f"warmup_{k}": float(getattr(plant.ledger, k)) for k in WARMUP_COUNTED}


def _warmup_weeks(cfg: SalesPlantConfig) -> int:
    return cfg.warmup_weeks


SALES: PlantSpec[SalesPlantConfig, SalesPlant] = PlantSpec(
    kind="sales",
    metrics=PLANT_METRICS["sales"],
    build=build,
    required_series=metrics.REQUIRED_SERIES["sales"],
    primary_series=metrics.PRIMARY_SERIES["sales"],
    kpis=partial(metrics.run_kpis, plant="sales"),
    pressure=pressure,
    noise_sd=noise_sd,
    warmup_weeks=_warmup_weeks,
    reference_for=reference_for,
    relative_metrics=("revenue",),
    ledger=ledger,
    warmup_ledger=warmup_ledger,
    one_sided_recovery=True,
    figure_families=None,  # the sales plant has every series the figures draw
)
