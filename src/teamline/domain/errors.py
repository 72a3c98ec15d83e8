"""The one error tree of Teamline; `api/errors.py` maps it to HTTP in one place.

TeamlineError
├── NotFound            -> 404 (also used when a role may not see an object)
├── InvalidInput        -> 422 (names the offending field)
├── Conflict            -> 409 (duplicate identity, stale state)
│   └── InvalidTransition   (a state machine refused a move)
├── PermissionDenied    -> 403 (an action, not an object, is forbidden)
└── Unavailable         -> 503 (storage down; retry later)
"""

from __future__ import annotations


class TeamlineError(Exception):
    """Base of every error Teamline raises on purpose."""


class NotFound(TeamlineError):
    """The object does not exist, or the caller may not know it exists."""


class InvalidInput(TeamlineError):
    """A value is malformed; `field` names it so the user can fix it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Conflict(TeamlineError):
    """The request contradicts the current state (duplicate, already done)."""


class InvalidTransition(Conflict):
    """A state machine was asked for a move its rules do not allow."""

    def __init__(self, machine: str, current: str, target: str) -> None:
        super().__init__(f"{machine}: cannot go from {current!r} to {target!r}")
        self.machine = machine
        self.current = current
        self.target = target


class PermissionDenied(TeamlineError):
    """The caller may see the object but not perform this action on it."""


class Unavailable(TeamlineError):
    """A dependency (the database) is down; the caller should retry."""
