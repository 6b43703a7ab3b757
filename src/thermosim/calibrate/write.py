"""The calibrated scenario file: the fitted team, commented, extending the shipped defaults.

Owns the text of ``my-team.yaml``: ``extends: baseline`` (the default plant), then only what the
data changed, each value with where it comes from (fitted, with its 95% interval; or given), the
season and trend as shocks, the variants ``as-is`` (the team's own loop, as diagnosed) and
``steered`` on the same fitted plant, the diagnosis in words, and the list of what stayed a
default. Values are rounded to four significant digits; the file loads back to a valid scenario
(``scenario_text`` checks it before anyone writes it).
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

from thermosim.calibrate.calibration import STEERED, Calibration
from thermosim.calibrate.params import plant_data, shocks_data
from thermosim.calibrate.summary import fitted_rows, kept_defaults, rule_text
from thermosim.config.base import NAME_PATTERN
from thermosim.config.loader import load_scenario
from thermosim.errors import ScenarioError
from thermosim.numbers import number

BASE = "baseline"
_COLUMN = 36


def rounded(value: float, digits: int = 4) -> float | int:
    """``value`` to ``digits`` significant digits (a whole number stays an int)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    out = float(f"{value:.{digits}g}")
    return int(out) if out.is_integer() and abs(out) >= 1000 else out


def _line(indent: int, key: str, value: Any, comment: str = "") -> str:
    text = f"{' ' * indent}{key}: {json.dumps(value, ensure_ascii=False)}"
    if comment:
        text = f"{text:<{_COLUMN}} # {comment}"
    return text


def _check_name(name: str) -> None:
    if not re.fullmatch(NAME_PATTERN, name) or len(name) > 80:
        raise ScenarioError(
            f"'{name}' is not a valid scenario name",
            [
                f"{name}: the file name is the scenario's name: use 1 to 80 letters, digits, "
                "'_', '.' or '-' (no spaces), e.g. -o my-team.yaml"
            ],
            source=name,
        )


def scenario_text(result: Calibration, name: str, command: str) -> str:
    """The scenario file for ``result``, named ``name``, made by ``command`` (for the header).

    Raises
    ------
    ScenarioError
        For a name that cannot be a scenario name (it is the output file's stem).
    """
    _check_name(name)
    fit, data = result.fit, result.data
    values = {k: float(rounded(v)) for k, v in fit.values.items()}
    plant = plant_data(values, result.team_size, float(rounded(result.target)))
    rows = {row.name: row for row in fitted_rows(result, "en")}
    lines = [
        f"# {name}: your team, calibrated on its own weeks.",
        "#",
        f"# Made by: {command}",
        f"# From {data.weeks} weeks ({data.labels[0]} to {data.labels[-1]}) in "
        f"{Path(data.source).name}.",
        "# 'fitted' values are estimated from those weeks by simulated method of moments, with",
        "# their 95% interval; 'given' values come from the file or the options; every other",
        f"# value is the model's default, from 'extends: {BASE}' (listed at the end).",
        "#",
        "# Where are we really (the diagnosis):",
        *(f"#   {line}" for line in diagnosis_lines(result)),
        "#",
        "# Run it:  thermosim run FILE   (as-is: this team's own loop; steered: the same team",
        "#          with a shared goal, the trend and lasting levers, on the same luck)",
        f"name: {name}",
        f"extends: {BASE}",
        "title:",
        _line(2, "en", f"Your team ({name}): as it reacts, and steered"),
        _line(2, "nl", f"Jullie team ({name}): zoals het reageert, en gestuurd"),
        "description:",
        _line(
            2,
            "en",
            "Calibrated on the team's own weeks: its fitted market and deals, its own "
            "reaction rule (as-is) next to steering (steered).",
        ),
        _line(
            2,
            "nl",
            "Gekalibreerd op de eigen weken van het team: de geschatte markt en deals, "
            "de eigen reactieregel (as-is) naast sturen (steered).",
        ),
        _line(0, "horizon_weeks", max(4, data.weeks), "as many weeks as the data"),
        "plant:",
        "  kind: sales",
        _line(
            2, "target_eur_per_week", plant["target_eur_per_week"], f"given: {result.target_from}"
        ),
    ]
    market = plant["market"]["lead_rate_per_week"]
    if "lead_rate" in rows:
        lines += [
            "  market:",
            _line(
                4,
                "lead_rate_per_week",
                rounded(market),
                _fitted(rows["lead_rate"], "trend" in values),
            ),
        ]
    deals = []
    if "win_probability" in rows:
        deals.append(
            _line(
                4,
                "win_probability",
                plant["deals"]["win_probability"],
                rows["win_probability"].comment,
            )
        )
    if "deal_mean" in rows:
        deals.append(
            _line(
                4,
                "deal_value_eur",
                rounded(plant["deals"]["deal_value_eur"]),
                f"the median of deal values; {rows['deal_mean'].comment}",
            )
        )
    if "deal_sigma" in rows:
        deals.append(
            _line(
                4,
                "deal_value_sigma",
                plant["deals"]["deal_value_sigma"],
                rows["deal_sigma"].comment,
            )
        )
    if deals:
        lines += ["  deals:", *deals]
    if "repeat_scale" in rows:
        a = plant["accounts"]
        scale = values["repeat_scale"]
        lines += [
            "  accounts:",
            _line(
                4,
                "order_value_eur",
                rounded(a["order_value_eur"]),
                f"repeat orders x{number(scale, 'en', 2)} the default's; "
                f"{rows['repeat_scale'].comment}",
            ),
            _line(
                4,
                "key_order_value_eur",
                rounded(a["key_order_value_eur"]),
                "fitted: the same factor",
            ),
        ]
    lines += [
        "  people:",
        _line(4, "team_size", result.team_size, f"given: {result.team_size_from}"),
    ]
    shocks = shocks_data(values, data.weeks)
    if shocks:
        lines.append(
            "shocks:                              # the season and trend of the market, fitted"
        )
        for shock in shocks:
            note = (
                rows["season"].comment if shock["kind"] == "seasonality" else rows["trend"].comment
            )
            first = True
            for key, value in shock.items():
                prefix = "  - " if first else "    "
                shown = rounded(value) if isinstance(value, float) else value
                text = f"{prefix}{key}: {json.dumps(shown)}"
                lines.append(f"{text:<{_COLUMN}} # {note}" if first else text)
                first = False
    else:
        lines.append("shocks: []                           # no season or trend fitted")
    lines.append("variants:")
    lines += _variant_lines(result.variant, f"this team's own loop: {rule_text(result, 'en')}")
    lines += _variant_lines({"name": STEERED, "preset": "steered"}, "the same team, steered")
    lines += [
        "#",
        f"# {len(kept_defaults(result))} kinds of values stayed at the model's defaults "
        "(the data cannot tell them):",
    ]
    lines += [f"#   - {item}" for item in kept_defaults(result)]
    text = "\n".join(lines) + "\n"
    _loads(text, name)
    return text


def _fitted(row: Any, trend: bool) -> str:
    start = "; the start level, the trend ramps it" if trend else ""
    return f"{row.comment}{start}"


def _variant_lines(variant: dict[str, Any], comment: str) -> list[str]:
    lines = []
    first = True
    for key, value in variant.items():
        prefix = "  - " if first else "    "
        text = f"{prefix}{key}: {json.dumps(value, ensure_ascii=False)}"
        lines.append(f"{text:<{_COLUMN}} # {comment}" if first else text)
        first = False
    return lines


def diagnosis_lines(result: Calibration) -> list[str]:
    """The diagnosis in plain English sentences (for the file and the console)."""
    d = result.diagnosis
    lines = [
        f"{d.below_target} of {d.weeks} weeks were below target; the week-to-week noise is "
        f"about EUR {number(round(d.noise_eur, -3), 'en')} (one sigma).",
    ]
    if d.rule is None:
        lines.append(
            "The file has no actions column: how management reacts cannot be seen, so "
            "as-is plays the fitted team without reactions (open-loop)."
        )
        return lines
    follow = f"{number(100 * d.follow_share, 'en')}%" if d.followable else "n/a"
    lines += [
        f"Management acted in {d.action_weeks} weeks; after a week below target it acted within "
        f"two weeks in {follow} of cases.",
        f"{d.on_noise} of the {d.action_weeks} actions ({number(100 * d.noise_share, 'en')}%) "
        "answered noise, not a signal (no week beyond the natural limits or in a run of 8 below "
        "the expected level in the 3 weeks before).",
        f"The drops it answered were a median {number(d.drop_sigma, 'en', 1)} times the noise.",
        f"Best-fitting reaction rule: {rule_text(result, 'en')}; it agrees with the actions in "
        f"{d.rule.scored_weeks - d.rule.mismatches} of {d.rule.scored_weeks} weeks.",
    ]
    return lines


def _loads(text: str, name: str) -> None:
    """Check that ``text`` loads as a valid scenario (with its base) before anyone writes it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8", newline="\n")
        load_scenario(path)
