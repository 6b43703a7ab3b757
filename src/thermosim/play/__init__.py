"""Workshop mode: participants play the sales manager in the browser, then a debrief.

Owns ``thermosim play``: the game API (``game``: a participant's replication stepped round by
round with their decisions, on the same random numbers as the policies), its persistence in a
game folder (``store``), the room's rules (``workshop``: joining, rounds, pacing), the web layer
(``web``, the only module that imports the web framework) and the debrief (``debrief``).
"""

from thermosim.play.decisions import HOLD, Course, DecisionError, Decisions, parse_decisions
from thermosim.play.game import COMPARED, Game, GameError, GameSetup, replay
from thermosim.play.report import Report

__all__ = [
    "COMPARED",
    "HOLD",
    "Course",
    "DecisionError",
    "Decisions",
    "Game",
    "GameError",
    "GameSetup",
    "Report",
    "parse_decisions",
    "replay",
]
