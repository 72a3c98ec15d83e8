"""The unit of work as the outer layers see it: `api` and `web` open one per request and hand it
to a use case; only `services` and `store` know what is inside (the import contracts say so)."""

from __future__ import annotations

from teamline.store.uow import UnitOfWork

__all__ = ["UnitOfWork"]
