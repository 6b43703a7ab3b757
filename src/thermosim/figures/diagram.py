"""The loop diagram's drawing: boxes sized to their text, arrows, and the two layouts.

Owns the geometry of the control-loop figure in inches of its own canvas (boxes with a
heading and one line per variant, the gap circle, arrows and bent feedback lines) and the two
arrangements: one row on a full slide, a folded loop on half a slide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from thermosim.figures.labels import text
from thermosim.figures.style import INK, MUTED, LineLook
from thermosim.figures.text import text_width_pt, wrap

HEAD_PT, LINE_PT, NOTE_PT = 18.0, 16.0, 16.0
PAD = 0.12  # inches inside a box
SWATCH = 0.42  # inches of line sample before a variant's setting
LINE_H = 1.32 / 72  # inches per point of type, per line (matplotlib spaces lines ~1.3 em)
BOX_FACE, BOX_EDGE = "#F4F4F4", "#333333"


@dataclass
class Box:
    """A box of the diagram: a heading and, per variant, a line of settings."""

    key: str
    heading: str
    lines: list[tuple[str, LineLook | None]]
    max_w: float = 3.4
    x: float = 0.0  # centre, inches
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    wrapped: list[tuple[list[str], LineLook | None]] = field(default_factory=list)

    def size(self) -> None:
        """Wrap the lines to ``max_w`` and work out the box's size."""
        inner = self.max_w - 2 * PAD
        self.wrapped = []
        widths = [text_width_pt(self.heading, HEAD_PT, True) / 72]
        for words, look in self.lines:
            room = inner - (SWATCH if look else 0.0)
            parts = wrap(words, room * 72, LINE_PT)
            self.wrapped.append((parts, look))
            widths.append(
                max(text_width_pt(p, LINE_PT) for p in parts) / 72 + (SWATCH if look else 0)
            )
        self.w = min(self.max_w, max(widths) + 2 * PAD)
        count = sum(len(p) for p, _ in self.wrapped)
        self.h = 2 * PAD + HEAD_PT * LINE_H + count * LINE_PT * LINE_H + (0.06 if count else 0)

    def edge(self, side: str) -> tuple[float, float]:
        """Middle of one side: left, right, top, bottom."""
        return {
            "left": (self.x - self.w / 2, self.y),
            "right": (self.x + self.w / 2, self.y),
            "top": (self.x, self.y + self.h / 2),
            "bottom": (self.x, self.y - self.h / 2),
        }[side]


def row_layout(
    ax: Axes, boxes: dict[str, Box], shocks: str, width: float, height: float, lang: str
) -> None:
    """Full slide: goal -> gap -> react -> do -> plant in one row, what we see below it."""
    order = ["goal", "reacts", "does", "plant"]
    gap_r, arrow = 0.24, 0.3
    room = width - 0.1 - 2 * gap_r - 0.1 - 4 * arrow
    for key in order:
        boxes[key].max_w = room  # natural width first: no wrapping where the row has room
        boxes[key].size()
    while sum(boxes[k].w for k in order) > room:
        widest = max(order, key=lambda k: boxes[k].w)
        boxes[widest].max_w = boxes[widest].w - 0.2
        boxes[widest].size()
    arrow = min(0.8, (width - 0.1 - 2 * gap_r - 0.1 - sum(boxes[k].w for k in order)) / 4)
    boxes["sees"].max_w = min(6.0, width * 0.5)
    boxes["sees"].size()
    top_h = max(boxes[k].h for k in order)
    lines = wrap(shocks, 4.0 * 72, NOTE_PT)
    note_h = len(lines) * NOTE_PT * LINE_H
    drop = 0.5  # vertical room between the row and what we see
    total = note_h + 0.45 + top_h + drop + boxes["sees"].h
    if total > height:
        drop = max(0.25, drop - (total - height))
        total = note_h + 0.45 + top_h + drop + boxes["sees"].h
    top_y = height - max(0.0, (height - total) / 2) - note_h - 0.45 - top_h / 2
    row_w = sum(boxes[k].w for k in order) + 4 * arrow + 2 * gap_r + 0.1
    x = max(0.05, (width - row_w) / 2)
    gap_x = 0.0
    for i, key in enumerate(order):
        b = boxes[key]
        b.x, b.y = x + b.w / 2, top_y
        x += b.w + arrow
        if i == 0:
            gap_x = x + gap_r
            x += 2 * gap_r + 0.1 + arrow
    sees = boxes["sees"]
    sees.x = (gap_x + boxes["plant"].x) / 2
    sees.y = top_y - top_h / 2 - drop - sees.h / 2
    for b in boxes.values():
        _draw_box(ax, b)
    _gap_circle(ax, gap_x, top_y, gap_r, lang)
    _arrow(ax, boxes["goal"].edge("right"), (gap_x - gap_r, top_y))
    _arrow(ax, (gap_x + gap_r, top_y), boxes["reacts"].edge("left"))
    _arrow(ax, boxes["reacts"].edge("right"), boxes["does"].edge("left"))
    _arrow(ax, boxes["does"].edge("right"), boxes["plant"].edge("left"))
    plant = boxes["plant"]
    px, pb = plant.edge("bottom")
    _path(ax, [(px, pb), (px, sees.y)], sees.edge("right"))
    sx, _ = sees.edge("left")
    _path(ax, [(sx, sees.y), (gap_x, sees.y)], (gap_x, top_y - gap_r))
    top = plant.y + plant.h / 2
    ax.text(
        min(width, px + plant.w / 2),
        top + 0.45 + note_h,
        "\n".join(lines),
        ha="right",
        va="top",
        fontsize=NOTE_PT,
        color=INK,
        linespacing=1.1,
    )
    _arrow(ax, (px, top + 0.4), (px, top))


def folded_layout(
    ax: Axes,
    boxes: dict[str, Box],
    shocks: str,
    width: float,
    height: float,
    lang: str,
    story_has_shocks: bool = True,
) -> None:
    """Half slide: three rows (goal, gap, react / what we see, what we do / the plant).

    The shocks are named inside the plant's box: there is no room for a note beside it.
    """
    gap_r = 0.2
    goal, reacts, does, plant, sees = (
        boxes[k] for k in ("goal", "reacts", "does", "plant", "sees")
    )
    # The team's size gives way to what hits it; "only market noise" goes without saying.
    plant.lines = [(shocks, None)] if story_has_shocks else []
    best = _shortest_fold(boxes, width, gap_r)
    if best[0] > height - 0.1 and plant.lines:
        # Three or more variants on half a slide: the shocks give way first ...
        plant.lines = []
        best = _shortest_fold(boxes, width, gap_r)
    if best[0] > height - 0.1:
        # ... then the per-variant settings: the loop itself, and what all variants share.
        for b in boxes.values():
            b.lines = [(words, look) for words, look in b.lines if look is None]
        best = _shortest_fold(boxes, width, gap_r)
    _, (gap_x, right_x0) = _fold(boxes, width, best[1], gap_r)
    rows = [max(goal.h, reacts.h, 2 * gap_r + 0.3), max(sees.h, does.h), plant.h]
    space = min(0.5, max(0.04, (height - sum(rows)) / 2.5))
    y = height - max(0.0, (height - sum(rows) - 2 * space) / 2)
    ys = []
    for h in rows:
        ys.append(y - h / 2)
        y -= h + space
    goal.x, goal.y = 0.02 + goal.w / 2, ys[0]
    reacts.x, reacts.y = right_x0 + reacts.w / 2, ys[0]
    sees.x, sees.y = 0.02 + sees.w / 2, ys[1]
    does.x, does.y = right_x0 + does.w / 2, ys[1]
    plant.x, plant.y = right_x0 + plant.w / 2, ys[2]
    for b in boxes.values():
        _draw_box(ax, b)
    _gap_circle(ax, gap_x, ys[0], gap_r, lang)
    _arrow(ax, goal.edge("right"), (gap_x - gap_r, ys[0]))
    _arrow(ax, (gap_x + gap_r, ys[0]), reacts.edge("left"))
    column = min(does.x, reacts.x)
    _arrow(ax, (column, reacts.y - reacts.h / 2), (column, does.y + does.h / 2))
    _arrow(ax, (column, does.y - does.h / 2), (column, plant.y + plant.h / 2))
    _path(ax, [plant.edge("left"), (sees.x, plant.y)], sees.edge("bottom"))
    sees_top = sees.y + sees.h / 2
    if gap_x <= sees.x + sees.w / 2 - 0.15:
        _arrow(ax, (gap_x, sees_top), (gap_x, ys[0] - gap_r))
    else:
        side = sees.y + sees.h / 4
        _path(ax, [(sees.x + sees.w / 2, side), (gap_x, side)], (gap_x, ys[0] - gap_r))


def _shortest_fold(boxes: dict[str, Box], width: float, gap_r: float) -> tuple[float, float]:
    """Try left columns from wide to narrow; the (height, width) that makes the loop shortest."""
    best: tuple[float, float] | None = None
    for step in range(int((width * 0.5 - 1.8) / 0.1) + 1):
        cap = width * 0.5 - 0.1 * step
        height_needed, _ = _fold(boxes, width, cap, gap_r)
        if best is None or height_needed < best[0] - 1e-9:
            best = (height_needed, cap)
    assert best is not None
    return best


def _fold(
    boxes: dict[str, Box], width: float, cap: float, gap_r: float
) -> tuple[float, tuple[float, float]]:
    """Size the boxes for a left column of at most ``cap`` inches: height, (gap x, right x)."""
    goal, reacts, does, plant, sees = (
        boxes[k] for k in ("goal", "reacts", "does", "plant", "sees")
    )
    for b in (goal, sees):
        b.max_w = cap
        b.size()
    gap_x = 0.02 + goal.w + 0.3 + gap_r
    right_x0 = max(gap_x + gap_r + 0.4, 0.02 + max(goal.w, sees.w) + 0.35)
    for b in (reacts, does, plant):
        b.max_w = width - right_x0 - 0.02
        b.size()
    rows = max(goal.h, reacts.h, 2 * gap_r + 0.3) + max(sees.h, does.h) + plant.h
    return rows, (gap_x, right_x0)


def _draw_box(ax: Axes, b: Box) -> None:
    x0, y0 = b.x - b.w / 2, b.y - b.h / 2
    ax.add_patch(
        FancyBboxPatch(
            (x0, y0),
            b.w,
            b.h,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=BOX_FACE,
            edgecolor=BOX_EDGE,
            linewidth=1.5,
            zorder=2,
        )
    )
    y = y0 + b.h - PAD
    ax.text(
        x0 + PAD,
        y,
        b.heading,
        ha="left",
        va="top",
        fontsize=HEAD_PT,
        fontweight="bold",
        color=INK,
        zorder=3,
    )
    y -= HEAD_PT * LINE_H + 0.06
    for parts, look in b.wrapped:
        if look is not None:
            mid = y - LINE_PT * LINE_H / 2
            ax.plot(
                [x0 + PAD, x0 + PAD + SWATCH - 0.1],
                [mid, mid],
                linewidth=3.0,
                zorder=3,
                **look.line(),
            )
        tx = x0 + PAD + (SWATCH if look else 0.0)
        color = look.color if look else MUTED
        ax.text(
            tx,
            y,
            "\n".join(parts),
            ha="left",
            va="top",
            fontsize=LINE_PT,
            color=INK if look is None else color,
            zorder=3,
            linespacing=1.1,
        )
        y -= len(parts) * LINE_PT * LINE_H


def _gap_circle(ax: Axes, x: float, y: float, r: float, lang: str) -> None:
    ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor=BOX_EDGE, linewidth=1.5, zorder=2))
    ax.text(
        x,
        y + r + 0.05,
        text("loop.gap", lang),
        ha="center",
        va="bottom",
        fontsize=NOTE_PT,
        color=INK,
    )
    ax.text(x - r * 0.25, y - r * 0.9, "−", ha="right", va="top", fontsize=20, color=INK)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=22,
            linewidth=2.6,
            color=BOX_EDGE,
            shrinkA=0,
            shrinkB=1,
            zorder=1,
        )
    )


def _path(ax: Axes, points: Sequence[tuple[float, float]], end: tuple[float, float]) -> None:
    """A bent line through ``points`` ending in an arrow at ``end``."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    for i in range(len(points) - 1):
        ax.plot(
            xs[i : i + 2],
            ys[i : i + 2],
            color=BOX_EDGE,
            linewidth=2.6,
            solid_capstyle="butt",
            zorder=1,
        )
    _arrow(ax, points[-1], end)
