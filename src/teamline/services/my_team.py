"""What a customer sees of their team (DOMAIN.md section 1), and their choices about it.

"The customer sees their team: its name, members (photo or avatar, first names) and hours",
shown in the customer's own time zone (their region's), with whether it is open now. A customer
may opt out of the team model (traditional service: the national pool) and back in; the choice
changes where their next contact goes (routing reads `opted_out`), never an open one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from teamline.domain.customers import SUPPORTED_LANGUAGES, Customer
from teamline.domain.enums import TeamKind
from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.organisation import Team
from teamline.domain.users import User
from teamline.services.access import access_customer
from teamline.store.uow import UnitOfWork

DAYS_SHOWN = 7


@dataclass(frozen=True)
class Member:
    first_name: str
    initials: str
    avatar: str  # a picture's URL when the team has one, else "" (the page draws initials)


@dataclass(frozen=True)
class OpenDay:
    day: date  # in the customer's zone
    spans: list[tuple[datetime, datetime]]  # aware; shown in the customer's zone


@dataclass(frozen=True)
class TeamCard:
    customer: Customer
    team: Team  # the team that serves them now: their own, or the national pool
    own_team: Team | None  # their dedicated team, even while opted out
    members: list[Member]
    zone: ZoneInfo  # the customer's
    open_now: bool
    next_opening: datetime | None
    week: list[OpenDay]


def _serving(uow: UnitOfWork, customer: Customer) -> tuple[Team, Team | None]:
    own = uow.organisation.team(customer.home_team_id) if customer.home_team_id else None
    if own is not None and not customer.opted_out:
        return own, own
    pool = next((t for t in uow.organisation.teams() if t.kind is TeamKind.NATIONAL_POOL), None)
    if pool is None:
        if own is None:
            raise NotFound(f"customer {customer.id!r} has no team yet")
        return own, own
    return pool, own


def customer_zone(uow: UnitOfWork, customer: Customer, team: Team) -> ZoneInfo:
    region = uow.organisation.region(customer.region_id)
    return region.zone if region is not None else team.zone


def team_card(uow: UnitOfWork, actor: User, customer_id: str, now: datetime) -> TeamCard:
    with uow:
        customer = access_customer(uow, actor, customer_id)
        team, own = _serving(uow, customer)
        agents = uow.organisation.agents_of(team.id)
        zone = customer_zone(uow, customer, team)
    members = [
        Member(a.first_name, (a.first_name[:1] + a.last_name[:1]).upper(), a.avatar)
        for a in sorted(agents, key=lambda a: (a.first_name, a.id))
    ]
    hours = team.hours.for_segment(customer.segment.value)
    today = now.astimezone(zone).date()
    week = []
    for offset in range(DAYS_SHOWN):
        day = today + timedelta(days=offset)
        start = datetime.combine(day, datetime.min.time(), zone)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
        week.append(OpenDay(day, list(hours.intervals(start, end, team.zone))))
    return TeamCard(
        customer,
        team,
        own,
        members,
        zone,
        hours.is_open(now, team.zone),
        hours.next_opening(now, team.zone),
        week,
    )


def set_opted_out(
    uow: UnitOfWork, actor: User, customer_id: str, opted_out: bool, now: datetime
) -> Customer:
    """Choose traditional service (national pool) or the dedicated team again."""
    with uow:
        customer = access_customer(uow, actor, customer_id)
        if customer.opted_out != opted_out:
            customer.opted_out = opted_out
            uow.customers.save(customer)
            action = "customer.opt_out" if opted_out else "customer.opt_in"
            uow.journal.audit(now, actor.id, action, "customer", customer.id, {})
            uow.commit()
        return customer


def set_language(
    uow: UnitOfWork, actor: User, customer_id: str, language: str, now: datetime
) -> Customer:
    """The customer's language on record: the team's answers and notifications follow it."""
    if language not in SUPPORTED_LANGUAGES:
        raise InvalidInput("language", f"{language!r} is not one of {SUPPORTED_LANGUAGES}")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        if customer.language != language:
            customer.language = language
            uow.customers.save(customer)
            detail = {"language": language}
            uow.journal.audit(now, actor.id, "customer.language", "customer", customer.id, detail)
            uow.commit()
        return customer
