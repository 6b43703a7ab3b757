"""Existing customers: repeat orders, satisfaction, churn and key accounts.

Owns the account base of the sales plant. It draws the same number of random numbers every
week whatever the team does, so variants keep meeting the same luck (common random numbers).
"""

from __future__ import annotations

import math

from thermosim.config.sales import AccountsConfig
from thermosim.plant.sales.people import REST_FATIGUE
from thermosim.random_streams import Stream

ORDER_VALUE_CV = 0.5  # spread of a single repeat order's value (assumed)
ORDER_PULL_EXPONENT = 0.5  # repeat orders ~ (satisfaction / reference) ** this (concave; assumed)
CARE_WEIGHT = 0.25  # share of satisfaction that depends on care hours (assumed)
FATIGUE_QUALITY_LOSS = 0.4  # satisfaction lost per unit of fatigue above rest (mistakes; assumed)
CHURN_GAP_FACTOR = 3.0  # churn multiplier per unit of relative satisfaction shortfall (assumed)


class Accounts:
    """The customer base.

    Parameters
    ----------
    cfg
        Account parameters.
    stream
        Random stream for orders and churn.
    """

    def __init__(self, cfg: AccountsConfig, stream: Stream) -> None:
        self.cfg = cfg
        self.stream = stream
        self.regular = float(cfg.accounts)  # fractional: churn and growth accumulate smoothly
        self.key_active = [True] * cfg.key_accounts
        self.satisfaction = cfg.satisfaction_start
        self._keep = math.exp(-1.0 / cfg.satisfaction_weeks)  # of a gap, after one week

    def lose_key_accounts(self, count: int) -> int:
        """A shock: ``count`` key accounts leave for good; returns how many actually left."""
        lost = 0
        for i, active in enumerate(self.key_active):
            if active and lost < count:
                self.key_active[i] = False
                lost += 1
        return lost

    def orders(self) -> float:
        """Revenue from repeat orders this week (EUR)."""
        cfg = self.cfg
        # Concave: delighted customers order somewhat more, unhappy ones clearly less.
        pull = (self.satisfaction / cfg.satisfaction_reference) ** ORDER_PULL_EXPONENT
        count = self.stream.poisson(self.regular * cfg.order_rate_per_week * pull)
        z = self.stream.normal()
        revenue = self._value(count, cfg.order_value_eur, z)
        key_pull = pull if pull < 1.5 else 1.5  # min(1.5, pull), to the bit
        for active in self.key_active:
            key_count = self.stream.poisson(cfg.key_order_rate_per_week * key_pull)
            key_z = self.stream.normal()
            if active:  # drawn even when lost, so the streams stay aligned across variants
                revenue += self._value(key_count, cfg.key_order_value_eur, key_z)
        return revenue

    @staticmethod
    def _value(count: int, mean_eur: float, z: float) -> float:
        # The sum of `count` orders: its spread shrinks with the square root of the count.
        if count <= 0:
            return 0.0
        spread = 1.0 + ORDER_VALUE_CV * z / math.sqrt(count)
        return count * mean_eur * (spread if spread > 0.0 else 0.0)  # max(0.0, spread)

    def update(self, care_ratio: float, fatigue: float, won_deals: int) -> None:
        """Weekly: satisfaction follows care and quality; churn and new accounts adjust the base.

        Parameters
        ----------
        care_ratio
            Account-care hours relative to the planned share (1 = as planned).
        fatigue
            Mean team fatigue: tired people make mistakes customers notice.
        won_deals
            This week's wins; some become repeat accounts.
        """
        cfg = self.cfg
        # ``max`` and ``min`` of two numbers written out (the same, to the bit): weekly.
        care = care_ratio if care_ratio < 2.0 else 2.0
        level = cfg.satisfaction_reference * (1.0 - CARE_WEIGHT + CARE_WEIGHT * care)
        tired = fatigue - REST_FATIGUE
        level -= FATIGUE_QUALITY_LOSS * (tired if tired > 0.0 else 0.0)
        level = level if level > 0.0 else 0.0
        level = level if level < 1.0 else 1.0
        # Exact first-order step: stable for any time constant.
        self.satisfaction = level + (self.satisfaction - level) * self._keep
        gap = cfg.satisfaction_reference - self.satisfaction
        gap = (gap if gap > 0.0 else 0.0) / cfg.satisfaction_reference
        churn = cfg.churn_per_year / 52.0 * (1.0 + CHURN_GAP_FACTOR * gap)
        u = self.stream.uniform()
        # A noisy share around the expected churn keeps one draw per week.
        self.regular -= self.regular * churn * (0.5 + u)
        self.regular += won_deals * cfg.new_account_probability
        self.regular = self.regular if self.regular > 0.0 else 0.0
