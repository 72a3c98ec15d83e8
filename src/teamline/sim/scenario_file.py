"""The scenario file format of the digital twin: YAML in, a checked `Scenario` out (issue 4).

This module owns the format and its checks, nothing of running or reporting. Every unknown,
missing or malformed key raises `InvalidInput` naming it by its path (`teams[2].agents`,
`arrivals[0].per_hour`), so whoever wrote the file knows what to fix. Times are given the way a
supervisor thinks of them: the run's `start` as an aware ISO instant, durations in hours from
that start, shifts and arrival profiles also in each team's local clock (its `timezone`).

    name, description      what the run is
    start                  ISO 8601 with an offset, e.g. 2026-11-24T14:00:00Z
    hours                  arrivals stop after this many hours (open contacts run to the end)
    warmup_minutes         arrivals before this are run but not counted (default 0)
    interval_minutes       the report's interval (default 30)
    accept_delay_seconds   from offer to accept (default 2)
    returning_share        of arrivals, customers who called before (default 0)
    policies               any of dedicated, pooled, overflow (default [overflow])
    workflow               the base workflow, as in routing/workflows/*.yaml (default: Teamline's)
    forecast               auto (each team's mean rate while open, surges left out), none, or
                           {team: per hour}: what the engine's surge detection compares with
    channels               {voice: {handle_seconds, handle_cv, handle_kind, patience_seconds}}
    teams                  [{id, name, kind, region, timezone, hours, neighbours, agents, shifts,
                             service_level_seconds, service_level_target}]
                           hours: standard, always, or {mon: "08:00-21:00", ...}
                           shifts: [{agents, local: "08:00-16:30"}] (every occurrence in the
                           run, in the team's clock) or [{agents, from_hour, to_hour}]
    profiles               {name: 24 arrivals per hour, one per local hour 0-23}
    arrivals               [{team, channel, per_hour: 300 | [per interval...], interval_minutes}]
                           or [{team, channel, profile: name, scale}]
    surges                 [{factor, region | teams, from_hour, to_hour}]
    groups                 {name: [team ids]} ("all" is added); default: "surge" (the surged
                           teams) and "rest" when there are surges, and "all"
    x-...                  ignored: a home for YAML anchors (&name) used further down
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from teamline.domain.enums import Channel, TeamKind
from teamline.domain.errors import InvalidInput
from teamline.domain.hours import TeamHours, WeeklyHours, standard_team_hours
from teamline.domain.organisation import Team
from teamline.routing.workflow import Workflow, workflow_from_mapping
from teamline.sim.fields import Fields, named
from teamline.sim.model import (
    ArrivalProfile,
    ArrivalStream,
    ChannelSetup,
    HandleTime,
    Scenario,
    Shift,
    Surge,
    TeamSetup,
)
from teamline.sim.policies import POLICIES, policy_workflow
from teamline.sim.sampling import RateFunction

MAX_HOURS = 24 * 14


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A scenario ready to run: the base run (its workflow is the overflow policy's), the
    policies to compare, the report interval and the named groups of teams to report."""

    name: str
    description: str
    scenario: Scenario
    policies: tuple[str, ...]
    interval_seconds: float
    groups: Mapping[str, tuple[str, ...]]

    @property
    def hours(self) -> float:
        return (self.scenario.horizon_seconds or 0.0) / 3600

    def capped(self, hours: float | None) -> ScenarioSpec:
        """The same scenario with arrivals stopping after at most `hours` (a shorter run)."""
        if hours is None:
            return self
        if not 0 < hours <= MAX_HOURS:
            raise InvalidInput("hours", f"more than 0 and at most {MAX_HOURS}")
        if hours * 3600 <= self.scenario.warmup_seconds:
            warmup = self.scenario.warmup_seconds / 60
            raise InvalidInput("hours", f"longer than the scenario's {warmup:g} min warm-up")
        if hours >= self.hours:
            return self
        return replace(self, scenario=replace(self.scenario, horizon_seconds=hours * 3600))

    def workflows(self) -> dict[str, Workflow]:
        """Each policy's workflow, in the scenario's order."""
        return {p: policy_workflow(p, self.scenario.workflow) for p in self.policies}


def _start(raw: object) -> datetime:
    if isinstance(raw, str):
        try:
            raw = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise InvalidInput("start", f"{raw!r} is not an ISO 8601 instant") from exc
    if not isinstance(raw, datetime) or raw.tzinfo is None:
        raise InvalidInput("start", "an ISO 8601 instant with an offset, e.g. 2026-11-24T14:00Z")
    return raw


def _hours(raw: object, path: str) -> TeamHours:
    if raw == "standard":
        return standard_team_hours()
    if raw == "always":
        return TeamHours(WeeklyHours.always())
    if not isinstance(raw, Mapping):
        raise InvalidInput(path, "standard, always, or {mon: '08:00-21:00', ...}")
    if not all(isinstance(v, str | list) for v in raw.values()):
        raise InvalidInput(path, "each day is a window like '08:00-21:00' or a list of them")
    with named(path):
        return TeamHours(WeeklyHours.from_mapping(raw))


def _local_window(raw: object, path: str) -> tuple[time, time]:
    """'08:00-16:30' in local time; '22:00-06:00' runs overnight; '24:00' is midnight."""
    try:
        assert isinstance(raw, str)
        opening, closing = (part.strip() for part in raw.split("-"))
        closing = "00:00" if closing == "24:00" else closing
        return time.fromisoformat(opening), time.fromisoformat(closing)
    except (AssertionError, ValueError) as exc:
        raise InvalidInput(path, "a local window like '08:00-16:30'") from exc


def _local_shifts(
    window: tuple[time, time], team: Team, start: datetime, horizon: float
) -> list[Shift]:
    """Every occurrence of a daily local window that overlaps the run, in run seconds."""
    zone, (opening, closing) = team.zone, window
    first = start.astimezone(zone).date() - timedelta(days=1)
    out = []
    for d in range(math.ceil(horizon / 86_400) + 2):
        day = first + timedelta(days=d)
        lo = datetime.combine(day, opening, zone)
        hi = datetime.combine(day + timedelta(days=closing <= opening), closing, zone)
        a, b = (lo - start).total_seconds(), (hi - start).total_seconds()
        if b > 0 and a < horizon:
            out.append(Shift(max(a, 0.0), b))
    return out


def _team(raw: object, path: str, start: datetime, horizon: float) -> TeamSetup:
    m = Fields(raw, path)
    team_id = m.text("id")
    kind_raw = m.text("kind", "regional")
    try:
        kind = TeamKind(kind_raw)
    except ValueError as exc:
        kinds = ", ".join(k.value for k in TeamKind)
        raise InvalidInput(m.at("kind"), f"{kind_raw!r} is not a team kind ({kinds})") from exc
    region = m.text("region") if kind is TeamKind.REGIONAL else m.get("region", None)
    fields: dict[str, Any] = {
        "id": team_id,
        "name": m.text("name", team_id),
        "kind": kind,
        "region_id": region,
        "timezone": m.text("timezone"),
        "hours": _hours(m.get("hours", "standard"), m.at("hours")),
        "neighbours": tuple(str(n) for n in m.seq("neighbours", [])),
        "service_level_seconds": m.whole("service_level_seconds", 20),
        "service_level_target": m.num("service_level_target", 0.8),
    }
    with named(path):
        team = Team(**fields)
    shifts: list[Shift] = []
    for k, item in enumerate(m.seq("shifts", [])):
        s = Fields(item, f"{path}.shifts[{k}]")
        count = s.whole("agents")
        if "local" in s.data:
            window = _local_window(s.get("local"), s.at("local"))
            shifts += _local_shifts(window, team, start, horizon) * count
        else:
            a, b = s.num("from_hour", 0.0, low=0), s.num("to_hour", math.inf)
            with named(s.path):
                shifts += [Shift(a * 3600, b * 3600)] * count
        s.done()
    setup = TeamSetup(team, m.whole("agents", 0), tuple(shifts))
    m.done()
    return setup


def _profile(m: Fields, profiles: Mapping[str, list[float]], team: Team, start: datetime,
             horizon: float) -> ArrivalProfile:  # fmt: skip
    if "profile" in m.data:
        name = m.text("profile")
        if name not in profiles:
            raise InvalidInput(m.at("profile"), f"no profile {name!r} under profiles")
        scale = m.num("scale", 1.0, low=0)
        step = 900.0  # quarter hours: exact for every zone offset in use
        rates = []
        for k in range(max(1, math.ceil(horizon / step))):
            local = (start + timedelta(seconds=k * step)).astimezone(team.zone)
            rates.append(profiles[name][local.hour] * scale)
        return ArrivalProfile(tuple(rates), step)
    raw = m.get("per_hour")
    rates_raw = raw if isinstance(raw, list) else [raw]
    if not rates_raw or any(
        isinstance(r, bool) or not isinstance(r, int | float) for r in rates_raw
    ):
        raise InvalidInput(m.at("per_hour"), "arrivals per hour: a number or a list of numbers")
    step = m.num("interval_minutes", 60.0, low=1) * 60
    with named(m.path):
        return ArrivalProfile(tuple(float(r) for r in rates_raw), step)


def _channel(raw: object, path: str) -> Channel:
    try:
        return Channel(str(raw))
    except ValueError as exc:
        names = ", ".join(c.value for c in Channel)
        raise InvalidInput(path, f"{raw!r} is not a channel ({names})") from exc


def _channels(raw: object) -> dict[Channel, ChannelSetup]:
    m = Fields(raw, "channels")
    out = {}
    for key in list(m.data):
        path = m.at(str(key))
        channel = _channel(key, path)
        c = Fields(m.get(str(key)), path)
        cv = c.num("handle_cv", 1.0)
        kind = c.text("handle_kind", "exponential" if cv == 1.0 else "lognormal")
        if kind not in ("exponential", "lognormal"):
            raise InvalidInput(c.at("handle_kind"), "exponential or lognormal")
        mean = c.num("handle_seconds")
        patience = None if c.get("patience_seconds", None) is None else c.num("patience_seconds")
        with named(path):
            handle = HandleTime(mean, cv, kind)  # type: ignore[arg-type]
            out[channel] = ChannelSetup(handle, patience)
        c.done()
    return out


def _surge(raw: object, path: str) -> Surge:
    m = Fields(raw, path)
    a, b = m.num("from_hour", low=0), m.num("to_hour", low=0)
    if b <= a:
        raise InvalidInput(m.at("to_hour"), "a surge ends after it starts")
    teams = tuple(str(t) for t in m.seq("teams", []))
    region = m.get("region", None)
    factor = m.num("factor", low=0)
    with named(path):
        surge = Surge(factor, a * 3600, (b - a) * 3600, teams,
                      None if region is None else str(region))  # fmt: skip
    m.done()
    return surge


def parse_scenario(data: object, fallback_name: str, base: Workflow) -> ScenarioSpec:
    """Check a parsed YAML document and build the run it describes (`base`: the workflow when
    the file brings none)."""
    m = Fields(data, "scenario")
    start = _start(m.get("start"))
    horizon = m.num("hours", low=0) * 3600
    if not 0 < horizon <= MAX_HOURS * 3600:
        raise InvalidInput("hours", f"a run lasts more than 0 and at most {MAX_HOURS} hours")
    teams = [_team(t, f"teams[{k}]", start, horizon) for k, t in enumerate(m.seq("teams"))]
    by_id = {s.team.id: s.team for s in teams}
    profiles = {}
    for name, values in Fields(m.get("profiles", {}), "profiles").data.items():
        numbers = isinstance(values, list) and all(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in values
        )
        if not numbers or len(values) != 24:
            raise InvalidInput(f"profiles.{name}", "24 arrivals per hour, local hours 0 to 23")
        profiles[str(name)] = values
    m.seen.add("profiles")
    streams = []
    for k, item in enumerate(m.seq("arrivals")):
        a = Fields(item, f"arrivals[{k}]")
        team_id = a.text("team")
        if team_id not in by_id:
            raise InvalidInput(a.at("team"), f"no team {team_id!r} under teams")
        channel = _channel(a.text("channel", "voice"), a.at("channel"))
        profile = _profile(a, profiles, by_id[team_id], start, horizon)
        streams.append(ArrivalStream(team_id, profile, channel))
        a.done()
    surges = tuple(_surge(s, f"surges[{k}]") for k, s in enumerate(m.seq("surges", [])))
    workflow = base
    if "workflow" in m.data:
        try:
            with named("workflow"):
                workflow = workflow_from_mapping(m.get("workflow"))
        except (TypeError, ValueError) as exc:
            raise InvalidInput("workflow", f"malformed: {exc}") from exc
    policies = tuple(str(p) for p in m.seq("policies", ["overflow"]))
    for k, policy in enumerate(policies):
        if policy not in POLICIES:
            raise InvalidInput(f"policies[{k}]", f"{policy!r} is not one of {', '.join(POLICIES)}")
    fields: dict[str, Any] = {
        "teams": tuple(teams),
        "arrivals": tuple(streams),
        "channels": _channels(m.get("channels")),
        "workflow": workflow,
        "surges": surges,
        "accept_delay_seconds": m.num("accept_delay_seconds", 2.0, low=0),
        "horizon_seconds": horizon,
        "warmup_seconds": m.num("warmup_minutes", 0.0, low=0) * 60,
        "start": start,
        "forecast_per_hour": _forecast(m, tuple(streams), by_id, start, horizon),
        "returning_share": m.num("returning_share", 0.0, low=0),
    }
    try:
        scenario = Scenario(**fields)
    except InvalidInput as exc:  # the scenario's own checks name its fields as the file does
        raise InvalidInput(exc.field, exc.message) from exc
    groups = _groups(m, scenario)
    interval = m.num("interval_minutes", 30.0, low=1) * 60
    parsed = ScenarioSpec(
        m.text("name", fallback_name), _description(m), scenario,
        policies, interval, groups,
    )  # fmt: skip
    m.done()
    return parsed


def _description(m: Fields) -> str:
    text = m.get("description", "")
    if not isinstance(text, str):
        raise InvalidInput("description", "must be a text")
    return text.strip()


def _forecast(
    m: Fields, streams: tuple[ArrivalStream, ...], teams: Mapping[str, Team], start: datetime,
    horizon: float,
) -> dict[str, float] | None:  # fmt: skip
    """The flat per-hour forecast the engine's surge detection compares arrivals with. `auto`:
    each team's mean rate over the quarter hours of the run when it is open, surges left out
    (a mean over closed hours too would flag every ordinary peak as a surge)."""
    raw = m.get("forecast", "auto")
    if raw == "none":
        return None
    if raw == "auto":
        out: dict[str, float] = {}
        for team_id, team in teams.items():
            rates = [RateFunction.of(s.profile, team, ()) for s in streams if s.team_id == team_id]
            steps = [k * 900.0 for k in range(math.ceil(horizon / 900))]
            open_steps = [
                t for t in steps if team.hours.is_open(start + timedelta(seconds=t), team.zone)
            ]
            if rates and open_steps:
                per_second = sum(r.expected(t, t + 900) for r in rates for t in open_steps)
                out[team_id] = per_second / len(open_steps) * 4
        return out
    f = Fields(raw, "forecast")
    table = {str(k): f.num(str(k), low=0) for k in f.data}
    unknown = set(table) - set(teams)
    if unknown:
        raise InvalidInput("forecast", f"no teams {sorted(unknown)} under teams")
    return table


def _groups(m: Fields, scenario: Scenario) -> dict[str, tuple[str, ...]]:
    ids = tuple(s.team.id for s in scenario.teams)
    if "groups" in m.data:
        g = Fields(m.get("groups"), "groups")
        out = {str(k): tuple(str(t) for t in g.seq(str(k))) for k in g.data}
        for name, members in out.items():
            if not members or set(members) - set(ids):
                raise InvalidInput(f"groups.{name}", "a non-empty list of team ids under teams")
        return out if "all" in out else out | {"all": ids}
    surged = tuple(
        s.team.id for s in scenario.teams if any(x.applies_to(s.team) for x in scenario.surges)
    )
    if not surged:
        return {"all": ids}
    return {"surge": surged, "rest": tuple(t for t in ids if t not in surged), "all": ids}


__all__ = ["MAX_HOURS", "ScenarioSpec", "parse_scenario"]
