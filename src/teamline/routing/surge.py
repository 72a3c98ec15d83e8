"""Surge detection: a team's arrivals over a sliding window against its forecast (issue 3).

A storm floods one region: arrivals jump far above the forecast. When a team's arrivals over the
window exceed `factor` times the forecast for that window, the engine widens overflow at once
and says so; the surge ends when arrivals fall back under three quarters of that bound
(hysteresis, so a surge does not flicker on and off).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

END_RATIO = 0.75


@dataclass(slots=True)
class SurgeDetector:
    window_seconds: float
    factor: float
    forecast_per_hour: dict[str, float]
    _arrivals: dict[str, deque[float]] = field(default_factory=dict)
    surging: set[str] = field(default_factory=set)
    # no surge can end before the oldest arrival leaves: the engine skips `expire` till then
    next_check: float = float("inf")
    # the bound of each team with a forecast, computed once (read on every arrival)
    _bounds: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._bounds = {
            team_id: self.bound(team_id)
            for team_id, per_hour in self.forecast_per_hour.items()
            if not per_hour <= 0  # only a forecast of zero or less means none
        }

    def bound(self, team_id: str) -> float:
        return self.factor * self.forecast_per_hour.get(team_id, 0.0) * self.window_seconds / 3600

    def record(self, team_id: str, now: float) -> bool | None:
        """Count an arrival; True when a surge starts, False when one ends, else None."""
        bound = self._bounds.get(team_id)
        if bound is None:  # no forecast: no surge
            return None
        window = self._arrivals.get(team_id)
        if window is None:
            window = self._arrivals[team_id] = deque()
        window.append(now)
        while window and window[0] <= now - self.window_seconds:
            window.popleft()
        if team_id not in self.surging and len(window) > bound:
            self.surging.add(team_id)
            self.next_check = min(self.next_check, window[0] + self.window_seconds)
            return True
        if team_id in self.surging and len(window) < bound * END_RATIO:
            self.surging.discard(team_id)
            return False
        return None

    def arrivals(self, team_id: str) -> int:
        return len(self._arrivals.get(team_id, ()))

    def expire(self, now: float) -> list[str]:
        """Surges that ended because arrivals stopped (no arrival came to notice it)."""
        if now < self.next_check:
            return []
        ended = []
        for team_id in sorted(self.surging):
            window = self._arrivals[team_id]
            while window and window[0] <= now - self.window_seconds:
                window.popleft()
            if len(window) < self.bound(team_id) * END_RATIO:
                ended.append(team_id)
        self.surging.difference_update(ended)
        oldest = [self._arrivals[x][0] for x in self.surging if self._arrivals[x]]
        self.next_check = min(oldest) + self.window_seconds if oldest else float("inf")
        if self.surging and not oldest:
            self.next_check = now
        return ended
