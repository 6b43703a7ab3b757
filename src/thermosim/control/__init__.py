"""The pure control core: reference, perception, policy and lever playbooks (no SimPy).

One `Loop` compares a reference with a perception of the plant and turns the error into a
pressure signal; a playbook turns that pressure into lever actions. The same core drives the
sales plant and the thermostat teaching plant.
"""

from thermosim.control.levers import LEVERS, Intervention, LeverSpec, Playbook
from thermosim.control.loop import Loop
from thermosim.control.perception import Perception
from thermosim.control.policy import Policy
from thermosim.control.reference import Reference

__all__ = [
    "LEVERS",
    "Intervention",
    "LeverSpec",
    "Loop",
    "Perception",
    "Playbook",
    "Policy",
    "Reference",
]
