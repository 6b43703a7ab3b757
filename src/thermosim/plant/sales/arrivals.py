"""Lead arrivals: the market's Poisson stream of leads, drawn ahead and handed out in batches.

Owns when leads arrive and with what luck. Neither depends on what the team does: the times come
from the ``market`` stream and the shock schedule alone, so they are drawn ahead, in the order a
process waiting one SimPy timeout per lead drew them. Handing them out takes one SimPy step for
all the leads due before the next other event, instead of one step per lead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterator
from typing import Any

import simpy

from thermosim.plant.shocks import ShockSchedule
from thermosim.random_streams import Luck, Stream

# One wake-up of the market's clock: (week, wait_weeks since the previous one, the uniform that
# thins it, the lead's luck as ``Stream.luck`` draws it). The luck is None on a week without
# leads (a lead rate of zero).
Arrival = tuple[float, float, float, Luck | None]
MAX_BATCH = 1000  # arrivals given in one step at most (an empty calendar would never stop it)


def market_clock(
    start_week: float,
    rate_per_week: float,
    top: float,
    schedule: ShockSchedule,
    stream: Stream,
) -> Iterator[Arrival]:
    """Poisson arrivals at the top rate, from ``start_week`` on, endlessly.

    ``top`` is the highest factor referrals can reach: arrivals come at the top rate and are
    thinned to the current one (``keep * top < referral factor``) so every variant sees the same
    leads. The draws come in the order of a process that waited ``env.timeout(wait)`` per lead:
    the wait, then the thinning uniform and the lead's luck; the weeks add up as SimPy's clock
    does (``now + wait``), to the last bit. ``stream`` must serve this clock alone, since
    ``hand_out`` draws ahead of time; the rate depends on the (fixed) schedule and the week only.
    """
    draw = stream.arrival
    steady = not schedule.acting_on("lead_rate")  # no shock moves the rate: work it out once
    week = start_week
    base = rate_per_week * schedule.factor("lead_rate", week) * top
    while True:
        if not steady:
            base = rate_per_week * schedule.factor("lead_rate", week) * top
        if base <= 0.0:
            week += 1.0  # no leads this week: look again in a week
            yield week, 1.0, 0.0, None
            continue
        wait, keep, luck = draw(1.0 / base)
        week += wait
        yield week, wait, keep, luck


def hand_out(
    env: simpy.Environment, clock: Iterator[Arrival], receive: Callable[[list[Arrival]], None]
) -> Generator[Any, Any, None]:
    """SimPy process: give every arrival of ``clock`` to ``receive``, in order, at its time.

    ``clock`` must start at ``env.now``. Each step gives the arrival it woke up for together
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
    ahead: deque[Arrival] = deque()  # drawn, handed back by a step that gave fewer
    due = next(clock)
    yield env.timeout(due[1])
    while True:
        now = due[0]
        assert env.now == now, "the clock must start at env.now"
        batch = [due]
        before = env.peek()
        due = ahead.popleft() if ahead else next(clock)
        while due[0] < before and len(batch) < MAX_BATCH:
            batch.append(due)
            due = ahead.popleft() if ahead else next(clock)
        while len(batch) > 1 and now + (due[0] - now) != due[0]:
            ahead.appendleft(due)  # a sleep cannot land on it exactly from here: give fewer
            due = batch.pop()
        # With only the arrival it woke up for, it sleeps the drawn wait, as one timeout would.
        wait = due[0] - now if len(batch) > 1 else due[1]
        receive(batch)
        yield env.timeout(wait)
