"""The customer (the root record), the account, and home-team assignment.

DOMAIN.md sections 1 and 3: each customer is assigned automatically to a dedicated team of their
region; every contact joins the customer's timeline; a customer may opt out of the team model and
be served by the national pool instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from teamline.domain.enums import BillingMethod, EquipmentClass, Segment, TeamKind
from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.identities import Identity
from teamline.domain.money import Money
from teamline.domain.organisation import Team

SUPPORTED_LANGUAGES = ("en", "es", "it", "sv", "ru", "sr")


@dataclass(slots=True)
class Customer:
    id: str
    display_name: str
    region_id: str
    segment: Segment
    language: str = "en"
    home_team_id: str | None = None
    opted_out: bool = False
    tier: int = 0
    identities: list[Identity] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.display_name.strip():
            raise InvalidInput("display_name", "must not be empty")
        if self.language not in SUPPORTED_LANGUAGES:
            raise InvalidInput("language", f"{self.language!r} is not one of {SUPPORTED_LANGUAGES}")
        if not 0 <= self.tier <= 5:
            raise InvalidInput("tier", "a value tier is 0 to 5")

    def identity(self, kind: str) -> str | None:
        return next((i.value for i in self.identities if i.kind == kind), None)

    def move_to_region(self, region_id: str, home_team: Team) -> str | None:
        """The customer moved: their team becomes one of the new region's. Returns the old team.

        A regional team knows its region's local problems, so a customer who moves must not
        keep the team of the place they left (DOMAIN.md section 1).
        """
        if home_team.kind is not TeamKind.REGIONAL or home_team.region_id != region_id:
            raise InvalidInput("region_id", f"team {home_team.id} does not serve {region_id}")
        previous = self.home_team_id
        self.region_id = region_id
        self.home_team_id = home_team.id
        return previous


@dataclass(frozen=True, slots=True)
class Account:
    """What the customer buys; the contract terms feed the fee and tier rules."""

    number: str
    customer_id: str
    plan: str
    lines: int
    monthly_charge: Money
    billing_method: BillingMethod
    balance: Money
    contract_start: date | None = None
    contract_term_months: int = 0
    equipment: EquipmentClass = EquipmentClass.NONE
    device_price: Money = field(default_factory=lambda: Money(Decimal(0)))
    grandfathered: bool = False

    def __post_init__(self) -> None:
        if self.lines < 1:
            raise InvalidInput("lines", "an account has at least one line")
        if self.contract_term_months < 0:
            raise InvalidInput("contract_term_months", "cannot be negative")


def choose_home_team(
    region_id: str,
    teams: Sequence[Team],
    customers_by_team: Mapping[str, int],
    agents_by_team: Mapping[str, int],
) -> Team:
    """The regional team of `region_id` with the fewest customers per agent.

    Ties go to the team id first in order, so the choice is deterministic. A team without agents
    is skipped: a customer must never be assigned to nobody.
    """
    candidates = [
        t
        for t in teams
        if t.kind is TeamKind.REGIONAL and t.region_id == region_id and agents_by_team.get(t.id, 0)
    ]
    if not candidates:
        raise NotFound(f"no staffed regional team serves region {region_id!r}")
    return min(
        candidates,
        key=lambda t: (customers_by_team.get(t.id, 0) / agents_by_team[t.id], t.id),
    )
