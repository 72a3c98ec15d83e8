"""The demo company's contact history: contacts, conversations and their messages.

Part of `build_demo_company` (see `demo_company`). `History` plans about six months of contacts
per customer on every channel at plausible local hours, then plays them in time order so ids
and threads follow the clock: each contact is routed to a team (home, national pool after hours
or when opted out, escalation, executive, regulatory, social care), given an agent (continuity
first) and written as a conversation in the customer's language where the agent speaks it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from teamline.domain.contacts import AuthorKind, Contact, ContactState, Conversation
from teamline.domain.customers import Customer
from teamline.domain.enums import AgentLevel, Channel, Direction, Segment, TeamKind
from teamline.domain.organisation import Agent, Team
from teamline.services import demo_texts as texts
from teamline.services.demo_people import People

HISTORY_DAYS = 182  # "months of contact history": about six months before `now`
QUIET_DAYS = 3  # random history stops this long before `now`, so every reply is in the past

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


class History:
    """Months of contacts: mostly the home team, the national pool after hours or opted out."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        teams: list[Team],
        agents: list[Agent],
        people: People,
    ) -> None:
        self.rng, self.now, self.people = rng, now, people
        self.teams = {t.id: t for t in teams}
        # the teams outside the regions, one of each kind: where a contact goes when not home
        self.special = {t.kind: t.id for t in teams if t.region_id is None}
        self.national = self.special[TeamKind.NATIONAL_POOL]
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
        rng, channel, special = self.rng, plan.channel, self.special
        home = customer.home_team_id or self.national
        if customer.opted_out:
            return self.national, False
        if plan.script is not None:
            return home, False
        if channel is Channel.SOCIAL and rng.random() < 0.5:
            return special[TeamKind.SOCIAL_CARE], False
        demoted = customer.tier == 1  # the demoted sometimes complain to the regulator
        if demoted and channel in (Channel.EMAIL, Channel.WEB_FORM) and rng.random() < 0.15:
            return special[TeamKind.REGULATORY], False
        if channel is Channel.EMAIL and rng.random() < 0.03:
            return special[TeamKind.EXECUTIVE_CARE], False
        if channel is Channel.VOICE and rng.random() < 0.04:
            return special[TeamKind.ESCALATION], True
        team = self.teams[home]
        if channel in _LIVE and not team.hours.is_open(plan.at, team.zone, customer.segment):
            return self.national, False  # after the team's cut-off: standard care
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
            home = self.teams[customer.home_team_id or self.national].name
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
