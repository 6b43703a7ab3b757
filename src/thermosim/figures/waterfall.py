"""The waterfall of ``thermosim explain``: from one approach to another, one step at a time.

Owns how an ``explain.json`` is drawn: a horizontal waterfall read top to bottom like the ladder
(the start as a bar from zero, each step a floating bar from the rung before to its own rung
with its 10-90% whisker over replications, the end as a bar from zero), the two reference
variants as grey bars below it, every value written in a column on the right, and the title
naming the step that contributes most. Drawn at full slide size only; written next to the other
figures as ``figures/waterfall.<lang>.<format>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, MaxNLocator

from thermosim.explain import WATERFALL_KPI, read_explanation
from thermosim.figures import findings
from thermosim.figures.labels import (
    DegreeFormatter,
    EuroFormatter,
    NumberFormatter,
    PercentFormatter,
    check_lang,
    period_text,
    text,
    variant_label,
)
from thermosim.figures.render import FORMATS, figure_path, replace_figures, save
from thermosim.figures.style import (
    INK,
    MARGIN_IN,
    MUTED,
    ORANGE,
    SKY,
    TEXT_PT,
    TICK_PT,
    finish,
    new_figure,
    slide_style,
    variant_looks,
)
from thermosim.figures.text import text_width_pt
from thermosim.kpi_text import PERCENT_KINDS, format_kpi
from thermosim.metrics import kpi_spec

NAME = "waterfall"
SIZE = "full"  # a waterfall needs the whole slide: no half-slide version
UP, DOWN, REFERENCE = SKY, ORANGE, "#BBBBBB"
BAR_HEIGHT = 0.62
ZOOM = 0.6  # values all above this share of the largest: the value axis does not start at 0
GAP = 0.6  # extra space between the ladder and the reference bars, in rows
WHISKER_PT = 2.5
SPREAD = 1e-9  # a whisker narrower than this share of the axis is no spread: not drawn
MIN_TICK_GAP_PT = 18.0  # free space between two tick labels on the value axis


def level_text(kpi: str, value: float, lang: str) -> str:
    """A KPI's value as the waterfall writes it (``€1.4M``, ``88%``, ``0.8 °C``)."""
    return format_kpi(kpi, value, lang)


def change_text(kpi: str, delta: float, lang: str) -> str:
    """A signed change: ``+€152k`` / ``€ +152.000``, ``−3.5 pts`` / ``−3,5 ptn``, ``−1.4 °C``."""
    return format_kpi(kpi, delta, lang, signed=True)


def axis_formatter(kpi: str, lang: str) -> Formatter:
    """The value axis' tick formatter for ``kpi`` (from its kind in the catalogue)."""
    kind = kpi_spec(kpi).kind
    if kind in ("money", "money_per_week"):
        return EuroFormatter(lang)
    if kind in PERCENT_KINDS:
        return PercentFormatter(lang)
    if kind == "degrees":
        return DegreeFormatter(lang)
    return NumberFormatter(lang)


@dataclass(frozen=True)
class Bar:
    """One row of the waterfall."""

    label: str
    left: float
    right: float
    color: str
    value: str  # written in the column on the right
    whisker: tuple[float, float] | None = None
    label_color: str = INK
    bold: bool = False


def _step_label(step: Mapping[str, Any], lang: str) -> str:
    labels = step.get("label") or {}
    return str(labels.get(lang) or labels.get("en") or step.get("name", ""))


def _inline_step(step: Mapping[str, Any], lang: str) -> str:
    key = "waterfall.step." + str(step.get("name", "")).replace(" ", "-")
    try:
        return text(key, lang)
    except KeyError:  # a step this catalogue does not know: its label, lower-cased
        words = _step_label(step, lang)
        return words[:1].lower() + words[1:]


def bars(data: Mapping[str, Any], kpi: str, lang: str) -> tuple[list[Bar], list[Bar]]:
    """The ladder's rows (start, steps, end) and the reference rows, top to bottom."""
    presets = data.get("presets") or {}
    start, end = str(data["start"]), str(data["end"])
    looks = variant_looks([(start, presets.get(start)), (end, presets.get(end))])
    rungs = [float(r["kpis"][kpi]) for r in data["rungs"]]
    first = text("waterfall.start", lang, variant=variant_label(start, lang))
    last = text("waterfall.end", lang, variant=variant_label(end, lang))
    ladder = [
        Bar(
            first,
            0.0,
            rungs[0],
            looks[start].color,
            level_text(kpi, rungs[0], lang),
            label_color=looks[start].color,
            bold=True,
        )
    ]
    for step, before, after in zip(data["steps"], rungs, rungs[1:], strict=False):
        stats = step["contribution"][kpi]
        mean = float(stats["mean"])
        ladder.append(
            Bar(
                _step_label(step, lang),
                before,
                after,
                UP if mean >= 0 else DOWN,
                change_text(kpi, mean, lang),
                whisker=(before + float(stats["p10"]), before + float(stats["p90"])),
            )
        )
    ladder.append(
        Bar(
            last,
            0.0,
            rungs[-1],
            looks[end].color,
            level_text(kpi, rungs[-1], lang),
            label_color=looks[end].color,
            bold=True,
        )
    )
    references = []
    for ref in data.get("references") or []:
        value = float(ref["kpis"][kpi])
        labels = ref.get("label") or {}
        name = str(labels.get(lang) or labels.get("en") or ref.get("name", ""))
        references.append(
            Bar(name, 0.0, value, REFERENCE, level_text(kpi, value, lang), label_color=MUTED)
        )
    return ladder, references


def title(data: Mapping[str, Any], kpi: str, lang: str) -> str:
    """The finding: which step contributes most, and how much."""
    steps = list(data["steps"])
    means = [float(s["contribution"][kpi]["mean"]) for s in steps]
    total = float(data["total"][kpi]["mean"])
    scale = max([abs(float(r["kpis"][kpi])) for r in data["rungs"]] + [1e-300])
    return findings.waterfall(
        [_inline_step(s, lang) for s in steps],
        means,
        total,
        scale,
        lang,
        kpi_words=text(f"waterfall.kpi.{kpi}", lang),
        show=lambda x: change_text(kpi, x, lang),
    )


def footer(data: Mapping[str, Any], lang: str) -> str:
    """Scenario, replications and seed, and how the ladder is built."""
    titles = data.get("title") or {}
    scenario = str(data.get("scenario", ""))
    words = text(
        "footer",
        lang,
        title=titles.get(lang) or titles.get("en") or scenario,
        scenario=scenario,
        reps=data.get("replications"),
        seed=data.get("seed"),
    )
    return f"{words} · {text('waterfall.footer', lang)}"


def pick_kpi(data: Mapping[str, Any], kpi: str | None) -> str:
    """The KPI to draw: as asked, else the file's ``waterfall_kpi``, else the plant's default."""
    known = [str(k) for k in data.get("kpis") or []]
    plant = str(data.get("plant", "sales"))
    chosen = kpi or str(data.get("waterfall_kpi") or WATERFALL_KPI.get(plant, known[0]))
    if chosen not in known:
        raise ValueError(f"no KPI {chosen!r} in this explain.json; use one of {', '.join(known)}")
    return chosen


def value_range(rows: Sequence[Bar]) -> tuple[float, float]:
    """The value axis' limits: from zero, or zoomed in when the steps are small beside the levels.

    When every value lies on one side of zero and the smallest is above ``ZOOM`` of the largest
    (attainment: 91% to 104% of target), an axis from zero would leave the steps a few pixels
    wide: the axis then starts at a round value below the smallest one, and the tick labels say
    where. Otherwise it starts at zero (money, the thermostat's gap).
    """
    ends = [v for bar in rows for v in (bar.right, *(bar.whisker or ()))]
    ends += [bar.left for bar in rows if bar.left != 0.0]
    low, high = min(0.0, *ends), max(0.0, *ends)
    smallest = min(ends)
    if smallest > 0 and smallest > ZOOM * high:
        below = smallest - 0.25 * (high - smallest)
        ticks = MaxNLocator(6, steps=[1, 2, 2.5, 5, 10]).tick_values(below, high)
        low = max(0.0, float(max((t for t in ticks if t <= below), default=0.0)))
    pad = 0.04 * (high - low or 1.0)
    return low - (pad if low < 0 else 0.0), high + (pad if high > 0 else 0.0)


def draw_waterfall(data: Mapping[str, Any], lang: str = "en", kpi: str | None = None) -> Figure:
    """Draw the waterfall of an ``explain.json`` (as read by ``read_explanation``).

    Parameters
    ----------
    data
        The content of ``explain.json``.
    lang
        ``en`` or ``nl``.
    kpi
        One of the file's headline KPIs (default: its ``waterfall_kpi``: operating profit for
        the sales plant).

    Returns
    -------
    matplotlib.figure.Figure
        At full slide size (12.7 x 5.9 in).
    """
    check_lang(lang)
    kpi = pick_kpi(data, kpi)
    ladder, references = bars(data, kpi, lang)
    rows = ladder + references
    span = max([abs(v) for bar in rows for v in (bar.left, bar.right)] + [1e-300])
    ys = [float(i) for i in range(len(ladder))]
    ys += [len(ladder) - 1 + GAP + 1 + i for i in range(len(references))]
    with slide_style():
        fig = new_figure(SIZE)
        ax = fig.subplots()
        for y, bar in zip(ys, rows, strict=True):
            low, high = sorted((bar.left, bar.right))
            ax.barh(y, high - low, left=low, height=BAR_HEIGHT, color=bar.color, linewidth=0)
            if bar.whisker is not None and bar.whisker[1] - bar.whisker[0] > SPREAD * span:
                ax.errorbar(
                    (bar.whisker[0] + bar.whisker[1]) / 2,
                    y,
                    xerr=[[(bar.whisker[1] - bar.whisker[0]) / 2]] * 2,
                    fmt="none",
                    ecolor=INK,
                    elinewidth=WHISKER_PT,
                    capsize=7,
                    capthick=WHISKER_PT,
                    zorder=4,
                )
        # Dotted connectors from each bar's end to the next bar: where the next step starts.
        for y0, y1, bar in zip(ys, ys[1:], ladder[:-1], strict=False):
            ax.vlines(
                bar.right,
                y0 + BAR_HEIGHT / 2,
                y1 - BAR_HEIGHT / 2,
                colors=MUTED,
                linewidth=1.5,
                linestyles=(0, (1.5, 2.0)),
                zorder=2,
            )
        ax.set_yticks(ys, [bar.label for bar in rows])
        for tick, bar in zip(ax.get_yticklabels(), rows, strict=True):
            tick.set_color(bar.label_color)
            if bar.bold:
                tick.set_fontweight("bold")
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(ys[-1] + 0.6, -0.6)  # the ladder reads top to bottom
        ax.set_xlim(*value_range(rows))
        low, high = ax.get_xlim()
        if low < 0 < high:
            ax.axvline(0.0, color=INK, linewidth=1.5, zorder=1)
        ax.xaxis.set_major_formatter(axis_formatter(kpi, lang))
        period = period_text(int(data.get("horizon_weeks", 52)), lang)
        ax.set_xlabel(text(f"waterfall.axis.{kpi}", lang, period=period))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.spines["left"].set_visible(False)
        for y, bar in zip(ys, rows, strict=True):
            ax.annotate(
                bar.value,
                xy=(1.0, y),
                xycoords=("axes fraction", "data"),
                xytext=(10, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=TEXT_PT,
                color=bar.label_color if bar.bold or bar.color == REFERENCE else INK,
                fontweight="bold" if bar.bold else "normal",
            )
        handles: list[Any] = [
            Patch(facecolor=UP),
            Patch(facecolor=DOWN),
            Line2D(
                [],
                [],
                color=INK,
                linewidth=WHISKER_PT,
                marker="|",
                markersize=14,
                markeredgewidth=WHISKER_PT,
            ),
            Patch(facecolor=REFERENCE),
        ]
        names = [
            text("waterfall.legend.up", lang),
            text("waterfall.legend.down", lang),
            text("waterfall.legend.range", lang),
            text("waterfall.legend.reference", lang),
        ]
        finish(
            fig,
            title(data, kpi, lang),
            footer(data, lang),
            handles,
            names,
            row_major=True,
            handlelength=1.6,
        )
        _side_margins(fig)
        _fit_xticks(fig, ax, axis_formatter(kpi, lang))
    return fig


def _side_margins(fig: Figure) -> None:
    """Keep the row labels and the value column off the canvas edge, as the title is."""
    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):
        return
    x0, y0, _, height = engine.get()["rect"]
    side = MARGIN_IN / float(fig.get_size_inches()[0])
    engine.set(rect=(x0 + side, y0, 1.0 - x0 - 2 * side, height))
    engine.execute(fig)


def _fit_xticks(fig: Figure, ax: Axes, formatter: Formatter) -> None:
    """As many value ticks as fit side by side with room between their labels."""
    width_pt = ax.get_window_extent().width * 72 / fig.dpi
    low, high = ax.get_xlim()
    for bins in range(9, 1, -1):
        locator = MaxNLocator(bins, steps=[1, 2, 2.5, 5, 10])
        ticks = [t for t in locator.tick_values(low, high) if low - 1e-9 <= t <= high + 1e-9]
        formatter.set_locs(ticks)
        widest = max(text_width_pt(formatter(t), TICK_PT) for t in ticks)
        if len(ticks) < 2 or width_pt * (ticks[1] - ticks[0]) / (high - low) >= (
            widest + MIN_TICK_GAP_PT
        ):
            break
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)


def write_waterfall(
    folder: Path,
    lang: str = "en",
    formats: Sequence[str] = ("png",),
    kpi: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Draw the waterfall of ``folder/explain.json`` and write ``figures/waterfall.<lang>.<fmt>``.

    The files join the other figures through ``render.replace_figures`` (all or none, never
    through a link); nothing else in the folder is touched.

    Parameters
    ----------
    folder
        A results folder with an ``explain.json`` (or any folder, with ``data`` given).
    data
        The explanation to draw, when it is not (yet) in the folder.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ValueError
        For an unknown language, format or KPI.
    thermosim.results.ResultsError
        When ``explain.json`` is missing or unreadable (and ``data`` is not given).
    """
    check_lang(lang)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(
            f"unknown figure format {', '.join(unknown) or '(none)'}; use {', '.join(FORMATS)}"
        )
    content = read_explanation(Path(folder)) if data is None else data
    fig = draw_waterfall(content, lang, kpi)

    def draw(staging: Path) -> list[str]:
        files = []
        for fmt in dict.fromkeys(formats):
            file = figure_path(Path(folder), NAME, lang, fmt).name
            save(fig, staging / file, fmt)
            files.append(file)
        return files

    return replace_figures(Path(folder), draw)


__all__ = [
    "NAME",
    "Bar",
    "axis_formatter",
    "bars",
    "change_text",
    "draw_waterfall",
    "level_text",
    "pick_kpi",
    "title",
    "value_range",
    "write_waterfall",
]
