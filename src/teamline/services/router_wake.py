"""How the router hears that another process wrote a routing request.

On PostgreSQL the writer's transaction sends a NOTIFY on `ROUTER_CHANNEL` and the router LISTENs
on a connection of its own, so a call from another API worker is served within milliseconds;
the router still polls every tick, so a lost notification (a dropped connection) costs at most
one tick. SQLite serves one process, where a plain wait is all there is.
"""

from __future__ import annotations

import logging
from threading import Event
from typing import Any

from sqlalchemy import Engine

from teamline.store.routing_requests import ROUTER_CHANNEL

log = logging.getLogger("teamline.router")


class RouterWakeup:
    def __init__(self, engine: Engine, stop: Event) -> None:
        self._engine = engine
        self._stop = stop
        self._raw: Any = None  # a pooled connection kept out of the pool while listening

    def wait(self, seconds: float) -> None:
        """Return after `seconds`, when a request is notified, or when asked to stop."""
        if self._engine.dialect.name != "postgresql":
            self._stop.wait(seconds)
            return
        try:
            listener = self._listener()
            for _note in listener.notifies(timeout=seconds, stop_after=1):
                pass
        except Exception:
            log.warning("router listener lost; polling until it is back", exc_info=True)
            self.close()
            self._stop.wait(seconds)

    def _listener(self) -> Any:
        if self._raw is None:
            raw = self._engine.raw_connection()
            connection = raw.driver_connection
            assert connection is not None
            connection.autocommit = True
            connection.execute(f"LISTEN {ROUTER_CHANNEL}")
            self._raw = raw
        return self._raw.driver_connection

    def close(self) -> None:
        if self._raw is not None:
            try:
                self._raw.invalidate()  # LISTEN state must not go back into the pool
            finally:
                self._raw = None
