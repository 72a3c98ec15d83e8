"""A deliberately broken Teamline that acknowledges before it commits: run as
`python tests/support/broken_build.py serve ...` in place of `python -m teamline serve ...`.

`UnitOfWork.commit()` hands the transaction to a background thread that commits it 0.25 s later,
so the response leaves before the data is durable; a `kill -9` in between loses acknowledged
items. The crash-intake test runs against it to prove it can see loss (issue 9).
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

from teamline.cli import main
from teamline.store.uow import UnitOfWork

DELAY_SECONDS = 0.25
_real_exit = UnitOfWork.__exit__


def _late_commit(self: UnitOfWork) -> None:
    session = self.session
    self.session.flush()
    self._handed_off = True  # type: ignore[attr-defined]

    def commit_later() -> None:
        time.sleep(DELAY_SECONDS)
        try:
            session.commit()
        finally:
            session.close()

    threading.Thread(target=commit_later, daemon=True).start()


def _exit(
    self: UnitOfWork,
    exc_type: type[BaseException] | None,
    exc: BaseException | None,
    tb: TracebackType | None,
) -> None:
    if getattr(self, "_handed_off", False):
        return  # the late committer owns the session now
    _real_exit(self, exc_type, exc, tb)


UnitOfWork.commit = _late_commit  # type: ignore[method-assign]
UnitOfWork.__exit__ = _exit  # type: ignore[method-assign]

if __name__ == "__main__":
    main()
