"""Erlang B, C and A measures and staffing (issue 4, item 1), checked against a brute force.

The brute force is written here and shares nothing with `teamline.wfm`: the birth-death chain of
the queue (birth rate lambda; death rate min(n, c) mu, plus (n - c) theta with abandonment) is
solved for its stationary distribution in 50-digit Decimal arithmetic, state by state, and every
measure is summed over the states an arrival may find (PASTA):

- M/M/c: an arrival finding k callers queued waits a sum of k + 1 exponentials of rate c mu, so
  it waits longer than T iff a Poisson(c mu T) count is <= k; mean wait (k + 1)/(c mu).
- M/M/c+M: with k queued ahead, a caller's offered wait V is a sum of exponentials of rates
  c mu + m theta, m = 0..k (completions and abandonments ahead), and it is answered iff V beats
  its own Exp(theta) patience. Tilting by e^(-theta V) turns V into a sum of exponentials of
  rates c mu + m theta, m = 1..k+1, and P(that sum > T) is a negative-binomial cdf:
      P(answered, wait <= T | k) = y/(y+k+1) * (1 - u^(y+1) sum_{j<=k} (y+1)_j/j! (1-u)^j),
      E[wait; answered | k] = y/(y+k+1) * sum_{m=1..k+1} 1/(theta (y+m)),
  with y = c mu/theta and u = e^(-theta T). `test_tagged_caller_formulas` checks both against
  the tagged caller's own absorbing chain (matrix exponential and fundamental matrix).
  Abandonment is also summed the other way, as theta E[queue]/lambda, and the two must agree.

Staffing answers are compared with a linear scan of the brute force from one agent up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from teamline.domain.errors import InvalidInput
from teamline.wfm.erlang import (
    QueueMeasures,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_core,
    erlang_c_float,
    offered_load,
)
from teamline.wfm.staffing import required_agents

CTX = Context(prec=50, Emax=10**9, Emin=-(10**9))
# the queue's tail is summed until a state weighs less than this share of the heaviest one
CUT = Decimal("1e-45")
TOL = 1e-9


@dataclass(frozen=True)
class Ref:
    p_wait: float
    service_level: float
    asa_s: float
    p_abandon: float
    occupancy: float


def chain(
    c: int, arrivals_per_hour: float, aht_s: float, threshold_s: float, patience_s: float | None
) -> Ref:
    """Every measure of the birth-death chain, in Decimal (see the module docstring)."""
    with localcontext(CTX):
        lam = Decimal(arrivals_per_hour) / 3600
        mu = 1 / Decimal(aht_s)
        t = Decimal(threshold_s)
        weight, below = Decimal(1), Decimal(0)  # weight of state n; sum over n < c
        for n in range(c):
            below += weight
            weight = weight * lam / ((n + 1) * mu)
        if patience_s is None:
            return _mmc(c, lam, mu, t, weight, below)
        return _mmcm(c, lam, mu, 1 / Decimal(patience_s), t, weight, below)


def _mmc(c: int, lam: Decimal, mu: Decimal, t: Decimal, w_c: Decimal, below: Decimal) -> Ref:
    rho = lam / (c * mu)
    assert rho < 1
    total = below + w_c / (1 - rho)  # the queue's states weigh w_c rho^k
    m = c * mu * t
    pois = (-m).exp()  # P(Poisson(m) = k), then its cdf
    cdf = pois
    late, wait, weight, k = Decimal(0), Decimal(0), w_c / total, 0
    while weight > CUT * w_c / total:
        late += weight * cdf
        wait += weight * (k + 1) / (c * mu)
        k += 1
        weight *= rho
        pois = pois * m / k
        cdf += pois
    p_wait = w_c / (1 - rho) / total
    return Ref(float(p_wait), float(1 - late), float(wait), 0.0, float(lam / (c * mu)))


def _mmcm(
    c: int, lam: Decimal, mu: Decimal, theta: Decimal, t: Decimal, w_c: Decimal, below: Decimal
) -> Ref:
    y = c * mu / theta
    u = (-theta * t).exp()
    u_y1 = u ** (y + 1)
    weight, k, peak = w_c, 0, w_c
    queued = answered = within = waited = queue_len = Decimal(0)
    nb_term, nb_cdf, harmonic = Decimal(1), Decimal(0), Decimal(0)
    while True:
        nb_cdf += nb_term
        harmonic += 1 / (y + k + 1)
        served = y / (y + k + 1)
        queued += weight
        answered += weight * served
        within += weight * served * (1 - u_y1 * nb_cdf)
        waited += weight * served * harmonic / theta
        queue_len += weight * k
        peak = max(peak, weight)
        nb_term = nb_term * (y + 1 + k) / (k + 1) * (1 - u)
        weight = weight * lam / (c * mu + (k + 1) * theta)
        k += 1
        if weight < CUT * peak and c * mu + k * theta > lam:
            break
    total = below + queued
    p_answered = (below + answered) / total
    p_abandon = 1 - p_answered
    # the same abandonment as theta E[queue] / lambda: the reference checks itself
    assert abs(p_abandon - theta * queue_len / total / lam) < Decimal("1e-30")
    return Ref(
        p_wait=float(queued / total),
        service_level=float((below + within) / total),
        asa_s=float(waited / total / p_answered),
        p_abandon=float(p_abandon),
        occupancy=float(lam * p_answered / (c * mu)),
    )


def erlang_b_chain(c: int, load: float) -> float:
    with localcontext(CTX):
        a, weight, total = Decimal(load), Decimal(1), Decimal(1)
        for n in range(1, c + 1):
            weight = weight * a / n
            total += weight
        return float(weight / total)


def close(got: float, want: float, rel: bool = False) -> bool:
    return abs(got - want) <= TOL * (abs(want) if rel else 1.0)


# --- the brute force itself --------------------------------------------------------------------


@pytest.mark.parametrize("k", range(7))
def test_tagged_caller_formulas(k: int) -> None:
    """The per-state answer probability and mean wait used by `chain`, against the tagged
    caller's absorbing chain: states 'm callers ahead' (m = k..0), answered, abandoned."""
    c, mu, theta, t = 3, 1 / 180, 1 / 45, 20.0
    n = k + 1  # transient states: index i = m callers ahead
    gen = np.zeros((n + 2, n + 2))
    answered, abandoned = n, n + 1
    for m in range(n):
        gen[m, abandoned] = theta
        if m:
            gen[m, m - 1] = c * mu + m * theta
        else:
            gen[m, answered] = c * mu
        gen[m, m] = -gen[m].sum()
    in_time = expm(gen * t)[k, answered]
    transient = -gen[:n, :n]
    fund = np.linalg.inv(transient)  # expected time in each state
    absorb = fund @ gen[:n, answered]
    wait_answered = (fund @ absorb)[k]  # E[time to absorption; answered]

    y = c * mu / theta
    u = math.exp(-theta * t)
    nb = sum(
        math.prod(y + 1 + i for i in range(j)) / math.factorial(j) * (1 - u) ** j
        for j in range(k + 1)
    )
    served = y / (y + k + 1)
    assert absorb[k] == pytest.approx(served, rel=1e-12)
    assert in_time == pytest.approx(served * (1 - u ** (y + 1) * nb), rel=1e-10)
    harmonic = sum(1 / (theta * (y + m)) for m in range(1, k + 2))
    assert wait_answered == pytest.approx(served * harmonic, rel=1e-10)


def test_mmc_chain_matches_the_closed_form_tail() -> None:
    """The Poisson-mixture service level of the brute force equals 1 - C exp(-(c mu - lambda) T)
    and its ASA C/(c mu - lambda): the reference agrees with the textbook M/M/c."""
    c, lam_h, aht, t = 14, 200.0, 180.0, 20.0
    ref = chain(c, lam_h, aht, t, None)
    lam, mu = lam_h / 3600, 1 / aht
    assert ref.service_level == pytest.approx(
        1 - ref.p_wait * math.exp(-(c * mu - lam) * t), abs=1e-14
    )
    assert ref.asa_s == pytest.approx(ref.p_wait / (c * mu - lam), rel=1e-13)


# --- measures against the brute force ----------------------------------------------------------

C_CASES = [  # agents, arrivals per hour, AHT s, threshold s
    (1, 10, 180, 20),
    (2, 30, 180, 20),
    (14, 200, 180, 20),
    (55, 720, 240, 15),
    (120, 2000, 200, 20),
    (300, 3000, 300, 0),
    (1000, 19000, 180, 20),
    (2500, 42000, 200, 30),
    (4000, 7200, 600, 20),
    (5000, 60000, 240, 60),
    (5000, 98000, 180, 10),
]

A_CASES = [  # agents, arrivals per hour, AHT s, patience s, threshold s
    (1, 10, 180, 60, 20),
    (2, 40, 180, 30, 20),
    (3, 300, 200, 5, 20),
    (14, 200, 180, 100, 20),
    (55, 720, 240, 120, 15),
    (50, 2000, 180, 30, 20),
    (100, 2000, 180, 30, 20),
    (200, 3000, 300, 3, 10),
    (300, 3000, 300, 20, 0),
    (10, 100, 300, 10000, 20),
    (1000, 19000, 180, 300, 20),
    (4000, 90000, 200, 20, 20),
    (5000, 99000, 180, 180, 20),
    (5000, 120000, 600, 600, 30),
]


@pytest.mark.parametrize(("c", "lam", "aht", "t"), C_CASES)
def test_erlang_c_matches_the_chain(c: int, lam: float, aht: float, t: float) -> None:
    ref = chain(c, lam, aht, t, None)
    got = erlang_c(c, lam, aht, t)
    assert close(float(got.p_wait), ref.p_wait)
    assert close(float(got.service_level), ref.service_level)
    assert close(float(got.asa_s), ref.asa_s, rel=True)
    assert close(float(got.mean_wait_s), ref.asa_s, rel=True)
    assert close(float(got.occupancy), ref.occupancy)
    assert float(got.p_abandon) == 0.0
    assert float(got.load_erlangs) == pytest.approx(lam * aht / 3600)


@pytest.mark.parametrize(("c", "lam", "aht", "patience", "t"), A_CASES)
def test_erlang_a_matches_the_chain(
    c: int, lam: float, aht: float, patience: float, t: float
) -> None:
    ref = chain(c, lam, aht, t, patience)
    got = erlang_a(c, lam, aht, patience, t)
    assert close(float(got.p_wait), ref.p_wait)
    assert close(float(got.service_level), ref.service_level)
    assert close(float(got.p_abandon), ref.p_abandon)
    assert close(float(got.asa_s), ref.asa_s, rel=True)
    assert close(float(got.occupancy), ref.occupancy)
    # Little's law on the queue: E[wait of all arrivals] = P(abandon) * mean patience
    assert close(float(got.mean_wait_s), ref.p_abandon * patience, rel=True)


def test_the_cases_span_one_to_five_thousand_agents_and_overload() -> None:
    agents = [case[0] for case in C_CASES + A_CASES]
    assert min(agents) == 1
    assert max(agents) == 5000
    assert any(lam * aht / 3600 > c for c, lam, aht, _, _ in A_CASES)  # more load than agents


@pytest.mark.parametrize(
    ("c", "load"),
    [(1, 0.5), (10, 10.0), (17, 10.0), (18, 10.0), (120, 100.0), (10, 10_000.0), (3000, 10.0)],
)
def test_erlang_b_matches_the_chain(c: int, load: float) -> None:
    assert close(float(erlang_b(c, load)), erlang_b_chain(c, load))


def test_erlang_b_at_five_thousand_agents() -> None:
    for load in (4000.0, 5000.0, 6000.0):
        assert float(erlang_b(5000, load)) == pytest.approx(erlang_b_chain(5000, load), rel=1e-11)


def test_textbook_values() -> None:
    """Classic worked examples; the same queues are among the brute-force cases above.

    Erlang B tables: 10 Erlangs on 10 trunks block 21.5 % of calls, and 1 % grade of service
    needs 18 trunks (17 block 1.3 %). Erlang C, the worked example of many call-center primers:
    100 calls per half hour, 3-minute calls, 80 % answered within 20 s -> 14 agents, with
    P(wait) 17.4 %, service level 88.8 %, ASA 7.8 s (13 agents reach only 79.6 %). And 360 calls
    per half hour of 4 minutes on 55 agents, 15 s threshold: P(wait) 23.9 %, ASA 8.2 s,
    service level 84.6 %, occupancy 87.3 %.
    """
    assert round(float(erlang_b(10, 10.0)), 4) == 0.2146
    assert float(erlang_b(17, 10.0)) > 0.01 >= float(erlang_b(18, 10.0))
    assert int(required_agents(200, 180, service_level=0.8, threshold_s=20)) == 14
    m = erlang_c([13, 14], 200, 180, 20)
    assert np.round(m.p_wait[1], 3) == 0.174
    assert np.round(m.service_level, 3).tolist() == [0.796, 0.888]
    assert np.round(m.asa_s[1], 1) == 7.8
    ref = chain(14, 200, 180, 20, None)
    assert close(float(m.service_level[1]), ref.service_level)
    m = erlang_c(55, 720, 240, 15)
    assert [round(float(v), 3) for v in (m.p_wait, m.service_level, m.occupancy)] == [
        0.239,
        0.846,
        0.873,
    ]
    assert round(float(m.asa_s), 1) == 8.2
    assert int(required_agents(720, 240, threshold_s=15)) == 55


# --- staffing against a scan of the brute force ------------------------------------------------


def scan_erlang_c(lam_h: int, aht: int, t: float, target: str) -> int:
    """Agents from one up until the chain's service level reaches the target (closed-form tail,
    checked against the chain's own mixture in `test_mmc_chain_matches_the_closed_form_tail`)."""
    with localcontext(CTX):
        lam, mu = Decimal(lam_h) / 3600, 1 / Decimal(aht)
        a, goal = lam / mu, Decimal(target)
        weight, below, c = Decimal(1), Decimal(0), 0  # weight = a^c/c!, below = sum_{n<c}
        while True:
            if c > a:
                tail = weight * c / (c - a)
                p_wait = tail / (below + tail)
                if 1 - p_wait * (-(c - a) * mu * Decimal(t)).exp() >= goal:
                    return c
            below += weight
            c += 1
            weight = weight * a / c


ARRIVALS = [100, 1_000, 10_000, 100_000, 1_000_000]
AHTS = [180, 600]


@pytest.mark.parametrize("lam", ARRIVALS)
@pytest.mark.parametrize("aht", AHTS)
def test_erlang_c_staffing_matches_the_scan(lam: int, aht: int) -> None:
    want = scan_erlang_c(lam, aht, 20.0, "0.8")
    assert int(required_agents(lam, aht, service_level=0.8, threshold_s=20)) == want


def test_erlang_c_staffing_vectorised_matches_the_scan() -> None:
    lam = np.array(ARRIVALS * 2)
    aht = np.repeat(AHTS, len(ARRIVALS))
    got = required_agents(lam, aht, service_level=0.8, threshold_s=20)
    assert got.dtype == np.int64
    assert got.tolist() == [
        scan_erlang_c(int(x), int(h), 20.0, "0.8") for x, h in zip(lam, aht, strict=True)
    ]


def scan(
    lam: float,
    aht: float,
    patience: float | None,
    *,
    sl: float | None = 0.8,
    t: float = 20.0,
    asa: float | None = None,
    occ: float | None = None,
    ab: float | None = None,
) -> int:
    c = 1
    while True:
        if patience is not None or c > lam * aht / 3600:
            r = chain(c, lam, aht, t, patience)
            if (
                (sl is None or r.service_level >= sl)
                and (asa is None or r.asa_s <= asa)
                and (occ is None or r.occupancy <= occ)
                and (ab is None or r.p_abandon <= ab)
            ):
                return c
        c += 1


@pytest.mark.parametrize(
    ("lam", "aht", "targets"),
    [
        (3000, 300, {"sl": 0.9, "t": 15.0, "asa": 5.0}),
        (3000, 300, {"sl": None, "occ": 0.85}),
        (720, 240, {"sl": 0.95, "t": 10.0, "asa": 2.0, "occ": 0.8}),
    ],
)
def test_erlang_c_staffing_with_asa_and_occupancy(lam: float, aht: float, targets: dict) -> None:
    want = scan(lam, aht, None, **targets)
    kw = {
        "service_level": targets.get("sl"),
        "threshold_s": targets.get("t", 20.0),
        "max_asa_s": targets.get("asa"),
        "max_occupancy": targets.get("occ"),
    }
    assert int(required_agents(lam, aht, **kw)) == want  # one interval: the plain-float path
    assert int(required_agents([lam], aht, **kw)[0]) == want  # the array search


@pytest.mark.parametrize(
    ("lam", "aht", "patience", "targets"),
    [
        (360, 300, 120, {"sl": 0.8}),
        (1000, 240, 60, {"sl": None, "ab": 0.03}),
        (1500, 200, 90, {"sl": 0.8, "asa": 10.0}),
        (1500, 200, 90, {"sl": 0.7, "occ": 0.8}),
        (120, 600, 20, {"sl": 0.9, "t": 30.0, "ab": 0.1}),
    ],
)
def test_erlang_a_staffing_matches_the_scan(
    lam: float, aht: float, patience: float, targets: dict
) -> None:
    want = scan(lam, aht, patience, **targets)
    got = required_agents(
        lam,
        aht,
        patience_s=patience,
        service_level=targets.get("sl"),
        threshold_s=targets.get("t", 20.0),
        max_asa_s=targets.get("asa"),
        max_occupancy=targets.get("occ"),
        max_abandon=targets.get("ab"),
    )
    assert int(got) == want


def test_erlang_a_can_need_fewer_agents_than_the_load() -> None:
    """100 Erlangs (2000 calls/h of 3 min) with 30 s mean patience: callers who hang up free the
    agents, and 80 % within 20 s needs 84 agents with up to half abandoning allowed. A search
    starting at ceil(load) (pyworkforce's) would answer 100; Erlang C needs 107."""
    load = float(offered_load(2000, 180))
    assert load == pytest.approx(100.0)
    got = int(required_agents(2000, 180, patience_s=30, max_abandon=0.5))
    assert got == scan(2000, 180, 30, sl=0.8, ab=0.5) == 84
    assert got < load
    m = erlang_a([got - 1, got], 2000, 180, 30, 20)
    assert m.service_level[0] < 0.8 <= m.service_level[1]
    assert int(required_agents(2000, 180)) == 107


def test_erlang_a_staffing_at_a_million_calls_an_hour() -> None:
    got = int(required_agents(1_000_000, 180, patience_s=120))
    m = erlang_a([got - 1, got], 1_000_000, 180, 120, 20)
    assert m.service_level[0] < 0.8 <= m.service_level[1]
    assert got < int(required_agents(1_000_000, 180))


@settings(max_examples=25, deadline=None)
@given(
    lam=st.floats(1.0, 2e6),
    aht=st.floats(20.0, 1200.0),
    patience=st.floats(1.0, 3000.0),
    sl=st.none() | st.floats(0.1, 0.99),
    t=st.floats(0.0, 60.0),
    ab=st.none() | st.floats(0.01, 0.5),
    asa=st.none() | st.floats(1.0, 120.0),
)
def test_erlang_a_staffing_is_the_fewest(
    lam: float,
    aht: float,
    patience: float,
    sl: float | None,
    t: float,
    ab: float | None,
    asa: float | None,
) -> None:
    if sl is None and ab is None and asa is None:
        sl = 0.8
    n = int(
        required_agents(
            lam,
            aht,
            service_level=sl,
            threshold_s=t,
            patience_s=patience,
            max_abandon=ab,
            max_asa_s=asa,
        )
    )
    m = erlang_a([max(n - 1, 1), n], lam, aht, patience, t)

    def met(i: int) -> bool:
        return bool(
            (sl is None or m.service_level[i] >= sl)
            and (ab is None or m.p_abandon[i] <= ab)
            and (asa is None or m.asa_s[i] <= asa)
        )

    assert met(1)
    assert n == 1 or not met(0)


# --- finite and monotone in the number of agents -----------------------------------------------


def non_increasing(v: np.ndarray) -> bool:
    # rounding may leave two neighbours a few ulps out of order, never more
    return bool(np.all(np.diff(v) <= 1e-12 * np.abs(v[:-1]) + 1e-300))


def check_shapes(m: QueueMeasures, c: np.ndarray, erlang_a_model: bool) -> None:
    for name in ("p_wait", "service_level", "p_abandon", "occupancy"):
        v = getattr(m, name)
        assert np.all(np.isfinite(v)), name
        assert np.all((v >= 0.0) & (v <= 1.0)), name
    assert non_increasing(m.p_wait)
    assert non_increasing(-m.service_level)
    assert non_increasing(m.p_abandon)
    assert non_increasing(m.occupancy)
    if erlang_a_model:
        assert np.all(np.isfinite(m.asa_s))
    else:  # Erlang C: infinite waits exactly where there is no steady state
        stable = c > m.load_erlangs
        assert np.all(np.isfinite(m.asa_s[stable]))
        assert np.all(np.isinf(m.asa_s[~stable]))
    assert non_increasing(m.asa_s[np.isfinite(m.asa_s)])


@settings(max_examples=30, deadline=None)
@given(
    lam=st.floats(1.0, 2e6),
    aht=st.floats(20.0, 1800.0),
    patience=st.floats(1.0, 1e4),
    t=st.floats(0.0, 120.0),
    start=st.integers(1, 99_940),
)
def test_measures_finite_and_monotone_in_agents(
    lam: float, aht: float, patience: float, t: float, start: int
) -> None:
    grid = np.unique(np.concatenate([np.geomspace(1, 100_000, 150).round(), start + np.arange(60)]))
    check_shapes(erlang_c(grid, lam, aht, t), grid, erlang_a_model=False)
    check_shapes(erlang_a(grid, lam, aht, patience, t), grid, erlang_a_model=True)


def test_every_count_from_one_to_a_hundred_thousand() -> None:
    c = np.arange(1, 100_001)
    check_shapes(erlang_c(c, 1_000_000, 360, 20), c, erlang_a_model=False)
    check_shapes(erlang_a(c, 1_000_000, 360, 90, 20), c, erlang_a_model=True)


@settings(max_examples=60, deadline=None)
@given(
    lam=st.floats(0.5, 2e6),
    aht=st.floats(10.0, 1200.0),
    sl=st.floats(0.05, 0.99),
    t=st.floats(0.0, 90.0),
    asa=st.none() | st.floats(0.5, 120.0),
    occ=st.none() | st.floats(0.5, 1.0),
)
def test_one_interval_and_the_vector_search_agree(
    lam: float, aht: float, sl: float, t: float, asa: float | None, occ: float | None
) -> None:
    """The plain-float path of a single interval and the array search give the same answer, and
    it is the fewest agents: targets met there and missed one below."""
    kw = {"service_level": sl, "threshold_s": t, "max_asa_s": asa, "max_occupancy": occ}
    one = int(required_agents(lam, aht, **kw))
    assert one == int(required_agents([lam], aht, **kw)[0])
    m = erlang_c([max(one - 1, 1), one], lam, aht, t)

    def met(i: int) -> bool:
        return bool(
            one - 1 + i > m.load_erlangs[i]
            and m.service_level[i] >= sl
            and (asa is None or m.asa_s[i] <= asa)
            and (occ is None or m.occupancy[i] <= occ)
        )

    assert met(1)
    assert one == 1 or not met(0)


@settings(max_examples=200, deadline=None)
@given(a=st.floats(0.01, 3e5), z=st.floats(-2.0, 60.0), tau=st.floats(0.0, 2.0))
def test_float_and_array_erlang_c_agree(a: float, z: float, tau: float) -> None:
    c = max(1.0, math.ceil(a + z * math.sqrt(a)))
    one = erlang_c_float(c, a, tau)
    arrays = erlang_c_core(np.array([c]), np.array([a]), np.array([tau]))
    for x, y in zip(one, arrays, strict=True):
        assert x == pytest.approx(float(y[0]), rel=1e-10, abs=1e-300)


# --- the interface -----------------------------------------------------------------------------


def test_vectorised_over_intervals() -> None:
    lam = np.array([[0.0, 120.0, 900.0], [5_000.0, 40_000.0, 1e6]])
    got = required_agents(lam, 240.0)
    assert got.shape == (2, 3)
    assert got[0, 0] == 0  # no arrivals, no agents
    for idx in np.ndindex(lam.shape):
        assert got[idx] == int(required_agents(float(lam[idx]), 240.0))
    got_a = required_agents(lam, 240.0, patience_s=np.array([60.0, 120.0, 300.0]))
    assert got_a.shape == (2, 3)
    assert got_a[0, 0] == 0
    assert np.all(got_a <= got)  # with these patiences abandonment only helps the service level


def test_measures_with_no_arrivals() -> None:
    for m in (erlang_c(3, 0.0, 180.0), erlang_a(3, 0.0, 180.0, 60.0)):
        assert float(m.p_wait) == 0.0
        assert float(m.service_level) == 1.0
        assert float(m.asa_s) == 0.0
        assert float(m.occupancy) == 0.0


def test_erlang_a_tends_to_erlang_c_as_patience_grows() -> None:
    c = np.array([60, 80, 120])
    a = erlang_a(c, 2000, 180, 1e7, 20)
    cc = erlang_c(c, 2000, 180, 20)
    assert np.allclose(a.p_wait, cc.p_wait, rtol=1e-4)
    assert np.allclose(a.service_level, cc.service_level, rtol=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"arrivals_per_hour": -1.0}, "arrivals_per_hour"),
        ({"arrivals_per_hour": [10.0, float("nan")]}, "arrivals_per_hour"),
        ({"arrivals_per_hour": "many"}, "arrivals_per_hour"),
        ({"aht_s": 0.0}, "aht_s"),
        ({"aht_s": [180.0, -5.0]}, "aht_s"),
        ({"service_level": 1.0}, "service_level"),
        ({"service_level": 0.0}, "service_level"),
        ({"threshold_s": -1.0}, "threshold_s"),
        ({"threshold_s": float("inf")}, "threshold_s"),
        ({"max_asa_s": 0.0}, "max_asa_s"),
        ({"max_occupancy": 1.5}, "max_occupancy"),
        ({"patience_s": 0.0}, "patience_s"),
        ({"max_abandon": 0.05}, "max_abandon"),  # without patience_s
        ({"patience_s": 60.0, "max_abandon": 1.0}, "max_abandon"),
        ({"service_level": None}, "service_level"),  # no target at all
    ],
)
def test_invalid_staffing_input(kwargs: dict, field: str) -> None:
    args = {"arrivals_per_hour": 100.0, "aht_s": 180.0} | kwargs
    with pytest.raises(InvalidInput) as err:
        required_agents(args.pop("arrivals_per_hour"), args.pop("aht_s"), **args)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: erlang_c(0, 100, 180), "agents"),
        (lambda: erlang_c(2.5, 100, 180), "agents"),
        (lambda: erlang_c(5, 100, -180), "aht_s"),
        (lambda: erlang_a(5, 100, 180, 0.0), "patience_s"),
        (lambda: erlang_a(5, -100, 180, 60), "arrivals_per_hour"),
        (lambda: erlang_b(3, -1.0), "load_erlangs"),
        (lambda: offered_load(100, 0), "aht_s"),
    ],
)
def test_invalid_measure_input(call: object, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        call()  # type: ignore[operator]
    assert err.value.field == field
