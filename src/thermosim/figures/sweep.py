"""Figures of a sweep: KPI lines against one field, the phase map of two, sensitivity bars.

Owns drawing from ``sweep.json`` / ``sensitivity.json`` data (never running anything): for one
varied field each headline KPI against it, one line per variant (median) with its 10-90% band;
for two fields a phase map of the alternative-minus-reference difference on a diverging colour
map centred at zero, with the zero contour and the shipped scenario's point; for a sensitivity
study a bar per field. Each title states the finding, counted from the numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.colors import CenteredNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from thermosim.figures.labels import LABELS, check_lang, sentence, text, variant_label
from thermosim.figures.render import save
from thermosim.figures.style import (
    BAND_ALPHA,
    BLUE,
    INK,
    MUTED,
    ORANGE,
    TEXT_PT,
    band_handle,
    finish,
    new_figure,
    slide_style,
    variant_looks,
)
from thermosim.figures.waterfall import axis_formatter, change_text
from thermosim.metrics import KPIS

FORMATS = ("png", "svg", "pdf")
# Purple-orange: diverging and readable with the common colour-vision deficiencies.
DIVERGING = "PuOr"


def kpi_phrase(kpi: str, lang: str) -> str:
    """The KPI inside a sentence: ``operating profit`` / ``het bedrijfsresultaat``."""
    for key in (f"waterfall.kpi.{kpi}", f"kpi.{kpi}"):
        if key in LABELS[lang]:
            words = text(key, lang)
            return words if key.startswith("waterfall") else words[:1].lower() + words[1:]
    return kpi.replace("_", " ")


def field_label(path: str, lang: str) -> str:
    """An axis label for a varied field: a catalogue name for common fields, else the path."""
    key = f"sweep.field.{path.rsplit('.', 1)[-1]}"
    return text(key, lang) if key in LABELS[lang] else path


def footer(data: Mapping[str, Any], lang: str, cells: int) -> str:
    """Scenario, replications per cell, seed and cells."""
    titles = data.get("title") or {}
    return text(
        "sweep.footer",
        lang,
        title=titles.get(lang) or titles.get("en") or data["scenario"],
        scenario=data["scenario"],
        reps=data["replications"],
        seed=data["seed"],
        cells=cells,
    )


def _better(kpi: str, difference: float) -> bool:
    """Whether a positive alternative-minus-reference ``difference`` favours the alternative."""
    up = KPIS[kpi].higher_is_better if kpi in KPIS else True
    return difference > 0 if up is not False else difference < 0


def _names(data: Mapping[str, Any], lang: str) -> dict[str, str]:
    ref, alt = data["reference"], data["alternative"] or data["reference"]
    # Inline forms; a title starting with a name gets its capital from ``sentence``.
    return {
        "ref": variant_label(ref, lang, inline=True),
        "alt": variant_label(alt, lang, inline=True),
    }


def _stat(data: Mapping[str, Any], variant: str, kpi: str, stat: str) -> np.ndarray:
    values = [c["kpis"][variant].get(kpi, {}).get(stat) for c in data["cells"]]
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def draw_lines(data: Mapping[str, Any], kpi: str, lang: str = "en") -> Figure:
    """One KPI against the one varied field: a median line and 10-90% band per variant."""
    check_lang(lang)
    axis = data["axes"][0]
    xs = np.array(axis["values"], dtype=float)
    variants = [(v["name"], v["preset"]) for v in data["variants"]]
    looks = variant_looks(variants)
    ref, alt = data["reference"], data["alternative"]
    with slide_style():
        fig = new_figure("full")
        ax = fig.subplots()
        handles, labels = [], []
        for name, _ in variants:
            look = looks[name]
            low, high = _stat(data, name, kpi, "p10"), _stat(data, name, kpi, "p90")
            ax.fill_between(xs, low, high, color=look.color, alpha=BAND_ALPHA, linewidth=0)
            ax.plot(xs, _stat(data, name, kpi, "p50"), **look.line(linewidth=3.2), marker="o")
            handles.append(band_handle(look))
            labels.append(variant_label(name, lang))
        ax.set_xlabel(field_label(axis["path"], lang))
        ax.set_ylabel(sentence(kpi_phrase(kpi, lang)))
        ax.yaxis.set_major_formatter(axis_formatter(kpi, lang))
        if axis["shipped"] is not None and xs.min() <= axis["shipped"] <= xs.max():
            ax.axvline(axis["shipped"], color=MUTED, linestyle=":", linewidth=2.5)
        title = text(
            "sweep.line.title.none",
            lang,
            n=len(xs),
            kpi=kpi_phrase(kpi, lang),
            **_names(data, lang),
        )
        if alt is not None:
            diff = _stat(data, alt, kpi, "mean") - _stat(data, ref, kpi, "mean")
            wins = sum(_better(kpi, d) for d in diff)
            key = "sweep.line.title" if wins else "sweep.line.title.none"
            title = text(
                key, lang, k=wins, n=len(xs), kpi=kpi_phrase(kpi, lang), **_names(data, lang)
            )
        finish(fig, sentence(title), footer(data, lang, len(xs)), handles, labels)
    return fig


def phase_grid(data: Mapping[str, Any], kpi: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first two axes' values and the difference on them (rows: second axis)."""
    first, second = data["axes"][0], data["axes"][1]
    xs, ys = np.array(first["values"], float), np.array(second["values"], float)
    alt = data["alternative"] or data["reference"]
    diff = _stat(data, alt, kpi, "mean") - _stat(data, data["reference"], kpi, "mean")
    # Cells are row-major over the axes (the last fastest); extra axes are averaged over.
    shape = [len(a["values"]) for a in data["axes"]]
    grid = diff.reshape(shape)
    while grid.ndim > 2:
        grid = grid.mean(axis=-1)
    return xs, ys, grid.T


def _edges(values: np.ndarray) -> np.ndarray:
    middle = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - middle[0]], middle, [2 * values[-1] - middle[-1]]])


def draw_phase_map(data: Mapping[str, Any], kpi: str | None = None, lang: str = "en") -> Figure:
    """The difference over two varied fields, zero contour and the shipped point marked."""
    check_lang(lang)
    kpi = kpi or data["kpi"]
    xs, ys, grid = phase_grid(data, kpi)
    names = _names(data, lang)
    phrase = kpi_phrase(kpi, lang)
    losses = int(sum(_better(kpi, d) for d in grid.ravel()))
    key = "sweep.phase.title" if losses else "sweep.phase.title.none"
    title = text(key, lang, k=losses, n=grid.size, kpi=phrase, **names)
    with slide_style():
        fig = new_figure("full")
        ax = fig.subplots()
        mesh = ax.pcolormesh(
            _edges(xs), _edges(ys), grid, cmap=DIVERGING, norm=CenteredNorm(0.0), shading="flat"
        )
        handles: list[Any] = []
        labels: list[str] = []
        if grid.shape[0] > 1 and grid.shape[1] > 1 and grid.min() < 0 < grid.max():
            ax.contour(xs, ys, grid, levels=[0.0], colors=INK, linewidths=3.0)
            handles.append(Line2D([], [], color=INK, linewidth=3.0))
            labels.append(text("sweep.phase.zero", lang))
        shipped = [a["shipped"] for a in data["axes"][:2]]
        if None not in shipped:
            ax.plot(
                *shipped,
                marker="*",
                markersize=26,
                color=ORANGE,
                markeredgecolor=INK,
                markeredgewidth=1.5,
                linestyle="none",
                clip_on=False,
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="*",
                    markersize=22,
                    color=ORANGE,
                    markeredgecolor=INK,
                    linestyle="none",
                )
            )
            labels.append(text("sweep.phase.shipped", lang))
        bar = fig.colorbar(mesh, ax=ax, format=_change_formatter(kpi, lang))
        bar.set_label(text("sweep.phase.colorbar", lang, kpi=phrase, **names), fontsize=TEXT_PT)
        bar.ax.tick_params(labelsize=TEXT_PT - 1)
        ax.set_xlabel(field_label(data["axes"][0]["path"], lang))
        ax.set_ylabel(field_label(data["axes"][1]["path"], lang))
        # Ticks at the values swept (cell centres), when few enough to read.
        for values, ticks in ((xs, ax.set_xticks), (ys, ax.set_yticks)):
            if len(values) <= 9:
                ticks(values, [f"{v:g}".replace(".", "," if lang == "nl" else ".") for v in values])
        finish(fig, sentence(title), footer(data, lang, grid.size), handles, labels)
    return fig


def _change_formatter(kpi: str, lang: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: change_text(kpi, value, lang))


def draw_sensitivity(data: Mapping[str, Any], lang: str = "en") -> Figure:
    """One bar group per field: Sobol first-order and total indices, or Morris μ*."""
    check_lang(lang)
    rows = list(data["rows"])
    sobol = data["method"] == "sobol"
    key = "ST" if sobol else "mu_star"
    rows.sort(key=lambda r: r[key])
    labels = [field_label(r["field"], lang) for r in rows]
    top = field_label(rows[-1]["field"], lang)
    title = text("sweep.sensitivity.title", lang, field=top, kpi=kpi_phrase(data["kpi"], lang))
    with slide_style():
        fig = new_figure("full")
        ax = fig.subplots()
        ys = np.arange(len(rows), dtype=float)
        bars: list[Any] = []
        names: list[str] = []
        if sobol:
            ax.barh(
                ys + 0.2,
                [r["ST"] for r in rows],
                height=0.38,
                color=BLUE,
                xerr=[r["ST_conf"] for r in rows],
                ecolor=INK,
                capsize=4,
            )
            ax.barh(
                ys - 0.2,
                [r["S1"] for r in rows],
                height=0.38,
                color=ORANGE,
                hatch="//",
                xerr=[r["S1_conf"] for r in rows],
                ecolor=INK,
                capsize=4,
            )
            bars = [ax.patches[0], ax.patches[-1]]
            names = [text("sweep.sensitivity.total", lang), text("sweep.sensitivity.first", lang)]
        else:
            ax.barh(
                ys,
                [r["mu_star"] for r in rows],
                height=0.6,
                color=BLUE,
                xerr=[r["mu_star_conf"] for r in rows],
                ecolor=INK,
                capsize=4,
            )
            ax.xaxis.set_major_formatter(axis_formatter(data["kpi"], lang))
        ax.set_yticks(ys, labels)
        ax.set_xlabel(text(f"sweep.sensitivity.axis.{data['method']}", lang))
        ax.axvline(0, color=INK, linewidth=1.2)
        finish(fig, sentence(title), footer(data, lang, data["evaluations"]), bars, names)
    return fig


def write_sweep_figures(
    folder: Path,
    data: Mapping[str, Any],
    kind: str = "sweep",
    lang: str = "en",
    formats: Sequence[str] = ("png",),
) -> list[Path]:
    """Draw the figures of a sweep (or ``kind="sensitivity"``) into ``folder/figures/``.

    One varied field: ``sweep-<kpi>`` per headline KPI; two or more: ``phase-map`` of the
    data's KPI. Sensitivity: ``sensitivity``. Names end in ``.<lang>.<format>``.
    """
    check_lang(lang)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown figure format {', '.join(unknown) or '(none)'}")
    if kind == "sensitivity":
        figures = {"sensitivity": draw_sensitivity(data, lang)}
    elif len(data["axes"]) == 1:
        figures = {f"sweep-{k}": draw_lines(data, k, lang) for k in data["headline"]}
    else:
        figures = {"phase-map": draw_phase_map(data, None, lang)}
    target = Path(folder) / "figures"
    target.mkdir(exist_ok=True)
    written = []
    for name, fig in figures.items():
        for fmt in dict.fromkeys(formats):
            path = target / f"{name}.{lang}.{fmt}"
            save(fig, path, fmt)
            written.append(path)
    return written


__all__ = [
    "draw_lines",
    "draw_phase_map",
    "draw_sensitivity",
    "field_label",
    "kpi_phrase",
    "phase_grid",
    "write_sweep_figures",
]
