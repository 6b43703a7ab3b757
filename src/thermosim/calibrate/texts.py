"""Every word of a calibration, in English and Dutch: report lines, figure texts, file comments.

Owns the catalogue of the calibration's texts (``TEXTS``: the same keys and ``{placeholders}``
in both languages, as the figures' own catalogue has) and ``say``, which fills one in. The
figures' shared catalogue is left alone; these words belong to ``thermosim calibrate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EN: dict[str, str] = {
    "param.lead_rate": "New leads per week",
    "param.win_probability": "Win rate (qualified deals)",
    "param.deal_mean": "Deal size (mean)",
    "param.deal_sigma": "Spread of deal sizes",
    "param.repeat_scale": "Repeat business per week",
    "param.trend": "Trend of leads",
    "param.season": "Season of leads",
    "table.title": "Your team in the model: {n} values fitted on {weeks} weeks",
    "table.title.exact": "Your team in the model: {n} values fitted on {weeks} weeks, each "
    "matching your data within its noise",
    "table.value": "Fitted",
    "table.interval": "95% interval",
    "table.what": "Value",
    "table.given": "Given: team of {team} people, target {target} a week",
    "band.title.good": "The fitted team matches your weeks: {inside} of {weeks} inside the "
    "simulated 80% band",
    "band.title.poor": "The fitted team matches your weeks poorly: only {inside} of {weeks} "
    "inside the simulated 80% band",
    "band.observed": "Your weeks",
    "band.simulated": "Fitted team: median and 80% band",
    "band.target": "Target",
    "axis.revenue": "Revenue per week",
    "axis.week": "Week",
    "shape.title": "Noise and memory: your spread {cv_obs} against {cv_sim} simulated; "
    "week-to-week correlation {ac_obs} against {ac_sim}",
    "shape.hist": "How often a week books this much",
    "shape.acf": "Correlation with weeks before",
    "shape.observed": "Your weeks",
    "shape.simulated": "Fitted team (80% band)",
    "axis.share": "Share of weeks",
    "axis.lag": "Weeks apart",
    "axis.correlation": "Correlation",
    "diag.title.noise": "Where are we really: {noise} of the actions answered noise, not a signal",
    "diag.title.none": "Where are we really: {below} of {weeks} weeks below target; no actions "
    "recorded",
    "diag.revenue": "Revenue",
    "diag.centre": "Expected level, with normal noise (±3σ)",
    "diag.action.noise": "Action on noise",
    "diag.action.signal": "Action on a signal",
    "diag.target": "Target",
    "diag.box": "{below} of {weeks} weeks below target\nActed within 2 weeks after one: "
    "{follow}\nDrops answered: {drop}× the noise\nRule: {rule}",
    "rule.episodic": "last {window} wk, {delay} wk late; acts below {trigger} of target",
    "rule.continuous": "trend of {window} wk, {delay} wk late, gain {gain}, memory {integral}",
    "rule.none": "no actions column",
    "rule.no_memory": "none",
    "footer": "Calibrated on {source} ({weeks} weeks) · {reps} simulated teams · seed {seed}",
    "trend.value": "{value} over {weeks} weeks",
    "season.value": "±{amplitude}, peak in week {peak}",
    "kept.title": "Kept at the model's defaults (the data cannot tell them)",
}

NL: dict[str, str] = {
    "param.lead_rate": "Nieuwe leads per week",
    "param.win_probability": "Winkans (gekwalificeerde deals)",
    "param.deal_mean": "Dealgrootte (gemiddeld)",
    "param.deal_sigma": "Spreiding van dealgroottes",
    "param.repeat_scale": "Herhaalomzet per week",
    "param.trend": "Trend van leads",
    "param.season": "Seizoen van leads",
    "table.title": "Jullie team in het model: {n} waarden geschat op {weeks} weken",
    "table.title.exact": "Jullie team in het model: {n} waarden geschat op {weeks} weken, "
    "elk binnen de ruis van jullie data",
    "table.value": "Geschat",
    "table.interval": "95%-interval",
    "table.what": "Waarde",
    "table.given": "Gegeven: team van {team} mensen, target {target} per week",
    "band.title.good": "Het geschatte team past bij jullie weken: {inside} van {weeks} binnen de "
    "gesimuleerde 80%-band",
    "band.title.poor": "Het geschatte team past slecht bij jullie weken: maar {inside} van "
    "{weeks} binnen de gesimuleerde 80%-band",
    "band.observed": "Jullie weken",
    "band.simulated": "Geschat team: mediaan en 80%-band",
    "band.target": "Target",
    "axis.revenue": "Omzet per week",
    "axis.week": "Week",
    "shape.title": "Ruis en geheugen: jullie spreiding {cv_obs} tegen {cv_sim} gesimuleerd; "
    "samenhang week op week {ac_obs} tegen {ac_sim}",
    "shape.hist": "Hoe vaak een week zoveel boekt",
    "shape.acf": "Samenhang met eerdere weken",
    "shape.observed": "Jullie weken",
    "shape.simulated": "Geschat team (80%-band)",
    "axis.share": "Deel van de weken",
    "axis.lag": "Weken ertussen",
    "axis.correlation": "Correlatie",
    "diag.title.noise": "Waar staan we echt: {noise} van de acties reageerde op ruis, niet op een "
    "signaal",
    "diag.title.none": "Waar staan we echt: {below} van {weeks} weken onder target; geen acties "
    "vastgelegd",
    "diag.revenue": "Omzet",
    "diag.centre": "Verwacht niveau, met gewone ruis (±3σ)",
    "diag.action.noise": "Actie op ruis",
    "diag.action.signal": "Actie op een signaal",
    "diag.target": "Target",
    "diag.box": "{below} van {weeks} weken onder target\nBinnen 2 weken daarna actie: "
    "{follow}\nDalingen beantwoord: {drop}× de ruis\nRegel: {rule}",
    "rule.episodic": "laatste {window} wk, {delay} wk laat; actie onder {trigger} van target",
    "rule.continuous": "trend van {window} wk, {delay} wk laat, versterking {gain}, geheugen "
    "{integral}",
    "rule.none": "geen kolom met acties",
    "rule.no_memory": "geen",
    "footer": "Gekalibreerd op {source} ({weeks} weken) · {reps} gesimuleerde teams · seed {seed}",
    "trend.value": "{value} over {weeks} weken",
    "season.value": "±{amplitude}, piek in week {peak}",
    "kept.title": "Op de standaardwaarden van het model gehouden (de data kunnen ze niet "
    "onderscheiden)",
}

TEXTS: Mapping[str, Mapping[str, str]] = {"en": EN, "nl": NL}


def say(key: str, lang: str, **fields: Any) -> str:
    """The text ``key`` in ``lang``, with ``fields`` filled in."""
    return TEXTS[lang][key].format(**fields)
