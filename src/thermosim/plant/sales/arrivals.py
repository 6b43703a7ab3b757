"""Lead arrivals: the market's Poisson stream of leads, drawn ahead and handed out in batches.

Owns when leads arrive and with what luck. Neither depends on what the team does: the times come
from the ``market`` stream and the shock schedule alone, so they are drawn ahead, in the order a
process waiting one SimPy timeout per lead drew them, and kept in columns (``Arrivals``).
Handing them out takes one SimPy step for all the leads due before the next other event, instead
of one step per lead.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import simpy

from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Luck, LuckColumns, Stream

# One wake-up of the market's clock: (week, wait_weeks since the previous one, the uniform that
# thins it, the lead's luck as ``Stream.luck`` draws it). The luck is None on a week without
# leads (a lead rate of zero).
Arrival = tuple[float, float, float, Luck | None]
MAX_BATCH = 1000  # arrivals given in one step at most (an empty calendar would never stop it)
DRAW_AHEAD = 64  # arrivals drawn at once (about two weeks of the default market)
NO_LEAD = math.inf  # the thinning uniform of a wake-up without a lead: never kept
_NO_LUCK: Luck = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)  # its luck's place in the columns


@dataclass(slots=True)
class Arrivals:
    """Wake-ups of the market's clock in columns: ``Arrival`` i is element i of each list.

    A wake-up without a lead has the thinning uniform ``NO_LEAD`` (no referral rate keeps it).
    """

    weeks: list[float] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)
    keeps: list[float] = field(default_factory=list)
    lucks: LuckColumns = field(default_factory=lambda: ([], [], [], [], [], []))

    def __len__(self) -> int:
        return len(self.weeks)

    def extend(self, other: Arrivals) -> None:
        """Append ``other``'s wake-ups."""
        self.weeks += other.weeks
        self.waits += other.waits
        self.keeps += other.keeps
        for column, more in zip(self.lucks, other.lucks, strict=True):
            column += more

    def forget(self, count: int) -> None:
        """Drop the first ``count`` wake-ups (handed out already)."""
        del self.weeks[:count], self.waits[:count], self.keeps[:count]
        for column in self.lucks:
            del column[:count]

    def rows(self) -> Iterator[Arrival]:
        """The wake-ups one by one, as ``Arrival`` tuples."""
        for week, wait, keep, *luck in zip(
            self.weeks, self.waits, self.keeps, *self.lucks, strict=True
        ):
            if keep == NO_LEAD:
                yield week, wait, 0.0, None
            else:
                yield week, wait, keep, (luck[0], luck[1], luck[2], luck[3], luck[4], luck[5])


def market_arrivals(
    start_week: float,
    rate_per_week: float,
    top: float,
    schedule: ShockSchedule,
    stream: Stream,
) -> Iterator[Arrivals]:
    """Poisson arrivals at the top rate, from ``start_week`` on, endlessly, a block at a time.

    ``top`` is the highest factor referrals can reach: arrivals come at the top rate and are
    thinned to the current one (``keep * top < referral factor``) so every variant sees the same
    leads. The draws come in the order of a process that waited ``env.timeout(wait)`` per lead:
    the wait, then the thinning uniform and the lead's luck; the weeks add up as SimPy's clock
    does (``now + wait``), to the last bit. ``stream`` must serve this clock alone, since
    ``hand_out`` draws ahead of time; the rate depends on the (fixed) schedule and the week only.
    Once the clock has run to infinity (a rate so low that a wait overflows), nothing comes
    any more: what follows is drawn no further, since no process ever reaches it.
    """
    steady = not schedule.acting_on("lead_rate")  # no shock moves the rate: work it out once
    week = start_week
    base = rate_per_week * schedule.factor("lead_rate", week) * top
    if steady and base > 0.0:
        mean_wait = 1.0 / base
        while week < math.inf:
            waits, keeps, lucks = stream.arrivals(mean_wait, DRAW_AHEAD)
            # ``accumulate`` adds the waits one by one, as the clock does.
            weeks = list(accumulate(waits, initial=week))
            week = weeks[-1]
            yield Arrivals(weeks[1:], waits, keeps, lucks)
    while week < math.inf:
        block = Arrivals()
        while len(block) < DRAW_AHEAD and week < math.inf:
            if not steady:
                base = rate_per_week * schedule.factor("lead_rate", week) * top
            if base <= 0.0:
                week += 1.0  # no leads this week: look again in a week
                wait, keep, luck = 1.0, NO_LEAD, _NO_LUCK
            else:
                wait, keep, luck = stream.arrival(1.0 / base)
                week += wait
            block.weeks.append(week)
            block.waits.append(wait)
            block.keeps.append(keep)
            for column, value in zip(block.lucks, luck, strict=True):
                column.append(value)
        yield block
    while True:  # never reached: the last wake-up came at infinity
        yield Arrivals(
            [math.inf], [math.inf], [NO_LEAD], ([0.0], [0.0], [0.0], [0.0], [0.0], [0.0])
        )


def market_clock(
    start_week: float,
    rate_per_week: float,
    top: float,
    schedule: ShockSchedule,
    stream: Stream,
) -> Iterator[Arrival]:
    """The wake-ups of ``market_arrivals`` one by one (the luck is None on a week without leads)."""
    for block in market_arrivals(start_week, rate_per_week, top, schedule, stream):
        yield from block.rows()


# Receives wake-ups ``start`` (included) to ``stop`` (excluded) of the arrivals given.
Receive = Callable[[Arrivals, int, int], None]


def hand_out(
    env: simpy.Environment, blocks: Iterator[Arrivals], receive: Receive
) -> Generator[Any, Any, None]:
    """SimPy process: give every arrival of ``blocks`` to ``receive``, in order, at its time.

    ``blocks`` must start at ``env.now``. Each step gives the arrival it woke up for together
    with every later one due before the next other event (``env.peek()``; the engine puts the
    end of the run on the calendar so that none past it is given). That is exact: a process
    sleeping once per arrival would run these steps back to back, because receiving leads
    schedules nothing, so no other event can come between them, and nothing the arrivals read
    (satisfaction, the team) can change in between. The step then sleeps until the first
    arrival it did not give, landing exactly on its time (``now + wait`` as SimPy adds it; if
    the difference of the two times does not add back up exactly, it gives fewer arrivals). So
    the clock is that of one timeout per arrival, and so are ties with other events at the same
    time: SimPy orders those by when their timeouts were made, and this sleep is made where the
    last arrival's would have been, with no other event run in between.
    """
    due = Arrivals()  # drawn, not given yet: the first is the one this process sleeps for
    while len(due) < 2:
        due.extend(next(blocks))
    yield env.timeout(due.waits[0])
    while True:
        weeks = due.weeks
        now = weeks[0]
        assert env.now == now, "the clock must start at env.now"
        before = env.peek()
        while weeks[-1] < before and len(weeks) <= MAX_BATCH:
            due.extend(next(blocks))  # draw until one is due at or after the next event
        stop = bisect_left(weeks, before, 1, min(len(weeks) - 1, MAX_BATCH))
        while stop > 1 and now + (weeks[stop] - now) != weeks[stop]:
            stop -= 1  # a sleep cannot land on it exactly from here: give fewer
        # With only the arrival it woke up for, it sleeps the drawn wait, as one timeout would.
        wait = weeks[stop] - now if stop > 1 else due.waits[stop]
        receive(due, 0, stop)
        due.forget(stop)
        if len(due) < 2:
            due.extend(next(blocks))
        yield env.timeout(wait)
