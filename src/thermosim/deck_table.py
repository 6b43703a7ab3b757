"""The deck's scorecard: a native table in the house style, one per scenario.

Owns how the scorecard figure's rows (``figures.scorecard.score_rows``: the KPIs a trainer
compares, who does better by a margin that counts, the difference in words) become an editable
PowerPoint table that fills the slide's body: one row per KPI, one column per approach headed in
the approach's colour from the figures, the better value of each row in bold on a tint of that
colour, and for two approaches the difference spelled out in the colour of the one it favours.
Every value is ``Row.value_text``, the one formatting path of console, figures and deck; no text
is under 20 pt (but where five or more approaches meet a 4:3 slide: 18 or 16 pt).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from thermosim.deck_layout import EMU_PER_PT, LINE, lines_of, rgb
from thermosim.deck_master import Box
from thermosim.figures.data import Story
from thermosim.figures.scorecard import Row, difference_heading, row_label, score_rows
from thermosim.figures.style import INK, MUTED
from thermosim.figures.text import keep_together, text_width_pt

NO_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid": no Office blue
PAD = Inches(0.12)  # a cell's left and right margin
PAD_Y = Inches(0.04)
HEAD_RULE, ROW_RULE = ("999999", 19050), ("DDDDDD", 12700)
TINT = 0.2  # how much of an approach's colour the cell of its better value takes


@dataclass(frozen=True)
class TableType:
    """Font sizes of the table, in points (all at least 20)."""

    label: float = 20.0
    value: float = 24.0
    head: float = 20.0
    diff: float = 20.0


SIZES = (TableType(), TableType(value=22.0), TableType(value=20.0))
# Only where five or more approaches meet a 4:3 slide: smaller type, rather than names broken
# inside a word.
CRAMPED = (TableType(18.0, 18.0, 18.0, 18.0), TableType(16.0, 16.0, 16.0, 16.0))


@dataclass(frozen=True)
class Cell:
    """One cell's words and look."""

    words: str
    size: float
    bold: bool = False
    colour: str = INK
    fill: str | None = None
    align: Any = PP_ALIGN.LEFT
    whole: bool = False  # a value: never broken over two lines


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def tint(colour: str, share: float = TINT) -> str:
    """``colour`` mixed with white (``share`` of the colour), as hex without ``#``."""
    value = _hex(colour)
    parts = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - share * (255 - p)):02X}" for p in parts)


def ink_on(colour: str) -> str:
    """Near-black or white, whichever reads on ``colour``."""
    value = _hex(colour)
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return INK if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#FFFFFF"


def _cells(
    story: Story, rows: Sequence[Row], lang: str, t: TableType, differences: bool
) -> list[list[Cell]]:
    names = list(story.variants)
    heading = difference_heading(story, lang) if differences else ""
    head = [Cell("", t.head)]
    for v in names:
        colour = story.looks[v].color
        head.append(
            Cell(story.label(v, lang), t.head, True, ink_on(colour), colour, PP_ALIGN.CENTER)
        )
    if heading:
        head.append(Cell(heading, t.head, True))
    table = [head]
    for r in rows:
        line = [Cell(row_label(story, r.kpi, lang), t.label)]
        for v in names:
            better = r.better == v
            line.append(
                Cell(
                    r.value_text(v, lang),
                    t.value,
                    bold=better,
                    colour=INK if better or r.better is None else MUTED,
                    fill=tint(story.looks[v].color) if better else None,
                    align=PP_ALIGN.CENTER,
                    whole=True,
                )
            )
        if heading:
            by = r.difference_by
            colour = story.looks[by].color if by else MUTED
            line.append(Cell(r.difference, t.diff, bold=by is not None, colour=colour))
        table.append(line)
    return table


def _widths(table: list[list[Cell]], room: int) -> list[int] | None:
    """Column widths filling ``room`` (EMU), or None when they do not fit.

    Values and differences keep their line (headings may wrap);
    the KPI names take the rest, wrapping between words; what is left over is shared out.
    """
    pad = 2 * PAD + Inches(0.08)  # margins and a little air

    def width(cell: Cell, whole: bool) -> float:
        # Words kept together ("4.478 uur", "€ 1,4 mln") are measured as one.
        parts = [cell.words] if whole or cell.whole else keep_together(cell.words).split(" ")
        return max(text_width_pt(p, cell.size, cell.bold) for p in parts) * EMU_PER_PT + pad

    columns = list(zip(*table, strict=True))
    head, body = table[0], table[1:]
    kept = [
        max([width(head[j], False)] + [width(line[j], True) for line in body])
        for j in range(1, len(columns))
    ]
    label_need = max(width(c, False) for c in columns[0])
    label_want = max(width(c, True) for c in columns[0])
    rest = room - sum(kept)
    if rest < label_need:
        return None
    label = min(rest, label_want)
    widths = [label, *kept]
    spare = (room - sum(widths)) / len(widths)
    result = [int(w + spare) for w in widths]
    result[-1] += room - sum(result)
    return result


def _heights(table: list[list[Cell]], widths: list[int], room: int) -> list[int]:
    """Row heights for the wrapped words, then what is left of ``room`` shared out evenly."""
    natural = []
    for line in table:
        tallest = max(
            (1 if c.whole else lines_of(c.words, w - 2 * PAD, c.size, c.bold))
            * c.size
            * LINE
            * EMU_PER_PT
            for c, w in zip(line, widths, strict=True)
        )
        natural.append(int(tallest + 2 * PAD_Y + Inches(0.06)))
    spare = max(0, room - sum(natural)) // len(natural)
    return [h + spare for h in natural]


def _line(tag: str, colour: str | None, width: int) -> Any:
    line = OxmlElement(f"a:{tag}")
    line.set("w", str(width if colour else 0))
    if colour is None:
        line.append(OxmlElement("a:noFill"))
    else:
        fill = OxmlElement("a:solidFill")
        value = OxmlElement("a:srgbClr")
        value.set("val", colour)
        fill.append(value)
        line.append(fill)
    return line


def _borders(cell: Any, bottom: tuple[str, int] | None) -> None:
    """No lines but a rule under the row (the lines go before the fill, as the schema wants)."""
    props = cell._tc.get_or_add_tcPr()
    for tag in ("lnL", "lnR", "lnT", "lnB"):
        for old in props.findall(qn(f"a:{tag}")):
            props.remove(old)
    colour, width = bottom if bottom else (None, 0)
    for i, tag in enumerate(("lnL", "lnR", "lnT")):
        props.insert(i, _line(tag, None, 0))
    props.insert(3, _line("lnB", colour, width))


def _write(cell: Any, spec: Cell) -> None:
    # No-break spaces where the figures keep words together; a value has no break at all.
    cell.text = spec.words.replace(" ", "\u00a0") if spec.whole else keep_together(spec.words)
    cell.margin_left = cell.margin_right = PAD
    cell.margin_top = cell.margin_bottom = PAD_Y
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.fill.solid()
    cell.fill.fore_color.rgb = rgb(spec.fill or "#FFFFFF")
    for paragraph in cell.text_frame.paragraphs:
        paragraph.alignment = spec.align
        for run in paragraph.runs:
            run.font.size = Pt(spec.size)
            run.font.bold = spec.bold
            run.font.color.rgb = rgb(spec.colour)


def scorecard_table(slide: Slide, story: Story, lang: str, box: Box) -> Any:
    """Add the scorecard of ``story`` to ``slide`` as a table filling ``box``; return its frame.

    The largest sizes whose columns keep every value and difference on one line and whose rows
    fit the box are used (values 24, 22 or 20 pt); then the table goes without the difference
    column; then (five or more approaches on a 4:3 slide) 18 or 16 pt; when even that does not
    fit, the columns are equal and words wrap.
    """
    rows = score_rows(story, lang)
    # What gives first on a narrow slide: the values' size (to 20 pt), then the difference
    # column (the better value stays marked; the notes say by how much), then the 20 pt.
    differences = bool(difference_heading(story, lang))
    tries = [(t, d) for d in dict.fromkeys((differences, False)) for t in SIZES]
    tries += [(t, False) for t in CRAMPED]
    for t, with_differences in tries:
        table = _cells(story, rows, lang, t, with_differences)
        widths = _widths(table, box.width)
        heights = _heights(table, widths, box.height) if widths else []
        if widths and sum(heights) <= box.height:
            break
    if not widths:
        # Too many approaches for the width: equal columns, words wrap.
        widths = [box.width // len(table[0])] * len(table[0])
        widths[-1] += box.width - sum(widths)
        heights = _heights(table, widths, box.height)
    frame = slide.shapes.add_table(
        len(table), len(table[0]), Emu(box.left), Emu(box.top), Emu(box.width), Emu(sum(heights))
    )
    shape = frame.table
    props: Any = shape._tbl.tblPr
    style = props.find(qn("a:tableStyleId")) if props is not None else None
    if style is not None:
        style.text = NO_STYLE
    shape.first_row = shape.horz_banding = False
    for j, width in enumerate(widths):
        shape.columns[j].width = Emu(width)
    for i, (line, height) in enumerate(zip(table, heights, strict=True)):
        shape.rows[i].height = Emu(height)
        rule = HEAD_RULE if i == 0 else ROW_RULE if i < len(table) - 1 else None
        for j, spec in enumerate(line):
            cell = shape.cell(i, j)
            _write(cell, spec)
            _borders(cell, rule)
    return frame
