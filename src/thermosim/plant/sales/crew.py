"""Crews: the people who work at the same moments, woken together in one SimPy step.

Owns when people work and in what order. Each person plans and works a week at ``week +
PLAN_AT``; one process per person, each sleeping one timeout a week, did that first. Their
timeouts were made one after the other, so they came due back to back and the people worked in
that order with nothing in between: one step for all of them gives the same, with a tenth of the
events. A crew is the people one such clock wakes: the team at the start, and each hire from the
moment they join, until their step comes right after the team's and they join it. What a
crew's step does is the plant's (``SalesPlant._work_crew``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import Any

import simpy

from thermosim.plant.base import PLAN_AT
from thermosim.plant.sales.state import Person

# Works a crew's week now (its members in order, the number of the week that follows) and
# returns who stays in the crew (``SalesPlant._work_crew``).
Work = Callable[[list[Person], int], list[Person]]


class _Crew:
    """The members a crew's process wakes, in order."""

    __slots__ = ("members",)

    def __init__(self, members: list[Person]) -> None:
        self.members = members


class Crews:
    """The crews of a plant and the SimPy processes that wake them.

    Parameters
    ----------
    env
        The SimPy environment.
    work
        What a crew's step does (``Work``).
    """

    def __init__(self, env: simpy.Environment, work: Work) -> None:
        self.env = env
        self.work = work
        self._waiting: dict[simpy.Event, _Crew] = {}  # crews by the timeout they sleep on

    def start(self, members: list[Person], week: int | None = None) -> None:
        """Start a crew of ``members``, working from the next moment to work on.

        With ``week`` (the people after a split, whose step this one was): from week
        ``week``'s moment.
        """
        self.env.process(self._life(members, week))

    def _life(self, members: list[Person], week: int | None) -> Generator[Any, Any, None]:
        """A crew's working life: a plan and a week of work for each of its members, every week.

        Everyone works at the same moments, ``week + PLAN_AT`` computed from the whole week
        number rather than by adding 1.0 week after week: a hire's clock would otherwise run a
        rounding error apart from the team's, and the week's shared costs (a training day's
        fee) would be booked twice.
        """
        env = self.env
        if week is None:
            week = math.floor(env.now)
            if week + PLAN_AT < env.now:
                week += 1
        crew = _Crew(members)
        while True:
            event = env.timeout(week + PLAN_AT - env.now)
            self._waiting[event] = crew
            yield event
            if self._waiting.pop(event, None) is None:  # it joined another crew (``next_due``)
                return
            members = [person for person in crew.members if person.active]
            if not members:
                return
            week += 1
            crew.members = self.work(members, week)

    def next_due(self, now: float) -> list[Person]:
        """The members of the crew due next, if it is due now and nothing comes before it.

        Its step would follow the one running with nothing in between, so its members can work
        in that one, after the crew's own, and stay with it: their next timeouts, made at the
        end of their own step, would have come right after the crew's. Its own timeout then
        wakes a process with nothing left to do. (SimPy keeps its calendar in
        ``Environment._queue``, a heap of (time, priority, id, event); only its top is read,
        and without it crews never join.)
        """
        queue = getattr(self.env, "_queue", None)
        if not queue:
            return []
        when, _, _, event = queue[0]
        crew = self._waiting.get(event) if when == now else None
        if crew is None:
            return []
        del self._waiting[event]
        return [person for person in crew.members if person.active]
