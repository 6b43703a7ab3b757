"""Slide figures: eight families drawn from a results folder, in English or Dutch.

Owns the presentation of a run: the slide style (``thermosim.mplstyle``, applied only inside
each figure's own scope), the label catalogue and number formats (``labels``), the eight
figure families and ``write_figures``, which writes ``<results>/figures/<name>.<lang>.<fmt>``
(``<name>.half.<lang>.<fmt>`` for half-slide figures). Every family's ``draw_*`` function takes
a ``SavedResults``, a language and a size, and returns a ``matplotlib.figure.Figure``; only
this package, the deck and the animation import matplotlib. The waterfall of ``thermosim
explain`` (``draw_waterfall``, ``write_waterfall``) is drawn from ``explain.json`` instead.
"""

from thermosim.figures.loop import draw_control_loop
from thermosim.figures.render import (
    DRAW,
    FIGURES,
    FORMATS,
    SIZES,
    families_for,
    figure_path,
    write_figures,
)
from thermosim.figures.scorecard import draw_scorecard
from thermosim.figures.team import draw_firefighting, draw_team_health, draw_time_allocation
from thermosim.figures.timeline import draw_cumulative_gap, draw_recovery, draw_revenue_vs_target
from thermosim.figures.waterfall import draw_waterfall, write_waterfall

__all__ = [
    "DRAW",
    "FIGURES",
    "FORMATS",
    "SIZES",
    "draw_control_loop",
    "draw_cumulative_gap",
    "draw_firefighting",
    "draw_recovery",
    "draw_revenue_vs_target",
    "draw_scorecard",
    "draw_team_health",
    "draw_time_allocation",
    "draw_waterfall",
    "families_for",
    "figure_path",
    "write_figures",
    "write_waterfall",
]
