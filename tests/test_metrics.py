"""Behaviour of thermosim.metrics on small hand-made weekly series."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thermosim.console import SALES_SUMMARY
from thermosim.metrics import (
    KPIS,
    REQUIRED_SERIES,
    censored_key,
    is_censored,
    kpi_spec,
    recovery_weeks,
    rolling_mean,
    run_kpis,
    summarize,
)


def sales_series(n: int = 12, **overrides: object) -> dict[str, np.ndarray]:
    """A steady sales run: target 100/week met exactly, 40 paid hours of which 30 selling."""
    base: dict[str, np.ndarray] = {
        "revenue": np.full(n, 100.0),
        "target": np.full(n, 100.0),
        "margin": np.full(n, 0.3),
        "satisfaction": np.full(n, 0.8),
        "hours_paid": np.full(n, 40.0),
        "hours_selling": np.full(n, 30.0),
        "hours_firefighting": np.full(n, 2.0),
        "hours_levers": np.full(n, 3.0),
        "fatigue": np.full(n, 0.2),
        "motivation": np.full(n, 0.7),
        "skill": np.full(n, 0.5),
        "headcount": np.full(n, 10.0),
        "leavers": np.zeros(n),
        "interventions": np.zeros(n),
        "cost_salaries": np.full(n, 10.0),
        "cost_overtime": np.zeros(n),
        "cost_fees": np.zeros(n),
        "cost_recruiting": np.zeros(n),
    }
    for key, value in overrides.items():
        base[key] = np.asarray(value, dtype=float)
    return base


def drop_and_return(n: int = 40, drop: int = 10, back: int = 20) -> np.ndarray:
    """Revenue 100, halved from week ``drop`` up to (not including) week ``back``."""
    x = np.full(n, 100.0)
    x[drop:back] = 50.0
    return x


# --- rolling_mean -------------------------------------------------------------------------


def test_rolling_mean_first_entries_average_what_is_available() -> None:
    # [1], [1,2], [1,2,3], [2,3,4], [3,4,5]
    assert rolling_mean(np.array([1.0, 2, 3, 4, 5]), 3) == pytest.approx([1, 1.5, 2, 3, 4])


def test_rolling_mean_window_one_is_identity_and_long_window_is_cumulative_mean() -> None:
    x = np.array([4.0, 0.0, 2.0])
    assert rolling_mean(x, 1) == pytest.approx(x)
    assert rolling_mean(x, 10) == pytest.approx([4, 2, 2])


def test_rolling_mean_keeps_length_and_rejects_empty_window() -> None:
    assert rolling_mean(np.arange(7.0), 4).shape == (7,)
    with pytest.raises(ValueError, match="window must be at least 1"):
        rolling_mean(np.arange(3.0), 0)


# --- recovery_weeks -----------------------------------------------------------------------


def test_recovery_after_drop_counts_to_first_week_back_in_band() -> None:
    # Trailing 4-week means of revenue from week 20: 62.5, 75, 87.5, then 100 from week 23.
    # Week 23 is the first within 5% of target and stays there: 23 - 10 = 13 weeks.
    weeks, censored = recovery_weeks(drop_and_return(), np.full(40, 100.0), 10)
    assert (weeks, censored) == (13.0, False)


def test_fractional_shock_week_is_measured_from_the_shock_itself() -> None:
    weeks, censored = recovery_weeks(drop_and_return(), np.full(40, 100.0), 10.5)
    assert weeks == pytest.approx(12.5)
    assert not censored


def test_never_recovering_series_is_censored_at_horizon() -> None:
    revenue = drop_and_return(n=30, drop=10, back=30)
    assert recovery_weeks(revenue, np.full(30, 100.0), 10) == (20.0, True)


def test_series_that_stays_in_band_recovers_in_zero_weeks() -> None:
    assert recovery_weeks(np.full(20, 98.0), np.full(20, 100.0), 5) == (0.0, False)


def test_short_visit_to_band_does_not_count_as_recovery() -> None:
    # window=1 so the raw series is compared: out of band 10-14, back in 15-16 only (2 weeks),
    # out again 17-19, in band for good from 20. With hold=4 the 2-week visit is ignored.
    revenue = np.full(40, 100.0)
    revenue[10:15] = 50.0
    revenue[17:20] = 50.0
    target = np.full(40, 100.0)
    assert recovery_weeks(revenue, target, 10, window=1, hold=4) == (10.0, False)
    # The same visit does count once two weeks are enough: this is the hold at work.
    assert recovery_weeks(revenue, target, 10, window=1, hold=2) == (5.0, False)


def test_holding_run_cut_by_horizon_is_censored() -> None:
    # Back in band at week 18 of 20: only 2 of the 4 hold weeks are observed.
    revenue = np.full(20, 100.0)
    revenue[10:18] = 50.0
    assert recovery_weeks(revenue, np.full(20, 100.0), 10, window=1) == (10.0, True)


def test_shock_at_or_after_horizon_is_censored_with_zero_weeks() -> None:
    assert recovery_weeks(np.full(10, 100.0), np.full(10, 100.0), 12) == (0.0, True)


def test_recovery_rejects_mismatched_lengths_and_negative_shock() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        recovery_weeks(np.ones(5), np.ones(6), 1)
    with pytest.raises(ValueError, match="shock_week"):
        recovery_weeks(np.ones(5), np.ones(5), -1)


def test_recovery_band_is_a_share_of_the_distance_from_rest() -> None:
    # A room 1.5 degC below a 20 degC set point from week 10 on. Within 5% of the set point
    # (1 degC)? No. Within 5% of its lift above a -20 degC outside (40 degC: 2 degC)? Yes, from
    # the start; above a 5 degC outside (15 degC: 0.75 degC)? Never.
    temperature = np.concatenate([np.full(10, 20.0), np.full(20, 18.5)])
    setpoint = np.full(30, 20.0)
    assert recovery_weeks(temperature, setpoint, 10) == (20.0, True)
    assert recovery_weeks(temperature, setpoint, 10, resting=np.full(30, -20.0)) == (0.0, False)
    assert recovery_weeks(temperature, setpoint, 10, resting=np.full(30, 5.0)) == (20.0, True)
    with pytest.raises(ValueError, match="resting and target differ in length"):
        recovery_weeks(temperature, setpoint, 10, resting=np.zeros(29))


def test_thermostat_gap_is_a_share_of_the_set_points_lift_above_outside() -> None:
    n = 12
    series = {
        "temperature": np.full(n, 18.5),
        "target": np.full(n, 20.0),
        "outside": np.full(n, 5.0),
        "heater": np.full(n, 0.5),
    }
    # 1.5 degC short of a set point 15 degC above the outside: a tenth of the heating job.
    assert run_kpis(series, plant="thermostat")["gap_iae"] == pytest.approx(0.1)
    # The same room 30 degC warmer everywhere is judged the same.
    warmer = {k: v + 30.0 if k != "heater" else v for k, v in series.items()}
    assert run_kpis(warmer, plant="thermostat")["gap_iae"] == pytest.approx(0.1)
    # A set point equal to the outside temperature gives no scale: those weeks are left out.
    still = {**series, "outside": np.full(n, 20.0)}
    assert run_kpis(still, plant="thermostat")["gap_iae"] == 0.0


# --- run_kpis: sales ----------------------------------------------------------------------


def test_attainment_of_constant_shortfall() -> None:
    kpis = run_kpis(sales_series(revenue=np.full(12, 90.0)), plant="sales")
    assert kpis["attainment"] == pytest.approx(0.9)
    # Every full 4-week window is 10% under target.
    assert kpis["gap_iae"] == pytest.approx(0.1)


def test_revenue_cv_constant_and_alternating() -> None:
    assert run_kpis(sales_series(), plant="sales")["revenue_cv"] == 0.0
    # Mean 100, population std 50.
    alternating = np.tile([50.0, 150.0], 6)
    kpis = run_kpis(sales_series(revenue=alternating), plant="sales")
    assert kpis["revenue_cv"] == pytest.approx(0.5)


def test_margin_mean_is_revenue_weighted() -> None:
    # Profit 100*0.5 + 300*0.1 = 80 on revenue 400 -> 0.2 (the plain mean would be 0.3).
    s = sales_series(2, revenue=[100.0, 300.0], margin=[0.5, 0.1])
    kpis = run_kpis(s, plant="sales")
    assert kpis["margin_mean"] == pytest.approx(0.2)
    assert kpis["gross_profit"] == pytest.approx(80.0)
    assert kpis["revenue_total"] == pytest.approx(400.0)


def test_operating_profit_subtracts_every_cost() -> None:
    # Gross profit 2 weeks x 100 x 0.3 = 60; costs: salaries 2 x 10, overtime 5, fees 3,
    # one hire 7 -> 35; operating profit 25.
    s = sales_series(
        2,
        cost_overtime=[5.0, 0.0],
        cost_fees=[0.0, 3.0],
        cost_recruiting=[7.0, 0.0],
    )
    kpis = run_kpis(s, plant="sales")
    assert kpis["costs_total"] == pytest.approx(35.0)
    assert kpis["operating_profit"] == pytest.approx(60.0 - 35.0)


def test_revenue_sd_is_the_spread_itself_not_relative_to_the_mean() -> None:
    # Deming's funnel is about variance: a lower mean alone must not raise revenue_sd.
    low = run_kpis(sales_series(4, revenue=[40.0, 60.0, 40.0, 60.0]), plant="sales")
    high = run_kpis(sales_series(4, revenue=[90.0, 110.0, 90.0, 110.0]), plant="sales")
    assert low["revenue_sd"] == pytest.approx(high["revenue_sd"]) == pytest.approx(10.0)
    assert low["revenue_cv"] > high["revenue_cv"]


def test_sales_sums_shares_and_end_states() -> None:
    n = 12
    motivation = np.full(n, 0.9)
    motivation[-4:] = [0.4, 0.5, 0.6, 0.5]  # the end state averages the last four weeks
    fatigue = np.linspace(0.0, 1.1, n)
    s = sales_series(n, motivation=motivation, fatigue=fatigue, leavers=np.eye(1, n, 3)[0])
    kpis = run_kpis(s, plant="sales")
    assert kpis["selling_share"] == pytest.approx(0.75)
    assert kpis["firefighting_hours"] == pytest.approx(24.0)
    assert kpis["lever_hours"] == pytest.approx(36.0)  # 12 weeks x 3 h
    assert kpis["attrition"] == 1.0
    assert kpis["motivation_end"] == pytest.approx(0.5)
    assert kpis["fatigue_mean"] == pytest.approx(0.55)
    assert kpis["fatigue_peak"] == pytest.approx(1.1)
    assert all(type(v) is float for v in kpis.values())
    # Every KPI the end-of-run table shows is computed (recovery comes from the ensemble).
    assert set(SALES_SUMMARY) - {"recovery_weeks"} <= set(kpis)


@pytest.mark.parametrize("plant", sorted(REQUIRED_SERIES))
def test_the_catalogue_covers_exactly_the_kpis_of_each_plant(plant: str) -> None:
    """A new KPI needs its catalogue entry (kind, unit, direction, plants) or this fails."""
    n = 12
    still = {k: np.full(n, 20.0) for k in REQUIRED_SERIES["thermostat"]}
    series = sales_series(n) if plant == "sales" else still
    kpis = run_kpis(series, plant=plant, shock_weeks=(2.0, 5.0))
    flags = {censored_key("recovery_weeks"), censored_key("recovery_weeks_2")}
    assert flags == {"recovery_censored", "recovery_censored_2"} and flags <= set(kpis)
    have = {kpi_spec(k).name for k in kpis if k not in flags}
    catalogued = {name for name, spec in KPIS.items() if plant in spec.plants}
    assert have == catalogued
    assert all(spec.name == name for name, spec in KPIS.items())


def test_the_censored_recovery_rule_reads_the_flag_of_the_same_shock() -> None:
    summary = {"recovery_censored": {"mean": 0.0}, "recovery_censored_2": {"mean": 1.0}}
    assert not is_censored(summary, "recovery_weeks")
    assert is_censored(summary, "recovery_weeks_2")
    assert not is_censored(summary, "recovery_weeks_3")  # no flag: not censored
    assert not is_censored({"attainment": {"mean": 1.0}}, "attainment")
    assert censored_key("attainment") is None
    assert kpi_spec("recovery_weeks_2") is KPIS["recovery_weeks"]
    with pytest.raises(KeyError):
        kpi_spec("no_such_kpi")


def test_zero_denominators_give_zero_not_nan() -> None:
    n = 6
    s = sales_series(n, revenue=np.zeros(n), target=np.zeros(n), hours_paid=np.zeros(n))
    kpis = run_kpis(s, plant="sales")
    for key in ("attainment", "revenue_cv", "selling_share", "margin_mean", "gap_iae"):
        assert kpis[key] == 0.0, key


def test_measure_from_week_drops_warm_up() -> None:
    revenue = np.full(12, 100.0)
    revenue[:4] = 0.0  # warm-up: no deals closed yet
    kpis = run_kpis(sales_series(revenue=revenue), plant="sales", measure_from_week=4)
    assert kpis["attainment"] == pytest.approx(1.0)
    assert kpis["revenue_total"] == pytest.approx(800.0)


def test_recovery_keys_per_shock() -> None:
    s = sales_series(40, revenue=drop_and_return())
    assert not any(k.startswith("recovery") for k in run_kpis(s, plant="sales"))
    kpis = run_kpis(s, plant="sales", shock_weeks=(10, 30))
    assert kpis["recovery_weeks"] == 13.0
    assert kpis["recovery_censored"] == 0.0
    # Already back on target at week 30 (absolute weeks, not shifted by measure_from_week).
    assert kpis["recovery_weeks_2"] == 0.0
    assert kpis["recovery_censored_2"] == 0.0


def test_run_kpis_errors_name_the_problem() -> None:
    with pytest.raises(ValueError, match=r"unknown plant 'boiler'.*sales, thermostat"):
        run_kpis(sales_series(), plant="boiler")
    s = sales_series()
    del s["margin"]
    with pytest.raises(ValueError, match="missing: margin"):
        run_kpis(s, plant="sales")
    with pytest.raises(ValueError, match="measure_from_week"):
        run_kpis(sales_series(12), plant="sales", measure_from_week=12)
    with pytest.raises(ValueError, match="differ in length"):
        run_kpis(sales_series(12, revenue=np.ones(11)), plant="sales")


# --- run_kpis: thermostat -----------------------------------------------------------------


def test_thermostat_overshoot_and_swing_of_damped_oscillation() -> None:
    # Cold start, overshoot to 22 at week 3, then a damped ring around 20.
    temperature = np.array([10, 15, 19, 22, 21, 19.5, 20.5, 19.8, 20.2, 19.9, 20.1, 20.0])
    n = temperature.size
    series = {
        "temperature": temperature,
        "target": np.full(n, 20.0),
        "heater": np.linspace(1.0, 0.5, n),
        "outside": np.full(n, 5.0),
    }
    kpis = run_kpis(series, plant="thermostat", shock_weeks=(8,))
    assert kpis["overshoot_c"] == pytest.approx(2.0)
    # Last half is weeks 6..11: 20.5 down to 19.8 -> 0.7.
    assert kpis["swing_c"] == pytest.approx(0.7)
    assert kpis["heater_mean"] == pytest.approx(0.75)
    assert kpis["mean_abs_error_c"] == pytest.approx(np.mean(np.abs(temperature - 20.0)))
    assert kpis["recovery_weeks"] == 0.0


def test_thermostat_that_never_reaches_set_point_has_no_overshoot() -> None:
    n = 8
    series = {
        "temperature": np.linspace(10, 18, n),
        "target": np.full(n, 20.0),
        "heater": np.ones(n),
        "outside": np.zeros(n),
    }
    assert run_kpis(series, plant="thermostat")["overshoot_c"] == 0.0


# --- summarize ----------------------------------------------------------------------------


def test_summarize_percentiles_linear() -> None:
    reps = [{"a": float(v), "b": 1.0} for v in range(1, 11)]
    summary = summarize(reps)
    assert list(summary) == ["a", "b"]
    assert summary["a"] == pytest.approx({"mean": 5.5, "p10": 1.9, "p50": 5.5, "p90": 9.1})
    assert all(type(v) is float for v in summary["a"].values())


def test_summarize_keeps_only_kpis_in_every_replication() -> None:
    summary = summarize([{"z": 1.0, "x": 2.0, "only_here": 3.0}, {"x": 4.0, "z": 5.0}])
    assert list(summary) == ["z", "x"]


def test_summarize_rejects_empty_input() -> None:
    with pytest.raises(ValueError, match="at least one replication"):
        summarize([])


# --- properties ---------------------------------------------------------------------------

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
fraction = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=30).flatmap(
        lambda n: st.tuples(
            *(st.lists(s, min_size=n, max_size=n) for s in (positive, positive, positive, fraction))
        )
    )
)
def test_attainment_is_sum_ratio_and_selling_share_is_a_share(
    data: tuple[list[float], list[float], list[float], list[float]],
) -> None:
    revenue, target, paid, selling_fraction = (np.array(x) for x in data)
    s = sales_series(
        revenue.size,
        revenue=revenue,
        target=target,
        hours_paid=paid,
        hours_selling=paid * selling_fraction,  # selling hours never exceed paid hours
    )
    kpis = run_kpis(s, plant="sales")
    assert kpis["attainment"] == pytest.approx(revenue.sum() / target.sum())
    assert 0.0 <= kpis["selling_share"] <= 1.0


def test_required_series_cover_both_plants() -> None:
    assert set(REQUIRED_SERIES) == {"sales", "thermostat"}
