"""The control loop as a diagram, with this scenario's settings per variant.

Owns what the loop figure says: the boxes (goal -> gap -> how we react -> what we do -> team
and market, shocks into the plant, what we see fed back to the gap), the words for each
variant's settings (delay, window, gain, memory, noise filter, levers) read from the resolved
scenario, with what all variants share said once, and which settings differ (the title).
The geometry is ``figures.diagram``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from thermosim.config.scenario import Variant
from thermosim.control.levers import FUNDAMENTAL
from thermosim.figures import findings
from thermosim.figures.data import Story
from thermosim.figures.diagram import Box, folded_layout, row_layout
from thermosim.figures.labels import check_lang, degrees, duration, number, text
from thermosim.figures.style import (
    LineLook,
    blank_panel,
    check_size,
    slide_style,
)
from thermosim.saved import SavedResults


def _same(texts: Sequence[str]) -> bool:
    return len(set(texts)) <= 1


def _per_variant(
    story: Story, parts: Mapping[str, Sequence[str]]
) -> list[tuple[str, LineLook | None]]:
    """A box's lines: what all variants share once, then what differs, one line per variant."""
    lists = [list(parts[v]) for v in story.variants]
    common = [p for p in lists[0] if all(p in other for other in lists[1:])]
    lines: list[tuple[str, LineLook | None]] = []
    if common:
        lines.append((", ".join(common), None))
    rest = {v: [p for p in parts[v] if p not in common] for v in story.variants}
    if any(rest.values()):
        lines += [(", ".join(rest[v]) or "–", story.looks[v]) for v in story.variants]
    return lines


def _metrics(spec: Variant, story: Story) -> list[str]:
    """The metrics the loops read, each once (two members on one metric read one metric).

    Member loops read their own metrics; the team's loop reads its perception's metric, or the
    plant's own when unset.
    """
    if spec.members:
        return list(dict.fromkeys(str(m.metric) for m in spec.members))
    own = "revenue" if story.sales else "temperature"
    return [str(spec.perception.metric or own)]


def _goal(spec: Variant, story: Story, lang: str) -> list[str]:
    if spec.members:
        return [text("loop.goal.members", lang, n=len(spec.members))]
    if not story.sales:
        return [story.setpoint_text(lang)]
    ref = spec.reference
    if ref.kind == "eroding":
        words = text("loop.goal.eroding", lang)
    elif ref.kind == "raised":
        factor = number(float(ref.raise_to), lang, 2).rstrip("0").rstrip(",.")
        words = text("loop.goal.raised", lang, factor=factor)
    else:
        words = text("loop.goal.fixed", lang)
    return [words, text("loop.goal.shared" if ref.shared else "loop.goal.imposed", lang)]


def _sees(spec: Variant, story: Story, lang: str, show_metric: bool, compact: bool) -> list[str]:
    seen = spec.perception
    parts = []
    if show_metric:
        metrics = _metrics(spec, story)
        if compact and len(metrics) > 1:
            parts.append(text("loop.sees.metrics", lang, n=len(metrics)))
        else:
            parts.append(" + ".join(text(f"metric.{m}", lang) for m in metrics))
    if seen.delay_weeks > 0:
        parts.append(text("loop.sees.late", lang, late=duration(float(seen.delay_weeks), lang)))
    else:
        parts.append(text("loop.sees.now", lang))
    window = duration(float(seen.window_weeks), lang)
    parts.append(text("loop.sees.window", lang, window=window))
    return parts


def _reacts(spec: Variant, lang: str) -> list[str]:
    policy = spec.policy
    gain = float(policy.gain)
    parts = [text("loop.reacts.gain", lang, gain=number(gain, lang, 0 if gain.is_integer() else 1))]
    memory = policy.integral_time_weeks
    if memory:
        parts.append(text("loop.reacts.memory", lang, weeks=duration(float(memory), lang)))
    else:
        parts.append(text("loop.reacts.no_memory", lang))
    if policy.deadband > 0 or policy.control_limit_sigma:
        parts.append(text("loop.reacts.filter", lang))
    review = float(policy.review_weeks)
    if review != 1.0:
        parts.append(text("loop.reacts.review", lang, every=duration(review, lang)))
    return parts


def _does(spec: Variant, story: Story, lang: str) -> list[str]:
    repertoire = list(spec.levers.repertoire)
    if not repertoire:
        return [text("loop.does.heater" if not story.sales else "loop.does.none", lang)]
    if spec.levers.mode == "episodic":
        return [text("loop.does.fixes", lang, count=len(repertoire))]
    if all(r in FUNDAMENTAL for r in repertoire):
        return [text("loop.does.lasting", lang, count=len(repertoire))]
    return [text("loop.does.mixed", lang, count=len(repertoire))]


def differing_parts(story: Story) -> list[str]:
    """Which parts of the loop's settings differ between the variants (for the title)."""
    specs = [story.spec(v) for v in story.variants]

    def differs(*path: str) -> bool:
        seen = []
        for spec in specs:
            node: Any = spec
            for key in path:
                node = getattr(node, key)
            seen.append(repr(node))
        return not _same(seen)

    parts = []
    if (story.sales and differs("reference")) or differs("members"):
        parts.append("goal")
    if not _same([repr(_metrics(spec, story)) for spec in specs]):
        parts.append("metrics")
    checks = (
        ("delay", ("perception", "delay_weeks")),
        ("window", ("perception", "window_weeks")),
        ("gain", ("policy", "gain")),
        ("memory", ("policy", "integral_time_weeks")),
        ("review", ("policy", "review_weeks")),
    )
    parts += [name for name, path in checks if differs(*path)]
    if differs("policy", "deadband") or differs("policy", "control_limit_sigma"):
        parts.append("filter")
    if not _same([repr(_does(spec, story, "en")) for spec in specs]):
        parts.append("levers")
    return parts


def _boxes(story: Story, lang: str, compact: bool) -> dict[str, Box]:
    specs = {v: story.spec(v) for v in story.variants}
    show_metric = not _same([repr(_metrics(specs[v], story)) for v in story.variants])
    plant = "sales" if story.sales else "thermostat"
    if story.sales:
        detail = text("loop.plant_detail.sales", lang, people=story.people())
    else:
        plant_spec = story.results.scenario.plant
        outside = float(plant_spec.outside_c if plant_spec.kind == "thermostat" else 0.0)
        detail = text("loop.plant_detail.thermostat", lang, outside=degrees(outside, lang, 0))
    return {
        "goal": Box(
            "goal",
            text("loop.goal", lang),
            _per_variant(story, {v: _goal(specs[v], story, lang) for v in story.variants}),
        ),
        "sees": Box(
            "sees",
            text("loop.sees", lang),
            _per_variant(
                story,
                {v: _sees(specs[v], story, lang, show_metric, compact) for v in story.variants},
            ),
        ),
        "reacts": Box(
            "reacts",
            text("loop.reacts", lang),
            _per_variant(story, {v: _reacts(specs[v], lang) for v in story.variants}),
        ),
        "does": Box(
            "does",
            text("loop.does", lang),
            _per_variant(story, {v: _does(specs[v], story, lang) for v in story.variants}),
        ),
        "plant": Box("plant", text(f"loop.plant.{plant}", lang), [(detail, None)]),
    }


def draw_control_loop(
    results: SavedResults, lang: str = "en", size: str = "full", ax: Axes | None = None
) -> Figure:
    """The loop as a diagram with each variant's settings, from the resolved scenario."""
    check_lang(lang)
    check_size(size)
    story = Story.of(results)
    title = findings.loop(story, lang, differing_parts(story), listed=3 if size == "full" else 1)
    with slide_style():
        fig, canvas = blank_panel(title, story.footer(lang, bands=False), size, ax)
        box = canvas.get_window_extent()
        width, height = box.width / fig.dpi, box.height / fig.dpi
        canvas.set_xlim(0, width)
        canvas.set_ylim(0, height)
        boxes = _boxes(story, lang, compact=width < 9.0)
        shocks = text("loop.shocks", lang, shocks=_shock_words(story, lang))
        if width >= 9.0:
            row_layout(canvas, boxes, shocks, width, height, lang)
        else:
            folded_layout(canvas, boxes, shocks, width, height, lang, bool(story.shocks))
        # The diagram is laid out in the canvas's own inches: it must not move the canvas.
        for artist in canvas.get_children():
            artist.set_in_layout(False)
    return fig


def _shock_words(story: Story, lang: str) -> str:
    if not story.shocks:
        return text("shock.none", lang)
    return ", ".join(s.label(lang, size=False) for s in story.shocks)
