"""Where things go on the deck's slides: the title, the body box, pictures, notes.

Owns new slides on the presentation ``deck_master`` prepares: the finding as the one title,
sized down (not under 20 pt) until it fits its box, with balanced line breaks; a small line
above it naming the scenario where the layout leaves room; the body box below the title that
pictures, tables and charts fill; pictures placed without distortion; speaker notes. Text is
measured in DejaVu Sans, wider than the usual slide fonts (Calibri, Arial), so a title that fits
here fits in PowerPoint too.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.base import BaseShape
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Inches, Pt

from thermosim.deck_master import (
    BODIES,
    GAP,
    MARGIN,
    TITLE_PT,
    TITLES,
    WIDE,
    Box,
    find_layouts,
    placeholders,
)
from thermosim.figures.text import keep_together, wrap

EMU_PER_PT = 12700
SMALLEST_PT = 20.0  # a finding shrinks this far before it wraps a third line
HEADLINE_PT = 40.0  # the talk's headline on its title slide
LINE = 1.2  # line height as a multiple of the font size
KICKER_PT = 16.0
MUTED = "555555"


class Canvas:
    """The presentation being built: its layouts, its body box, and how slides are added."""

    def __init__(self, prs: PresentationType) -> None:
        self.prs = prs
        self.layouts = find_layouts(prs)
        self.width, self.height = int(prs.slide_width or WIDE[0]), int(prs.slide_height or WIDE[1])
        self.body = self._body()

    def _title_box(self, layout: SlideLayout) -> Box:
        for shape in placeholders(layout):
            if shape.placeholder_format.type in TITLES:
                return Box.of(shape)
        return Box(MARGIN, MARGIN, self.width - 2 * MARGIN, Inches(1.0))

    def _body(self) -> Box:
        """The content placeholder of the title-and-text layout, else all below the title."""
        if self.layouts.text is not None:
            for shape in placeholders(self.layouts.text):
                if shape.placeholder_format.type in BODIES:
                    box = Box.of(shape)
                    # As wide as the title (a picture wants the width); as high as the designer's
                    # content area, which keeps clear of the template's footer and logo.
                    title = self._title_box(self.layouts.titled)
                    left = min(box.left, title.left)
                    right = max(box.right, title.right)
                    top = max(box.top, title.bottom + GAP)
                    return Box(left, top, right - left, box.bottom - top)
        title = self._title_box(self.layouts.titled)
        top = title.bottom + GAP
        return Box(title.left, top, title.width, self.height - GAP - top)

    def slide(
        self, title: str, layout: SlideLayout | None = None, size_pt: float = TITLE_PT
    ) -> Slide:
        """A new slide whose one title is ``title``, at ``size_pt`` or as much smaller as fits."""
        chosen = layout or self.layouts.titled
        slide: Slide = self.prs.slides.add_slide(chosen)
        shape = slide.shapes.title
        if shape is not None:
            size = fit_text(shape, title, size_pt, max_lines=3)
            left, top, right, bottom = insets_emu(shape.text_frame)
            lines = lines_of(title, int(shape.width) - left - right, size)
            needed = int(lines * size * LINE * EMU_PER_PT) + top + bottom
            if needed > shape.height:
                # A finding too long even at 20 pt: the title grows down, the body gives way.
                box = Box.of(shape)
                shape.left, shape.top, shape.width = Emu(box.left), Emu(box.top), Emu(box.width)
                shape.height = Emu(needed)
        return slide

    def body_for(self, slide: Slide) -> Box:
        """The body box of ``slide``: below its title, however tall that turned out."""
        title = slide.shapes.title
        if title is None or title.top + title.height + GAP <= self.body.top:
            return self.body
        top = int(title.top + title.height + GAP)
        return Box(self.body.left, top, self.body.width, max(self.body.bottom - top, 0))

    def kicker(self, slide: Slide, words: str) -> None:
        """A small line above the title naming the scenario, where the layout leaves room."""
        title = slide.shapes.title
        if title is None or not words:
            return
        height = Inches(0.34)
        if title.top < height + Inches(0.02):
            return  # no room above this template's title: the notes and footer name it
        box = slide.shapes.add_textbox(
            Emu(title.left), Emu(title.top - height), Emu(title.width), Emu(height)
        )
        frame = box.text_frame
        frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
        frame.margin_top = frame.margin_bottom = 0
        frame.text = words
        for run in frame.paragraphs[0].runs:
            run.font.size = Pt(KICKER_PT)
            run.font.color.rgb = rgb(MUTED)

    def unused(self, slide: Slide) -> None:
        """Remove the placeholders a slide left empty (they would show "Click to add text")."""
        for shape in placeholders(slide):
            if shape.placeholder_format.type in TITLES or (shape.has_text_frame and shape.text):
                continue
            shape._element.getparent().remove(shape._element)

    def picture(self, slide: Slide, png: bytes, box: Box | None = None) -> BaseShape:
        """A PNG as large as fits in ``box`` (the body), centred, not distorted."""
        from PIL import Image  # Pillow comes with matplotlib

        area = box or self.body_for(slide)
        with Image.open(io.BytesIO(png)) as image:
            width_px, height_px = image.size
        scale = min(area.width / width_px, area.height / height_px)
        width, height = int(width_px * scale), int(height_px * scale)
        left = area.left + (area.width - width) // 2
        top = area.top + (area.height - height) // 2
        return slide.shapes.add_picture(
            io.BytesIO(png), Emu(left), Emu(top), Emu(width), Emu(height)
        )

    def save(self, target: Path) -> None:
        """Write the presentation."""
        self.prs.save(str(target))


def notes(slide: Slide, words: str) -> None:
    """The speaker notes of a slide."""
    frame = slide.notes_slide.notes_text_frame
    if frame is not None:
        frame.text = words


def rgb(colour: str) -> Any:
    """A python-pptx colour from ``#RRGGBB`` or ``RRGGBB``."""
    value = colour.lstrip("#")
    parts = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return RGBColor(*parts)  # type: ignore[no-untyped-call]  # untyped in python-pptx


def insets_emu(frame: Any) -> tuple[int, int, int, int]:
    """A text frame's left, top, right and bottom insets (the defaults where not set)."""
    return (
        int(frame.margin_left),
        int(frame.margin_top),
        int(frame.margin_right),
        int(frame.margin_bottom),
    )


def lines_of(text: str, width_emu: int, size_pt: float, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a column ``width_emu`` wide at ``size_pt``."""
    # 3% to spare: a renderer's line breaks are its own, and kerning differs a little.
    width_pt = 0.97 * width_emu / EMU_PER_PT
    return sum(len(wrap(part, width_pt, size_pt, bold)) for part in text.split("\n"))


def fit_text(shape: Any, text: str, size_pt: float, max_lines: int, bold: bool = True) -> float:
    """Write ``text`` into ``shape``, at ``size_pt`` or smaller (not under 20 pt) so it fits.

    The size is the largest in 2-pt steps whose wrapped lines fit the box's height and number
    at most ``max_lines``; it is written on the runs, so every renderer draws the same. Returns
    the size used.
    """
    text = keep_together(text)
    frame = shape.text_frame
    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    left, top, right, bottom = insets_emu(frame)
    width = int(shape.width) - left - right
    height_pt = (int(shape.height) - top - bottom) / EMU_PER_PT
    size = size_pt
    while size > SMALLEST_PT:
        lines = lines_of(text, width, size, bold)
        if lines <= max_lines and lines * size * LINE <= height_pt:
            break
        size -= 2.0
    size = max(size, SMALLEST_PT)
    # Balanced line breaks (a line break, not a paragraph: one title), so a title never ends
    # in one orphaned word; a narrower font than the one measured only shortens the lines.
    width_pt = 0.97 * width / EMU_PER_PT
    frame.text = "\n".join("\v".join(wrap(part, width_pt, size, bold)) for part in text.split("\n"))
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
    return size
