"""The scenario: plant, shocks, mechanisms and the variants compared under them.

Owns the top-level model of a scenario file and the merge of a variant's preset with its
field-by-field overrides.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from thermosim.config.base import NAME_PATTERN, AtMost, Loc, Section, located_problems, noun, unit
from thermosim.config.control import ControlConfig, Metric
from thermosim.config.presets import PRESETS, PresetName
from thermosim.config.sales import SalesPlantConfig
from thermosim.config.shocks import MechanismsConfig, Shock
from thermosim.config.thermostat import ThermostatPlantConfig

# What each plant measures, its own metric first (what a team's loop reads by default).
PLANT_METRICS: dict[str, tuple[Metric, ...]] = {
    "sales": ("revenue", "margin", "satisfaction"),
    "thermostat": ("temperature",),
}
# Every shock is a process of the run for all its weeks; fifty is more than any story needs.
MAX_SHOCKS = 50


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge two mappings: nested mappings merge, everything else (lists too) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class Text(Section):
    """A text in English and Dutch."""

    en: str = Field("", max_length=2000, description="English text.")
    nl: str = Field("", max_length=2000, description="Dutch text.")


class SweepConfig(Section):
    """What ``thermosim sweep`` varies by default: fields, values, replications, KPI.

    Read only by ``thermosim sweep``; a run ignores it, so it changes no run result.
    """

    vary: dict[str, str] = Field(
        ...,
        min_length=1,
        max_length=8,
        description="Fields to vary, as `--set` paths (`*` for every list item, e.g. "
        "`variants.*.perception.noise`), each with values as `--vary` takes them: a list "
        "`1,2,4` or a range `LOW..HIGH:COUNT` (COUNT evenly spaced values, ends included).",
        json_schema_extra=unit("-"),
    )
    reps: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="Replications per cell (default: the scenario's `replications`).",
        json_schema_extra=unit("runs"),
    )
    kpi: str | None = Field(
        None,
        max_length=40,
        description="KPI of the phase map and of sensitivity (default: operating_profit; "
        "thermostat: mean_abs_error_c).",
        json_schema_extra=unit("-"),
    )


class Variant(ControlConfig):
    """A named strategy: a preset plus overrides of any of its fields."""

    name: str = Field(
        ...,
        min_length=1,
        max_length=40,
        pattern=NAME_PATTERN,
        description="Name used in results and figures.",
    )
    preset: Annotated[PresetName, Field(json_schema_extra=noun("preset"))] | None = Field(
        None,
        description="Preset the variant starts from: reactive, steered, fragmented, "
        "eroding-goals or open-loop; its fields may be overridden one by one.",
    )

    @model_validator(mode="before")
    @classmethod
    def _apply_preset(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("preset") is None:
            return data
        preset = data["preset"]
        if not isinstance(preset, str) or preset not in PRESETS:
            return data  # the field reports it, with a suggestion
        return deep_merge(PRESETS[preset], data)


Plant = Annotated[SalesPlantConfig | ThermostatPlantConfig, Field(discriminator="kind")]


class Scenario(Section):
    """A complete, validated scenario."""

    name: str = Field(
        ...,
        min_length=1,
        max_length=80,
        pattern=NAME_PATTERN,
        description="Short name; also the results folder name.",
    )
    title: Text = Field(Text(), description="Title in English and Dutch.")
    description: Text = Field(Text(), description="What the scenario shows, in both languages.")
    horizon_weeks: int = Field(104, ge=4, le=1040, description="Weeks simulated.")
    replications: int = Field(
        30,
        ge=1,
        le=100_000,
        description="Monte Carlo replications.",
        json_schema_extra=unit("runs"),
    )
    seed: int = Field(
        42,
        ge=0,
        le=2**63 - 1,
        description="Seed of all random streams.",
        json_schema_extra=unit("-"),
    )
    # A default instance rather than a factory, so the schema knows the default plant's kind
    # (``--set plant.people.team_size=7`` on a file without a plant needs it).
    plant: Plant = Field(SalesPlantConfig(), description="The plant simulated.")
    mechanisms: MechanismsConfig = Field(
        MechanismsConfig(), description="Mechanism switches (ablation, counter-cases)."
    )
    shocks: Annotated[tuple[Shock, ...], AtMost(MAX_SHOCKS)] = Field(
        (), description="Disturbances, applied to every variant."
    )
    variants: tuple[Variant, ...] = Field(
        ..., min_length=1, max_length=20, description="Strategies compared under the same luck."
    )
    # Left out of the dump when absent, so existing scenarios keep their hash and manifest.
    sweep: SweepConfig | None = Field(
        None,
        description="Defaults of `thermosim sweep` (fields and values to vary); runs ignore it.",
        exclude_if=lambda value: value is None,
    )

    @model_validator(mode="after")
    def _unique_names(self) -> Scenario:
        names = [v.name for v in self.variants]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"variant names must be unique; repeated: {', '.join(doubles)}")
        return self

    @model_validator(mode="after")
    def _fits_the_plant(self) -> Scenario:
        """Refuse what the plant cannot do: every problem at its own field, all at once."""
        problems = [
            *self._shocks_off_the_plant(),
            *self._unmeasured_metrics(),
            *self._cooling_without_cooler(),
            *self._shocks_after_the_end(),
        ]
        if problems:
            raise located_problems(type(self).__name__, problems)
        return self

    def _shocks_off_the_plant(self) -> list[tuple[Loc, str, Any]]:
        """Shocks of the other plant (a cold snap in a sales team, a lost account in a room)."""
        thermo = self.plant.kind == "thermostat"
        hint = (
            "the thermostat plant takes outside_temperature and target_change shocks"
            if thermo
            else "it needs 'plant: {kind: thermostat}'"
        )
        return [
            (
                ("shocks", k, "kind"),
                f"shock kind '{shock.kind}' does not apply to the {self.plant.kind} plant; {hint}",
                shock.kind,
            )
            for k, shock in enumerate(self.shocks)
            if (shock.kind == "outside_temperature") != thermo and shock.kind != "target_change"
        ]

    def _unmeasured_metrics(self) -> list[tuple[Loc, str, Any]]:
        """Loops on a metric the plant does not measure (they would find nothing to read)."""
        kind = self.plant.kind
        offered = PLANT_METRICS[kind]
        words = " and ".join(", ".join(offered).rsplit(", ", 1))
        problems: list[tuple[Loc, str, Any]] = []
        for i, variant in enumerate(self.variants):
            wanted: list[tuple[Loc, str | None]] = [
                (("variants", i, "perception", "metric"), variant.perception.metric),
                *(
                    (("variants", i, "members", j, "metric"), member.metric)
                    for j, member in enumerate(variant.members)
                ),
            ]
            for loc, metric in wanted:
                if metric is not None and metric not in offered:
                    message = f"the {kind} plant does not measure '{metric}'; it measures {words}"
                    problems.append((loc, message, metric))
        return problems

    def _cooling_without_cooler(self) -> list[tuple[Loc, str, Any]]:
        """A thermostat policy asked to cool a room that has no cooler."""
        plant = self.plant
        if plant.kind != "thermostat" or plant.cooler_lift_c > 0:
            return []
        return [
            (
                ("variants", i, "policy", "output_min"),
                f"output_min {variant.policy.output_min:g} asks the thermostat to cool, but the "
                "room has no cooler; set plant.cooler_lift_c above 0 (degC of cooling at full "
                "power) or output_min to 0",
                variant.policy.output_min,
            )
            for i, variant in enumerate(self.variants)
            if variant.policy.output_min < 0
        ]

    def _shocks_after_the_end(self) -> list[tuple[Loc, str, Any]]:
        """Shocks that would land after the last simulated week (they would never happen)."""
        horizon = self.horizon_weeks
        return [
            (
                ("shocks", k, "week"),
                f"shock in week {shock.week:g} is at or after the end of the run "
                f"(horizon_weeks: {horizon}, so weeks 0 to {horizon - 1}); move it earlier or "
                "raise horizon_weeks",
                shock.week,
            )
            for k, shock in enumerate(self.shocks)
            if shock.week >= horizon
        ]

    def variant(self, name: str) -> Variant:
        """Return the variant called ``name`` (KeyError with the known names otherwise)."""
        for v in self.variants:
            if v.name == name:
                return v
        raise KeyError(
            f"no variant '{name}' in scenario '{self.name}'; known: "
            + ", ".join(v.name for v in self.variants)
        )
