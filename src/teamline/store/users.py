"""Users and their sessions (browser cookies and bearer tokens, stored as SHA-256 only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from teamline.domain.enums import Role
from teamline.domain.users import User
from teamline.store.tables import SessionRow, UserRow


def _user(row: UserRow) -> User:
    return User(
        row.id,
        row.email,
        Role(row.role),
        row.display_name,
        row.customer_id,
        row.agent_id,
        row.active,
    )


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, user: User, password_hash: str, created_at: datetime) -> None:
        self._s.add(
            UserRow(
                id=user.id,
                email=user.email,
                password_hash=password_hash,
                role=user.role.value,
                display_name=user.display_name,
                customer_id=user.customer_id,
                agent_id=user.agent_id,
                active=user.active,
                created_at=created_at,
            )
        )

    def get(self, user_id: str) -> User | None:
        row = self._s.get(UserRow, user_id)
        return _user(row) if row else None

    def with_password_hash(self, email: str) -> tuple[User, str] | None:
        row = self._s.scalar(select(UserRow).where(UserRow.email == email))
        return (_user(row), row.password_hash) if row else None

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        row = self._s.get(UserRow, user_id)
        if row is not None:
            row.password_hash = password_hash

    def by_email(self, email: str) -> User | None:
        row = self._s.scalar(select(UserRow).where(UserRow.email == email))
        return _user(row) if row else None

    def add_session(
        self, token_hash: str, user_id: str, kind: str, created_at: datetime, expires_at: datetime
    ) -> None:
        self._s.add(
            SessionRow(
                token_hash=token_hash,
                user_id=user_id,
                kind=kind,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    def session_user(self, token_hash: str, now: datetime) -> User | None:
        row = self._s.scalar(
            select(UserRow)
            .join(SessionRow, SessionRow.user_id == UserRow.id)
            .where(SessionRow.token_hash == token_hash, SessionRow.expires_at > now)
        )
        return _user(row) if row and row.active else None

    def end_session(self, token_hash: str) -> None:
        self._s.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))

    def save(self, user: User) -> None:
        """Write back what an admin may change: the role and whether the login is active."""
        row = self._s.get(UserRow, user.id)
        if row is not None:
            row.role = user.role.value
            row.active = user.active
