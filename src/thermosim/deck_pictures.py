"""The deck's pictures: the figures drawn for a slide whose own title states their finding.

Owns drawing a figure family or the waterfall of ``explain`` without its title (``figures``'
``draw_untitled`` / ``without_title``: the finding comes back as text, for the slide's title)
into PNG bytes at the figures' resolution, in memory: nothing is written to a results folder
for a slide. The drawn figure is kept, so the native chart can take the revenue figure's axes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from thermosim.figures.render import Untitled, draw_untitled, without_title
from thermosim.figures.style import DPI, slide_style
from thermosim.figures.waterfall import draw_waterfall
from thermosim.saved import SavedResults


@dataclass(frozen=True)
class Picture:
    """A figure for a slide: the PNG, the finding its title would state, the figure itself."""

    png: bytes
    finding: str
    figure: Figure


def _picture(drawn: Untitled) -> Picture:
    buffer = io.BytesIO()
    with slide_style():
        drawn.figure.savefig(buffer, format="png", dpi=DPI)
    return Picture(buffer.getvalue(), drawn.title, drawn.figure)


def figure_picture(results: SavedResults, name: str, lang: str) -> Picture:
    """Figure family ``name`` of a results folder, full slide, without its title."""
    return _picture(draw_untitled(results, name, lang))


def waterfall_picture(data: Mapping[str, Any], lang: str) -> Picture:
    """The waterfall of an ``explain.json``, without its title.

    Raises
    ------
    KeyError, IndexError, TypeError, ValueError
        When ``data`` does not hold what ``thermosim explain`` writes.
    """
    return _picture(without_title(lambda: draw_waterfall(data, lang)))
