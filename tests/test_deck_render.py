"""The deck rendered through LibreOffice, every slide checked from the PDF and its pictures.

``soffice --headless --convert-to pdf`` draws the slides as a presentation program would;
``pdftotext -bbox-layout`` (poppler) gives every word it drew with its box, and ``pdftoppm`` the
pages as pictures. A word drawn outside the shape whose text it belongs to is text overflowing
its box; a word or a dark pixel at the page's edge is something outside the slide. The fonts
are LibreOffice's (DejaVu Sans where the deck asks for Calibri): wider than PowerPoint's, so
what fits here fits there.

Skipped with the reason when LibreOffice or poppler is missing, except in CI (``.ci/run`` sets
``THERMOSIM_NEED_SOFFICE=1`` after installing them), where a missing tool fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from test_deck import made_deck

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("deck")]

TOOLS = ("soffice", "pdftotext", "pdftoppm")
EMU_PER_PT = 12700
XHTML = "{http://www.w3.org/1999/xhtml}"
SLACK_PT = 2.0  # horizontally: kerning and a renderer's rounding
SLACK_LINE = 0.15  # vertically, of a word's box: its box is the font's, taller than the ink
DPI = 30  # the pages as pictures: enough to see what reaches the edge


def _tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not missing:
        return
    if os.environ.get("THERMOSIM_NEED_SOFFICE") == "1":
        pytest.fail(
            f"{', '.join(missing)} missing in CI: .ci/run installs libreoffice-impress and "
            "poppler-utils before the tests"
        )
    pytest.skip(
        f"{', '.join(missing)} not installed: the deck is rendered only where LibreOffice and "
        "poppler are (apt-get install libreoffice-impress poppler-utils)"
    )


@dataclass(frozen=True)
class Word:
    """One word as the PDF draws it, in points from the page's top left."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Page:
    """A rendered slide: its size in points, its words and its picture."""

    width: float
    height: float
    words: list[Word]
    picture: Path


def render(deck: Path, work: Path) -> list[Page]:
    """The deck as LibreOffice draws it: a PDF, its words with their boxes, its pages as PNGs."""
    _tools()
    work.mkdir(parents=True, exist_ok=True)
    profile = (work / "profile").resolve().as_uri()  # its own profile: no clash with others
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = work / f"{deck.stem}.pdf"
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {deck}"
    layout = work / "words.html"
    subprocess.run(["pdftotext", "-bbox-layout", str(pdf), str(layout)], check=True, timeout=120)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(work / "page")], check=True, timeout=120
    )
    pictures = sorted(work.glob("page-*.png"))
    pages = []
    root = ET.parse(layout).getroot()
    for page, picture in zip(root.iter(f"{XHTML}page"), pictures, strict=True):
        words = [
            Word(
                w.text or "",
                float(w.get("xMin", 0)),
                float(w.get("yMin", 0)),
                float(w.get("xMax", 0)),
                float(w.get("yMax", 0)),
            )
            for w in page.iter(f"{XHTML}word")
        ]
        pages.append(
            Page(float(page.get("width", 0)), float(page.get("height", 0)), words, picture)
        )
    return pages


@dataclass(frozen=True)
class Holder:
    """A shape that holds text on a slide: its box in points and its words."""

    left: float
    top: float
    right: float
    bottom: float
    text: str
    chart: bool = False

    def holds(self, word: Word) -> bool:
        """True when ``word`` lies inside the box (within the slack of a word's box)."""
        slack = SLACK_LINE * (word.bottom - word.top)
        return (
            word.left >= self.left - SLACK_PT
            and word.right <= self.right + SLACK_PT
            and word.top >= self.top - slack
            and word.bottom <= self.bottom + slack
        )


def _plain(words: str) -> str:
    return words.replace("\v", " ").replace("\u00a0", " ").replace("\n", " ")


def holders(slide: Any) -> list[Holder]:
    """Every shape that draws text on a slide: text frames, tables (as laid out), charts, and
    the text the layout and master draw on every slide (a company name, say)."""
    layout = slide.slide_layout
    inherited = [
        shape
        for owner in (layout, layout.slide_master)
        for shape in owner.shapes
        if not shape.is_placeholder
    ]
    found = []
    for shape in [*slide.shapes, *inherited]:
        left, top = shape.left / EMU_PER_PT, shape.top / EMU_PER_PT
        if shape.has_chart:
            right, bottom = left + shape.width / EMU_PER_PT, top + shape.height / EMU_PER_PT
            found.append(Holder(left, top, right, bottom, "", chart=True))
        elif shape.has_table:
            table = shape.table
            right = left + sum(c.width for c in table.columns) / EMU_PER_PT
            bottom = top + sum(r.height for r in table.rows) / EMU_PER_PT
            words = " ".join(c.text for row in table.rows for c in row.cells)
            found.append(Holder(left, top, right, bottom, _plain(words)))
        elif shape.has_text_frame and shape.text_frame.text.strip():
            right, bottom = left + shape.width / EMU_PER_PT, top + shape.height / EMU_PER_PT
            found.append(Holder(left, top, right, bottom, _plain(shape.text_frame.text)))
    return found


def overflowing(slide: Any, page: Page) -> list[str]:
    """Words drawn outside every shape whose text they belong to (or outside the page)."""
    shapes = holders(slide)
    problems = []
    for word in page.words:
        if word.left < -0.5 or word.top < -0.5 or word.right > page.width + 0.5:
            problems.append(f"{word.text!r} outside the slide")
            continue
        if word.bottom > page.height + 0.5:
            problems.append(f"{word.text!r} below the slide")
            continue
        bullet = not any(c.isalnum() for c in word.text)  # a bullet belongs to no text
        owners = [h for h in shapes if h.chart or word.text in h.text or (bullet and h.text)]
        if not owners:
            problems.append(f"{word.text!r} drawn by no shape")
        elif not any(h.holds(word) for h in owners):
            problems.append(
                f"{word.text!r} at ({word.left:.0f}, {word.top:.0f})-"
                f"({word.right:.0f}, {word.bottom:.0f}) pt outside its shape"
            )
    return problems


def edge_ink(picture: Path) -> bool:
    """True when anything but near-white reaches the outermost pixels of a page."""
    with Image.open(picture) as image:
        grey = image.convert("L")
        width, height = grey.size
        edge = [
            *(grey.getpixel((x, y)) for x in range(width) for y in (0, height - 1)),
            *(grey.getpixel((x, y)) for y in range(height) for x in (0, width - 1)),
        ]
    return min(int(v) for v in edge) < 235


DECKS = [("en", ""), ("nl", ""), ("en", "4:3")]


@pytest.fixture(scope="module", params=DECKS, ids=["en", "nl", "en-template-4:3"])
def rendered(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Any, list[Page], str, str]:
    _tools()
    lang, template = request.param
    deck = made_deck(tmp_path_factory, lang, template)
    pages = render(deck, tmp_path_factory.mktemp("rendered"))
    return Presentation(str(deck)), pages, lang, template


def test_every_slide_is_rendered_at_the_deck_s_size(
    rendered: tuple[Any, list[Page], str, str],
) -> None:
    prs, pages, _, _ = rendered
    assert len(pages) == len(prs.slides)
    for page in pages:
        assert page.width == pytest.approx(prs.slide_width / EMU_PER_PT, abs=1.0)
        assert page.height == pytest.approx(prs.slide_height / EMU_PER_PT, abs=1.0)


def test_no_text_overflows_its_shape_on_any_slide(
    rendered: tuple[Any, list[Page], str, str],
) -> None:
    prs, pages, _, _ = rendered
    problems = [
        f"slide {i}: {p}"
        for i, (slide, page) in enumerate(zip(prs.slides, pages, strict=True), start=1)
        for p in overflowing(slide, page)
    ]
    assert not problems, "\n".join(problems[:20])


def missing(slide: Any, page: Page) -> set[str]:
    """Words of the slide's text the page does not draw whole: cut off, or broken inside."""
    drawn = {w.text for w in page.words}
    wanted = {word for h in holders(slide) for word in h.text.split()}
    return wanted - drawn


def test_every_word_is_drawn_whole(rendered: tuple[Any, list[Page], str, str]) -> None:
    prs, pages, _, _ = rendered
    for i, (slide, page) in enumerate(zip(prs.slides, pages, strict=True), start=1):
        assert not missing(slide, page), f"slide {i}: {missing(slide, page)} not drawn"


def test_nothing_reaches_the_edge_of_a_slide(
    rendered: tuple[Any, list[Page], str, str],
) -> None:
    prs, pages, _, template = rendered
    for i, (slide, page) in enumerate(zip(prs.slides, pages, strict=True), start=1):
        for shape in slide.shapes:  # every picture, table and chart inside the slide
            assert shape.left >= 0 and shape.top >= 0, f"slide {i}: {shape.name}"
            assert shape.left + shape.width <= prs.slide_width, f"slide {i}: {shape.name}"
            assert shape.top + shape.height <= prs.slide_height, f"slide {i}: {shape.name}"
        if not template:  # a company master may run its own bar to the edge
            assert not edge_ink(page.picture), f"slide {i} has ink at its edge"
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        with Image.open(page.picture) as image:
            colours = image.convert("L").getextrema()
        assert pictures == [] or colours[0] < 100, f"slide {i}: its picture is not drawn"


def test_the_chart_writes_its_axis_in_the_deck_s_language(
    rendered: tuple[Any, list[Page], str, str],
) -> None:
    prs, pages, lang, _ = rendered
    index = next(i for i, s in enumerate(prs.slides) if any(x.has_chart for x in s.shapes))
    words = " ".join(w.text for w in pages[index].words)
    if lang == "nl":
        assert re.search(r"€ \d{2,3}\.000\b", words), words  # € 100.000
    else:
        assert re.search(r"€\d{2,3}k\b", words), words  # €100k
    assert not re.search(r"\b\d{5,6}\b", words), words  # never a bare 160000
