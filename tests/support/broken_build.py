"""A deliberately broken Teamline for the crash tests: it acknowledges before it commits.

Run as `python -m support.broken_build serve ...` (with `tests/` on PYTHONPATH) instead of
`python -m teamline serve ...`. A unit of work that writes an intake item (a message or a
service order) and asks to commit hands its session to a thread that commits it
`DELAY_SECONDS` later, after the answer has left: a write-behind server. Killed in that window,
it loses items it has already acknowledged. (Everything else commits on time: sign-ins must
hold for the clients to get as far as sending.) The crash harness must see
that loss (issue 9 item 1: proof that the test can fail); on PostgreSQL only, because a SQLite
transaction left open would hold the database's single write lock meanwhile.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

from sqlalchemy import event
from sqlalchemy.orm import Session

from teamline.cli import main
from teamline.store.uow import UnitOfWork

DELAY_SECONDS = 0.3
INTAKE_TABLES = frozenset({"messages", "service_orders"})
_real_commit = UnitOfWork.commit
_real_exit = UnitOfWork.__exit__


@event.listens_for(Session, "before_flush")
def _note_tables(session: Session, _context: object, _instances: object) -> None:
    written = session.info.setdefault("tables", set())
    written.update(getattr(row, "__tablename__", "") for row in session.new)


def _writes_intake(session: Session) -> bool:
    written = set(session.info.get("tables", ()))
    written.update(getattr(row, "__tablename__", "") for row in session.new)
    return bool(written & INTAKE_TABLES)


def _commit_later(session: Session) -> None:
    time.sleep(DELAY_SECONDS)
    try:
        session.commit()
    except Exception:  # a broken build: whatever fails is lost, like the rest
        session.rollback()
    finally:
        session.close()


def _ask_to_commit(self: UnitOfWork) -> None:
    if not _writes_intake(self.session):
        _real_commit(self)
        return
    self.session.info["commit_later"] = True  # the work goes on in this session until exit


def _exit(
    self: UnitOfWork,
    exc_type: type[BaseException] | None,
    exc: BaseException | None,
    tb: TracebackType | None,
) -> None:
    session = self.session
    if exc is None and session.info.pop("commit_later", False):
        threading.Thread(target=_commit_later, args=(session,), daemon=True).start()
        return
    session.info.pop("tables", None)
    _real_exit(self, exc_type, exc, tb)


UnitOfWork.commit = _ask_to_commit  # type: ignore[method-assign]
UnitOfWork.__exit__ = _exit  # type: ignore[method-assign]

if __name__ == "__main__":
    main()
