"""kpi_text.format_kpi: every KPI written one way, from its kind in the catalogue, en and nl."""

from __future__ import annotations

import subprocess
import sys

import pytest

from thermosim.kpi_text import format_kpi
from thermosim.metrics import KPIS


@pytest.mark.parametrize(
    ("kpi", "value", "en", "nl"),
    [
        ("attainment", 0.876, "88%", "88%"),
        ("fatigue_mean", 0.234, "23%", "23%"),  # a 0-1 index: a percentage, never 0.23
        ("revenue_cv", 0.43, "43%", "43%"),
        ("operating_profit", 1_340_000.0, "€1.3M", "€ 1,3 mln"),
        ("gross_profit", -348_465.0, "−€348k", "€ −348.000"),
        ("operating_profit", 999_700.0, "€1.0M", "€ 1,0 mln"),  # not "€1,000k"
        ("revenue_sd", 41_200.0, "€41k/wk", "€ 41.000/wk"),
        ("firefighting_hours", 4358.6, "4,359 h", "4.359 uur"),
        ("recovery_weeks_2", 12.0, "12 wk", "12 wk"),
        ("interventions", 67.7, "68", "68"),
        ("attrition", 2.34, "2.3", "2,3"),
        ("swing_c", 1.46, "1.5 °C", "1,5 °C"),
        ("heater_mean", 0.61, "61%", "61%"),
    ],
)
def test_values_in_english_and_dutch(kpi: str, value: float, en: str, nl: str) -> None:
    assert format_kpi(kpi, value, "en") == en
    assert format_kpi(kpi, value, "nl") == nl


def test_a_censored_recovery_is_a_lower_bound_in_weeks() -> None:
    assert format_kpi("recovery_weeks", 78.0, "en", censored=True) == "> 78 wk"
    assert format_kpi("recovery_weeks_3", 40.0, "nl", censored=True) == "> 40 wk"
    # Only a censorable KPI can be a lower bound.
    assert format_kpi("attainment", 0.5, "en", censored=True) == "50%"


@pytest.mark.parametrize(
    ("kpi", "delta", "en", "nl"),
    [
        ("operating_profit", 152_286.0, "+€152k", "€ +152.000"),
        ("operating_profit", -348_465.0, "−€348k", "€ −348.000"),
        ("attainment", 0.094, "+9.4 pts", "+9,4 ptn"),
        ("fatigue_mean", -0.27, "−27 pts", "−27 ptn"),
        ("swing_c", -1.41, "−1.4 °C", "−1,4 °C"),
        ("recovery_weeks", -3.0, "−3 wk", "−3 wk"),
        ("firefighting_hours", 0.0, "0 h", "0 uur"),
    ],
)
def test_differences_are_signed_and_shares_are_in_points(
    kpi: str, delta: float, en: str, nl: str
) -> None:
    assert format_kpi(kpi, delta, "en", signed=True) == en
    assert format_kpi(kpi, delta, "nl", signed=True) == nl


def test_plain_text_is_ascii_for_a_terminal() -> None:
    assert format_kpi("operating_profit", -348_465.0, "en", plain=True) == "-EUR 348k"
    assert format_kpi("revenue_sd", -19_000.0, "en", signed=True, plain=True) == "-EUR 19k/wk"
    assert format_kpi("attainment", -0.05, "en", signed=True, plain=True) == "-5.0 pts"
    assert format_kpi("swing_c", 1.46, "en", plain=True) == "1.5 degC"
    for name in KPIS:
        for value in (-1234.5, 0.0, 0.42, 9_876_543.0):
            for signed in (False, True):
                assert format_kpi(name, value, "en", signed=signed, plain=True).isascii()


def test_missing_values_and_unknown_kpis() -> None:
    assert format_kpi("attainment", float("nan"), "en") == "n/a"
    assert format_kpi("attainment", float("nan"), "nl") == "n.v.t."
    with pytest.raises(KeyError):
        format_kpi("no_such_kpi", 1.0, "en")
    with pytest.raises(ValueError, match="unknown language"):
        format_kpi("attainment", 1.0, "de")


def test_every_kpi_has_its_two_labels_or_is_not_shown_on_a_slide() -> None:
    """Each KPI a slide or the deck names has a label in both languages."""
    from thermosim.figures.labels import LABELS
    from thermosim.figures.scorecard import SALES_ROWS, THERMOSTAT_ROWS

    for name in (*SALES_ROWS, *THERMOSTAT_ROWS, "gross_profit"):
        assert name in KPIS
        for lang in ("en", "nl"):
            assert f"kpi.{name}" in LABELS[lang], (name, lang)


def test_the_console_formats_without_matplotlib() -> None:
    code = "import sys, thermosim.console; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
