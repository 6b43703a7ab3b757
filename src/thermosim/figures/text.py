"""Text measured as the slides draw it: widths in points, and balanced line breaks.

Owns how titles, legends and slide text are broken into lines: widths measured with DejaVu
Sans (the slide font) through matplotlib's text-to-path, cached because a balanced wrap
measures the same words a dozen times, and the words that never start a line (a unit after
its number, an amount after its euro sign). Matplotlib-only: no figure is made here.
"""

from __future__ import annotations

import functools

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path


# Wrapping measures the same words again and again (a balanced wrap tries a dozen widths).
@functools.lru_cache(maxsize=8192)
def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in points as DejaVu Sans draws it (the widest line of several)."""
    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    widths = [
        text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
        for line in text.split("\n")
    ]
    return max(widths, default=0.0)


def wrap(text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
    """Break ``text`` at spaces into lines no wider than ``width_pt``, lines balanced.

    Balanced: the narrowest width that needs no more lines than ``width_pt`` does, so a title
    never ends in one orphaned word. A word longer than the width stays whole.
    """
    greedy = _greedy_wrap(text, width_pt, size, bold)
    if len(greedy) < 2:
        return greedy
    low, high = 0.0, width_pt
    for _ in range(12):
        middle = (low + high) / 2
        if len(_greedy_wrap(text, middle, size, bold)) <= len(greedy):
            high = middle
        else:
            low = middle
    return _greedy_wrap(text, high, size, bold)


# Words a line never starts with: a number stays with its unit, a euro sign with its amount.
UNITS = frozenset({"°C", "h", "d", "u", "wk", "uur", "mln", "weeks", "weken", "week", "hours"})


def _words(paragraph: str) -> list[str]:
    """Split at spaces, keeping "96 weeks", "€ 1,8 mln" and "7,4 °C" in one piece."""
    words: list[str] = []
    for word in paragraph.split(" "):
        if words and (word.rstrip(",.:;)") in UNITS or words[-1] in ("€", "€\u2212")):
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def keep_together(text: str) -> str:
    """``text`` with a no-break space where ``wrap`` keeps words together ("4,478\u00a0h").

    For text another program wraps (a slide's text box): it then breaks where ``wrap`` would.
    """
    return "\n".join(
        " ".join(w.replace(" ", "\u00a0") for w in _words(line)) for line in text.split("\n")
    )


def _greedy_wrap(text: str, width_pt: float, size: float, bold: bool) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in _words(paragraph):
            trial = f"{current} {word}" if current else word
            if current and text_width_pt(trial, size, bold) > width_pt:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return lines
