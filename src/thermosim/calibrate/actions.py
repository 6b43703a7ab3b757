"""What management did in a week, from the free text or lever names of an actions column.

Owns the words (English and Dutch) by which a written action is recognised as one of the
model's levers ("belactie" and "call blitz" are both ``call_blitz``), and which texts mean that
nothing was done ("", "-", "geen", "none"). A text that names no lever still counts as an
action: the diagnosis then knows *that* management acted, not with what.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from thermosim.control.levers import LEVERS

NOTHING = frozenset({"", "-", "--", "0", "none", "no", "nee", "geen", "nvt", "n/a", "niets", "x"})

# Word stems, matched at the start of a word, in order: the first lever whose stem occurs wins
# for that part of the text (parts are separated by , ; / + and "en"/"and").
KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "call_blitz": (
        "call blitz",
        "call_blitz",
        "calling",
        "cold call",
        "belactie",
        "belblitz",
        "bellen",
        "extra bellen",
        "nabellen",
    ),
    "extra_reporting": ("extra_reporting", "reporting", "report", "rapport"),
    "training_day": ("training_day", "training", "trainingsdag", "cursus", "workshop"),
    "urgent_meeting": (
        "urgent_meeting",
        "urgent meeting",
        "meeting",
        "spoedoverleg",
        "overleg",
        "vergadering",
        "crisis",
    ),
    "discount_push": ("discount", "korting", "actieprijs", "prijsactie"),
    "cut_improvement": ("cut_improvement", "improvement", "verbeter"),
    "coaching": ("coaching", "coach"),
    "pipeline_discipline": ("pipeline", "kwalificatie", "qualification", "qualify"),
    "account_care": (
        "account_care",
        "account care",
        "klantbezoek",
        "klantzorg",
        "accountzorg",
        "customer care",
    ),
    "capacity_planning": (
        "capacity",
        "hiring",
        "hire",
        "vacature",
        "werving",
        "aannemen",
        "capaciteit",
    ),
}
_PARTS = re.compile(r"\s*(?:[,;/+&|]|\ben\b|\band\b)\s*", re.IGNORECASE)


def acted(text: str) -> bool:
    """Whether ``text`` says management did something that week."""
    return text.strip().lower().strip(".") not in NOTHING


def levers_in(text: str) -> list[str]:
    """The levers ``text`` names, in the order written (each once)."""
    found: list[str] = []
    for part in _PARTS.split(text.strip().lower()):
        for lever, stems in KEYWORDS.items():
            if any(re.search(rf"(?<![a-z]){re.escape(s)}", part) for s in stems):
                if lever not in found:
                    found.append(lever)
                break
    return found


def repertoire(texts: Iterable[str]) -> list[str]:
    """Every lever named in a column, in order of first use (the team's own repertoire)."""
    seen: list[str] = []
    for text in texts:
        for lever in levers_in(text):
            if lever not in seen:
                seen.append(lever)
    return seen


def kinds(levers: Iterable[str]) -> tuple[int, int]:
    """How many of ``levers`` are quick fixes and how many lasting levers."""
    names = list(levers)
    quick = sum(1 for lever in names if LEVERS[lever].kind == "symptomatic")
    return quick, len(names) - quick
