"""The unlock rule table (DOMAIN.md 3 and 5; issue 6 item 6): which requests are eligible, by
rules that are data, each answering with a sentence.

**The rules are a table** (`UnlockPolicy.rules`), each row a kind of check with its parameters
and an effect:

- `overrides`: a rule that, when it holds, makes the request eligible whatever the others say.
  The default table has one: *legal entitlement* (a jurisdiction where unlocking on request is
  the law). The law outranks the tier and every other rule.
- `required`: must hold (default: *good standing*, no bill overdue).
- `any_of` with a `group`: at least one rule of the group must hold (default group `device`:
  the device is *paid off*, or *owned long enough* for the customer's tier, or the customer is
  *travelling abroad*). The tier widens what is granted (DOMAIN.md 3): the days a device must
  be owned shrink as the tier rises, and a demoted customer (tier 1) waits longest.

Each rule answers with a sentence; the decision's explanation is made of them, so an agent (and
the customer) reads exactly which rule decided. The case these decisions belong to is
`domain/unlocks.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from teamline.domain.enums import EquipmentClass
from teamline.domain.errors import InvalidInput
from teamline.domain.policy_data import (
    Converter,
    build,
    int_of,
    list_of,
    mapping_of,
    only_known,
    text_of,
    where,
)

TIERS = 6
COUNTRY = re.compile(r"^[A-Z]{2}$")
RULE_ID = re.compile(r"^[a-z0-9_]{1,40}$")


class RuleKind(StrEnum):
    LEGAL_ENTITLEMENT = "legal_entitlement"
    GOOD_STANDING = "good_standing"
    DEVICE_PAID_OFF = "device_paid_off"
    DEVICE_OWNED = "device_owned"
    TRAVEL_ABROAD = "travel_abroad"


class Effect(StrEnum):
    OVERRIDES = "overrides"
    REQUIRED = "required"
    ANY_OF = "any_of"


# ---- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Travel:
    """A trip abroad the customer declares: where to (ISO 3166 country code), and when."""

    destination: str
    departs: date
    returns: date | None = None

    def __post_init__(self) -> None:
        if not COUNTRY.match(self.destination):
            raise InvalidInput("travel.destination", "a two-letter country code such as FR")
        if self.returns is not None and self.returns < self.departs:
            raise InvalidInput("travel.returns", "the return is before the departure")


@dataclass(frozen=True, slots=True)
class UnlockFacts:
    """What the rules read about one request, gathered by the use case."""

    today: date  # in the customer's region
    tier: int
    region_id: str
    customer_since: date
    account_number: str
    oldest_overdue_bill: date | None  # due date of the oldest bill unpaid past its due date
    equipment: EquipmentClass
    device_bought_on: date | None  # when the account's device was sold (its contract start)
    commitment_ends_on: date | None  # the device's commitment; None when there is none
    travel: Travel | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.tier < TIERS:
            raise InvalidInput("tier", "a value tier is 0 to 5")


# ---- the rule table ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """A region where the law entitles a customer to an unlock on request, `after_days` after
    buying the device (0: at once). `law` names the law for the explanation."""

    region_id: str
    law: str
    after_days: int = 0

    def __post_init__(self) -> None:
        if not self.region_id.strip() or not self.law.strip():
            raise InvalidInput("jurisdiction", "name the region and the law")
        if not 0 <= self.after_days <= 3650:
            raise InvalidInput("after_days", "between 0 and 3650 days")


DEFAULT_DAYS_BY_TIER = (60, 180, 60, 40, 30, 0)


@dataclass(frozen=True, slots=True)
class UnlockRule:
    """One row of the rule table: a kind of check, its effect and its parameters (only those
    of its kind are read)."""

    id: str
    kind: RuleKind
    effect: Effect
    group: str = ""
    jurisdictions: tuple[Jurisdiction, ...] = ()  # legal_entitlement
    max_days_overdue: int = 0  # good_standing: a bill this many days late still counts as paid
    days_by_tier: tuple[int, ...] = DEFAULT_DAYS_BY_TIER  # device_owned, tiers 0 to 5
    min_tenure_days: int = 60  # travel_abroad: how long a customer must have been one
    notice_days: int = 30  # travel_abroad: how far ahead a trip may be declared

    def __post_init__(self) -> None:
        if not RULE_ID.match(self.id):
            raise InvalidInput("id", "a rule id is 1 to 40 lower-case letters, digits or _")
        if (self.effect is Effect.ANY_OF) != bool(self.group):
            raise InvalidInput("group", "an any_of rule names its group; other rules have none")
        if len(self.days_by_tier) != TIERS or any(d < 0 for d in self.days_by_tier):
            raise InvalidInput("days_by_tier", "one number of days (0 or more) per tier 0 to 5")
        for name in ("max_days_overdue", "min_tenure_days", "notice_days"):
            if not 0 <= getattr(self, name) <= 3650:
                raise InvalidInput(name, "between 0 and 3650 days")


def default_rules() -> tuple[UnlockRule, ...]:
    return (
        UnlockRule("legal_entitlement", RuleKind.LEGAL_ENTITLEMENT, Effect.OVERRIDES),
        UnlockRule("good_standing", RuleKind.GOOD_STANDING, Effect.REQUIRED),
        UnlockRule("device_paid_off", RuleKind.DEVICE_PAID_OFF, Effect.ANY_OF, "device"),
        UnlockRule("device_owned", RuleKind.DEVICE_OWNED, Effect.ANY_OF, "device"),
        UnlockRule("travel_abroad", RuleKind.TRAVEL_ABROAD, Effect.ANY_OF, "device"),
    )


_PARAMS = {
    RuleKind.LEGAL_ENTITLEMENT: ("jurisdictions",),
    RuleKind.GOOD_STANDING: ("max_days_overdue",),
    RuleKind.DEVICE_PAID_OFF: (),
    RuleKind.DEVICE_OWNED: ("days_by_tier",),
    RuleKind.TRAVEL_ABROAD: ("min_tenure_days", "notice_days"),
}


def _enum_of(kind: type[StrEnum], value: object, f: str) -> Any:
    try:
        return kind(str(value))
    except ValueError as exc:
        choices = ", ".join(m.value for m in kind)
        raise InvalidInput(f, f"{value!r} is not one of {choices}") from exc


def _jurisdiction(value: object, f: str) -> Jurisdiction:
    data = mapping_of(value, f)
    only_known(data, ["region", "law", "after_days"], f)
    if "region" not in data or "law" not in data:
        raise InvalidInput(f, "a jurisdiction names its region and its law")
    return Jurisdiction(
        text_of(data["region"], where(f, "region"), max_length=40),
        text_of(data["law"], where(f, "law")),
        int_of(data.get("after_days", 0), where(f, "after_days"), minimum=0),
    )


def _rule(value: object, f: str) -> UnlockRule:
    data = mapping_of(value, f)
    for needed in ("id", "kind", "effect"):
        if needed not in data:
            raise InvalidInput(where(f, needed), "every rule has an id, a kind and an effect")
    kind: RuleKind = _enum_of(RuleKind, data["kind"], where(f, "kind"))
    only_known(data, ["id", "kind", "effect", "group", *_PARAMS[kind]], f)
    days = lambda v, g: int_of(v, g, minimum=0)  # noqa: E731
    converters: dict[str, Converter] = {
        "id": lambda v, g: text_of(v, g, max_length=40),
        "kind": lambda v, g: kind,
        "effect": lambda v, g: _enum_of(Effect, v, g),
        "group": lambda v, g: text_of(v, g, max_length=40),
        "jurisdictions": lambda v, g: list_of(v, g, _jurisdiction),
        "max_days_overdue": days,
        "days_by_tier": lambda v, g: list_of(v, g, days),
        "min_tenure_days": days,
        "notice_days": days,
    }
    return build(data, f, converters, UnlockRule)


@dataclass(frozen=True, slots=True)
class UnlockPolicy:
    deadline_business_days: int = 2
    rules: tuple[UnlockRule, ...] = field(default_factory=default_rules)

    def __post_init__(self) -> None:
        if not 1 <= self.deadline_business_days <= 30:
            raise InvalidInput("deadline_business_days", "between 1 and 30 business days")
        if not self.rules:
            raise InvalidInput("rules", "at least one rule")
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise InvalidInput("rules", "rule ids are unique")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], prefix: str = "unlocks") -> UnlockPolicy:
        """A policy from plain data: `rules` replaces the whole table (in its order)."""
        converters: dict[str, Converter] = {
            "deadline_business_days": lambda v, f: int_of(v, f, minimum=1),
            "rules": lambda v, f: list_of(v, f, _rule, non_empty=True),
        }
        return build(data, prefix, converters, cls)


# ---- deciding --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: str
    kind: RuleKind
    effect: Effect
    group: str
    passed: bool
    text: str  # one sentence saying why the rule holds or not


@dataclass(frozen=True, slots=True)
class UnlockDecision:
    eligible: bool
    by_law: bool
    results: tuple[RuleResult, ...]
    explanation: str


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _check(rule: UnlockRule, facts: UnlockFacts) -> tuple[bool, str]:
    account = f"account {facts.account_number}"
    if rule.kind is RuleKind.LEGAL_ENTITLEMENT:
        law = next((j for j in rule.jurisdictions if j.region_id == facts.region_id), None)
        if law is None:
            return False, f"No law of region {facts.region_id} entitles an unlock on request."
        if law.after_days and facts.device_bought_on is not None:
            owned = (facts.today - facts.device_bought_on).days
            if owned < law.after_days:
                on = facts.device_bought_on + timedelta(days=law.after_days)
                return False, (
                    f"{law.law} entitles an unlock {_days(law.after_days)} after purchase: "
                    f"from {on}."
                )
        return True, f"{law.law} entitles customers in region {facts.region_id} to an unlock."
    if rule.kind is RuleKind.GOOD_STANDING:
        late = facts.oldest_overdue_bill
        overdue = (facts.today - late).days if late is not None else 0
        if late is None or overdue <= rule.max_days_overdue:
            limit = f"more than {_days(rule.max_days_overdue)} " if rule.max_days_overdue else ""
            return True, f"The {account} is in good standing: no bill is {limit}overdue."
        return False, (
            f"The {account} is not in good standing: the bill due on {late} is unpaid, "
            f"{_days(overdue)} overdue."
        )
    no_device = facts.equipment is EquipmentClass.NONE
    if rule.kind is RuleKind.DEVICE_PAID_OFF:
        if no_device:
            return True, f"No device was sold on the {account}: nothing is being paid off."
        ends = facts.commitment_ends_on
        if facts.device_bought_on is None:
            return False, f"The {account} has no purchase date on record for its device."
        if ends is None:
            return True, f"The device on the {account} was bought outright: it is paid off."
        if ends <= facts.today:
            return True, f"The device on the {account} is paid off: its commitment ended {ends}."
        return False, (
            f"The device on the {account} is not paid off: its commitment runs until {ends}."
        )
    if rule.kind is RuleKind.DEVICE_OWNED:
        need = rule.days_by_tier[facts.tier]
        bought = facts.device_bought_on
        tier = f"a tier {facts.tier} customer"
        if bought is None:
            return False, f"The {account} has no device purchase on record to count days from."
        owned = (facts.today - bought).days
        if owned >= need:
            return True, (
                f"The device was bought on {bought}, {_days(owned)} ago: {tier} needs "
                f"{_days(need)}."
            )
        return False, (
            f"The device was bought on {bought}, {_days(owned)} ago: {tier} needs "
            f"{_days(need)}, reached on {bought + timedelta(days=need)}."
        )
    # travel abroad
    trip = facts.travel
    if trip is None:
        return False, "No trip abroad was declared."
    where_to = f"The trip to {trip.destination} from {trip.departs}"
    last_day = trip.returns or trip.departs
    if last_day < facts.today:
        return False, f"{where_to} is over."
    if (trip.departs - facts.today).days > rule.notice_days:
        return False, (
            f"{where_to} is more than {_days(rule.notice_days)} away: ask again closer to it."
        )
    tenure = (facts.today - facts.customer_since).days
    if tenure < rule.min_tenure_days:
        return False, (
            f"{where_to} counts only for a customer of {_days(rule.min_tenure_days)}; "
            f"this one has been a customer for {_days(tenure)}."
        )
    return True, (
        f"{where_to} qualifies: a customer of {_days(tenure)} (at least "
        f"{_days(rule.min_tenure_days)}) may unlock to travel."
    )


def decide(policy: UnlockPolicy, facts: UnlockFacts) -> UnlockDecision:
    """Eligible or not, by which rule, with every rule's sentence."""
    results = tuple(
        RuleResult(r.id, r.kind, r.effect, r.group, *_check(r, facts)) for r in policy.rules
    )
    law = [r for r in results if r.effect is Effect.OVERRIDES and r.passed]
    if law:
        text = f"Eligible by law. {law[0].text} The tier and the other rules do not apply."
        return UnlockDecision(True, True, results, text)
    reasons: list[str] = []
    failures: list[str] = []
    for r in results:
        if r.effect is Effect.REQUIRED:
            (reasons if r.passed else failures).append(r.text)
    groups: dict[str, list[RuleResult]] = {}
    for r in results:
        if r.effect is Effect.ANY_OF:
            groups.setdefault(r.group, []).append(r)
    for name, members in groups.items():
        passing = [m for m in members if m.passed]
        if passing:
            reasons.append(passing[0].text)
        else:
            failures.append(f"None of the {name} rules holds: " + " ".join(m.text for m in members))
    if failures:
        return UnlockDecision(False, False, results, "Not eligible. " + " ".join(failures))
    return UnlockDecision(True, False, results, "Eligible. " + " ".join(reasons))


def summary(results: Sequence[RuleResult]) -> list[dict[str, Any]]:
    """The rule results as plain data (storage, the wire)."""
    return [
        {
            "rule": r.rule,
            "kind": r.kind.value,
            "effect": r.effect.value,
            "group": r.group,
            "passed": r.passed,
            "text": r.text,
        }
        for r in results
    ]


def results_of(data: Sequence[Mapping[str, Any]]) -> tuple[RuleResult, ...]:
    return tuple(
        RuleResult(
            str(d["rule"]),
            RuleKind(d["kind"]),
            Effect(d["effect"]),
            str(d["group"]),
            bool(d["passed"]),
            str(d["text"]),
        )
        for d in data
    )
