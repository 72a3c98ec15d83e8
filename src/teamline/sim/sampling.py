"""Randomness of the digital twin: seeded draws, handle times, patience, Poisson arrivals.

This module owns every random number a run uses; nothing else draws. All of them come from the
one `numpy.random.Generator` passed to the run, split (`Generator.spawn`) into independent
streams per arrival stream and purpose: inter-arrival times, handle times, patience. So the
k-th contact of a stream has the same handle time and patience whatever the workflow did to the
contacts before it (common random numbers: two workflows compared on one seed differ by their
routing, not by their luck). Variates are drawn from numpy in blocks and handed out one by one.

Arrivals are a non-homogeneous Poisson process with a piecewise-constant rate (the profile's
intervals times any surges over them), sampled exactly by inverting the cumulative rate: a unit
exponential is spent across segments until it is used up (no thinning, no rejected draws).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from teamline.domain.organisation import Team
from teamline.sim.model import ArrivalProfile, HandleTime, Surge

BLOCK = 4096  # variates fetched from numpy at a time


class Draws:
    """Unit exponential and standard normal variates from one generator, fetched in blocks."""

    __slots__ = ("_exp", "_exp_i", "_gen", "_norm", "_norm_i")

    def __init__(self, gen: np.random.Generator) -> None:
        self._gen = gen
        self._exp: list[float] = []
        self._exp_i = 0
        self._norm: list[float] = []
        self._norm_i = 0

    def exponential(self) -> float:
        i = self._exp_i
        if i == len(self._exp):
            self._exp = self._gen.standard_exponential(BLOCK).tolist()
            i = 0
        self._exp_i = i + 1
        return self._exp[i]

    def normal(self) -> float:
        i = self._norm_i
        if i == len(self._norm):
            self._norm = self._gen.standard_normal(BLOCK).tolist()
            i = 0
        self._norm_i = i + 1
        return self._norm[i]

    def uniform(self) -> float:
        """A uniform variate on (0, 1], from the exponential block (exp(-E) is uniform)."""
        return math.exp(-self.exponential())


class HandleSampler:
    """Handle times of one distribution, in seconds."""

    __slots__ = ("_draws", "_exponential", "_mean", "_mu", "_sigma")

    def __init__(self, handle: HandleTime, draws: Draws) -> None:
        self._draws = draws
        self._exponential = handle.kind == "exponential"
        self._mean = handle.mean_seconds
        self._mu, self._sigma = handle.log_params

    def __call__(self) -> float:
        if self._exponential:
            return self._mean * self._draws.exponential()
        return math.exp(self._mu + self._sigma * self._draws.normal())


class PatienceSampler:
    """How long a customer waits before giving up: exponential, or forever (`inf`)."""

    __slots__ = ("_draws", "_mean")

    def __init__(self, mean_seconds: float | None, draws: Draws) -> None:
        self._draws = draws
        self._mean = mean_seconds

    def __call__(self) -> float:
        if self._mean is None:
            return math.inf
        return self._mean * self._draws.exponential()


class RateFunction:
    """A piecewise-constant arrival rate per second over [0, inf).

    `starts[i]` is where segment i begins (`starts[0]` is 0); the last segment never ends.
    `next_arrival` keeps a cursor, so the calls of one stream must come in time order.
    """

    __slots__ = ("_i", "rates", "starts")

    def __init__(self, starts: list[float], rates: list[float]) -> None:
        if not starts or starts[0] != 0 or len(starts) != len(rates):
            raise ValueError("segments start at 0, one rate each")
        self.starts = starts
        self.rates = rates
        self._i = 0

    @classmethod
    def of(cls, profile: ArrivalProfile, team: Team, surges: Iterable[Surge]) -> RateFunction:
        """The profile of a team's stream, times every surge that applies to the team."""
        mine = [s for s in surges if s.applies_to(team)]
        cuts = {profile.interval_seconds * k for k in range(1, len(profile.rates_per_hour))}
        for surge in mine:
            cuts.update((surge.start_seconds, surge.end_seconds))
        starts = [0.0, *sorted(c for c in cuts if c > 0)]
        rates = []
        for start in starts:
            rate = profile.rate_per_hour(start) / 3600.0
            for surge in mine:
                if surge.start_seconds <= start < surge.end_seconds:
                    rate *= surge.factor
            rates.append(rate)
        return cls(starts, rates)

    def next_arrival(self, t: float, e: float) -> float:
        """The first arrival after `t`, spending the unit exponential `e` (inf: none ever)."""
        starts, rates, i = self.starts, self.rates, self._i
        last = len(starts) - 1
        while i < last and starts[i + 1] <= t:
            i += 1
        while True:
            rate = rates[i]
            end = starts[i + 1] if i < last else math.inf
            if rate > 0:
                at = t + e / rate
                if at < end:
                    self._i = i
                    return at
                e = max(0.0, e - (end - t) * rate)
            elif i == last:
                self._i = i
                return math.inf
            t = end
            i += 1

    def expected(self, a: float, b: float) -> float:
        """Expected arrivals in [a, b]: the integral of the rate."""
        total = 0.0
        for i, start in enumerate(self.starts):
            end = self.starts[i + 1] if i + 1 < len(self.starts) else math.inf
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += (hi - lo) * self.rates[i]
        return total
