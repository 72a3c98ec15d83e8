"""The demo company's customers and accounts: who they are and what they pay for.

Part of `build_demo_company` (see `demo_company`). `People` draws each customer with unique
identities (account number, phone, email, social handle), a plan, a value tier (DOMAIN.md
section 3) and a home on the regional team with the lightest load, plus a `Profile` the contact
history needs: the first name to greet them by, since when they are a customer, how often they
get in touch.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from teamline.domain.customers import Account, Customer, choose_home_team
from teamline.domain.enums import BillingMethod, EquipmentClass, IdentityKind, Segment
from teamline.domain.identities import Identity
from teamline.domain.money import Money
from teamline.domain.organisation import Agent, Region, Team
from teamline.services import demo_texts as texts

CONTACTS_PER_CUSTOMER = 2.9  # mean over a full window; new customers have a shorter one


@dataclass(frozen=True, slots=True)
class Profile:
    """What the history needs beyond the Customer: how to greet them, since when, how often."""

    first_name: str
    since: date
    contact_rate: float


def _ascii(text: str) -> str:
    folded = text.replace("đ", "dj").replace("Đ", "Dj")
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


class People:
    """Customers with unique identities, each on the regional team with the lightest load."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        regions: list[Region],
        teams: list[Team],
        agents: list[Agent],
    ) -> None:
        self.rng, self.today, self.regions, self.teams = rng, now.date(), regions, teams
        self.agents_by_team = Counter(a.team_id for a in agents)
        self.customers_by_team: Counter[str] = Counter()
        self.customers: list[Customer] = []
        self.accounts: list[Account] = []
        self.profiles: list[Profile] = []
        maria = texts.MARIA
        self.taken: set[str] = {
            maria["account"],
            Identity.of(IdentityKind.PHONE, maria["phone"]).value,
            maria["email"],
            Identity.of(IdentityKind.SOCIAL, maria["twitter"]).value,
        }
        self.plans = {seg: [p for p in texts.PLANS if p.segment is seg] for seg in Segment}

    def _add(self, customer: Customer, account: Account, profile: Profile) -> None:
        home = choose_home_team(
            customer.region_id, self.teams, self.customers_by_team, self.agents_by_team
        )
        customer.home_team_id = home.id
        self.customers_by_team[home.id] += 1
        self.customers.append(customer)
        self.accounts.append(account)
        self.profiles.append(profile)

    def add_maria(self) -> None:
        m = texts.MARIA
        since = self.today - timedelta(days=1200)
        start = self.today - timedelta(days=430)
        identities = [
            Identity.of(IdentityKind.ACCOUNT_NUMBER, m["account"]),
            Identity.of(IdentityKind.PHONE, m["phone"]),
            Identity.of(IdentityKind.EMAIL, m["email"]),
            Identity.of(IdentityKind.SOCIAL, m["twitter"]),
        ]
        customer = Customer(
            "cus-00001",
            m["name"],
            self.regions[0].id,
            Segment.POSTPAID,
            m["language"],
            tier=3,
            identities=identities,
        )
        account = Account(
            m["account"],
            customer.id,
            plan="Unlimited Plus",
            lines=2,
            monthly_charge=Money.of("150.00"),
            billing_method=BillingMethod.CREDIT,
            balance=Money.of("0"),
            contract_start=start,
            contract_term_months=24,
            equipment=EquipmentClass.SMARTPHONE,
            device_price=Money.of("899.99"),
        )
        self._add(customer, account, Profile("Maria", since, 0.0))

    def add_random(self) -> None:
        rng = self.rng
        customer_id = f"cus-{len(self.customers) + 1:05d}"
        region = rng.choices(self.regions, texts.REGION_WEIGHTS)[0]
        segment = rng.choices(list(Segment), (30, 67, 3))[0]
        langs = texts.CUSTOMER_LANGUAGE_WEIGHTS
        language = rng.choices(list(langs), list(langs.values()))[0]
        first = rng.choice(texts.FIRST_NAMES[language])
        last = rng.choice(texts.LAST_NAMES[language])
        plans = self.plans[segment]
        plan = rng.choices(plans, [texts.PLAN_WEIGHTS[p.name] for p in plans])[0]
        tenure = rng.randint(3, 180) if rng.random() < 0.22 else rng.randint(181, 3650)
        if plan.grandfathered:
            tenure = max(tenure, rng.randint(1500, 3650))  # a legacy plan is an old one
        lines = 1
        if segment is Segment.BUSINESS:
            lines = rng.choice((2, 3, 5, 8, 12, 20, 40))
            name = " ".join(
                (
                    rng.choice(texts.BUSINESS_NAMES),
                    rng.choice(texts.BUSINESS_TRADES),
                    rng.choice(texts.BUSINESS_SUFFIXES),
                )
            )
        else:
            name = f"{first} {last}"
            if segment is Segment.POSTPAID and plan.equipment is not EquipmentClass.NONE:
                lines = rng.choices((1, 2, 3, 4), (70, 15, 10, 5))[0]
        monthly = Money.of(plan.monthly).times(lines)
        tier = self._tier(segment, tenure, lines, monthly)
        account = self._account(customer_id, plan, segment, lines, monthly, tenure)
        # 555 numbers are fictional: the demo never holds a real person's phone number
        phone = self._unique(lambda: f"+1555{rng.randrange(2_000_000, 10_000_000)}")
        identities = [
            Identity.of(IdentityKind.ACCOUNT_NUMBER, account.number),
            Identity.of(IdentityKind.PHONE, phone),
            Identity.of(IdentityKind.EMAIL, self._email(first, last, name, segment)),
        ]
        if rng.random() < 0.2:
            handle = f"twitter:{_ascii(first + last)}"
            social = self._unique(lambda: f"{handle}{rng.randint(1, 999)}")
            identities.append(Identity.of(IdentityKind.SOCIAL, social))
        customer = Customer(
            customer_id,
            name,
            region.id,
            segment,
            language,
            opted_out=rng.random() < 0.02,
            tier=tier,
            identities=identities,
        )
        rate = CONTACTS_PER_CUSTOMER * (2.5 if tier == 1 else 1.5 if lines > 1 else 1.0)
        self._add(customer, account, Profile(first, self.today - timedelta(tenure), rate))

    def _unique(self, make: Callable[[], str]) -> str:
        """Draw until the value (an account number, phone, email, handle) is new."""
        value = make().lower()
        while value in self.taken:
            value = make().lower()
        self.taken.add(value)
        return value

    def _email(self, first: str, last: str, name: str, segment: Segment) -> str:
        rng = self.rng
        local = f"{_ascii(first)}.{_ascii(last)}"
        domain = rng.choice(texts.EMAIL_DOMAINS)
        if segment is Segment.BUSINESS:
            domain = f"{_ascii(name.rsplit(' ', 1)[0])}.example.com"
        address = f"{local}@{domain}"
        if address not in self.taken:
            self.taken.add(address)
            return address
        return self._unique(lambda: f"{local}{rng.randint(1, 9999)}@{domain}")

    def _tier(self, segment: Segment, tenure: int, lines: int, monthly: Money) -> int:
        """DOMAIN.md section 3: new customers 0, good consumer accounts about 3, 5 only for
        large business accounts, 1 for the demoted."""
        r = self.rng.random()
        if segment is Segment.BUSINESS:
            return 5 if lines >= 10 else (3 if r < 0.3 else 4)
        if tenure < 180:
            return 0
        if r < 0.05:
            return 1
        if segment is Segment.PREPAID:
            return 0 if r < 0.25 else 2 if r < 0.8 else 3
        if r < 0.12:
            return 0
        if r < 0.40:
            return 2
        big_spender = lines >= 2 or monthly.amount >= 100
        return 4 if big_spender and r > 0.85 else 3

    def _account(
        self,
        customer_id: str,
        plan: texts.Plan,
        segment: Segment,
        lines: int,
        monthly: Money,
        tenure: int,
    ) -> Account:
        rng = self.rng
        number = self._unique(lambda: str(rng.randrange(100_000_002, 1_000_000_000)))
        if segment is Segment.PREPAID:
            # prepaid funds are in the customer's favour: a negative balance (domain/billing.py)
            balance = Money.of(0) if rng.random() < 0.08 else -Money.of(rng.randint(1, 60))
            return Account(
                number, customer_id, plan.name, lines, monthly, BillingMethod.ADVANCE, balance
            )
        balance = monthly if rng.random() < 0.3 else Money.of(0)
        start, term, equipment, price = None, 0, EquipmentClass.NONE, Money.of(0)
        if plan.grandfathered or rng.random() < 0.65:
            term = 24 if rng.random() < 0.6 else 12
            start = self.today - timedelta(rng.randint(0, min(tenure, 30 * 30)))
            equipment = plan.equipment
            if equipment is EquipmentClass.SMARTPHONE:
                price = Money.of(f"{rng.randint(4, 11)}99.99")
            elif equipment is EquipmentClass.BASIC:
                price = Money.of(f"{rng.randint(1, 2)}49.99")
        return Account(
            number,
            customer_id,
            plan.name,
            lines,
            monthly,
            BillingMethod.CREDIT,
            balance,
            contract_start=start,
            contract_term_months=term,
            equipment=equipment,
            device_price=price,
            grandfathered=plan.grandfathered,
        )
