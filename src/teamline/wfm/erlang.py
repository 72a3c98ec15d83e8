"""Queueing measures of one staffing interval: Erlang B, Erlang C (M/M/c) and Erlang A (M/M/c+M).

This module owns the steady-state formulas; `teamline.wfm.staffing` searches them for the fewest
agents that meet targets. Everything is vectorised: every argument broadcasts against the others,
so one call answers a whole day of intervals (or a whole range of agent counts).

Conventions (the same in every function of `teamline.wfm`):

- arrivals are a rate in calls per hour (`arrivals_per_hour`), as forecasts give them;
- times are in seconds: mean handle time `aht_s` (talk + hold + wrap-up), answer threshold
  `threshold_s` (the T of "80 % within 20 s"), mean patience `patience_s` (Erlang A);
- the offered load is a = arrivals_per_hour * aht_s / 3600 Erlangs, and c >= 1 agents.

Formulas (mu = 1/AHT, lambda = arrivals per second, theta = 1/patience, rho = a/c):

- Erlang B: B(c, a) = (a^c/c!) / sum_{k<=c} a^k/k! = pois(c; a) / Q(c+1, a), where
  Q(c+1, a) is the regularized upper incomplete gamma (the Poisson cdf). No factorials: the
  Poisson pmf is taken in log space in Loader's saddle-point form (C. Loader, "Fast and accurate
  computation of binomial probabilities", 2000), log pois(c; a) = -bd0(c, a) - stirlerr(c) -
  log(2 pi c)/2, which keeps full relative precision at 100,000 agents where
  c log a - a - lgamma(c+1) loses six digits. Q comes from scipy's gammaincc for shapes below
  1000; above, and where it underflows, from the integrals
    Q(s, z) = s pois(s; z) int_0^inf e^(-zt) (1+t)^(s-1) dt   (z >= s - 1),
    P(s, z) = s pois(s; z) int_0^1 e^(zt) (1-t)^(s-1) dt      (z <= s - 1),
  by Gauss-Legendre: both integrands are log-concave and fall from their top at t = 0. (scipy's
  gammainc/gammaincc stop their series after 2000 terms and, for shapes past ~5e4 just outside
  Temme's band |z - s| < 4.5 sqrt(s), return values that are off by percents.)
- Erlang C: C(c, a) = 1 / (rho + (1 - rho)/B) for a < c (1 otherwise);
  P(W > t) = C exp(-(c - a) mu t); ASA = C / (c mu - lambda).
- Erlang A, the birth-death chain with birth rate lambda and death rate min(n, c) mu +
  max(n - c, 0) theta (Garnett, Mandelbaum & Reiman, "Designing a call center with impatient
  customers", MSOM 2002; Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance
  measures", 2004). With x = lambda/theta, y = c mu/theta, P the regularized lower incomplete
  gamma and g(y, x) = x^y e^-x / Gamma(y+1):
    R = sum_{k>=1} prod_{i<=k} lambda/(c mu + i theta) = P(y+1, x) / g(y, x),
    pi_c = 1/(1/B + R),  P(wait) = pi_c (1 + R),  P(answered | waited) = (c/a) R/(1 + R).
  An arrival that finds k callers queued is answered iff its offered wait V (a sum of
  exponentials with rates c mu + m theta, m = 0..k) beats its own patience; summing over k gives
  P(answered, 0 < W <= t) = pi_c (c/a) [P(y+1, x) - P(y+1, x e^(-theta t))] / g(y, x).
  Service level is the share of ALL arrivals answered within T (abandoning, even before T, is a
  miss). Given that an answered call waited, s = theta W has density proportional to
  exp(-(y+1) s - x e^-s) on s > 0; its mean (for ASA, the mean wait of answered calls) is taken
  by 64-point Gauss-Legendre on the interval that holds all but e^-42 of the mass.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from numpy.typing import ArrayLike
from scipy import special

from teamline.domain.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SECONDS_PER_HOUR: Final = 3600.0

# below this a regularized incomplete gamma from scipy is replaced by its integral: gammainc and
# gammaincc keep their relative precision down to about here, and beneath it they underflow
_TINY: Final = 1e-280
_LOG_2PI: Final = math.log(2.0 * math.pi)
# every quadrature stops where its log-concave integrand has fallen by e^-42 from its top: the
# rest of the mass is far under double precision
_TAIL: Final = 42.0
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)


@dataclass(frozen=True, slots=True)
class QueueMeasures:
    """Steady-state measures of one queue per interval (arrays of the broadcast input shape).

    `asa_s` is the mean wait of answered calls; `mean_wait_s` that of all arrivals, a caller who
    abandons counted until it hangs up (the two agree in Erlang C, where nobody abandons).
    `service_level` is the share of all arrivals answered within the threshold. Erlang C with no
    more agents than the load has no steady state: there P(wait) = 1, service level 0, waits
    infinite and occupancy 1.
    """

    load_erlangs: FloatArray
    p_wait: FloatArray
    service_level: FloatArray
    asa_s: FloatArray
    mean_wait_s: FloatArray
    p_abandon: FloatArray
    occupancy: FloatArray


# --- input checks ------------------------------------------------------------------------------


def checked(
    value: ArrayLike,
    field: str,
    *,
    low: float = 0.0,
    low_open: bool = False,
    high: float = math.inf,
    high_open: bool = False,
) -> FloatArray:
    """`value` as a float array, every element finite and inside the stated interval.

    Raises InvalidInput naming `field` otherwise. Scalars are checked in Python: a staffing call
    on one interval should not pay numpy's per-call overhead four times over.
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(field, "must be a number or an array of numbers") from exc
    if arr.ndim == 0:
        v = float(arr)
        ok = math.isfinite(v) and (v > low if low_open else v >= low)
        ok = ok and (v < high if high_open else v <= high)
        if ok:
            return arr
    else:
        with np.errstate(invalid="ignore"):
            good = (arr > low) if low_open else (arr >= low)
            good &= (arr < high) if high_open else (arr <= high)
            good &= np.isfinite(arr)
        if arr.size == 0 or bool(good.all()):
            return arr
    left = "(" if low_open else "["
    right = ")" if high_open or high == math.inf else "]"
    raise InvalidInput(field, f"every value must be finite and in {left}{low:g}, {high:g}{right}")


def checked_agents(value: ArrayLike, field: str = "agents") -> FloatArray:
    """Agent counts: whole numbers >= 1 (as floats, which the formulas take)."""
    arr = checked(value, field, low=1.0)
    if arr.ndim == 0:
        if float(arr).is_integer():
            return arr
    elif bool(np.all(arr == np.floor(arr))):
        return arr
    raise InvalidInput(field, "agents must be whole numbers")


def offered_load(arrivals_per_hour: ArrayLike, aht_s: ArrayLike) -> FloatArray:
    """Offered load in Erlangs: arrivals per hour times handle time in hours."""
    lam = checked(arrivals_per_hour, "arrivals_per_hour")
    aht = checked(aht_s, "aht_s", low_open=True)
    return np.asarray(lam * aht / SECONDS_PER_HOUR, dtype=np.float64)


# --- special functions in log space ------------------------------------------------------------


def _stirlerr(n: FloatArray) -> FloatArray:
    """log Gamma(n+1) - [(n + 1/2) log n - n + log(2 pi)/2], the error of Stirling's formula."""
    nn = n * n
    # the asymptotic series: its next term is below 1e-16 from n = 15 on
    inner = 1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / (1188.0 * nn)) / nn
    series = (1.0 / 12.0 - (1.0 / 360.0 - inner / nn) / nn) / n
    # below that the terms are small, so the direct difference loses nothing
    direct = special.gammaln(n + 1.0) - (n + 0.5) * np.log(n) + n - 0.5 * _LOG_2PI
    return np.where(n > 15.0, series, direct)


def _bd0(s: FloatArray, z: FloatArray) -> FloatArray:
    """s log(s/z) + z - s >= 0 (Loader's deviance term), accurate also when s is close to z.

    With v = (s-z)/(s+z): s log(s/z) = 2 s atanh(v) and s - z = 2 s v - v (s - z), so the
    deviance is 2 s (atanh(v) - v) + v (s - z), whose rounding error is about |s - z| * 1e-16
    instead of s log(s) * 1e-16 (1e-10 at 100,000 agents) for the direct form.
    """
    d = s - z
    v = d / (s + z)
    # v is clipped where the other form is taken anyway: atanh(+-1) would warn
    vn = np.clip(v, -0.5, 0.5)
    near = 2.0 * s * (np.arctanh(vn) - vn) + vn * d
    # z underflowing beside s (a load of 1e-300 Erlangs, or x e^(-theta T) for a threshold of
    # many patiences) makes s/z overflow: log(inf) = inf is then the exact limit, pois = 0
    with np.errstate(over="ignore", divide="ignore"):
        far = s * np.log(s / z) - d
    return np.where(np.abs(v) < 0.5, near, far)


def log_pois(s: FloatArray, z: FloatArray) -> FloatArray:
    """log(z^s e^-z / Gamma(s+1)) for s, z > 0 (the Poisson pmf, for real s too)."""
    return -_bd0(s, z) - _stirlerr(s) - 0.5 * (_LOG_2PI + np.log(s))


def _one_sided(log_f: Callable[[FloatArray], FloatArray], hi: FloatArray) -> FloatArray:
    """int_0^hi f(t) dt per row by 64-point Gauss-Legendre, for a log-concave f that falls
    from its top at t = 0 (every integral below is of this kind); `log_f` takes rows x nodes."""
    half = 0.5 * hi[:, None]
    t = half * (_GL_NODES + 1.0)
    return np.asarray((half * _GL_WEIGHTS * np.exp(log_f(t))).sum(axis=1), dtype=np.float64)


def _log_p_below(s: FloatArray, z: FloatArray) -> FloatArray:
    """log P(s, z) for z <= s - 1 (the lower tail), s >= 1.

    P(s, z) = pois(s; z) M with M = sum_k prod_{i=1..k} z/(s+i) = s int_0^1 (1-t)^(s-1) e^(zt) dt.
    The log-integrand falls from t = 0 at least like (s-1-z) t and like (s-1) t^2/2, which fixes
    the end of the integral; for z < 1 (only met with tiny shapes) the series is summed instead.
    """
    out = log_pois(s, z)
    tiny = z < 1.0
    if tiny.any():
        st, zt = s[tiny], z[tiny]
        term, acc = np.ones_like(zt), np.ones_like(zt)
        for i in range(1, 40):  # z/(s+i) < 1/(1+i): 40 terms are below 1e-47
            term = term * zt / (st + i)
            acc = acc + term
        out[tiny] += np.log(acc)
    rest = ~tiny
    if rest.any():
        sr, zr = s[rest], z[rest]
        s1 = sr - 1.0
        hi = np.minimum(_TAIL / np.maximum(s1 - zr, 1e-300), np.sqrt(2.0 * _TAIL / s1))
        hi = np.minimum(hi, 1.0)
        col_s1, col_z = s1[:, None], zr[:, None]
        integral = _one_sided(lambda t: col_s1 * np.log1p(-t) + col_z * t, hi)
        out[rest] += np.log(sr * integral)
    return out


def _log_q_above(s: FloatArray, z: FloatArray) -> FloatArray:
    """log Q(s, z) for z >= s - 1 (the upper tail), s >= 1.

    Q(s, z) = s pois(s; z) int_0^inf e^(-zt) (1+t)^(s-1) dt. As log(1+t) <= t - t^2/(2(1+t)),
    the log-integrand falls from t = 0 at least like (z-s+1) t and like (s-1) t^2/(2(1+t)).
    """
    s1 = s - 1.0
    kappa = _TAIL / np.maximum(s1, 1e-300)
    hi = np.minimum(_TAIL / np.maximum(z - s1, 1e-300), kappa + np.sqrt(kappa * (kappa + 2.0)))
    col_s1, col_z = s1[:, None], z[:, None]
    integral = _one_sided(lambda t: col_s1 * np.log1p(t) - col_z * t, hi)
    return np.asarray(log_pois(s, z) + np.log(s * integral), dtype=np.float64)


def log_gamma_pq(s: FloatArray, z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(log P(s, z), log Q(s, z)), the regularized incomplete gammas, for s >= 1 and z > 0.

    scipy's gammainc/gammaincc are used for shapes below 1000 where they neither underflow nor
    fail: their series and continued fraction stop after 2000 terms, and from a shape of about
    5e4, just outside Temme's expansion (|z - s| > 4.5 sqrt(s)), they then return values off by
    percents. Larger shapes and underflowing tails go through the integrals above, each on the
    side where it is the smaller tail; the other side is 1 minus it.
    """
    log_p = np.empty_like(s)
    log_q = np.empty_like(s)
    small = s < 1000.0
    if small.any():
        ss, zs = s[small], z[small]
        p, q = special.gammainc(ss, zs), special.gammaincc(ss, zs)
        with np.errstate(divide="ignore"):
            lp, lq = np.log(p), np.log(q)
        low_p, low_q = p < _TINY, q < _TINY
        if low_p.any():
            lp[low_p] = _log_p_below(ss[low_p], zs[low_p])
        if low_q.any():
            lq[low_q] = _log_q_above(ss[low_q], zs[low_q])
        log_p[small], log_q[small] = lp, lq
    large = ~small
    if large.any():
        sl, zl = s[large], z[large]
        below = zl <= sl - 1.0
        lp, lq = np.empty_like(sl), np.empty_like(sl)
        if below.any():
            lp[below] = _log_p_below(sl[below], zl[below])
            lq[below] = np.log1p(-np.exp(lp[below]))
        above = ~below
        if above.any():
            lq[above] = _log_q_above(sl[above], zl[above])
            lp[above] = np.log1p(-np.exp(lq[above]))
        log_p[large], log_q[large] = lp, lq
    return log_p, log_q


def log_inv_erlang_b(c: FloatArray, a: FloatArray) -> FloatArray:
    """log(1/B(c, a)) = log Q(c+1, a) - log pois(c; a), for whole c >= 1 and a > 0."""
    return log_gamma_pq(c + 1.0, a)[1] - log_pois(c, a)


# --- the queues, in units of the handle time (mu = 1) ------------------------------------------


def erlang_c_core(
    c: FloatArray, a: FloatArray, tau: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(P(wait), service level, ASA in handle times) of M/M/c; tau = threshold / AHT, a > 0."""
    stable = c > a
    rho = np.minimum(a / c, 1.0)
    with np.errstate(divide="ignore"):
        # 1/C = rho + (1 - rho)/B, summed in logs so a huge 1/B gives C = 0, not a warning
        p_wait = np.exp(-np.logaddexp(np.log(rho), np.log1p(-rho) + log_inv_erlang_b(c, a)))
    p_wait = np.where(stable, p_wait, 1.0)
    gap = np.where(stable, c - a, 1.0)
    sl = np.where(stable, 1.0 - p_wait * np.exp(-gap * tau), 0.0)
    asa = np.where(stable, p_wait / gap, np.inf)
    return p_wait, sl, asa


def _log_pois_float(s: float, z: float) -> float:
    """log_pois for one pair of plain floats: the same formulas without numpy's call overhead."""
    d = s - z
    v = d / (s + z)
    bd0 = 2.0 * s * (math.atanh(v) - v) + v * d if abs(v) < 0.5 else s * math.log(s / z) - d
    if s > 15.0:
        nn = s * s
        inner = 1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / (1188.0 * nn)) / nn
        stirl = (1.0 / 12.0 - (1.0 / 360.0 - inner / nn) / nn) / s
    else:
        stirl = math.lgamma(s + 1.0) - (s + 0.5) * math.log(s) + s - 0.5 * _LOG_2PI
    return -bd0 - stirl - 0.5 * (_LOG_2PI + math.log(s))


def erlang_c_float(c: float, a: float, tau: float) -> tuple[float, float, float]:
    """`erlang_c_core` for one queue in plain floats (a > 0).

    A staffing answer for one interval evaluates a handful of agent counts; at numpy's ~1 us per
    call the array version costs about 100 us a count, this one a few. Q(c+1, a) comes from
    scipy's gammaincc where that is exact (shapes below 1000, or Temme's band
    |a - (c+1)| < 4.5 sqrt(c+1), taken as 4 for margin: every answer of the square-root rule with
    beta < 4), elsewhere as 1 - P by the integral of `_log_p_below` (c > a puts it below).
    """
    if c <= a:
        return 1.0, 0.0, math.inf
    s = c + 1.0
    if s < 1000.0 or abs(a - s) < 4.0 * math.sqrt(s):
        log_q = math.log(float(special.gammaincc(s, a)))
    else:
        hi = min(_TAIL / (c - a), math.sqrt(2.0 * _TAIL / c), 1.0)
        t = 0.5 * hi * (_GL_NODES + 1.0)
        integral = 0.5 * hi * float(np.dot(_GL_WEIGHTS, np.exp(c * np.log1p(-t) + a * t)))
        log_q = math.log1p(-math.exp(_log_pois_float(s, a) + math.log(s * integral)))
    l_b = log_q - _log_pois_float(c, a)
    rho = a / c
    u, w = math.log(rho), math.log1p(-rho) + l_b
    p_wait = math.exp(-(max(u, w) + math.log1p(math.exp(-abs(u - w)))))
    gap = c - a
    return p_wait, 1.0 - p_wait * math.exp(-gap * tau), p_wait / gap


@dataclass(frozen=True, slots=True)
class CoreA:
    """Erlang A probabilities of flat arrays of queues, before the waits are turned to seconds."""

    p_wait: FloatArray
    service_level: FloatArray
    p_abandon: FloatArray
    occupancy: FloatArray
    answered_waited: FloatArray  # P(answered after a wait)
    no_wait: FloatArray  # P(answered at once)
    x: FloatArray  # lambda/theta
    y: FloatArray  # c mu/theta

    def asa(self) -> FloatArray:
        """Mean wait of answered calls, in units of the mean patience (theta = 1)."""
        waited = offered_wait_mean(self.x, self.y + 1.0, _identity)
        return np.asarray(
            self.answered_waited * waited / (self.no_wait + self.answered_waited), dtype=np.float64
        )


def erlang_a_core(c: FloatArray, a: FloatArray, r: FloatArray, tau: FloatArray) -> CoreA:
    """M/M/c+M in handle times: r = AHT/patience (theta/mu), tau = threshold / AHT, a > 0."""
    x = a / r
    y = c / r
    l_b = log_inv_erlang_b(c, a)
    l_p1, l_q1 = log_gamma_pq(y + 1.0, x)
    l_r = l_p1 - log_pois(y, x)
    pi_c = np.exp(-np.logaddexp(l_b, l_r))
    pi_r = special.expit(l_r - l_b)  # pi_c R: the arrival waits and the queue was not empty
    # pi_c (1/B - 1) written so that it keeps its digits when it is tiny (heavy overload)
    no_wait = special.expit(l_b - l_r) * -np.expm1(-l_b)
    p_wait = pi_c + pi_r
    ratio = c / a
    answered_waited = pi_r * ratio
    # share of the answered-after-waiting that waited at most T: [P(y+1,x) - P(y+1,xu)]/P(y+1,x),
    # taken as a difference of the smaller tails so that it keeps its digits
    xu = x * np.exp(-r * tau)
    l_pu, l_qu = log_gamma_pq(y + 1.0, xu)
    upper = xu >= y + 1.0
    frac = -np.expm1(np.minimum(l_pu - l_p1, 0.0))
    if upper.any():
        lqu, lq1 = l_qu[upper], l_q1[upper]
        frac[upper] = np.exp(lqu - l_p1[upper]) * -np.expm1(np.minimum(lq1 - lqu, 0.0))
    sl = np.clip(no_wait + answered_waited * frac, 0.0, 1.0)
    # P(abandon | waited) = 1 - (c/a) R/(1+R) cancels when patience dwarfs the waits (y large);
    # there it is taken as E[1 - e^-(theta V)] over the offered wait V instead
    p_ab_waited = 1.0 - ratio * special.expit(l_r)
    fine = (p_ab_waited < 0.25) & (y > 8.0)
    if fine.any():
        p_ab_waited[fine] = offered_wait_mean(x[fine], y[fine], _one_minus_exp)
    p_abandon = np.clip(p_wait * p_ab_waited, 0.0, 1.0)
    # carried load / c = pi_c R + (a/c) P(no wait), free of the cancellation in 1 - P(abandon)
    occupancy = np.minimum(pi_r + no_wait / ratio, 1.0)
    return CoreA(p_wait, sl, p_abandon, occupancy, answered_waited, no_wait, x, y)


def offered_wait_mean(
    x: FloatArray, q: FloatArray, g: Callable[[FloatArray], FloatArray]
) -> FloatArray:
    """E[g(s)] for s > 0 with density proportional to exp(-q s - x e^-s), by Gauss-Legendre.

    With q = y this is theta V, the offered wait of a caller who has to wait; with q = y + 1,
    theta W of a caller answered after a wait.
    """
    peak = np.maximum(0.0, np.log(x / q))
    kappa = _TAIL / q
    half = np.sqrt(2.0 * kappa)
    inner = x > q
    # about the peak the log-density falls at least like q (e^d - 1 - d) below it and like
    # q (d - 1 + e^-d) above it; with the peak at 0 it also falls like (q - x) s: these ends
    # leave out less than e^-42 of the mass
    edge = _TAIL / np.maximum(q - x, 1e-300)
    lo = np.where(inner, np.maximum(0.0, peak - half), 0.0)
    hi = np.where(inner, peak + half + kappa, np.minimum(half + kappa, edge))
    mid = 0.5 * (hi + lo)
    span = 0.5 * (hi - lo)
    s = mid[..., None] + span[..., None] * _GL_NODES
    top = -q * peak - x * np.exp(-peak)
    logw = -q[..., None] * s - x[..., None] * np.exp(-s) - top[..., None]
    w = np.exp(logw) * _GL_WEIGHTS
    return np.asarray((w * g(s)).sum(axis=-1) / w.sum(axis=-1), dtype=np.float64)


def _identity(s: FloatArray) -> FloatArray:
    return s


def _one_minus_exp(s: FloatArray) -> FloatArray:
    return -np.expm1(-s)


# --- public measures ---------------------------------------------------------------------------


def erlang_b(agents: ArrayLike, load_erlangs: ArrayLike) -> FloatArray:
    """Blocking probability of the loss system M/M/c/c (calls finding every agent busy are lost)."""
    c = checked_agents(agents)
    a = checked(load_erlangs, "load_erlangs")
    c, a = np.broadcast_arrays(c, a)
    busy = a > 0.0
    out = np.zeros(c.shape)
    if busy.any():
        out[busy] = np.exp(-log_inv_erlang_b(c[busy], a[busy]))
    return out


def _inputs(
    agents: ArrayLike, arrivals_per_hour: ArrayLike, aht_s: ArrayLike, threshold_s: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(agents, load in Erlangs, AHT, threshold), checked and broadcast."""
    c = checked_agents(agents)
    lam = checked(arrivals_per_hour, "arrivals_per_hour")
    aht = checked(aht_s, "aht_s", low_open=True)
    t = checked(threshold_s, "threshold_s")
    c, lam, aht, t = np.broadcast_arrays(c, lam, aht, t)
    return c, lam * aht / SECONDS_PER_HOUR, aht, t


def erlang_c(
    agents: ArrayLike, arrivals_per_hour: ArrayLike, aht_s: ArrayLike, threshold_s: ArrayLike = 20.0
) -> QueueMeasures:
    """Measures of M/M/c: Poisson arrivals, exponential handle times, nobody hangs up."""
    c, a, aht, t = _inputs(agents, arrivals_per_hour, aht_s, threshold_s)
    p_wait = np.zeros(c.shape)
    sl = np.ones(c.shape)
    asa = np.zeros(c.shape)
    busy = a > 0.0
    if busy.any():
        p, s, w = erlang_c_core(c[busy], a[busy], t[busy] / aht[busy])
        p_wait[busy], sl[busy], asa[busy] = p, s, w * aht[busy]
    occupancy = np.minimum(a / c, 1.0)
    return QueueMeasures(a, p_wait, sl, asa, asa.copy(), np.zeros(c.shape), occupancy)


def erlang_a(
    agents: ArrayLike,
    arrivals_per_hour: ArrayLike,
    aht_s: ArrayLike,
    patience_s: ArrayLike,
    threshold_s: ArrayLike = 20.0,
) -> QueueMeasures:
    """Measures of M/M/c+M: as Erlang C, and each waiting caller hangs up after an exponential
    patience of mean `patience_s` (abandoning callers are not retried)."""
    c, a, aht, t = _inputs(agents, arrivals_per_hour, aht_s, threshold_s)
    pat = np.broadcast_to(checked(patience_s, "patience_s", low_open=True), c.shape)
    shape = c.shape
    p_wait, sl, asa = np.zeros(shape), np.ones(shape), np.zeros(shape)
    mean_wait, p_ab, occ = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    busy = a > 0.0
    if busy.any():
        cb, ab, ahtb = c[busy], a[busy], aht[busy]
        r = ahtb / pat[busy]
        core = erlang_a_core(cb, ab, r, t[busy] / ahtb)
        p_wait[busy], sl[busy], p_ab[busy] = core.p_wait, core.service_level, core.p_abandon
        patience = pat[busy]
        asa[busy] = core.asa() * patience
        # Little's law on the queue and P(abandon) = theta E[queue] / lambda
        mean_wait[busy] = core.p_abandon * patience
        occ[busy] = core.occupancy
    return QueueMeasures(a, p_wait, sl, asa, mean_wait, p_ab, occ)
