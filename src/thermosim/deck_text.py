"""Slides of words: the title slide's subtitle, the agenda and the closing questions.

Owns how paragraphs are written into a slide's body (the layout's text placeholder, so a
template's bullets and colours apply, or a text box where the template has none) at sizes that
fit the box: 28 pt for a first-level line, 24 pt for a second, shrunk together (the second never
under 20 pt) only when the text would not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx.enum.text import MSO_AUTO_SIZE
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from thermosim.deck_layout import EMU_PER_PT, LINE, SMALLEST_PT, Canvas, insets_emu, lines_of
from thermosim.deck_master import BODIES, Box
from thermosim.figures.text import keep_together

FIRST_PT, SECOND_PT = 28.0, 24.0  # the largest; both shrink together to fit, to 24 and 20
# Room a bullet and its level's indent take, on the safe side of what templates use.
INDENT = (Inches(0.5), Inches(1.0))
SPACE_BEFORE = (1.0, 0.2)  # of the line's size, before a first- and a second-level line


@dataclass(frozen=True)
class Para:
    """One paragraph: its words, level (0 or 1) and whether it is bold."""

    words: str
    level: int = 0
    bold: bool = False


def _height_pt(paras: Sequence[Para], width: int, sizes: tuple[float, float]) -> float:
    total = 0.0
    for i, p in enumerate(paras):
        size = sizes[p.level]
        lines = lines_of(p.words, width - INDENT[p.level], size, p.bold)
        total += lines * size * LINE + (SPACE_BEFORE[p.level] * size if i else 0.0)
    return total


def _sizes(paras: Sequence[Para], width: int, height_pt: float) -> tuple[float, float]:
    first, second = FIRST_PT, SECOND_PT
    while second > SMALLEST_PT and _height_pt(paras, width, (first, second)) > height_pt:
        first, second = first - 2.0, second - 2.0
    return first, second


def body_frame(canvas: Canvas, slide: Slide) -> Any:
    """The slide's text placeholder, or a new text box over the body where it has none."""
    for shape in slide.placeholders:
        if shape.placeholder_format.type in BODIES:
            return shape
    box: Box = canvas.body
    return slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))


def write(shape: Any, paras: Sequence[Para]) -> tuple[float, float]:
    """Write ``paras`` into ``shape`` at sizes that fit it; return the two sizes used."""
    frame = shape.text_frame
    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    left, top, right, bottom = insets_emu(frame)
    width = int(shape.width) - left - right
    height_pt = (int(shape.height) - top - bottom) / EMU_PER_PT
    sizes = _sizes(paras, width, height_pt)
    frame.text = ""
    for i, p in enumerate(paras):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.level = p.level
        size = sizes[p.level]
        if i:
            paragraph.space_before = Pt(round(SPACE_BEFORE[p.level] * size))
        run = paragraph.add_run()
        run.text = keep_together(p.words)
        run.font.size = Pt(size)
        run.font.bold = p.bold
    return sizes
