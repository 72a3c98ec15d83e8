"""Forecasts from contact history: arrivals and handle times per team, channel and half hour of
the week, and the staff each half hour needs (issue 4, item 2; DOMAIN.md section 8).

This module owns the forecast model; the queue formulas and the staffing search are in
`teamline.wfm.erlang` and `teamline.wfm.staffing`, which it calls.

The model, per series (one team, one channel):

- Slots are the 336 half hours of the week in the TEAM's local time (zoneinfo), so a team's
  Monday 09:00 is its own whatever the server's or the caller's zone; slot 0 is Monday 00:00.
- History is cut into whole weeks going back from `until` (week 0 is the last seven days).
  Weeks before the team's first contact in the window are left out: a team that started three
  weeks ago is not forecast as if it had been idle for five.
- Arrivals = weekly volume x weekly shape, a multiplicative seasonal model without trend:
  the volume is the exponentially weighted mean of the weekly totals (newest week weight
  `level_alpha`, each older one (1 - alpha) times the next); the shape is each slot's share of
  the week, pooled over the weeks with a slower weight (`profile_alpha`) because one series has
  few contacts per slot and the shape of a week moves less than its volume.
- Handle time per slot is a credibility-weighted mean (Buhlmann): a slot's own mean counts as
  n / (n + k) against the series' mean over all slots (k = `aht_prior` samples), which itself
  counts as n / (n + k) against the channel's default. Where data is thin the answer falls back
  to the channel mean, smoothly rather than at a cut-off. Contacts without a handle time (never
  answered, or history that did not record it) count as arrivals only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from teamline.domain.enums import Channel
from teamline.domain.errors import InvalidInput
from teamline.domain.hours import WEEKDAYS, require_aware
from teamline.wfm.erlang import FloatArray, IntArray
from teamline.wfm.staffing import required_agents

BoolArray = npt.NDArray[np.bool_]

SLOT_MINUTES: Final = 30
SLOTS_PER_DAY: Final = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK: Final = 7 * SLOTS_PER_DAY  # 336
SLOT: Final = timedelta(minutes=SLOT_MINUTES)
WEEK: Final = timedelta(days=7)
_SLOTS_PER_HOUR: Final = 60.0 / SLOT_MINUTES
# offsets from UTC change on quarter hours at the finest (Nepal, Chatham): one lookup per bucket
_OFFSET_BUCKET_S: Final = 900


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One contact of the history: who took it, on which channel, when it arrived, and how long
    it kept an agent (None when unknown or never answered)."""

    team_id: str
    channel: Channel
    arrived_at: datetime
    handle_s: float | None = None


@dataclass(frozen=True, slots=True)
class ForecastSettings:
    weeks: int = 8
    level_alpha: float = 0.5
    profile_alpha: float = 0.2
    aht_prior: float = 10.0

    def __post_init__(self) -> None:
        if not 1 <= self.weeks <= 104:
            raise InvalidInput("weeks", "forecast from 1 to 104 weeks of history")
        for name in ("level_alpha", "profile_alpha"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise InvalidInput(name, "a smoothing weight is in (0, 1]")
        if not self.aht_prior >= 0.0:
            raise InvalidInput("aht_prior", "the prior weight is a count of samples, >= 0")


@dataclass(frozen=True)
class Forecast:
    """Per series (team, channel) and slot of the week: arrivals per hour and mean handle time.

    Arrays have shape (series, 336); `keys[i]` names row i, `weeks[i]` how many weeks of history
    it rests on. Series without a contact in the window are absent (no row).
    """

    keys: tuple[tuple[str, Channel], ...]
    arrivals_per_hour: FloatArray
    aht_s: FloatArray
    weeks: IntArray
    zones: Mapping[str, ZoneInfo]
    until: datetime

    def row(self, team_id: str, channel: Channel) -> int | None:
        try:
            return self.keys.index((team_id, channel))
        except ValueError:
            return None

    def channels_of(self, team_id: str) -> list[Channel]:
        return [channel for team, channel in self.keys if team == team_id]

    def combined(self, team_id: str, channels: Iterable[Channel]) -> tuple[FloatArray, FloatArray]:
        """(arrivals per hour, handle time) per slot of the channels together, for work that
        competes for the same agents (a call and a callback both take a voice seat). The
        handle time is weighted by arrivals; a slot without arrivals gets the plain mean."""
        rows = [r for ch in channels if (r := self.row(team_id, ch)) is not None]
        if not rows:
            return np.zeros(SLOTS_PER_WEEK), np.zeros(SLOTS_PER_WEEK)
        lam = self.arrivals_per_hour[rows]
        aht = self.aht_s[rows]
        total = lam.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted = (lam * aht).sum(axis=0) / total
        return total, np.where(total > 0.0, weighted, aht.mean(axis=0))


def week_slot(at: datetime, zone: ZoneInfo) -> int:
    """The half hour of the week (0 = Monday 00:00-00:30) that `at` falls in, in `zone`."""
    local = require_aware(at, "at").astimezone(zone)
    return local.weekday() * SLOTS_PER_DAY + local.hour * 2 + local.minute // SLOT_MINUTES


def slot_name(slot: int) -> str:
    """'mon 09:00' for slot 18: how people say a half hour of the week."""
    if not 0 <= slot < SLOTS_PER_WEEK:
        raise InvalidInput("slot", f"a slot of the week is 0 to {SLOTS_PER_WEEK - 1}")
    day, rest = divmod(slot, SLOTS_PER_DAY)
    minutes = rest * SLOT_MINUTES
    return f"{WEEKDAYS[day]} {minutes // 60:02d}:{minutes % 60:02d}"


def _week_slots(epoch_s: FloatArray, zone: ZoneInfo) -> IntArray:
    """`week_slot` of many instants (seconds since the epoch) at once: the zone's offset is
    looked up once per quarter hour that occurs, then applied as arrays."""
    buckets = np.floor(epoch_s / _OFFSET_BUCKET_S).astype(np.int64)
    unique, inverse = np.unique(buckets, return_inverse=True)
    offsets = np.empty(unique.size)
    for i, bucket in enumerate(unique.tolist()):
        instant = datetime.fromtimestamp(bucket * _OFFSET_BUCKET_S, zone)
        offset = instant.utcoffset()
        offsets[i] = 0.0 if offset is None else offset.total_seconds()
    local = epoch_s + offsets[inverse]
    # 1970-01-01 was a Thursday: shift by three days so that slot 0 is Monday 00:00
    minutes = np.floor((local + 3 * 86400) / 60.0).astype(np.int64)
    return np.asarray(minutes // SLOT_MINUTES % SLOTS_PER_WEEK, dtype=np.int64)


def forecast_arrivals(
    records: Iterable[ContactRecord],
    zones: Mapping[str, ZoneInfo],
    until: datetime,
    default_aht_s: Mapping[Channel, float],
    settings: ForecastSettings | None = None,
) -> Forecast:
    """The forecast of every (team, channel) in `records` from the weeks before `until`.

    `zones` gives each team's time zone; `default_aht_s` the handle time of a channel with no
    recorded handle times (the routing workflow's default, say). Records outside the window are
    ignored.
    """
    settings = settings or ForecastSettings()
    require_aware(until, "until")
    end = until.timestamp()
    start = end - settings.weeks * WEEK.total_seconds()
    index: dict[tuple[str, Channel], int] = {}
    rows: list[int] = []
    instants: list[float] = []
    handles: list[float] = []
    for record in records:
        at = require_aware(record.arrived_at, "arrived_at").timestamp()
        if not start <= at < end:
            continue
        if record.team_id not in zones:
            raise InvalidInput("zones", f"no time zone for team {record.team_id!r}")
        key = (record.team_id, record.channel)
        rows.append(index.setdefault(key, len(index)))
        instants.append(at)
        handle = record.handle_s
        ok = handle is not None and np.isfinite(handle) and handle > 0.0
        handles.append(float(handle) if ok and handle is not None else np.nan)
    keys = tuple(index)
    for _, channel in keys:
        if not default_aht_s.get(channel, 0.0) > 0.0:
            raise InvalidInput("default_aht_s", f"no positive default handle time for {channel}")
    n = len(keys)
    series = np.asarray(rows, dtype=np.int64)
    epoch = np.asarray(instants, dtype=np.float64)
    handle_s = np.asarray(handles, dtype=np.float64)
    # week k holds [end - (k+1) weeks, end - k weeks)
    week = np.ceil((end - epoch) / WEEK.total_seconds()).astype(np.int64) - 1
    week = np.clip(week, 0, settings.weeks - 1)
    slot = np.zeros(series.size, dtype=np.int64)
    for team in {team for team, _ in keys}:
        mine = np.isin(series, [i for i, (t, _) in enumerate(keys) if t == team])
        slot[mine] = _week_slots(epoch[mine], zones[team])

    counts = np.zeros((n, settings.weeks, SLOTS_PER_WEEK))
    np.add.at(counts, (series, week, slot), 1.0)
    # weeks observed: up to the oldest week holding a contact of the series' team
    oldest_of_team: dict[str, int] = {}
    for i, (team, _) in enumerate(keys):
        oldest = int(week[series == i].max())
        oldest_of_team[team] = max(oldest_of_team.get(team, 0), oldest)
    weeks_used = np.array([oldest_of_team[t] + 1 for t, _ in keys], dtype=np.int64)
    observed = np.arange(settings.weeks)[None, :] < weeks_used[:, None]

    arrivals = _seasonal(counts, observed, settings.level_alpha, settings.profile_alpha)
    default = np.array([default_aht_s[ch] for _, ch in keys], dtype=np.float64)
    aht = _handle_profile(series, slot, handle_s, n, default, settings.aht_prior)
    return Forecast(keys, arrivals * _SLOTS_PER_HOUR, aht, weeks_used, dict(zones), until)


def _seasonal(
    counts: FloatArray, observed: BoolArray, level_alpha: float, profile_alpha: float
) -> FloatArray:
    """Arrivals per slot, shape (series, slots): weighted weekly volume x pooled weekly shape."""
    age = np.arange(counts.shape[1], dtype=np.float64)
    totals = counts.sum(axis=2)  # (series, weeks)
    w_level = np.where(observed, (1.0 - level_alpha) ** age, 0.0)
    w_shape = np.where(observed, (1.0 - profile_alpha) ** age, 0.0)
    level = (w_level * totals).sum(axis=1) / w_level.sum(axis=1)
    pooled = np.einsum("sw,swk->sk", w_shape, counts)
    mass = pooled.sum(axis=1, keepdims=True)
    shape = np.divide(pooled, mass, out=np.zeros_like(pooled), where=mass > 0.0)
    return np.asarray(level[:, None] * shape, dtype=np.float64)


def _handle_profile(
    series: IntArray,
    slot: IntArray,
    handle_s: FloatArray,
    n: int,
    default: FloatArray,
    prior: float,
) -> FloatArray:
    """Handle time per series and slot: the slot's mean, shrunk toward the series' mean, shrunk
    toward the channel's default, each by n / (n + prior)."""
    known = ~np.isnan(handle_s)
    sums = np.zeros((n, SLOTS_PER_WEEK))
    seen = np.zeros((n, SLOTS_PER_WEEK))
    np.add.at(sums, (series[known], slot[known]), handle_s[known])
    np.add.at(seen, (series[known], slot[known]), 1.0)
    series_n = seen.sum(axis=1)
    series_mean = (sums.sum(axis=1) + prior * default) / np.maximum(series_n + prior, 1e-300)
    series_mean = np.where(series_n + prior > 0.0, series_mean, default)
    slot_mean = (sums + prior * series_mean[:, None]) / np.maximum(seen + prior, 1e-300)
    return np.asarray(
        np.where(seen + prior > 0.0, slot_mean, series_mean[:, None]), dtype=np.float64
    )


@dataclass(frozen=True, slots=True)
class StaffingTargets:
    """What each interval must achieve: `service_level` of all arrivals answered within
    `threshold_s`; optionally a mean patience (Erlang A instead of C), an occupancy ceiling and
    an ASA ceiling."""

    service_level: float = 0.8
    threshold_s: float = 20.0
    patience_s: float | None = None
    max_occupancy: float | None = None
    max_asa_s: float | None = None


def required_staff(
    forecast: Forecast, targets: StaffingTargets, rows: Sequence[int] | None = None
) -> IntArray:
    """Agents per series and slot meeting `targets` (shape (rows, 336)), all intervals in one
    vectorised staffing search; a slot without arrivals needs nobody."""
    picked = list(range(len(forecast.keys))) if rows is None else list(rows)
    if not picked:
        return np.zeros((0, SLOTS_PER_WEEK), dtype=np.int64)
    return required_agents(
        forecast.arrivals_per_hour[picked],
        forecast.aht_s[picked],
        service_level=targets.service_level,
        threshold_s=targets.threshold_s,
        max_asa_s=targets.max_asa_s,
        max_occupancy=targets.max_occupancy,
        patience_s=targets.patience_s,
    )
