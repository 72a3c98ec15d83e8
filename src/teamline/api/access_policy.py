"""Who may call each operation, declared on the route itself (issue 9 item 2).

Every API route is declared with `**access(...)`: the roles that may call it and what its path
object is. The declaration does two things at once:
- it is enforced, as a dependency that runs before the body is read: a role not named answers
  403 (anonymous callers 401) whatever they sent, so refusals never depend on the input;
- it is published in the OpenAPI document as `x-teamline-access`, where the access-control
  matrix test (tests/api/test_access_matrix.py) reads it and calls every cell. An operation
  without a declaration fails that test, so no endpoint is ever unclassified.

`scope` says whose object the path names, which decides who gets 404 instead of the object:
- "none": no object of a customer or team (lists, the caller's own things);
- "customer": an object of one customer: a customer login sees only their own; staff see all
  (after hours the national pool serves anyone, DOMAIN.md section 1);
- "team": an object of one team: only staff of that team, and admins;
- "user": a login, managed by admins.
Objects a role may not see answer 404 from the `access_*` functions (services/access.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import Depends

from teamline.api.deps import CurrentUser
from teamline.domain.enums import Role
from teamline.domain.errors import PermissionDenied
from teamline.domain.users import User

EXTENSION = "x-teamline-access"
ANONYMOUS = "anonymous"
Scope = Literal["none", "customer", "team", "user"]

STAFF = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)
SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)
EVERYONE = (Role.CUSTOMER, *STAFF)


def _guard(roles: frozenset[Role], summary: str) -> Callable[[User], None]:
    def require_role(user: CurrentUser) -> None:
        if user.role not in roles:
            raise PermissionDenied(f"only {summary} may do this")

    return require_role


def access(*roles: Role, scope: Scope = "none", audit: str | None = None) -> dict[str, Any]:
    """Route keyword arguments: `@router.get("/x", **access(Role.ADMIN))`. `audit` names the
    audit action the operation writes when it succeeds (a privileged act)."""
    if not roles:
        raise ValueError("name at least one role, or use public() for anonymous operations")
    names = sorted(r.value for r in roles)
    declared: dict[str, Any] = {"roles": names, "scope": scope}
    if audit:
        declared["audit"] = audit
    summary = ", ".join(names)
    return {
        "openapi_extra": {EXTENSION: declared},
        "dependencies": [Depends(_guard(frozenset(roles), summary))],
    }


def public(reason: str) -> dict[str, Any]:
    """An operation anyone may call (signing in, a provider's signed webhook): say why."""
    return {"openapi_extra": {EXTENSION: {"roles": [ANONYMOUS], "scope": "none", "why": reason}}}
