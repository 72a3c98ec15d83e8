"""The demo company: regions, teams, agents, customers and months of history.

`teamline demo` shows a newcomer a living system at once (ARCHITECTURE.md, Runtime). This module
builds that company in memory and nothing else: a seed and `now` in, plain domain objects out,
the same objects for the same inputs; the caller persists them. It follows DOMAIN.md sections 1-4:
three regions in three time zones, two dedicated regional teams of 30-40 agents per region with a
supervisor, the escalation, national standard-care, executive, regulatory and social-care teams;
customers assigned to the regional team with the fewest customers per agent; value tiers from 0
to 5; and about six months of contacts on every channel, each with its conversation.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from teamline.domain.contacts import AuthorKind, Contact, ContactState, Conversation
from teamline.domain.customers import SUPPORTED_LANGUAGES, Account, Customer, choose_home_team
from teamline.domain.enums import (
    AgentLevel,
    BillingMethod,
    Channel,
    Direction,
    EquipmentClass,
    IdentityKind,
    Segment,
    TeamKind,
)
from teamline.domain.hours import TeamHours, WeeklyHours, require_aware, standard_team_hours
from teamline.domain.identities import Identity
from teamline.domain.money import Money
from teamline.domain.organisation import Agent, Region, Team, check_team_size
from teamline.services import demo_texts as texts

HISTORY_DAYS = 182  # "months of contact history": about six months before `now`
CONTACTS_PER_CUSTOMER = 2.9  # mean over a full window; new customers have a shorter one
QUIET_DAYS = 3  # random history stops this long before `now`, so every reply is in the past

ESCALATION, NATIONAL, EXECUTIVE, REGULATORY, SOCIAL = (
    "team-escalation",
    "team-national",
    "team-executive",
    "team-regulatory",
    "team-social",
)
_LEVEL = {
    TeamKind.REGIONAL: AgentLevel.FRONTLINE,
    TeamKind.NATIONAL_POOL: AgentLevel.FRONTLINE,
    TeamKind.ESCALATION: AgentLevel.ESCALATION,
    TeamKind.EXECUTIVE_CARE: AgentLevel.EXECUTIVE_CARE,
    TeamKind.REGULATORY: AgentLevel.REGULATORY,
    TeamKind.SOCIAL_CARE: AgentLevel.SOCIAL_CARE,
}
_OTHER_LANGUAGES = tuple(lang for lang in SUPPORTED_LANGUAGES if lang != "en")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")

_CHANNEL_WEIGHTS = {
    Channel.VOICE: 34,
    Channel.CHAT: 18,
    Channel.ASYNC: 16,
    Channel.EMAIL: 9,
    Channel.SOCIAL: 5,
    Channel.CALLBACK: 6,
    Channel.SCHEDULED_CALL: 2,
    Channel.WEB_FORM: 4,
    Channel.STORE: 4,
    Channel.FIELD: 2,
}
_LIVE = frozenset({Channel.VOICE, Channel.CHAT, Channel.CALLBACK, Channel.SCHEDULED_CALL})
_LOGGED = {Channel.STORE: "Logged at the store", Channel.FIELD: "Installer visit logged"}
# Local hour weights 0-23: live channels peak in office hours and thin out after the 9 p.m.
# cut-off; written channels run into the night; stores and installers keep business hours.
_LIVE_HOURS = (0, 0, 0, 0, 0, 0, 1, 2, 5, 8, 9, 9, 8, 8, 8, 8, 8, 8, 7, 6, 5, 3, 2, 1)
_WRITTEN_HOURS = (1, 0, 0, 0, 0, 0, 1, 2, 4, 6, 6, 6, 6, 6, 5, 5, 5, 5, 6, 6, 6, 5, 4, 2)
_STORE_HOURS = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6, 6, 6, 6, 6, 6, 5, 4, 0, 0, 0, 0)
_FIELD_HOURS = (0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 6, 6, 4, 6, 6, 6, 5, 3, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class DemoCompany:
    """Everything the demo needs, ready to persist in this order."""

    regions: list[Region]
    teams: list[Team]
    agents: list[Agent]
    customers: list[Customer]
    accounts: list[Account]
    contacts: list[Contact]
    conversations: list[Conversation]
    contact_conversation: dict[str, str] = field(default_factory=dict)


def build_demo_company(seed: int, now: datetime, customer_count: int = 5000) -> DemoCompany:
    """Build the demo company; the same seed and `now` always give an equal company."""
    now = require_aware(now).astimezone(UTC)
    rng = random.Random(seed)
    regions, teams = _organisation()
    agents = _staff(rng, teams)
    people = _People(rng, now, regions, teams, agents)
    for n in range(customer_count):
        if n == 0:
            people.add_maria()
        else:
            people.add_random()
    history = _History(rng, now, teams, agents, people)
    for plan in sorted(history.plan_all(), key=lambda p: (p.at, p.customer, p.order)):
        history.play(plan)
    return DemoCompany(
        regions,
        teams,
        agents,
        people.customers,
        people.accounts,
        history.contacts,
        history.conversations,
        history.links,
    )


# --- organisation ---------------------------------------------------------------------------


def _organisation() -> tuple[list[Region], list[Team]]:
    regions = [Region(f"reg-{key}", name, zone) for key, name, zone, _ in texts.REGIONS]
    teams: list[Team] = []
    for key, name, zone, team_names in texts.REGIONS:
        own_region = [f"team-{key}-{i}" for i in (1, 2)]
        adjacent = [f"team-{other}-{i}" for other in texts.ADJACENT_REGIONS[key] for i in (1, 2)]
        for team_id, team_name in zip(own_region, team_names, strict=True):
            neighbours = tuple(t for t in own_region if t != team_id) + tuple(adjacent)
            teams.append(
                Team(
                    team_id,
                    f"{team_name} team ({name})",
                    TeamKind.REGIONAL,
                    f"reg-{key}",
                    zone,
                    standard_team_hours(),
                    neighbours,
                )
            )
    office = WeeklyHours.from_mapping(dict.fromkeys(_WEEKDAYS, "08:00-18:00"))
    regulatory = WeeklyHours.from_mapping(dict.fromkeys(_WEEKDAYS, "09:00-17:00"))
    social = WeeklyHours.from_mapping(dict.fromkeys((*_WEEKDAYS, "sat", "sun"), "07:00-23:00"))
    chicago = "America/Chicago"
    teams += [
        Team(ESCALATION, "Escalation team", TeamKind.ESCALATION, None, chicago),
        Team(
            NATIONAL,
            "National standard care",
            TeamKind.NATIONAL_POOL,
            None,
            chicago,
            TeamHours(WeeklyHours.always()),
        ),
        Team(
            EXECUTIVE,
            "Executive customer service",
            TeamKind.EXECUTIVE_CARE,
            None,
            "America/New_York",
            TeamHours(office),
        ),
        Team(
            REGULATORY,
            "Regulatory complaints",
            TeamKind.REGULATORY,
            None,
            "America/New_York",
            TeamHours(regulatory),
            service_level_seconds=3600,
        ),
        Team(SOCIAL, "Social media care", TeamKind.SOCIAL_CARE, None, chicago, TeamHours(social)),
    ]
    return regions, teams


def _team_size(rng: random.Random, kind: TeamKind) -> int:
    if kind is TeamKind.REGIONAL:
        return rng.randint(31, 39)
    if kind is TeamKind.NATIONAL_POOL:
        return 40
    if kind is TeamKind.ESCALATION:
        return 12
    return rng.randint(5, 8)


def _staff(rng: random.Random, teams: Sequence[Team]) -> list[Agent]:
    """Agents of every team; each regional team covers every supported language."""
    agents: list[Agent] = []
    full_names: set[tuple[str, str]] = set()
    for team in teams:
        size = _team_size(rng, team.kind)
        check_team_size(team, size)
        with_supervisors = team.kind in (TeamKind.REGIONAL, TeamKind.NATIONAL_POOL)
        supervisors = rng.randint(1, 2) if with_supervisors else 0
        spoken = [{"en"} for _ in range(size)]
        for member in spoken:
            member.update(
                lang for lang, share in texts.AGENT_LANGUAGE_SHARE.items() if rng.random() < share
            )
        if team.kind in (TeamKind.REGIONAL, TeamKind.NATIONAL_POOL, TeamKind.ESCALATION):
            frontline = rng.sample(range(supervisors, size), len(_OTHER_LANGUAGES))
            for lang, index in zip(_OTHER_LANGUAGES, frontline, strict=True):
                spoken[index].add(lang)
        first_names: set[str] = set()
        for i, languages in enumerate(spoken):
            extra = sorted(languages - {"en"})
            name_lang = rng.choice(extra) if extra and rng.random() < 0.6 else "en"
            first, last = _agent_name(rng, name_lang, first_names, full_names)
            level = AgentLevel.SUPERVISOR if i < supervisors else _LEVEL[team.kind]
            agent_id = f"agt-{len(agents) + 1:04d}"
            agents.append(Agent(agent_id, team.id, first, last, level, frozenset(languages)))
    return agents


def _agent_name(
    rng: random.Random, lang: str, team_firsts: set[str], taken: set[tuple[str, str]]
) -> tuple[str, str]:
    """A name unique in the company, with a first name unique in the team when possible."""
    for attempt in range(200):
        pool = lang if attempt < 20 else "en"
        first = rng.choice(texts.FIRST_NAMES[pool])
        last = rng.choice(texts.LAST_NAMES[pool])
        if (first, last) not in taken and (first not in team_firsts or attempt > 100):
            team_firsts.add(first)
            taken.add((first, last))
            return first, last
    raise AssertionError("the name tables are too small for the demo staff")


# --- customers and accounts -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Profile:
    """What the history needs beyond the Customer: how to greet them, since when, how often."""

    first_name: str
    since: date
    contact_rate: float


def _ascii(text: str) -> str:
    folded = text.replace("đ", "dj").replace("Đ", "Dj")
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


class _People:
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
        self.profiles: list[_Profile] = []
        maria = texts.MARIA
        self.taken: set[str] = {
            maria["account"],
            Identity.of(IdentityKind.PHONE, maria["phone"]).value,
            maria["email"],
            Identity.of(IdentityKind.SOCIAL, maria["twitter"]).value,
        }
        self.plans = {seg: [p for p in texts.PLANS if p.segment is seg] for seg in Segment}

    def _add(self, customer: Customer, account: Account, profile: _Profile) -> None:
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
        self._add(customer, account, _Profile("Maria", since, 0.0))

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
        self._add(customer, account, _Profile(first, self.today - timedelta(tenure), rate))

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
            balance = Money.of(0) if rng.random() < 0.08 else Money.of(rng.randint(1, 60))
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


# --- contact history ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Planned:
    """A contact to generate; played in time order so ids and threads follow the clock."""

    at: datetime
    customer: int  # index in the customer list
    order: int
    channel: Channel
    topic: texts.Topic | None = None
    script: texts.ScriptedContact | None = None


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


class _History:
    """Months of contacts: mostly the home team, the national pool after hours or opted out."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        teams: list[Team],
        agents: list[Agent],
        people: _People,
    ) -> None:
        self.rng, self.now, self.people = rng, now, people
        self.teams = {t.id: t for t in teams}
        self.zones = {t.id: t.zone for t in teams} | {r.id: r.zone for r in people.regions}
        self.staff: dict[str, dict[str, list[Agent]]] = {t.id: {} for t in teams}
        self.supervisors: dict[str, list[Agent]] = {t.id: [] for t in teams}
        for agent in agents:
            if agent.level is AgentLevel.SUPERVISOR:
                self.supervisors[agent.team_id].append(agent)
                continue
            for lang in sorted(agent.languages):
                self.staff[agent.team_id].setdefault(lang, []).append(agent)
        self.topics = {t.key: t for t in texts.TOPICS}
        self.contacts: list[Contact] = []
        self.conversations: list[Conversation] = []
        self.links: dict[str, str] = {}
        self.threads: dict[int, Conversation] = {}  # the customer's long-lived async thread
        self.regular: dict[int, Agent] = {}  # the home-team agent who answered last

    def plan_all(self) -> list[_Planned]:
        plans: list[_Planned] = []
        for index, customer in enumerate(self.people.customers):
            zone = self.zones[customer.region_id]
            if index == 0:  # Maria Rossi: a scripted, rich history with an open thread
                home = customer.home_team_id or ""
                self.regular[0] = self.staff[home][customer.language][0]
                local_today = self.now.astimezone(zone).date()
                for order, script in enumerate(texts.MARIA_HISTORY):
                    day = local_today - timedelta(days=script.days_ago)
                    local = datetime.combine(day, time.fromisoformat(script.local_time), zone)
                    at = local.astimezone(UTC)
                    plans.append(_Planned(at, index, order, script.channel, script=script))
            else:
                plans.extend(self._plan_random(index, customer, zone))
        return plans

    def _plan_random(self, index: int, customer: Customer, zone: ZoneInfo) -> list[_Planned]:
        rng, profile = self.rng, self.people.profiles[index]
        last_day = (self.now - timedelta(days=QUIET_DAYS)).astimezone(zone).date()
        last_day -= timedelta(days=1)
        first_day = (self.now - timedelta(days=HISTORY_DAYS)).astimezone(zone).date()
        first_day = max(first_day, profile.since + timedelta(days=1))
        days = (last_day - first_day).days + 1
        if days <= 0:
            return []
        mean = profile.contact_rate * days / (HISTORY_DAYS - QUIET_DAYS)
        plans = []
        channels, weights = list(_CHANNEL_WEIGHTS), list(_CHANNEL_WEIGHTS.values())
        for order in range(_poisson(rng, mean)):
            channel = rng.choices(channels, weights)[0]
            day = first_day + timedelta(days=rng.randrange(days))
            hours = _LIVE_HOURS if channel in _LIVE else _WRITTEN_HOURS
            if channel in _LOGGED:
                hours = _STORE_HOURS if channel is Channel.STORE else _FIELD_HOURS
                if day.weekday() == 6:  # stores and installers rest on Sundays
                    day += timedelta(days=-1 if day > first_day else 1)
            hour = rng.choices(range(24), hours)[0]
            minute = rng.choice((0, 30)) if channel is Channel.SCHEDULED_CALL else rng.randrange(60)
            local = datetime.combine(day, time(hour, minute, rng.randrange(60)), zone)
            at = local.astimezone(UTC)
            plans.append(_Planned(at, index, order, channel, self._topic(channel, customer)))
        return plans

    def _topic(self, channel: Channel, customer: Customer) -> texts.Topic:
        keys = texts.CHANNEL_TOPICS.get(channel) or tuple(self.topics)
        if customer.segment is not Segment.PREPAID:
            keys = tuple(k for k in keys if k != "top_up")  # a zero balance blocks only prepaid
        return self.topics[self.rng.choice(keys)]

    def _route(self, plan: _Planned, customer: Customer) -> tuple[str, bool]:
        """The team that took the contact, and whether it was transferred to escalation."""
        rng, channel, home = self.rng, plan.channel, customer.home_team_id or NATIONAL
        if customer.opted_out:
            return NATIONAL, False
        if plan.script is not None:
            return home, False
        if channel is Channel.SOCIAL and rng.random() < 0.5:
            return SOCIAL, False
        demoted = customer.tier == 1  # the demoted sometimes complain to the regulator
        if demoted and channel in (Channel.EMAIL, Channel.WEB_FORM) and rng.random() < 0.15:
            return REGULATORY, False
        if channel is Channel.EMAIL and rng.random() < 0.03:
            return EXECUTIVE, False
        if channel is Channel.VOICE and rng.random() < 0.04:
            return ESCALATION, True
        team = self.teams[home]
        if channel in _LIVE and not team.hours.is_open(plan.at, team.zone, customer.segment):
            return NATIONAL, False  # after the team's cut-off: standard care
        return home, False

    def _agent(self, team_id: str, customer: Customer, index: int) -> Agent:
        """Continuity first: the customer's last home-team agent, if they speak the language.

        Maria Rossi (index 0) always gets her regular agent: the demo shows one familiar face.
        """
        rng, regular = self.rng, self.regular.get(index)
        available = regular and regular.team_id == team_id and regular.speaks(customer.language)
        if regular and available and (index == 0 or rng.random() < 0.6):
            return regular
        supervisors = [a for a in self.supervisors[team_id] if a.speaks(customer.language)]
        if supervisors and rng.random() < 0.03:
            chosen = rng.choice(supervisors)
        else:
            pool = self.staff[team_id].get(customer.language) or self.staff[team_id]["en"]
            chosen = rng.choice(pool)
        if team_id == customer.home_team_id:
            self.regular[index] = chosen
        return chosen

    def play(self, plan: _Planned) -> None:
        rng = self.rng
        customer = self.people.customers[plan.customer]
        team_id, transferred = self._route(plan, customer)
        team = self.teams[team_id]
        script = plan.script
        if script is not None:
            abandoned = script.abandoned
        else:
            abandoned = plan.channel in (Channel.VOICE, Channel.CHAT) and rng.random() < 0.06
        agent = None if abandoned else self._agent(team_id, customer, plan.customer)
        subject = script.subject if script else plan.topic.subject if plan.topic else ""
        outbound = plan.channel in (Channel.CALLBACK, Channel.SCHEDULED_CALL)
        conversation = self.threads.get(plan.customer) if plan.channel is Channel.ASYNC else None
        if conversation is None:
            number = len(self.conversations) + 1
            conversation = Conversation(f"cnv-{number:06d}", customer.id, plan.at, subject=subject)
            self.conversations.append(conversation)
            if plan.channel is Channel.ASYNC:
                self.threads[plan.customer] = conversation
        contact = Contact(
            f"con-{len(self.contacts) + 1:06d}",
            customer.id,
            plan.channel,
            Direction.OUTBOUND if outbound or (script and script.outbound) else Direction.INBOUND,
            plan.at,
            ContactState.ABANDONED if abandoned else ContactState.COMPLETED,
            conversation.id,
            team_id=team_id,
            agent_id=agent.id if agent else None,
            external_ref=self._external_ref(plan.channel),
            subject=subject,
        )
        self.contacts.append(contact)
        self.links[contact.id] = conversation.id
        if script is not None:
            turns: list[tuple[str, str, timedelta | None]] = [
                (kind, text, timedelta(minutes=m)) for kind, text, m in script.turns
            ]
        else:
            turns = self._turns(plan, customer, team, agent, transferred, outbound)
        first_name = self.people.profiles[plan.customer].first_name
        self._write(conversation, contact, customer, first_name, team, agent, turns)

    def _external_ref(self, channel: Channel) -> str | None:
        """The provider's id of the contact (a call SID, a Message-ID, a post id)."""
        bits = self.rng.getrandbits(128)
        if channel in _LIVE and channel is not Channel.CHAT:
            return f"CA{bits:032x}"
        if channel is Channel.EMAIL:
            return f"<{bits:032x}@mail.example.com>"
        if channel is Channel.SOCIAL:
            return f"twitter:{bits >> 68}"
        return None

    def _turns(
        self,
        plan: _Planned,
        customer: Customer,
        team: Team,
        agent: Agent | None,
        transferred: bool,
        outbound: bool,
    ) -> list[tuple[str, str, timedelta | None]]:
        """The messages of one contact, in the customer's language where the agent speaks it.

        Kinds: "c" customer, "a" agent, "n" internal note, "s" system. A delay of None lets
        `_write` time the turn (an agent answers written channels during the team's hours).
        """
        rng, topic, lang = self.rng, plan.topic or texts.TOPICS[0], customer.language
        opener = topic.opener if lang == "en" else texts.OPENERS[lang][topic.key]
        if agent is None:  # abandoned in the queue
            if plan.channel is Channel.VOICE:
                waited = rng.randint(2, 12)
                return [
                    ("s", f"Call queued for {team.name}.", None),
                    (
                        "s",
                        f"The caller hung up after {waited} min in queue; callback offered.",
                        None,
                    ),
                ]
            return [("c", opener, None), ("s", "The customer left before an agent joined.", None)]
        spoken = lang if agent.speaks(lang) else "en"
        theirs, ours = texts.PHRASES[lang], texts.PHRASES[spoken]
        first = ("c", opener)
        if plan.channel in _LOGGED:
            first = ("s", f"{_LOGGED[plan.channel]}: {topic.subject.lower()}.")
        reply_text = topic.reply if spoken == "en" else ours.reply
        if team.id != customer.home_team_id:  # the pool or a special team is not "your team"
            reply_text = reply_text.replace(texts.YOUR_TEAM[spoken], "")
        reply = ("a", reply_text)
        follow_up = ("c", topic.follow_up if lang == "en" else theirs.follow_up)
        resolution = ("a", topic.resolution if spoken == "en" else ours.resolution)
        thanks = ("c", rng.choice(theirs.thanks))
        note = ("n", topic.note)
        count = rng.randint(2, 6)
        if transferred:
            home = self.teams[customer.home_team_id or NATIONAL].name
            note = ("n", f"Transferred from {home}: the customer asked for a supervisor.")
            count = max(count, 5)
        turns = [reply, first] if outbound else [first, reply]
        if count == 3:
            turns.append(thanks)
        if count >= 4:
            turns += [follow_up, resolution]
        if count == 5:
            turns.append(note if transferred or rng.random() < 0.4 else thanks)
        if count == 6:
            turns += [note, thanks]
        return [(kind, text, None) for kind, text in turns]

    def _write(
        self,
        conversation: Conversation,
        contact: Contact,
        customer: Customer,
        first_name: str,
        team: Team,
        agent: Agent | None,
        turns: Sequence[tuple[str, str, timedelta | None]],
    ) -> None:
        rng, channel = self.rng, contact.channel
        at = contact.created_at
        if conversation.messages:  # a thread continues after its last message
            at = max(at, conversation.messages[-1].created_at + timedelta(minutes=1))
        hours = team.hours.for_segment(customer.segment)
        for position, (kind, text, delay) in enumerate(turns):
            if position == 0:
                pass
            elif delay is not None:
                at += delay
            elif channel in _LIVE:
                at += timedelta(seconds=rng.randint(20, 180))
            elif kind == "n":
                at += timedelta(minutes=rng.randint(1, 5))
            elif kind == "a":
                at += timedelta(minutes=rng.randint(3, 120))
                if not hours.is_open(at, team.zone):
                    at = (hours.next_opening(at, team.zone) or at) + timedelta(
                        minutes=rng.randint(2, 45)
                    )
            else:
                at += timedelta(minutes=rng.randint(10, 240))
            if kind == "c":
                author, author_id = AuthorKind.CUSTOMER, customer.id
            elif kind == "s":
                author, author_id = AuthorKind.SYSTEM, None
            else:
                author, author_id = AuthorKind.AGENT, agent.id if agent else None
            body = text.format(
                name=first_name, agent=agent.first_name if agent else "", team=team.name
            )
            conversation.append(author, author_id, channel, body, at, internal=kind == "n")
