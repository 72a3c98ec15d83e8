"""Staffing: the fewest agents per interval that meet service targets, under Erlang C or Erlang A.

This module owns the search; the queue formulas are in `teamline.wfm.erlang` (same conventions:
arrivals per hour, times in seconds). Each target is monotone in the number of agents c (service
level rises with c; P(wait), ASA, abandonment and occupancy fall), so "every target met" is false
below some c* and true from c* on, and c* is found by bracketing, never by a scan from one agent.
Each target gives a slack, >= 0 exactly when it is met (service level minus its target, and so
on); the search works on the smallest slack of an interval:

1. a first guess. Erlang C: the square-root staffing rule c = a + beta sqrt(a), with beta from
   the Halfin-Whitt approximation C ~ 1/(1 + beta Phi(beta)/phi(beta)) (Halfin & Whitt 1981;
   Borst, Mandelbaum & Reiman, "Dimensioning large call centers", Oper. Res. 2004) solved for
   the service level, C exp(-beta sqrt(a) T/AHT) = 1 - target, and for the ASA,
   C AHT/(beta sqrt(a)) = target (the larger beta). Erlang A: the Erlang C answer for the
   service level alone, as a scale.
2. rounds of one vectorised evaluation of eight agent counts per open interval: first the eight
   counts about the guess (Erlang C; they bracket c* for nearly every interval, the rule being a
   few agents off at most) or spread from 0.3 to 1.08 times the guess (Erlang A); then, inside a
   bracket, counts about the root of the slack interpolated linearly between its ends plus four
   evenly spread ones, so the bracket shrinks at least five-fold a round; without a passing count
   yet, steps growing four-fold upwards from sqrt(c)/2.

With abandonment the answer may be below the offered load (callers who hang up free agents), so
the Erlang A search goes down to one agent wherever its guess lies (pyworkforce's search starts
at the load and misses these); Erlang C needs more agents than the load for a steady state.

One interval under Erlang C takes a plain-float path (`erlang_c_float`; guess, gallop by doubling
steps, bisect) with the same tests, so a single answer costs tens of microseconds instead of
numpy's per-call overhead many times over.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from teamline.domain.errors import InvalidInput
from teamline.wfm.erlang import (
    SECONDS_PER_HOUR,
    FloatArray,
    IntArray,
    checked,
    erlang_a_core,
    erlang_c_core,
    erlang_c_float,
)

# (agent counts, row numbers) -> smallest slack of the targets, >= 0 when all are met
Slack = Callable[[FloatArray, IntArray], FloatArray]

_K: Final = 8  # agent counts per interval per round
_C_WINDOW: Final = np.arange(-3, _K - 3, dtype=np.int64)
_A_SPREAD: Final = np.array([0.3, 0.5, 0.65, 0.78, 0.87, 0.94, 1.0, 1.08])
_EVEN: Final = np.arange(1, 5, dtype=np.int64)  # evenly spread counts: lo + gap * k / 5
_NEAR: Final = np.arange(-1, 3, dtype=np.int64)  # counts about the interpolated root
_GALLOP: Final = 4 ** np.arange(_K, dtype=np.int64)
# each round shrinks a bracket five-fold or reaches 4^7 times further up: far fewer are needed
_MAX_ROUNDS: Final = 64
_SQRT_2PI: Final = math.sqrt(2.0 * math.pi)


def required_agents(
    arrivals_per_hour: ArrayLike,
    aht_s: ArrayLike,
    *,
    service_level: ArrayLike | None = 0.8,
    threshold_s: ArrayLike = 20.0,
    max_asa_s: ArrayLike | None = None,
    max_occupancy: ArrayLike | None = None,
    patience_s: ArrayLike | None = None,
    max_abandon: ArrayLike | None = None,
) -> IntArray:
    """Fewest agents per interval meeting every given target; the result has the broadcast shape.

    Erlang C without `patience_s`, Erlang A (exponential patience of that mean) with it. Targets:
    `service_level`: share of all arrivals answered within `threshold_s`, at least (None: no such
    target); `max_asa_s`: mean wait of answered calls; `max_occupancy`: busy share of the
    agents; `max_abandon`: share of arrivals that hang up (Erlang A only). Every argument
    broadcasts against the others. An interval without arrivals needs 0 agents.
    """
    lam = checked(arrivals_per_hour, "arrivals_per_hour")
    aht = checked(aht_s, "aht_s", low_open=True)
    tt = checked(threshold_s, "threshold_s")
    sl_t = _target(service_level, "service_level", high=1.0, high_open=True)
    asa_t = _target(max_asa_s, "max_asa_s", high=math.inf, high_open=True)
    occ_t = _target(max_occupancy, "max_occupancy", high=1.0, high_open=False)
    ab_t = _target(max_abandon, "max_abandon", high=1.0, high_open=True)
    pat = None if patience_s is None else checked(patience_s, "patience_s", low_open=True)
    if ab_t is not None and pat is None:
        raise InvalidInput("max_abandon", "an abandonment target needs patience_s (Erlang A)")
    if sl_t is None and asa_t is None and occ_t is None and ab_t is None:
        raise InvalidInput("service_level", "give at least one target")
    given = [v for v in (lam, aht, tt, sl_t, asa_t, occ_t, ab_t, pat) if v is not None]
    shape = np.broadcast_shapes(*(v.shape for v in given))

    if pat is None and shape == ():
        one = _one_erlang_c(
            float(lam) * float(aht) / SECONDS_PER_HOUR,
            float(tt) / float(aht),
            float(aht),
            _float(sl_t),
            _float(asa_t),
            _float(occ_t),
        )
        return np.array(one, dtype=np.int64)

    def flat(v: FloatArray) -> FloatArray:
        return np.broadcast_to(v, shape).ravel()

    lam_f = flat(lam)
    out = np.zeros(lam_f.size, dtype=np.int64)
    busy = np.flatnonzero(lam_f > 0.0)
    if not busy.size:
        return out.reshape(shape)

    def sub(v: FloatArray | None) -> FloatArray | None:
        return None if v is None else flat(v)[busy]

    aht_b = flat(aht)[busy]
    a = lam_f[busy] * aht_b / SECONDS_PER_HOUR
    tau = flat(tt)[busy] / aht_b
    sl_b, asa_b, occ_b = sub(sl_t), sub(asa_t), sub(occ_t)
    c_guess = _erlang_c_guess(a, tau, aht_b, sl_b, asa_b)
    # Erlang C needs c > a; a/c <= occupancy needs c >= a/occupancy, so two below that fails
    c_floor = np.floor(a).astype(np.int64)
    if pat is None:
        if occ_b is not None:
            c_floor = np.maximum(c_floor, np.ceil(a / occ_b).astype(np.int64) - 2)
        test = _erlang_c_slack(a, tau, aht_b, sl_b, asa_b, occ_b)
        out[busy] = _search(test, c_guess[:, None] + _C_WINDOW, c_floor)
    else:
        pat_b = flat(pat)[busy]
        scale = c_guess
        if sl_b is not None:
            sl_only = _erlang_c_slack(a, tau, aht_b, sl_b, None, None)
            sl_guess = _erlang_c_guess(a, tau, aht_b, sl_b, None)
            scale = _search(sl_only, sl_guess[:, None] + _C_WINDOW, c_floor)
        test = _erlang_a_slack(a, tau, aht_b / pat_b, pat_b, sl_b, asa_b, occ_b, sub(ab_t))
        first = np.rint(scale[:, None] * _A_SPREAD).astype(np.int64)
        out[busy] = _search(test, first, np.zeros(busy.size, dtype=np.int64))
    return out.reshape(shape)


def _target(
    value: ArrayLike | None, field: str, *, high: float, high_open: bool
) -> FloatArray | None:
    if value is None:
        return None
    return checked(value, field, low=0.0, low_open=True, high=high, high_open=high_open)


def _float(v: FloatArray | None) -> float | None:
    return None if v is None else float(v)


# --- the slacks: >= 0 exactly when a target is met ---------------------------------------------


def _erlang_c_slack(
    a: FloatArray,
    tau: FloatArray,
    aht: FloatArray,
    sl_t: FloatArray | None,
    asa_t: FloatArray | None,
    occ_t: FloatArray | None,
) -> Slack:
    def slack(c: FloatArray, rows: IntArray) -> FloatArray:
        ar = a[rows]
        _, sl, asa = erlang_c_core(c, ar, tau[rows])
        # no steady state without more agents than the load: below it the slack is < -1
        out = np.where(c > ar, np.inf, (c - ar) / c - 1.0)
        if sl_t is not None:
            out = np.minimum(out, sl - sl_t[rows])
        if asa_t is not None:
            out = np.minimum(out, _asa_slack(asa * aht[rows], asa_t[rows]))
        if occ_t is not None:
            out = np.minimum(out, occ_t[rows] - ar / c)
        return np.asarray(out, dtype=np.float64)

    return slack


def _erlang_a_slack(
    a: FloatArray,
    tau: FloatArray,
    r: FloatArray,
    patience: FloatArray,
    sl_t: FloatArray | None,
    asa_t: FloatArray | None,
    occ_t: FloatArray | None,
    ab_t: FloatArray | None,
) -> Slack:
    def slack(c: FloatArray, rows: IntArray) -> FloatArray:
        core = erlang_a_core(c, a[rows], r[rows], tau[rows])
        out = np.full(c.shape, np.inf)
        if sl_t is not None:
            out = np.minimum(out, core.service_level - sl_t[rows])
        if ab_t is not None:
            out = np.minimum(out, ab_t[rows] - core.p_abandon)
        if occ_t is not None:
            out = np.minimum(out, occ_t[rows] - core.occupancy)
        if asa_t is not None:
            out = np.minimum(out, _asa_slack(core.asa() * patience[rows], asa_t[rows]))
        return out

    return slack


def _asa_slack(asa_s: FloatArray, target: FloatArray) -> FloatArray:
    """(target - ASA)/(target + ASA): the sign of target - ASA, finite also for ASA = inf."""
    finite = np.isfinite(asa_s)
    safe = np.where(finite, asa_s, 0.0)
    return np.where(finite, (target - safe) / (target + safe), -1.0)


# --- the search --------------------------------------------------------------------------------


def _search(slack: Slack, first: IntArray, floor: IntArray) -> IntArray:
    """Per row, the smallest c > floor[row] whose slack is >= 0, for a slack rising with c;
    `first` holds each row's first-round counts."""
    n = floor.size
    lo = floor.copy()  # the largest count known to fail (the floor fails by assumption)
    hi = np.full(n, -1, dtype=np.int64)  # the smallest count known to pass; -1: none yet
    s_lo = np.full(n, np.nan)
    s_hi = np.full(n, np.nan)
    active = np.arange(n, dtype=np.int64)
    cand = np.maximum(first, floor[:, None] + 1)
    never = np.iinfo(np.int64).max
    for _ in range(_MAX_ROUNDS):
        m = active.size
        vals = slack(cand.ravel().astype(np.float64), np.repeat(active, cand.shape[1]))
        vals = vals.reshape(cand.shape)
        ok = vals >= 0.0
        at = np.arange(m)
        # the smallest passing count of the round
        passing = np.where(ok, cand, never)
        j = passing.argmin(axis=1)
        new_hi = passing[at, j]
        better = ok.any(axis=1) & ((hi[active] < 0) | (new_hi < hi[active]))
        rows = active[better]
        hi[rows], s_hi[rows] = new_hi[better], vals[at, j][better]
        # the largest failing count below it (rounding may make a hair-thin slack flicker; the
        # bracket only ever narrows, so that cannot loop)
        top = np.where(hi[active] < 0, never, hi[active])
        failing = np.where(~ok & (cand < top[:, None]), cand, -1)
        j = failing.argmax(axis=1)
        new_lo = failing[at, j]
        better = new_lo > lo[active]
        rows = active[better]
        lo[rows], s_lo[rows] = new_lo[better], vals[at, j][better]
        active = active[(hi[active] < 0) | (hi[active] - lo[active] > 1)]
        if not active.size:
            return hi
        cand = _next_counts(lo[active], hi[active], s_lo[active], s_hi[active])
    raise ArithmeticError("staffing search did not converge (non-finite measures?)")


def _next_counts(lo: IntArray, hi: IntArray, s_lo: FloatArray, s_hi: FloatArray) -> IntArray:
    """The next round's eight counts per open row, all inside (lo, hi) when hi is known."""
    up = hi < 0
    gap = np.where(up, 0, hi - lo)
    # linear interpolation of the slack's root where both ends were evaluated, else the middle
    with np.errstate(invalid="ignore", divide="ignore"):
        share = -s_lo / (s_hi - s_lo)
    share = np.where(np.isfinite(share) & (share > 0.0) & (share < 1.0), share, 0.5)
    root = lo + np.floor(gap * share).astype(np.int64)
    cand = np.concatenate([root[:, None] + _NEAR, lo[:, None] + gap[:, None] * _EVEN // 5], axis=1)
    # a narrow bracket: every count in it
    narrow = gap <= _K + 1
    cand = np.where(narrow[:, None], lo[:, None] + 1 + np.arange(_K), cand)
    cand = np.clip(cand, lo[:, None] + 1, np.maximum(hi, lo + 1)[:, None] - 1 + up[:, None])
    # no passing count yet: steps growing four-fold from lo, the first about sqrt(lo)/2 (the
    # scale on which staffing answers move), the last 16384 times that
    step = np.maximum(1, np.sqrt(lo).astype(np.int64) // 2)
    return np.where(up[:, None], lo[:, None] + step[:, None] * _GALLOP, cand)


# --- one interval under Erlang C, in plain floats ----------------------------------------------


def _one_erlang_c(
    a: float,
    tau: float,
    aht: float,
    sl_t: float | None,
    asa_t: float | None,
    occ_t: float | None,
) -> int:
    """The Erlang C answer for one interval: guess, gallop, bisect, all in plain floats."""
    if a <= 0.0:
        return 0
    floor = math.floor(a)
    if occ_t is not None:
        floor = max(floor, math.ceil(a / occ_t) - 2)
    root = math.sqrt(a)
    c = floor + 1
    if sl_t is not None:
        c = max(c, math.ceil(a + _hw_beta_sl(root * tau, -math.log1p(-sl_t)) * root))
    if asa_t is not None:
        c = max(c, math.ceil(a + _hw_beta_asa(math.log(root * asa_t / aht)) * root))

    def met(n: int) -> bool:
        _, sl, asa = erlang_c_float(float(n), a, tau)
        return (
            n > a
            and (sl_t is None or sl >= sl_t)
            and (asa_t is None or asa * aht <= asa_t)
            and (occ_t is None or a / n <= occ_t)
        )

    step = 1
    if met(c):  # gallop down to a failing count, or to the floor
        lo, hi = floor, c
        while hi - step > floor:
            if not met(hi - step):
                lo = hi - step
                break
            hi -= step
            step *= 2
    else:  # gallop up to a passing count
        lo = c
        while not met(lo + step):
            lo += step
            step *= 2
        hi = lo + step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if met(mid) else (mid, hi)
    return hi


# --- the square-root staffing guess ------------------------------------------------------------


def _erlang_c_guess(
    a: FloatArray,
    tau: FloatArray,
    aht: FloatArray,
    sl_t: FloatArray | None,
    asa_t: FloatArray | None,
) -> IntArray:
    """ceil(a + beta sqrt(a)) with the Halfin-Whitt beta meeting the service-level and ASA
    targets, at least floor(a) + 1 (the count where the search starts without either)."""
    root = np.sqrt(a)
    beta = np.zeros_like(a)
    if sl_t is not None:
        beta = _hw_beta_sl_array(root * tau, -np.log1p(-sl_t))
    if asa_t is not None:
        beta = np.maximum(beta, _hw_beta_asa_array(np.log(root * asa_t / aht)))
    guess = np.maximum(np.ceil(a + beta * root), np.floor(a) + 1)
    return np.asarray(guess, dtype=np.int64)


# Halfin-Whitt: C ~ 1/(1 + beta r(beta)) with r = Phi/phi, r' = 1 + beta r, c = a + beta sqrt(a).
# Service level: F(beta) = log(1 + beta r) + beta k - L = 0 (k = sqrt(a) T/AHT, L = -log(miss)).
# ASA: C/(beta sqrt(a)) * AHT = target, i.e. G(l) = l + log(1 + beta r) + log(k') = 0 in
# l = log(beta) (k' = sqrt(a) target/AHT). F is convex in beta, G in l, and both rise: Newton
# overshoots once and then comes back monotonically; eight steps make a guess the search
# corrects anyway. d/dbeta log(1 + beta r) = beta + r/(1 + beta r). Two copies of each: plain
# floats for one interval, numpy for many.
_NEWTON_STEPS: Final = 8
_BETA_MAX: Final = 12.0
_LOG_BETA_MIN: Final = math.log(1e-4)


def _hw_terms(beta: float) -> tuple[float, float]:
    """log(1 + beta r(beta)) and its derivative in beta."""
    r = 0.5 * math.erfc(-beta / math.sqrt(2.0)) * _SQRT_2PI * math.exp(0.5 * beta * beta)
    return math.log1p(beta * r), beta + r / (1.0 + beta * r)


def _hw_beta_sl(k: float, miss: float) -> float:
    beta = 0.0
    for _ in range(_NEWTON_STEPS):
        f, df = _hw_terms(beta)
        beta = min(max(beta - (f + beta * k - miss) / (df + k), 0.0), _BETA_MAX)
    return beta


def _hw_beta_asa(log_k: float) -> float:
    lb = 0.0
    for _ in range(_NEWTON_STEPS):
        beta = math.exp(lb)
        f, df = _hw_terms(beta)
        lb = min(max(lb - (lb + f + log_k) / (1.0 + beta * df), _LOG_BETA_MIN), math.log(_BETA_MAX))
    return math.exp(lb)


def _hw_terms_array(beta: FloatArray) -> tuple[FloatArray, FloatArray]:
    r = special.ndtr(beta) * _SQRT_2PI * np.exp(0.5 * beta * beta)
    return np.log1p(beta * r), beta + r / (1.0 + beta * r)


def _hw_beta_sl_array(k: FloatArray, miss: FloatArray) -> FloatArray:
    beta = np.zeros_like(k)
    for _ in range(_NEWTON_STEPS):
        f, df = _hw_terms_array(beta)
        beta = np.clip(beta - (f + beta * k - miss) / (df + k), 0.0, _BETA_MAX)
    return np.asarray(beta, dtype=np.float64)


def _hw_beta_asa_array(log_k: FloatArray) -> FloatArray:
    lb = np.zeros_like(log_k)
    for _ in range(_NEWTON_STEPS):
        beta = np.exp(lb)
        f, df = _hw_terms_array(beta)
        lb = np.clip(lb - (lb + f + log_k) / (1.0 + beta * df), _LOG_BETA_MIN, math.log(_BETA_MAX))
    return np.asarray(np.exp(lb), dtype=np.float64)
