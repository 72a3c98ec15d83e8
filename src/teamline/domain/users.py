"""Who may sign in, in which role, and what a role may do (DOMAIN.md section 4; issue 2).

A user is a login: a customer (linked to their customer record), an agent or supervisor (linked to
their agent record) or an admin. Visibility rules live here once; `services/access.py` applies
them and answers "not found" for objects a role may not see, so nobody learns they exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from teamline.domain.enums import Role
from teamline.domain.errors import InvalidInput
from teamline.domain.identities import normalize_email

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256

STAFF_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
# merging customer records and undoing merges changes who owns history: beyond frontline
MERGE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
# staffing answers and team forecasts are workforce planning: a supervisor's job (DOMAIN.md 8)
PLANNING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    role: Role
    display_name: str
    customer_id: str | None = None
    agent_id: str | None = None
    active: bool = True

    def __post_init__(self) -> None:
        if normalize_email(self.email) != self.email:
            raise InvalidInput("email", "store emails in canonical (lower-case) form")
        if self.role is Role.CUSTOMER and not self.customer_id:
            raise InvalidInput("customer_id", "a customer login belongs to a customer record")
        if self.role is not Role.CUSTOMER and self.customer_id:
            raise InvalidInput("customer_id", "only customer logins link a customer record")

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def may_see_customer(self, customer_id: str) -> bool:
        """Staff see every customer (after hours the national pool serves anyone); a customer
        sees only themselves."""
        return self.is_staff or self.customer_id == customer_id

    @property
    def may_merge_customers(self) -> bool:
        return self.role in MERGE_ROLES

    @property
    def may_read_audit(self) -> bool:
        return self.role in MERGE_ROLES

    @property
    def may_plan_workforce(self) -> bool:
        return self.role in PLANNING_ROLES

    @property
    def may_manage_users(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def sees_internal_notes(self) -> bool:
        return self.is_staff


def check_password(password: str) -> str:
    """Refuse passwords too short to resist guessing, or long enough to be a hashing DoS."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise InvalidInput("password", f"a password has at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise InvalidInput("password", f"a password has at most {PASSWORD_MAX_LENGTH} characters")
    return password


def parse_role(raw: str) -> Role:
    try:
        return Role(raw.strip().lower())
    except ValueError as exc:
        choices = ", ".join(r.value for r in Role)
        raise InvalidInput("role", f"{raw!r} is not a role ({choices})") from exc
