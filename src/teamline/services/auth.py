"""Logins: users, argon2 password hashes, sessions and bearer tokens (issue 2).

A token is 32 random bytes shown once to its holder; only its SHA-256 is stored, so a copy of the
database does not let anyone sign in. Browser sessions and API tokens are the same mechanism with
different lifetimes. Unknown emails cost the same hashing time as wrong passwords, so a timing
probe cannot tell which accounts exist.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from teamline.domain.enums import Role
from teamline.domain.errors import Conflict, InvalidInput, NotFound, TeamlineError
from teamline.domain.identities import normalize_email
from teamline.domain.login_throttle import ANY_ACCOUNT, after_failure
from teamline.domain.users import User, check_password
from teamline.services.access import require_admin
from teamline.services.ids import new_id
from teamline.store.uow import UnitOfWork

# argon2id (the variant RFC 9106 recommends) with explicit parameters, checked by a test, so a
# library upgrade never silently changes them; old hashes are rehashed at the next sign-in
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4
_HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the email is unknown, made on first need (it costs ~0.3 s)."""
    return _HASHER.hash("not a real password, only spends the same time")


class BadCredentials(TeamlineError):
    """Email or password is wrong (which one is not said)."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    user: User
    expires_at: datetime


def hash_password(password: str) -> str:
    return _HASHER.hash(check_password(password))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register_user(
    uow: UnitOfWork,
    email: str,
    password: str,
    role: Role,
    display_name: str,
    now: datetime,
    customer_id: str | None = None,
    agent_id: str | None = None,
    actor: User | None = None,
) -> User:
    """Create a login. From the API an admin must ask; the CLI (`actor=None`) is the operator."""
    if actor is not None:
        require_admin(actor, "create users")
    if not display_name.strip():
        raise InvalidInput("display_name", "must not be empty")
    user = User(
        new_id("usr"), normalize_email(email), role, display_name.strip(), customer_id, agent_id
    )
    password_hash = hash_password(password)
    with uow:
        if uow.users.by_email(user.email) is not None:
            raise Conflict(f"a user with email {user.email} already exists")
        if customer_id is not None and uow.customers.get(customer_id) is None:
            raise InvalidInput("customer_id", f"no customer {customer_id!r}")
        if agent_id is not None and uow.organisation.agent(agent_id) is None:
            raise InvalidInput("agent_id", f"no agent {agent_id!r}")
        uow.users.add(user, password_hash, now)
        uow.journal.audit(
            now, actor.id if actor else None, "user.create", "user", user.id, {"role": role.value}
        )
        uow.commit()
    return user


class TooManyAttempts(TeamlineError):
    """This (account, source) pair failed too often; `retry_after` seconds until it may try."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins from here; try again in {retry_after} s")
        self.retry_after = retry_after


def _refuse_if_throttled(uow: UnitOfWork, account: str, source: str, now: datetime) -> None:
    for key in (account, ANY_ACCOUNT):
        throttle = uow.security.throttle(key, source)
        if throttle is not None and throttle.blocked(now):
            raise TooManyAttempts(throttle.retry_after(now))


def _record_failure(
    uow: UnitOfWork, account: str, user_id: str | None, source: str, now: datetime
) -> None:
    """Count the failure for the pair and for the source, and audit it, in its own
    transaction: the refusal that follows must not roll it back."""
    with uow:
        for key in (account, ANY_ACCOUNT):
            previous = uow.security.throttle(key, source)
            uow.security.save_throttle(after_failure(previous, key, source, now))
        # an unknown email is not written down: it may be a customer's mistyped address
        uow.journal.audit(now, user_id, "user.sign_in_failed", "user", user_id or "unknown",
                          {"source": source})  # fmt: skip
        uow.commit()


def sign_in(
    uow: UnitOfWork,
    email: str,
    password: str,
    kind: str,
    lifetime: timedelta,
    now: datetime,
    source: str = "unknown",
    replaces: str | None = None,
) -> IssuedToken:
    """Check the password and open a session. Throttled per (account, `source`) address
    (`domain/login_throttle.py`). The session presented with the request (`replaces`, a
    cookie or token from before) ends in the same transaction: every sign-in gets a fresh
    token, so a token planted before sign-in (session fixation) is worth nothing after it."""
    try:
        canonical = normalize_email(email)
    except InvalidInput:
        canonical = ""
    account = canonical or "invalid"
    source = source[:64]
    with uow:
        _refuse_if_throttled(uow, account, source, now)
        found = uow.users.with_password_hash(canonical) if canonical else None
    stored = found[1] if found else _dummy_hash()
    try:
        _HASHER.verify(stored, password)
        ok = found is not None and found[0].active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or found is None:
        _record_failure(uow, account, found[0].id if found else None, source, now)
        raise BadCredentials("wrong email or password")
    user = found[0]
    token = secrets.token_urlsafe(32)
    with uow:
        if _HASHER.check_needs_rehash(stored):
            uow.users.set_password_hash(user.id, _HASHER.hash(password))
        if replaces:
            uow.users.end_session(token_digest(replaces))
        uow.security.clear_throttle(account, source)
        uow.users.add_session(token_digest(token), user.id, kind, now, now + lifetime)
        uow.journal.audit(now, user.id, "user.sign_in", "user", user.id,
                          {"kind": kind, "source": source})  # fmt: skip
        uow.commit()
    return IssuedToken(token, user, now + lifetime)


def user_for_token(uow: UnitOfWork, token: str, now: datetime) -> User:
    with uow:
        user = uow.users.session_user(token_digest(token), now)
    if user is None:
        raise NotFound("the session has ended; sign in again")
    return user


def sign_out(uow: UnitOfWork, token: str) -> None:
    with uow:
        uow.users.end_session(token_digest(token))
        uow.commit()
