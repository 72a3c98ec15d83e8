"""The account-care policies in one bundle: tier weights, discretion limits, the termination
fee schedule and retention offers, with DOMAIN.md's defaults or read from one YAML file:

    tiers:      {tenure_points_per_year: 0.5, thresholds: [2, 3.5, 5, 6.5], ...}
    discretion: {window_days: 30, limits: {frontline: {credit: [15, 0, 25, 50, 100, 200]}}}
    etf:        {name: ..., currency: USD, rules: [...]}
    retention:  {level_by_tier: [0, 0, 1, 2, 3, 4], offers: [...]}
    billing:    {suspension_max_days: 90, heavy_data_multiple: 3, ...}
    coverage:   {verify_window_minutes: 120, cluster_min_complaints: 3, cluster_window_hours: 24}
    unlocks:    {deadline_business_days: 2, rules: [{id: ..., kind: ..., effect: ...}, ...]}

Every section is optional; a bad value fails at load time naming its field (`etf.rules[0].base`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from teamline.domain.billing import BillingPolicy
from teamline.domain.coverage import CoveragePolicy
from teamline.domain.discretion import DiscretionPolicy
from teamline.domain.errors import InvalidInput
from teamline.domain.etf import FeeSchedule, carrier_example
from teamline.domain.policy_data import mapping_of, only_known
from teamline.domain.retention import RetentionPolicy
from teamline.domain.tiers import TierPolicy
from teamline.domain.unlock_rules import UnlockPolicy


@dataclass(frozen=True)
class CarePolicies:
    tiers: TierPolicy = field(default_factory=TierPolicy)
    discretion: DiscretionPolicy = field(default_factory=DiscretionPolicy)
    etf: FeeSchedule = field(default_factory=carrier_example)
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)
    billing: BillingPolicy = field(default_factory=BillingPolicy)  # issue 6 item 7
    coverage: CoveragePolicy = field(default_factory=CoveragePolicy)  # issue 6 item 5
    unlocks: UnlockPolicy = field(default_factory=UnlockPolicy)  # issue 6 item 6

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CarePolicies:
        sections = mapping_of(data, "policies")
        known = ["tiers", "discretion", "etf", "retention", "billing", "coverage", "unlocks"]
        only_known(sections, known, "")
        return cls(
            TierPolicy.from_mapping(mapping_of(sections.get("tiers", {}), "tiers")),
            DiscretionPolicy.from_mapping(mapping_of(sections.get("discretion", {}), "discretion")),
            FeeSchedule.from_mapping(mapping_of(sections["etf"], "etf"))
            if "etf" in sections
            else carrier_example(),
            RetentionPolicy.from_mapping(mapping_of(sections.get("retention", {}), "retention")),
            billing=BillingPolicy.from_mapping(mapping_of(sections.get("billing", {}), "billing")),
            coverage=CoveragePolicy.from_mapping(
                mapping_of(sections.get("coverage", {}), "coverage")
            ),
            unlocks=UnlockPolicy.from_mapping(mapping_of(sections.get("unlocks", {}), "unlocks")),
        )


def _read_yaml(path: Path, setting: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(setting, f"cannot read {path}: {exc}") from exc


def load_care_policies(path: Path) -> CarePolicies:
    return CarePolicies.from_mapping(_read_yaml(path, "care_policy_path"))


def load_fee_schedule(path: Path) -> FeeSchedule:
    """A fee schedule from YAML: a whole policies file (its `etf` section) or a schedule."""
    data = mapping_of(_read_yaml(path, "schedule"), "schedule")
    return FeeSchedule.from_mapping(mapping_of(data["etf"], "etf") if "etf" in data else data)
