"""Text for people at a terminal: the KPI summary table and the progress line.

Owns which KPIs the terminal shows, the table's layout and the progress line of a run; the
values are written by ``kpi_text.format_kpi`` (in English, ASCII), as on the slides. No click
here: the command line decides where the text goes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TextIO

from thermosim.kpi_text import format_kpi
from thermosim.metrics import is_censored

# KPIs shown at the end of a run, in this order.
SALES_SUMMARY = (
    "attainment",
    "revenue_cv",
    "revenue_sd",
    "gap_iae",
    "recovery_weeks",
    "fatigue_mean",
    "firefighting_hours",
    "interventions",
    "margin_mean",
    "operating_profit",
    "gross_profit",
)
THERMOSTAT_SUMMARY = ("mean_abs_error_c", "overshoot_c", "swing_c", "gap_iae", "recovery_weeks")


def value_text(kpi: str, value: float, censored: bool = False) -> str:
    """One KPI value as a trainer reads it (``format_kpi`` in English, ASCII)."""
    return format_kpi(kpi, value, "en", censored=censored, plain=True)


def difference_text(kpi: str, delta: float) -> str:
    """A difference between two variants, signed, in the KPI's own unit (shares in points)."""
    return format_kpi(kpi, delta, "en", signed=True, plain=True)


def summary_table(kpis: dict[str, dict[str, dict[str, float]]], plant: str) -> list[str]:
    """Lines of the end-of-run table: each variant's mean, and each variant against the first."""
    variants = list(kpis)
    first = variants[0]
    wanted = SALES_SUMMARY if plant == "sales" else THERMOSTAT_SUMMARY
    names = [k for k in wanted if k in kpis[first]]
    header = ["kpi (mean)", *variants] + [f"{v} vs {first}" for v in variants[1:]]
    rows = [header]
    for kpi in names:
        cells = [kpi]
        for v in variants:
            cells.append(value_text(kpi, kpis[v][kpi]["mean"], is_censored(kpis[v], kpi)))
        for v in variants[1:]:
            cells.append(difference_text(kpi, kpis[v][kpi]["mean"] - kpis[first][kpi]["mean"]))
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        first_cell = row[0].ljust(widths[0])
        rest = "  ".join(cell.rjust(widths[i + 1]) for i, cell in enumerate(row[1:]))
        lines.append(f"{first_cell}  {rest}")
    return lines


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class Progress:
    """A one-line progress report, rewritten in place (only used on a terminal).

    Parameters
    ----------
    stream
        Where to write (standard error, so standard output keeps only the summary).
    label
        What is running.
    """

    def __init__(self, stream: TextIO, label: str, now: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.label = label
        self.now = now
        self.started = now()
        self.shown = False
        self.width = 0

    def __call__(self, done: float, total: int, note: str = "") -> None:
        """Show ``done`` of ``total`` replications, their rate, elapsed and remaining time.

        ``done`` may be a fraction (replications under way count their share); ``note`` adds
        what else is counted (a sweep's cells).
        """
        elapsed = self.now() - self.started
        left = elapsed / done * (total - done) if done else 0.0
        rate = done / elapsed if elapsed > 0 else 0.0
        bar_width = 24
        filled = min(bar_width, int(bar_width * done / total)) if total else bar_width
        bar = "#" * filled + "-" * (bar_width - filled)
        line = (
            f"{self.label} [{bar}] {math.floor(done)}/{total} replications{note}, "
            f"{rate:.1f}/s, {clock(elapsed)} elapsed, {clock(left)} left"
        )
        # Blanks over what a longer previous line left behind.
        self.stream.write(f"\r{line.ljust(self.width)}")
        self.stream.flush()
        self.width = len(line)
        self.shown = True

    def close(self) -> None:
        """End the line so the next output starts cleanly."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
