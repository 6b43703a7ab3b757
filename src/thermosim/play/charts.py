"""Small line charts as inline SVG, drawn on the server (no JavaScript, no internet).

Owns the one chart shape the pages need: weekly lines against a dashed target, with the value
range and the weeks written at the edges, scaled to a viewBox so it fits a phone or a projector.
Colours follow the slide figures (Okabe-Ito: reacting vermillion, steering blue, doing nothing
green).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 480, 220  # viewBox units; the page scales the chart to its width
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 96, 10, 10, 28
COLORS = {"reactive": "#D55E00", "steered": "#0072B2", "open-loop": "#009E73"}
PARTICIPANT_COLOR = "#7A7A7A"
TARGET_COLOR = "#1A1A1A"


@dataclass(frozen=True)
class Line:
    """One line: values per week (None: no value that week), its colour, width and dashes."""

    values: Sequence[float | None]
    color: str
    width: float = 2.5
    dashes: str = ""
    label: str = ""


def line_chart(
    lines: Sequence[Line],
    target: Sequence[float],
    first_week: int,
    fmt: Callable[[float], str],
    label: str,
    week_label: Callable[[int], str] = str,
) -> str:
    """An SVG chart of ``lines`` against the dashed ``target`` (weeks from ``first_week``).

    The y axis runs from zero; it is labelled at zero and at the (latest) target.
    """
    values = [v for line in lines for v in line.values if v is not None] + list(target)
    # From zero: a weekly number is read against the whole of it, not against its wobble.
    low, high = 0.0, max([*values, 1.0]) * 1.08
    count = max([len(target), *(len(line.values) for line in lines), 2])
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(i: int) -> float:
        return PAD_LEFT + inner_w * i / (count - 1)

    def y(v: float) -> float:
        return PAD_TOP + inner_h * (high - v) / (high - low)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="{PAD_LEFT}" y="{PAD_TOP}" width="{inner_w}" height="{inner_h}" '
        'fill="#fafafa" stroke="#dddddd"/>',
    ]
    ticks = [(0.0, "auto")]
    if target:
        ticks.append((target[-1], "middle"))
    for value, baseline in ticks:
        parts.append(
            f'<text x="{PAD_LEFT - 6}" y="{y(value):.1f}" text-anchor="end" '
            f'dominant-baseline="{baseline}" class="tick">{escape(fmt(value))}</text>'
        )
    for i, anchor in ((0, "start"), (count - 1, "end")):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 6}" text-anchor="{anchor}" class="tick">'
            f"{escape(week_label(first_week + i))}</text>"
        )
    if target:
        parts.append(_polyline(list(target), x, y, TARGET_COLOR, 2.0, "7 5"))
    for line in lines:
        parts.append(_polyline(line.values, x, y, line.color, line.width, line.dashes))
    parts.append("</svg>")
    return "".join(parts)


def _polyline(
    values: Sequence[float | None],
    x: Callable[[int], float],
    y: Callable[[float], float],
    color: str,
    width: float,
    dashes: str,
) -> str:
    """One path; a week without a value breaks the line."""
    commands: list[str] = []
    pen_down = False
    for i, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{x(i):.1f},{y(value):.1f}")
        pen_down = True
    if not commands:
        return ""
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return (
        f'<path d="{" ".join(commands)}" fill="none" stroke="{color}" '
        f'stroke-width="{width}" stroke-linejoin="round"{dash}/>'
    )
