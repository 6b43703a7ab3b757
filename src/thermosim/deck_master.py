"""The presentation a deck is built on: the master, its layouts and the slide's boxes.

Owns python-pptx's default presentation made a clean, neutral 16:9 deck (``neutral``), a
trainer's own ``--template`` with its slides left out and its master, theme and slide size kept,
16:9 or 4:3 (``open_template``), and finding the layouts a deck uses by their placeholder types,
never by name or position, which every company template changes (``find_layouts``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import SlideLayout
from pptx.util import Inches

from thermosim.errors import ThermosimError

WIDE = (Inches(13.333), Inches(7.5))
MARGIN = Inches(0.45)
GAP = Inches(0.1)
TITLE_PT = 28.0  # a slide's title: its finding
DECOR = {
    PP_PLACEHOLDER.DATE,
    PP_PLACEHOLDER.FOOTER,
    PP_PLACEHOLDER.SLIDE_NUMBER,
    PP_PLACEHOLDER.HEADER,
}
TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
BODIES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}


class TemplateError(ThermosimError):
    """A ``--template`` that cannot carry the deck (unreadable, or no layout with a title)."""

    bad_input = True


@dataclass(frozen=True)
class Box:
    """A rectangle on a slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """Left edge plus width."""
        return self.left + self.width

    @property
    def bottom(self) -> int:
        """Top edge plus height."""
        return self.top + self.height

    @classmethod
    def of(cls, shape: Any) -> Box:
        """The box of a shape or placeholder (inherited from its layout where not its own)."""
        return cls(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


@dataclass(frozen=True)
class Layouts:
    """The three layouts a deck uses, found by their placeholder types."""

    opening: SlideLayout  # a title and a subtitle
    titled: SlideLayout  # a title only
    text: SlideLayout | None  # a title and one body for text (None: a text box instead)


def placeholders(owner: Any) -> list[Any]:
    """The placeholders of a layout or slide, as a list."""
    shapes: Any = owner.placeholders  # python-pptx's annotations confuse mypy here
    return list(shapes)


def _vertical(shape: Any) -> bool:
    """A placeholder whose text runs top to bottom (by its orientation or its text's)."""
    if shape.placeholder_format.element.get("orient") == "vert":
        return True
    props = shape._element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
    return props is not None and props.get("vert", "horz") != "horz"


def _kinds(layout: SlideLayout) -> list[Any]:
    return [p.placeholder_format.type for p in placeholders(layout)]


def _content(kinds: list[Any]) -> list[Any]:
    return [k for k in kinds if k not in DECOR]


def find_layouts(prs: PresentationType) -> Layouts:
    """The title slide, title-only and title-and-text layouts of a presentation.

    Chosen by placeholder types: title-only has a title and nothing else but date, footer and
    slide number (the highest title first); title-and-text a title and exactly one body or
    content placeholder below it (the largest first: not a section header, whose body sits
    above its title); the title slide a (centre) title and a subtitle; a layout with vertical
    text is never used. Each
    falls back to the nearest that exists (a placeholder a slide does not use is removed from
    it). Among equals, the first wins.

    Raises
    ------
    TemplateError
        When no layout has a horizontal title placeholder.
    """
    layouts = list(prs.slide_layouts)
    titled = [
        layout
        for layout in layouts
        if any(k in TITLES for k in _kinds(layout))
        and not any(_vertical(p) for p in placeholders(layout))
    ]
    if not titled:
        raise TemplateError("the template has no slide layout with a title placeholder")

    def content(layout: SlideLayout) -> list[Any]:
        return _content(_kinds(layout))

    only = [x for x in titled if len(content(x)) == 1]
    text = [x for x in titled if len(content(x)) == 2 and sum(k in BODIES for k in content(x)) == 1]
    opening = [x for x in titled if PP_PLACEHOLDER.SUBTITLE in content(x) and len(content(x)) == 2]
    # A title with a body under it, the larger the better: a section header (its body a line
    # above the title) also has a title and one body, and is not a slide to write a list on.
    text.sort(key=lambda x: -_room_below_title(x))
    text = [x for x in text if _room_below_title(x) > 0]
    only.sort(key=lambda x: _title_box(x).top)  # the title at the top, where findings go
    fewest = min(titled, key=lambda x: len(content(x)))
    return Layouts(
        opening=(opening or text or only or [fewest])[0],
        titled=(only or text or [fewest])[0],
        text=text[0] if text else None,
    )


def _title_box(layout: SlideLayout) -> Box:
    return next(Box.of(p) for p in placeholders(layout) if p.placeholder_format.type in TITLES)


def _room_below_title(layout: SlideLayout) -> int:
    """The area (EMU squared) of a layout's body below its title; 0 when it is not below."""
    title = _title_box(layout)
    for shape in placeholders(layout):
        if shape.placeholder_format.type in BODIES:
            body = Box.of(shape)
            return body.width * body.height if body.top >= title.bottom - GAP else 0
    return 0


def _scale_x(element: Any, scale: float) -> None:
    for xfrm in element.iter(qn("a:xfrm")):
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        if off is not None:
            off.set("x", str(round(int(off.get("x")) * scale)))
        if ext is not None:
            ext.set("cx", str(round(int(ext.get("cx")) * scale)))


def _place(layout: SlideLayout, kind: Any, box: tuple[float, float, float, float]) -> None:
    for shape in placeholders(layout):
        if shape.placeholder_format.type == kind:
            left, top, width, height = (Inches(v) for v in box)
            shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _set_style(level: Any, size_pt: float, bold: bool | None = None, align: str = "") -> None:
    if align:
        level.set("algn", align)
    run = level.find(qn("a:defRPr"))
    if run is not None:
        run.set("sz", str(round(size_pt * 100)))
        if bold is not None:
            run.set("b", "1" if bold else "0")


def neutral() -> PresentationType:
    """python-pptx's default presentation made a clean 16:9 deck.

    Its 4:3 master and layouts are widened, the title and text sizes set for a slide read from
    the back of a room (titles 28 pt bold, left; text 24 and 20 pt), and the three layouts the
    deck uses given the boxes of a 16:9 talk.
    """
    prs = Presentation()
    scale = WIDE[0] / prs.slide_width
    prs.slide_width, prs.slide_height = WIDE
    master = prs.slide_master
    _scale_x(master._element, scale)
    for layout in prs.slide_layouts:
        _scale_x(layout._element, scale)
    styles = master._element.find(qn("p:txStyles"))
    _set_style(styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr")), TITLE_PT, True, "l")
    body = styles.find(qn("p:bodyStyle"))
    for depth, size in enumerate((24.0, 20.0, 20.0, 20.0, 20.0), start=1):
        level = body.find(qn(f"a:lvl{depth}pPr"))
        if level is not None:
            _set_style(level, size)
    width = WIDE[0] / 914400 - 0.9
    layouts = find_layouts(prs)
    _place(layouts.titled, PP_PLACEHOLDER.TITLE, (0.45, 0.42, width, 1.05))
    if layouts.text is not None:
        _place(layouts.text, PP_PLACEHOLDER.TITLE, (0.45, 0.42, width, 1.05))
        _place(layouts.text, PP_PLACEHOLDER.OBJECT, (0.45, 1.57, width, 5.68))
    _place(layouts.opening, PP_PLACEHOLDER.CENTER_TITLE, (0.8, 1.5, width - 0.7, 2.4))
    _place(layouts.opening, PP_PLACEHOLDER.SUBTITLE, (0.8, 4.1, width - 0.7, 2.3))
    for shape in placeholders(layouts.opening):
        # The title slide reads left-aligned like every other slide.
        for level in shape._element.iter(qn("a:lvl1pPr")):
            level.set("algn", "l")
        if shape.placeholder_format.type == PP_PLACEHOLDER.CENTER_TITLE:
            _anchor(shape, "b")
    return prs


def _anchor(shape: Any, where: str) -> None:
    body = shape._element.find(qn("p:txBody"))
    if body is None:
        return
    props = body.find(qn("a:bodyPr"))
    if props is not None:
        props.set("anchor", where)


def open_template(path: Path) -> PresentationType:
    """A trainer's template with its slides removed (master, theme, layouts and size kept).

    Raises
    ------
    TemplateError
        When the file cannot be read as a PowerPoint presentation.
    """
    # lxml's XMLSyntaxError (a part that is not XML) is a SyntaxError.
    broken = (SyntaxError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError)
    try:
        prs = Presentation(str(path))
    except broken as exc:
        # python-pptx reports a foreign or broken file through any of these.
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise TemplateError(f"cannot read the template {path} as a .pptx file: {reason}") from None
    listed = prs.slides._sldIdLst
    for entry in list(listed):
        prs.part.drop_rel(entry.rId)
        listed.remove(entry)
    if not prs.slide_width or not prs.slide_height:
        prs.slide_width, prs.slide_height = WIDE
    return prs


def check_template(path: Path) -> None:
    """Raise TemplateError when ``path`` cannot carry a deck (before anything is run for it)."""
    find_layouts(open_template(path))
