"""The anatomy of the difference: a ladder from one variant to another, one group at a time.

Owns the ladder (which fields form a step, in which order, and the rungs built from them), the
two reference variants run beside it (``open-loop`` and "invest without feedback"), each step's
contribution to the headline KPIs per replication on common random numbers, and the files it
leaves in a results folder: ``explain.json``, written atomically next to what ``run`` wrote.

The order matters: a step is measured with every earlier step already taken, so what two steps
do together (an interaction) is counted in the later one.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from thermosim import console
from thermosim.config.presets import PRESETS
from thermosim.config.scenario import Scenario, Variant, deep_merge
from thermosim.errors import ScenarioError
from thermosim.experiment import Experiment, ProgressCallback, run_experiment
from thermosim.results import EXPLAIN_FILE, ResultsError, hash_of

FILE = EXPLAIN_FILE  # the name results.py keeps when a run replaces the folder
STATS = ("mean", "p10", "p50", "p90")
HEADLINE: Mapping[str, tuple[str, ...]] = {
    "sales": ("attainment", "operating_profit", "revenue_sd", "fatigue_mean"),
    "thermostat": ("gap_iae", "mean_abs_error_c", "overshoot_c", "swing_c"),
}
# What the waterfall shows unless told otherwise: the money, or the thermostat's average gap.
WATERFALL_KPI: Mapping[str, str] = {"sales": "operating_profit", "thermostat": "mean_abs_error_c"}
SECTIONS = ("reference", "perception", "policy", "levers")
IDENTITY = ("name", "preset")  # fields that name a variant and change nothing it does
OPEN_LOOP, INVEST = "open-loop", "invest-without-feedback"
START_RUNG = "step-0-start"
# |sum of the steps' means - total| may be at most this share of |total| (plus rounding).
TOLERANCE = 0.01


@dataclass(frozen=True)
class StepSpec:
    """One step of the ladder: which fields it copies from the end variant."""

    name: str
    slug: str
    label: Mapping[str, str]


# The ladder, in order. Each step copies its group from the end variant on top of all earlier
# steps; the names and positions never change, a step without a difference is left out.
STEPS: tuple[StepSpec, ...] = (
    StepSpec("perception", "perception", {"en": "Perception", "nl": "Waarneming"}),
    StepSpec("decision rule", "decision-rule", {"en": "Decision rule", "nl": "Beslisregel"}),
    StepSpec("lever menu", "lever-menu", {"en": "Lever menu", "nl": "Hefboommenu"}),
    StepSpec("overtime", "overtime", {"en": "Overtime", "nl": "Overwerk"}),
    StepSpec("shared goal", "shared-goal", {"en": "Shared goal", "nl": "Gedeeld doel"}),
    StepSpec("other", "other", {"en": "Other settings", "nl": "Overige instellingen"}),
)
REFERENCE_LABELS: Mapping[str, Mapping[str, str]] = {
    OPEN_LOOP: {"en": "No steering (open loop)", "nl": "Niet bijsturen (open lus)"},
    INVEST: {"en": "Invest without feedback", "nl": "Investeren zonder bijsturen"},
}

Fields = dict[str, Any]  # a variant's resolved fields, as model_dump(mode="json") gives them


def _group(step: str, fields: Fields) -> dict[str, Any]:
    """The fields of ``step``'s group in a variant, by dotted path."""
    if step == "perception":
        return {f"perception.{k}": v for k, v in fields["perception"].items()}
    if step == "decision rule":
        return {f"policy.{k}": v for k, v in fields["policy"].items() if k != "overtime_share"}
    if step == "lever menu":
        return {f"levers.{k}": v for k, v in fields["levers"].items()}
    if step == "overtime":
        return {"policy.overtime_share": fields["policy"]["overtime_share"]}
    if step == "shared goal":
        return {f"reference.{k}": v for k, v in fields["reference"].items()}
    if step == "other":
        return {k: v for k, v in fields.items() if k not in SECTIONS and k not in IDENTITY}
    raise ValueError(f"unknown step {step!r}")


def _put(fields: Fields, path: str, value: Any) -> None:
    """Set a dotted path (``policy.gain`` or a top-level ``members``) in place."""
    head, _, rest = path.partition(".")
    if rest:
        fields[head] = {**fields[head], rest: value}
    else:
        fields[head] = value


@dataclass(frozen=True)
class FieldChange:
    """One field a step changes: its dotted path and its value before and after."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Rung:
    """One variant of the ladder, and the step that led to it (None for the start)."""

    variant: str
    step: str | None
    fields: Fields = field(repr=False)


def ladder(start: Variant, end: Variant) -> tuple[list[Rung], dict[str, list[FieldChange]]]:
    """The rungs from ``start`` to ``end`` and the fields each step changes.

    Parameters
    ----------
    start, end
        Resolved variants (presets applied).

    Returns
    -------
    rungs
        The start rung, then one rung per step whose group differs, in ``STEPS`` order; each
        rung has every earlier step's fields from ``end`` and the rest from ``start``.
    changes
        ``{step name: [FieldChange, ...]}`` for the steps taken.
    """
    begin: Fields = start.model_dump(mode="json")
    goal: Fields = end.model_dump(mode="json")
    current = {k: v for k, v in begin.items() if k not in IDENTITY}
    rungs = [Rung(START_RUNG, None, dict(current))]
    changes: dict[str, list[FieldChange]] = {}
    for number, spec in enumerate(STEPS, start=1):
        before, after = _group(spec.name, current), _group(spec.name, goal)
        differing = [
            FieldChange(path, before.get(path), after.get(path))
            for path in sorted(set(before) | set(after))
            if before.get(path) != after.get(path)
        ]
        if not differing:
            continue
        for change in differing:
            _put(current, change.field, change.after)
        changes[spec.name] = differing
        rungs.append(Rung(f"step-{number}-{spec.slug}", spec.name, dict(current)))
    final = rungs[-1].fields
    wanted = {k: v for k, v in goal.items() if k not in IDENTITY}
    assert final == wanted, "the last rung must equal the end variant in every field"
    return rungs, changes


def open_loop(end: Variant) -> Fields:
    """The ``open-loop`` preset, perceiving the end variant's metric (the same plant's signal)."""
    data = deep_merge(PRESETS[OPEN_LOOP], {"perception": {"metric": end.perception.metric}})
    fields: Fields = Variant.model_validate({"name": OPEN_LOOP, **data}).model_dump(mode="json")
    return {k: v for k, v in fields.items() if k not in IDENTITY}


def invest_without_feedback(end: Variant) -> Fields:
    """The end variant with gain 0: its levers at their standing intensity, no reaction."""
    fields: Fields = end.model_dump(mode="json")
    fields["policy"] = {**fields["policy"], "gain": 0.0}
    return {k: v for k, v in fields.items() if k not in IDENTITY}


@dataclass(frozen=True)
class Step:
    """A step taken: what it changes and what that contributes to each headline KPI.

    Attributes
    ----------
    contribution
        ``{kpi: {"mean", "p10", "p50", "p90"}}`` of KPI(this rung) - KPI(rung before), taken
        per replication (common random numbers) and summarised over replications.
    """

    name: str
    label: Mapping[str, str]
    variant: str
    fields: tuple[FieldChange, ...]
    contribution: dict[str, dict[str, float]]


@dataclass(frozen=True)
class Reference:
    """A variant run beside the ladder on the same random numbers."""

    name: str
    label: Mapping[str, str]
    kpis: dict[str, float]  # means
    vs_start: dict[str, dict[str, float]]  # per-replication difference to the start, summarised


@dataclass(frozen=True)
class Explanation:
    """The ladder's results: steps, totals, rungs and references.

    Attributes
    ----------
    total
        ``{kpi: {"mean", "p10", "p50", "p90"}}`` of KPI(end) - KPI(start) per replication; the
        steps' means add up to its mean.
    rungs
        ``(variant, step or None, {kpi: mean})`` for the start and every step taken.
    experiment
        The experiment the numbers come from (one variant per rung and reference).
    """

    scenario: str
    title: Mapping[str, str]
    scenario_hash: str  # of the scenario explained: a rerun of it keeps this explanation
    plant: str
    horizon_weeks: int
    seed: int
    replications: int
    start: str
    end: str
    presets: Mapping[str, str | None]  # the start's and the end's preset, by variant name
    kpis: tuple[str, ...]
    steps: tuple[Step, ...]
    total: dict[str, dict[str, float]]
    rungs: tuple[tuple[str, str | None, dict[str, float]], ...]
    references: tuple[Reference, ...]
    experiment: Experiment = field(repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The content of ``explain.json`` (finite floats; NaN and inf become null)."""
        data = {
            "scenario": self.scenario,
            "scenario_hash": self.scenario_hash,
            "title": dict(self.title),
            "plant": self.plant,
            "horizon_weeks": self.horizon_weeks,
            "seed": self.seed,
            "replications": self.replications,
            "start": self.start,
            "end": self.end,
            "presets": dict(self.presets),
            "kpis": list(self.kpis),
            "steps": [
                {
                    "name": s.name,
                    "label": dict(s.label),
                    "variant": s.variant,
                    "fields": [
                        {"field": c.field, "from": c.before, "to": c.after} for c in s.fields
                    ],
                    "contribution": s.contribution,
                }
                for s in self.steps
            ],
            "total": self.total,
            "rungs": [
                {"variant": variant, "step": step, "kpis": kpis}
                for variant, step, kpis in self.rungs
            ],
            "references": [
                {
                    "name": r.name,
                    "label": dict(r.label),
                    "kpis": r.kpis,
                    "vs_start": r.vs_start,
                }
                for r in self.references
            ],
        }
        cleaned: dict[str, Any] = _finite(data)
        return cleaned


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _pick(scenario: Scenario, name: str, role: str) -> Variant:
    for v in scenario.variants:
        if v.name == name:
            return v
    known = ", ".join(v.name for v in scenario.variants)
    raise ScenarioError(
        f"no variant '{name}' in scenario '{scenario.name}' for {role}; known: {known}"
    )


def _ends(scenario: Scenario, start: str | None, end: str | None) -> tuple[Variant, Variant]:
    """The start and end variants: as named, else the first two (the first one not named)."""
    names = [v.name for v in scenario.variants]
    if start is None:
        start = next((n for n in names if n != end), None)
    if end is None:
        end = next((n for n in names if n != start), None)
    if start is None or end is None:
        raise ScenarioError(
            f"scenario '{scenario.name}' has one variant: explain needs two to compare"
        )
    first, last = _pick(scenario, start, "--from"), _pick(scenario, end, "--to")
    if first.name == last.name:
        raise ScenarioError(f"--from and --to are both '{first.name}': nothing to explain")
    return first, last


def _summary(values: Sequence[float]) -> dict[str, float]:
    array = np.asarray(values, dtype=np.float64)
    p10, p50, p90 = np.percentile(array, [10, 50, 90], method="linear")
    return {"mean": float(array.mean()), "p10": float(p10), "p50": float(p50), "p90": float(p90)}


def _difference(
    per_rep: Mapping[str, list[dict[str, float]]], later: str, earlier: str, kpi: str
) -> dict[str, float]:
    """KPI(later) - KPI(earlier), replication by replication, summarised."""
    pairs = zip(per_rep[later], per_rep[earlier], strict=True)
    return _summary([a[kpi] - b[kpi] for a, b in pairs])


def _mean(per_rep: Mapping[str, list[dict[str, float]]], variant: str, kpi: str) -> float:
    return float(np.mean([rep[kpi] for rep in per_rep[variant]]))


def explain(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    start: str | None = None,
    end: str | None = None,
    progress: ProgressCallback | None = None,
) -> Explanation:
    """Walk from ``start`` to ``end`` one group of settings at a time, on the same luck.

    The rungs, ``open-loop`` and "invest without feedback" (``end`` with gain 0) are the
    variants of one scenario, so replication r of every one of them meets the same random
    numbers. Each step's contribution is KPI(rung) - KPI(rung before), per replication.

    Parameters
    ----------
    scenario
        A validated scenario with at least two variants (or ``start`` and ``end`` named).
    replications, seed
        As for `thermosim.experiment.run_experiment` (default: the scenario's).
    workers
        Worker processes; the numbers are identical for any number.
    start, end
        Variant names (default: the scenario's first and second variant).
    progress
        Called with (replications done, total).

    Returns
    -------
    Explanation

    Raises
    ------
    ScenarioError
        For an unknown variant name, the same variant at both ends, a scenario with one
        variant, or a rung that is not a valid variant.
    """
    first, last = _ends(scenario, start, end)
    rungs, changes = ladder(first, last)
    if len(rungs) == 1:
        raise ScenarioError(
            f"variants '{first.name}' and '{last.name}' have the same settings: nothing to explain"
        )
    specs = [(r.variant, r.fields) for r in rungs]
    specs += [(OPEN_LOOP, open_loop(last)), (INVEST, invest_without_feedback(last))]
    try:
        variants = tuple(Variant.model_validate({**f, "name": n}) for n, f in specs)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ScenarioError(
            f"a rung between '{first.name}' and '{last.name}' is not a valid variant", [str(exc)]
        ) from None
    ladder_scenario = scenario.model_copy(update={"variants": variants})
    # Only the KPIs are needed: the runs are not kept (memory stays flat in replications).
    experiment = run_experiment(
        ladder_scenario, replications, seed, workers, progress, keep_runs=False
    )
    per_rep = experiment.per_replication
    kpis = tuple(k for k in HEADLINE[scenario.plant.kind] if k in per_rep[START_RUNG][0])

    steps = []
    for before, rung in itertools.pairwise(rungs):
        assert rung.step is not None
        spec = next(s for s in STEPS if s.name == rung.step)
        contribution = {k: _difference(per_rep, rung.variant, before.variant, k) for k in kpis}
        steps.append(
            Step(spec.name, spec.label, rung.variant, tuple(changes[spec.name]), contribution)
        )
    final = rungs[-1].variant
    total = {k: _difference(per_rep, final, START_RUNG, k) for k in kpis}
    for k in kpis:
        added = sum(s.contribution[k]["mean"] for s in steps)
        scale = max(abs(_mean(per_rep, r.variant, k)) for r in rungs)
        room = TOLERANCE * abs(total[k]["mean"]) + 1e-9 * max(1.0, scale)
        assert abs(added - total[k]["mean"]) <= room or not math.isfinite(added), (
            f"the steps of {k} add up to {added!r}, not to the total {total[k]['mean']!r}"
        )
    references = tuple(
        Reference(
            name,
            REFERENCE_LABELS[name],
            {k: _mean(per_rep, name, k) for k in kpis},
            {k: _difference(per_rep, name, START_RUNG, k) for k in kpis},
        )
        for name in (OPEN_LOOP, INVEST)
    )
    return Explanation(
        scenario=scenario.name,
        title={"en": scenario.title.en, "nl": scenario.title.nl},
        scenario_hash=hash_of(scenario),
        plant=scenario.plant.kind,
        horizon_weeks=scenario.horizon_weeks,
        seed=experiment.seed,
        replications=experiment.replications,
        start=first.name,
        end=last.name,
        presets={first.name: first.preset, last.name: last.preset},
        kpis=kpis,
        steps=tuple(steps),
        total=total,
        rungs=tuple(
            (r.variant, r.step, {k: _mean(per_rep, r.variant, k) for k in kpis}) for r in rungs
        ),
        references=references,
        experiment=experiment,
    )


def contributions_table(explanation: Explanation) -> list[str]:
    """Lines of the console table, in the style of the run's summary table.

    The start, each step's mean contribution, the end, the total, and the two references
    against the start.
    """
    e = explanation
    kpis = list(e.kpis)
    rows = [["step (mean)", *kpis]]
    level, change = console.value_text, console.difference_text
    rows.append([f"{e.start} (start)", *(level(k, e.rungs[0][2][k]) for k in kpis)])
    for step in e.steps:
        rows.append([f"+ {step.name}", *(change(k, step.contribution[k]["mean"]) for k in kpis)])
    rows.append([f"= {e.end} (end)", *(level(k, e.rungs[-1][2][k]) for k in kpis)])
    rows.append(["total (end - start)", *(change(k, e.total[k]["mean"]) for k in kpis)])
    for ref in e.references:
        rows.append([f"{ref.name} vs start", *(change(k, ref.vs_start[k]["mean"]) for k in kpis)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            [row[0].ljust(widths[0]), *(c.rjust(widths[i + 1]) for i, c in enumerate(row[1:]))]
        )
        for row in rows
    ]


def json_text(data: Mapping[str, Any]) -> str:
    """``explain.json`` as text: sorted keys, shortest round-trip floats, ``\\n`` line ends."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, sort_keys=True) + "\n"


def results_folder(out_dir: Path, scenario: str) -> Path:
    """``out_dir/<scenario>/`` (the folder ``run`` writes), created if it does not exist yet.

    Raises
    ------
    ResultsError
        When a file is in the way or the folder cannot be created.
    """
    target = Path(out_dir) / scenario
    if target.exists() and not target.is_dir():
        raise ResultsError(
            f"{target} exists and is not a folder: move it away or choose another --out",
            bad_input=True,
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ResultsError(
            f"could not create {target}: {exc.strerror or exc}", bad_input=True
        ) from None
    return target


def write_explanation(
    explanation: Explanation,
    out_dir: Path,
    before_write: Callable[[Path, dict[str, Any]], object] | None = None,
    figure_kpi: str | None = None,
) -> Path:
    """Write ``explain.json`` into ``out_dir/<scenario>/`` and return its path.

    Only ``explain.json`` (and whatever ``before_write`` writes, e.g. the waterfall figures) is
    replaced; everything ``run`` wrote there stays. The file is written under a temporary name
    and moved into place, so a reader never sees half of it.

    Parameters
    ----------
    before_write
        Called with the folder and the JSON data before ``explain.json`` is moved into place:
        the figures are drawn first, so an ``explain.json`` always has its figures beside it.
    figure_kpi
        The KPI the waterfall shows (default: ``WATERFALL_KPI`` of the plant), kept in the file
        as ``waterfall_kpi`` so a redraw and the speaker notes show the same.

    Raises
    ------
    ResultsError
        When the folder or the file cannot be written (a previous ``explain.json`` stays).
    """
    folder = results_folder(out_dir, explanation.scenario)
    data = explanation.to_json()
    data["waterfall_kpi"] = figure_kpi or WATERFALL_KPI[explanation.plant]
    path = folder / FILE
    temporary = folder / f".{FILE}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        if before_write is not None:
            before_write(folder, data)
        temporary.write_text(json_text(data), encoding="utf-8", newline="\n")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ResultsError(f"could not write {path}: {exc.strerror or exc}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def read_explanation(folder: Path) -> dict[str, Any]:
    """The content of ``folder/explain.json``.

    Raises
    ------
    ResultsError
        When the file is missing or unreadable.
    """
    path = Path(folder) / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(
            f"{path} not found; run `thermosim explain SCENARIO` first", bad_input=True
        ) from None
    except (OSError, ValueError) as exc:
        raise ResultsError(f"cannot read {path}: {exc}", bad_input=True) from None
    if not isinstance(data, dict):
        raise ResultsError(f"{path} is not an explain.json", bad_input=True)
    return data


__all__ = [
    "FILE",
    "HEADLINE",
    "STEPS",
    "WATERFALL_KPI",
    "Explanation",
    "FieldChange",
    "Reference",
    "Rung",
    "Step",
    "StepSpec",
    "contributions_table",
    "explain",
    "invest_without_feedback",
    "ladder",
    "open_loop",
    "read_explanation",
    "write_explanation",
]
